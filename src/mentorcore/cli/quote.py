"""``mentorcore quote PROGRAM PEOPLE_FILE --hours N``: a price per person, explained.

A CSV people file is read row by row and quoted as it is read (through
:func:`mentorcore.bulk.quote_many`); ``--jsonl`` writes each quote as one
JSON line as soon as it is made, and a running count goes to stderr when it
is a terminal. A person who cannot be quoted gets a row with ``error``.

A ``.parquet`` people file is read batch by batch (the optional extra
``tables``); ``--output FILE.parquet`` writes the quotes as a Parquet table
(:mod:`mentorcore.tables`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
from collections.abc import Iterable
from typing import Any

from mentorcore.bulk import QuoteFailure, iter_people, progress, quote_many, with_people
from mentorcore.cli.main import parse_date, registry_of
from mentorcore.cli.output import emit_json, emit_jsonl, write
from mentorcore.io.loaders import load_people
from mentorcore.people import Leader, Mentor

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``quote`` command."""
    parser = subparsers.add_parser(
        "quote", help="quote a package of hours for each leader of a file"
    )
    parser.add_argument("program", help="program id")
    parser.add_argument("people", help="people file (.toml, .json, .csv or .parquet)")
    parser.add_argument(
        "--hours", type=int, required=True, help="hours of the package (e.g. 20, 40, 60)"
    )
    parser.add_argument(
        "--on", type=parse_date, default=None, help="date of the quote (default: today)"
    )
    parser.add_argument("--person", default=None, help="only this person id")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON object per line, as each quote is made (for large files)",
    )
    parser.add_argument(
        "--output",
        default=None,
        metavar="FILE.parquet",
        help="write the quotes to this Parquet file (person, hours, basis, amount, currency, "
        "outcome, explanation, error) instead of printing them",
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Quote the package for each leader (or the one person asked for)."""
    registry = registry_of(args)
    program = registry.program(args.program)
    on = args.on or dt.date.today()
    people: Iterable[Leader | Mentor]
    if args.person:
        people = [load_people(args.people).person(args.person)]
    else:
        people = (p for p in iter_people(args.people) if not isinstance(p, Mentor))
        if sys.stderr.isatty():
            people = progress(people)
    output = getattr(args, "output", None)
    if output is not None:
        from mentorcore.cli.tables import write_quotes

        return write_quotes(registry, program, args.people, output, args.hours, on, people)
    pairs = with_people(
        people, lambda chosen: quote_many(registry, program, chosen, args.hours, on)
    )
    if args.jsonl:
        emit_jsonl(result for _, result in pairs)
        return 0
    if args.json:
        emit_json([result for _, result in pairs])
        return 0
    first = next(iter(pairs), None)  # set-up errors (hours not a package) come before any output
    write(f"{program.title}: {args.hours} hours on {on}")
    for person, result in itertools.chain([first] if first else [], pairs):
        write()
        if isinstance(result, QuoteFailure):
            write(f"{person.name} ({person.id}): no quote")
            write(f"  {result.reason}")
        else:
            write(
                f"{person.name} ({person.id}): {result.amount} {result.currency} ({result.basis})"
            )
            write(f"  {result.explanation}")
    return 0
