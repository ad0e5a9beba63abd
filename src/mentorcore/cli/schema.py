"""``mentorcore schema COMMAND``: the JSON Schema of a command's ``--json`` output."""

from __future__ import annotations

import argparse
import json
from typing import Any

from mentorcore.cli.options import add_command, add_json

__all__ = ["register", "run"]

#: The commands with a schema (kept here so ``--help`` needs no import of the results).
COMMANDS = (
    "programs",
    "show",
    "eligibility",
    "quote",
    "check",
    "assess",
    "report",
    "match",
    "suggest",
)


def register(subparsers: Any) -> None:
    """Add the ``schema`` command."""
    parser = add_command(
        subparsers,
        "schema",
        "print the JSON Schema of a command's --json output",
        description="The schema (draft 2020-12) of COMMAND's --json output, generated from "
        "the library's types. Each line of --jsonl output is one item of the list the schema "
        "describes.",
        example="mentorcore schema eligibility > eligibility.schema.json",
    )
    parser.add_argument("command", metavar="COMMAND", choices=COMMANDS, help=", ".join(COMMANDS))
    add_json(parser, "accepted: the schema is JSON already")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    from mentorcore.output import command_schema

    # JSON, not text for people: printed exactly (write() would escape and wrap it).
    print(json.dumps(command_schema(args.command), indent=2, ensure_ascii=False))
    return 0
