"""``mentorcore calendar ENGAGEMENT``: planned sessions and logged interactions as RFC 5545."""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from mentorcore.audience import Audience
from mentorcore.checking import validate_engagement
from mentorcore.cli.main import registry_of
from mentorcore.cli.options import FILE, add_command, add_format, one_stdin
from mentorcore.errors import InputError, MentorcoreError
from mentorcore.extras import require
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.io.sources import display_name

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``calendar`` command."""
    parser = add_command(
        subparsers,
        "calendar",
        "write an engagement's sessions as an iCalendar (RFC 5545) file",
        description="Write the planned sessions of an engagement as events to come and its "
        "logged interactions as past events, in an iCalendar file a calendar application "
        "subscribes to. UIDs are stable, so a new export updates rather than duplicates. "
        "Only what the audience may see is written: no notes or topics beyond the pair. "
        "Needs the calendar extra: pip install 'mentorcore[calendar]'.",
        example="mentorcore calendar examples/ipa/engagement-planned.toml \\\n"
        "  --people examples/ipa/people.toml --audience leader > sessions.ics",
    )
    parser.add_argument(
        "engagement", metavar=FILE, help="engagement file (.toml or .json; - for standard input)"
    )
    parser.add_argument(
        "--people", default=None, metavar=FILE, help="people file resolving leader and mentor ids"
    )
    parser.add_argument(
        "--audience",
        choices=[a.value for a in Audience],
        default=Audience.PROGRAM.value,
        help="whom the calendar is for (default: program)",
    )
    parser.add_argument(
        "--output", "-o", default=None, metavar=FILE, help="write to this .ics file"
    )
    add_format(parser)
    parser.add_argument("--json", action="store_true", help=argparse.SUPPRESS)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the calendar to stdout or ``--output``."""
    if args.json:
        raise MentorcoreError("calendar writes iCalendar (RFC 5545); --json means nothing here")
    require("calendar", "mentorcore calendar")
    from mentorcore.io.calendar import calendar_bytes

    one_stdin(("engagement", args.engagement), ("--people", args.people))
    registry = registry_of(args)
    people = load_people(args.people, args.format) if args.people else None
    engagement = load_engagement(args.engagement, people, args.format)
    validate_engagement(registry, engagement, display_name(args.engagement))
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
