"""A mentor's experience facts: stated wins, else derived from the record, else unknown."""

from __future__ import annotations

import datetime as dt

import pytest

from mentorcore.builtins import register_facts
from mentorcore.people import SCHOOL_LEADER_ROLES, Leader, Mentor, Role
from mentorcore.rules.facts import Fact, Unknown

ON = dt.date(2024, 9, 1)


def facts() -> dict[str, Fact]:
    found: dict[str, Fact] = {}
    register_facts(lambda fact: found.__setitem__(fact.id, fact))
    return found


def years(fact: str, person: Mentor | Leader) -> object:
    return facts()[fact].function(person, ON)


def test_a_principal_since_2001_has_23_years_as_principal_and_as_a_leader() -> None:
    mentor = Mentor(id="m", name="M", role="principal", role_started=dt.date(2001, 7, 1))
    assert years("years_as_principal", mentor) == 23
    assert years("years_as_leader", mentor) == 23


def test_a_stated_value_wins_over_the_record() -> None:
    mentor = Mentor(
        id="m",
        name="M",
        role="principal",
        role_started=dt.date(2001, 7, 1),
        years_as_principal=4,
        years_as_leader=0,
    )
    assert years("years_as_principal", mentor) == 4
    assert years("years_as_leader", mentor) == 0


@pytest.mark.parametrize("role", sorted(SCHOOL_LEADER_ROLES - {Role.PRINCIPAL}))
def test_a_school_leader_role_gives_leader_years_but_not_principal_years(role: Role) -> None:
    mentor = Mentor(id="m", name="M", role=role, role_started=dt.date(2015, 7, 1))
    assert years("years_as_leader", mentor) == 9
    unknown = years("years_as_principal", mentor)
    assert isinstance(unknown, Unknown)
    assert "years_as_principal is not stated" in unknown.reason


@pytest.mark.parametrize(
    "role", [Role.SUPERINTENDENT, Role.CENTRAL_OFFICE, Role.TEACHER_LEADER, Role.OTHER]
)
def test_other_roles_leave_the_years_unknown_never_zero(role: Role) -> None:
    mentor = Mentor(id="m", name="M", role=role, role_started=dt.date(2015, 7, 1))
    for fact in ("years_as_leader", "years_as_principal"):
        unknown = years(fact, mentor)
        assert isinstance(unknown, Unknown)
        assert f"{fact} is not stated, and the record's role ({role.label})" in unknown.reason


def test_no_role_started_leaves_the_years_unknown() -> None:
    mentor = Mentor(id="m", name="M", role="principal")
    unknown = years("years_as_principal", mentor)
    assert isinstance(unknown, Unknown) and "role_started is not given" in unknown.reason


def test_a_role_started_after_the_date_counts_no_year() -> None:
    mentor = Mentor(id="m", name="M", role="principal", role_started=dt.date(2025, 1, 1))
    assert years("years_as_principal", mentor) == 0
