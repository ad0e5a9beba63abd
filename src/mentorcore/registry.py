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
handed one (``main(argv, registry=...)``).
"""

from __future__ import annotations

import contextlib
import datetime as dt
import functools
import importlib.metadata
import inspect
import os
import sys
import threading
import time
from collections.abc import Callable, Iterable, Iterator, Mapping
from types import MappingProxyType
from typing import Any

import pluggy
from attrs import evolve, field, frozen

from mentorcore import hookspecs
from mentorcore.errors import ConflictError, MentorcoreError, PluginError, UnknownIdError
from mentorcore.frameworks import Framework, Rubric
from mentorcore.matching.criteria import Criterion
from mentorcore.people import Person
from mentorcore.programs import Program
from mentorcore.rules.conditions import Condition, leaves
from mentorcore.rules.eligibility import Decision, RuleContext, decide
from mentorcore.rules.facts import Fact, FactSheet
from mentorcore.rules.pricing import Quote, price
from mentorcore.rules.requirements import Finding, Metric, RequirementCheck

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

_HOOK_ORDER = (
    "register_facts",
    "register_metrics",
    "register_checks",
    "register_criteria",
    "register_frameworks",
    "register_programs",
    "register_amendments",
)

#: What each ``register`` callback accepts.
_EXPECTED: dict[str, tuple[type, ...]] = {
    "register_facts": (Fact,),
    "register_metrics": (Metric,),
    "register_checks": (RequirementCheck,),
    "register_criteria": (Criterion,),
    "register_frameworks": (Framework, Rubric),
    "register_programs": (Program,),
}

#: The registry's tables, by the label of what they hold.
_LABELS = ("fact", "metric", "check", "criterion", "framework", "rubric", "program")


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


# -- run-time attribution ------------------------------------------------------


def _raised(plugin: str, what: str, exc: BaseException, where: str = "") -> PluginError:
    place = f" {where}" if where else ""
    return PluginError(plugin, f"{what} raised {type(exc).__name__}{place}: {exc}")


def _attributed_fact(fact: Fact, plugin: str) -> Fact:
    function = fact.function
    what = f"fact {fact.id!r}"

    def computed(person: Person, on: dt.date) -> Any:
        try:
            return function(person, on)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc, f"for {person.id!r} on {on}") from exc

    return evolve(fact, function=computed)


def _attributed_metric(metric: Metric, plugin: str) -> Metric:
    function = metric.function
    what = f"metric {metric.id!r}"

    def measured(engagement: Any, as_of: dt.date, params: Mapping[str, Any]) -> Any:
        try:
            value = function(engagement, as_of, params)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc) from exc
        from decimal import Decimal

        if value is not None and (isinstance(value, bool) or not isinstance(value, int | Decimal)):
            raise PluginError(
                plugin, f"{what} returned {type(value).__name__}, expected a number or None"
            )
        return value

    return evolve(metric, function=measured)


def _attributed_check(check: RequirementCheck, plugin: str) -> RequirementCheck:
    function = check.function
    what = f"check {check.id!r}"

    def checked(requirement: Any, engagement: Any, as_of: dt.date, context: Any) -> Finding:
        try:
            finding = function(requirement, engagement, as_of, context)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc, f"for requirement {requirement.id!r}") from exc
        if not isinstance(finding, Finding):
            raise PluginError(
                plugin, f"{what} returned {type(finding).__name__}, expected a Finding"
            )
        return finding

    return evolve(check, function=checked)


class _AttributedScorer:
    """A criterion's scorer whose faults name the plug-in and the criterion."""

    def __init__(self, scorer: Any, plugin: str, what: str) -> None:
        self.scorer = scorer
        self.plugin = plugin
        self.what = what

    def scores(self, leaders: Any, mentors: Any) -> Any:
        try:
            found = self.scorer.scores(leaders, mentors)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(self.plugin, self.what, exc) from exc
        if len(found) != len(leaders):
            raise PluginError(
                self.plugin,
                f"{self.what} gave {len(found)} scores for {len(leaders)} pairs",
            )
        return found

    def reason(self, leader: int, mentor: int) -> str:
        try:
            found = self.scorer.reason(leader, mentor)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(self.plugin, self.what, exc) from exc
        if not isinstance(found, str):
            raise PluginError(
                self.plugin, f"{self.what} gave a reason of type {type(found).__name__}, not text"
            )
        return found


