"""Fixtures for the core's tests: a small program of our own, registered
directly as a test plug-in, with nothing installed."""

from __future__ import annotations

import os
from collections.abc import Iterator

import pytest
from core_builders import DATA, DemoPlugin

from mentorcore.io import load_program
from mentorcore.programs import Program
from mentorcore.registry import Registry, load_registry


@pytest.fixture(scope="session", autouse=True)
def listing_cache_dir(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    """``mentorcore programs`` caches its listing in a temporary folder, never the user's."""
    from mentorcore.listing_cache import CACHE_ENV

    folder = str(tmp_path_factory.mktemp("listing-cache"))
    saved = os.environ.get(CACHE_ENV)
    os.environ[CACHE_ENV] = folder
    yield folder
    if saved is None:
        os.environ.pop(CACHE_ENV, None)
    else:
        os.environ[CACHE_ENV] = saved


@pytest.fixture(scope="session")
def demo_program() -> Program:
    return load_program(DATA / "demo_program.toml")


@pytest.fixture
def registry(demo_program: Program) -> Registry:
    return load_registry([DemoPlugin(demo_program)], entry_points=False)


@pytest.fixture
def cli_registry(registry: Registry) -> Registry:
    """The registry a command-line test hands to ``main(argv, registry=...)``."""
    return registry
