"""Fixtures for the core's tests: a small program of our own, registered
directly as a test plug-in, with nothing installed."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from core_builders import DATA, DemoPlugin

from mentorcore import registry as registry_module
from mentorcore.io import load_program
from mentorcore.programs import Program
from mentorcore.registry import Registry, load_registry


@pytest.fixture(scope="session")
def demo_program() -> Program:
    return load_program(DATA / "demo_program.toml")


@pytest.fixture
def registry(demo_program: Program) -> Registry:
    return load_registry([DemoPlugin(demo_program)], entry_points=False)


@pytest.fixture
def cli_registry(registry: Registry) -> Iterator[Registry]:
    """Make the command line's default registry the test one."""
    saved = dict(registry_module._CACHE)
    registry_module._CACHE["default"] = registry
    yield registry
    registry_module._CACHE.clear()
    registry_module._CACHE.update(saved)