def _attributed_criterion(criterion: Criterion, plugin: str) -> Criterion:
    prepare = criterion.prepare
    what = f"criterion {criterion.id!r}"

    def prepared(cohort: Any, params: Mapping[str, Any]) -> Any:
        try:
            scorer = prepare(cohort, params)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc) from exc
        if not (
            callable(getattr(scorer, "scores", None)) and callable(getattr(scorer, "reason", None))
        ):
            raise PluginError(
                plugin, f"{what} prepared {type(scorer).__name__}, expected a PairScorer"
            )
        return _AttributedScorer(scorer, plugin, what)

    return evolve(criterion, prepare=prepared)


def _attributed(value: Any, plugin: str) -> Any:
    """``value`` with its functions raising a :class:`PluginError` naming ``plugin``."""
    if plugin == CORE:
        return value
    if isinstance(value, Fact):
        return _attributed_fact(value, plugin)
    if isinstance(value, Metric):
        return _attributed_metric(value, plugin)
    if isinstance(value, RequirementCheck):
        return _attributed_check(value, plugin)
    if isinstance(value, Criterion):
        return _attributed_criterion(value, plugin)
    return value


# -- loading -------------------------------------------------------------------


def _label(value: Any) -> str:
    if isinstance(value, Fact):
        return "fact"
    if isinstance(value, Metric):
        return "metric"
    if isinstance(value, RequirementCheck):
        return "check"
    if isinstance(value, Criterion):
        return "criterion"
    if isinstance(value, Framework):
        return "framework"
    if isinstance(value, Rubric):
        return "rubric"
    return "program"


def _distribution(entry_point: importlib.metadata.EntryPoint) -> tuple[str | None, str | None]:
    dist = getattr(entry_point, "dist", None)
    if dist is None:
        return None, None
    return dist.metadata["Name"], dist.version


def _only_from_env() -> list[str] | None:
    value = os.environ.get(PLUGINS_ENV)
    if value is None:
        return None
    value = value.strip()
    if value.lower() in ("", "none"):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


class _DataFilePlugin:
    """A plug-in that is one program data file: ``name = "package:program.toml"``.

    The file is read (never executed) when the registry calls
    ``register_programs``; a plug-in with no rule in Python needs no Python.
    """

    def __init__(self, package: str, file: str) -> None:
        self.package = package
        self.file = file

    @hookspecs.hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        """Register the program the data file describes."""
        from mentorcore.io.loaders import load_resource

        register(load_resource(self.package, self.file, Program))


class _Hooks:
    """The hooks, typed, each called through pluggy (the pattern of tox 4's plug-in manager)."""

    def __init__(self, manager: pluggy.PluginManager) -> None:
        self._hook = manager.hook

    def register_facts(self, register: Callable[[Fact], None]) -> None:
        """Call every ``register_facts`` implementation, in pluggy's order."""
        self._hook.register_facts(register=register)

    def register_metrics(self, register: Callable[[Metric], None]) -> None:
        """Call every ``register_metrics`` implementation, in pluggy's order."""
        self._hook.register_metrics(register=register)

    def register_checks(self, register: Callable[[RequirementCheck], None]) -> None:
        """Call every ``register_checks`` implementation, in pluggy's order."""
        self._hook.register_checks(register=register)

    def register_criteria(self, register: Callable[[Criterion], None]) -> None:
        """Call every ``register_criteria`` implementation, in pluggy's order."""
        self._hook.register_criteria(register=register)

    def register_frameworks(self, register: Callable[[Framework | Rubric], None]) -> None:
        """Call every ``register_frameworks`` implementation, in pluggy's order."""
        self._hook.register_frameworks(register=register)

    def register_programs(self, register: Callable[[Program], None]) -> None:
        """Call every ``register_programs`` implementation, in pluggy's order."""
        self._hook.register_programs(register=register)

    def register_amendments(
        self, register: Callable[[str, Callable[[Program], Program]], None]
    ) -> None:
        """Call every ``register_amendments`` implementation, in pluggy's order."""
        self._hook.register_amendments(register=register)


