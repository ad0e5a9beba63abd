"""Entry point of the ``mentorcore`` command.

Bad input prints one :class:`~mentorcore.errors.MentorcoreError` message and
exits with status 2, never a traceback. ``check`` and ``report`` exit 1 when
a requirement is not met (see :mod:`mentorcore.cli.options`).

The command line is handed a registry: :func:`main` takes one (tests and
embedding applications build their own), and a command reaches it with
:func:`registry_of`; without one, the installed plug-ins are loaded the
first time a command needs them.
"""

from __future__ import annotations

import argparse
import importlib
import os
import sys
from collections.abc import Sequence

from mentorcore.errors import InputError, MentorcoreError
from mentorcore.io.sources import max_file_bytes_limit, parse_size

TYPE_CHECKING = False
if TYPE_CHECKING:
    import datetime as dt

    from mentorcore.registry import Registry

__all__ = ["COMMANDS", "build_parser", "main", "parse_date", "registry_of"]

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
    "suggest",
    "export",
    "calendar",
    "credential",
    "verify",
    "schema",
    "serve",
    "demo",
    "completion",
)


def parse_date(text: str) -> dt.date:
    """An ``argparse`` type for ``YYYY-MM-DD`` dates."""
    import datetime as dt

    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(
            f"found {text!r}, expected a date such as 2024-08-01"
        ) from None


def build_parser(commands: Sequence[str] = COMMANDS) -> argparse.ArgumentParser:
    """The argument parser with every command (or only ``commands``)."""
    parser = argparse.ArgumentParser(
        prog="mentorcore",
        description="Eligibility, prices, service requirements and matching for programs "
        "that mentor and coach school leaders.",
        epilog="Every FILE may be - (standard input); every DATE is YYYY-MM-DD. Exit status: "
        "0 done, 1 check or report found a requirement not met (--strict: or at risk), "
        "2 bad input. Run 'mentorcore COMMAND --help' for a command's options and an example.",
    )
    from mentorcore import __version__
    from mentorcore.io.sources import DEFAULT_MAX_FILE_BYTES, MAX_FILE_BYTES_ENV

    parser.add_argument("--version", action="version", version=f"mentorcore {__version__}")
    parser.add_argument(
        "--max-file-size",
        metavar="SIZE",
        default=None,
        help="largest TOML or JSON file read, in bytes or with K, M, G (default: "
        f"${MAX_FILE_BYTES_ENV}, else {DEFAULT_MAX_FILE_BYTES // 1024**2}M); CSV has no limit",
    )
    subparsers = parser.add_subparsers(dest="command", metavar="COMMAND")
    subparsers.required = True
    for name in commands:
        module = importlib.import_module(f"mentorcore.cli.{name}")
        module.register(subparsers)
    return parser


def registry_of(args: argparse.Namespace) -> Registry:
    """The registry a command works with: the one :func:`main` was handed.

    Without one, every installed plug-in is loaded (once per process, with
    :func:`mentorcore.load_registry`) and kept on ``args``.
    """
    registry: Registry | None = getattr(args, "registry", None)
    if registry is None:
        from mentorcore.registry import load_registry

        registry = load_registry()
        args.registry = registry
    return registry


def main(argv: Sequence[str] | None = None, *, registry: Registry | None = None) -> int:
    """Run the command line; returns the exit status.

    ``registry`` is the registry the command works with (a test's, an
    application's); by default the installed plug-ins are loaded when the
    command first needs them.
    """
    argv = list(sys.argv[1:] if argv is None else argv)
    if "_ARGCOMPLETE" in os.environ:  # a shell asking for completions (mentorcore completion)
        from mentorcore.cli.completion import complete

        complete(build_parser())
    # A command named first needs only its own module (the others import
    # what they need at start-up); anything else gets the whole parser.
    chosen = argv[0] if argv and argv[0] in COMMANDS else None
    parser = build_parser((chosen,) if chosen else COMMANDS)
    args = parser.parse_args(argv)
    args.registry = registry
    try:
        limit = parse_size(args.max_file_size, "--max-file-size") if args.max_file_size else None
        with max_file_bytes_limit(limit):
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
