"""The core's own facts, metrics and requirement checks.

They are registered through the same hooks a plug-in uses (as datasette
registers its defaults), so nothing about them is special: a plug-in author
can read this module as an example.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from decimal import ROUND_UP, Decimal
from typing import Any

from mentorcore.engagements import (
    Approval,
    AssessmentLogged,
    Engagement,
    Mode,
    TaskDone,
    add_months,
    artifacts,
    events_of,
    hours_delivered,
    months_left,
    planned_sessions,
    sessions_by_mode,
)
from mentorcore.hookspecs import hookimpl
from mentorcore.people import SCHOOL_LEADER_ROLES, Mentor, Person, Role
from mentorcore.periods import SchoolYear
from mentorcore.rules.facts import Fact, Unknown
from mentorcore.rules.requirements import (
    CheckContext,
    Finding,
    Metric,
    Requirement,
    RequirementCheck,
    Status,
)

__all__ = [
    "register_checks",
    "register_criteria",
    "register_facts",
    "register_frameworks",
    "register_metrics",
]


def _years_between(start: dt.date, end: dt.date) -> int:
    years = end.year - start.year - ((end.month, end.day) < (start.month, start.day))
    return max(years, 0)


def _years_in_role(person: Person, on: dt.date) -> int | None:
    return _years_between(person.role_started, on) if person.role_started else None


def _in_first_school_year(person: Person, on: dt.date) -> bool:
    started = person.role_started
    if started is None or started > on:
        return False
    # Compare start years, not SchoolYear objects: bulk runs ask this of every person.
    return SchoolYear.start_year_of(started) == SchoolYear.start_year_of(on)


def _in_first_year_of_service(person: Person, on: dt.date) -> bool | Unknown:
    started = person.role_started
    if started is None:
        return Unknown("role_started is not given")
    if on < started:
        return Unknown(f"the role has not started yet: role_started is {started}")
    return on < add_months(started, 12)


def _experience(
    attribute: str, roles: frozenset[Role], named: str
) -> Callable[[Person, dt.date], int | Unknown]:
    """A mentor's years of one kind of experience: stated, else derived, else unknown.

    Derived: whole years since ``role_started`` when the record's role is one
    of ``roles``; the record holds the current role only, so earlier roles
    count only when stated. Unknown (``None``): no stated value, and the
    record's role is not one of ``roles`` or has no ``role_started``.
    """

    def value(person: Person, on: dt.date) -> int | Unknown:
        stated = getattr(person, attribute, None) if isinstance(person, Mentor) else None
        if stated is not None:
            return int(stated)
        if person.role in roles and person.role_started is not None:
            return _years_between(person.role_started, on)
        if person.role in roles:
            return Unknown(f"{attribute} is not stated and role_started is not given")
        return Unknown(
            f"{attribute} is not stated, and the record's role ({person.role.label}) is not "
            f"{named}, so the years cannot be derived from it"
        )

    return value


def _school(attribute: str) -> Callable[[Person, dt.date], Any]:
    def value(person: Person, _on: dt.date) -> Any:
        if person.school is None:
            return None
        found = getattr(person.school, attribute)
        return found.value if hasattr(found, "value") else found

    return value


def _mentor(attribute: str, empty: Any) -> Callable[[Person, dt.date], Any]:
    def value(person: Person, _on: dt.date) -> Any:
        return getattr(person, attribute) if isinstance(person, Mentor) else empty

    return value


_FACTS = (
    Fact(
        id="role",
        description="the person's role (principal, dean …)",
        function=lambda p, _d: p.role.value,
    ),
    Fact(
        id="first_time_in_role",
        description="whether the person is in this role for the first time",
        function=lambda p, _d: p.first_time_in_role,
    ),
    Fact(
        id="role_started",
        description="the date the person started the role",
        function=lambda p, _d: p.role_started,
    ),
    Fact(
        id="years_in_role",
        description="whole years in the role on the date",
        function=_years_in_role,
    ),
    Fact(
        id="in_first_school_year",
        description="whether the date falls in the school year (1 July to 30 June) "
        "in which the role started",
        function=_in_first_school_year,
    ),
    Fact(
        id="in_first_year_of_service",
        description="whether the date is within the first year of service: the 12 months "
        "from role_started (unknown before the role starts)",
        function=_in_first_year_of_service,
    ),
    Fact(
        id="role_started_school_year",
        description="the school year in which the role started, as 2022-2023",
        function=lambda p, _d: (
            SchoolYear.containing(p.role_started).label if p.role_started else None
        ),
    ),
    Fact(
        id="school_year",
        description="the school year of the date, as 2022-2023",
        function=lambda _p, d: SchoolYear.containing(d).label,
    ),
    Fact(
        id="school.state",
        description="the two-letter state code of the person's school",
        function=_school("state"),
    ),
    Fact(
        id="school.sector",
        description="the sector of the person's school: public, charter or private",
        function=_school("sector"),
    ),
    Fact(
        id="school.level", description="the level of the person's school", function=_school("level")
    ),
    Fact(
        id="school.context",
        description="the community context of the person's school",
        function=_school("context"),
    ),
    Fact(
        id="memberships",
        description="the organizations the person is a member of",
        function=lambda p, _d: p.memberships,
    ),
    Fact(id="region", description="the person's region", function=lambda p, _d: p.region),
    Fact(
        id="goals",
        description="the person's professional goals and needs",
        function=lambda p, _d: p.goals,
    ),
    Fact(
        id="credentials",
        description="a mentor's credentials, held now or before",
        function=_mentor("credentials", ()),
        subject="mentor",
    ),
    Fact(
        id="years_as_leader",
        description="a mentor's years of experience as a school leader: as stated, else "
        "whole years since role_started in a school-leader role (principal, assistant or "
        "associate principal, dean, director), else unknown",
        function=_experience(
            "years_as_leader",
            SCHOOL_LEADER_ROLES,
            "a school-leader role (principal, assistant or associate principal, dean, director)",
        ),
        subject="mentor",
    ),
    Fact(
        id="years_as_principal",
        description="a mentor's years of principal experience: as stated, else whole "
        "years since role_started as a principal, else unknown",
        function=_experience("years_as_principal", frozenset({Role.PRINCIPAL}), "principal"),
        subject="mentor",
    ),
    Fact(
        id="attestations",
        description="the vetting checklist items attested for a mentor",
        function=_mentor("attestations", ()),
        subject="mentor",
    ),
)


@hookimpl
def register_facts(register: Callable[[Fact], None]) -> None:
    """The core's facts about people."""
    for fact in _FACTS:
        register(fact)