class _Watch:
    """Names on stderr a plug-in still importing or in a hook after :data:`SLOW_PLUGIN_SECONDS`.

    One daemon thread per load looks, a few times a second, at what the
    loader is doing; loading itself goes on undisturbed.
    """

    def __init__(self, describe: Callable[[str], str]) -> None:
        self.describe = describe
        self.current: tuple[str, float] | None = None
        self.warned: set[tuple[str, float]] = set()
        self.done = threading.Event()
        self.thread = threading.Thread(target=self._run, name="mentorcore-slow-plugin", daemon=True)

    def __enter__(self) -> _Watch:
        self.thread.start()
        return self

    def __exit__(self, *_exc: object) -> None:
        self.done.set()

    def enter(self, plugin: str | None) -> None:
        """The loader now works on ``plugin`` (``None``: on nothing of a plug-in's)."""
        self.current = None if plugin is None else (plugin, time.monotonic())

    def _run(self) -> None:
        while not self.done.wait(0.1):
            current = self.current
            if current is None or current in self.warned:
                continue
            if time.monotonic() - current[1] >= SLOW_PLUGIN_SECONDS:
                self.warned.add(current)
                print(
                    f"mentorcore: plug-in {self.describe(current[0])} is still loading "
                    f"after {SLOW_PLUGIN_SECONDS:g} s",
                    file=sys.stderr,
                    flush=True,
                )


