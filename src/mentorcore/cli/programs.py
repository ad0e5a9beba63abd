"""``mentorcore programs``: the installed programs and any plug-in that failed."""

from __future__ import annotations

import argparse
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.output import emit_json, table, write

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``programs`` command."""
    parser = subparsers.add_parser("programs", help="list installed programs and failed plug-ins")
    parser.add_argument("--json", action="store_true", help="print JSON")
    parser.set_defaults(handler=run)


def run(args: argparse.Namespace) -> int:
    """List programs, plug-ins and failures."""
    registry = registry_of(args)
    programs = [
        {
            "id": program.id,
            "title": program.title,
            "organization": program.organization,
            "plugin": program.plugin,
            "kinds": [kind.id for kind in program.kinds],
        }
        for program in sorted(registry.programs.values(), key=lambda p: p.id)
    ]
    plugins = [
        {
            "name": info.name,
            "distribution": info.distribution,
            "version": info.version,
            "contributions": list(info.contributions),
            "contributed": len(info.contributions),
        }
        for info in registry.plugins
    ]
    failures = [
        {
            "plugin": f.plugin,
            "distribution": f.distribution,
            "version": f.version,
            "reason": f.reason,
        }
        for f in registry.failures
    ]
    if args.json:
        emit_json({"programs": programs, "plugins": plugins, "failures": failures})
        return 0
    if programs:
        write(
            table(
                ["program", "title", "organization", "plug-in", "kinds"],
                [
                    [p["id"], p["title"], p["organization"], p["plugin"], ", ".join(p["kinds"])]
                    for p in programs
                ],
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
                    p["name"],
                    p["distribution"] or "-",
                    p["version"] or "-",
                    f"{p['contributed']} item{'s' if p['contributed'] != 1 else ''}",
                ]
                for p in plugins
            ],
        )
    )
    if failures:
        write()
        write("Plug-ins that failed to load:")
        for failure in failures:
            write(f"  {failure['plugin']}: {failure['reason']}")
    return 0
