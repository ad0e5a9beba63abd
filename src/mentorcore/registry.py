"""The registry: every installed program, loaded once, validated, frozen.

:func:`load_registry` discovers plug-ins through entry points in the group
``mentorcore`` (or takes plug-in objects directly, as tests do), registers
them with pluggy and calls each hook through pluggy, so ``tryfirst``,
``trylast``, ``wrapper=True`` and ``hookwrapper=True`` mean what pluggy's
documentation says. Each plug-in's contribution stays its own: every hook
implementation is called through a guard that attributes what it
registers to its plug-in, and a plug-in whose import or hook raises (any
exception but ``KeyboardInterrupt``, ``SystemExit`` included) is recorded
as failed, what it registered is withdrawn, and the others carry on.

An id claimed by two plug-ins is a conflict, decided by nobody: neither is
served, and using the id says which distributions claim it and how to
choose. The result is a frozen :class:`Registry`; commands and tests are
handed one (``main(argv, registry=...)``). How plug-ins are found, guarded
and called is :mod:`mentorcore.loading`; how their rules name them when
they fail at run time, :mod:`mentorcore.attribution`.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping
from types import MappingProxyType
from typing import Any

from attrs import field, frozen

from mentorcore.errors import ConflictError, MentorcoreError, UnknownIdError
from mentorcore.frameworks import Framework, Rubric
from mentorcore.matching.criteria import Criterion
from mentorcore.people import Person
from mentorcore.programs import Program
from mentorcore.rules.conditions import Condition, leaves
from mentorcore.rules.eligibility import Decision, RuleContext, decide
from mentorcore.rules.facts import Fact, FactSheet
from mentorcore.rules.pricing import Quote, price
from mentorcore.rules.requirements import Metric, RequirementCheck

TYPE_CHECKING = False
if TYPE_CHECKING:
    from mentorcore.assessing import AssessmentReading
    from mentorcore.checking import EngagementCheck
    from mentorcore.engagements import Engagement
    from mentorcore.frameworks import Assessment
    from mentorcore.matching.engine import MatchResult
    from mentorcore.matching.suggestions import Suggestions
    from mentorcore.people import Leader, Mentor
    from mentorcore.reports import Report

__all__ = [
    "DATA_FILE_SUFFIXES",
    "PLUGINS_ENV",
    "SLOW_PLUGIN_SECONDS",
    "Claimant",
    "Conflict",
    "PluginFailure",
    "PluginInfo",
    "Registry",
    "load_registry",
    "validate_program",
]

#: Environment variable restricting which installed plug-ins load: a
#: comma-separated list of entry-point names, or ``none``.
PLUGINS_ENV = "MENTORCORE_PLUGINS"

#: A plug-in still importing or in a hook after this many seconds is named on stderr.
SLOW_PLUGIN_SECONDS = 2.0

#: An entry point whose object part ends with one of these names a program
#: data file in the package (``ipa = "mentorcore_ipa:program.toml"``).
DATA_FILE_SUFFIXES = (".toml", ".json")

#: The core's own plug-in (:mod:`mentorcore.builtins`); its ids are reserved.
CORE = "mentorcore"


@frozen
class PluginInfo:
    """A loaded plug-in: its name, distribution and version, and what it contributed."""

    name: str
    distribution: str | None
    version: str | None
    contributions: tuple[str, ...]


@frozen
class PluginFailure:
    """A plug-in (or one of its contributions) that failed, and why."""

    plugin: str
    reason: str
    distribution: str | None = None
    version: str | None = None


@frozen
class Claimant:
    """A plug-in that claims an id: its entry-point name, distribution and version."""

    plugin: str
    distribution: str | None = None
    version: str | None = None

    def describe(self) -> str:
        """``'ipa' (mentorcore-ipa 0.1.0)``."""
        if self.distribution is None:
            return repr(self.plugin)
        version = f" {self.version}" if self.version else ""
        return f"{self.plugin!r} ({self.distribution}{version})"


@frozen
class Conflict:
    """An id that two or more plug-ins claim: none of them is served.

    ``hint`` says how to choose (``MENTORCORE_PLUGINS`` naming the plug-ins
    to load, or uninstalling one distribution).
    """

    kind: str
    id: str
    claimants: tuple[Claimant, ...]
    hint: str

    @property
    def reason(self) -> str:
        """The conflict in one sentence, with how to choose."""
        names = " and ".join(c.describe() for c in self.claimants)
        return f"{self.kind} {self.id!r} is claimed by {names}, so neither is used; {self.hint}"


def _frozen_map(value: Mapping[str, Any] | None = None) -> Mapping[str, Any]:
    return MappingProxyType(dict(value or {}))


@frozen(eq=False)
class Registry:
    """Every program, shared framework, fact, metric, check and criterion known.

    Build one with :func:`load_registry`; it is frozen (its tables are
    read-only mappings). ``failures`` lists the plug-ins (or contributions)
    that failed to load, with the reason; ``conflicts`` the ids that two
    plug-ins claim (served by neither); ``warnings`` what else loading
    noticed (an unknown name in ``MENTORCORE_PLUGINS``). ``owners`` maps
    ``"<label>:<id>"`` (``"program:ipa"``) to the plug-in that contributed it.

    Every service is a method: :meth:`decide`, :meth:`quote`, :meth:`check`,
    :meth:`report`, :meth:`match`, :meth:`suggest`, :meth:`assess`; the
    command line calls these and only parses and prints. The module
    functions they call (:func:`mentorcore.checking.check_engagement`,
    :func:`mentorcore.reports.report` …) stay available and take the
    registry as their first argument.
    """

    programs: Mapping[str, Program] = field(factory=_frozen_map, converter=_frozen_map)
    frameworks: Mapping[str, Framework] = field(factory=_frozen_map, converter=_frozen_map)
    rubrics: Mapping[str, Rubric] = field(factory=_frozen_map, converter=_frozen_map)
    facts: Mapping[str, Fact] = field(factory=_frozen_map, converter=_frozen_map)
    metrics: Mapping[str, Metric] = field(factory=_frozen_map, converter=_frozen_map)
    checks: Mapping[str, RequirementCheck] = field(factory=_frozen_map, converter=_frozen_map)
    criteria: Mapping[str, Criterion] = field(factory=_frozen_map, converter=_frozen_map)
    plugins: tuple[PluginInfo, ...] = ()
    failures: tuple[PluginFailure, ...] = ()
    conflicts: tuple[Conflict, ...] = ()
    warnings: tuple[str, ...] = ()
    owners: Mapping[str, str] = field(factory=_frozen_map, converter=_frozen_map)

    # -- lookups -----------------------------------------------------------

    def conflict(self, kind: str, ident: str) -> Conflict | None:
        """The conflict over ``kind`` ``ident`` (``"program"``, ``"ipa"``), if any."""
        for conflict in self.conflicts:
            if conflict.kind == kind and conflict.id == ident:
                return conflict
        return None

    def program(self, program_id: str) -> Program:
        """The program ``program_id``.

        An id two plug-ins claim raises :class:`~mentorcore.errors.ConflictError`
        naming both distributions and how to choose; an unknown id raises
        :class:`~mentorcore.errors.UnknownIdError` naming the known ones and
        any plug-in that failed.
        """
        try:
            return self.programs[program_id]
        except KeyError:
            pass
        conflict = self.conflict("program", program_id)
        if conflict is not None:
            raise ConflictError(conflict.reason)
        failed = [f for f in self.failures if program_id in f.reason or f.plugin == program_id]
        hint = ""
        if failed:
            hint = f"plug-in {failed[0].plugin!r} failed to load: {failed[0].reason}"
        elif self.failures:
            # The program may be one a failed plug-in would have contributed.
            names = ", ".join(sorted({f.plugin for f in self.failures}))
            hint = f"plug-ins that failed to load: {names} (mentorcore programs gives the reasons)"
        raise UnknownIdError("program", program_id, self.programs, hint)

    def framework(self, framework_id: str, program: Program | None = None) -> Framework:
        """A framework by id: the program's own first, then the shared ones."""
        if program is not None:
            for framework in program.frameworks:
                if framework.id == framework_id:
                    return framework
        try:
            return self.frameworks[framework_id]
        except KeyError:
            known = (
                [*self.frameworks, *(f.id for f in program.frameworks)]
                if program
                else self.frameworks
            )
            raise UnknownIdError("framework", framework_id, known) from None

    def rubric(self, rubric_id: str, program: Program | None = None) -> Rubric:
        """A rubric or rating scale by id: the program's own first, then the shared ones."""
        if program is not None:
            for rubric in program.rubrics:
                if rubric.id == rubric_id:
                    return rubric
        try:
            return self.rubrics[rubric_id]
        except KeyError:
            known = [*self.rubrics, *(r.id for r in program.rubrics)] if program else self.rubrics
            raise UnknownIdError("rubric", rubric_id, known) from None

    def context(self, program: Program) -> RuleContext:
        """The facts and the program's parameters, for evaluating its rules."""
        return RuleContext(self.facts, {p.id: p for p in program.parameters})

    # -- services ----------------------------------------------------------

    def decide(
        self,
        program: str | Program,
        person: Person,
        on: dt.date | None = None,
        *,
        rule: str | None = None,
        kind: str | None = None,
        sheet: FactSheet | None = None,
    ) -> Decision:
        """Apply a program's eligibility rule to a person on a date (default today).

        Without ``rule``, the first rule for the person's side (leader or
        mentor) and ``kind`` is used.
        """
        from mentorcore.people import Mentor

        prog = program if isinstance(program, Program) else self.program(program)
        day = on or dt.date.today()
        subject = "mentor" if isinstance(person, Mentor) else "leader"
        chosen = prog.rule(rule, subject=subject, kind=kind)
        return decide(chosen, person, day, self.context(prog), prog.id, sheet)

    def quote(
        self, program: str | Program, person: Person, hours: int, on: dt.date | None = None
    ) -> Quote:
        """Quote a package of ``hours`` for a person on a date (default today)."""
        prog = program if isinstance(program, Program) else self.program(program)
        if prog.pricing is None:
            raise MentorcoreError(f"program {prog.id!r} has no prices")
        day = on or dt.date.today()
        context = self.context(prog)
        sheet = FactSheet(person, day, self.facts)
        decision = decide(prog.rule(prog.pricing.eligibility), person, day, context, prog.id, sheet)
        return price(prog.pricing, decision, person, hours, day, context, sheet)

    def check(
        self, engagement: Engagement, as_of: dt.date | None = None, **options: Any
    ) -> EngagementCheck:
        """Check an engagement against its program's service requirements on ``as_of``.

        The same as :func:`mentorcore.checking.check_engagement` with this
        registry; ``options`` go to it.
        """
        from mentorcore.checking import check_engagement

        return check_engagement(self, engagement, as_of, **options)

    def report(
        self, engagement: Engagement, audience: str, as_of: dt.date | None = None, **options: Any
    ) -> Report:
        """Read an engagement for an audience (:func:`mentorcore.reports.report`)."""
        from mentorcore.reports import report

        return report(self, engagement, audience, as_of, **options)

    def match(
        self,
        program: str | Program,
        leaders: Iterable[Leader],
        mentors: Iterable[Mentor],
        **options: Any,
    ) -> MatchResult:
        """Match a cohort of leaders with mentors (:func:`mentorcore.matching.match`)."""
        from mentorcore.matching.engine import match

        return match(self, program, leaders, mentors, **options)

    def suggest(
        self,
        program: str | Program,
        leader: str,
        leaders: Iterable[Leader],
        mentors: Iterable[Mentor],
        **options: Any,
    ) -> Suggestions:
        """The best feasible mentors for one leader (:func:`mentorcore.matching.suggest`)."""
        from mentorcore.matching.suggestions import suggest

        return suggest(self, program, leader, leaders, mentors, **options)

    def assess(
        self, assessment: Assessment, as_of: dt.date | None = None, **options: Any
    ) -> AssessmentReading:
        """Summarize an assessment on a date (:func:`mentorcore.assessing.summarize_assessment`)."""
        from mentorcore.assessing import summarize_assessment

        return summarize_assessment(self, assessment, as_of, **options)


