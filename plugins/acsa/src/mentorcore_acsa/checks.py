"""ACSA's monthly band of coaching hours, as a requirement check in Python.

ACSA/NTC coaching is an "Average of 3-6 hours/month for 2 years". The check
``acsa.monthly_hours_band`` (params ``low`` and ``high``, in hours) judges
each calendar month of the engagement once it is over (the month in progress
is not judged yet):

* the average over the engagement outside the band, once the engagement has
  ended, is ``not_met``;
* otherwise any judged month outside the band, or an average so far outside
  it while the engagement runs, is ``at_risk``;
* otherwise ``met``.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mentorcore.plugin import (
    CheckContext,
    Engagement,
    Finding,
    Requirement,
    RequirementCheck,
    RuleError,
    Status,
    hours_by_month,
)

__all__ = ["MONTHLY_HOURS_BAND", "monthly_hours_band"]

_TWO_PLACES = Decimal("0.01")


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _hours(value: Decimal) -> str:
    return f"{_number(value)} hour" + ("" if value == 1 else "s")


def _bound(requirement: Requirement, name: str) -> Decimal:
    value = requirement.params.get(name)
    if isinstance(value, bool) or not isinstance(value, (int, Decimal, str)):
        raise RuleError(
            f"requirement {requirement.id!r}: params.{name} must be a number of hours, "
            f"found {value!r}"
        )
    return Decimal(value)


def _month_over(key: str, as_of: dt.date, end: dt.date) -> bool:
    year, month = int(key[:4]), int(key[5:])
    following = dt.date(year + 1, 1, 1) if month == 12 else dt.date(year, month + 1, 1)
    last_day = following - dt.timedelta(days=1)
    return as_of >= last_day or as_of >= end


def monthly_hours_band(
    requirement: Requirement, engagement: Engagement, as_of: dt.date, _context: CheckContext
) -> Finding:
    """Judge the hours logged per calendar month against the band ``low``–``high``."""
    low, high = _bound(requirement, "low"), _bound(requirement, "high")
    if low > high:
        raise RuleError(
            f"requirement {requirement.id!r}: params.low {low} is above params.high {high}"
        )
    months = hours_by_month(engagement, as_of)
    judged = {
        key: hours for key, hours in months.items() if _month_over(key, as_of, engagement.end)
    }
    below = [key for key, hours in judged.items() if hours < low]
    above = [key for key, hours in judged.items() if hours > high]
    ended = as_of >= engagement.end
    band = f"{_number(low)} to {_number(high)} hours a month"
    figures: dict[str, object] = {
        "low": low,
        "high": high,
        "months_judged": len(judged),
        "hours_by_month": judged,
        "months_below": below,
        "months_above": above,
        "average": None,
    }
    if not judged:
        return Finding(
            requirement=requirement.id,
            title=requirement.title,
            status=Status.MET,
            detail=f"no calendar month over yet to judge against {band}",
            figures=figures,
        )
    average = (sum(judged.values(), Decimal(0)) / len(judged)).quantize(_TWO_PLACES)
    figures["average"] = average
    inside = low <= average <= high
    parts = [f"average {_number(average)} hours a month over {len(judged)} month(s) ({band})"]
    parts.extend(f"{key} below the band ({_hours(judged[key])})" for key in below)
    parts.extend(f"{key} above the band ({_hours(judged[key])})" for key in above)
    if not inside and ended:
        status = Status.NOT_MET
    elif not inside or below or above:
        status = Status.AT_RISK
    else:
        status = Status.MET
    detail = "; ".join(parts)
    if status is Status.AT_RISK and not inside:
        detail += f" (the whole engagement's average is due by {engagement.end})"
    return Finding(
        requirement=requirement.id,
        title=requirement.title,
        status=status,
        detail=detail,
        figures=figures,
    )


#: The check as registered under ``acsa.monthly_hours_band``.
MONTHLY_HOURS_BAND = RequirementCheck(
    id="acsa.monthly_hours_band",
    description=(
        "hours logged per calendar month within params.low to params.high: a month outside "
        "is at risk, the engagement's average outside once it ends is not met"
    ),
    function=monthly_hours_band,
)
