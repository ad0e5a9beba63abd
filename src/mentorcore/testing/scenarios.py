"""Scenario files: a subject, a date and the expected result, run as tests.

A scenario file is TOML. Its top level says which program and plug-ins the
scenarios run against; each ``[[scenario]]`` names a subject (a leader or a
mentor, an engagement, or an assessment), a date, and what is expected::

    program = "ipa"
    plugins = ["ipa"]            # installed plug-ins (entry-point names) to load
    # modules = ["mentorcore_ipa.plugin"]   # or plug-in modules to register directly
    people = "people.toml"       # optional, relative to this file
    conformance = true           # also check the program's conformance

    [[scenario]]
    name = "a first-year principal in an Illinois charter school gets free mentoring"
    on = 2023-09-15
    leader = "ada"               # an id of the people file, or an inline table
    expect = { outcome = "free", eligible = true }

    [[scenario]]
    name = "a non-member pays the non-member price for 40 hours"
    on = 2024-09-01
    leader = "grace"
    hours = 40
    expect = { amount = "4499.00", basis = "non_member" }

What may be expected depends on the subject:

* a leader or mentor (eligibility): ``outcome``, ``eligible``, ``explanation``
  (phrases the explanation must contain), ``possible`` (the outcome ids that
  would hold if the unknown values turned out in their favour, in order),
  ``defaults`` (phrases each found in a default the decision rests on, its
  ``what`` or ``note``); with ``hours``, a quote: ``amount``, ``basis``,
  ``currency`` and ``provisional`` too;
* an ``engagement`` (a file path or an inline table, checked on the date):
  ``status``, ``findings`` (requirement id → ``met``/``at_risk``/``not_met``),
  ``details`` (requirement id → a phrase its finding's detail must contain),
  ``phase`` (the phase reached; ``""`` for none), ``cycle``, ``allowed`` and
  ``refused`` (task ids whose next step is or is not allowed);
* an ``assessment`` (an inline table, read on the date): ``levels`` (item →
  current level; ``""`` for unrated) and ``next_levels`` (item → next level;
  ``""`` at the top);
* any subject: ``error``, a phrase the error raised must contain (and then
  nothing else).

The schema is strict: an unknown key, a misspelled one, or an expectation
that does not fit the subject is an error naming the file and the path. Every
expectation is checked, and a failure lists every mismatch, not the first.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping, Sequence
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
from attrs import field, frozen

from mentorcore.checking import check_engagement
from mentorcore.engagements import Engagement
from mentorcore.errors import Described, InputError, MentorcoreError
from mentorcore.frameworks import Assessment, summarize
from mentorcore.io.converter import structure
from mentorcore.io.loaders import (
    People,
    engagement_from_data,
    load_engagement,
    load_people,
    read_data,
)
from mentorcore.people import Leader, Mentor
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.requirements import Status
from mentorcore.validation import non_empty

__all__ = [
    "Expect",
    "Scenario",
    "ScenarioFile",
    "is_scenario_file",
    "load_scenario_file",
    "registry_for",
    "run_scenario",
]

_DECISION = frozenset({"outcome", "eligible", "explanation", "possible", "defaults"})
_QUOTE = _DECISION | {"amount", "basis", "currency", "provisional"}
_ENGAGEMENT = frozenset({"status", "findings", "details", "phase", "cycle", "allowed", "refused"})
_ASSESSMENT = frozenset({"levels", "next_levels"})


def is_scenario_file(path: Path) -> bool:
    """Whether a file is a scenario file by its name: ``scenario_*.toml`` or ``*.scenario.toml``."""
    name = path.name
    return name.endswith(".scenario.toml") or (
        name.startswith("scenario_") and name.endswith(".toml")
    )


@frozen(kw_only=True)
class Expect:
    """What a scenario expects; only the fields given are checked, and all of them are."""

    outcome: str | None = None
    eligible: bool | None = None
    explanation: tuple[str, ...] = ()
    possible: tuple[str, ...] = ()
    defaults: tuple[str, ...] = ()
    amount: Decimal | None = None
    basis: str | None = None
    currency: str | None = None
    provisional: bool | None = None
    status: Status | None = None
    findings: dict[str, Status] = field(factory=dict)
    details: dict[str, str] = field(factory=dict)
    phase: str | None = None
    cycle: int | None = None
    allowed: tuple[str, ...] = ()
    refused: tuple[str, ...] = ()
    levels: dict[str, str] = field(factory=dict)
    next_levels: dict[str, str] = field(factory=dict)
    error: str | None = None

    def given(self) -> set[str]:
        """The names of the expectations set."""
        empty: tuple[Any, ...] = (None, (), {})
        return {a.name for a in attrs.fields(Expect) if getattr(self, a.name) not in empty}


@frozen(kw_only=True)
class Scenario:
    """One scenario: a name, a date, exactly one subject, and what is expected.

    ``leader``/``mentor`` are a people-file id or an inline person table;
    ``engagement`` is a file path (relative to the scenario file) or an
    inline table; ``assessment`` an inline table. ``rule`` and ``kind``
    choose the eligibility rule; ``hours`` asks for a quote.
    """

    name: str = field(validator=non_empty)
    on: dt.date
    expect: Expect
    leader: Any = None
    mentor: Any = None
    engagement: Any = None
    assessment: Any = None
    hours: int | None = None
    rule: str | None = None
    kind: str | None = None


@frozen(kw_only=True)
class ScenarioFile:
    """A scenario file: the program, the plug-ins to load, optional people, the scenarios."""

    program: str = field(validator=non_empty)
    scenario: tuple[Scenario, ...]
    plugins: tuple[str, ...] | None = None
    modules: tuple[str, ...] = ()
    people: str | None = None
    conformance: bool = False
    path: str = ""

    @property
    def directory(self) -> Path:
        """The directory relative paths in the file start from."""
        return Path(self.path).parent

    def entry_points(self) -> tuple[str, ...]:
        """The installed plug-ins to load: ``plugins``, else the program's id (unless modules)."""
        if self.plugins is not None:
            return self.plugins
        return () if self.modules else (self.program,)

    def load_people(self) -> People | None:
        """The people file, if the scenario file names one."""
        return load_people(self.directory / self.people) if self.people else None


