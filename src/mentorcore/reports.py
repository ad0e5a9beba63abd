"""Reports on an engagement, written for an audience and showing it only what it may see.

:func:`report` reads an engagement on a date for one :class:`Audience`:

* the figures every audience may see: hours delivered against the
  contract, sessions by mode, the phase reached in the kind's process, and
  the findings of :func:`~mentorcore.checking.check_engagement`;
* the content of each logged event (an interaction's topics and notes, an
  artifact's title and items, a rating's level and evidence) only when the
  event's :class:`~mentorcore.engagements.Visibility` reaches the audience:
  an event visible to the ``pair`` is seen by the leader and the mentor; one
  visible to the ``sponsor`` by the pair and the sponsor; one visible to the
  ``program`` by everyone;
* the sensitive attributes of a person (:func:`~mentorcore.people.sensitive_fields`:
  gender, race, matching preferences) never for a sponsor, for the leader
  and the mentor only about themselves, and for program staff about both.

Every part of a report is composed from what its audience may see, by the
one policy of :mod:`mentorcore.audience`: a finding that quotes an event
the audience may not see (the title of a pair-only goal) is written with
``[private]`` in its place, whatever the text's length; it is never
written out first and redacted after.
"""

from __future__ import annotations

import datetime as dt
from decimal import Decimal
from typing import Any

from attrs import frozen

from mentorcore.audience import PRIVATE, Audience, audience_of, may_see, may_see_sensitive
from mentorcore.checking import check_engagement
from mentorcore.engagements import (
    Approval,
    ArtifactLogged,
    Engagement,
    Event,
    Interaction,
    Mode,
    Planned,
    TaskDone,
    Visibility,
    hours_delivered,
    sessions_by_mode,
)
from mentorcore.people import Person, sensitive_fields
from mentorcore.registry import Registry
from mentorcore.rules.requirements import Finding, Status

__all__ = [
    "PRIVATE",
    "Audience",
    "EventView",
    "PersonView",
    "ProgressView",
    "Report",
    "may_see",
    "render_text",
    "report",
]


@frozen(kw_only=True)
class PersonView:
    """A person as an audience may see them.

    ``sensitive`` holds the person's sensitive attributes that are set, and
    only when the audience may see them; otherwise it is empty.
    """

    id: str
    name: str
    role: str
    school: str | None = None
    sensitive: dict[str, Any]


@frozen(kw_only=True)
class EventView:
    """One logged event as an audience sees it.

    ``private=True`` means the audience may not see the event's content:
    only its date and type (and, for an artifact, its kind) are shown.
    ``event`` is the event's position in the engagement's log (from 0), the
    reference the line was composed from.
    """

    event: int
    date: dt.date
    type: str
    summary: str
    visibility: Visibility
    private: bool
    notes: str | None = None
    details: dict[str, Any]


@frozen(kw_only=True)
class ProgressView:
    """How far the engagement has come through its kind's process model."""

    process: str
    cycle: int
    phase: str | None
    phase_title: str | None
    done: int
    open: int
    next_steps: tuple[str, ...]


@frozen(kw_only=True)
class Report:
    """An engagement read on a date for one audience.

    ``log`` lists the events (interactions with their notes, tasks,
    approvals, ratings) whose content the audience may see; ``artifacts`` lists every artifact
    logged, its content withheld (``private``) where the audience may not
    see it; ``findings`` are the service requirements checked on the date.
    """

    engagement: str
    program: str
    kind: str
    kind_title: str
    audience: Audience
    as_of: dt.date
    start: dt.date
    end: dt.date
    leader: PersonView
    mentor: PersonView
    contract_hours: Decimal | None
    hours_delivered: Decimal
    hours_remaining: Decimal | None
    sessions_by_mode: dict[str, int]
    status: Status
    findings: tuple[Finding, ...]
    progress: ProgressView | None
    artifacts: tuple[EventView, ...]
    log: tuple[EventView, ...]

    def to_data(self) -> dict[str, Any]:
        """The report as JSON-ready data: ``mentorcore.to_data(report)``."""
        from mentorcore.output import to_data

        data: dict[str, Any] = to_data(self)
        return data


