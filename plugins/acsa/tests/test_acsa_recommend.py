"""Recommending mentoring or coaching from a leader's stated needs; who may mentor or coach."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest
from mentorcore_acsa import recommend

from mentorcore.io.loaders import People
from mentorcore.plugin import Leader, Mentor, Registry

ON = dt.date(2024, 9, 1)


@pytest.mark.parametrize(
    ("needs", "kind", "words"),
    [
        ({"goals": ["tier2_credential"]}, "coaching", "Tier II credential pathway"),
        ({"learning_needs": ["cpsel_development"]}, "coaching", "CPSEL-based goals"),
        ({"goals": ["informal_support"]}, "mentoring", "informal support"),
        ({"learning_needs": ["networking"]}, "mentoring", "networking"),
    ],
)
def test_each_stated_need_points_to_a_kind(
    acsa_registry: Registry,
    make_leader: Callable[..., Leader],
    needs: dict[str, list[str]],
    kind: str,
    words: str,
) -> None:
    result = recommend(make_leader(**needs), ON, acsa_registry)
    assert result.kind == kind
    assert words in result.explanation
    assert result.decision.outcome == kind
    assert result.needs == tuple(needs.popitem()[1])


def test_a_leader_seeking_the_credential_and_networking_is_pointed_to_coaching(
    acsa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    result = recommend(
        make_leader(goals=["tier2_credential"], learning_needs=["networking"]), ON, acsa_registry
    )
    assert result.kind == "coaching"
    assert result.needs == ("tier2_credential", "networking")
    assert result.also and "networking" in result.also[0]
    assert "The leader also wants local and regional networking" in result.explanation


def test_a_leader_stating_no_need_gets_no_recommendation(
    acsa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    result = recommend(make_leader(goals=["budgeting"]), ON, acsa_registry)
    assert result.kind is None
    assert "tier2_credential, cpsel_development, informal_support, networking" in result.explanation


def test_recommend_works_without_a_registry(make_leader: Callable[..., Leader]) -> None:
    assert recommend(make_leader(goals=["networking"]), ON).kind == "mentoring"


def test_the_recommendation_is_the_programs_first_leader_rule(
    acsa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    decision = acsa_registry.decide("acsa", make_leader(goals=["cpsel_development"]), ON)
    assert (decision.rule, decision.outcome) == ("acsa_recommendation", "coaching")
    assert all(check.says for check in decision.checks)


def test_the_example_leaders(acsa_registry: Registry, acsa_people: People) -> None:
    kinds = {p.id: recommend(p, ON, acsa_registry).kind for p in acsa_people.leaders}
    assert kinds == {
        "rosa": "coaching",
        "sam": "coaching",
        "tia": "mentoring",
        "uma": "coaching",
        "vic": None,
    }


@pytest.mark.parametrize(
    ("changes", "kind", "outcome"),
    [
        ({}, "coaching", "qualified"),
        ({"credentials": []}, "coaching", "not_qualified"),
        ({"credentials": []}, "mentoring", "qualified"),
        ({"credentials": [], "years_as_leader": 0}, "mentoring", "not_qualified"),
    ],
)
def test_a_coach_must_be_certified_and_a_mentor_experienced(
    acsa_registry: Registry,
    make_coach: Callable[..., Mentor],
    changes: dict[str, object],
    kind: str,
    outcome: str,
) -> None:
    decision = acsa_registry.decide("acsa", make_coach(**changes), ON, kind=kind)
    assert decision.outcome == outcome
