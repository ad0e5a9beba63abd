"""``mentorcore export PROGRAM --format toml|case [--framework ID]``: a program as data."""

from __future__ import annotations

import argparse
import json
from pathlib import Path
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.output import write
from mentorcore.errors import InputError
from mentorcore.io.export import json_default, program_to_toml

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``export`` command."""
    parser = subparsers.add_parser("export", help="write a program out as TOML or CASE JSON")
    parser.add_argument("program", help="program id")
    parser.add_argument(
        "--format",
        choices=("toml", "case"),
        default="toml",
        help="toml: the program as data; case: its frameworks as 1EdTech CASE JSON",
    )
    parser.add_argument(
        "--framework",
        default=None,
        metavar="ID",
        help="with --format case: print only this framework as one bare CASE 1.1 CFPackage, "
        "the shape a CASE server's CFPackages/{id} endpoint serves and imports",
    )
    parser.add_argument(
        "--base-uri",
        dest="base_uri",
        default=None,
        metavar="URL",
        help="with --format case: prefix of every uri (a CASE server's address, such as "
        "https://case.example.org/uri); default urn:uuid:<identifier>",
    )
    parser.add_argument("--output", "-o", default=None, help="write to this file instead of stdout")
    parser.add_argument(
        "--json", action="store_true", help="accepted for symmetry; CASE is JSON already"
    )
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the program out."""
    registry = registry_of(args)
    program = registry.program(args.program)
    framework = getattr(args, "framework", None)
    if args.format == "toml":
        if framework is not None:
            raise InputError("--framework needs --format case: TOML exports the whole program")
        text = program_to_toml(program)
    else:
        from mentorcore.io.case import program_package, program_to_case

        data = (
            program_to_case(program, registry, base_uri=args.base_uri)
            if framework is None
            else program_package(program, registry, framework, base_uri=args.base_uri)
        )
        text = (
            json.dumps(
                data,
                default=json_default,
                indent=2,
                ensure_ascii=False,
            )
            + "\n"
        )
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc}", file=args.output) from None
        return 0
    write(text.rstrip("\n"))
    return 0