def _param(params: Mapping[str, Any], name: str) -> Any:
    return params.get(name)


def _sessions(engagement: Engagement, as_of: dt.date, params: Mapping[str, Any]) -> int:
    mode = _param(params, "mode")
    counts = sessions_by_mode(engagement, as_of)
    return counts[Mode(mode)] if mode else sum(counts.values())


def _planned_sessions(
    engagement: Engagement, as_of: dt.date, params: Mapping[str, Any]
) -> tuple[dt.date, ...]:
    return tuple(e.date for e in planned_sessions(engagement, as_of, _param(params, "mode")))


def _artifact_count(engagement: Engagement, as_of: dt.date, params: Mapping[str, Any]) -> int:
    return len(artifacts(engagement, _param(params, "artifact"), as_of))


def _approvals(engagement: Engagement, as_of: dt.date, params: Mapping[str, Any]) -> int:
    wanted = _param(params, "approved")
    return sum(
        1 for e in events_of(engagement, Approval, as_of) if wanted is None or e.approved == wanted
    )


def _tasks(engagement: Engagement, as_of: dt.date, params: Mapping[str, Any]) -> int:
    wanted = _param(params, "task")
    return sum(
        1 for e in events_of(engagement, TaskDone, as_of) if wanted is None or e.task == wanted
    )


def _assessments(engagement: Engagement, as_of: dt.date, params: Mapping[str, Any]) -> int:
    prefix = _param(params, "prefix") or ""
    return sum(
        1 for e in events_of(engagement, AssessmentLogged, as_of) if e.item.startswith(prefix)
    )


