"""Bulk eligibility decisions: the bulk API beside a hand-written plain-Python baseline.

Run::

    .venv/bin/python benchmarks/bulk.py            # 10,000 and 100,000 leaders
    .venv/bin/python benchmarks/bulk.py --sizes 1000 --repeat 1

For each size it builds seeded synthetic leaders (the same every run), then
times, best of ``--repeat`` runs:

* ``bulk``: :func:`mentorcore.bulk.decide_many` over the IPA program: full
  :class:`~mentorcore.rules.eligibility.Decision` objects with every check and
  the explanation;
* ``baseline``: :func:`baseline_decide`, a plain-Python function a developer
  would write by hand for the same IPA rules, returning only the outcome;
* ``quotes``: :func:`mentorcore.bulk.quote_many` for a 40-hour package;
* ``registry.decide``: the one-person-at-a-time API, for scale.

Then, unless ``--tables 0``, :func:`tables_benchmark` decides 1,000,000
synthetic leaders (``--tables N``) from a Parquet file to a Parquet file with
:mod:`mentorcore.tables`, beside the CSV path (CSV file to CSV file through
:func:`mentorcore.bulk.iter_people` and :func:`~mentorcore.bulk.decide_many`)
over the same leaders in the same run.

It prints decisions per second and the ratio bulk / baseline time (target:
at most 3). The IPA program is the installed plug-in's when it is installed
(``mentorcore-ipa``), otherwise :data:`IPA_MIRROR`, a program defined here
with the same rules. Before timing, every synthetic leader's bulk outcome is
checked against the baseline's, so the two compute the same thing.
"""

from __future__ import annotations

import argparse
import datetime as dt
import random
import sys
import time
from collections.abc import Callable, Iterable, Sequence
from typing import Any

from mentorcore.bulk import decide_many, quote_many
from mentorcore.io.loaders import load_program
from mentorcore.people import Leader, Role, School, Sector
from mentorcore.programs import Program
from mentorcore.registry import Registry, load_registry

#: A program with IPA's rules as DOMAIN.md reads them from the seed, used when
#: the IPA plug-in is not installed. Its dates and prices are the seed's.
IPA_MIRROR = """
id = "ipa_mirror"
title = "IPA mentoring (benchmark mirror)"
organization = "Illinois Principals Association"

[[parameters]]
id = "free_first_year_mentoring"
title = "Free mentoring for first-time, first-year lead/head principals"
values = [
    { start = 2021-07-01, value = true },
    { start = 2022-07-01, value = true },
    { start = 2023-07-01, value = true },
    { start = 2024-07-01 },
]

[[eligibility]]
id = "ipa_mentoring"
title = "Free or paid IPA mentoring"

[[eligibility.outcomes]]
id = "free"
title = "Free mentoring"
eligible = true
when = { all = [
    { fact = "role", equals = "principal", says = "is a lead/head principal" },
    { fact = "first_time_in_role", equals = true, says = "is a principal for the first time" },
    { fact = "in_first_year_of_service", equals = true, says = "is in the first year of service (the 12 months from role_started)" },
    { fact = "school.state", equals = "IL", says = "leads a school in Illinois" },
    { fact = "school.sector", in = ["public", "charter"], says = "leads a public or public charter school" },
    { parameter = "free_first_year_mentoring", on_fact = "role_started", equals = true, says = "started as principal in a school year IPA lists as free", unknown = "no free offer is on record for school year {school_year}" },
] }

[[eligibility.outcomes]]
id = "paid"
title = "Paid mentoring"
eligible = true
when = { fact = "role", in = ["principal", "assistant_principal", "associate_principal", "dean", "director"], says = "is a school leader (principal, assistant or associate principal, dean or director)" }

[[eligibility.outcomes]]
id = "not_eligible"
title = "Not eligible for IPA mentoring"
eligible = false

[pricing]
eligibility = "ipa_mentoring"
refuse_outcomes = ["not_eligible"]

[pricing.table]
id = "ipa_mentoring_prices"
currency = "USD"

[[pricing.table.schedules]]
start = 2021-07-01
packages = [
    { hours = 20, prices = { member = "1749.00", non_member = "2629.00" } },
    { hours = 40, prices = { member = "2999.00", non_member = "4499.00" } },
    { hours = 60, prices = { member = "4249.00", non_member = "6374.00" } },
]

[[pricing.bases]]
id = "member"
title = "member"
when = { fact = "memberships", contains = "ipa", says = "is an IPA member" }

[[pricing.bases]]
id = "non_member"
title = "non-member"
"""  # noqa: E501 - TOML lines quoted from the IPA plug-in

