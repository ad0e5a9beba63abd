"""Engagements and their append-only event log.

An :class:`Engagement` is one leader, one mentor or coach, a program's kind
of engagement, a period, an optional contract of hours, and a log of events:
:class:`Interaction`, :class:`TaskDone`, :class:`ArtifactLogged`,
:class:`Approval`, :class:`AssessmentLogged`, and :class:`Planned` (a
session to come, which never counts as delivered). Every event has a
:class:`Visibility`. Hours delivered, sessions by mode, artifacts and the
like are derived from the log by the functions at the end of this module;
nothing derived is stored beside it.
"""

from __future__ import annotations

import datetime as dt
import enum
import re
from collections import Counter
from collections.abc import Iterator
from decimal import Decimal
from typing import ClassVar, TypeVar

from attrs import evolve, field, frozen

from mentorcore.errors import Described, InputError
from mentorcore.people import Leader, Mentor
from mentorcore.validation import MAX_CONTRACT_HOURS, MAX_MINUTES, check_bounds, non_empty, within

__all__ = [
    "EVENT_TYPES",
    "Approval",
    "ArtifactLogged",
    "AssessmentLogged",
    "Engagement",
    "Event",
    "Interaction",
    "Mode",
    "Planned",
    "TaskDone",
    "Visibility",
    "add_months",
    "artifacts",
    "engagement_months",
    "events_of",
    "hours_by_month",
    "hours_delivered",
    "months_between",
    "months_elapsed",
    "months_left",
    "planned_sessions",
    "sessions_by_mode",
]


class Visibility(enum.StrEnum):
    """Who may see an event: ``pair`` (leader and mentor), ``sponsor``, or ``program``.

    The levels widen: an event visible to the ``sponsor`` is visible to the
    pair too; one visible to the ``program`` is visible to everyone in the
    engagement.
    """

    PAIR = "pair"
    SPONSOR = "sponsor"
    PROGRAM = "program"


class Mode(enum.StrEnum):
    """How an interaction took place."""

    ONSITE = "onsite"
    VIRTUAL = "virtual"
    PHONE = "phone"
    TEXT = "text"
    EMAIL = "email"

    @property
    def label(self) -> str:
        """The mode in words: ``"on-site"``, ``"virtual"``."""
        return "on-site" if self is Mode.ONSITE else self.value


@frozen(kw_only=True)
class Interaction:
    """A session or contact between the pair: minutes, mode, topics, items addressed, notes.

    ``notes`` are private to the pair unless ``visibility`` widens them.
    """

    type: ClassVar[str] = "interaction"
    date: dt.date
    minutes: int = field(
        validator=within(
            1, MAX_MINUTES, expected=f"a positive number of minutes, at most {MAX_MINUTES:,}"
        )
    )
    mode: Mode = field(converter=Mode)
    topics: tuple[str, ...] = ()
    items: tuple[str, ...] = ()
    notes: str | None = None
    visibility: Visibility = field(default=Visibility.PAIR, converter=Visibility)


@frozen(kw_only=True)
class TaskDone:
    """A task of the kind's process model completed on a date.

    ``module`` names the module of a phase that runs per module (GLISI's
    Do phase: a practice or a final assessment).
    """

    type: ClassVar[str] = "task"
    date: dt.date
    task: str = field(validator=non_empty)
    by: str | None = None
    module: str | None = None
    notes: str | None = None
    visibility: Visibility = field(default=Visibility.PAIR, converter=Visibility)


@frozen(kw_only=True)
class ArtifactLogged:
    """An artifact recorded: ``goals``, ``action_plan``, ``entry_plan``, ``performance_plan``,
    ``ipcap``, ``portfolio_entry`` or a program's own.

    ``items`` are framework item codes the artifact addresses (a goal tied to
    ``CPSEL-2``); ``priority`` names the organizational priority a goal is
    aligned to.
    """

    type: ClassVar[str] = "artifact"
    date: dt.date
    artifact: str = field(validator=non_empty)
    title: str | None = None
    items: tuple[str, ...] = ()
    priority: str | None = None
    notes: str | None = None
    visibility: Visibility = field(default=Visibility.PAIR, converter=Visibility)


@frozen(kw_only=True)
class Approval:
    """Something approved (``approved``: an artifact id such as ``ipcap``) and by whom."""

    type: ClassVar[str] = "approval"
    date: dt.date
    approved: str = field(validator=non_empty)
    by: str = field(validator=non_empty)
    notes: str | None = None
    visibility: Visibility = field(default=Visibility.PAIR, converter=Visibility)


@frozen(kw_only=True)
class AssessmentLogged:
    """A rating of a framework item at a level recorded in the log."""

    type: ClassVar[str] = "assessment"
    date: dt.date
    item: str = field(validator=non_empty)
    level: str = field(validator=non_empty)
    evidence: tuple[str, ...] = ()
    by: str | None = None
    notes: str | None = None
    visibility: Visibility = field(default=Visibility.PAIR, converter=Visibility)


_HH_MM = re.compile(r"([01][0-9]|2[0-3]):[0-5][0-9]")


