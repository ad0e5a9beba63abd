"""Entry point of the ``mentorcore`` command.

Bad input prints one :class:`~mentorcore.errors.MentorcoreError` message and
exits with status 2, never a traceback.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
import sys
from collections.abc import Sequence

from mentorcore.errors import InputError, MentorcoreError

__all__ = ["COMMANDS", "build_parser", "main", "parse_date"]

#: The command modules, in the order ``--help`` lists them.
COMMANDS = (
    "programs",
    "show",
    "eligibility",
    "quote",
    "check",
    "assess",
    "report",
    "match",
    "export",
    "demo",
)


def parse_date(text: str) -> dt.date:
    """An ``argparse`` type for ``YYYY-MM-DD`` dates."""
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"found {text!r}, expected a date such as 2024-08-01"
        ) from None


def build_parser() -> argparse.ArgumentParser:
    """The argument parser with every command."""
    parser = argparse.ArgumentParser(
        prog="mentorcore",
        description="Eligibility, prices, service requirements and matching for programs "
        "that mentor and coach school leaders.",
    )
    from mentorcore import __version__

    parser.add_argument("--version", action="version", version=f"mentorcore {__version__}")
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in COMMANDS:
        module = importlib.import_module(f"mentorcore.cli.{name}")
        module.register(subparsers)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    parser = build_parser()
    args = parser.parse_args(argv)
    try:
        status: int = args.handler(args)
    except InputError as exc:
        print(f"mentorcore: error: {exc}", file=sys.stderr)
        return 2
    except MentorcoreError as exc:
        print(f"mentorcore: error: {exc}", file=sys.stderr)
        return 2
    except KeyboardInterrupt:
        print("mentorcore: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        return 0
    return status


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