_LEADER_ROLES = ("principal", "assistant_principal", "associate_principal", "dean", "director")
_FREE_FROM = dt.date(2021, 7, 1)
_FREE_UNTIL = dt.date(2024, 7, 1)


def _school_year_start(day: dt.date) -> dt.date:
    return dt.date(day.year if day.month >= 7 else day.year - 1, 7, 1)


def _year_later(day: dt.date) -> dt.date:
    """The same day a year later (29 February: 28 February)."""
    try:
        return day.replace(year=day.year + 1)
    except ValueError:
        return dt.date(day.year + 1, 2, 28)


def _first_year(started: dt.date, on: dt.date) -> bool | None:
    """Within the 12 months from the start; unknown before the role starts."""
    return None if on < started else on < _year_later(started)


def baseline_decide(person: Leader, on: dt.date) -> str:
    """IPA's eligibility written by hand in plain Python: the outcome id only."""
    role = person.role.value
    school = person.school
    if (
        role == "principal"
        and person.first_time_in_role
        and _first_year(person.role_started, on) is True
        and school is not None
        and school.state == "IL"
        and school.sector.value in ("public", "charter")
        and _FREE_FROM <= person.role_started < _FREE_UNTIL
    ):
        return "free"
    if role in _LEADER_ROLES:
        return "paid"
    return "not_eligible"


_FREE_PERIODS = "2021-07-01 to 2022-06-30; 2022-07-01 to 2023-06-30; 2023-07-01 to 2024-06-30"


def _yes(flag: bool) -> str:
    return "yes" if flag else "no"


def not_eligible_note(program: Program) -> str | None:
    """The note of the program's ``not_eligible`` outcome when it is a plug-in default."""
    for rule in program.eligibility:
        for outcome in rule.outcomes:
            if outcome.id == "not_eligible" and outcome.source and outcome.source.default:
                return outcome.source.note or ""
    return None


def _known(flag: bool | None) -> str:
    return "not known" if flag is None else _yes(flag)


def reading_notes(program: Program) -> dict[str, str]:
    """The notes of the conditions marked as plug-in defaults, by their words (``says``)."""
    from mentorcore.rules.conditions import leaves

    notes: dict[str, str] = {}
    for rule in program.eligibility:
        for outcome in rule.outcomes:
            if outcome.when is None:
                continue
            for leaf in leaves(outcome.when):
                if leaf.source is not None and leaf.source.default:
                    notes[leaf.says] = leaf.source.note or ""
    return notes


def _marked(says: str, sentence: str, notes: dict[str, str]) -> str:
    if says not in notes:
        return sentence
    note = notes[says].rstrip(". ")
    mark = "default of this plug-in, not the organization's rule"
    return f"{sentence} ({mark}: {note})" if note else f"{sentence} ({mark})"


