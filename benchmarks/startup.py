"""Start-up time: ``import mentorcore`` and ``mentorcore programs`` beside a bare interpreter.

Run::

    .venv/bin/python benchmarks/startup.py            # 9 runs of each, medians
    .venv/bin/python benchmarks/startup.py --runs 21

Each command runs in a fresh interpreter, ``--runs`` times, after one
warm-up run (which also fills the listing cache, in a temporary folder);
the figures are medians in milliseconds, and "added" is the median minus
the bare ``python -c pass`` measured in the same run. Targets (issue 11):
``import mentorcore`` adds under 20 ms, ``mentorcore programs --json`` with
every plug-in installed under 150 ms. The same command with the listing
cache off (``MENTORCORE_CACHE_DIR=off``) shows what a first run, or a run
after anything installed changed, costs: every plug-in imported and every
data file structured. The last lines list the modules that dominate, from
``python -X importtime``, and whether NumPy, SciPy or Sphinx were imported
(they must not be).
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path

PYTHON = sys.executable
_BIN = Path(PYTHON).parent
MENTORCORE = shutil.which("mentorcore", path=str(_BIN)) or str(_BIN / "mentorcore")

#: (label, command): each runs in a fresh process.
COMMANDS: tuple[tuple[str, list[str]], ...] = (
    ("python -c pass (baseline)", [PYTHON, "-c", "pass"]),
    ("python -c 'import mentorcore'", [PYTHON, "-c", "import mentorcore"]),
    (
        "its dependencies alone (attrs, cattrs, pluggy …)",
        [
            PYTHON,
            "-c",
            "import attrs, cattrs, pluggy, importlib.metadata, tomllib, tomli_w, csv, json",
        ],
    ),
    (
        "import the core (registry, converter)",
        [PYTHON, "-c", "import mentorcore.registry, mentorcore.io.loaders"],
    ),
    (
        "... and load_registry() (every plug-in)",
        [PYTHON, "-c", "import mentorcore; mentorcore.load_registry()"],
    ),
    ("mentorcore programs", [MENTORCORE, "programs"]),
    ("mentorcore programs --json", [MENTORCORE, "programs", "--json"]),
    (
        "mentorcore programs --json, no listing cache",
        ["env", "MENTORCORE_CACHE_DIR=off", MENTORCORE, "programs", "--json"],
    ),
)

_HEAVY = ("numpy", "scipy", "sphinx")


#: The environment of the measured processes. Python writes its bytecode
#: cache as an installed package has it (under a prefix in the temporary
#: directory, so the source tree stays clean), unless ``--no-bytecode``.
ENV = dict(os.environ)


def _median_ms(command: list[str], runs: int) -> float:
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)  # warm the caches
    times = []
    for _ in range(runs):
        started = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=ENV)
        times.append(time.perf_counter() - started)
    return statistics.median(times) * 1000


def _self_times(code: str) -> list[tuple[float, str]]:
    """Milliseconds spent in each package's own modules (``-X importtime`` self times)."""
    # once to warm the bytecode and listing caches, then measured
    subprocess.run([PYTHON, "-c", code], capture_output=True, check=True, env=ENV)
    result = subprocess.run(
        [PYTHON, "-X", "importtime", "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env=ENV,
    )
    totals: dict[str, float] = {}
    for line in result.stderr.splitlines():
        match = re.match(r"import time:\s+(\d+) \|\s+\d+ \|\s*(\S+)", line)
        if match:
            name = match.group(2)
            group = name if name.startswith("mentorcore.") else name.split(".")[0]
            totals[group] = totals.get(group, 0.0) + int(match.group(1)) / 1000
    return sorted(((ms, name) for name, ms in totals.items()), reverse=True)


def _plugins() -> str:
    code = (
        "import mentorcore; r = mentorcore.load_registry(); "
        "print(', '.join(p.name for p in r.plugins if p.name != 'mentorcore'), "
        "'| failed:', ', '.join(f.plugin for f in r.failures) or 'none')"
    )
    return subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=ENV
    ).stdout.strip()


def _heavy() -> str:
    code = (
        "import sys, mentorcore; mentorcore.load_registry(); "
        f"print([m for m in {_HEAVY!r} if m in sys.modules])"
    )
    return subprocess.run(
        [PYTHON, "-c", code], capture_output=True, text=True, env=ENV
    ).stdout.strip()


def main(argv: Sequence[str] | None = None) -> int:
    """Print the figures."""
    parser = argparse.ArgumentParser(description="Start-up time of mentorcore.")
    parser.add_argument("--runs", type=int, default=9)
    parser.add_argument(
        "--no-bytecode",
        action="store_true",
        help="compile every module from source each time (PYTHONDONTWRITEBYTECODE=1)",
    )
    args = parser.parse_args(argv)
    ENV.pop("MENTORCORE_PLUGINS", None)
    ENV["MENTORCORE_CACHE_DIR"] = tempfile.mkdtemp(prefix="mentorcore-startup-cache-")
    if args.no_bytecode:
        ENV["PYTHONDONTWRITEBYTECODE"] = "1"
        ENV.pop("PYTHONPYCACHEPREFIX", None)
        cache = "no bytecode cache: every module compiled from source"
    else:
        ENV.pop("PYTHONDONTWRITEBYTECODE", None)
        ENV["PYTHONPYCACHEPREFIX"] = str(Path(tempfile.gettempdir()) / "mentorcore-startup-pycache")
        cache = "bytecode cache warm, as in an installed environment"
    print(f"Python {sys.version.split()[0]} on {sys.platform}; median of {args.runs} runs; {cache}")
    print(f"plug-ins: {_plugins()}")
    print(f"{'command':<50} {'median ms':>9} {'added ms':>9}")
    print("-" * 70)
    baseline = None
    figures: dict[str, float] = {}
    for label, command in COMMANDS:
        median = _median_ms(command, args.runs)
        figures[label] = median
        if baseline is None:
            baseline = median
        print(f"{label:<50} {median:>9.1f} {median - baseline:>9.1f}")
    core = figures["import the core (registry, converter)"]
    loaded = figures["... and load_registry() (every plug-in)"]
    assert baseline is not None
    print()
    print(f"import mentorcore adds {figures[COMMANDS[1][0]] - baseline:.1f} ms (target < 20)")
    deps = figures[COMMANDS[2][0]]
    print(
        f"dependencies add {deps - baseline:.1f} ms; the core's modules {core - deps:.1f} ms more"
    )
    print(f"load_registry() with every plug-in adds {loaded - core:.1f} ms")
    print(f"mentorcore programs adds {figures['mentorcore programs'] - baseline:.1f} ms in all")
    listed = figures["mentorcore programs --json"] - baseline
    cold = figures["mentorcore programs --json, no listing cache"] - baseline
    print(f"mentorcore programs --json adds {listed:.1f} ms (target < 150); uncached {cold:.1f} ms")
    print(f"NumPy/SciPy/Sphinx imported after import + load_registry(): {_heavy()}")
    print()
    code = (
        "import sys; from mentorcore.cli.main import main; sys.exit(main(['programs', '--json']))"
    )
    times = _self_times(code)
    ours = sum(ms for ms, name in times if name.startswith("mentorcore"))
    print(
        "where mentorcore programs --json (cached) spends its imports "
        f"(self ms; all mentorcore modules: {ours:.1f}):"
    )
    for ms, name in times[:14]:
        print(f"  {ms:7.1f}  {name}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
