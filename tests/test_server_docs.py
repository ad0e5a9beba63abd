"""Every console example of docs/server.md, run against live servers, prints what the page says.

The page's first server (port 8000) runs without keys; the second (8001)
with a keys file holding one ``sponsor`` key for IPA, sent as ``$KEY``.
Each example runs in bash (curl and jq, as a reader would) in a folder
where ``examples/`` is the repository's.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from console_examples import ROOT, run_page, steps
from test_server import Server

from mentorcore.server.keys import digest_of

PAGE = ROOT / "docs" / "server.md"
KEY = "docs-example-key-not-secret"


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
    commands = " ".join(what for kind, what, _ in steps(PAGE.read_text()) if kind == "run")
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

    def live(command: str) -> str:
        return command.replace("http://127.0.0.1:8000", open_server.url).replace(
            "http://127.0.0.1:8001", keyed_server.url
        )

    assert run_page(PAGE, tmp_path, env=dict(os.environ, KEY=KEY), rewrite=live) >= 10
