"""``mentorcore schema COMMAND``: the JSON Schema of a command's ``--json`` output."""

from __future__ import annotations

import argparse
import json
from typing import Any

from mentorcore.cli.output import write

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
    parser = subparsers.add_parser(
        "schema",
        help="print the JSON Schema of a command's --json output",
        description="Print the JSON Schema (draft 2020-12) of COMMAND's --json output, "
        "generated from the library's types. Each line of --jsonl output is one item of "
        "the list the schema describes.",
    )
    parser.add_argument("command", metavar="COMMAND", choices=COMMANDS, help=", ".join(COMMANDS))
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Print the schema."""
    from mentorcore.output import command_schema

    write(json.dumps(command_schema(args.command), indent=2, ensure_ascii=False))
    return 0