def baseline_explained(
    person: Leader,
    on: dt.date,
    not_eligible_note: str | None = None,
    notes: dict[str, str] | None = None,
) -> tuple[str, bool, str]:
    """IPA's eligibility by hand, with the same explanation the rule gives.

    Every check is computed and worded, as the bulk API's trace does, so
    the two produce the same text; see :func:`main`, which compares them.
    A school not given makes its state and sector unknown (not false), so
    free mentoring is then possible but not known. ``not_eligible_note`` is
    the note of a ``not_eligible`` outcome that is a plug-in default
    (:func:`not_eligible_note`): the explanation marks it; ``notes`` those of
    the conditions that are (:func:`reading_notes`), marked after each check.
    """
    marks = notes or {}
    role = person.role.value
    first = person.first_time_in_role
    started = person.role_started
    in_first = _first_year(started, on)
    first_words = "is in the first year of service (the 12 months from role_started)"
    school = person.school
    state = school.state if school is not None else None
    sector = school.sector.value if school is not None else None
    in_il = None if state is None else state == "IL"
    public = None if sector is None else sector in ("public", "charter")
    free: list[tuple[bool | None, str]] = [
        (
            role == "principal",
            f"is a lead/head principal: {_yes(role == 'principal')} (role: {Role(role).label})",
        ),
        (
            first is True,
            f"is a principal for the first time: {_yes(first)}",
        ),
        (
            in_first,
            _marked(
                first_words,
                f"{first_words}: {_yes(in_first)}"
                if in_first is not None
                else f"{first_words}: not known (in_first_year_of_service is unknown: the role "
                f"has not started yet: role_started is {started})",
                marks,
            ),
        ),
        (
            in_il,
            f"leads a school in Illinois: {_known(in_il)} "
            + (f"(school state: {state})" if state else "(school.state is unknown)"),
        ),
        (
            public,
            f"leads a public or public charter school: {_known(public)} "
            + (
                f"(school sector: {Sector(sector).label})"
                if sector
                else "(school.sector is unknown)"
            ),
        ),
    ]
    offer_words = "started as principal in a school year IPA lists as free"
    if _FREE_FROM <= started < _FREE_UNTIL:
        free.append(
            (
                True,
                _marked(offer_words, f"{offer_words}: yes", marks),
            )
        )
    else:
        start = _school_year_start(started)
        free.append(
            (
                None,
                _marked(
                    offer_words,
                    f"no free offer is on record for school year {start.year}-{start.year + 1} "
                    f"(parameter 'free_first_year_mentoring' has no value in force on {started}; "
                    f"known periods: {_FREE_PERIODS})",
                    marks,
                ),
            )
        )
    results = [passed for passed, _ in free]
    if all(passed is True for passed in results):
        return (
            "free",
            True,
            "Free mentoring, because: " + "; ".join(w for _, w in free) + ".",
        )
    if False in results:
        not_free = (
            "Not free mentoring, because: " + "; ".join(w for ok, w in free if ok is False) + "."
        )
    else:
        not_free = (
            "Free mentoring is possible but not known: "
            + "; ".join(w for ok, w in free if ok is None)
            + "."
        )
    leader = role in _LEADER_ROLES
    leader_words = (
        "is a school leader (principal, assistant or associate principal, dean or director)"
    )
    words = _marked(
        leader_words, f"{leader_words}: {_yes(leader)} (role: {Role(role).label})", marks
    )
    if leader:
        return "paid", True, f"Paid mentoring, because: {words}. {not_free}"
    title = "Not eligible for IPA mentoring"
    if not_eligible_note is not None:
        title += (
            f" (default of this plug-in, not the organization's rule: "
            f"{not_eligible_note.rstrip('. ')})"
            if not_eligible_note.rstrip(". ")
            else " (default of this plug-in, not the organization's rule)"
        )
    return (
        "not_eligible",
        False,
        f"{title}. {not_free} Not paid mentoring, because: {words}.",
    )


def synthetic_leaders(count: int, seed: int = 20231) -> list[Leader]:
    """``count`` leaders drawn with a fixed seed: the same leaders on every run."""
    rng = random.Random(seed)
    roles = list(Role)
    weights = [40 if r is Role.PRINCIPAL else 8 if r.value in _LEADER_ROLES else 2 for r in roles]
    states = ["IL"] * 6 + ["WI", "IN", "MO", "IA"]
    sectors = [Sector.PUBLIC] * 6 + [Sector.CHARTER] * 2 + [Sector.PRIVATE] * 2
    people = []
    for index in range(count):
        started = dt.date(2019, 7, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365))
        school = None
        if rng.random() < 0.97:
            school = School(
                name=f"School {rng.randrange(5000)}",
                state=rng.choice(states),
                sector=rng.choice(sectors),
            )
        people.append(
            Leader(
                id=f"leader-{index:06d}",
                name=f"Leader {index}",
                role=rng.choices(roles, weights)[0],
                role_started=started,
                first_time_in_role=rng.random() < 0.6,
                memberships=("ipa",) if rng.random() < 0.5 else (),
                school=school,
            )
        )
    return people


def ipa_program(registry: Registry) -> Program:
    """The installed IPA program, or the mirror defined here."""
    if "ipa" in registry.programs:
        return registry.programs["ipa"]
    return load_program("ipa_mirror.toml", IPA_MIRROR)


