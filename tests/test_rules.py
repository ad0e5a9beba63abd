"""Eligibility decisions, dated parameters, quotes and requirements on a small program."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from core_builders import leader, mentor

from mentorcore import Engagement, Interaction, Mode
from mentorcore.errors import InputError, NoValueInForce, RuleError, UnknownIdError
from mentorcore.people import School, Sector
from mentorcore.registry import Registry
from mentorcore.rules.parameters import DatedValue, Parameter
from mentorcore.rules.requirements import Status, worst


def test_a_first_time_illinois_principal_is_free_in_a_year_with_an_offer(
    registry: Registry,
) -> None:
    decision = registry.decide("demo", leader(), dt.date(2022, 9, 1))
    assert decision.outcome == "free"
    assert decision.eligible
    assert [c.fact for c in decision.checks] == ["role", "school.state", "free_offer"]
    assert all(c.passed for c in decision.checks)
    assert "is a lead/head principal: yes" in decision.explanation


def test_a_private_school_principal_pays_and_the_explanation_says_why(registry: Registry) -> None:
    private = leader(school=School(name="St. Anne", state="WI", sector=Sector.PRIVATE))
    decision = registry.decide("demo", private, dt.date(2022, 9, 1))
    assert decision.outcome == "paid"
    failed = [c for c in decision.checks if not c.passed]
    assert [c.fact for c in failed] == ["school.state"]
    assert failed[0].value == "WI"
    assert (
        "Not free mentoring, because: works in Illinois: no (school state: WI)"
        in decision.explanation
    )


def test_a_year_with_no_free_offer_is_named_not_guessed(registry: Registry) -> None:
    decision = registry.decide("demo", leader(), dt.date(2024, 9, 1))
    assert decision.outcome == "paid"
    assert "no free offer is on record for school year 2024-2025" in decision.explanation
    assert "known periods: 2021-07-01 to 2024-06-30" in decision.explanation


def test_a_parameter_outside_every_period_names_the_date_and_the_periods() -> None:
    parameter = Parameter(
        id="offer",
        title="Offer",
        values=(
            DatedValue(start=dt.date(2021, 7, 1), value=True),
            DatedValue(start=dt.date(2024, 7, 1)),
        ),
    )
    assert parameter.value_on(dt.date(2024, 6, 30)) is True
    with pytest.raises(NoValueInForce) as error:
        parameter.value_on(dt.date(2020, 1, 1))
    assert "2020-01-01" in str(error.value)
    assert "2021-07-01 to 2024-06-30" in str(error.value)
    with pytest.raises(NoValueInForce):
        parameter.value_on(dt.date(2024, 7, 1))


def test_parameter_values_must_be_in_date_order() -> None:
    with pytest.raises(InputError, match="increasing order"):
        Parameter(
            id="p",
            title="P",
            values=(
                DatedValue(start=dt.date(2022, 1, 1), value=1),
                DatedValue(start=dt.date(2021, 1, 1), value=2),
            ),
        )


def test_quotes_are_exact_decimals_by_basis(registry: Registry) -> None:
    member = registry.quote("demo", leader(), 20, dt.date(2024, 9, 1))
    assert (member.amount, member.basis, member.currency) == (Decimal("1749.00"), "member", "USD")
    stranger = registry.quote("demo", leader(memberships=()), 20, dt.date(2024, 9, 1))
    assert (stranger.amount, stranger.basis) == (Decimal("2629.00"), "non_member")
    free = registry.quote("demo", leader(), 20, dt.date(2022, 9, 1))
    assert (free.amount, free.basis) == (Decimal("0.00"), "free")
    assert free.decision.outcome == "free"


def test_a_number_of_hours_that_is_no_package_lists_the_packages(registry: Registry) -> None:
    with pytest.raises(InputError, match="packages offered on 2024-09-01: 20 hours"):
        registry.quote("demo", leader(), 25, dt.date(2024, 9, 1))


def test_a_price_before_the_table_starts_is_an_error(registry: Registry) -> None:
    with pytest.raises(NoValueInForce, match="prices"):
        registry.quote("demo", leader(), 20, dt.date(2020, 9, 1))


def test_unknown_program_and_kind_name_the_known_ones(registry: Registry) -> None:
    with pytest.raises(UnknownIdError, match="unknown program 'nope'; known: demo"):
        registry.program("nope")
    with pytest.raises(UnknownIdError, match="known: mentoring"):
        registry.program("demo").kind("coaching")


def _engagement(*events: Interaction, end: dt.date = dt.date(2023, 6, 30)) -> Engagement:
    return Engagement(
        id="e1",
        program="demo",
        kind="mentoring",
        leader=leader(),
        mentor=mentor(),
        start=dt.date(2022, 8, 1),
        end=end,
        contract_hours=Decimal(20),
        events=events,
    )


def _onsite(day: int) -> Interaction:
    return Interaction(date=dt.date(2022, 9, day), minutes=60, mode=Mode.ONSITE)


def test_fewer_onsite_sessions_than_required_are_at_risk_before_the_end(registry: Registry) -> None:
    from mentorcore import check_engagement

    result = check_engagement(registry, _engagement(_onsite(1), _onsite(2)), dt.date(2022, 10, 1))
    finding = result.findings[0]
    assert finding.status is Status.AT_RISK
    assert finding.detail.startswith("2 of 3 on-site sessions")
    assert finding.figures == {"value": 2, "expected": Decimal(3)}


def test_fewer_onsite_sessions_are_not_met_after_the_end(registry: Registry) -> None:
    from mentorcore import check_engagement

    result = check_engagement(registry, _engagement(_onsite(1), _onsite(2)), dt.date(2023, 7, 1))
    assert result.status is Status.NOT_MET


def test_the_third_onsite_session_meets_the_requirement(registry: Registry) -> None:
    from mentorcore import check_engagement

    result = check_engagement(
        registry, _engagement(_onsite(1), _onsite(2), _onsite(3)), dt.date(2022, 10, 1)
    )
    assert result.status is Status.MET
    assert result.findings[0].detail == "3 of 3 on-site sessions"


def test_worst_status() -> None:
    assert worst([]) is Status.MET
    assert worst([Status.MET, Status.AT_RISK]) is Status.AT_RISK
    assert worst([Status.NOT_MET, Status.AT_RISK]) is Status.NOT_MET


def test_a_fact_that_fails_to_compute_is_a_rule_error(registry: Registry) -> None:
    from mentorcore.rules.facts import Fact, FactSheet

    broken = Fact(id="boom", description="boom", function=lambda p, d: 1 / 0)
    sheet = FactSheet(leader(), dt.date(2022, 1, 1), {"boom": broken})
    with pytest.raises(RuleError, match="fact 'boom' could not be computed for 'ada'"):
        sheet["boom"]


def test_facts_are_computed_once_per_person_and_date() -> None:
    from mentorcore.rules.facts import Fact, FactSheet

    calls: list[int] = []
    counted = Fact(id="n", description="n", function=lambda p, d: calls.append(1) or len(calls))
    sheet = FactSheet(leader(), dt.date(2022, 1, 1), {"n": counted})
    assert sheet["n"] == sheet["n"] == 1
    assert len(calls) == 1
