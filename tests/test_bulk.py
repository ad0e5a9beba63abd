"""Bulk decisions and quotes: equal to the one-at-a-time API, streamed, set up once."""

from __future__ import annotations

import datetime as dt
import importlib.util
import io
import itertools
import json
import re
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorcore import bulk
from mentorcore.bulk import (
    DecisionFailure,
    QuoteFailure,
    decide_many,
    iter_people,
    progress,
    quote_many,
    with_people,
)
from mentorcore.errors import (
    InputError,
    MentorcoreError,
    PluginError,
    PluginFactError,
    RuleError,
    UnknownIdError,
)
from mentorcore.hookspecs import hookimpl
from mentorcore.io.loaders import iter_csv_people, load_program
from mentorcore.people import Leader, Mentor, Person, Role, School, Sector
from mentorcore.programs import Program
from mentorcore.registry import Registry, load_registry
from mentorcore.rules import compiled
from mentorcore.rules.conditions import OPERATORS, AllOf, AnyOf, Compare, Condition, Not
from mentorcore.rules.eligibility import EligibilityRule, Outcome
from mentorcore.rules.facts import Fact
from mentorcore.rules.parameters import DatedValue, Parameter

ROOT = Path(__file__).resolve().parent.parent


def _benchmark() -> ModuleType:
    spec = importlib.util.spec_from_file_location("bulk_benchmark", ROOT / "benchmarks" / "bulk.py")
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


BENCHMARK = _benchmark()


class ProgramPlugin:
    """A test plug-in contributing the programs and facts it is given."""

    def __init__(self, *programs: Program, facts: tuple[Fact, ...] = ()) -> None:
        self.programs = programs
        self.facts = facts

    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        for program in self.programs:
            register(program)

    @hookimpl
    def register_facts(self, register: Callable[[Fact], None]) -> None:
        for fact in self.facts:
            register(fact)


def _ipa_programs() -> list[Program]:
    """The benchmark's mirror of IPA's rules, and the IPA plug-in's program when installed."""
    programs = [load_program("ipa_mirror.toml", BENCHMARK.IPA_MIRROR)]
    try:
        from mentorcore_ipa.plugin import load_ipa_program
    except ImportError:
        pass
    else:
        programs.append(load_ipa_program())
    return programs


IPA_PROGRAMS = _ipa_programs()


@pytest.fixture(scope="module")
def ipa() -> Registry:
    return load_registry([ProgramPlugin(*IPA_PROGRAMS)], entry_points=False)


# -- strategies ---------------------------------------------------------------

DATES = st.dates(dt.date(2019, 1, 1), dt.date(2026, 12, 31))
WORDS = st.sampled_from(["ipa", "acsa", "principal_license", "certified_coach", "x"])
SCHOOLS = st.one_of(
    st.none(),
    st.builds(
        School,
        name=st.just("Lincoln Elementary"),
        state=st.sampled_from(["IL", "WI", "CA", "GA"]),
        sector=st.sampled_from(list(Sector)),
        level=st.sampled_from([None, "elementary", "high"]),
    ),
)


@st.composite
def people(draw: st.DrawFn, ident: int = 0) -> Person:
    """A leader or a mentor with the fields IPA's and the random rules read."""
    common: dict[str, Any] = {
        "id": f"p{ident}-{draw(st.integers(0, 10**6))}",
        "name": "Someone",
        "role": draw(st.sampled_from(list(Role))),
        "first_time_in_role": draw(st.booleans()),
        "memberships": tuple(draw(st.lists(WORDS, max_size=2))),
        "school": draw(SCHOOLS),
        "region": draw(st.sampled_from([None, "north", "south"])),
    }
    if draw(st.integers(0, 4)) == 0:
        return Mentor(
            **common,
            role_started=draw(st.one_of(st.none(), DATES)),
            credentials=tuple(draw(st.lists(WORDS, max_size=2))),
            years_as_leader=draw(st.integers(0, 30)),
            years_as_principal=draw(st.integers(0, 30)),
        )
    return Leader(**common, role_started=draw(DATES))