def _time_of_day(_instance: object, attribute: object, value: str) -> None:
    if not isinstance(value, str) or not _HH_MM.fullmatch(value):
        raise InputError(
            path=getattr(attribute, "name", None),
            found=value,
            expected="a local time as HH:MM, such as 14:30",
        )


@frozen(kw_only=True)
class Planned:
    """A session to come: its date, local start ``time`` (``"14:30"``), ``minutes`` and mode.

    The time is local to the engagement's ``timezone`` (floating when the
    engagement names none). A planned session never counts as delivered:
    hours and sessions come from :class:`Interaction` events only; a
    requirement still at risk names the sessions planned for it. A
    calendar shows it as an event to come (:mod:`mentorcore.io.calendar`).
    """

    type: ClassVar[str] = "planned"
    date: dt.date
    time: str = field(validator=_time_of_day)
    minutes: int = field(
        validator=within(
            1, MAX_MINUTES, expected=f"a positive number of minutes, at most {MAX_MINUTES:,}"
        )
    )
    mode: Mode = field(converter=Mode)
    location: str | None = None
    notes: str | None = None
    visibility: Visibility = field(default=Visibility.PAIR, converter=Visibility)

    @property
    def start(self) -> dt.datetime:
        """The local start, with no time zone (see :meth:`Engagement.zone`)."""
        return dt.datetime.combine(self.date, dt.time.fromisoformat(self.time))


Event = Interaction | TaskDone | ArtifactLogged | Approval | AssessmentLogged | Planned

#: The event classes by the ``type`` tag used in files.
EVENT_TYPES: dict[str, type[Event]] = {
    cls.type: cls
    for cls in (Interaction, TaskDone, ArtifactLogged, Approval, AssessmentLogged, Planned)
}


def _time_zone(_instance: object, _attribute: object, value: str | None) -> None:
    if value is None:
        return
    import zoneinfo

    try:
        zoneinfo.ZoneInfo(value)
    except (zoneinfo.ZoneInfoNotFoundError, ValueError, TypeError):
        raise InputError(
            path="timezone",
            found=value,
            expected="an IANA time zone name such as America/Chicago",
        ) from None


@frozen(kw_only=True)
class Engagement:
    """One leader and one mentor or coach in a program's kind of engagement.

    ``events`` is append-only: :meth:`log` returns a new engagement with one
    more event. ``sponsors`` are the ids of people with a sponsor's role
    (the leader's supervisor, a district representative). ``timezone`` is
    the IANA name (``America/Chicago``) of the local times of planned
    sessions; without it they are floating local times.
    """

    id: str = field(validator=non_empty)
    program: str = field(validator=non_empty)
    kind: str = field(validator=non_empty)
    leader: Leader
    mentor: Mentor
    start: dt.date
    end: dt.date
    contract_hours: Decimal | None = None
    sponsors: tuple[str, ...] = ()
    events: tuple[Event, ...] = ()
    timezone: str | None = field(default=None, validator=_time_zone)

    def __attrs_post_init__(self) -> None:
        if self.end < self.start:
            raise InputError(
                path="end",
                found=Described(f"{self.end}, before the start {self.start}"),
                expected="an end on or after the start",
            )
        if self.contract_hours is not None:
            check_bounds(
                self.contract_hours,
                0,
                MAX_CONTRACT_HOURS,
                above=True,
                path="contract_hours",
                expected=f"a positive number of hours, at most {MAX_CONTRACT_HOURS:,}",
            )

    def zone(self) -> dt.tzinfo | None:
        """The engagement's time zone, or ``None`` when it names none."""
        if self.timezone is None:
            return None
        import zoneinfo

        return zoneinfo.ZoneInfo(self.timezone)

    def log(self, event: Event) -> Engagement:
        """A new engagement with ``event`` appended to the log."""
        return evolve(self, events=(*self.events, event))

    @property
    def duration_months(self) -> int:
        """The number of calendar months the engagement's period touches.

        A count of month names, not a length: 2023-09-30 to 2025-08-01 touches
        24 months but lasts 22. :attr:`span_months` is the length.
        """
        return (self.end.year - self.start.year) * 12 + self.end.month - self.start.month + 1

    @property
    def span_months(self) -> Decimal:
        """The engagement's length in calendar months from its start, pro rata for a part month.

        Both ends count as days of the engagement: 2023-09-15 to 2025-09-14 is
        24 months, 2023-09-30 to 2025-08-01 is 22 months and 3 days (22.1).
        """
        return months_between(self.start, self.end + dt.timedelta(days=1))


_CENT = Decimal("0.01")

E = TypeVar("E", Interaction, TaskDone, ArtifactLogged, Approval, AssessmentLogged, Planned)


def events_of(engagement: Engagement, kind: type[E], as_of: dt.date | None = None) -> Iterator[E]:
    """The events of one class, on or before ``as_of`` when given, in log order."""
    for event in engagement.events:
        if isinstance(event, kind) and (as_of is None or event.date <= as_of):
            yield event