def _subject(scenario: Scenario) -> str:
    given = [
        name for name in ("leader", "mentor", "engagement", "assessment")
        if getattr(scenario, name) is not None
    ]  # fmt: skip
    if len(given) != 1:
        raise InputError(
            found=Described(f"subjects {', '.join(given) or 'none'}"),
            expected="exactly one of leader, mentor, engagement, assessment",
        )
    return given[0]


def _check_fits(scenario: Scenario, path: str, file: str) -> None:
    subject = _subject_at(scenario, path, file)
    given = scenario.expect.given()
    if not given:
        raise InputError(
            file=file,
            path=f"{path}.expect",
            found=Described("nothing"),
            expected="at least one expectation",
        )
    if "error" in given and given != {"error"}:
        others = sorted(given - {"error"})
        raise InputError(
            file=file, path=f"{path}.expect.{others[0]}",
            found=Described(f"{others[0]!r} beside 'error'"), expected="'error' alone",
        )  # fmt: skip
    if subject in ("leader", "mentor"):
        allowed = _QUOTE if scenario.hours is not None else _DECISION
        words = "a quote (hours given)" if scenario.hours is not None else "a decision"
    elif subject == "engagement":
        allowed, words = _ENGAGEMENT, "an engagement"
    else:
        allowed, words = _ASSESSMENT, "an assessment"
    wrong = sorted(given - allowed - {"error"})
    if wrong:
        raise InputError(
            file=file, path=f"{path}.expect.{wrong[0]}",
            found=Described(f"{wrong[0]!r}"),
            expected=f"an expectation of {words}: one of {', '.join(sorted(allowed))}",
        )  # fmt: skip
    if scenario.hours is not None and subject not in ("leader", "mentor"):
        raise InputError(
            file=file,
            path=f"{path}.hours",
            found=scenario.hours,
            expected="hours only with a leader or mentor",
        )
    if (scenario.rule or scenario.kind) and subject not in ("leader", "mentor"):
        raise InputError(
            file=file,
            path=f"{path}.rule",
            found=scenario.rule or scenario.kind,
            expected="rule and kind only with a leader or mentor",
        )


def _subject_at(scenario: Scenario, path: str, file: str) -> str:
    try:
        return _subject(scenario)
    except InputError as exc:
        raise exc.located(file=file, prefix=path) from None


def load_scenario_file(path: str | Path) -> ScenarioFile:
    """Read and check a scenario file; any fault is an :class:`InputError` with its path."""
    name = str(path)
    data = read_data(path)
    if isinstance(data, dict) and "scenario" not in data:
        raise InputError(
            "missing required field 'scenario' (an array of [[scenario]] tables)", file=name
        )
    loaded = structure(data, ScenarioFile, file=name)
    for index, scenario in enumerate(loaded.scenario):
        _check_fits(scenario, f"scenario[{index}]", name)
    from attrs import evolve

    return evolve(loaded, path=name)


_REGISTRIES: dict[tuple[tuple[str, ...], tuple[str, ...]], Registry] = {}