COHORTS = st.lists(people(), min_size=1, max_size=25)

FACT_VALUES: dict[str, st.SearchStrategy[Any]] = {
    "role": st.sampled_from([r.value for r in Role]),
    "first_time_in_role": st.booleans(),
    "in_first_school_year": st.booleans(),
    "school.state": st.sampled_from(["IL", "WI", "CA"]),
    "school.sector": st.sampled_from([s.value for s in Sector]),
    "memberships": st.sampled_from(["ipa", "acsa"]),
    "years_in_role": st.integers(0, 6),
    "years_as_leader": st.integers(0, 20),
    "credentials": st.sampled_from(["principal_license", "certified_coach"]),
    "region": st.sampled_from(["north", "south"]),
    "school_year": st.sampled_from(["2022-2023", "2023-2024"]),
    "role_started": DATES,
}


@st.composite
def leaves(draw: st.DrawFn) -> Compare:
    """A comparison of a core fact, or of the test parameter ``offer``."""
    if draw(st.integers(0, 5)) == 0:
        unknown = draw(st.sampled_from(["", "no offer is known for {school_year} ({date})"]))
        return Compare(
            op="equals", value=True, parameter="offer", says="an offer runs", unknown=unknown
        )
    fact = draw(st.sampled_from(sorted(FACT_VALUES)))
    op = draw(st.sampled_from(sorted(OPERATORS)))
    values = FACT_VALUES[fact]
    value = tuple(draw(st.lists(values, max_size=3))) if op in ("in", "not_in") else draw(values)
    says = draw(st.sampled_from(["", f"{fact} holds"]))
    return Compare(op=op, value=value, fact=fact, says=says)


CONDITIONS: st.SearchStrategy[Condition] = st.recursive(
    leaves(),
    lambda children: st.one_of(
        st.builds(lambda c: AllOf(conditions=tuple(c)), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda c: AnyOf(conditions=tuple(c)), st.lists(children, min_size=1, max_size=3)),
        st.builds(lambda c: Not(condition=c), children),
    ),
    max_leaves=8,
)

OFFER = Parameter(
    id="offer",
    title="An offer that runs for two school years",
    values=(
        DatedValue(start=dt.date(2022, 7, 1), value=True),
        DatedValue(start=dt.date(2024, 7, 1)),
    ),
)


def _random_program(conditions: list[Condition]) -> Program:
    outcomes = [
        Outcome(id=f"o{index}", title=f"Outcome {index}", eligible=index % 2 == 0, when=condition)
        for index, condition in enumerate(conditions)
    ]
    outcomes.append(Outcome(id="otherwise", title="Otherwise", eligible=False))
    rule = EligibilityRule(id="r", title="Random rule", outcomes=tuple(outcomes), subject="person")
    return Program(
        id="random", title="Random", organization="Tests", parameters=(OFFER,), eligibility=(rule,)
    )


def _outcome_of(call: Callable[..., Any], *args: Any, **kwargs: Any) -> Any:
    """The value of ``call(*args, **kwargs)``, or the type and message of the error it raised."""
    try:
        return call(*args, **kwargs)
    except MentorcoreError as exc:
        return (type(exc), str(exc))


def _until_error(stream: Iterator[Any]) -> list[Any]:
    """The results of a stream up to and including its first error (as type and message)."""
    results: list[Any] = []
    while True:
        try:
            results.append(next(stream))
        except StopIteration:
            return results
        except MentorcoreError as exc:
            results.append((type(exc), str(exc)))
            return results


def _assert_streams_as(stream: Iterator[Any], expected: list[Any]) -> None:
    """The stream gives the expected results, and stops exactly at the first expected error."""
    results = _until_error(stream)
    first_error = next((i for i, e in enumerate(expected) if isinstance(e, tuple)), len(expected))
    assert results == expected[: first_error + 1]


# -- equal to registry.decide and registry.quote ------------------------------


