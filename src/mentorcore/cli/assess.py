"""``mentorcore assess``: an assessment file summarized on a date."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.assessing import (
    describe_summary,
    load_assessment,
)
from mentorcore.cli.main import registry_of
from mentorcore.cli.options import FILE, add_command, add_date, add_format, add_json
from mentorcore.cli.output import emit_json, write
from mentorcore.io.sources import display_name

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``assess`` command."""
    parser = add_command(
        subparsers,
        "assess",
        "summarize an assessment file: latest rating per item, history, next step",
        description="Read an assessment file (TOML or JSON: program, framework, rubric, "
        "subject and [[ratings]] with item, level, date, evidence, by) and print each "
        "item's current level, its history and the next level's descriptor as the next "
        "step, with the strengths, the areas to develop and the items not yet rated.",
        example="mentorcore assess examples/ulead/mentor-assessment.toml",
    )
    parser.add_argument(
        "assessment", metavar=FILE, help="assessment file (.toml or .json; - for standard input)"
    )
    add_date(parser, "--as-of", "read the ratings up to this date", "the latest rating's date")
    add_format(parser, ("toml", "json"))
    add_json(parser)
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Summarize the assessment file."""
    assessment = load_assessment(args.assessment, args.format)
    reading = registry_of(args).assess(assessment, args.as_of, file=display_name(args.assessment))
    if args.json:
        emit_json(reading)
        return 0
    for line in describe_summary(reading):
        write(line)
    return 0