def _mentor_credential(engagement: Engagement, _as_of: dt.date, params: Mapping[str, Any]) -> int:
    return int(_param(params, "credential") in engagement.mentor.credentials)


def _onsite_share(engagement: Engagement, as_of: dt.date, _params: Mapping[str, Any]) -> Decimal:
    from mentorcore.engagements import Interaction

    minutes = [(e.mode, e.minutes) for e in events_of(engagement, Interaction, as_of)]
    total = sum(m for _, m in minutes)
    if not total:
        return Decimal(0)
    onsite = sum(m for mode, m in minutes if mode is Mode.ONSITE)
    return (Decimal(onsite) / Decimal(total)).quantize(Decimal("0.01"))


_METRICS = (
    Metric(
        id="hours_delivered",
        description="hours of interaction logged",
        function=lambda e, d, _p: hours_delivered(e, d),
        unit="hours delivered",
    ),
    Metric(
        id="contract_hours",
        description="the hours of the engagement's contract",
        function=lambda e, _d, _p: e.contract_hours,
        unit="contract hours",
    ),
    Metric(
        id="sessions",
        description="interactions logged, of one mode when params.mode is given",
        function=_sessions,
        unit="sessions",
        planned=_planned_sessions,
    ),
    Metric(
        id="artifacts",
        description="artifacts logged, of one kind when params.artifact is given",
        function=_artifact_count,
        unit="artifacts",
    ),
    Metric(
        id="approvals",
        description="approvals logged, of one thing when params.approved is given",
        function=_approvals,
        unit="approvals",
    ),
    Metric(
        id="tasks_done",
        description="tasks logged as done, one task when params.task is given",
        function=_tasks,
        unit="tasks done",
    ),
    Metric(
        id="assessments",
        description="ratings of framework items logged, of items starting with params.prefix "
        "when it is given",
        function=_assessments,
        unit="assessments",
    ),
    Metric(
        id="mentor_credential",
        description="1 if the mentor holds params.credential, else 0",
        function=_mentor_credential,
        unit="credential",
    ),
    Metric(
        id="engagement_months",
        description="calendar months the engagement spans",
        function=lambda e, _d, _p: e.duration_months,
        unit="months",
    ),
    Metric(
        id="engagement_span_months",
        description="the engagement's length in calendar months from its start, "
        "pro rata for a part month",
        function=lambda e, _d, _p: e.span_months,
        unit="months",
    ),
    Metric(
        id="onsite_share",
        description="share of logged minutes on site, 0 to 1",
        function=_onsite_share,
        unit="of time on site",
    ),
)


@hookimpl
def register_metrics(register: Callable[[Metric], None]) -> None:
    """The core's metrics over an engagement's log."""
    for metric in _METRICS:
        register(metric)


def _artifacts_with(
    requirement: Requirement, engagement: Engagement, as_of: dt.date, _context: CheckContext
) -> Finding:
    """Every artifact of ``params.artifact`` must carry ``params.field`` (``items`` or
    ``priority``); with ``params.prefix``, an item code starting with it."""
    kind = requirement.params.get("artifact", "goals")
    field = requirement.params.get("field", "items")
    prefix = requirement.params.get("prefix", "")
    from mentorcore.audience import Part, mention

    logged = artifacts(engagement, kind, as_of)
    lacking: list[Part] = []
    for event in logged:
        value = getattr(event, field, None)
        if field == "items":
            ok = any(code.startswith(prefix) for code in event.items)
        else:
            ok = bool(value)
        if not ok:
            # A title is the pair's text: quoted as a mention, composed per audience.
            lacking.append(
                mention(engagement, event, "title") if event.title else f"{kind} of {event.date}"
            )
    unit = requirement.unit or f"{kind} artifacts"
    parts: list[Part]
    if not logged:
        status = Status.AT_RISK if as_of < engagement.end else Status.NOT_MET
        parts = [f"no {unit} logged yet"]
    elif lacking:
        status = Status.NOT_MET
        wanted = f"{field} starting {prefix!r}" if prefix and field == "items" else field
        parts = [f"{len(lacking)} of {len(logged)} {unit} without {wanted}: "]
        for position, part in enumerate(lacking):
            parts.extend(["; ", part] if position else [part])
    else:
        status = Status.MET
        parts = [f"{len(logged)} of {len(logged)} {unit} with {field}"]
    positions = {id(event): index for index, event in enumerate(engagement.events)}
    return Finding.quoting(
        parts,
        requirement=requirement.id,
        title=requirement.title,
        status=status,
        figures={"logged": len(logged), "lacking": len(lacking)},
        events=tuple(positions[id(event)] for event in logged),
    )


