"""``mentorcore quote PROGRAM PEOPLE_FILE --hours N``: a price per person, explained.

A CSV people file is read row by row and quoted as it is read (through
:func:`mentorcore.bulk.quote_many`); ``--jsonl`` writes each quote as one
JSON line as soon as it is made, and a running count goes to stderr when it
is a terminal. A person who cannot be quoted gets a row with ``error`` and
the stream goes on. A person refused a quote (not eligible) is an answer;
a person whose rule or price cannot be evaluated (a plug-in's fact failed)
is a fault: after the stream, each such person's reason is one line on
stderr and the exit status is 2, as for ``eligibility``.

A ``.parquet`` people file is read batch by batch (the optional extra
``tables``); ``--output FILE.parquet`` writes the quotes as a Parquet table
(:mod:`mentorcore.tables`).
"""

from __future__ import annotations

import argparse
import datetime as dt
import itertools
import sys
from collections.abc import Iterable, Iterator
from typing import Any

from mentorcore.bulk import QuoteFailure, iter_people, progress, quote_many, with_people
from mentorcore.cli.main import registry_of
from mentorcore.cli.options import FILE, add_command, add_date, add_format, add_json
from mentorcore.cli.output import emit_json_array, emit_jsonl, inline, write
from mentorcore.errors import shorten
from mentorcore.io.loaders import load_people
from mentorcore.people import Leader, Mentor
from mentorcore.rules.pricing import FREE, Quote
from mentorcore.validation import MAX_PACKAGE_HOURS

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``quote`` command."""
    parser = add_command(
        subparsers,
        "quote",
        "quote a package of hours for each leader of a people file, with the reasons",
        description="A CSV file is quoted row by row as it is read; --jsonl writes each "
        "quote as it is made. A person who cannot be quoted gets a row with an error.",
        example="mentorcore quote ipa examples/ipa/people.toml --hours 40 --on 2024-09-01",
    )
    parser.add_argument("program", help="program id (see mentorcore programs)")
    parser.add_argument(
        "people",
        metavar=FILE,
        help="people file (.toml, .json, .csv or .parquet; - for standard input)",
    )
    parser.add_argument(
        "--hours",
        type=_hours,
        required=True,
        metavar="N",
        help=f"hours of the package (e.g. 20, 40, 60; 1 to {MAX_PACKAGE_HOURS:,})",
    )
    add_date(parser, "--on", "date of the quote", "today")
    parser.add_argument("--person", default=None, help="only this person id")
    add_format(parser)
    add_json(parser, "print a JSON list, written as each quote is made")
    parser.add_argument(
        "--jsonl",
        action="store_true",
        help="print one JSON object per line, as each quote is made (for large files)",
    )
    parser.add_argument(
        "--output",
        default=None,
        metavar=FILE,
        help="write the quotes to this Parquet file (.parquet: person, hours, basis, amount, "
        "currency, "
        "outcome, explanation, error) instead of printing them",
    )
    parser.set_defaults(handler=run)


def _hours(text: str) -> int:
    """``--hours``: a whole number within the documented bounds."""
    try:
        hours = int(text) if len(text) < 20 else None
    except ValueError:
        hours = None
    if hours is None or not 1 <= hours <= MAX_PACKAGE_HOURS:
        raise argparse.ArgumentTypeError(
            f"found {shorten(repr(text), 30)}, expected a whole number of hours from 1 to "
            f"{MAX_PACKAGE_HOURS:,}"
        )
    return hours


def run(args: argparse.Namespace) -> int:
    """Quote the package for each leader (or the one person asked for)."""
    registry = registry_of(args)
    program = registry.program(args.program)
    on = args.on or dt.date.today()
    people: Iterable[Leader | Mentor]
    if args.person:
        people = [load_people(args.people, args.format).person(args.person)]
    else:
        people = (p for p in iter_people(args.people, args.format) if not isinstance(p, Mentor))
        if sys.stderr.isatty():
            people = progress(people)
    output = getattr(args, "output", None)
    if output is not None:
        from mentorcore.cli.tables import write_quotes

        return write_quotes(registry, program, args.people, output, args.hours, on, people)
    faults: list[QuoteFailure] = []

    def counted(results: Iterable[Quote | QuoteFailure]) -> Iterator[Quote | QuoteFailure]:
        for result in results:
            if isinstance(result, QuoteFailure) and not result.refused:
                faults.append(result)
            yield result

    pairs = with_people(
        people, lambda chosen: counted(quote_many(registry, program, chosen, args.hours, on))
    )
    if args.jsonl:
        emit_jsonl(result for _, result in pairs)
        return _faults_exit(faults)
    if args.json:
        emit_json_array(result for _, result in pairs)
        return _faults_exit(faults)
    first = next(iter(pairs), None)  # set-up errors (hours not a package) come before any output
    bases = {basis.id: basis.title for basis in program.pricing.bases} if program.pricing else {}
    bases.setdefault(FREE, "free")
    write(f"{program.title}: {args.hours} hours on {on}")
    for person, result in itertools.chain([first] if first else [], pairs):
        write()
        who = f"{inline(person.name)} ({inline(person.id)})"
        if isinstance(result, QuoteFailure):
            write(f"{who}: no quote")
            write(f"  {result.reason}")
        else:
            basis = bases.get(result.basis, result.basis)
            write(f"{who}: {result.amount} {result.currency}, the {basis} price")
            write(f"  {result.explanation}")
    return _faults_exit(faults)


def _faults_exit(faults: list[QuoteFailure]) -> int:
    """0, or 2 after the whole stream when a person's rule or price could not be
    evaluated (a plug-in's fact failed), as ``eligibility`` does: one line on
    standard error per such person. A person refused a quote is an answer."""
    for fault in faults:
        sys.stderr.write(f"mentorcore: error: {inline(fault.reason)}\n")
    return 2 if faults else 0