def _person(person: Person, side: str, audience: Audience) -> PersonView:
    sensitive: dict[str, Any] = {}
    if may_see_sensitive(audience, side):
        for name in sensitive_fields(type(person)):
            value = getattr(person, name)
            if value not in (None, (), ""):
                sensitive[name] = list(value) if isinstance(value, tuple) else value
    return PersonView(
        id=person.id,
        name=person.name,
        role=person.role.label,
        school=person.school.name if person.school else None,
        sensitive=sensitive,
    )


def _summary(event: Event) -> tuple[str, dict[str, Any]]:
    if isinstance(event, Interaction):
        topics = f": {', '.join(event.topics)}" if event.topics else ""
        details: dict[str, Any] = {"minutes": event.minutes, "mode": event.mode.value}
        if event.topics:
            details["topics"] = list(event.topics)
        if event.items:
            details["items"] = list(event.items)
        return f"{event.minutes} minutes {event.mode.label}{topics}", details
    if isinstance(event, ArtifactLogged):
        title = f": {event.title}" if event.title else ""
        details = {"artifact": event.artifact}
        if event.title:
            details["title"] = event.title
        if event.items:
            details["items"] = list(event.items)
        if event.priority:
            details["priority"] = event.priority
        return f"{event.artifact.replace('_', ' ')}{title}", details
    if isinstance(event, TaskDone):
        module = f" (module {event.module})" if event.module else ""
        return f"task {event.task} done{module}", {"task": event.task}
    if isinstance(event, Approval):
        return f"{event.approved} approved by {event.by}", {
            "approved": event.approved,
            "by": event.by,
        }
    if isinstance(event, Planned):
        place = f" at {event.location}" if event.location else ""
        details = {"time": event.time, "minutes": event.minutes, "mode": event.mode.value}
        if event.location:
            details["location"] = event.location
        return (
            f"planned: {event.minutes} minutes {event.mode.label} at {event.time}{place}",
            details,
        )
    details = {"item": event.item, "level": event.level}
    if event.evidence:
        details["evidence"] = list(event.evidence)
    return f"{event.item} rated {event.level}", details


def _view(index: int, event: Event, audience: Audience) -> EventView:
    if may_see(audience, event.visibility):
        summary, details = _summary(event)
        return EventView(
            event=index,
            date=event.date,
            type=event.type,
            summary=summary,
            visibility=event.visibility,
            private=False,
            notes=event.notes,
            details=details,
        )
    shown: dict[str, Any] = {}
    summary = f"{event.type} ({PRIVATE})"
    if isinstance(event, ArtifactLogged):
        shown = {"artifact": event.artifact}
        summary = f"{event.artifact.replace('_', ' ')} ({PRIVATE})"
    return EventView(
        event=index,
        date=event.date,
        type=event.type,
        summary=summary,
        visibility=event.visibility,
        private=True,
        notes=None,
        details=shown,
    )