def registry_for(scenarios: ScenarioFile) -> Registry:
    """The registry a scenario file runs against (cached by plug-ins and modules).

    It loads, strictly, the installed plug-ins named in ``plugins`` and the
    modules named in ``modules``, and nothing else installed, so a local
    plug-in that amends the program does not change another's scenarios.
    """
    import importlib

    key = (scenarios.entry_points(), scenarios.modules)
    if key not in _REGISTRIES:
        objects = {name: importlib.import_module(name) for name in scenarios.modules}
        names = scenarios.entry_points()
        _REGISTRIES[key] = load_registry(
            objects, entry_points=bool(names), only=names, strict=True, refresh=True
        )
    return _REGISTRIES[key]


def _person(
    value: Any, cls: type[Leader | Mentor], people: People | None, file: str, path: str
) -> Leader | Mentor:
    if isinstance(value, str):
        if people is None:
            raise InputError(
                file=file,
                path=path,
                found=value,
                expected="an inline table, or an id with 'people' set",
            )
        person = people.person(value)
        if not isinstance(person, cls):
            raise InputError(
                file=file,
                path=path,
                found=Described(f"{value!r}, a {type(person).__name__.lower()}"),
                expected=f"a {cls.__name__.lower()}",
            )
        return person
    return structure(value, cls, file=file, path=path)


def _compare(label: str, expected: Any, actual: Any, problems: list[str]) -> None:
    if expected != actual:
        problems.append(f"{label}: expected {expected!r}, got {actual!r}")


def _words(value: Any) -> str:
    return format(value, "f") if isinstance(value, Decimal) else str(value)


