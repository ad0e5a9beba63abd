"""``mentorcore report``: an engagement read for an audience (leader, mentor, sponsor, program)."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.cli.main import parse_date, registry_of
from mentorcore.cli.output import emit_json, write
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.reports import Audience, render_text

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``report`` command."""
    parser = subparsers.add_parser(
        "report",
        help="report on an engagement for an audience, showing it only what it may see",
        description="Hours against the contract, sessions by mode, progress, findings and "
        "goals of an engagement, for one audience. Notes are shown only where an event's "
        "visibility reaches the audience; sensitive attributes never reach a sponsor.",
    )
    parser.add_argument(
        "engagement", metavar="ENGAGEMENT_FILE", help="an engagement file (TOML or JSON)"
    )
    parser.add_argument(
        "--audience",
        required=True,
        choices=[a.value for a in Audience],
        help="whom the report is for",
    )
    parser.add_argument(
        "--people", metavar="FILE", help="a people file to resolve leader/mentor ids"
    )
    parser.add_argument("--as-of", type=parse_date, metavar="DATE", help="the date (default today)")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the report."""
    people = load_people(args.people) if args.people else None
    engagement = load_engagement(args.engagement, people)
    rep = registry_of(args).report(engagement, args.audience, args.as_of)
    if args.json:
        emit_json(rep)
    else:
        write(render_text(rep))
    return 0
