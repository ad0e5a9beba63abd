"""``mentorcore programs``: the installed programs, any plug-in that failed, any id in conflict.

Listing programs is what a first command run does, so it is kept fast: the
listing a full load produced is cached (:mod:`mentorcore.listing_cache`)
and, while nothing installed has changed, printed without importing any
plug-in. The listing is the one output converter's data either way.
"""

from __future__ import annotations

import argparse
import json
import sys

from mentorcore.cli.main import registry_of
from mentorcore.cli.options import add_command, add_json

# Not ``from typing import ...``: typing's import is a large share of this start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["listing_data", "register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``programs`` command."""
    parser = add_command(
        subparsers,
        "programs",
        "list the installed programs, the plug-ins that gave them and any that failed",
        example="mentorcore programs\nmentorcore programs --json",
    )
    add_json(parser)
    parser.set_defaults(handler=run)


def listing_data(args: argparse.Namespace) -> dict[str, Any]:
    """The listing as plain data: from the cache when no registry was handed and it is fresh."""
    handed = getattr(args, "registry", None) is not None
    if not handed:
        from mentorcore.listing_cache import read_listing

        cached = read_listing()
        if cached is not None:
            for warning in cached.get("warnings", ()):
                print(f"mentorcore: warning: {warning}", file=sys.stderr)
            return cached
    registry = registry_of(args)
    from mentorcore.listing import program_listing
    from mentorcore.output import to_data

    data: dict[str, Any] = to_data(program_listing(registry))
    if not handed and not registry.failures:
        from mentorcore.listing_cache import write_listing

        write_listing(data, [p.name for p in registry.plugins])
    return data


def _table(headers: list[str], rows: list[list[str]]) -> str:
    from mentorcore.cli.output import table

    return table(headers, rows)


def run(args: argparse.Namespace) -> int:
    """List programs, plug-ins, failures, conflicts and warnings."""
    listing = listing_data(args)
    if args.json:
        print(json.dumps(listing, indent=2, ensure_ascii=False))
        return 0
    lines: list[str] = []
    programs = listing["programs"]
    if programs:
        lines.append(
            _table(
                ["program", "title", "organization", "plug-in", "kinds"],
                [
                    [p["id"], p["title"], p["organization"], p["plugin"], ", ".join(p["kinds"])]
                    for p in programs
                ],
            )
        )
    else:
        lines.append("No programs installed. Install a plug-in such as mentorcore-ipa.")
    lines.append("")
    lines.append(
        _table(
            ["plug-in", "distribution", "version", "contributed"],
            [
                [
                    p["name"],
                    p["distribution"] or "-",
                    p["version"] or "-",
                    f"{len(p['contributions'])} item{'s' if len(p['contributions']) != 1 else ''}",
                ]
                for p in listing["plugins"]
            ],
        )
    )
    if listing["failures"]:
        lines += ["", "Plug-ins that failed to load:"]
        lines += [f"  {f['plugin']}: {f['reason']}" for f in listing["failures"]]
    if listing.get("conflicts"):
        lines += ["", "Ids claimed by more than one plug-in (neither is used):"]
        lines += [f"  {c['kind']} {c['id']}: {c['reason']}" for c in listing["conflicts"]]
    if listing.get("warnings"):
        lines += ["", "Warnings:"]
        lines += [f"  {warning}" for warning in listing["warnings"]]
    from mentorcore.cli.output import terminal_safe  # a plug-in's reason is data too

    print(terminal_safe("\n".join(lines)))
    return 0
