"""What every command shares: how it is described, its file and date arguments, exit codes.

One place says what a ``FILE`` and a ``DATE`` are, how ``-`` reads standard
input and ``--format`` names its format, and how ``check`` and ``report``
turn a status into an exit code, so that every command reads the same way
in ``--help`` and in a script.
"""

from __future__ import annotations

import argparse
import textwrap

from mentorcore.errors import Described, InputError
from mentorcore.io.sources import FORMATS, STDIN

# Kept light: ``programs`` registers through here on its fast start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from mentorcore.rules.requirements import Status

__all__ = [
    "DATE",
    "EXIT_BAD_INPUT",
    "EXIT_NOT_MET",
    "EXIT_OK",
    "FILE",
    "add_command",
    "add_date",
    "add_format",
    "add_json",
    "add_strict",
    "exit_status",
    "one_stdin",
]

#: The metavar of every file argument (``-`` is standard input).
FILE = "FILE"
#: The metavar of every date option (``YYYY-MM-DD``).
DATE = "DATE"
#: Exit codes: 0 all met (or nothing to judge), 1 something not met, 2 bad input.
EXIT_OK = 0
EXIT_NOT_MET = 1
EXIT_BAD_INPUT = 2


def add_command(
    subparsers: argparse._SubParsersAction,  # type: ignore[type-arg]
    name: str,
    summary: str,
    *,
    example: str,
    description: str = "",
) -> argparse.ArgumentParser:
    """Add a command with its one-line ``summary`` (``--help`` lists it), a longer
    ``description`` and an ``example`` command line shown under its options."""
    epilog = "example:\n" + textwrap.indent(example.strip(), "  ")
    return subparsers.add_parser(  # type: ignore[no-any-return]
        name,
        help=summary,
        description=f"{summary[0].upper()}{summary[1:]}."
        + (f" {description}" if description else ""),
        epilog=epilog,
        formatter_class=_Formatter,
    )


class _Formatter(argparse.HelpFormatter):
    """Wraps the description to the terminal, keeps the example's lines as written."""

    def _fill_text(self, text: str, width: int, indent: str) -> str:
        if text.startswith("example:\n"):
            return "".join(indent + line for line in text.splitlines(keepends=True))
        return super()._fill_text(text, width, indent)


def add_date(parser: argparse.ArgumentParser, flag: str, what: str, default: str) -> None:
    """A ``DATE`` option (``YYYY-MM-DD``) such as ``--on`` or ``--as-of``."""
    from mentorcore.cli.main import parse_date

    parser.add_argument(
        flag,
        type=parse_date,
        default=None,
        metavar=DATE,
        help=f"{what}, as YYYY-MM-DD (default: {default})",
    )


def add_format(parser: argparse.ArgumentParser, formats: tuple[str, ...] = FORMATS) -> None:
    """``--format``: the format of a file given as ``-`` (or with an unusual name)."""
    parser.add_argument(
        "--format",
        choices=formats,
        default=None,
        help="format of the input files; needed only for - (standard input) when the "
        "content does not show it, or a file name without .toml/.json/.csv",
    )


def add_json(parser: argparse.ArgumentParser, what: str = "print JSON") -> None:
    """``--json``: machine output."""
    parser.add_argument("--json", action="store_true", help=what)


def add_strict(parser: argparse.ArgumentParser) -> None:
    """``--strict``: exit 1 when anything is at risk, too."""
    parser.add_argument(
        "--strict",
        action="store_true",
        help="exit 1 when a requirement is at risk, not only when one is not met",
    )


def exit_status(status: Status, strict: bool = False) -> int:
    """0 when met, 1 when not met (and, with ``strict``, when at risk)."""
    if status.value == "met":
        return EXIT_OK
    if status.value == "at_risk" and not strict:
        return EXIT_OK
    return EXIT_NOT_MET


def one_stdin(*values: tuple[str, str | None]) -> None:
    """Refuse ``-`` (standard input) for more than one file argument.

    ``values`` are pairs of an option's name and its value.
    """
    given = [name for name, value in values if value == STDIN]
    if len(given) > 1:
        raise InputError(
            path=" and ".join(given),
            found=Described(f"- for {len(given)} files"),
            expected="standard input (-) for one file at most",
        )
