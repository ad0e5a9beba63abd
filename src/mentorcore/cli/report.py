"""``mentorcore report``: an engagement read for an audience (leader, mentor, sponsor, program)."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.checking import validate_engagement
from mentorcore.cli.main import registry_of
from mentorcore.cli.options import (
    FILE,
    add_command,
    add_date,
    add_format,
    add_json,
    add_strict,
    exit_status,
    one_stdin,
)
from mentorcore.cli.output import emit_json, write
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.io.sources import display_name
from mentorcore.reports import Audience, render_text

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``report`` command."""
    parser = add_command(
        subparsers,
        "report",
        "report on an engagement for an audience, showing it only what it may see",
        description="Hours against the contract, sessions by mode, progress, findings and "
        "goals of an engagement, for one audience. Notes are shown only where an event's "
        "visibility reaches the audience; sensitive attributes never reach a sponsor. "
        "Exit status: 0 when every requirement is met (or at risk), 1 when one is not met "
        "(with --strict: or at risk), 2 on bad input.",
        example="mentorcore report examples/ipa/engagement-in-progress.toml \\\n"
        "  --audience sponsor --people examples/ipa/people.toml --as-of 2024-11-30",
    )
    parser.add_argument(
        "engagement", metavar=FILE, help="engagement file (.toml or .json; - for standard input)"
    )
    parser.add_argument(
        "--audience",
        required=True,
        choices=[a.value for a in Audience],
        help="whom the report is for",
    )
    parser.add_argument("--people", metavar=FILE, help="a people file to resolve leader/mentor ids")
    add_date(parser, "--as-of", "date of the report", "today")
    add_strict(parser)
    add_format(parser)
    add_json(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the report; exit 0 when met, 1 when not met (``--strict``: or at risk).

    The engagement is validated as ``check`` validates it: an unknown
    program, kind, task or item code is an input error naming the path.
    """
    one_stdin(("engagement", args.engagement), ("--people", args.people))
    registry = registry_of(args)
    people = load_people(args.people, args.format) if args.people else None
    engagement = load_engagement(args.engagement, people, args.format)
    validate_engagement(registry, engagement, display_name(args.engagement))
    rep = registry.report(engagement, args.audience, args.as_of)
    if args.json:
        emit_json(rep)
    else:
        write(render_text(rep))
    return exit_status(rep.status, args.strict)
