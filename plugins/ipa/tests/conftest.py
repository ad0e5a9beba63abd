"""Fixtures for the IPA plug-in's tests: a registry with only this plug-in, nothing installed."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest
from mentorcore_ipa import plugin

from mentorcore.io import structure
from mentorcore.io.loaders import People, load_people
from mentorcore.plugin import Leader, Mentor, Registry, load_registry

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "ipa"


@pytest.fixture(scope="session")
def ipa_registry() -> Registry:
    return load_registry([plugin], entry_points=False, strict=True)


@pytest.fixture(scope="session")
def ipa_people() -> People:
    return load_people(EXAMPLES / "people.toml")


def _make_leader(**changes: Any) -> Leader:
    """A first-time lead principal of an Illinois public school who started on 2022-08-01."""
    fields: dict[str, Any] = {
        "id": "leader",
        "name": "A Leader",
        "role": "principal",
        "role_started": dt.date(2022, 8, 1),
        "first_time_in_role": True,
        "school": {"name": "Lincoln Elementary", "state": "IL", "sector": "public"},
    }
    fields.update(changes)
    return structure(fields, Leader)


def _make_mentor(**changes: Any) -> Mentor:
    """A former principal with a principal licence: qualified by the hard requirements."""
    fields: dict[str, Any] = {
        "id": "mentor",
        "name": "A Mentor",
        "role": "principal",
        "credentials": ["principal_license"],
        "years_as_leader": 10,
        "years_as_principal": 6,
    }
    fields.update(changes)
    return structure(fields, Mentor)


@pytest.fixture(scope="session")
def make_leader() -> Callable[..., Leader]:
    """Build a leader: a first-time Illinois public-school principal since 2022-08-01, changed."""
    return _make_leader


@pytest.fixture(scope="session")
def make_mentor() -> Callable[..., Mentor]:
    """Build a mentor who meets IPA's hard requirements, with changes."""
    return _make_mentor


@pytest.fixture(scope="session")
def ipa_examples() -> Path:
    """The folder of IPA example files."""
    return EXAMPLES