@settings(max_examples=60, deadline=None)
@given(cohort=COHORTS, on=DATES, which=st.sampled_from(range(len(IPA_PROGRAMS))))
def test_every_bulk_decision_equals_the_registry_decision_for_ipa(
    ipa: Registry, cohort: list[Person], on: dt.date, which: int
) -> None:
    program = IPA_PROGRAMS[which].id
    expected = [_outcome_of(ipa.decide, program, p, on) for p in cohort]
    _assert_streams_as(decide_many(ipa, program, cohort, on), expected)


@settings(max_examples=40, deadline=None)
@given(
    cohort=COHORTS,
    on=st.dates(dt.date(2021, 7, 1), dt.date(2026, 12, 31)),
    hours=st.sampled_from([20, 40, 60]),
    which=st.sampled_from(range(len(IPA_PROGRAMS))),
)
def test_every_bulk_quote_equals_the_registry_quote_or_names_why_not(
    ipa: Registry, cohort: list[Person], on: dt.date, hours: int, which: int
) -> None:
    program = IPA_PROGRAMS[which].id
    for person, result in zip(cohort, quote_many(ipa, program, cohort, hours, on), strict=True):
        expected = _outcome_of(ipa.quote, program, person, hours, on)
        if isinstance(result, QuoteFailure):
            assert expected == (RuleError, result.reason)
            assert (result.person, result.program, result.on, result.hours) == (
                person.id,
                program,
                on,
                hours,
            )
        else:
            assert result == expected


@settings(max_examples=150, deadline=None)
@given(
    conditions=st.lists(CONDITIONS, min_size=1, max_size=3),
    cohort=COHORTS,
    on=DATES,
)
def test_compiled_rules_decide_as_the_interpreter_for_any_condition(
    conditions: list[Condition], cohort: list[Person], on: dt.date
) -> None:
    program = _random_program(conditions)
    registry = load_registry([ProgramPlugin(program)], entry_points=False)
    expected = [_outcome_of(registry.decide, program, p, on, rule="r") for p in cohort]
    _assert_streams_as(decide_many(registry, program, cohort, on, rule="r"), expected)


