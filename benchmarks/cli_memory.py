"""Peak memory of the bulk commands' JSON output, beside a baseline that builds the list first.

Run::

    .venv/bin/python benchmarks/cli_memory.py                 # 200,000 leaders
    .venv/bin/python benchmarks/cli_memory.py --people 20000

It writes a seeded synthetic people CSV (the same leaders every run), then
runs, each in its own process, and reports its peak resident memory (the
child's ``ru_maxrss`` from :func:`os.wait4`, the figure ``/usr/bin/time -v``
prints as "Maximum resident set size") and its wall time:

* ``eligibility ipa FILE --json`` and ``--jsonl``, and ``quote ipa FILE
  --hours 40 --json`` and ``--jsonl``: the command line as shipped;
* ``baseline --json``: the same decisions through the same API, but the
  whole list built and then dumped at once (what ``--json`` did before it
  streamed).

Every command's output goes to a file, which is then checked to be valid
JSON (or JSON lines) with one item per leader.
"""

from __future__ import annotations

import argparse
import csv
import datetime as dt
import os
import random
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

COLUMNS = [
    "kind",
    "id",
    "name",
    "role",
    "role_started",
    "first_time_in_role",
    "memberships",
    "school_name",
    "school_state",
    "school_sector",
]

BASELINE = """
import sys, json
from mentorcore.bulk import decide_many, iter_people
from mentorcore.cli.output import emit_json
from mentorcore.registry import load_registry
import datetime as dt
registry = load_registry()
people = iter_people(sys.argv[1])
emit_json(list(decide_many(registry, "ipa", people, dt.date(2023, 9, 15))))
"""


def write_people(path: Path, count: int, seed: int = 20231) -> None:
    """``count`` leaders drawn with a fixed seed, as a people CSV."""
    rng = random.Random(seed)
    roles = ["principal"] * 5 + ["assistant_principal", "dean", "director", "other"]
    states = ["IL"] * 6 + ["WI", "IN", "MO", "IA"]
    sectors = ["public"] * 6 + ["charter"] * 2 + ["private"] * 2
    with path.open("w", newline="", encoding="utf-8") as handle:
        writer = csv.writer(handle)
        writer.writerow(COLUMNS)
        for index in range(count):
            started = dt.date(2019, 7, 1) + dt.timedelta(days=rng.randrange(0, 5 * 365))
            writer.writerow(
                [
                    "leader",
                    f"leader-{index:06d}",
                    f"Leader {index}",
                    rng.choice(roles),
                    started.isoformat(),
                    "true" if rng.random() < 0.6 else "false",
                    "ipa" if rng.random() < 0.5 else "",
                    f"School {rng.randrange(5000)}",
                    rng.choice(states),
                    rng.choice(sectors),
                ]
            )


def measure(argv: list[str], output: Path) -> tuple[float, float]:
    """Run ``argv`` with stdout to ``output``; its peak resident memory (MB) and wall time (s)."""
    started = time.monotonic()
    with output.open("wb") as out:
        process = subprocess.Popen(argv, stdout=out, stderr=subprocess.DEVNULL)
        _, status, usage = os.wait4(process.pid, 0)
        process.returncode = os.waitstatus_to_exitcode(status)
    elapsed = time.monotonic() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} exited {process.returncode}")
    return usage.ru_maxrss / 1024, elapsed  # ru_maxrss is in KiB on Linux


_COUNT = """
import json, sys
with open(sys.argv[1], encoding="utf-8") as handle:
    if sys.argv[2] == "lines":
        print(sum(1 for line in handle if json.loads(line)))
    else:
        print(len(json.load(handle)))
"""


def count_items(output: Path, lines: bool) -> int:
    """How many items the output holds, reading it as JSON (or JSON lines).

    In a process of its own: a child forked from a parent that had loaded a
    large output would start with the parent's resident memory, and the next
    measurement would count it.
    """
    shape = "lines" if lines else "list"
    counted = subprocess.run(
        [sys.executable, "-c", _COUNT, str(output), shape],
        capture_output=True,
        text=True,
        check=True,
    )
    return int(counted.stdout)


def main(argv: Sequence[str] | None = None) -> int:
    """Write the people, run each command, print a table of figures."""
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--people", type=int, default=200_000)
    args = parser.parse_args(argv)
    exe = [sys.executable, "-m", "mentorcore"]
    with tempfile.TemporaryDirectory(prefix="mentorcore-memory-") as scratch:
        folder = Path(scratch)
        people = folder / "people.csv"
        write_people(people, args.people)
        on = ["--on", "2023-09-15"]
        runs = {
            "eligibility --json": ([*exe, "eligibility", "ipa", str(people), *on, "--json"], False),
            "eligibility --jsonl": (
                [*exe, "eligibility", "ipa", str(people), *on, "--jsonl"],
                True,
            ),
            "quote --json": (
                [*exe, "quote", "ipa", str(people), "--hours", "40", *on, "--json"],
                False,
            ),
            "quote --jsonl": (
                [*exe, "quote", "ipa", str(people), "--hours", "40", *on, "--jsonl"],
                True,
            ),
            "baseline --json (list built first)": (
                [sys.executable, "-c", BASELINE, str(people)],
                False,
            ),
        }
        print(f"{args.people:,} leaders, {people.stat().st_size / 1e6:.1f} MB of CSV")
        print(f"{'command':<38} {'peak RSS MB':>12} {'seconds':>8} {'items':>8}")
        for label, (command, lines) in runs.items():
            output = folder / "out.json"
            peak, seconds = measure(command, output)
            items = count_items(output, lines)
            print(f"{label:<38} {peak:>12.0f} {seconds:>8.1f} {items:>8,}")
            if items != args.people:
                raise SystemExit(f"{label}: {items} items, expected {args.people}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
