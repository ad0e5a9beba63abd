"""ACSA's average of coaching hours a month, as a requirement check in Python.

ACSA/NTC coaching is an "Average of 3-6 hours/month for 2 years". The check
``acsa.monthly_hours_band`` (params ``low`` and ``high``, in hours) judges the
seed's own figure, the average, over the engagement's months gone by:

* a month is a calendar month counted from the start (15 September to
  14 October); the engagement's last month may be a part month, counted pro
  rata (a band of 3 to 6 hours over a tenth of a month is 0.3 to 0.6 hours);
* only months that are over are judged (the month in progress is not yet);
  the average is the hours of the judged months over their number, pro rata;
* each judged month outside the band is shown in the finding (figures
  ``months_below`` and ``months_above``, and the detail), but does not decide
  it: while the engagement runs the finding is ``at_risk`` only when the
  average so far is outside the band (heading out of it), and once the
  engagement has ended the finding is the average's verdict, ``met`` or
  ``not_met``.

Reading "heading out of the band" as "the average so far is outside it" is
this plug-in's configurable default, labelled in its data.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from mentorcore.plugin import (
    CheckContext,
    Engagement,
    Finding,
    Interaction,
    Requirement,
    RequirementCheck,
    RuleError,
    Status,
    engagement_months,
    events_of,
    months_between,
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


def _month_hours(engagement: Engagement, first: dt.date, last: dt.date) -> Decimal:
    minutes = sum(
        event.minutes for event in events_of(engagement, Interaction, last) if event.date >= first
    )
    return (Decimal(minutes) / Decimal(60)).quantize(_TWO_PLACES)


def monthly_hours_band(
    requirement: Requirement, engagement: Engagement, as_of: dt.date, _context: CheckContext
) -> Finding:
    """Judge the average hours a month against the band ``low``–``high``."""
    low, high = _bound(requirement, "low"), _bound(requirement, "high")
    if low > high:
        raise RuleError(
            f"requirement {requirement.id!r}: params.low {low} is above params.high {high}"
        )
    ended = as_of >= engagement.end
    judged: dict[str, Decimal] = {}
    counted = Decimal(0)
    below: list[str] = []
    above: list[str] = []
    for first, last in engagement_months(engagement, as_of):
        if as_of < last:
            continue  # the month in progress is not judged yet
        key = f"{first.year:04d}-{first.month:02d}"
        share = months_between(first, last + dt.timedelta(days=1))
        hours = _month_hours(engagement, first, last)
        judged[key] = hours
        counted += share
        if hours < low * share:
            below.append(key)
        elif hours > high * share:
            above.append(key)
    band = f"{_number(low)} to {_number(high)} hours a month"
    figures: dict[str, object] = {
        "low": low,
        "high": high,
        "months_judged": len(judged),
        "months_counted": counted,
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
            detail=f"no calendar month over yet to judge against {band} "
            f"(the first ends on {engagement_months(engagement)[0][1]})",
            figures=figures,
        )
    average = (sum(judged.values(), Decimal(0)) / counted).quantize(_TWO_PLACES)
    figures["average"] = average
    inside = low <= average <= high
    parts = [f"average {_number(average)} hours a month over {_number(counted)} month(s) ({band})"]
    parts.extend(f"{key} below the band ({_hours(judged[key])})" for key in below)
    parts.extend(f"{key} above the band ({_hours(judged[key])})" for key in above)
    if inside:
        status = Status.MET
    elif ended:
        status = Status.NOT_MET
    else:
        status = Status.AT_RISK
    detail = "; ".join(parts)
    if status is Status.AT_RISK:
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
        "the average hours a month, over the calendar months from the start that are over "
        "(pro rata for a part month), within params.low to params.high: outside while the "
        "engagement runs is at risk, outside once it has ended is not met; months outside "
        "the band are shown"
    ),
    function=monthly_hours_band,
)