def test_a_small_cache_limit_changes_nothing(
    ipa: Registry, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(compiled, "CACHE_LIMIT", 2)
    monkeypatch.setattr(bulk, "CACHE_LIMIT", 2)
    leaders = BENCHMARK.synthetic_leaders(300)
    on = dt.date(2023, 9, 15)
    program = IPA_PROGRAMS[0].id
    assert list(decide_many(ipa, program, leaders, on)) == [
        ipa.decide(program, p, on) for p in leaders
    ]
    assert list(quote_many(ipa, program, leaders, 40, on)) == [
        _outcome_of(ipa.quote, program, p, 40, on)
        if p.role in _LEADERS
        else QuoteFailure(
            program=program,
            person=p.id,
            on=on,
            hours=40,
            reason=_outcome_of(ipa.quote, program, p, 40, on)[1],
        )
        for p in leaders
    ]


_LEADERS = {
    Role.PRINCIPAL,
    Role.ASSISTANT_PRINCIPAL,
    Role.ASSOCIATE_PRINCIPAL,
    Role.DEAN,
    Role.DIRECTOR,
}


def test_the_benchmark_baselines_compute_what_the_bulk_api_computes(ipa: Registry) -> None:
    on = dt.date(2023, 9, 15)
    for program in IPA_PROGRAMS:
        leaders = BENCHMARK.synthetic_leaders(500)
        for person, decision in zip(
            leaders, decide_many(ipa, program.id, leaders, on), strict=True
        ):
            assert BENCHMARK.baseline_decide(person, on) == decision.outcome
            note = BENCHMARK.not_eligible_note(program)
            notes = BENCHMARK.reading_notes(program)
            assert BENCHMARK.baseline_explained(person, on, note, notes) == (
                decision.outcome,
                decision.eligible,
                decision.explanation,
            )


# -- what the seeds say, through the bulk API ---------------------------------


def test_a_first_year_principal_in_an_illinois_charter_school_gets_free_mentoring_in_2023_2024(
    ipa: Registry,
) -> None:
    ada = Leader(
        id="ada",
        name="Ada Park",
        role=Role.PRINCIPAL,
        role_started=dt.date(2023, 8, 1),
        first_time_in_role=True,
        school=School(name="Noble", state="IL", sector=Sector.CHARTER),
    )
    bo = Leader(
        id="bo",
        name="Bo Chen",
        role=Role.DEAN,
        role_started=dt.date(2023, 8, 1),
        memberships=("ipa",),
        school=School(name="St. Anne", state="IL", sector=Sector.PRIVATE),
    )
    on = dt.date(2023, 10, 1)
    for program in IPA_PROGRAMS:
        decisions = list(decide_many(ipa, program.id, [ada, bo], on))
        assert [(d.person, d.outcome) for d in decisions] == [("ada", "free"), ("bo", "paid")]
        quotes = list(quote_many(ipa, program.id, [ada, bo], 40, on))
        assert [
            (q.person, str(q.amount), q.basis) for q in quotes if not isinstance(q, QuoteFailure)
        ] == [
            ("ada", "0.00", "free"),
            ("bo", "2999.00", "member"),
        ]


def test_someone_who_cannot_be_quoted_yields_a_failure_and_the_stream_goes_on(
    ipa: Registry,
) -> None:
    teacher = Leader(id="tl", name="T", role=Role.TEACHER_LEADER, role_started=dt.date(2023, 8, 1))
    dean = Leader(id="dn", name="D", role=Role.DEAN, role_started=dt.date(2023, 8, 1))
    on = dt.date(2023, 10, 1)
    failure, quote = quote_many(ipa, IPA_PROGRAMS[0].id, [teacher, dean], 20, on)
    assert isinstance(failure, QuoteFailure)
    assert failure.person == "tl"
    assert failure.error == "RuleError"
    assert "no quote" in failure.reason and "Not eligible" in failure.reason
    assert not isinstance(quote, QuoteFailure)
    assert (quote.person, str(quote.amount), quote.basis) == ("dn", "2629.00", "non_member")


def test_a_fact_that_fails_for_one_person_fails_only_their_quote() -> None:
    def fragile(person: Person, _on: dt.date) -> bool:
        if person.id == "bad":
            raise ValueError("the export has no start date")
        return person.id != "out"

    program = load_program(
        "fragile.toml",
        """
id = "fragile"
title = "Fragile"
organization = "Tests"
[[eligibility]]
id = "r"
title = "R"
[[eligibility.outcomes]]
id = "paid"
title = "Paid"
eligible = true
when = { fact = "tests.fragile", equals = true }
[[eligibility.outcomes]]
id = "no"
title = "No"
eligible = false
[pricing]
eligibility = "r"
refuse_outcomes = ["no"]
[pricing.table]
id = "t"
currency = "USD"
[[pricing.table.schedules]]
start = 2020-01-01
packages = [{ hours = 10, prices = { standard = "100" } }]
[[pricing.bases]]
id = "standard"
title = "standard"
""",
    )
    fact = Fact(id="tests.fragile", description="fails for one person", function=fragile)
    registry = load_registry([ProgramPlugin(program, facts=(fact,))], entry_points=False)
    cohort = [
        Leader(id=name, name=name, role=Role.DEAN, role_started=dt.date(2023, 8, 1))
        for name in ("a", "bad", "c")
    ]
    on = dt.date(2024, 1, 1)
    results = list(quote_many(registry, "fragile", cohort, 10, on))
    assert [type(r).__name__ for r in results] == ["Quote", "QuoteFailure", "Quote"]
    with pytest.raises(RuleError) as raised:
        registry.quote("fragile", cohort[1], 10, on)
    assert results[1] == QuoteFailure(
        program="fragile",
        person="bad",
        on=on,
        hours=10,
        reason=str(raised.value),
        error="RuleError",
    )
    assert "the export has no start date" in results[1].reason
    # a plug-in's fact: the error is also a PluginError naming the plug-in, the fact and the person
    assert isinstance(raised.value, PluginError) and isinstance(raised.value, PluginFactError)
    assert (raised.value.fact, raised.value.person) == ("tests.fragile", "bad")
    assert f"plug-in {raised.value.plugin!r}" in results[1].reason
    stream = decide_many(registry, "fragile", cohort, on)
    assert next(stream).outcome == "paid"
    with pytest.raises(RuleError, match=r"'tests\.fragile' could not be computed for 'bad'"):
        next(stream)
    # with failures=True the person is reported and the stream goes on, as quote_many does
    reported = list(decide_many(registry, "fragile", cohort, on, failures=True))
    assert [type(r).__name__ for r in reported] == ["Decision", "DecisionFailure", "Decision"]
    assert reported[1] == DecisionFailure(
        program="fragile", person="bad", on=on, reason=results[1].reason, error="RuleError"
    )
    # a fault, not an answer; a person whose outcome the pricing refuses is an answer
    assert results[1].refused is False
    out = Leader(id="out", name="out", role=Role.DEAN, role_started=dt.date(2023, 8, 1))
    [refusal] = quote_many(registry, "fragile", [out], 10, on)
    assert isinstance(refusal, QuoteFailure) and refusal.refused is True
    assert refusal.reason.startswith("out: no quote: ")


# -- set-up once, errors at once, streaming -----------------------------------


def test_set_up_errors_are_raised_before_any_person_is_read(ipa: Registry) -> None:
    def untouchable() -> Iterator[Person]:
        raise AssertionError("no person should be read")
        yield  # pragma: no cover

    program = IPA_PROGRAMS[0].id
    on = dt.date(2023, 10, 1)
    with pytest.raises(UnknownIdError, match="unknown program 'nope'"):
        decide_many(ipa, "nope", untouchable(), on)
    with pytest.raises(UnknownIdError, match="eligibility rule"):
        decide_many(ipa, program, untouchable(), on, rule="nope")
    with pytest.raises(InputError, match=r"30 hours.*20, 40, 60 hours"):
        quote_many(ipa, program, untouchable(), 30, on)
    with pytest.raises(MentorcoreError, match="no value in force"):
        quote_many(ipa, program, untouchable(), 40, dt.date(2019, 1, 1))


def test_people_are_read_one_at_a_time(ipa: Registry) -> None:
    read: list[str] = []

    def cohort() -> Iterator[Person]:
        for index in itertools.count():
            read.append(str(index))
            yield Leader(id=str(index), name="N", role=Role.DEAN, role_started=dt.date(2023, 8, 1))

    stream = decide_many(ipa, IPA_PROGRAMS[0].id, cohort(), dt.date(2023, 10, 1))
    first = next(stream)
    assert first.person == "0"
    assert read == ["0"]


def test_people_stream_from_a_csv_file_into_decisions(ipa: Registry, tmp_path: Path) -> None:
    path = tmp_path / "people.csv"
    rows = [
        "kind,id,name,role,role_started,first_time_in_role,school_name,school_state,school_sector"
    ]
    rows += [f",l{i},Leader {i},principal,2023-08-01,true,Lincoln,IL,public" for i in range(50)]
    rows.append("mentor,m1,Mentor,principal,,,,,")
    path.write_text("\n".join(rows) + "\n", encoding="utf-8")
    people = list(iter_csv_people(path))
    decisions = _until_error(
        decide_many(ipa, IPA_PROGRAMS[0].id, iter_csv_people(path), dt.date(2023, 10, 1))
    )
    assert len(people) == 51
    assert {d.outcome for d in decisions[:50]} == {"free"}
    expected = [
        _outcome_of(ipa.decide, IPA_PROGRAMS[-1].id, p, dt.date(2023, 10, 1)) for p in people
    ]
    _assert_streams_as(
        decide_many(ipa, IPA_PROGRAMS[-1].id, iter_csv_people(path), dt.date(2023, 10, 1)), expected
    )


def test_mentors_and_leaders_each_get_their_own_rule(ipa: Registry) -> None:
    real = [p for p in IPA_PROGRAMS if any(r.subject == "mentor" for r in p.eligibility)]
    if not real:
        pytest.skip("the IPA plug-in (with a mentor rule) is not installed")
    mentor = Mentor(
        id="mo",
        name="Mo",
        role=Role.PRINCIPAL,
        credentials=("principal_license",),
        years_as_leader=10,
        years_as_principal=5,
    )
    leader = Leader(id="ada", name="Ada", role=Role.DEAN, role_started=dt.date(2023, 8, 1))
    on = dt.date(2023, 10, 1)
    decisions = list(decide_many(ipa, real[0].id, [mentor, leader, mentor], on))
    assert decisions == [ipa.decide(real[0].id, p, on) for p in (mentor, leader, mentor)]
    assert decisions[0].rule != decisions[1].rule


def test_progress_counts_what_passes_through() -> None:
    ticks = iter(range(100))
    stream = io.StringIO()
    items = list(progress(range(5), stream, every=1.0, clock=lambda: float(next(ticks))))
    assert items == [0, 1, 2, 3, 4]
    text = stream.getvalue()
    assert "\r3 people" in text
    assert text.endswith("5 people in 6.0 s\n")


# -- start-up: nothing heavy, nothing early -------------------------------------


def _in_a_fresh_interpreter(code: str) -> str:
    import subprocess
    import sys

    result = subprocess.run(
        [sys.executable, "-c", code], capture_output=True, text=True, check=True
    )
    return result.stdout.strip()


def test_import_mentorcore_and_loading_every_plugin_import_no_numpy_scipy_or_sphinx() -> None:
    code = (
        "import sys, mentorcore\n"
        "registry = mentorcore.load_registry()\n"
        "assert registry.programs or True\n"
        "print(sorted(m for m in ('numpy', 'scipy', 'sphinx') if m in sys.modules))"
    )
    assert _in_a_fresh_interpreter(code) == "[]"


def test_import_mentorcore_imports_none_of_its_modules_until_a_name_is_used() -> None:
    code = (
        "import sys, mentorcore\n"
        "before = sorted(m for m in sys.modules if m.startswith('mentorcore.'))\n"
        "mentorcore.Leader\n"
        "print(before, 'mentorcore.people' in sys.modules)"
    )
    assert _in_a_fresh_interpreter(code) == "[] True"


def test_every_public_name_of_mentorcore_resolves() -> None:
    import mentorcore

    missing = [name for name in mentorcore.__all__ if getattr(mentorcore, name, None) is None]
    assert missing == []
    assert set(mentorcore.__all__) <= set(dir(mentorcore))
    with pytest.raises(AttributeError, match="no attribute 'nope'"):
        mentorcore.nope  # type: ignore[attr-defined]  # noqa: B018


def test_with_people_pairs_each_result_with_its_person_as_they_stream(ipa: Registry) -> None:
    leaders = BENCHMARK.synthetic_leaders(20)
    on = dt.date(2023, 10, 1)
    program = IPA_PROGRAMS[0].id
    pairs = list(with_people(iter(leaders), lambda p: decide_many(ipa, program, p, on)))
    assert [person for person, _ in pairs] == leaders
    assert all(decision.person == person.id for person, decision in pairs)


def test_iter_people_streams_a_csv_file_and_reads_toml_whole(tmp_path: Path) -> None:
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(
        "id,name,role,role_started\na,A,dean,2023-08-01\nb,B,dean,nope\n", encoding="utf-8"
    )
    stream = iter_people(csv_file)
    assert next(stream).id == "a"
    with pytest.raises(InputError, match=r"people\.csv:line 3: column role_started"):
        next(stream)
    toml_file = tmp_path / "people.toml"
    toml_file.write_text(
        '[[leaders]]\nid = "a"\nname = "A"\nrole = "dean"\nrole_started = 2023-08-01\n',
        encoding="utf-8",
    )
    assert [p.id for p in iter_people(toml_file)] == ["a"]


# -- the command line: CSV in, JSON Lines out, progress on a terminal ----------

CSV_HEADER = "id,name,role,role_started,first_time_in_role,memberships,school_name,school_state,school_sector"


@pytest.fixture
def cli(ipa: Registry) -> Registry:
    """The registry the command-line tests hand to ``main`` (IPA's rules)."""
    return ipa


def _csv_file(tmp_path: Path, rows: list[str]) -> Path:
    path = tmp_path / "people.csv"
    path.write_text("\n".join([CSV_HEADER, *rows]) + "\n", encoding="utf-8")
    return path


def test_eligibility_streams_a_csv_file_as_json_lines(
    cli: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mentorcore.cli.main import main
    from mentorcore.output import to_data

    rows = [f"l{i},Leader {i},principal,2023-08-01,true,,Lincoln,IL,public" for i in range(30)]
    rows.append("dn,Dean,dean,2023-08-01,false,ipa,St. Anne,IL,private")
    path = _csv_file(tmp_path, rows)
    program = IPA_PROGRAMS[0].id
    assert (
        main(["eligibility", program, str(path), "--on", "2023-10-01", "--jsonl"], registry=cli)
        == 0
    )
    captured = capsys.readouterr()
    lines = [json.loads(line) for line in captured.out.splitlines()]
    people = list(iter_csv_people(path))
    assert lines == [to_data(cli.decide(program, p, dt.date(2023, 10, 1))) for p in people]
    assert [line["outcome"] for line in lines] == ["free"] * 30 + ["paid"]
    assert captured.err == ""  # no progress when stderr is not a terminal


def test_a_bad_row_stops_the_run_at_its_line_and_column_after_the_rows_before_it(
    cli: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mentorcore.cli.main import main

    rows = [f"l{i},Leader {i},dean,2023-08-01,false,,Lincoln,IL,public" for i in range(416)]
    rows.append("bad,Bad,principal,2023-08-01,true,,St. Anne,IL,parochial")
    path = _csv_file(tmp_path, rows)
    assert main(["eligibility", IPA_PROGRAMS[0].id, str(path), "--jsonl"], registry=cli) == 2
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 416
    assert captured.err.strip() == (
        f"mentorcore: error: {path}:line 418: column school_sector: found 'parochial', "
        "expected one of public, charter, private"
    )
    assert "Traceback" not in captured.err


def test_quote_streams_a_csv_file_and_names_who_cannot_be_quoted(
    cli: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from mentorcore.cli.main import main

    rows = [
        "ada,Ada,principal,2023-08-01,true,,Lincoln,IL,charter",
        "bo,Bo,dean,2023-08-01,false,ipa,St. Anne,IL,private",
        "cy,Cy,teacher_leader,2023-08-01,false,,Lincoln,IL,public",
    ]
    path = _csv_file(tmp_path, rows)
    argv = ["quote", IPA_PROGRAMS[0].id, str(path), "--hours", "40", "--on", "2023-10-01"]
    assert main([*argv, "--jsonl"], registry=cli) == 0
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [(x["person"], x["amount"], x["basis"]) for x in lines] == [
        ("ada", "0.00", "free"),
        ("bo", "2999.00", "member"),
        ("cy", None, None),
    ]
    assert "no quote" in lines[2]["error"]
    assert main([*argv, "--json"], registry=cli) == 0
    assert json.loads(capsys.readouterr().out) == lines
    assert main(argv, registry=cli) == 0
    text = capsys.readouterr().out
    assert "Bo (bo): 2999.00 USD, the member price" in text  # the basis in words
    assert "Cy (cy): no quote" in text


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_progress_is_shown_on_stderr_when_it_is_a_terminal(
    cli: Registry,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    import sys

    from mentorcore.cli.main import main

    rows = [f"l{i},Leader {i},dean,2023-08-01,false,,Lincoln,IL,public" for i in range(5)]
    path = _csv_file(tmp_path, rows)
    terminal = _Terminal()
    monkeypatch.setattr(sys, "stderr", terminal)
    assert main(["eligibility", IPA_PROGRAMS[0].id, str(path), "--jsonl"], registry=cli) == 0
    assert len(capsys.readouterr().out.splitlines()) == 5
    assert re.search(r"\r5 people in \d+\.\d s\n$", terminal.getvalue())
