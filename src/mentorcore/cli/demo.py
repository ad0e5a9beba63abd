"""``mentorcore demo``: a walk through the example files, showing every capability.

The demo looks in the example files that ship with mentorcore (or in
``--examples DIR``) for one folder per program, named by the program id, and
for each installed program runs what its files allow:

* ``*people*.toml`` → eligibility decisions and quotes;
* ``*engagement*.toml`` → engagement checks (and, for the first, reports for two audiences);
* ``*assessment*.toml`` → assessment summaries;
* ``examples/matching/`` → a matched cohort.

An optional ``demo.toml`` in a folder sets ``on`` (the date of decisions and
checks) and ``hours`` (the package quoted), so that the demo shows the
examples on the dates they were written for.
"""

from __future__ import annotations

import argparse
import datetime as dt
import importlib
from pathlib import Path
from typing import Any

from mentorcore.cli.main import build_parser, registry_of
from mentorcore.errors import InputError, MentorcoreError
from mentorcore.io.loaders import read_data
from mentorcore.registry import Registry

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``demo`` command."""
    parser = subparsers.add_parser("demo", help="walk through the example files in examples/")
    parser.add_argument(
        "--examples",
        metavar="DIR",
        default=None,
        help="the examples folder (default: the examples that ship with mentorcore)",
    )
    parser.add_argument("--json", action="store_true", help="run each step with --json")
    parser.set_defaults(handler=run)


def shipped_examples() -> Path | None:
    """The example files that ship with mentorcore, or ``None`` if there are none.

    A wheel carries them inside the package (``mentorcore/examples``); a
    source checkout has them at the repository's root (``examples/``).
    """
    package = Path(__file__).resolve().parent.parent
    for candidate in (package / "examples", package.parent.parent / "examples"):
        if candidate.is_dir():
            return candidate
    return None


def _banner(text: str) -> None:
    print()
    print(text)
    print("=" * len(text))


def _step(argv: list[str], as_json: bool, registry: Registry) -> int:
    shown = " ".join(argv + (["--json"] if as_json else []))
    print(f"\n$ mentorcore {shown}")
    parser = build_parser()
    args = parser.parse_args(argv + (["--json"] if as_json else []))
    args.registry = registry
    try:
        status: int = args.handler(args)
    except MentorcoreError as exc:
        print(f"mentorcore: error: {exc}")
        return 2
    return status


def _settings(folder: Path) -> dict[str, Any]:
    path = folder / "demo.toml"
    if not path.exists():
        return {}
    data = read_data(path)
    on = data.get("on")
    if on is not None and not isinstance(on, dt.date):
        raise InputError(file=str(path), path="on", found=on, expected="a date such as 2023-09-15")
    return data


def _has_command(name: str) -> bool:
    try:
        importlib.import_module(f"mentorcore.cli.{name}")
    except ImportError:
        return False
    return True


def run(args: argparse.Namespace) -> int:
    """Run the walk-through; returns non-zero if any step failed unexpectedly."""
    root = Path(args.examples) if args.examples is not None else shipped_examples()
    if root is None:
        raise InputError("no examples folder here: this installation has none; pass --examples DIR")
    if not root.is_dir():
        raise InputError(
            "no examples folder here; pass --examples with a folder of example files",
            file=str(root),
        )
    registry = registry_of(args)
    failures = 0
    _banner("Installed programs")
    failures += _step(["programs"], args.json, registry) != 0
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        program_id = folder.name
        if program_id not in registry.programs:
            continue
        program = registry.programs[program_id]
        settings = _settings(folder)
        on = settings.get("on")
        when = ["--on", on.isoformat()] if on else []
        as_of = ["--as-of", on.isoformat()] if on else []
        _banner(f"{program.title} ({program_id})")
        failures += _step(["show", program_id], args.json, registry) != 0
        people_files = sorted(folder.glob("*people*.toml"))
        for people in people_files:
            failures += (
                _step(["eligibility", program_id, str(people), *when], args.json, registry) != 0
            )
            if program.pricing is not None:
                hours = (
                    settings.get("hours") or program.pricing.table.schedules[-1].packages[0].hours
                )
                failures += (
                    _step(
                        ["quote", program_id, str(people), "--hours", str(hours), *when],
                        args.json,
                        registry,
                    )
                    != 0
                )
        for number, engagement in enumerate(sorted(folder.glob("*engagement*.toml"))):
            extra = ["--people", str(people_files[0])] if people_files else []
            failures += _step(["check", str(engagement), *extra, *as_of], args.json, registry) != 0
            if number == 0 and _has_command("report"):
                for audience in ("mentor", "sponsor"):
                    failures += (
                        _step(
                            ["report", str(engagement), *extra, *as_of, "--audience", audience],
                            args.json,
                            registry,
                        )
                        != 0
                    )
        if _has_command("assess"):
            for assessment in sorted(folder.glob("*assessment*.toml")):
                failures += _step(["assess", str(assessment), *as_of], args.json, registry) != 0
        if program.frameworks and _has_command("export"):
            print(
                f"\n(mentorcore export {program_id} --format case "
                "writes its frameworks as CASE JSON)"
            )
    matching = root / "matching"
    if matching.is_dir() and _has_command("match"):
        settings = _settings(matching)
        program_id = str(settings.get("program", "ipa"))
        leaders = settings.get("leaders", "leaders.toml")
        mentors = settings.get("mentors", "mentors.toml")
        if program_id in registry.programs:
            _banner(f"Matching a cohort ({program_id})")
            on = settings.get("on")
            when = ["--on", on.isoformat()] if on else []
            failures += (
                _step(
                    [
                        "match",
                        program_id,
                        "--leaders",
                        str(matching / leaders),
                        "--mentors",
                        str(matching / mentors),
                        *when,
                    ],
                    args.json,
                    registry,
                )
                != 0
            )
    print()
    if failures:
        print(f"{failures} demo step(s) failed.")
        return 1
    print("Demo finished: every step ran.")
    return 0
