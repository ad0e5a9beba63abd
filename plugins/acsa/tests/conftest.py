"""Fixtures for the ACSA plug-in's tests: a registry with only this plug-in, nothing installed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mentorcore_acsa import plugin

from mentorcore.io import structure
from mentorcore.io.loaders import People, load_people
from mentorcore.plugin import Leader, Mentor, Registry, load_registry

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "acsa"


@pytest.fixture(scope="session")
def acsa_registry() -> Registry:
    return load_registry([plugin], entry_points=False, strict=True)


@pytest.fixture(scope="session")
def acsa_people() -> People:
    return load_people(EXAMPLES / "people.toml")


@pytest.fixture(scope="session")
def acsa_examples() -> Path:
    """The folder of ACSA example files."""
    return EXAMPLES


def _leader(**changes: Any) -> Leader:
    fields: dict[str, Any] = {
        "id": "leader",
        "name": "A Leader",
        "role": "principal",
        "role_started": dt.date(2024, 7, 1),
        "first_time_in_role": True,
        "school": {"name": "Jefferson Elementary", "state": "CA", "sector": "public"},
    }
    fields.update(changes)
    return structure(fields, Leader)


def _coach(**changes: Any) -> Mentor:
    fields: dict[str, Any] = {
        "id": "coach",
        "name": "A Coach",
        "role": "central_office",
        "credentials": ["certified_coach"],
        "years_as_leader": 12,
    }
    fields.update(changes)
    return structure(fields, Mentor)


@pytest.fixture(scope="session")
def make_leader() -> Callable[..., Leader]:
    """Build a California principal who started on 2024-07-01, with changes."""
    return _leader


@pytest.fixture(scope="session")
def make_coach() -> Callable[..., Mentor]:
    """Build a certified coach, with changes."""
    return _coach
