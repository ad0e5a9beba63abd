"""ACSA/NTC coaching requirements, and mentoring's absence of them."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

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
START, END = D(2024, 8, 1), D(2026, 7, 31)
GOAL = ArtifactLogged(date=D(2024, 8, 5), artifact="goals", title="PLCs", items=("CPSEL-2",))


def coaching(leader: Leader, coach: Mentor, *events: Event, end: dt.date = END) -> Engagement:
    return Engagement(
        id="c",
        program="acsa",
        kind="coaching",
        leader=leader,
        mentor=coach,
        start=START,
        end=end,
        events=events,
    )


def month(year: int, number: int, minutes: int, mode: str = "onsite") -> Interaction:
    return Interaction(date=D(year, number, 10), minutes=minutes, mode=mode)


def findings(registry: Registry, eng: Engagement, as_of: dt.date) -> dict[str, Finding]:
    return {f.requirement: f for f in check_engagement(registry, eng, as_of).findings}


def test_a_month_below_the_band_is_shown_and_the_average_decides(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    events: list[Event] = [GOAL, month(2024, 8, 240), month(2024, 9, 120), month(2024, 10, 300)]
    found = findings(acsa_registry, coaching(make_leader(), make_coach(), *events), D(2024, 11, 5))
    band = found["monthly_hours"]
    # Issue 10 item 5: the seed's figure is the average (3.67 here, in the band);
    # a month outside it is shown but no longer makes the finding at risk.
    assert band.status is Status.MET
    assert "2024-09 below the band (2 hours)" in band.detail
    assert band.figures["months_below"] == ["2024-09"]
    assert band.figures["months_judged"] == 3  # November is not over yet


def test_a_month_above_the_band_is_shown_and_the_average_decides(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    events: list[Event] = [GOAL, month(2024, 8, 240), month(2024, 9, 420)]
    band = findings(acsa_registry, coaching(make_leader(), make_coach(), *events), D(2024, 9, 30))[
        "monthly_hours"
    ]
    assert band.status is Status.MET  # issue 10 item 5: the average 5.5 is in the band
    assert band.figures["months_above"] == ["2024-09"]
    assert "2024-09 above the band (7 hours)" in band.detail


def test_months_at_exactly_three_and_six_hours_are_in_the_band(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    events: list[Event] = [GOAL, month(2024, 8, 180), month(2024, 9, 360)]
    band = findings(acsa_registry, coaching(make_leader(), make_coach(), *events), D(2024, 10, 1))[
        "monthly_hours"
    ]
    assert band.status is Status.MET
    assert band.figures["average"] == 4.5


def test_the_whole_engagements_average_below_the_band_is_not_met_at_the_end(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    end = D(2024, 10, 31)
    events: list[Event] = [GOAL, month(2024, 8, 60), month(2024, 9, 120), month(2024, 10, 240)]
    eng = coaching(make_leader(), make_coach(), *events, end=end)
    assert findings(acsa_registry, eng, D(2024, 10, 1))["monthly_hours"].status is Status.AT_RISK
    band = findings(acsa_registry, eng, end)["monthly_hours"]
    assert band.status is Status.NOT_MET
    assert band.detail.startswith("average 2.33 hours a month over 3 month(s) (3 to 6 hours")


def test_nothing_to_judge_before_the_first_month_is_over(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    eng = coaching(make_leader(), make_coach(), GOAL)
    band = findings(acsa_registry, eng, D(2024, 8, 20))["monthly_hours"]
    assert band.status is Status.MET and "no calendar month over yet" in band.detail


def test_a_goal_without_a_cpsel_standard_is_not_met(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    loose = ArtifactLogged(date=D(2024, 8, 6), artifact="goals", title="Improve staff morale")
    eng = coaching(make_leader(), make_coach(), GOAL, loose)
    found = findings(acsa_registry, eng, D(2024, 9, 1))["goals_tied_to_cpsel"]
    assert found.status is Status.NOT_MET
    assert "1 of 2 goals without items starting 'CPSEL-'" in found.detail
    good = findings(acsa_registry, coaching(make_leader(), make_coach(), GOAL), D(2024, 9, 1))
    assert good["goals_tied_to_cpsel"].status is Status.MET


def test_coaching_spans_two_years(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    two_years = coaching(make_leader(), make_coach(), GOAL)
    assert findings(acsa_registry, two_years, START)["two_year_span"].status is Status.MET
    one_year = coaching(make_leader(), make_coach(), GOAL, end=D(2025, 7, 31))
    span = findings(acsa_registry, one_year, START)["two_year_span"]
    assert span.status is Status.NOT_MET and span.detail == "12 of 24 months"


def test_an_on_site_focus_of_at_least_half_the_time(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    virtual: list[Event] = [GOAL, month(2024, 8, 180, "virtual"), month(2024, 9, 60)]
    eng = coaching(make_leader(), make_coach(), *virtual, end=D(2024, 9, 30))
    assert findings(acsa_registry, eng, D(2024, 9, 1))["onsite_focus"].status is Status.AT_RISK
    focus = findings(acsa_registry, eng, D(2024, 9, 30))["onsite_focus"]
    assert focus.status is Status.NOT_MET and focus.figures["value"] == 0.25
    half = coaching(
        make_leader(), make_coach(), GOAL, month(2024, 8, 120, "phone"), month(2024, 9, 120)
    )
    assert findings(acsa_registry, half, D(2024, 9, 30))["onsite_focus"].status is Status.MET


def test_a_coach_without_certification_is_not_met(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    eng = coaching(make_leader(), make_coach(credentials=[]), GOAL)
    found = findings(acsa_registry, eng, START)["mentor_holds_certified_coach"]
    assert found.status is Status.NOT_MET


def test_mentoring_with_one_email_a_month_is_met(
    acsa_registry: Registry, make_leader: Callable[..., Leader], make_coach: Callable[..., Mentor]
) -> None:
    emails = tuple(
        Interaction(date=D(2024 + (7 + i) // 12, (7 + i) % 12 + 1, 15), minutes=10, mode="email")
        for i in range(11)
    )
    eng = Engagement(
        id="m",
        program="acsa",
        kind="mentoring",
        leader=make_leader(),
        mentor=make_coach(credentials=[]),
        start=START,
        end=D(2025, 6, 30),
        events=emails,
    )
    for as_of in (D(2024, 9, 1), D(2025, 6, 30)):
        result = check_engagement(acsa_registry, eng, as_of)
        assert result.status is Status.MET and result.findings == ()


@pytest.mark.parametrize(
    ("name", "as_of", "status", "failing"),
    [
        ("engagement-coaching-met.toml", D(2025, 8, 1), Status.MET, set()),
        (
            "engagement-coaching-failing.toml",
            D(2025, 1, 15),
            Status.NOT_MET,
            {
                "mentor_holds_certified_coach",
                "goals_tied_to_cpsel",
                "two_year_span",
                "onsite_focus",
            },
        ),
        ("engagement-mentoring-email.toml", D(2025, 7, 1), Status.MET, set()),
    ],
)
def test_the_example_engagements(
    acsa_registry: Registry,
    acsa_people: People,
    acsa_examples: Path,
    name: str,
    as_of: dt.date,
    status: Status,
    failing: set[str],
) -> None:
    engagement = load_engagement(acsa_examples / name, acsa_people)
    validate_engagement(acsa_registry, engagement, name)  # what `mentorcore check` verifies first
    result = check_engagement(acsa_registry, engagement, as_of)
    assert result.status is status
    assert {f.requirement for f in result.findings if f.status is not Status.MET} == failing


@given(st.lists(st.integers(min_value=0, max_value=600), min_size=1, max_size=8))
@settings(max_examples=60, deadline=None)
def test_the_monthly_band_follows_its_definition(minutes: list[int]) -> None:
    from mentorcore_acsa.checks import monthly_hours_band

    from mentorcore.rules.requirements import CheckContext, Requirement

    leader = Leader(id="l", name="L", role="principal", role_started=D(2024, 1, 1))
    coach = Mentor(id="c", name="C", role="other", credentials=("certified_coach",))
    start = D(2024, 1, 1)
    events = tuple(
        Interaction(date=D(2024, 1 + i, 10), minutes=m, mode="onsite")
        for i, m in enumerate(minutes)
        if m
    )
    last_month = len(minutes)
    end = D(2024, last_month + 1, 1) - dt.timedelta(days=1) if last_month < 12 else D(2024, 12, 31)
    eng = Engagement(
        id="p",
        program="acsa",
        kind="coaching",
        leader=leader,
        mentor=coach,
        start=start,
        end=end,
        events=events,
    )
    requirement = Requirement(
        id="monthly_hours",
        title="band",
        check="acsa.monthly_hours_band",
        params={"low": 3, "high": 6},
    )
    finding = monthly_hours_band(requirement, eng, end, CheckContext(metrics={}))
    cents = Decimal("0.01")  # hours per month are exact to the hundredth
    hours = [(Decimal(m) / 60).quantize(cents) for m in minutes]
    average = (sum(hours, Decimal(0)) / len(hours)).quantize(cents)
    # Checked once the engagement has ended, the finding is the average's verdict
    # (issue 10 item 5); the months outside the band are listed beside it.
    if not Decimal(3) <= average <= Decimal(6):
        assert finding.status is Status.NOT_MET
    else:
        assert finding.status is Status.MET
    assert finding.figures["months_below"] == [
        f"2024-{i + 1:02d}" for i, h in enumerate(hours) if h < 3
    ]
    assert finding.figures["months_above"] == [
        f"2024-{i + 1:02d}" for i, h in enumerate(hours) if h > 6
    ]
    assert finding.figures["months_judged"] == len(minutes)
