"""``mentorcore eligibility PROGRAM PEOPLE_FILE``: one decision per person, explained."""

from __future__ import annotations

import argparse
import datetime as dt
from typing import Any

from mentorcore.cli.main import parse_date
from mentorcore.cli.output import emit_json, write
from mentorcore.cli.serialize import decision_json
from mentorcore.errors import UnknownIdError
from mentorcore.io.loaders import load_people
from mentorcore.people import Mentor
from mentorcore.registry import load_registry

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``eligibility`` command."""
    parser = subparsers.add_parser(
        "eligibility", help="decide eligibility for each person of a file"
    )
    parser.add_argument("program", help="program id")
    parser.add_argument("people", help="people file (.toml, .json or .csv)")
    parser.add_argument(
        "--on", type=parse_date, default=None, help="date of the decision (default: today)"
    )
    parser.add_argument("--kind", default=None, help="engagement kind the decision is for")
    parser.add_argument("--person", default=None, help="only this person id")
    parser.add_argument("--json", action="store_true", help="print a JSON list")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Decide for each leader (and each mentor, where the program has a mentor rule)."""
    registry = load_registry()
    program = registry.program(args.program)
    if args.kind is not None:
        program.kind(args.kind)
    on = args.on or dt.date.today()
    people = load_people(args.people)
    chosen = [people.person(args.person)] if args.person else list(people)
    has_mentor_rule = any(rule.subject == "mentor" for rule in program.eligibility)
    decisions = []
    for person in chosen:
        if isinstance(person, Mentor) and not has_mentor_rule:
            if args.person:
                raise UnknownIdError(f"eligibility rule for mentors of {program.id!r}", person.id)
            continue
        decisions.append(registry.decide(program, person, on, kind=args.kind))
    if args.json:
        emit_json([decision_json(d) for d in decisions])
        return 0
    write(f"{program.title}: eligibility on {on}")
    for decision in decisions:
        person = people.person(decision.person)
        write()
        write(f"{person.name} ({person.id}): {decision.title} [{decision.outcome}]")
        write(f"  {decision.explanation}")
    return 0
