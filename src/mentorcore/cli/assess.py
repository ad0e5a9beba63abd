"""``mentorcore assess``: an assessment file summarized on a date."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.assessing import (
    describe_summary,
    load_assessment,
)
from mentorcore.cli.main import registry_of
from mentorcore.cli.output import emit_json, write

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``assess`` command."""
    from mentorcore.cli.main import parse_date

    parser = subparsers.add_parser(
        "assess",
        help="summarize an assessment file: latest rating per item, history, next step",
        description="Read an assessment file (TOML or JSON: program, framework, rubric, "
        "subject and [[ratings]] with item, level, date, evidence, by) and print each "
        "item's current level, its history and the next level's descriptor as the next "
        "step, with the strengths, the areas to develop and the items not yet rated.",
    )
    parser.add_argument("assessment", metavar="ASSESSMENT_FILE", help="a .toml or .json file")
    parser.add_argument(
        "--as-of",
        type=parse_date,
        default=None,
        metavar="DATE",
        help="read the ratings up to this date (default: the latest rating's date)",
    )
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Summarize the assessment file."""
    assessment = load_assessment(args.assessment)
    reading = registry_of(args).assess(assessment, args.as_of, file=str(args.assessment))
    if args.json:
        emit_json(reading)
        return 0
    for line in describe_summary(reading):
        write(line)
    return 0
