"""The registry: every installed program, loaded once, validated, fault-isolated.

:func:`load_registry` discovers plug-ins through entry points in the group
``mentorcore`` (or takes plug-in objects directly, as tests do), calls each
plug-in's hooks one plug-in at a time so that one failure is recorded
against its name and the others carry on, and validates the whole: every
fact, metric, check, framework, item and criterion a program names must
exist, and no two plug-ins may claim the same program id.
"""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import os
from collections.abc import Callable, Iterable, Mapping
from typing import Any

import pluggy
from attrs import evolve, frozen

from mentorcore import hookspecs
from mentorcore.errors import MentorcoreError, PluginError, UnknownIdError
from mentorcore.frameworks import Framework, Rubric
from mentorcore.matching.criteria import Criterion
from mentorcore.people import Person
from mentorcore.programs import Program
from mentorcore.rules.conditions import Condition, leaves
from mentorcore.rules.eligibility import Decision, RuleContext, decide
from mentorcore.rules.facts import Fact, FactSheet
from mentorcore.rules.pricing import Quote, price
from mentorcore.rules.requirements import Metric, RequirementCheck

__all__ = [
    "PLUGINS_ENV",
    "PluginFailure",
    "PluginInfo",
    "Registry",
    "load_registry",
    "validate_program",
]

#: Environment variable restricting which installed plug-ins load: a
#: comma-separated list of entry-point names, or ``none``.
PLUGINS_ENV = "MENTORCORE_PLUGINS"

_HOOK_ORDER = (
    "register_facts",
    "register_metrics",
    "register_checks",
    "register_criteria",
    "register_frameworks",
    "register_programs",
    "register_amendments",
)


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


class Registry:
    """Every program, shared framework, fact, metric, check and criterion known.

    Build one with :func:`load_registry`. ``failures`` lists the plug-ins
    (or contributions) that failed to load, with the reason.
    """

    def __init__(self) -> None:
        self.programs: dict[str, Program] = {}
        self.frameworks: dict[str, Framework] = {}
        self.rubrics: dict[str, Rubric] = {}
        self.facts: dict[str, Fact] = {}
        self.metrics: dict[str, Metric] = {}
        self.checks: dict[str, RequirementCheck] = {}
        self.criteria: dict[str, Criterion] = {}
        self.plugins: list[PluginInfo] = []
        self.failures: list[PluginFailure] = []
        self.owners: dict[str, str] = {}

    # -- lookups -----------------------------------------------------------

    def program(self, program_id: str) -> Program:
        """The program ``program_id``; an unknown id names the known ones and any failure."""
        try:
            return self.programs[program_id]
        except KeyError:
            pass
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


def _describe_object(value: object) -> str:
    return f"{type(value).__name__} {getattr(value, 'id', '')!s}".strip()


def _register_into(
    registry: Registry,
    hook: str,
    plugin: str,
    contributions: list[str],
    amendments: list[tuple[str, str, Callable[[Program], Program]]],
) -> Callable[..., None]:
    expected: dict[str, tuple[type, ...]] = {
        "register_facts": (Fact,),
        "register_metrics": (Metric,),
        "register_checks": (RequirementCheck,),
        "register_criteria": (Criterion,),
        "register_frameworks": (Framework, Rubric),
        "register_programs": (Program,),
    }

    def register(*args: Any) -> None:
        if hook == "register_amendments":
            if len(args) != 2 or not isinstance(args[0], str) or not callable(args[1]):
                raise PluginError(
                    plugin, "register_amendments: expected register(program_id, function)"
                )
            amendments.append((plugin, args[0], args[1]))
            contributions.append(f"amendment of {args[0]}")
            return
        if len(args) != 1 or not isinstance(args[0], expected[hook]):
            names = " or ".join(t.__name__ for t in expected[hook])
            found = ", ".join(type(a).__name__ for a in args) or "nothing"
            raise PluginError(plugin, f"{hook}: expected a {names}, got {found}")
        value: Any = args[0]
        table: dict[str, Any]
        label: str
        if isinstance(value, Fact):
            table, label = registry.facts, "fact"
        elif isinstance(value, Metric):
            table, label = registry.metrics, "metric"
        elif isinstance(value, RequirementCheck):
            table, label = registry.checks, "check"
        elif isinstance(value, Criterion):
            table, label = registry.criteria, "criterion"
        elif isinstance(value, Framework):
            table, label = registry.frameworks, "framework"
        elif isinstance(value, Rubric):
            table, label = registry.rubrics, "rubric"
        else:
            table, label = registry.programs, "program"
        key = f"{label}:{value.id}"
        if value.id in table:
            raise PluginError(
                plugin,
                f"{label} id {value.id!r} is already registered "
                f"by plug-in {registry.owners[key]!r}",
            )
        if isinstance(value, Program):
            value = evolve(value, plugin=plugin)
        table[value.id] = value
        registry.owners[key] = plugin
        contributions.append(f"{label} {value.id}")

    return register


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
    parameters = {p.id for p in program.parameters}
    for where, condition in _conditions(program):
        for leaf in leaves(condition):
            if leaf.fact is not None and leaf.fact not in registry.facts:
                problems.append(f"{where} names unknown fact {leaf.fact!r}")
            if leaf.parameter is not None and leaf.parameter not in parameters:
                problems.append(f"{where} names unknown parameter {leaf.parameter!r}")
    rule_ids = {r.id for r in program.eligibility}
    if program.pricing is not None and program.pricing.eligibility not in rule_ids:
        problems.append(f"pricing names unknown eligibility rule {program.pricing.eligibility!r}")
    frameworks = {f.id for f in program.frameworks} | set(registry.frameworks)
    rubrics = {r.id for r in program.rubrics} | set(registry.rubrics)
    for used in program.uses:
        if used not in frameworks and used not in rubrics:
            problems.append(f"uses unknown framework {used!r}")
    for rubric in program.rubrics:
        if rubric.framework is None:
            continue
        if rubric.framework not in frameworks:
            problems.append(f"rubric {rubric.id!r} names unknown framework {rubric.framework!r}")
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
            if requirement.metric is not None and requirement.metric not in registry.metrics:
                problems.append(f"{where} names unknown metric {requirement.metric!r}")
            if (
                requirement.at_most_metric is not None
                and requirement.at_most_metric not in registry.metrics
            ):
                problems.append(f"{where} names unknown metric {requirement.at_most_metric!r}")
            if requirement.check is not None and requirement.check not in registry.checks:
                problems.append(f"{where} names unknown check {requirement.check!r}")
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
                problems.append(f"matching names unknown criterion {weight.criterion!r}")
        rule = program.matching.mentor_rule
        if rule is not None and rule not in rule_ids:
            problems.append(f"matching names unknown mentor rule {rule!r}")
    return sorted(set(problems))


