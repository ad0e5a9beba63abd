#!/usr/bin/env python3
"""Set up a development environment and run the demo or every check.

    python3 dev.py demo    set up, then run `mentorcore demo` over examples/
    python3 dev.py test    set up, then run ruff, mypy --strict, pytest and the docs build

Setting up creates `.venv/` beside this file with the standard library's
venv, installs the core with its dev and docs extras and every plug-in under
plugins/ in editable mode, and records what it installed so the next run
skips it unless a pyproject.toml changed. Needs only Python 3.11+ and access
to the package index.
"""

from __future__ import annotations

import hashlib
import os
import subprocess
import sys
import time
import venv
from pathlib import Path

ROOT = Path(__file__).resolve().parent
VENV = ROOT / ".venv"
BIN = VENV / ("Scripts" if os.name == "nt" else "bin")
PYTHON = BIN / ("python.exe" if os.name == "nt" else "python")
STAMP = VENV / ".mentorcore-installed"


def plugins() -> list[Path]:
    """The plug-in distributions in the repository, in a stable order."""
    return sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))


def fingerprint() -> str:
    """A hash of every pyproject.toml, so a changed dependency triggers a reinstall."""
    digest = hashlib.sha256()
    for path in [ROOT / "pyproject.toml", *(p / "pyproject.toml" for p in plugins())]:
        digest.update(str(path.relative_to(ROOT)).encode())
        digest.update(path.read_bytes())
    return digest.hexdigest()


def run(*command: str | Path, env: dict[str, str] | None = None) -> None:
    """Run a command from the repository root; stop with its status if it fails."""
    shown = " ".join(str(c) for c in command)
    print(f"\n==> {shown}", flush=True)
    started = time.monotonic()
    result = subprocess.run([str(c) for c in command], cwd=ROOT, env=env, check=False)
    if result.returncode != 0:
        print(f"\n!! failed ({result.returncode}): {shown}", file=sys.stderr)
        sys.exit(result.returncode)
    print(f"    ({time.monotonic() - started:.1f} s)", flush=True)


def setup() -> None:
    """Create .venv and install the core and every plug-in, unless already done."""
    if sys.version_info < (3, 11):  # noqa: UP036 - dev.py may be run by an older python3
        sys.exit(f"mentorcore needs Python 3.11 or newer; this is {sys.version.split()[0]}")
    if not PYTHON.exists():
        print(f"Creating {VENV.relative_to(ROOT)} ...", flush=True)
        venv.EnvBuilder(with_pip=True, clear=True).create(VENV)
    wanted = fingerprint()
    if STAMP.exists() and STAMP.read_text() == wanted:
        return
    pip = [PYTHON, "-m", "pip", "--disable-pip-version-check", "install", "--quiet"]
    run(*pip, "--upgrade", "pip")
    editable: list[str | Path] = ["-e", ".[dev,docs]"]
    for plugin in plugins():
        editable += ["-e", plugin.relative_to(ROOT).as_posix()]
    run(*pip, *editable)
    STAMP.write_text(wanted)


def demo() -> None:
    """The main job: the demo over examples/."""
    run(BIN / "mentorcore", "demo")


def test() -> None:
    """Every check: lint, format, types, tests (core, plug-ins, doctests), the docs with -W."""
    sources = ["src", *(p.relative_to(ROOT).as_posix() + "/src" for p in plugins())]
    run(BIN / "ruff", "check", ".")
    run(BIN / "ruff", "format", "--check", ".")
    run(BIN / "mypy", "--strict", *sources)
    env = dict(os.environ, MENTORCORE_TEST_RUN="1")
    run(PYTHON, "-m", "pytest", "-q", "--doctest-modules", "src", "tests", "plugins", env=env)
    if (ROOT / "docs" / "conf.py").exists():
        run(
            BIN / "sphinx-build",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "html",
            "docs",
            "docs/_build/html",
        )
        run(
            BIN / "sphinx-build",
            "-W",
            "--keep-going",
            "-q",
            "-b",
            "doctest",
            "docs",
            "docs/_build/doctest",
        )


def main() -> None:
    """Dispatch on the one argument: demo or test."""
    commands = {"demo": demo, "test": test, "setup": lambda: None}
    if len(sys.argv) != 2 or sys.argv[1] not in commands:
        sys.exit("usage: python3 dev.py demo|test|setup")
    setup()
    commands[sys.argv[1]]()


if __name__ == "__main__":
    main()