def _figure(value: Decimal) -> str:
    return format(value.normalize(), "f")


def _hours(value: Decimal) -> str:
    return f"{_figure(value)} hour{'' if value == 1 else 's'}"


def _contract_hours_owed(
    requirement: Requirement, engagement: Engagement, as_of: dt.date, _context: CheckContext
) -> Finding:
    """The contract's hours are owed: delivered by the end, at a pace the months left allow."""
    contract = engagement.contract_hours
    # Hours logged after the end are not the contract's: count up to the end.
    delivered = hours_delivered(engagement, min(as_of, engagement.end))
    figures: dict[str, Any] = {"value": delivered, "expected": contract}
    if contract is None:
        return Finding(
            requirement=requirement.id,
            title=requirement.title,
            status=Status.NOT_MET,
            detail=f"{_figure(delivered)} hours delivered; no contract hours recorded",
            figures=figures,
        )
    short = max(contract - delivered, Decimal(0))
    left = months_left(engagement, as_of)
    figures.update(hours_left=short, months_left=left, pace_per_month=None)
    done = f"{_figure(delivered)} of {_figure(contract)} contract hours delivered"
    if not short:
        status, detail = Status.MET, done
    elif as_of < engagement.end:
        status = Status.AT_RISK
        if left >= 1:
            # Rounded up: the pace that is enough, not a hundredth short of it.
            pace = (short / left).quantize(Decimal("0.01"), rounding=ROUND_UP)
            figures["pace_per_month"] = pace
            to_go = f"{_figure(pace)} hours a month over the {_figure(left)} months left"
        else:
            days = (engagement.end - as_of).days
            to_go = f"{days} day{'' if days == 1 else 's'} left"
        detail = f"{done}; {_hours(short)} left, {to_go} (due by {engagement.end})"
    else:
        status = Status.NOT_MET
        detail = f"{done} by the end ({engagement.end}): {_hours(short)} short"
    return Finding(
        requirement=requirement.id,
        title=requirement.title,
        status=status,
        detail=detail,
        figures=figures,
    )


_CHECKS = (
    RequirementCheck(
        id="contract_hours_owed",
        description="the hours of the engagement's contract are owed: short of them is at "
        "risk while the engagement runs (with the hours left and the pace needed per month "
        "left) and not met once it has ended",
        function=_contract_hours_owed,
    ),
    RequirementCheck(
        id="artifacts_with",
        description="every artifact of a kind carries a field (items, priority), "
        "optionally an item code with a prefix",
        function=_artifacts_with,
    ),
)


@hookimpl
def register_checks(register: Callable[[RequirementCheck], None]) -> None:
    """The core's requirement checks written in Python."""
    for check in _CHECKS:
        register(check)


@hookimpl
def register_criteria(register: Callable[..., None]) -> None:
    """The core's matching criteria (see :mod:`mentorcore.matching.criteria`)."""
    from mentorcore.matching.criteria import builtin_criteria

    for criterion in builtin_criteria():
        register(criterion)


@hookimpl
def register_frameworks(register: Callable[..., None]) -> None:
    """The core's shared rating scale, :data:`mentorcore.frameworks.DEFAULT_SCALE`.

    Registered as the rubric ``mentorcore.default_scale`` so a program whose
    source gives no scale (ULead's competencies) can name it in ``uses`` and
    an assessment file can name it as its ``rubric``; it is labelled as a
    documented default wherever it is shown.
    """
    from mentorcore.frameworks import DEFAULT_SCALE

    register(DEFAULT_SCALE)
