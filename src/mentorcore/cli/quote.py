"""``mentorcore quote PROGRAM PEOPLE_FILE --hours N``: a price per person, explained."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from mentorcore.cli.main import parse_date
from mentorcore.cli.output import emit_json, write
from mentorcore.cli.serialize import quote_json
from mentorcore.errors import RuleError
from mentorcore.io.loaders import load_people
from mentorcore.people import Mentor
from mentorcore.registry import load_registry

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``quote`` command."""
    parser = subparsers.add_parser(
        "quote", help="quote a package of hours for each leader of a file"
    )
    parser.add_argument("program", help="program id")
    parser.add_argument("people", help="people file (.toml, .json or .csv)")
    parser.add_argument(
        "--hours", type=int, required=True, help="hours of the package (e.g. 20, 40, 60)"
    )
    parser.add_argument(
        "--on", type=parse_date, default=None, help="date of the quote (default: today)"
    )
    parser.add_argument("--person", default=None, help="only this person id")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Quote the package for each leader (or the one person asked for)."""
    registry = load_registry()
    program = registry.program(args.program)
    on = args.on or dt.date.today()
    people = load_people(args.people)
    chosen = [people.person(args.person)] if args.person else list(people.leaders)
    rows: list[dict[str, Any]] = []
    for person in chosen:
        if isinstance(person, Mentor) and not args.person:
            continue
        try:
            rows.append(quote_json(registry.quote(program, person, args.hours, on)))
        except RuleError as exc:
            rows.append(
                {
                    "person": person.id,
                    "program": program.id,
                    "on": on.isoformat(),
                    "hours": args.hours,
                    "basis": None,
                    "amount": None,
                    "currency": program.pricing.table.currency if program.pricing else None,
                    "outcome": None,
                    "explanation": str(exc),
                    "error": str(exc),
                }
            )
    if args.json:
        emit_json(rows)
        return 0
    write(f"{program.title}: {args.hours} hours on {on}")
    for row in rows:
        person = people.person(row["person"])
        write()
        if row["amount"] is None:
            write(f"{person.name} ({person.id}): no quote")
        else:
            write(
                f"{person.name} ({person.id}): {row['amount']} {row['currency']} ({row['basis']})"
            )
        write(f"  {row['explanation']}")
    return 0
