"""The IPA program as a whole: it loads, validates, round-trips, and is installed."""

from __future__ import annotations

import importlib.metadata

from mentorcore.io import program_from_toml, program_to_toml
from mentorcore.registry import Registry, validate_program


def test_the_program_loads_and_validates(ipa_registry: Registry) -> None:
    program = ipa_registry.program("ipa")
    assert ipa_registry.failures == ()
    assert validate_program(program, ipa_registry) == []
    assert [k.id for k in program.kinds] == ["mentoring"]
    assert [r.id for r in program.eligibility] == ["ipa_mentoring", "ipa_mentor_qualification"]


def test_the_program_round_trips_through_toml(ipa_registry: Registry) -> None:
    program = ipa_registry.program("ipa")
    assert program_from_toml(program_to_toml(program)) == program


def test_every_value_names_its_source(ipa_registry: Registry) -> None:
    program = ipa_registry.program("ipa")
    for parameter in program.parameters:
        for value in parameter.values:
            assert value.source is not None or value.note
    for rule in program.eligibility:
        assert rule.source is not None
    for requirement in program.kinds[0].requirements:
        assert requirement.source is not None and requirement.source.quote
    for section in program.content:
        assert section.source is not None
    ids = [s.id for s in program.content]
    for wanted in ("benefits_mentee", "benefits_mentor", "services", "additional_services"):
        assert wanted in ids


def test_the_entry_point_is_installed() -> None:
    found = [ep for ep in importlib.metadata.entry_points(group="mentorcore") if ep.name == "ipa"]
    assert [ep.value for ep in found] == ["mentorcore_ipa.plugin"]