def _conditions(program: Program) -> list[tuple[str, Condition]]:
    found: list[tuple[str, Condition]] = []
    for rule in program.eligibility:
        for index, outcome in enumerate(rule.outcomes):
            if outcome.when is not None:
                found.append(
                    (f"eligibility {rule.id!r} outcome {index} ({outcome.id})", outcome.when)
                )
    if program.pricing is not None:
        for basis in program.pricing.bases:
            if basis.when is not None:
                found.append((f"pricing basis {basis.id!r}", basis.when))
    return found


def validate_program(program: Program, registry: Registry) -> list[str]:
    """Every problem with a program's references, in words (empty when it is valid)."""
    problems: list[str] = []

    def unknown(label: str, ident: str) -> str:
        conflict = registry.conflict(label, ident)
        if conflict is None:
            return f"unknown {label} {ident!r}"
        names = " and ".join(c.describe() for c in conflict.claimants)
        return f"{label} {ident!r}, which {names} both register (neither is used)"

    parameters = {p.id for p in program.parameters}
    for where, condition in _conditions(program):
        for leaf in leaves(condition):
            if leaf.fact is not None and leaf.fact not in registry.facts:
                problems.append(f"{where} names {unknown('fact', leaf.fact)}")
            if leaf.parameter is not None and leaf.parameter not in parameters:
                problems.append(f"{where} names unknown parameter {leaf.parameter!r}")
            if leaf.on_fact is not None and leaf.on_fact not in registry.facts:
                problems.append(f"{where} names {unknown('fact', leaf.on_fact)}")
    rule_ids = {r.id for r in program.eligibility}
    if program.pricing is not None and program.pricing.eligibility not in rule_ids:
        problems.append(f"pricing names unknown eligibility rule {program.pricing.eligibility!r}")
    frameworks = {f.id for f in program.frameworks} | set(registry.frameworks)
    rubrics = {r.id for r in program.rubrics} | set(registry.rubrics)
    for used in program.uses:
        if used not in frameworks and used not in rubrics:
            problems.append(f"uses {unknown('framework', used)}")
    for rubric in program.rubrics:
        if rubric.framework is None:
            continue
        if rubric.framework not in frameworks:
            problems.append(f"rubric {rubric.id!r} names {unknown('framework', rubric.framework)}")
            continue
        codes = set(
            next(
                f
                for f in (*program.frameworks, *registry.frameworks.values())
                if f.id == rubric.framework
            ).codes
        )
        for descriptor in rubric.descriptors:
            if descriptor.item not in codes:
                problems.append(f"rubric {rubric.id!r} names unknown item {descriptor.item!r}")
    for kind in program.kinds:
        for requirement in kind.requirements:
            where = f"kind {kind.id!r} requirement {requirement.id!r}"
            for metric in (requirement.metric, requirement.at_most_metric):
                if metric is not None and metric not in registry.metrics:
                    problems.append(f"{where} names {unknown('metric', metric)}")
            if requirement.check is not None and requirement.check not in registry.checks:
                problems.append(f"{where} names {unknown('check', requirement.check)}")
        if kind.process is not None:
            task_ids = {task.id for _, task in kind.process.tasks()}
            for phase in kind.process.phases:
                for _task_phase, task in ((phase, t) for t, _ in phase.walk()):
                    for prerequisite in (*phase.requires, *task.requires):
                        if prerequisite.task and prerequisite.task not in task_ids:
                            problems.append(
                                f"kind {kind.id!r} process names unknown task {prerequisite.task!r}"
                            )
    if program.matching is not None:
        for weight in program.matching.criteria:
            if weight.criterion not in registry.criteria:
                problems.append(f"matching names {unknown('criterion', weight.criterion)}")
        rule = program.matching.mentor_rule
        if rule is not None and rule not in rule_ids:
            problems.append(f"matching names unknown mentor rule {rule!r}")
    return sorted(set(problems))


