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
import contextlib
import datetime as dt
import importlib
import io
import json
from pathlib import Path
from typing import Any

from mentorcore.cli.main import build_parser, registry_of
from mentorcore.cli.options import add_command, add_json
from mentorcore.cli.output import emit_json
from mentorcore.errors import InputError, MentorcoreError
from mentorcore.io.loaders import read_data
from mentorcore.registry import Registry

__all__ = ["register", "run"]


def register(subparsers: Any) -> None:
    """Add the ``demo`` command."""
    parser = add_command(
        subparsers,
        "demo",
        "walk through the example files, running every command on them",
        description="Each step is printed as the command line it runs, then its output. "
        "With --json the whole walk is one JSON object: a list of steps, each with its "
        "command, exit status and JSON output (or error).",
        example="mentorcore demo\nmentorcore demo --json > demo.json",
    )
    parser.add_argument(
        "--examples",
        metavar="DIR",
        default=None,
        help="the examples folder (default: the examples that ship with mentorcore)",
    )
    add_json(parser, "run each step with --json and print the walk as one JSON object")
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


class _Walk:
    """The demo's steps, printed as they run, or collected as JSON."""

    def __init__(self, as_json: bool, registry: Registry) -> None:
        self.as_json = as_json
        self.registry = registry
        self.steps: list[dict[str, Any]] = []
        self.failures = 0

    def banner(self, text: str) -> None:
        if not self.as_json:
            print()
            print(text)
            print("=" * len(text))

    def note(self, text: str) -> None:
        if not self.as_json:
            print(text)

    def step(self, argv: list[str]) -> None:
        """Run one command; a status of 2 (bad input) counts as a failed step.

        ``check`` and ``report`` exit 1 when a requirement is not met: that is
        the example's answer, not a failure.
        """
        full = argv + (["--json"] if self.as_json else [])
        args = build_parser().parse_args(full)
        args.registry = self.registry
        if not self.as_json:
            print(f"\n$ mentorcore {' '.join(full)}")
            try:
                status: int = args.handler(args)
            except MentorcoreError as exc:
                print(f"mentorcore: error: {exc}")
                status = 2
            self.failures += status == 2
            return
        out, error = io.StringIO(), None
        with contextlib.redirect_stdout(out):
            try:
                status = args.handler(args)
            except MentorcoreError as exc:
                error, status = str(exc), 2
        self.failures += status == 2
        text = out.getvalue()
        self.steps.append(
            {
                "command": ["mentorcore", *full],
                "status": status,
                "output": json.loads(text) if text.strip() else None,
                "error": error,
            }
        )


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
    walk = _Walk(args.json, registry)
    walk.banner("Installed programs")
    walk.step(["programs"])
    for folder in sorted(p for p in root.iterdir() if p.is_dir()):
        program_id = folder.name
        if program_id not in registry.programs:
            continue
        program = registry.programs[program_id]
        settings = _settings(folder)
        on = settings.get("on")
        when = ["--on", on.isoformat()] if on else []
        as_of = ["--as-of", on.isoformat()] if on else []
        walk.banner(f"{program.title} ({program_id})")
        walk.step(["show", program_id])
        people_files = sorted(folder.glob("*people*.toml"))
        for people in people_files:
            walk.step(["eligibility", program_id, str(people), *when])
            if program.pricing is not None:
                hours = (
                    settings.get("hours") or program.pricing.table.schedules[-1].packages[0].hours
                )
                walk.step(["quote", program_id, str(people), "--hours", str(hours), *when])
        for number, engagement in enumerate(sorted(folder.glob("*engagement*.toml"))):
            extra = ["--people", str(people_files[0])] if people_files else []
            walk.step(["check", str(engagement), *extra, *as_of])
            if number == 0 and _has_command("report"):
                for audience in ("mentor", "sponsor"):
                    walk.step(["report", str(engagement), *extra, *as_of, "--audience", audience])
        if _has_command("assess"):
            for assessment in sorted(folder.glob("*assessment*.toml")):
                walk.step(["assess", str(assessment), *as_of])
        if program.frameworks and _has_command("export"):
            walk.note(
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
            walk.banner(f"Matching a cohort ({program_id})")
            on = settings.get("on")
            when = ["--on", on.isoformat()] if on else []
            walk.step(
                [
                    "match",
                    program_id,
                    "--leaders",
                    str(matching / leaders),
                    "--mentors",
                    str(matching / mentors),
                    *when,
                ]
            )
    if args.json:
        emit_json({"steps": walk.steps, "failures": walk.failures})
        return 1 if walk.failures else 0
    print()
    if walk.failures:
        print(f"{walk.failures} demo step(s) failed.")
        return 1
    print("Demo finished: every step ran.")
    return 0