class _Loader:
    """One registry load: plug-ins found, registered with pluggy, their hooks called, checked."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.hooks = _Hooks(self.manager)
        self.meta: dict[str, tuple[str | None, str | None]] = {CORE: (CORE, _version(CORE))}
        self.order: list[str] = []
        self.contributions: dict[str, list[str]] = {}
        self.claims: dict[tuple[str, str], list[tuple[str, Any]]] = {}
        self.amendments: list[tuple[str, str, Callable[[Program], Program]]] = []
        self.broken: set[str] = set()
        self.failures: list[PluginFailure] = []
        self.warnings: list[str] = []
        self.active: list[str] = []
        self.selectable: list[str] = []
        self.tables: dict[str, dict[str, Any]] = {label: {} for label in _LABELS}
        self.owners: dict[str, str] = {}
        self.conflicts: list[Conflict] = []
        self.watch = _Watch(self.describe)
        self.hooks_called = False

    # -- faults ------------------------------------------------------------

    def describe(self, plugin: str) -> str:
        """The plug-in with its distribution and version."""
        return Claimant(plugin, *self.meta.get(plugin, (None, None))).describe()

    def fail(self, plugin: str, reason: str, *, withdraw: bool = True) -> None:
        """Record a failure against ``plugin`` and withdraw it (or raise, in strict mode)."""
        if withdraw:
            self.broken.add(plugin)
        if self.strict:
            raise PluginError(plugin, reason)
        self.failures.append(PluginFailure(plugin, reason, *self.meta.get(plugin, (None, None))))

    def fail_hook(self, plugin: str, hook: str, exc: BaseException) -> None:
        """A hook implementation of ``plugin`` raised ``exc``."""
        if isinstance(exc, PluginError) and exc.plugin == plugin:
            if plugin in self.broken and not self.strict:
                return  # its register call already recorded why
            self.fail(plugin, exc.reason)
        else:
            self.fail(plugin, f"{hook} raised {type(exc).__name__}: {exc}")

    def warn(self, message: str) -> None:
        """Record a warning and say it on stderr."""
        self.warnings.append(message)
        print(f"mentorcore: warning: {message}", file=sys.stderr)

    @contextlib.contextmanager
    def acting_as(self, plugin: str) -> Iterator[None]:
        """Attribute what is registered meanwhile to ``plugin``."""
        self.active.append(plugin)
        self.watch.enter(plugin)
        try:
            yield
        finally:
            self.active.pop()
            self.watch.enter(self.active[-1] if self.active else None)

    # -- finding and registering plug-ins ----------------------------------

    def candidates(
        self,
        plugins: Iterable[object] | Mapping[str, object],
        entry_points: bool,
        only: Iterable[str] | None,
    ) -> list[tuple[str, object]]:
        """The built-ins, the given plug-ins, then the installed ones that import."""
        from mentorcore import builtins

        found: list[tuple[str, object]] = [(CORE, builtins)]
        if isinstance(plugins, Mapping):
            found.extend(plugins.items())
        else:
            taken: dict[str, int] = {}
            for plugin in plugins:
                name = str(getattr(plugin, "__name__", None) or type(plugin).__name__)
                taken[name] = taken.get(name, 0) + 1
                if taken[name] > 1:  # two instances of one class: number them
                    name = f"{name}-{taken[name]}"
                found.append((name, plugin))
        if entry_points:
            found.extend(self.installed(only))
        return found

    def installed(self, only: Iterable[str] | None) -> list[tuple[str, object]]:
        """Every installed plug-in selected (by ``only`` or ``MENTORCORE_PLUGINS``), imported."""
        available = list(importlib.metadata.entry_points(group=hookspecs.PROJECT))
        names = sorted({ep.name for ep in available})
        source = "only"
        wanted: list[str] | None = list(only) if only is not None else None
        if wanted is None:
            wanted = _only_from_env()
            source = PLUGINS_ENV
        if wanted is not None:
            for name in wanted:
                if name not in names:
                    self.warn(
                        f"{source} names {name!r}, which is not an installed plug-in; "
                        f"installed: {', '.join(names) or 'none'}"
                    )
            available = [ep for ep in available if ep.name in set(wanted)]
        self.selectable = names
        found: list[tuple[str, object]] = []
        for entry_point in sorted(available, key=lambda ep: ep.name):
            name = entry_point.name
            self.meta[name] = _distribution(entry_point)
            attr = entry_point.attr or ""
            if attr.endswith(DATA_FILE_SUFFIXES):
                found.append((name, _DataFilePlugin(entry_point.module, attr)))
                continue
            with self.acting_as(name):
                try:
                    found.append((name, entry_point.load()))
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:
                    self.fail(name, f"failed to import: {type(exc).__name__}: {exc}")
        return found

    def register(self, candidates: list[tuple[str, object]]) -> None:
        """Register each plug-in with pluggy, its hook implementations guarded."""
        for name, plugin in candidates:
            try:
                if self.manager.get_plugin(name) is not None or name in self.order:
                    raise PluginError(name, "a plug-in of this name is already registered")
                self.manager.register(self.guarded(name, plugin), name=name)
            except KeyboardInterrupt:
                raise
            except PluginError as exc:
                self.fail(name, f"failed to register: {exc.reason}", withdraw=False)
                continue
            except BaseException as exc:
                self.fail(name, f"failed to register: {exc}", withdraw=False)
                continue
            self.order.append(name)
            self.contributions.setdefault(name, [])
        while True:
            try:
                self.manager.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                bad = self.manager.get_name(exc.plugin) or str(exc.plugin)
                self.manager.unregister(exc.plugin)
                self.order.remove(bad)
                self.fail(bad, f"unknown hook: {exc}")

    def guarded(self, name: str, plugin: object) -> object:
        """A stand-in for ``plugin`` whose hook implementations are guarded, with the same options.

        pluggy reads each implementation's options (``tryfirst``,
        ``wrapper`` …) and its argument names from the guard exactly as from
        the original (``functools.wraps``), so it orders and calls them as
        it would the plug-in's own.
        """
        stand_in = _StandIn(name)
        marker = f"{hookspecs.PROJECT}_impl"
        for attribute in dir(plugin):
            opts = self.manager.parse_hookimpl_opts(plugin, attribute)
            if opts is None:
                continue
            function = getattr(plugin, attribute)
            guard = self.guard(name, attribute, function, opts)
            setattr(guard, marker, opts)
            setattr(stand_in, attribute, guard)
        return stand_in

    def guard(
        self, plugin: str, hook: str, function: Callable[..., Any], opts: Mapping[str, Any]
    ) -> Callable[..., Any]:
        """``function`` called as ``plugin``, its faults recorded against ``plugin``."""
        loader = self
        wrapper = bool(opts.get("wrapper") or opts.get("hookwrapper"))
        if wrapper and inspect.isgeneratorfunction(function):

            @functools.wraps(function)
            def wrapped(*args: Any, **kwargs: Any) -> Any:
                inner = None
                if plugin not in loader.broken:
                    with loader.acting_as(plugin):
                        try:
                            inner = function(*args, **kwargs)
                            next(inner)
                        except StopIteration:
                            inner = None
                            loader.fail(plugin, f"{hook}: the wrapper did not yield")
                        except KeyboardInterrupt:
                            raise
                        except BaseException as exc:
                            inner = None
                            loader.fail_hook(plugin, hook, exc)
                if inner is None:
                    return (yield)
                try:
                    sent = yield
                except BaseException as exc:  # an implementation inside raised
                    with loader.acting_as(plugin):
                        try:
                            inner.throw(exc)
                        except StopIteration as stop:
                            return stop.value
                    inner.close()
                    raise
                with loader.acting_as(plugin):
                    try:
                        inner.send(sent)
                    except StopIteration as stop:
                        return stop.value
                    except KeyboardInterrupt:
                        raise
                    except BaseException as exc:
                        loader.fail_hook(plugin, hook, exc)
                        return sent
                inner.close()
                loader.fail(plugin, f"{hook}: the wrapper yielded twice")
                return sent

            return wrapped

        @functools.wraps(function)
        def called(*args: Any, **kwargs: Any) -> Any:
            if plugin in loader.broken:
                return None
            with loader.acting_as(plugin):
                try:
                    return function(*args, **kwargs)
                except KeyboardInterrupt:
                    raise
                except BaseException as exc:
                    loader.fail_hook(plugin, hook, exc)
                    return None

        return called

    # -- calling the hooks -------------------------------------------------

    def callback(self, hook: str) -> Callable[..., None]:
        """The ``register`` callback of ``hook``: each call is attributed to the plug-in calling."""

        def register(*args: Any) -> None:
            if not self.active or self.hooks_called:
                raise PluginError(
                    "unknown", f"{hook}: register was called outside the registry's hook call"
                )
            plugin = self.active[-1]
            if plugin in self.broken:
                return
            if hook == "register_amendments":
                if len(args) != 2 or not isinstance(args[0], str) or not callable(args[1]):
                    reason = "register_amendments: expected register(program_id, function)"
                    self.fail(plugin, reason)
                    raise PluginError(plugin, reason)
                self.amendments.append((plugin, args[0], args[1]))
                self.contributions[plugin].append(f"amendment of {args[0]}")
                return
            if len(args) != 1 or not isinstance(args[0], _EXPECTED[hook]):
                names = " or ".join(t.__name__ for t in _EXPECTED[hook])
                found = ", ".join(type(a).__name__ for a in args) or "nothing"
                reason = f"{hook}: expected a {names}, got {found}"
                self.fail(plugin, reason)
                raise PluginError(plugin, reason)
            value: Any = args[0]
            label = _label(value)
            claims = self.claims.setdefault((label, value.id), [])
            if any(owner == plugin for owner, _ in claims):
                reason = f"{label} id {value.id!r} is registered twice by this plug-in"
                self.fail(plugin, reason)
                raise PluginError(plugin, reason)
            if self.strict and claims:
                raise PluginError(
                    plugin,
                    f"{label} id {value.id!r} is already registered by plug-in {claims[0][0]!r}",
                )
            claims.append((plugin, value))

        return register

    def call_hooks(self) -> None:
        """Call every hook through pluggy, in the order facts, …, programs, amendments."""
        for hook in _HOOK_ORDER:
            getattr(self.hooks, hook)(self.callback(hook))
        self.hooks_called = True

    def settle(self) -> None:
        """Give each id to its one claimant; an id claimed by two plug-ins goes to neither."""
        for (label, ident), claims in self.claims.items():
            live = [(plugin, value) for plugin, value in claims if plugin not in self.broken]
            if not live:
                continue
            owners = [plugin for plugin, _ in live]
            if CORE in owners and len(owners) > 1:
                # The core's ids are reserved: claiming one is the plug-in's fault.
                for plugin in owners:
                    if plugin != CORE:
                        self.fail(
                            plugin,
                            f"{label} id {ident!r} is already registered by plug-in {CORE!r}",
                        )
        for (label, ident), claims in self.claims.items():
            live = [(plugin, value) for plugin, value in claims if plugin not in self.broken]
            if not live:
                continue
            if len(live) > 1:
                self.conflicts.append(self.conflict(label, ident, [p for p, _ in live]))
                continue
            plugin, value = live[0]
            if isinstance(value, Program):
                value = evolve(value, plugin=plugin)
            self.tables[label][ident] = _attributed(value, plugin)
            self.owners[f"{label}:{ident}"] = plugin
            self.contributions[plugin].append(f"{label} {ident}")

    def conflict(self, label: str, ident: str, plugins: list[str]) -> Conflict:
        """The conflict over ``ident``, with how to choose between its claimants."""
        claimants = tuple(
            Claimant(plugin, *self.meta.get(plugin, (None, None))) for plugin in sorted(plugins)
        )
        if all(c.plugin in self.selectable for c in claimants):
            # An example choice: the claimant named like the id (or the first) and the rest.
            keep = ident if ident in plugins else claimants[0].plugin
            left_out = [c.plugin for c in claimants if c.plugin != keep]
            chosen = [n for n in self.order if n in self.selectable and n not in left_out]
            hint = (
                f"choose one by naming the plug-ins to load in {PLUGINS_ENV}, for example "
                f"{PLUGINS_ENV}={','.join(chosen)} (leaving out "
                f"{', '.join(repr(n) for n in left_out)}), or uninstall one of the distributions"
            )
        else:
            hint = "register only one of them"
        return Conflict(kind=label, id=ident, claimants=claimants, hint=hint)

    def amend(self) -> None:
        """Apply each amendment; a failing one leaves the program as it was."""
        programs = self.tables["program"]
        for plugin, program_id, amend in self.amendments:
            if plugin in self.broken:
                continue
            if program_id not in programs:
                conflict = next(
                    (c for c in self.conflicts if c.kind == "program" and c.id == program_id),
                    None,
                )
                if conflict is not None:
                    self.fail(plugin, f"amends program {program_id!r}: {conflict.reason}")
                else:
                    self.fail(plugin, f"amends unknown program {program_id!r}")
                continue
            with self.acting_as(plugin):
                try:
                    amended = amend(programs[program_id])
                    if not isinstance(amended, Program) or amended.id != program_id:
                        raise PluginError(
                            plugin,
                            f"amendment of {program_id!r} must return the Program {program_id!r}",
                        )
                    problems = validate_program(amended, self.partial())
                    if problems:
                        raise PluginError(
                            plugin,
                            f"amended program {program_id!r} is invalid: " + "; ".join(problems),
                        )
                except KeyboardInterrupt:
                    raise
                except PluginError as exc:
                    self.fail(plugin, exc.reason)
                    continue
                except BaseException as exc:
                    self.fail(
                        plugin, f"amendment of {program_id!r} raised {type(exc).__name__}: {exc}"
                    )
                    continue
            programs[program_id] = evolve(amended, plugin=programs[program_id].plugin)

    def partial(self) -> Registry:
        """The registry as it stands (for validating programs against it)."""
        tables = self.tables
        return Registry(
            programs=tables["program"],
            frameworks=tables["framework"],
            rubrics=tables["rubric"],
            facts=tables["fact"],
            metrics=tables["metric"],
            checks=tables["check"],
            criteria=tables["criterion"],
            conflicts=tuple(self.conflicts),
        )

    def validate(self) -> None:
        """Drop every program whose references do not resolve, reported against its plug-in."""
        programs = self.tables["program"]
        current = self.partial()
        for program_id, program in list(programs.items()):
            problems = validate_program(program, current)
            if not problems:
                continue
            del programs[program_id]
            # The plug-in no longer contributes it: keep its listing true.
            self.owners.pop(f"program:{program_id}", None)
            made = self.contributions.get(program.plugin, [])
            if f"program {program_id}" in made:
                made.remove(f"program {program_id}")
            reason = f"program {program_id!r} is invalid: " + "; ".join(problems)
            if self.strict:
                raise PluginError(program.plugin, reason)
            self.failures.append(
                PluginFailure(program.plugin, reason, *self.meta.get(program.plugin, (None, None)))
            )

    def finish(self) -> Registry:
        """The frozen registry, every plug-in that did not break listed with its contributions."""
        plugins = tuple(
            PluginInfo(name, *self.meta.get(name, (None, None)), tuple(self.contributions[name]))
            for name in self.order
            if name not in self.broken
        )
        tables = self.tables
        return Registry(
            programs=tables["program"],
            frameworks=tables["framework"],
            rubrics=tables["rubric"],
            facts=tables["fact"],
            metrics=tables["metric"],
            checks=tables["check"],
            criteria=tables["criterion"],
            plugins=plugins,
            failures=tuple(self.failures),
            conflicts=tuple(self.conflicts),
            warnings=tuple(self.warnings),
            owners=self.owners,
        )


class _StandIn:
    """The object pluggy registers for a plug-in: its guarded hook implementations."""

    def __init__(self, name: str) -> None:
        self.__name__ = name

    def __repr__(self) -> str:
        return f"<plug-in {self.__name__!r}>"


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
    loader = _Loader(strict)
    with loader.watch, contextlib.redirect_stdout(sys.stderr):
        loader.register(loader.candidates(plugins, entry_points, only))
        loader.call_hooks()
        loader.settle()
        loader.amend()
        loader.validate()
    return loader.finish()


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
