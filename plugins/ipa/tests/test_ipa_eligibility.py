"""Who gets free, paid or no IPA mentoring, and how the decision explains itself."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

import pytest

from mentorcore.plugin import Leader, Registry

D = dt.date


def test_a_first_year_principal_in_an_illinois_charter_school_gets_free_mentoring_in_2023_2024(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(
        role_started=D(2023, 8, 1),
        school={"name": "Noble Academy", "state": "IL", "sector": "charter"},
    )
    decision = ipa_registry.decide("ipa", leader, D(2023, 10, 2))
    assert decision.outcome == "free"
    assert decision.eligible
    assert "leads a public or public charter school: yes" in decision.explanation


@pytest.mark.parametrize("started", [D(2021, 7, 1), D(2022, 7, 1), D(2023, 7, 1)])
def test_each_school_year_the_seed_lists_as_free_is_free(
    ipa_registry: Registry, started: dt.date, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=started)
    assert ipa_registry.decide("ipa", leader, started + dt.timedelta(days=60)).outcome == "free"


@pytest.mark.parametrize("on", [D(2022, 7, 1), D(2023, 6, 30)])
def test_free_from_the_first_to_the_last_day_of_the_school_year_the_role_started(
    ipa_registry: Registry, on: dt.date, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=D(2022, 7, 1))
    assert ipa_registry.decide("ipa", leader, on).outcome == "free"


def test_the_day_after_the_first_school_year_the_principal_pays(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=D(2022, 7, 1))
    decision = ipa_registry.decide("ipa", leader, D(2023, 7, 1))
    assert decision.outcome == "paid"
    # Issue 10 item 2: the first year of service is the 12 months from role_started.
    assert "is in the first year of service (the 12 months from role_started): no" in (
        decision.explanation
    )


def test_a_principal_who_started_on_30_june_is_in_the_earlier_school_year(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=D(2022, 6, 30))
    assert ipa_registry.decide("ipa", leader, D(2022, 6, 30)).outcome == "free"
    # Issue 10 item 2: free for the first year of service (was `paid` from 1 July),
    # because the role started in 2021-2022, a school year the page lists as free.
    assert ipa_registry.decide("ipa", leader, D(2022, 7, 1)).outcome == "free"
    assert ipa_registry.decide("ipa", leader, D(2023, 6, 29)).outcome == "free"
    assert ipa_registry.decide("ipa", leader, D(2023, 6, 30)).outcome == "paid"


def test_a_first_year_principal_in_2024_2025_pays_and_is_told_no_free_offer_is_on_record(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=D(2024, 7, 15))
    decision = ipa_registry.decide("ipa", leader, D(2024, 9, 3))
    assert decision.outcome == "paid"
    assert "no free offer is on record for school year 2024-2025" in decision.explanation
    assert decision.explanation.startswith("Paid mentoring, because:")
    unknown = [c for c in decision.checks if c.fact == "free_first_year_mentoring"]
    assert len(unknown) == 1 and unknown[0].value is None and not unknown[0].passed


def test_a_school_year_before_the_listed_ones_has_no_free_offer_on_record(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=D(2020, 8, 1))
    decision = ipa_registry.decide("ipa", leader, D(2020, 9, 1))
    assert decision.outcome == "paid"
    assert "no free offer is on record for school year 2020-2021" in decision.explanation


@pytest.mark.parametrize(
    ("changes", "failed"),
    [
        ({"role": "assistant_principal"}, "is a lead/head principal: no"),
        ({"role": "associate_principal"}, "is a lead/head principal: no"),
        ({"role": "dean"}, "is a lead/head principal: no"),
        ({"role": "director"}, "is a lead/head principal: no"),
        ({"first_time_in_role": False}, "is a principal for the first time: no"),
        (
            {"school": {"name": "St. Anne", "state": "IL", "sector": "private"}},
            "leads a public or public charter school: no",
        ),
        (
            {"school": {"name": "Madison West", "state": "WI", "sector": "public"}},
            "leads a school in Illinois: no",
        ),
        ({"role_started": D(2021, 8, 1)}, "the 12 months from role_started): no"),
    ],
)
def test_every_other_school_leader_may_contract_for_paid_mentoring(
    ipa_registry: Registry,
    changes: dict[str, object],
    failed: str,
    make_leader: Callable[..., Leader],
) -> None:
    decision = ipa_registry.decide("ipa", make_leader(**changes), D(2022, 10, 1))
    assert decision.outcome == "paid"
    assert decision.eligible
    assert failed in decision.explanation
    assert "Paid mentoring, because: is a school leader" in decision.explanation


@pytest.mark.parametrize("role", ["teacher_leader", "other", "central_office", "superintendent"])
def test_someone_who_is_not_a_school_leader_is_not_eligible(
    ipa_registry: Registry, role: str, make_leader: Callable[..., Leader]
) -> None:
    decision = ipa_registry.decide("ipa", make_leader(role=role), D(2022, 10, 1))
    assert decision.outcome == "not_eligible"
    assert not decision.eligible
    assert "Not paid mentoring, because: is a school leader" in decision.explanation


def test_every_check_is_said_in_words(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    for leader, on in [
        (make_leader(), D(2022, 10, 1)),
        (make_leader(role="dean"), D(2024, 10, 1)),
        (make_leader(role="teacher_leader"), D(2023, 1, 5)),
    ]:
        decision = ipa_registry.decide("ipa", leader, on)
        assert decision.checks
        assert all(check.says or check.note for check in decision.checks)


def test_the_example_people_cover_every_outcome(ipa_registry: Registry, ipa_people: object) -> None:
    from mentorcore.io.loaders import People

    assert isinstance(ipa_people, People)
    on = D(2023, 9, 15)
    outcomes = {p.id: ipa_registry.decide("ipa", p, on).outcome for p in ipa_people.leaders}
    assert outcomes == {
        "ada": "free",
        "ben": "free",
        "cleo": "paid",
        "dev": "paid",
        "eve": "paid",
        "fay": "paid",
        "gus": "paid",
        "hal": "not_eligible",
    }
    cleo = ipa_registry.decide("ipa", ipa_people.person("cleo"), D(2024, 9, 15))
    assert cleo.outcome == "paid"
    assert "2024-2025" in cleo.explanation
