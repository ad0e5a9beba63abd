"""``mentorcore export PROGRAM --format toml|case [--framework ID]``: a program as data."""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.options import FILE, add_command, add_json
from mentorcore.errors import Described, InputError
from mentorcore.io.converter import unstructure
from mentorcore.io.export import json_default, program_to_toml

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``export`` command."""
    parser = add_command(
        subparsers,
        "export",
        "write a program out as TOML, as JSON or its frameworks as CASE JSON",
        description="--format toml (the default) writes the program as data, the shape a "
        "plug-in's program file has; --json writes the same data as JSON; --format case "
        "writes its frameworks as 1EdTech CASE JSON.",
        example="mentorcore export ipa > ipa.toml\n"
        "mentorcore export ipa --json > ipa.json\n"
        "mentorcore export ipa --format case > ipa-case.json",
    )
    parser.add_argument("program", help="program id (see mentorcore programs)")
    parser.add_argument(
        "--format",
        choices=("toml", "case"),
        default=None,
        help="toml: the program as data (default); case: its frameworks as 1EdTech CASE JSON",
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
    parser.add_argument(
        "--output", "-o", default=None, metavar=FILE, help="write to this file instead of stdout"
    )
    add_json(parser, "write the program as JSON (with --format case: CASE JSON, as without)")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """Write the program out."""
    registry = registry_of(args)
    program = registry.program(args.program)
    if args.json and args.format == "toml":
        raise InputError(
            path="--json",
            found=Described("--json with --format toml"),
            expected="one of them: --format toml writes TOML, --json writes JSON",
        )
    framework = getattr(args, "framework", None)
    if framework is not None and args.format != "case":
        raise InputError("--framework needs --format case: TOML exports the whole program")
    if args.format == "case":
        from mentorcore.io.case import program_package, program_to_case

        data = (
            program_to_case(program, registry, base_uri=args.base_uri)
            if framework is None
            else program_package(program, registry, framework, base_uri=args.base_uri)
        )
        text = _json(data)
    elif args.json:
        text = _json(unstructure(program))
    else:
        text = program_to_toml(program)
    if args.output:
        try:
            Path(args.output).write_text(text, encoding="utf-8")
        except OSError as exc:
            raise InputError(f"cannot write: {exc}", file=args.output) from None
        return 0
    sys.stdout.write(text)
    return 0


def _json(data: Any) -> str:
    return json.dumps(data, default=json_default, indent=2, ensure_ascii=False) + "\n"