def run_scenario(
    scenario: Scenario,
    registry: Registry,
    program: str,
    *,
    people: People | None = None,
    base: Path = Path(),
    file: str = "<scenario>",
    path: str = "scenario",
) -> list[str]:
    """Run one scenario; the mismatches in words (empty when every expectation holds).

    Errors in the scenario's own data (a bad inline table) raise
    :class:`InputError`; an error the library raises while deciding is a
    mismatch unless ``expect.error`` names it.
    """
    expect = scenario.expect
    subject = _subject_at(scenario, path, file)
    problems: list[str] = []
    act: Callable[[], Callable[[], None]]
    if subject in ("leader", "mentor"):
        cls: type[Leader | Mentor] = Leader if subject == "leader" else Mentor
        person = _person(getattr(scenario, subject), cls, people, file, f"{path}.{subject}")

        def act() -> Callable[[], None]:
            if scenario.hours is not None:
                quote = registry.quote(program, person, scenario.hours, scenario.on)
                decision = quote.decision
                explanation = quote.explanation
            else:
                decision = registry.decide(
                    program, person, scenario.on, rule=scenario.rule, kind=scenario.kind
                )
                explanation = decision.explanation

            def verify() -> None:
                if expect.outcome is not None:
                    _compare("outcome", expect.outcome, decision.outcome, problems)
                if expect.eligible is not None:
                    _compare("eligible", expect.eligible, decision.eligible, problems)
                for phrase in expect.explanation:
                    if phrase not in explanation:
                        problems.append(f"explanation: expected it to contain {phrase!r}")
                if expect.possible:
                    _compare("possible", list(expect.possible), list(decision.possible), problems)
                rested = [f"{d.what}: {d.note}" for d in decision.defaults]
                if scenario.hours is not None:
                    rested.extend(f"{d.what}: {d.note}" for d in quote.defaults)
                for phrase in expect.defaults:
                    if not any(phrase in words for words in rested):
                        problems.append(
                            f"defaults: expected one to contain {phrase!r}; they are "
                            f"{rested or 'none'}"
                        )
                if scenario.hours is not None:
                    if expect.amount is not None and expect.amount != quote.amount:
                        problems.append(
                            f"amount: expected {_words(expect.amount)}, got {_words(quote.amount)}"
                        )
                    if expect.basis is not None:
                        _compare("basis", expect.basis, quote.basis, problems)
                    if expect.currency is not None:
                        _compare("currency", expect.currency, quote.currency, problems)
                    if expect.provisional is not None:
                        _compare("provisional", expect.provisional, quote.provisional, problems)
                if problems:
                    problems.append(f"the explanation was: {explanation}")

            return verify

    elif subject == "engagement":
        engagement = _engagement(scenario.engagement, people, base, file, f"{path}.engagement")
        if engagement.program != program:
            raise InputError(
                file=file,
                path=f"{path}.engagement.program",
                found=engagement.program,
                expected=f"{program!r}, the program of this file",
            )

        def act() -> Callable[[], None]:
            checked = check_engagement(registry, engagement, scenario.on)

            def verify() -> None:
                if expect.status is not None:
                    _compare("status", expect.status.value, checked.status.value, problems)
                found = {f.requirement: f for f in checked.findings}
                for requirement, status in expect.findings.items():
                    if requirement not in found:
                        problems.append(
                            f"findings.{requirement}: no such finding; the findings are "
                            f"{', '.join(found) or 'none'}"
                        )
                    elif found[requirement].status is not status:
                        got = found[requirement]
                        problems.append(
                            f"findings.{requirement}: expected {status.value!r}, "
                            f"got {got.status.value!r} ({got.detail})"
                        )
                for requirement, phrase in expect.details.items():
                    if requirement not in found:
                        problems.append(
                            f"details.{requirement}: no such finding; the findings are "
                            f"{', '.join(found) or 'none'}"
                        )
                    elif phrase not in found[requirement].detail:
                        problems.append(
                            f"details.{requirement}: expected it to contain {phrase!r}, "
                            f"got {found[requirement].detail!r}"
                        )
                wants_process = (
                    expect.phase is not None
                    or expect.cycle is not None
                    or expect.allowed
                    or expect.refused
                )
                if wants_process and checked.progress is None:
                    problems.append(
                        f"kind {engagement.kind!r} has no process model: phase, cycle, "
                        "allowed and refused cannot be checked"
                    )
                elif checked.progress is not None:
                    state = checked.progress
                    if expect.phase is not None:
                        _compare("phase", expect.phase, state.phase or "", problems)
                    if expect.cycle is not None:
                        _compare("cycle", expect.cycle, state.cycle, problems)
                    steps = {step.task: step for step in state.next_steps}
                    for task in expect.allowed:
                        if task not in steps:
                            problems.append(
                                f"allowed: task {task!r} is not open (done already or unknown)"
                            )
                        elif not steps[task].allowed:
                            problems.append(
                                f"allowed: task {task!r} is refused: {steps[task].reason}"
                            )
                    for task in expect.refused:
                        if task not in steps:
                            problems.append(
                                f"refused: task {task!r} is not open (done already or unknown)"
                            )
                        elif steps[task].allowed:
                            problems.append(f"refused: task {task!r} is allowed")
                if problems:
                    problems.append(
                        "the findings were: "
                        + "; ".join(
                            f"{f.requirement} {f.status.value} ({f.detail})"
                            for f in checked.findings
                        )
                    )

            return verify

    else:
        assessment = _assessment(scenario.assessment, program, file, f"{path}.assessment")

        def act() -> Callable[[], None]:
            prog = registry.program(program)
            framework = registry.framework(assessment.framework, prog)
            rubric = registry.rubric(assessment.rubric, prog)
            summary = summarize(assessment, framework, rubric, scenario.on)

            def verify() -> None:
                for item, level in expect.levels.items():
                    try:
                        status = summary.status(item)
                    except MentorcoreError as exc:
                        problems.append(f"levels.{item}: {exc}")
                        continue
                    _compare(
                        f"levels.{item}",
                        level,
                        status.latest.level if status.latest else "",
                        problems,
                    )
                for item, level in expect.next_levels.items():
                    try:
                        status = summary.status(item)
                    except MentorcoreError as exc:
                        problems.append(f"next_levels.{item}: {exc}")
                        continue
                    _compare(
                        f"next_levels.{item}",
                        level,
                        status.next_level.id if status.next_level else "",
                        problems,
                    )

            return verify

    try:
        verify = act()
    except MentorcoreError as exc:
        if expect.error is None:
            problems.append(f"raised {type(exc).__name__}: {exc}")
        elif expect.error not in str(exc):
            problems.append(f"error: expected it to contain {expect.error!r}, got: {exc}")
        return problems
    if expect.error is not None:
        problems.append(
            f"error: expected an error containing {expect.error!r}, but none was raised"
        )
        return problems
    verify()
    return problems


def _engagement(value: Any, people: People | None, base: Path, file: str, path: str) -> Engagement:
    if isinstance(value, str):
        return load_engagement(base / value, people)
    if isinstance(value, Mapping):
        return engagement_from_data(value, f"{file}: {path}", people)
    raise InputError(
        file=file, path=path, found=value, expected="a file path or an inline engagement table"
    )


def _assessment(value: Any, program: str, file: str, path: str) -> Assessment:
    if not isinstance(value, Mapping):
        raise InputError(file=file, path=path, found=value, expected="an inline assessment table")
    data = dict(value)
    data.setdefault("program", program)
    data.setdefault("subject", "scenario")
    return structure(data, Assessment, file=file, path=path)


def scenario_line(text: str, scenario: Scenario) -> int:
    """The 0-based line of the scenario's ``name`` in the file text (0 if not found)."""
    lines: Sequence[str] = text.splitlines()
    for index, line in enumerate(lines):
        if line.lstrip().startswith("name") and scenario.name in line:
            return index
    return 0
