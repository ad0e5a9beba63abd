"""``mentorcore check ENGAGEMENT_FILE``: the engagement against its kind's requirements."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.audience import Audience
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
from mentorcore.cli.output import emit_json, inline, write
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.io.sources import display_name
from mentorcore.process import describe_progress

__all__ = ["register", "run"]

_MARKS = {"met": "met     ", "at_risk": "AT RISK ", "not_met": "NOT MET "}


def register(subparsers: Any) -> None:
    """Add the ``check`` command."""
    parser = add_command(
        subparsers,
        "check",
        "check an engagement's log against its kind's service requirements",
        description="Exit status: 0 when every requirement is met (or at risk), 1 when one "
        "is not met (with --strict: or at risk), 2 on bad input.",
        example="mentorcore check examples/ipa/engagement-in-progress.toml \\\n"
        "  --people examples/ipa/people.toml --as-of 2024-11-30",
    )
    parser.add_argument(
        "engagement", metavar=FILE, help="engagement file (.toml or .json; - for standard input)"
    )
    parser.add_argument(
        "--audience",
        default="program",
        choices=[a.value for a in Audience],
        help="whom the findings are written for (default: program); logged text "
        "such as a pair-only goal's title is shown only to an audience that may see it",
    )
    parser.add_argument(
        "--people", default=None, metavar=FILE, help="people file resolving leader and mentor ids"
    )
    add_date(parser, "--as-of", "date of the check", "today")
    add_strict(parser)
    add_format(parser)
    add_json(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Check the engagement and print the findings; exit 0 when met, 1 when not met
    (``--strict``: or at risk)."""
    one_stdin(("engagement", args.engagement), ("--people", args.people))
    registry = registry_of(args)
    people = load_people(args.people, args.format) if args.people else None
    engagement = load_engagement(args.engagement, people, args.format)
    validate_engagement(registry, engagement, display_name(args.engagement))
    result = registry.check(engagement, args.as_of, audience=args.audience)
    status = exit_status(result.status, args.strict)
    if args.json:
        emit_json(result)
        return status
    program = registry.program(result.program)
    kind = program.kind(result.kind)
    write(f"{inline(engagement.id)}: {program.title}, {kind.title}")
    write(
        f"{inline(engagement.leader.name)} with {inline(engagement.mentor.name)}, "
        f"{engagement.start} to {engagement.end}"
    )
    write(f"Checked on {result.as_of}: {result.status.label}")
    write()
    for finding in result.findings:
        mark = _MARKS[finding.status.value]
        write(f"  {mark} {finding.title}: {finding.sentence()}", hang=3 + len(mark))
    if result.progress is not None and kind.process is not None:
        write()
        write(f"Process: {kind.process.title}")
        for line in describe_progress(kind.process, result.progress):
            write(f"  {line}")
    return status
