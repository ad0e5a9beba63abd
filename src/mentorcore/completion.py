"""When an engagement is complete: each program's rule as data, and its verdict on a date.

An :class:`~mentorcore.programs.EngagementKind` may carry a
:class:`~mentorcore.programs.Completion` (data, beside the kind): the ids
of its requirements that must be met, further conditions only completion
needs (``also``, written like requirements:
ULead's "at least one assessment of the plan's goals logged"), and whether a
cycle of its process model must have closed (GLISI's pass through Act).
:func:`completion_of` checks them on a date and says what is missing, in
words. A credential (:mod:`mentorcore.credentials`) is issued only for a
complete engagement.

Where an organization's text sets no completion rule, the plug-in's data
says so in the completion's ``source`` (``default = true``): it is the
plug-in's reading, configurable, not the organization's rule.
"""

from __future__ import annotations

import datetime as dt

from attrs import field, frozen

from mentorcore.checking import check_engagement
from mentorcore.engagements import Engagement
from mentorcore.programs import Completion
from mentorcore.provenance import Source
from mentorcore.registry import Registry
from mentorcore.rules.requirements import Finding, Status, evaluate_requirement

__all__ = ["Completion", "CompletionResult", "completion_of"]


@frozen(kw_only=True)
class CompletionResult:
    """Whether an engagement is complete on ``as_of``, what is met and what is missing.

    ``missing`` and ``met`` are sentences ("At least three on-site mentoring
    sessions: 2 of 3 on-site sessions"); ``findings`` the findings they come
    from; ``items`` the framework item codes the engagement's log addresses.
    """

    engagement: str
    program: str
    kind: str
    as_of: dt.date
    complete: bool
    title: str
    criteria: str
    met: tuple[str, ...]
    missing: tuple[str, ...]
    findings: tuple[Finding, ...] = field(factory=tuple)
    source: Source | None = None


def _line(finding: Finding) -> str:
    return f"{finding.title}: {finding.detail}"


def completion_of(
    registry: Registry, engagement: Engagement, as_of: dt.date | None = None
) -> CompletionResult:
    """Whether ``engagement`` is complete on ``as_of`` (default today) by its kind's rule.

    A kind whose program's data gives no :class:`Completion` is never
    complete: its result's ``missing`` says that no completion rule is known.
    """
    day = as_of or dt.date.today()
    program = registry.program(engagement.program)
    kind = program.kind(engagement.kind)
    rule = kind.completion
    if rule is None:
        return CompletionResult(
            engagement=engagement.id,
            program=program.id,
            kind=kind.id,
            as_of=day,
            complete=False,
            title=kind.title,
            criteria="",
            met=(),
            missing=(
                f"{program.title} gives no completion rule for {kind.title}, "
                "so completion is unknown",
            ),
        )
    check = check_engagement(registry, engagement, day)
    by_id = {finding.requirement: finding for finding in check.findings}
    wanted = tuple(r.id for r in kind.requirements) if rule.all_requirements else rule.requirements
    findings = [by_id[rid] for rid in wanted if rid in by_id]
    findings += [
        evaluate_requirement(
            requirement, engagement, day, registry.metrics, registry.checks, program.id
        )
        for requirement in rule.also
    ]
    met = [_line(f) for f in findings if f.status is Status.MET]
    missing = [_line(f) for f in findings if f.status is not Status.MET]
    missing += [
        f"requirement {rid!r} is not a requirement of {kind.title}"
        for rid in wanted
        if rid not in by_id
    ]
    if rule.cycle_closed:
        reached = check.progress
        title = kind.process.title if kind.process else "the process"
        closed = [c for c in reached.cycles if c.closed] if reached else []
        if reached is None or not closed:
            missing.append(f"no cycle of {title} has closed (through its last phase) yet")
        elif reached.out_of_order:
            missing.append(f"{len(reached.out_of_order)} step(s) of {title} logged out of order")
        else:
            met.append(f"{len(closed)} cycle(s) of {title} closed")
    return CompletionResult(
        engagement=engagement.id,
        program=program.id,
        kind=kind.id,
        as_of=day,
        complete=not missing,
        title=rule.title,
        criteria=rule.criteria,
        met=tuple(met),
        missing=tuple(missing),
        findings=tuple(findings),
        source=rule.source,
    )