_CACHE: dict[str, Registry] = {}


def load_registry(
    plugins: Iterable[object] | Mapping[str, object] = (),
    *,
    entry_points: bool = True,
    only: Iterable[str] | None = None,
    strict: bool = False,
    refresh: bool = False,
) -> Registry:
    """Load the core's built-ins, the given plug-ins, and every installed plug-in.

    Args:
        plugins: plug-in objects (modules or instances) to register directly,
            as tests do; a mapping gives them names.
        entry_points: also load installed plug-ins (entry point group ``mentorcore``).
        only: names of the entry points to load; by default all, or those
            listed in the ``MENTORCORE_PLUGINS`` environment variable. A
            name that is not installed is a warning.
        strict: raise :class:`~mentorcore.errors.PluginError` at the first
            failure or conflict instead of recording it (for plug-in authors' tests).
        refresh: load again instead of returning the default registry
            already loaded in this process.

    A plug-in that fails to import, whose hook raises, or whose contribution
    does not validate is listed in ``registry.failures`` with the reason; an
    id two plug-ins claim is in ``registry.conflicts``; the others load.
    What plug-ins print while they load goes to stderr, never to stdout. The
    default call (no arguments) loads once per process.
    """
    default_call = not plugins and entry_points and only is None and not strict
    if default_call and not refresh and "default" in _CACHE:
        return _CACHE["default"]
    registry = _load(plugins, entry_points, only, strict)
    if default_call:
        _CACHE["default"] = registry
    return registry


def _load(
    plugins: Iterable[object] | Mapping[str, object],
    entry_points: bool,
    only: Iterable[str] | None,
    strict: bool,
) -> Registry:
    from mentorcore.loading import load

    return load(plugins, entry_points, only, strict)