def _best(run: Callable[[], Any], repeat: int) -> float:
    times = []
    for _ in range(repeat):
        started = time.perf_counter()
        run()
        times.append(time.perf_counter() - started)
    return min(times)


def _consume(items: Iterable[Any]) -> None:
    for _ in items:
        pass


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument("--sizes", type=int, nargs="+", default=[10_000, 100_000])
    parser.add_argument("--repeat", type=int, default=3)
    parser.add_argument("--on", type=dt.date.fromisoformat, default=dt.date(2023, 9, 15))
    parser.add_argument(
        "--tables", type=int, default=1_000_000, help="people for Parquet → Parquet (0: skip)"
    )
    args = parser.parse_args(argv)
    registry = load_registry()
    program = ipa_program(registry)
    on = args.on
    origin = "installed plug-in mentorcore-ipa" if program.id == "ipa" else "benchmark mirror"
    print(
        f"program: {program.id} ({origin}); date {on}; "
        f"Python {sys.version.split()[0]}; best of {args.repeat}"
    )
    print("rates in decisions per second; ratio = bulk time / baseline time (target <= 3)")
    header = (
        f"{'people':>8}  {'bulk':>9}  {'us/person':>9}  {'plain':>10}  {'ratio':>5}  "
        f"{'explained':>9}  {'ratio':>5}  {'quotes':>8}  {'decide()':>8}"
    )
    print(header)
    print("-" * len(header))
    for size in args.sizes:
        if not _measure(registry, program, on, size, args.repeat):
            return 1
    print("plain: outcome only, short-circuiting; explained: outcome and the same explanation text")
    print(
        "quotes: quote_many, 40 hours; "
        "decide(): registry.decide, one person at a time (5,000 people)"
    )
    if args.tables:
        tables_benchmark(registry, program, on, args.tables)
    return 0


def _measure(registry: Registry, program: Program, on: dt.date, size: int, repeat: int) -> bool:
    """Check the baselines agree with the bulk API on ``size`` leaders, then time them all."""
    people = synthetic_leaders(size)
    note = not_eligible_note(program)
    notes = reading_notes(program)
    decisions = list(decide_many(registry, program, people, on))
    for person, decision in zip(people, decisions, strict=True):
        ours = (decision.outcome, decision.eligible, decision.explanation)
        if decision.outcome != baseline_decide(person, on) or ours != baseline_explained(
            person, on, note, notes
        ):
            print(f"the baselines disagree with the bulk API for {person}:")
            print(
                f"  bulk:      {ours}\n  baselines: {baseline_decide(person, on)}, "
                f"{baseline_explained(person, on, note, notes)}"
            )
            return False
    del decisions
    bulk = _best(lambda: _consume(decide_many(registry, program, people, on)), repeat)
    plain = _best(lambda: [baseline_decide(p, on) for p in people], repeat)
    explained = _best(lambda: [baseline_explained(p, on, note, notes) for p in people], repeat)
    quotes = _best(
        lambda: _consume(quote_many(registry, program, people, 40, on)),
        repeat,
    )
    sample = people[: min(size, 5_000)]
    single = _best(lambda: [registry.decide(program, p, on) for p in sample], 1)
    print(
        f"{size:>8,}  {size / bulk:>9,.0f}  {bulk / size * 1e6:>9.2f}  {size / plain:>10,.0f}  "
        f"{bulk / plain:>5.1f}  {size / explained:>9,.0f}  {bulk / explained:>5.2f}  "
        f"{size / quotes:>8,.0f}  {len(sample) / single:>8,.0f}"
    )
    return True


def _synthetic_rows(count: int, seed: int = 20231) -> Iterable[dict[str, Any]]:
    """The people CSV columns of :func:`synthetic_leaders`' kind of leaders, without
    building them: for a million rows written to CSV and Parquet."""
    rng = random.Random(seed)
    roles = [r.value for r in Role]
    weights = [40 if r == "principal" else 8 if r in _LEADER_ROLES else 2 for r in roles]
    states = ["IL"] * 6 + ["WI", "IN", "MO", "IA"]
    sectors = ["public"] * 6 + ["charter"] * 2 + ["private"] * 2
    for index in range(count):
        has_school = rng.random() < 0.97
        yield {
            "id": f"leader-{index:07d}",
            "name": f"Leader {index}",
            "role": rng.choices(roles, weights)[0],
            "role_started": dt.date(2019, 7, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365)),
            "first_time_in_role": rng.random() < 0.6,
            "memberships": "ipa" if rng.random() < 0.5 else None,
            "school_name": f"School {rng.randrange(5000)}" if has_school else None,
            "school_state": rng.choice(states) if has_school else None,
            "school_sector": rng.choice(sectors) if has_school else None,
        }


