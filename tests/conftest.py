"""Fixtures for the core's tests: a small program of our own, registered
directly as a test plug-in, with nothing installed."""

from __future__ import annotations

import pytest
from core_builders import DATA, DemoPlugin

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
def cli_registry(registry: Registry) -> Registry:
    """The registry a command-line test hands to ``main(argv, registry=...)``."""
    return registry
