"""Quotes for IPA's 20, 40 and 60 hour packages, for members and non-members."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

import pytest

from mentorcore.plugin import InputError, Leader, NoValueInForce, Registry, RuleError

ON = dt.date(2023, 9, 15)


@pytest.mark.parametrize(
    ("hours", "member", "non_member"),
    [(20, "1749.00", "2629.00"), (40, "2999.00", "4499.00"), (60, "4249.00", "6374.00")],
)
def test_an_assistant_principal_pays_the_listed_price_of_each_package(
    ipa_registry: Registry,
    hours: int,
    member: str,
    non_member: str,
    make_leader: Callable[..., Leader],
) -> None:
    ipa_member = make_leader(role="assistant_principal", memberships=["ipa"])
    other = make_leader(role="assistant_principal", memberships=["acsa"])
    quote = ipa_registry.quote("ipa", ipa_member, hours, ON)
    assert (quote.amount, quote.basis, quote.currency) == (Decimal(member), "member", "USD")
    assert "is an IPA member: yes" in quote.explanation
    quote = ipa_registry.quote("ipa", other, hours, ON)
    assert (quote.amount, quote.basis) == (Decimal(non_member), "non_member")
    assert quote.decision.outcome == "paid"
    assert quote.source is not None and quote.source.quote is not None
    assert f"{hours} HOURS" in quote.source.quote


@pytest.mark.parametrize("hours", [20, 40, 60])
def test_a_free_decision_quotes_zero_with_basis_free(
    ipa_registry: Registry, hours: int, make_leader: Callable[..., Leader]
) -> None:
    quote = ipa_registry.quote("ipa", make_leader(memberships=["ipa"]), hours, dt.date(2022, 9, 1))
    assert quote.amount == Decimal("0.00")
    assert quote.basis == "free"
    assert quote.decision.outcome == "free"


def test_a_first_year_principal_in_2024_2025_is_quoted_the_member_price(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    leader = make_leader(role_started=dt.date(2024, 8, 1), memberships=["ipa"])
    quote = ipa_registry.quote("ipa", leader, 40, dt.date(2024, 9, 1))
    assert (quote.amount, quote.basis) == (Decimal("2999.00"), "member")
    assert "no free offer is on record for school year 2024-2025" in quote.explanation


def test_a_number_of_hours_that_is_not_a_package_lists_the_packages(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    with pytest.raises(InputError, match="20, 40, 60 hours"):
        ipa_registry.quote("ipa", make_leader(role="dean"), 30, ON)


def test_someone_not_eligible_gets_no_quote(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    with pytest.raises(RuleError, match="Not eligible for IPA mentoring"):
        ipa_registry.quote("ipa", make_leader(role="teacher_leader"), 20, ON)


def test_no_price_is_known_before_the_table_starts(
    ipa_registry: Registry, make_leader: Callable[..., Leader]
) -> None:
    with pytest.raises(NoValueInForce, match="2021-07-01"):
        ipa_registry.quote("ipa", make_leader(role="dean"), 20, dt.date(2021, 6, 30))
    assert ipa_registry.quote("ipa", make_leader(role="dean"), 20, dt.date(2021, 7, 1)).amount


def test_the_price_table_start_is_documented_as_a_default(ipa_registry: Registry) -> None:
    pricing = ipa_registry.program("ipa").pricing
    assert pricing is not None
    ((schedule, end),) = pricing.table.periods()
    assert schedule.start == dt.date(2021, 7, 1) and end is None
    assert "undated" in schedule.note