def _distribution(entry_point: importlib.metadata.EntryPoint) -> tuple[str | None, str | None]:
    dist = getattr(entry_point, "dist", None)
    if dist is None:
        return None, None
    return dist.metadata["Name"], dist.version


def _entry_points(only: Iterable[str] | None) -> list[importlib.metadata.EntryPoint]:
    found = list(importlib.metadata.entry_points(group=hookspecs.PROJECT))
    if only is not None:
        wanted = set(only)
        found = [ep for ep in found if ep.name in wanted]
    return sorted(found, key=lambda ep: ep.name)


def _only_from_env() -> list[str] | None:
    value = os.environ.get(PLUGINS_ENV)
    if value is None:
        return None
    value = value.strip()
    if value.lower() in ("", "none"):
        return []
    return [part.strip() for part in value.split(",") if part.strip()]


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
            listed in the ``MENTORCORE_PLUGINS`` environment variable.
        strict: raise :class:`~mentorcore.errors.PluginError` at the first
            failure instead of recording it (for plug-in authors' tests).
        refresh: load again instead of returning the cached default registry.

    A plug-in that fails to import, whose hook raises, or whose contribution
    does not validate is listed in ``registry.failures`` with the reason; the
    others load. The default call (no arguments) is cached.
    """
    default_call = not plugins and entry_points and only is None and not strict
    if default_call and not refresh and "default" in _CACHE:
        return _CACHE["default"]
    registry = _load(plugins, entry_points, only, strict)
    if default_call:
        _CACHE["default"] = registry
    return registry


class _Loader:
    """One registry load: the plug-ins in order, each step isolating failures by plug-in."""

    def __init__(self, strict: bool) -> None:
        self.strict = strict
        self.registry = Registry()
        self.manager = pluggy.PluginManager(hookspecs.PROJECT)
        self.manager.add_hookspecs(hookspecs)
        self.meta: dict[str, tuple[str | None, str | None]] = {
            "mentorcore": ("mentorcore", _version("mentorcore"))
        }
        self.contributions: dict[str, list[str]] = {}
        self.amendments: list[tuple[str, str, Callable[[Program], Program]]] = []
        self.broken: set[str] = set()

    def fail(self, plugin: str, reason: str) -> None:
        """Record a failure against ``plugin`` (or raise it, in strict mode)."""
        if self.strict:
            raise PluginError(plugin, reason)
        self.registry.failures.append(
            PluginFailure(plugin, reason, *self.meta.get(plugin, (None, None)))
        )

    def candidates(
        self,
        plugins: Iterable[object] | Mapping[str, object],
        entry_points: bool,
        only: Iterable[str] | None,
    ) -> list[tuple[str, object]]:
        """The built-ins, the given plug-ins, then installed ones that import."""
        from mentorcore import builtins

        found: list[tuple[str, object]] = [("mentorcore", builtins)]
        if isinstance(plugins, Mapping):
            found.extend(plugins.items())
        else:
            for plugin in plugins:
                found.append(
                    (str(getattr(plugin, "__name__", None) or type(plugin).__name__), plugin)
                )
        if entry_points:
            selected = only if only is not None else _only_from_env()
            for entry_point in _entry_points(selected):
                self.meta[entry_point.name] = _distribution(entry_point)
                try:
                    found.append((entry_point.name, entry_point.load()))
                except Exception as exc:
                    self.fail(entry_point.name, f"failed to import: {type(exc).__name__}: {exc}")
        return found

    def register(self, candidates: list[tuple[str, object]]) -> None:
        """Register each plug-in with pluggy; drop any with a misspelled hook."""
        for name, plugin in candidates:
            try:
                if self.manager.get_plugin(name) is not None:
                    raise PluginError(name, "a plug-in of this name is already registered")
                self.manager.register(plugin, name=name)
            except Exception as exc:
                self.fail(name, f"failed to register: {exc}")
        while True:
            try:
                self.manager.check_pending()
                return
            except pluggy.PluginValidationError as exc:
                bad = self.manager.get_name(exc.plugin) or str(exc.plugin)
                self.manager.unregister(exc.plugin)
                self.fail(bad, f"unknown hook: {exc}")

    def call_hooks(self) -> None:
        """Call every hook one plug-in at a time, in registration order.

        The first plug-in to claim an id keeps it; a plug-in whose hook
        raises is marked broken and what it added so far is withdrawn.
        """
        for hook in _HOOK_ORDER:
            for impl in getattr(self.manager.hook, hook).get_hookimpls():
                name = impl.plugin_name
                if name in self.broken:
                    continue
                made = self.contributions.setdefault(name, [])
                register = _register_into(self.registry, hook, name, made, self.amendments)
                try:
                    impl.function(*[register for _ in impl.argnames])
                except Exception as exc:
                    self.broken.add(name)
                    if isinstance(exc, PluginError) and exc.plugin == name:
                        self.fail(name, exc.reason)
                    else:
                        self.fail(name, f"{hook} raised {type(exc).__name__}: {exc}")
                    _withdraw(self.registry, name)

    def amend(self) -> None:
        """Apply each amendment; a failing one leaves the program as it was."""
        programs = self.registry.programs
        for plugin, program_id, amend in self.amendments:
            if plugin in self.broken:
                continue
            if program_id not in programs:
                self.fail(plugin, f"amends unknown program {program_id!r}")
                continue
            try:
                amended = amend(programs[program_id])
                if not isinstance(amended, Program) or amended.id != program_id:
                    raise PluginError(
                        plugin,
                        f"amendment of {program_id!r} must return the Program {program_id!r}",
                    )
                problems = validate_program(amended, self.registry)
                if problems:
                    raise PluginError(
                        plugin, f"amended program {program_id!r} is invalid: " + "; ".join(problems)
                    )
            except PluginError as exc:
                self.fail(plugin, exc.reason)
                continue
            except Exception as exc:
                self.fail(plugin, f"amendment of {program_id!r} raised {type(exc).__name__}: {exc}")
                continue
            programs[program_id] = evolve(amended, plugin=programs[program_id].plugin)

    def validate(self) -> None:
        """Drop every program whose references do not resolve, reported against its plug-in."""
        for program_id, program in list(self.registry.programs.items()):
            problems = validate_program(program, self.registry)
            if not problems:
                continue
            del self.registry.programs[program_id]
            # The plug-in no longer contributes it: keep its listing true.
            self.registry.owners.pop(f"program:{program_id}", None)
            made = self.contributions.get(program.plugin, [])
            if f"program {program_id}" in made:
                made.remove(f"program {program_id}")
            self.fail(program.plugin, f"program {program_id!r} is invalid: " + "; ".join(problems))

    def finish(self) -> Registry:
        """The registry, with every plug-in that did not break listed with its contributions."""
        for name, made in self.contributions.items():
            if name not in self.broken:
                dist, version = self.meta.get(name, (None, None))
                self.registry.plugins.append(PluginInfo(name, dist, version, tuple(made)))
        return self.registry


def _load(
    plugins: Iterable[object] | Mapping[str, object],
    entry_points: bool,
    only: Iterable[str] | None,
    strict: bool,
) -> Registry:
    loader = _Loader(strict)
    loader.register(loader.candidates(plugins, entry_points, only))
    loader.call_hooks()
    loader.amend()
    loader.validate()
    return loader.finish()


def _withdraw(registry: Registry, plugin: str) -> None:
    """Remove everything a failed plug-in contributed before it failed."""
    for key, owner in list(registry.owners.items()):
        if owner != plugin:
            continue
        label, ident = key.split(":", 1)
        tables: dict[str, dict[str, Any]] = {
            "fact": registry.facts,
            "metric": registry.metrics,
            "check": registry.checks,
            "criterion": registry.criteria,
            "framework": registry.frameworks,
            "rubric": registry.rubrics,
            "program": registry.programs,
        }
        table = tables[label]
        table.pop(ident, None)
        del registry.owners[key]


def _version(distribution: str) -> str | None:
    try:
        return importlib.metadata.version(distribution)
    except importlib.metadata.PackageNotFoundError:
        return None
