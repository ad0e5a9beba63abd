"""Derived figures come from the log; the log is append-only; visibility defaults to the pair."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from core_builders import leader, mentor

from mentorcore.engagements import (
    ArtifactLogged,
    Engagement,
    Interaction,
    Mode,
    TaskDone,
    Visibility,
    artifacts,
    hours_by_month,
    hours_delivered,
    sessions_by_mode,
)
from mentorcore.errors import InputError
from mentorcore.periods import SchoolYear


def engagement(*events: Interaction | ArtifactLogged | TaskDone) -> Engagement:
    return Engagement(
        id="e",
        program="p",
        kind="k",
        leader=leader(),
        mentor=mentor(),
        start=dt.date(2022, 8, 15),
        end=dt.date(2022, 11, 30),
        events=events,
    )


LOG = (
    Interaction(date=dt.date(2022, 8, 20), minutes=90, mode=Mode.ONSITE),
    Interaction(date=dt.date(2022, 9, 5), minutes=20, mode=Mode.PHONE),
    Interaction(date=dt.date(2022, 10, 1), minutes=50, mode="virtual"),  # type: ignore[arg-type]
    ArtifactLogged(date=dt.date(2022, 9, 1), artifact="goals", items=("CPSEL-2",)),
)


def test_hours_delivered_are_exact_and_dated() -> None:
    log = engagement(*LOG)
    assert hours_delivered(log) == Decimal("2.67")
    assert hours_delivered(log, dt.date(2022, 9, 30)) == Decimal("1.83")


def test_sessions_are_counted_by_mode_with_every_mode_present() -> None:
    counts = sessions_by_mode(engagement(*LOG))
    assert counts[Mode.ONSITE] == 1 and counts[Mode.VIRTUAL] == 1 and counts[Mode.EMAIL] == 0
    assert set(counts) == set(Mode)


def test_hours_by_month_include_empty_months() -> None:
    months = hours_by_month(engagement(*LOG))
    assert months == {
        "2022-08": Decimal("1.50"),
        "2022-09": Decimal("0.33"),
        "2022-10": Decimal("0.83"),
        "2022-11": Decimal("0.00"),
    }


def test_the_log_is_append_only() -> None:
    first = engagement(*LOG)
    second = first.log(TaskDone(date=dt.date(2022, 10, 2), task="review"))
    assert len(first.events) == 4 and len(second.events) == 5
    assert artifacts(second, "goals")[0].items == ("CPSEL-2",)


def test_an_event_is_private_to_the_pair_unless_widened() -> None:
    assert LOG[0].visibility is Visibility.PAIR


def test_an_engagement_may_not_end_before_it_starts() -> None:
    with pytest.raises(InputError, match="before the start"):
        Engagement(
            id="e",
            program="p",
            kind="k",
            leader=leader(),
            mentor=mentor(),
            start=dt.date(2023, 1, 1),
            end=dt.date(2022, 1, 1),
        )


def test_school_years_run_from_july_to_june() -> None:
    assert SchoolYear.containing(dt.date(2022, 7, 1)).label == "2022-2023"
    assert SchoolYear.containing(dt.date(2023, 6, 30)).label == "2022-2023"
    assert SchoolYear.containing(dt.date(2023, 7, 1)).label == "2023-2024"
    assert SchoolYear.parse("2023-2024").end == dt.date(2024, 6, 30)
    with pytest.raises(InputError, match="a school year such as"):
        SchoolYear.parse("2023-2025")
