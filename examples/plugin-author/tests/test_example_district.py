"""Tests of the example district's plug-in, written as a plug-in author would.

The scenarios in ``scenarios/`` run by themselves (mentorcore's pytest
plug-in collects them); these tests check what scenarios cannot say.
"""

from __future__ import annotations

import datetime as dt
from pathlib import Path

from mentorcore_example_district import plugin
from mentorcore_ipa import plugin as ipa_plugin

from mentorcore import load_registry
from mentorcore.checking import check_engagement
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.testing import assert_conformant

SCENARIOS = Path(__file__).parent / "scenarios"


def test_the_example_program_conforms() -> None:
    registry = load_registry([plugin, ipa_plugin], entry_points=False, strict=True)
    assert_conformant(registry, "example_district")


def test_the_amended_ipa_program_still_conforms() -> None:
    registry = load_registry([plugin, ipa_plugin], entry_points=False, strict=True)
    assert_conformant(registry, "ipa")


def test_every_ipa_engagement_kind_gains_the_supervisor_approval() -> None:
    registry = load_registry([plugin, ipa_plugin], entry_points=False, strict=True)
    for kind in registry.program("ipa").kinds:
        ids = [requirement.id for requirement in kind.requirements]
        assert ids[-1] == plugin.SUPERVISOR_APPROVAL.id


def test_without_the_plugin_ipa_is_unchanged() -> None:
    registry = load_registry([ipa_plugin], entry_points=False, strict=True)
    for kind in registry.program("ipa").kinds:
        assert plugin.SUPERVISOR_APPROVAL not in kind.requirements


def test_the_plugin_is_installed_under_its_entry_point() -> None:
    registry = load_registry(only=["example_district", "ipa"], refresh=True)
    assert "example_district" in registry.programs
    assert [p.name for p in registry.plugins if p.name == "example_district"]


def test_an_ipa_engagement_is_checked_for_the_district_requirement() -> None:
    registry = load_registry([plugin, ipa_plugin], entry_points=False, strict=True)
    people = load_people(SCENARIOS / "people.toml")
    engagement = load_engagement(SCENARIOS / "ipa-engagement.toml", people)
    checked = check_engagement(registry, engagement, dt.date(2024, 12, 1))
    findings = {f.requirement: f for f in checked.findings}
    assert findings[plugin.SUPERVISOR_APPROVAL.id].status.value == "at_risk"
