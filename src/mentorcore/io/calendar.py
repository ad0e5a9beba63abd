"""An engagement as an RFC 5545 calendar, written with the ``icalendar`` library.

:func:`engagement_calendar` turns an engagement's log into a calendar for
one audience:

- each :class:`~mentorcore.engagements.Planned` session is an event to come:
  its local start (in the engagement's ``timezone``, with the ``VTIMEZONE``
  it needs; a floating local time when the engagement names none), its
  ``DURATION``, its mode and, where the audience may see it, its location;
- each logged :class:`~mentorcore.engagements.Interaction` is a past event
  on its date (an interaction records a date, not a time), with its minutes
  and mode.

``UID`` values are :func:`uuid.uuid5` of the engagement's id and the event's
index in the append-only log, so exporting again after more events are
logged updates a subscriber's calendar rather than duplicating it; an
interaction logged on the date and in the mode of a planned session takes
that session's ``UID`` and replaces it, so the planned entry becomes the
delivered one.
``DTSTAMP`` is midnight UTC of the latest date in the log, so the same log
gives the same bytes.

What each audience sees follows the one audience policy
(:func:`mentorcore.audience.may_see`): an event the audience may not see is a
bare busy block (``Mentoring session (private)``, its time and nothing
else); of an event it may see, the leader and the mentor also get its
topics and notes, and nobody else does: no notes, titles or topics beyond
the pair. The ``icalendar`` library comes with the optional extra
``calendar`` and is imported only when a calendar is written.
"""

from __future__ import annotations

import datetime as dt
import uuid
from typing import TYPE_CHECKING, Any

from mentorcore.audience import Audience, may_see
from mentorcore.engagements import Engagement, Interaction, Planned
from mentorcore.errors import MentorcoreError

if TYPE_CHECKING:
    import icalendar

__all__ = ["CALENDAR_NAMESPACE", "calendar_bytes", "engagement_calendar", "event_uid"]

#: The namespace of every calendar ``UID`` mentorcore makes (uuid5 of a fixed URL).
CALENDAR_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mentorcore.invalid/calendar")

_PRIVATE = "Mentoring session (private)"
_PAIR = (Audience.LEADER, Audience.MENTOR)


def event_uid(engagement_id: str, index: int) -> str:
    """The ``UID`` of the event at ``index`` of an engagement's log."""
    return f"{uuid.uuid5(CALENDAR_NAMESPACE, f'{engagement_id}/events/{index}')}@mentorcore"


def _icalendar() -> Any:
    try:
        import icalendar
    except ImportError:
        raise MentorcoreError(
            "calendars need the optional extra 'calendar': pip install 'mentorcore[calendar]'"
        ) from None
    return icalendar


def _delivered_as(engagement: Engagement) -> dict[int, int]:
    """Interaction index -> index of the planned session it delivered (same date and mode)."""
    open_plans: dict[tuple[dt.date, str], list[int]] = {}
    taken: dict[int, int] = {}
    for index, event in enumerate(engagement.events):
        if isinstance(event, Planned):
            open_plans.setdefault((event.date, event.mode.value), []).append(index)
    for index, event in enumerate(engagement.events):
        if isinstance(event, Interaction):
            plans = open_plans.get((event.date, event.mode.value))
            if plans:
                taken[index] = plans.pop(0)
    return taken


def engagement_calendar(
    engagement: Engagement,
    audience: str = Audience.PROGRAM,
    *,
    title: str | None = None,
) -> icalendar.Calendar:
    """The engagement's planned sessions and logged interactions as an ``icalendar.Calendar``.

    ``title`` names the engagement in each event's summary ("IPA mentoring:
    on-site session"); by default the engagement's kind id. ``audience``
    (an :class:`mentorcore.audience.Audience` or its value: leader, mentor,
    sponsor or program; default program) decides what is
    shown, as the module describes. ``calendar.to_ical()`` gives the bytes.
    """
    ical = _icalendar()
    seer = Audience(audience)
    name = title or engagement.kind.replace("_", " ")
    zone = engagement.zone()
    calendar = ical.Calendar()
    from mentorcore import __version__

    calendar.add("prodid", f"-//mentorcore//mentorcore {__version__}//EN")
    calendar.add("version", "2.0")
    calendar.add("calscale", "GREGORIAN")
    calendar.add("x-wr-calname", f"{name}: {engagement.leader.name} and {engagement.mentor.name}")
    if engagement.timezone:
        calendar.add("x-wr-timezone", engagement.timezone)
    last = max((event.date for event in engagement.events), default=engagement.start)
    stamp = dt.datetime.combine(last, dt.time(), tzinfo=dt.UTC)
    delivered = _delivered_as(engagement)
    replaced = set(delivered.values())
    for index, event in enumerate(engagement.events):
        if not isinstance(event, (Planned, Interaction)) or index in replaced:
            continue
        entry = ical.Event()
        entry.add("uid", event_uid(engagement.id, delivered.get(index, index)))
        entry.add("dtstamp", stamp)
        visible = may_see(seer, event.visibility)
        if isinstance(event, Planned):
            start = event.start if zone is None else event.start.replace(tzinfo=zone)
            entry.add("dtstart", start)
            entry.add("duration", dt.timedelta(minutes=event.minutes))
            entry.add("status", "CONFIRMED")
            words = f"{event.minutes} minutes {event.mode.label}, planned"
        else:
            entry.add("dtstart", event.date)
            entry.add("dtend", event.date + dt.timedelta(days=1))
            entry.add("status", "CONFIRMED")
            entry.add("transp", "TRANSPARENT")
            words = f"{event.minutes} minutes {event.mode.label}, logged"
        if not visible:
            entry.add("summary", _PRIVATE)
            entry.add("class", "PRIVATE")
            calendar.add_component(entry)
            continue
        entry.add("summary", f"{name}: {event.mode.label} session")
        lines = [words]
        if isinstance(event, Planned) and event.location:
            entry.add("location", event.location)
        if seer in _PAIR:
            topics = getattr(event, "topics", ())
            if topics:
                lines.append("Topics: " + ", ".join(topics))
            if event.notes:
                lines.append(event.notes)
        entry.add("description", "\n".join(lines))
        calendar.add_component(entry)
    if zone is not None:
        calendar.add_missing_timezones()
    made: icalendar.Calendar = calendar
    return made


def calendar_bytes(
    engagement: Engagement,
    audience: str = Audience.PROGRAM,
    *,
    title: str | None = None,
) -> bytes:
    """:func:`engagement_calendar` as RFC 5545 text (CRLF line ends, folded lines)."""
    data: bytes = engagement_calendar(engagement, audience, title=title).to_ical()
    return data