def tables_benchmark(registry: Registry, program: Program, on: dt.date, size: int) -> None:
    """``size`` leaders Parquet → Parquet (:mod:`mentorcore.tables`) beside CSV → CSV.

    Both paths read every row as the CSV reader does, decide with the same
    compiled rule and write person, outcome, eligible, possible and
    explanation; the figures are decisions per second, end to end (reading,
    deciding, writing), one run each, by the wall clock and by this process's
    CPU time (which a busy machine disturbs less).
    """
    import csv
    import tempfile
    from pathlib import Path

    import pyarrow as pa
    import pyarrow.parquet as pq

    from mentorcore import tables
    from mentorcore.bulk import iter_people

    with tempfile.TemporaryDirectory() as folder:
        csv_in, parquet_in = Path(folder, "leaders.csv"), Path(folder, "leaders.parquet")
        csv_out, parquet_out = Path(folder, "out.csv"), Path(folder, "out.parquet")
        columns = list(next(iter(_synthetic_rows(1))))
        schema = pa.schema(
            [
                (
                    c,
                    pa.date32()
                    if c == "role_started"
                    else pa.bool_()
                    if c.startswith("first")
                    else pa.string(),
                )
                for c in columns
            ]
        )
        with (
            csv_in.open("w", newline="", encoding="utf-8") as handle,
            pq.ParquetWriter(parquet_in, schema) as writer,
        ):
            out = csv.DictWriter(handle, columns)
            out.writeheader()
            chunk: list[dict[str, Any]] = []
            for row in _synthetic_rows(size):
                out.writerow(row)
                chunk.append(row)
                if len(chunk) == tables.BATCH_ROWS:
                    writer.write_batch(pa.RecordBatch.from_pylist(chunk, schema=schema))
                    chunk = []
            if chunk:
                writer.write_batch(pa.RecordBatch.from_pylist(chunk, schema=schema))

        def csv_path() -> None:
            with csv_out.open("w", newline="", encoding="utf-8") as handle:
                out = csv.writer(handle)
                out.writerow(tables.DECISION_COLUMNS[:5])
                for d in decide_many(registry, program, iter_people(csv_in), on):
                    row = tables.decision_row(d)
                    out.writerow(
                        [
                            *(row[c] for c in tables.DECISION_COLUMNS[:3]),
                            ";".join(row["possible"]),
                            row["explanation"],
                        ]
                    )

        def parquet_path() -> None:
            batches = tables.decide_batches(
                registry, program, tables.read_people_batches(parquet_in), on
            )
            tables.write_parquet(parquet_out, batches, tables.decision_schema())

        cpu = time.process_time()
        csv_time = _best(csv_path, 1)
        csv_cpu, cpu = time.process_time() - cpu, time.process_time()
        parquet_time = _best(parquet_path, 1)
        parquet_cpu = time.process_time() - cpu
        written = pq.read_table(parquet_out)
        assert written.num_rows == size and written.column("error").null_count == size
        print()
        print(f"{size:,} leaders, file to file, decisions per second (one run each):")
        print(f"{'':19}{'wall':>9}  {'':9}{'CPU':>9}")
        for label, wall, used in (
            ("CSV → CSV", csv_time, csv_cpu),
            ("Parquet → Parquet", parquet_time, parquet_cpu),
        ):
            print(
                f"  {label:<17}{size / wall:>9,.0f}  ({wall:5.1f} s){size / used:>9,.0f}  "
                f"({used:5.1f} s)"
            )
        print(
            f"  Parquet / CSV time {parquet_time / csv_time:>6.2f} wall, "
            f"{parquet_cpu / csv_cpu:.2f} CPU"
        )


if __name__ == "__main__":
    sys.exit(main())
