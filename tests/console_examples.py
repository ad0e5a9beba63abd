"""Run a docs page's examples as a reader would: files written, console blocks run in bash.

A page's fenced blocks are read in order:

* a ``{code-block}`` with a ``:caption:`` that is a relative path writes
  that file (the reader saves it);
* a ``console`` block is a series of ``$ command`` lines (continued while a
  line ends with a backslash or a quote is open), each followed by the
  output it prints; the command runs in bash with ``pipefail`` and must
  print exactly that output.

:func:`run_page` runs them in a fresh folder whose ``examples/`` is the
repository's, with ``mentorcore`` (and ``python``) on the ``PATH`` from an
environment of its own: one that sees everything the test run has
installed, and into which ``python -m pip install`` puts what a page
installs, without touching the test run's environment.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
import sysconfig
import venv
from collections.abc import Callable, Iterator
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

_FENCE = re.compile(r"^```(\S*)[^\n]*\n(.*?)^```\s*$", re.S | re.M)


def console_commands(block: str) -> list[tuple[str, str]]:
    """The (command, expected output) pairs of one ``console`` block."""
    pairs: list[tuple[str, str]] = []
    command: list[str] = []
    output: list[str] = []
    for line in block.splitlines():
        unfinished = (
            bool(command)
            and not output
            and (command[-1].endswith("\\") or "\n".join(command).count("'") % 2 == 1)
        )
        if line.startswith("$ ") or unfinished:
            if line.startswith("$ ") and command:
                pairs.append(("\n".join(command), "\n".join(output)))
                command, output = [], []
            command.append(line[2:] if line.startswith("$ ") else line)
        else:
            output.append(line)
    if command:
        pairs.append(("\n".join(command), "\n".join(output)))
    return pairs


def steps(text: str) -> Iterator[tuple[str, str, str]]:
    """The page's steps in order: ``("file", path, content)`` or ``("run", command, output)``."""
    for match in _FENCE.finditer(text):
        info, body = match.group(1), match.group(2)
        if info == "console":
            for command, output in console_commands(body):
                yield "run", command, output
        elif info.startswith("{code-block}"):
            options = re.match(r"((?::[\w-]+:[^\n]*\n)*)\n?", body)
            assert options is not None
            caption = re.search(r"^:caption:\s*(\S+)\s*$", options.group(1), re.M)
            if caption and "/" in caption.group(1):
                yield "file", caption.group(1), body[options.end() :]


def reader_environment(folder: Path) -> dict[str, str]:
    """An environment with its own ``python`` and ``mentorcore`` that sees the test run's packages."""
    env_dir = folder / ".reader-env"
    venv.EnvBuilder(with_pip=False, clear=True, symlinks=os.name != "nt").create(env_dir)
    child = Path(
        sysconfig.get_path("purelib", vars={"base": str(env_dir), "platbase": str(env_dir)})
    )
    parent = sysconfig.get_path("purelib")
    (child / "_mentorcore_docs_parent.pth").write_text(
        f"import site; site.addsitedir({parent!r})\n", encoding="utf-8"
    )
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    launcher = bin_dir / "mentorcore"
    launcher.write_text(
        f"#!{bin_dir / 'python'}\nimport sys\nfrom mentorcore.cli.main import main\n"
        "sys.exit(main())\n",
        encoding="utf-8",
    )
    launcher.chmod(0o755)
    env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "MENTORCORE_PLUGINS"}}
    env["PATH"] = f"{bin_dir}{os.pathsep}{env.get('PATH', '')}"
    env["VIRTUAL_ENV"] = str(env_dir)
    env["COLUMNS"] = "80"  # what a reader's terminal and the docs' code blocks both show
    return env


def run_page(
    page: Path,
    folder: Path,
    *,
    env: dict[str, str] | None = None,
    rewrite: Callable[[str], str] = lambda command: command,
) -> int:
    """Run every step of ``page`` in ``folder``; returns how many commands ran.

    A command that fails or prints other than the page shows fails the test
    with the command, what it printed and what the page says.
    """
    (folder / "examples").symlink_to(ROOT / "examples")
    environment = env if env is not None else reader_environment(folder)
    ran = 0
    for kind, what, content in steps(page.read_text(encoding="utf-8")):
        if kind == "file":
            target = folder / what
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(content, encoding="utf-8")
            continue
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", rewrite(what)],
            capture_output=True,
            text=True,
            cwd=folder,
            env=environment,
            timeout=300,
            check=False,
        )
        assert result.returncode == 0, f"{page.name}: {what}\n{result.stderr}"
        printed = result.stdout.rstrip("\n")
        assert printed == content.rstrip("\n"), (
            f"{page.name}: {what}\n--- printed ---\n{printed}\n--- the page says ---\n{content}\n"
            f"(if the new output is right: python tests/console_examples.py {page.relative_to(ROOT)})"
        )
        ran += 1
    return ran


def rewrite_outputs(page: Path, folder: Path) -> None:
    """Run ``page``'s steps in ``folder`` and write each command's output into the page.

    For a maintainer whose change alters what a command prints: read the
    diff before committing it, because the page then says what the code does.
    """
    text = page.read_text(encoding="utf-8")
    (folder / "examples").symlink_to(ROOT / "examples")
    environment = reader_environment(folder)
    pieces: list[str] = []
    position = 0
    for match in _FENCE.finditer(text):
        info, body = match.group(1), match.group(2)
        if info.startswith("{code-block}"):
            for _, what, content in steps(match.group(0)):
                target = folder / what
                target.parent.mkdir(parents=True, exist_ok=True)
                target.write_text(content, encoding="utf-8")
            continue
        if info != "console":
            continue
        lines: list[str] = []
        for command, _ in console_commands(body):
            result = subprocess.run(
                ["bash", "-o", "pipefail", "-c", command],
                capture_output=True,
                text=True,
                cwd=folder,
                env=environment,
                timeout=300,
                check=False,
            )
            if result.returncode:
                print(f"{page}: failed: {command}\n{result.stderr}", file=sys.stderr)
            first, *rest = command.split("\n")
            lines += [f"$ {first}", *rest]
            if result.stdout.rstrip("\n"):
                lines.append(result.stdout.rstrip("\n"))
        pieces += [text[position : match.start(2)], "\n".join(lines) + "\n"]
        position = match.end(2)
    pieces.append(text[position:])
    page.write_text("".join(pieces), encoding="utf-8")


__all__ = ["console_commands", "reader_environment", "rewrite_outputs", "run_page", "steps"]

if __name__ == "__main__":  # python tests/console_examples.py docs/howto/*.md docs/coordinator.md
    import tempfile

    for name in sys.argv[1:]:
        with tempfile.TemporaryDirectory() as scratch:
            rewrite_outputs(Path(name), Path(scratch))
