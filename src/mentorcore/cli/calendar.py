"""``mentorcore calendar ENGAGEMENT``: planned sessions and logged interactions as RFC 5545."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mentorcore.audience import Audience
from mentorcore.checking import validate_engagement
from mentorcore.cli.main import registry_of
from mentorcore.errors import InputError
from mentorcore.io.loaders import load_engagement, load_people

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``calendar`` command."""
    parser = subparsers.add_parser(
        "calendar",
        help="write an engagement's sessions as an iCalendar (RFC 5545) file",
        description="Write the planned sessions of an engagement as events to come and its "
        "logged interactions as past events, in an iCalendar file a calendar application "
        "subscribes to. UIDs are stable, so a new export updates rather than duplicates. "
        "Only what the audience may see is written: no notes or topics beyond the pair.",
    )
    parser.add_argument("engagement", help="engagement file (.toml or .json)")
    parser.add_argument(
        "--people", default=None, help="people file resolving leader and mentor ids"
    )
    parser.add_argument(
        "--audience",
        choices=[a.value for a in Audience],
        default=Audience.PROGRAM.value,
        help="whom the calendar is for (default: program)",
    )
    parser.add_argument(
        "--output", "-o", default=None, metavar="FILE.ics", help="write to this file"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the calendar to stdout or ``--output``."""
    from mentorcore.io.calendar import calendar_bytes

    registry = registry_of(args)
    people = load_people(args.people) if args.people else None
    engagement = load_engagement(args.engagement, people)
    validate_engagement(registry, engagement, args.engagement)
    kind = registry.program(engagement.program).kind(engagement.kind)
    data = calendar_bytes(engagement, args.audience, title=kind.title)
    if args.output:
        try:
            Path(args.output).write_bytes(data)
        except OSError as exc:
            raise InputError(f"cannot write: {exc}", file=args.output) from None
        return 0
    sys.stdout.flush()
    sys.stdout.buffer.write(data)
    sys.stdout.buffer.flush()
    return 0