def report(
    registry: Registry,
    engagement: Engagement,
    audience: Audience | str,
    as_of: dt.date | None = None,
) -> Report:
    """Read ``engagement`` on ``as_of`` (default today) for ``audience``.

    ``audience`` is an :class:`Audience` or its value (``"sponsor"``); an
    unknown one raises :class:`~mentorcore.errors.InputError`. The program
    and kind must be known to ``registry``.
    """
    seen_by = audience_of(audience)
    day = as_of or dt.date.today()
    checked = check_engagement(registry, engagement, day, seen_by)
    program = registry.program(engagement.program)
    kind = program.kind(engagement.kind)
    delivered = hours_delivered(engagement, day)
    remaining = (
        max(engagement.contract_hours - delivered, Decimal(0)).quantize(Decimal("0.01"))
        if engagement.contract_hours is not None
        else None
    )
    reached: ProgressView | None = None
    if checked.progress is not None and kind.process is not None:
        state = checked.progress
        titles = {phase.id: phase.title for phase in kind.process.phases}
        task_titles = {task.id: task.title for _, task in kind.process.tasks()}
        upcoming = tuple(
            task_titles.get(step.task, step.task) for step in state.next_steps if step.allowed
        )[:3]
        reached = ProgressView(
            process=state.process,
            cycle=state.cycle,
            phase=state.phase,
            phase_title=titles.get(state.phase) if state.phase else None,
            done=len(state.done),
            open=len(state.open),
            next_steps=upcoming,
        )
    logged = [(i, event) for i, event in enumerate(engagement.events) if event.date <= day]
    artifacts = tuple(_view(i, e, seen_by) for i, e in logged if isinstance(e, ArtifactLogged))
    visible = tuple(
        _view(i, e, seen_by)
        for i, e in logged
        if not isinstance(e, ArtifactLogged) and may_see(seen_by, e.visibility)
    )
    return Report(
        engagement=engagement.id,
        program=program.id,
        kind=kind.id,
        kind_title=kind.title,
        audience=seen_by,
        as_of=day,
        start=engagement.start,
        end=engagement.end,
        leader=_person(engagement.leader, "leader", seen_by),
        mentor=_person(engagement.mentor, "mentor", seen_by),
        contract_hours=engagement.contract_hours,
        hours_delivered=delivered,
        hours_remaining=remaining,
        sessions_by_mode={mode.value: n for mode, n in sessions_by_mode(engagement, day).items()},
        status=checked.status,
        findings=checked.findings,
        progress=reached,
        artifacts=artifacts,
        log=visible,
    )


def _number(value: Decimal) -> str:
    return format(value.normalize(), "f")


def render_text(rep: Report) -> str:
    """The report as readable text, for the command line."""
    lines = [
        f"Engagement {rep.engagement}: {rep.kind_title} ({rep.program})",
        f"Report for {rep.audience.label}, as of {rep.as_of} (engagement {rep.start} to {rep.end})",
        "",
    ]
    for side, person in (("Leader", rep.leader), ("Mentor", rep.mentor)):
        school = f", {person.school}" if person.school else ""
        lines.append(f"{side}: {person.name} ({person.role}{school})")
        for name, value in person.sensitive.items():
            shown = ", ".join(value) if isinstance(value, list) else str(value)
            lines.append(f"  {name.replace('_', ' ')}: {shown}")
    lines.append("")
    if rep.contract_hours is not None:
        lines.append(
            f"Hours: {_number(rep.hours_delivered)} delivered of {_number(rep.contract_hours)} "
            f"contracted ({_number(rep.hours_remaining or Decimal(0))} remaining)"
        )
    else:
        lines.append(f"Hours: {_number(rep.hours_delivered)} delivered (no contract of hours)")
    sessions = ", ".join(f"{n} {Mode(mode).label}" for mode, n in rep.sessions_by_mode.items() if n)
    lines.append(f"Sessions: {sessions or 'none yet'}")
    if rep.progress is not None:
        phase = rep.progress.phase_title or "not started"
        lines.append(
            f"Process: cycle {rep.progress.cycle}, phase reached: {phase}; "
            f"{rep.progress.done} task(s) done, {rep.progress.open} open"
        )
        if rep.progress.next_steps:
            lines.append("  next: " + "; ".join(rep.progress.next_steps))
    lines.append("")
    lines.append(f"Requirements: {rep.status.label}")
    for finding in rep.findings:
        lines.append(f"  [{finding.status.label}] {finding.title}: {finding.sentence()}")
    if rep.artifacts:
        lines.append("")
        lines.append("Goals and artifacts:")
        for artifact in rep.artifacts:
            lines.append(f"  {artifact.date}  {artifact.summary}")
    if rep.log:
        lines.append("")
        lines.append("Log:")
        for view in rep.log:
            lines.append(f"  {view.date}  {view.summary}")
            if view.notes:
                lines.append(f"      {view.notes}")
    return "\n".join(lines)