def hours_delivered(engagement: Engagement, as_of: dt.date | None = None) -> Decimal:
    """Hours of interaction logged up to ``as_of``, exact (minutes / 60)."""
    minutes = sum(event.minutes for event in events_of(engagement, Interaction, as_of))
    return (Decimal(minutes) / Decimal(60)).quantize(Decimal("0.01"))


def planned_sessions(
    engagement: Engagement, as_of: dt.date, mode: Mode | str | None = None
) -> tuple[Planned, ...]:
    """The sessions planned after ``as_of`` and by the engagement's end (of one mode when
    given), in date order: what may still be delivered, never what has been."""
    wanted = Mode(mode) if mode is not None else None
    found = [
        event
        for event in engagement.events
        if isinstance(event, Planned)
        and as_of < event.date <= engagement.end
        and (wanted is None or event.mode is wanted)
    ]
    return tuple(sorted(found, key=lambda event: (event.date, event.time)))


def sessions_by_mode(engagement: Engagement, as_of: dt.date | None = None) -> dict[Mode, int]:
    """The number of interactions per mode up to ``as_of`` (every mode present, zero or more)."""
    counts = Counter(event.mode for event in events_of(engagement, Interaction, as_of))
    return {mode: counts.get(mode, 0) for mode in Mode}


def hours_by_month(engagement: Engagement, as_of: dt.date | None = None) -> dict[str, Decimal]:
    """Hours per calendar month (``"2024-09"``) from the start to ``as_of`` or the end.

    Months with nothing logged are present with zero hours.
    """
    last = min(engagement.end, as_of) if as_of else engagement.end
    months: dict[str, int] = {}
    year, month = engagement.start.year, engagement.start.month
    while (year, month) <= (last.year, last.month):
        months[f"{year:04d}-{month:02d}"] = 0
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    for event in events_of(engagement, Interaction, last):
        key = f"{event.date.year:04d}-{event.date.month:02d}"
        if key in months:
            months[key] += event.minutes
    return {key: (Decimal(m) / Decimal(60)).quantize(Decimal("0.01")) for key, m in months.items()}


def add_months(day: dt.date, months: int) -> dt.date:
    """The same day ``months`` calendar months later (earlier when negative).

    A day the later month does not have is its last day: 31 January plus one
    month is 28 or 29 February.

    >>> add_months(dt.date(2024, 1, 31), 1)
    datetime.date(2024, 2, 29)
    """
    index = day.year * 12 + day.month - 1 + months
    year, month = divmod(index, 12)
    month += 1
    following = dt.date(year + (month == 12), month % 12 + 1, 1)
    last = (following - dt.timedelta(days=1)).day
    return dt.date(year, month, min(day.day, last))


def months_between(start: dt.date, stop: dt.date) -> Decimal:
    """Calendar months from ``start`` up to ``stop`` (not included), pro rata for a part month.

    Whole months are counted from ``start`` (15 September to 15 November is
    2); the days left over count as the share of the next month they cover.
    Rounded to the hundredth; 0 when ``stop`` is not after ``start``.

    >>> months_between(dt.date(2023, 9, 30), dt.date(2025, 8, 2))
    Decimal('22.10')
    """
    if stop <= start:
        return Decimal("0.00")
    whole = (stop.year - start.year) * 12 + stop.month - start.month
    while whole > 0 and add_months(start, whole) > stop:
        whole -= 1
    begun = add_months(start, whole)
    following = add_months(start, whole + 1)
    part = Decimal((stop - begun).days) / Decimal((following - begun).days)
    return (Decimal(whole) + part).quantize(_CENT)


def engagement_months(
    engagement: Engagement, as_of: dt.date | None = None
) -> list[tuple[dt.date, dt.date]]:
    """The engagement's months as (first day, last day), counted from its start.

    A month runs from a day to the day before the same day a month later (15
    September to 14 October); the last one ends with the engagement and may
    be a part month. With ``as_of``, only the months begun by then.
    """
    last = engagement.end if as_of is None else min(engagement.end, as_of)
    months: list[tuple[dt.date, dt.date]] = []
    number = 0
    while True:
        begun = add_months(engagement.start, number)
        if begun > last:
            return months
        ends = add_months(engagement.start, number + 1) - dt.timedelta(days=1)
        months.append((begun, min(ends, engagement.end)))
        number += 1


def months_elapsed(engagement: Engagement, as_of: dt.date) -> Decimal:
    """Calendar months of the engagement gone by on ``as_of`` (that day included), pro rata."""
    last = min(as_of, engagement.end)
    return months_between(engagement.start, last + dt.timedelta(days=1))


def months_left(engagement: Engagement, as_of: dt.date) -> Decimal:
    """Calendar months of the engagement still to come after ``as_of``, pro rata (0 once ended)."""
    first = max(as_of + dt.timedelta(days=1), engagement.start)
    return months_between(first, engagement.end + dt.timedelta(days=1))


def artifacts(
    engagement: Engagement, artifact: str | None = None, as_of: dt.date | None = None
) -> tuple[ArtifactLogged, ...]:
    """The artifacts logged (of one id, when ``artifact`` is given) up to ``as_of``."""
    return tuple(
        event
        for event in events_of(engagement, ArtifactLogged, as_of)
        if artifact is None or event.artifact == artifact
    )
