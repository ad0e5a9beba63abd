"""Every console example of docs/server.md, run against live servers, prints what the page says.

The page's first server (port 8000) runs without keys; the second (8001)
with a keys file holding one ``sponsor`` key for IPA, sent as ``$KEY``.
Each example runs in bash (curl and jq, as a reader would) in a folder
where ``examples/`` is the repository's.
"""

from __future__ import annotations

import os
import re
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from test_server import Server

from mentorcore.server.keys import digest_of

ROOT = Path(__file__).resolve().parent.parent
PAGE = ROOT / "docs" / "server.md"
KEY = "docs-example-key-not-secret"


def examples(text: str) -> list[tuple[str, str]]:
    """The (command, expected output) pairs of the page's ``console`` blocks."""
    pairs: list[tuple[str, str]] = []
    for block in re.findall(r"```console\n(.*?)```", text, flags=re.S):
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


@pytest.fixture(scope="module")
def servers(tmp_path_factory: pytest.TempPathFactory) -> Iterator[tuple[Server, Server]]:
    keys = tmp_path_factory.mktemp("docs-keys") / "keys.toml"
    keys.write_text(
        f'[[keys]]\nname = "district-hr"\nsha256 = "{digest_of(KEY)}"\n'
        'audience = "sponsor"\nprograms = ["ipa"]\n'
    )
    open_server, keyed_server = Server(), Server("--keys", str(keys))
    yield open_server, keyed_server
    open_server.stop()
    keyed_server.stop()


def test_the_page_has_examples_for_every_endpoint() -> None:
    commands = " ".join(command for command, _ in examples(PAGE.read_text()))
    for endpoint in (
        "/programs",
        "/programs/ipa",
        "/eligibility",
        "/quote",
        "/engagements/check",
        "/engagements/report",
        "/match",
    ):
        assert endpoint in commands, endpoint


def test_every_example_prints_what_the_page_shows(
    servers: tuple[Server, Server], tmp_path: Path
) -> None:
    open_server, keyed_server = servers
    (tmp_path / "examples").symlink_to(ROOT / "examples")
    env = dict(os.environ, KEY=KEY)
    ran = 0
    for command, expected in examples(PAGE.read_text()):
        live = command.replace("http://127.0.0.1:8000", open_server.url).replace(
            "http://127.0.0.1:8001", keyed_server.url
        )
        result = subprocess.run(
            ["bash", "-o", "pipefail", "-c", live],
            capture_output=True,
            text=True,
            cwd=tmp_path,
            env=env,
            timeout=120,
            check=False,
        )
        assert result.returncode == 0, (command, result.stderr)
        assert result.stdout.rstrip("\n") == expected.rstrip("\n"), command
        ran += 1
    assert ran >= 10
