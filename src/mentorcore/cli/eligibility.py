"""``mentorcore eligibility PROGRAM PEOPLE_FILE``: one decision per person, explained.

A CSV people file is read row by row and decided as it is read (through
:func:`mentorcore.bulk.decide_many`); ``--jsonl`` writes each decision as one
JSON line as soon as it is made, and a running count goes to stderr when it
is a terminal. A bad row stops the run with an error naming its line and
column, after the rows before it were written. A person whose rule cannot be
evaluated (a plug-in's fact failed) gets a failure row (human output: "could
not be decided" and the reason) and the stream goes on; after it, each such
person's reason is one line on stderr and the exit status is 2.

A ``.parquet`` people file is read batch by batch (the optional extra
``tables``); ``--output FILE.parquet`` writes the decisions as a Parquet
table (:mod:`mentorcore.tables`): from Parquet input every row gets a row,
a bad one its ``error``.
"""

from __future__ import annotations

import argparse
import datetime as dt
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from mentorcore.bulk import DecisionFailure, decide_many, iter_people, progress, with_people
from mentorcore.cli.main import registry_of
from mentorcore.cli.options import FILE, add_command, add_date, add_format, add_json
from mentorcore.cli.output import emit_json_array, emit_jsonl, inline, write
from mentorcore.errors import UnknownIdError
from mentorcore.io.loaders import load_people
from mentorcore.people import Leader, Mentor
from mentorcore.rules.eligibility import Decision

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``eligibility`` command."""
    parser = add_command(
        subparsers,
        "eligibility",
        "decide eligibility for each person of a people file, with the reasons",
        description="A CSV file is decided row by row as it is read; --jsonl writes each "
        "decision as it is made.",
        example="mentorcore eligibility ipa examples/ipa/people.toml --on 2023-09-15\n"
        "mentorcore eligibility ipa examples/matching/cohort.csv --jsonl \\\n"
        "  > decisions.jsonl",
    )
    parser.add_argument("program", help="program id (see mentorcore programs)")
    parser.add_argument(
        "people",
        metavar=FILE,
        help="people file (.toml, .json, .csv or .parquet; - for standard input)",
    )
    add_date(parser, "--on", "date of the decision", "today")
    parser.add_argument("--kind", default=None, help="engagement kind the decision is for")
    parser.add_argument("--person", default=None, help="only this person id")
    add_format(parser)
    add_json(parser, "print a JSON list, written as each decision is made")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON object per line, as each decision is made (for large files)",
    )
    parser.add_argument(
        "--output",
        default=None,
        metavar=FILE,
        help="write the decisions to this Parquet file (.parquet: person, outcome, eligible, "
        "possible, "
        "explanation, error) instead of printing them",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Decide for each leader (and each mentor, where the program has a mentor rule)."""
    registry = registry_of(args)
    program = registry.program(args.program)
    if args.kind is not None:
        program.kind(args.kind)
    on = args.on or dt.date.today()
    has_mentor_rule = any(rule.subject == "mentor" for rule in program.eligibility)
    people: Iterable[Leader | Mentor]
    if args.person:
        person = load_people(args.people, args.format).person(args.person)
        if isinstance(person, Mentor) and not has_mentor_rule:
            raise UnknownIdError(f"eligibility rule for mentors of {program.id!r}", person.id)
        people = [person]
    else:
        people = (
            p
            for p in iter_people(args.people, args.format)
            if has_mentor_rule or not isinstance(p, Mentor)
        )
        if sys.stderr.isatty():
            people = progress(people)
    output = getattr(args, "output", None)
    if output is not None:
        from mentorcore.cli.tables import write_decisions

        return write_decisions(registry, program, args.people, output, on, args.kind, people)
    failed: list[DecisionFailure] = []

    def counted(
        results: Iterable[Decision | DecisionFailure],
    ) -> Iterator[Decision | DecisionFailure]:
        for result in results:
            if isinstance(result, DecisionFailure):
                failed.append(result)
            yield result

    pairs = with_people(
        people,
        lambda chosen: counted(
            decide_many(registry, program, chosen, on, kind=args.kind, failures=True)
        ),
    )
    if args.jsonl:
        emit_jsonl(decision for _, decision in pairs)
    elif args.json:
        emit_json_array(decision for _, decision in pairs)
    else:
        write(f"{program.title}: eligibility on {on}")
        for person, decision in pairs:
            write()
            who = f"{inline(person.name)} ({inline(person.id)})"
            if isinstance(decision, DecisionFailure):
                write(f"{who}: could not be decided")
                write(f"  {decision.reason}")
            else:
                write(f"{who}: {decision.title}")
                write(f"  {decision.explanation}")
    return _failed_exit(failed)


def _failed_exit(failed: list[DecisionFailure]) -> int:
    """0, or 2 after the whole stream when a person's rule could not be evaluated
    (a plug-in's fact failed): one line on standard error per such person."""
    for failure in failed:
        sys.stderr.write(f"mentorcore: error: {inline(failure.reason)}\n")
    return 2 if failed else 0
