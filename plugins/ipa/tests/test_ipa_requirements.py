"""IPA's service requirements checked on an engagement's log."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest

from mentorcore.checking import check_engagement, validate_engagement
from mentorcore.io.loaders import People, load_engagement
from mentorcore.plugin import (
    ArtifactLogged,
    Engagement,
    Event,
    Finding,
    Interaction,
    Leader,
    Mentor,
    Registry,
    Status,
)

D = dt.date
START, END = D(2023, 8, 1), D(2024, 6, 30)
PLANS = (
    ArtifactLogged(date=D(2023, 8, 20), artifact="goals", title="Goals"),
    ArtifactLogged(date=D(2023, 8, 20), artifact="action_plan", title="Action plan"),
    ArtifactLogged(date=D(2023, 8, 20), artifact="entry_plan", title="Entry plan"),
)


def engagement(
    leader: Leader, mentor: Mentor, *events: Event, contract: str | None = "40"
) -> Engagement:
    return Engagement(
        id="e",
        program="ipa",
        kind="mentoring",
        leader=leader,
        mentor=mentor,
        start=START,
        end=END,
        contract_hours=Decimal(contract) if contract else None,
        events=events,
    )


def onsite(day: dt.date, minutes: int = 120) -> Interaction:
    return Interaction(date=day, minutes=minutes, mode="onsite")


def findings(registry: Registry, eng: Engagement, as_of: dt.date) -> dict[str, Finding]:
    result = check_engagement(registry, eng, as_of)
    return {f.requirement: f for f in result.findings}


def test_two_on_site_sessions_are_at_risk_while_the_engagement_runs(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    eng = engagement(
        make_leader(), make_mentor(), *PLANS, onsite(D(2023, 9, 1)), onsite(D(2023, 11, 1))
    )
    found = findings(ipa_registry, eng, D(2024, 1, 10))["onsite_sessions"]
    assert found.status is Status.AT_RISK
    assert "2 of 3 on-site sessions" in found.detail


def test_two_on_site_sessions_are_not_met_after_the_end(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    eng = engagement(
        make_leader(),
        make_mentor(),
        *PLANS,
        onsite(D(2023, 9, 1)),
        onsite(D(2023, 11, 1)),
        Interaction(date=D(2024, 2, 1), minutes=60, mode="virtual"),
    )
    found = findings(ipa_registry, eng, END)["onsite_sessions"]
    assert found.status is Status.NOT_MET
    assert found.figures == {"value": 2, "expected": Decimal(3)}


def test_the_third_on_site_session_meets_the_requirement(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    eng = engagement(
        make_leader(),
        make_mentor(),
        *PLANS,
        onsite(D(2023, 9, 1), 800),
        onsite(D(2023, 11, 1), 800),
        onsite(D(2024, 3, 1), 800),  # with the first two, the contract's 40 hours
    )
    assert findings(ipa_registry, eng, D(2024, 2, 29))["onsite_sessions"].status is Status.AT_RISK
    result = check_engagement(ipa_registry, eng, D(2024, 3, 1))
    assert result.status is Status.MET
    assert (
        "3 of 3 on-site sessions"
        in {f.requirement: f for f in result.findings}["onsite_sessions"].detail
    )


def test_one_hour_over_the_contract_is_not_met(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    sessions = [onsite(D(2023, 9, 1), 600), onsite(D(2023, 10, 1), 600), onsite(D(2023, 11, 1), 60)]
    eng = engagement(make_leader(), make_mentor(), *PLANS, *sessions, contract="20")
    found = findings(ipa_registry, eng, D(2023, 12, 1))["hours_within_contract"]
    assert found.status is Status.NOT_MET
    assert found.detail == "21 hours delivered of 20 contract hours"


def test_exactly_the_contract_hours_are_met(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    sessions = [onsite(D(2023, 9, 1), 600), onsite(D(2023, 10, 1), 600)]
    eng = engagement(make_leader(), make_mentor(), *PLANS, *sessions, contract="20")
    found = findings(ipa_registry, eng, D(2023, 12, 1))["hours_within_contract"]
    assert found.status is Status.MET


@pytest.mark.parametrize(
    ("contract", "status"),
    [
        ("20", Status.MET),
        ("40", Status.MET),
        ("60", Status.MET),
        ("30", Status.NOT_MET),
        (None, Status.NOT_MET),
    ],
)
def test_the_contract_is_one_of_the_packages(
    ipa_registry: Registry,
    contract: str | None,
    status: Status,
    make_leader: Callable[..., Leader],
    make_mentor: Callable[..., Mentor],
) -> None:
    found = findings(
        ipa_registry,
        engagement(make_leader(), make_mentor(), *PLANS, contract=contract),
        D(2023, 9, 1),
    )
    assert found["contract_package"].status is status


@pytest.mark.parametrize("artifact", ["goals", "action_plan", "entry_plan"])
def test_goals_an_action_plan_and_an_entry_plan_must_be_logged(
    ipa_registry: Registry,
    artifact: str,
    make_leader: Callable[..., Leader],
    make_mentor: Callable[..., Mentor],
) -> None:
    requirement = {
        "goals": "goals_logged",
        "action_plan": "action_plan_logged",
        "entry_plan": "entry_plan_guided",
    }[artifact]
    others = [a for a in PLANS if a.artifact != artifact]
    eng = engagement(make_leader(), make_mentor(), *others)
    assert findings(ipa_registry, eng, D(2023, 9, 1))[requirement].status is Status.AT_RISK
    missing = findings(ipa_registry, eng, END)[requirement]
    assert missing.status is Status.NOT_MET
    assert "0 of 1" in missing.detail
    assert (
        findings(ipa_registry, engagement(make_leader(), make_mentor(), *PLANS), D(2023, 9, 1))[
            requirement
        ].status
        is Status.MET
    )


@pytest.mark.parametrize(
    ("name", "as_of", "status"),
    [
        ("engagement-met.toml", D(2024, 7, 1), Status.MET),
        ("engagement-over-contract.toml", D(2024, 6, 1), Status.NOT_MET),
        ("engagement-in-progress.toml", D(2024, 6, 30), Status.AT_RISK),
    ],
)
def test_the_example_engagements(
    ipa_registry: Registry,
    ipa_people: People,
    name: str,
    as_of: dt.date,
    status: Status,
    ipa_examples: Path,
) -> None:
    eng = load_engagement(ipa_examples / name, ipa_people)
    validate_engagement(ipa_registry, eng, name)  # what `mentorcore check` verifies first
    assert check_engagement(ipa_registry, eng, as_of).status is status


# -- The contract's hours are owed (seed: "Provide 20, 40 or 60 hours of
# -- confidential mentoring (based on contract).") -------------------------------------


def test_hours_below_the_contract_while_it_runs_are_at_risk_with_the_pace_needed(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    eng = engagement(make_leader(), make_mentor(), *PLANS, onsite(D(2023, 9, 1), 180))
    found = findings(ipa_registry, eng, D(2023, 10, 31))["contract_hours_delivered"]
    assert found.status is Status.AT_RISK
    # 1 November 2023 to 30 June 2024 is 8 months: 37 hours at 4.63 a month (rounded up).
    assert found.detail == (
        "3 of 40 contract hours delivered; 37 hours left, 4.63 hours a month over the "
        "8 months left (due by 2024-06-30)"
    )
    assert found.figures["hours_left"] == Decimal(37)
    assert found.figures["months_left"] == Decimal(8)
    assert found.figures["pace_per_month"] == Decimal("4.63")


def test_three_of_forty_hours_after_the_end_are_not_met(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    # The case: this was `met` when the contract only capped the hours.
    eng = engagement(make_leader(), make_mentor(), *PLANS, onsite(D(2023, 9, 1), 180))
    result = check_engagement(ipa_registry, eng, D(2024, 7, 15))
    found = {f.requirement: f for f in result.findings}["contract_hours_delivered"]
    assert found.status is Status.NOT_MET
    assert found.detail == (
        "3 of 40 contract hours delivered by the end (2024-06-30): 37 hours short"
    )
    assert result.status is Status.NOT_MET


def test_the_last_days_give_the_days_left_not_a_monthly_pace(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    eng = engagement(make_leader(), make_mentor(), *PLANS, onsite(D(2023, 9, 1), 180))
    found = findings(ipa_registry, eng, D(2024, 6, 20))["contract_hours_delivered"]
    assert found.status is Status.AT_RISK
    assert found.detail.endswith("37 hours left, 10 days left (due by 2024-06-30)")
    assert found.figures["pace_per_month"] is None


@pytest.mark.parametrize("as_of", [D(2023, 12, 1), D(2024, 6, 30), D(2024, 9, 1)])
def test_the_contracts_hours_delivered_are_met_before_and_after_the_end(
    ipa_registry: Registry,
    make_leader: Callable[..., Leader],
    make_mentor: Callable[..., Mentor],
    as_of: dt.date,
) -> None:
    sessions = [onsite(D(2023, 9, 1), 600), onsite(D(2023, 10, 1), 600)]
    eng = engagement(make_leader(), make_mentor(), *PLANS, *sessions, contract="20")
    found = findings(ipa_registry, eng, as_of)
    assert found["contract_hours_delivered"].status is Status.MET
    assert found["contract_hours_delivered"].detail == "20 of 20 contract hours delivered"
    assert found["hours_within_contract"].status is Status.MET


def test_hours_over_the_contract_are_delivered_and_flagged_by_a_labelled_default(
    ipa_registry: Registry, make_leader: Callable[..., Leader], make_mentor: Callable[..., Mentor]
) -> None:
    sessions = [onsite(D(2023, 9, 1), 600), onsite(D(2023, 10, 1), 600), onsite(D(2023, 11, 1), 60)]
    eng = engagement(make_leader(), make_mentor(), *PLANS, *sessions, contract="20")
    found = findings(ipa_registry, eng, D(2023, 12, 1))
    assert found["contract_hours_delivered"].status is Status.MET
    assert found["hours_within_contract"].status is Status.NOT_MET
    over = next(
        r for r in ipa_registry.program("ipa").kinds[0].requirements
        if r.id == "hours_within_contract"
    )  # fmt: skip
    assert over.source is not None and over.source.default
    assert "not IPA's rule" in (over.source.note or "")
