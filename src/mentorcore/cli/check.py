"""``mentorcore check ENGAGEMENT_FILE``: the engagement against its kind's requirements."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.audience import Audience
from mentorcore.checking import validate_engagement
from mentorcore.cli.main import parse_date, registry_of
from mentorcore.cli.output import emit_json, write
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.process import describe_progress

__all__ = ["register", "run"]

_MARKS = {"met": "met     ", "at_risk": "AT RISK ", "not_met": "NOT MET "}


def register(subparsers: Any) -> None:
    """Add the ``check`` command."""
    parser = subparsers.add_parser("check", help="check an engagement log against its requirements")
    parser.add_argument("engagement", help="engagement file (.toml or .json)")
    parser.add_argument(
        "--people", default=None, help="people file resolving leader and mentor ids"
    )
    parser.add_argument(
        "--as-of",
        dest="as_of",
        type=parse_date,
        default=None,
        help="date of the check (default: today)",
    )
    parser.add_argument(
        "--audience",
        default="program",
        choices=[a.value for a in Audience],
        help="whom the findings are written for (default: program); logged text "
        "such as a pair-only goal's title is shown only to an audience that may see it",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the engagement and print the findings; exit 0 whatever they say."""
    registry = registry_of(args)
    people = load_people(args.people) if args.people else None
    engagement = load_engagement(args.engagement, people)
    validate_engagement(registry, engagement, args.engagement)
    result = registry.check(engagement, args.as_of, audience=args.audience)
    if args.json:
        emit_json(result)
        return 0
    program = registry.program(result.program)
    kind = program.kind(result.kind)
    write(f"{engagement.id}: {program.title}, {kind.title}")
    write(
        f"{engagement.leader.name} with {engagement.mentor.name}, "
        f"{engagement.start} to {engagement.end}"
    )
    write(f"Checked on {result.as_of}: {result.status.label}")
    write()
    for finding in result.findings:
        write(f"  {_MARKS[finding.status.value]} {finding.title}: {finding.sentence()}")
    if result.progress is not None and kind.process is not None:
        write()
        write(f"Process: {kind.process.title}")
        for line in describe_progress(kind.process, result.progress):
            write(f"  {line}")
    return 0
