"""ACSA's two kinds as data: the comparison table, the credential, CPSEL, the program."""

from __future__ import annotations

import importlib.metadata

from mentorcore_acsa import comparison_rows

from mentorcore.io import program_from_toml, program_to_toml
from mentorcore.registry import Registry, validate_program


def test_mentoring_and_coaching_carry_the_seed_columns_row_by_row(acsa_registry: Registry) -> None:
    program = acsa_registry.program("acsa")
    mentoring = program.kind("mentoring").characteristics
    coaching = program.kind("coaching").characteristics
    (common,) = [s for s in program.content if s.id == "common_characteristics"]
    assert len(mentoring) == len(coaching) == len(common.items) == 9
    assert (mentoring[0].text, common.items[0], coaching[0].text) == ("", "Voluntary", "")
    assert mentoring[1].text.startswith("An informal relationship between a newcomer")
    assert coaching[1].text == "Formal, professional relationship between coachee and coach"
    assert (mentoring[4].heading, coaching[4].heading) == (
        "PROFESSIONAL SUPPORT",
        "PROFESSIONAL DEVELOPMENT",
    )
    assert common.items[4].startswith("Focused on improvement of skills")
    assert coaching[6].text == "Average of 3-6 hours/month for 2 years"
    assert mentoring[5].text == "Focus topics of each conversation determined by the protégé"
    assert coaching[8].text == "CTC–approved Tier II credential pathway"
    assert common.items[8] == "Professional ethics and confidentiality are crucial"
    assert all(c.heading == "" for i, c in enumerate(mentoring) if i != 4)


def test_the_comparison_zips_into_three_columns() -> None:
    rows = comparison_rows()
    assert len(rows) == 9
    assert rows[4][0].startswith("PROFESSIONAL SUPPORT: Focused upon technical")
    assert rows[4][2].startswith("PROFESSIONAL DEVELOPMENT: Focused upon leadership")


def test_coaching_needs_a_certified_coach_and_leads_to_the_tier_ii_credential(
    acsa_registry: Registry,
) -> None:
    coaching = acsa_registry.program("acsa").kind("coaching")
    assert coaching.required_credentials == ("certified_coach",)
    assert coaching.credential_pathway == "CTC–approved Tier II credential pathway"
    mentoring = acsa_registry.program("acsa").kind("mentoring")
    assert mentoring.requirements == () and mentoring.required_credentials == ()


def test_cpsel_is_a_shared_framework_of_six_standards(acsa_registry: Registry) -> None:
    cpsel = acsa_registry.framework("cpsel")
    assert cpsel.codes == tuple(f"CPSEL-{n}" for n in range(1, 7))
    assert [item.title for item in cpsel.items] == [
        "Development and Implementation of a Shared Vision",
        "Instructional Leadership",
        "Management and Learning Environment",
        "Family and Community Engagement",
        "Ethics and Integrity",
        "External Context and Policy",
    ]
    assert all(item.text == "" for item in cpsel.items)  # no invented element text
    assert cpsel.source is not None and "Commission on Teacher Credentialing" in cpsel.source.title
    assert acsa_registry.owners["framework:cpsel"] == "mentorcore_acsa.plugin"
    assert acsa_registry.program("acsa").uses == ("cpsel",)


def test_the_program_loads_validates_and_round_trips(acsa_registry: Registry) -> None:
    program = acsa_registry.program("acsa")
    assert acsa_registry.failures == ()
    assert validate_program(program, acsa_registry) == []
    assert program_from_toml(program_to_toml(program)) == program


def test_the_entry_point_is_installed() -> None:
    found = [ep for ep in importlib.metadata.entry_points(group="mentorcore") if ep.name == "acsa"]
    assert [ep.value for ep in found] == ["mentorcore_acsa.plugin"]
