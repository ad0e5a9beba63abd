"""Checking an engagement: its kind's service requirements and its process.

:func:`check_engagement` evaluates every requirement of the engagement's
kind on a date, adds a finding for each credential the kind requires of the
mentor, and, for a kind with a process model, a finding for the steps
logged out of order plus the progress through the process.

The check is read by one audience (program staff by default): a finding
that quotes logged text (a goal's title) is composed for it by the policy
of :mod:`mentorcore.audience`.
"""

from __future__ import annotations

import datetime as dt

from attrs import field, frozen

from mentorcore.audience import Audience, audience_of
from mentorcore.engagements import (
    ArtifactLogged,
    AssessmentLogged,
    Engagement,
    Interaction,
    TaskDone,
)
from mentorcore.errors import Described, InputError
from mentorcore.process import Progress, progress
from mentorcore.registry import Registry
from mentorcore.rules.requirements import Finding, Status, evaluate_requirement, worst

__all__ = ["EngagementCheck", "check_engagement", "validate_engagement"]


@frozen(kw_only=True)
class EngagementCheck:
    """The findings for one engagement on a date, for an audience; ``status`` is the worst."""

    engagement: str
    program: str
    kind: str
    as_of: dt.date
    status: Status
    findings: tuple[Finding, ...]
    progress: Progress | None = None
    audience: Audience = field(default=Audience.PROGRAM, converter=Audience)


def validate_engagement(
    registry: Registry, engagement: Engagement, file: str | None = None
) -> None:
    """Check an engagement's ids against the registry; :class:`InputError` names the path.

    The program and kind must be known; framework item codes in events must
    belong to a framework the program owns or uses; a task must be one of
    the kind's process tasks.
    """
    if engagement.program not in registry.programs:
        known = ", ".join(sorted(registry.programs)) or "none installed"
        raise InputError(
            file=file,
            path="program",
            found=engagement.program,
            expected=f"an installed program: {known}",
        )
    program = registry.programs[engagement.program]
    kinds = [kind.id for kind in program.kinds]
    if engagement.kind not in kinds:
        raise InputError(
            file=file,
            path="kind",
            found=engagement.kind,
            expected=f"a kind of {program.id!r}: {', '.join(kinds) or 'none'}",
        )
    kind = program.kind(engagement.kind)
    codes: set[str] = set()
    for framework in program.frameworks:
        codes.update(framework.codes)
    for used in program.uses:
        if used in registry.frameworks:
            codes.update(registry.frameworks[used].codes)
    tasks = {task.id for _, task in kind.process.tasks()} if kind.process else None
    for index, event in enumerate(engagement.events):
        items: tuple[str, ...] = ()
        if isinstance(event, (Interaction, ArtifactLogged)):
            items = event.items
        elif isinstance(event, AssessmentLogged):
            items = (event.item,)
        for position, code in enumerate(items):
            if code not in codes:
                where = f"events[{index}].items[{position}]"
                if isinstance(event, AssessmentLogged):
                    where = f"events[{index}].item"
                raise InputError(
                    file=file,
                    path=where,
                    found=code,
                    expected=Described(f"an item code of the frameworks {program.id!r} uses")
                    if not codes
                    else f"one of {', '.join(sorted(codes))}",
                )
        if isinstance(event, TaskDone) and tasks is not None and event.task not in tasks:
            raise InputError(
                file=file,
                path=f"events[{index}].task",
                found=event.task,
                expected=f"a task of the {kind.process.title if kind.process else ''} process: "
                + ", ".join(sorted(tasks)),
            )


def check_engagement(
    registry: Registry,
    engagement: Engagement,
    as_of: dt.date | None = None,
    audience: Audience | str = Audience.PROGRAM,
) -> EngagementCheck:
    """Check ``engagement`` against its program's kind on ``as_of`` (default today).

    The findings are written for ``audience`` (``leader``, ``mentor``,
    ``sponsor`` or ``program``, the default): logged text it may not see is
    never in them. An unknown audience is an :class:`InputError`.
    """
    seen_by = audience_of(audience)
    day = as_of or dt.date.today()
    program = registry.program(engagement.program)
    kind = program.kind(engagement.kind)
    findings: list[Finding] = []
    for credential in kind.required_credentials:
        held = credential in engagement.mentor.credentials
        verb = "holds" if held else "does not hold"
        words = credential.replace(
            "_", " "
        )  # the id in words: principal_license → principal license
        findings.append(
            Finding(
                requirement=f"mentor_holds_{credential}",
                title=f"The mentor holds the {words} credential",
                status=Status.MET if held else Status.NOT_MET,
                detail=f"{engagement.mentor.name} {verb} the {words} credential",
                figures={"credential": credential, "held": held},
                attributes=("mentor.credentials",),
            )
        )
    for requirement in kind.requirements:
        findings.append(
            evaluate_requirement(
                requirement, engagement, day, registry.metrics, registry.checks, program.id
            )
        )
    reached: Progress | None = None
    if kind.process is not None:
        reached = progress(kind.process, engagement, day)
        phase = reached.phase or "not started"
        if reached.out_of_order:
            lines = [f"{event.date}: {reason}" for event, reason in reached.out_of_order]
            findings.append(
                Finding(
                    requirement="process_order",
                    title="Steps follow the process",
                    status=Status.NOT_MET,
                    detail=f"{len(lines)} step(s) logged out of order: " + "; ".join(lines),
                    figures={"out_of_order": len(lines)},
                    events=tuple(
                        index
                        for index, logged in enumerate(engagement.events)
                        if any(logged is event for event, _ in reached.out_of_order)
                    ),
                )
            )
        else:
            findings.append(
                Finding(
                    requirement="process_order",
                    title="Steps follow the process",
                    status=Status.MET,
                    detail=f"cycle {reached.cycle}, phase reached: {phase}; "
                    f"{len(reached.done)} task(s) done, {len(reached.open)} open",
                    figures={
                        "cycle": reached.cycle,
                        "done": len(reached.done),
                        "open": len(reached.open),
                    },
                )
            )
    return EngagementCheck(
        engagement=engagement.id,
        program=program.id,
        kind=kind.id,
        as_of=day,
        status=worst(f.status for f in findings),
        findings=tuple(finding.for_audience(seen_by) for finding in findings),
        progress=reached,
        audience=seen_by,
    )
