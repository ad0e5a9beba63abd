"""``mentorcore programs``: the installed programs, any plug-in that failed, any id in conflict."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.output import emit_json, table, write
from mentorcore.listing import program_listing

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``programs`` command."""
    parser = subparsers.add_parser("programs", help="list installed programs and failed plug-ins")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List programs, plug-ins and failures."""
    registry = registry_of(args)
    listing = program_listing(registry)
    if args.json:
        emit_json(listing)
        return 0
    programs = listing.programs
    if programs:
        write(
            table(
                ["program", "title", "organization", "plug-in", "kinds"],
                [[p.id, p.title, p.organization, p.plugin, ", ".join(p.kinds)] for p in programs],
            )
        )
    else:
        write("No programs installed. Install a plug-in such as mentorcore-ipa.")
    write()
    write(
        table(
            ["plug-in", "distribution", "version", "contributed"],
            [
                [
                    p.name,
                    p.distribution or "-",
                    p.version or "-",
                    f"{len(p.contributions)} item{'s' if len(p.contributions) != 1 else ''}",
                ]
                for p in listing.plugins
            ],
        )
    )
    if listing.failures:
        write()
        write("Plug-ins that failed to load:")
        for failure in listing.failures:
            write(f"  {failure.plugin}: {failure.reason}")
    if listing.conflicts:
        write()
        write("Ids claimed by more than one plug-in (neither is used):")
        for conflict in listing.conflicts:
            write(f"  {conflict.kind} {conflict.id}: {conflict.reason}")
    if listing.warnings:
        write()
        write("Warnings:")
        for warning in listing.warnings:
            write(f"  {warning}")
    return 0
