"""Assessment files: reading them, summarizing them on a date, saying the result.

An assessment file (TOML or JSON) rates a subject (a mentor, a district)
against a framework with a rubric or rating scale::

    program = "practice12"
    framework = "practice_12"
    rubric = "practice_12_stages"
    subject = "Riverside Public Schools"

    [[ratings]]
    item = "12a"
    level = "getting_ready"
    date = 2024-09-16
    evidence = ["Partnership meetings are on every principal's calendar"]
    by = "district leadership team"

:func:`load_assessment` structures it as a
:class:`~mentorcore.frameworks.Assessment`; :func:`summarize_assessment`
finds its framework and rubric in a registry, checks every rating against
them and reads it on a date (:func:`mentorcore.frameworks.summarize`);
:func:`summary_reading` gives the summary as plain facts
(:class:`SummaryReading`, which ``mentorcore.to_data`` turns into JSON) and
:func:`describe_summary` as sentences.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from mentorcore.errors import Described, InputError, UnknownIdError
from mentorcore.frameworks import (
    Assessment,
    AssessmentSummary,
    Framework,
    Rating,
    Rubric,
    summarize,
)
from mentorcore.io.converter import structure
from mentorcore.io.loaders import read_data
from mentorcore.io.sources import display_name
from mentorcore.programs import Program
from mentorcore.provenance import Default
from mentorcore.registry import Registry

__all__ = [
    "AssessmentReading",
    "FrameworkRef",
    "ItemReading",
    "RatingReading",
    "RubricRef",
    "SummaryReading",
    "assessment_from_data",
    "describe_summary",
    "load_assessment",
    "summarize_assessment",
    "summary_reading",
    "summary_to_data",
]


@frozen(kw_only=True)
class AssessmentReading:
    """An assessment summarized, with the program, framework and rubric it was read against."""

    summary: AssessmentSummary
    framework: Framework
    rubric: Rubric
    program: Program | None = None


def assessment_from_data(data: Mapping[str, Any], file: str | None = None) -> Assessment:
    """Structure the content of an assessment file as an :class:`Assessment`."""
    return structure(data, Assessment, file=file)


def load_assessment(path: str | Path, format: str | None = None) -> Assessment:
    """Load an assessment file (TOML or JSON by suffix, or ``format``; ``-``: standard input)."""
    return assessment_from_data(read_data(path, format=format), display_name(path))


def _resolve(
    registry: Registry, assessment: Assessment, file: str | None
) -> tuple[Program | None, Framework, Rubric]:
    program: Program | None = None
    try:
        if assessment.program is not None:
            program = registry.program(assessment.program)
    except UnknownIdError as exc:
        raise InputError(
            file=file, path="program", found=assessment.program, expected=str(exc)
        ) from None
    try:
        framework = registry.framework(assessment.framework, program)
    except UnknownIdError as exc:
        raise InputError(
            file=file,
            path="framework",
            found=assessment.framework,
            expected=f"a known framework ({exc})",
        ) from None
    try:
        rubric = registry.rubric(assessment.rubric, program)
    except UnknownIdError as exc:
        raise InputError(
            file=file, path="rubric", found=assessment.rubric, expected=f"a known rubric ({exc})"
        ) from None
    if rubric.framework is not None and rubric.framework != framework.id:
        raise InputError(
            file=file,
            path="rubric",
            found=Described(f"{rubric.id!r}, a rubric of framework {rubric.framework!r}"),
            expected=f"a rubric of framework {framework.id!r} or a rating scale",
        )
    return program, framework, rubric


def summarize_assessment(
    registry: Registry,
    assessment: Assessment,
    as_of: dt.date | None = None,
    *,
    file: str | None = None,
) -> AssessmentReading:
    """Read an assessment on ``as_of`` (default: its latest rating's date).

    The framework and rubric are looked up in ``registry`` (the program's own
    first, then the shared ones). Every rating must name an assessed item
    (a leaf of the framework: a standard, an indicator) and a level of the
    rubric; otherwise an :class:`~mentorcore.errors.InputError` names
    ``file`` and the rating (``ratings[2].level``).
    """
    program, framework, rubric = _resolve(registry, assessment, file)
    leaves = [item.code for item in framework.leaves()]
    levels = [level.id for level in rubric.levels]
    for index, rating in enumerate(assessment.ratings):
        if rating.item not in leaves:
            raise InputError(
                file=file,
                path=f"ratings[{index}].item",
                found=rating.item,
                expected=f"an item of {framework.title!r} that is assessed: " + ", ".join(leaves),
            )
        if rating.level not in levels:
            raise InputError(
                file=file,
                path=f"ratings[{index}].level",
                found=rating.level,
                expected=f"a {rubric.noun} of {rubric.title!r}: " + ", ".join(levels),
            )
    summary = summarize(assessment, framework, rubric, as_of)
    return AssessmentReading(summary=summary, framework=framework, rubric=rubric, program=program)


@frozen(kw_only=True)
class RatingReading:
    """A rating as the summary shows it: the level's id and title, its group, evidence, rater.

    ``group`` is empty when the rubric groups no levels; ``by`` is ``None``
    when the file does not say who rated.
    """

    date: dt.date
    level: str
    level_title: str
    group: str
    evidence: tuple[str, ...]
    by: str | None


@frozen(kw_only=True)
class ItemReading:
    """One assessed item read on the date: its latest rating, its history, the next level."""

    item: str
    title: str
    text: str
    latest: RatingReading | None
    history: tuple[RatingReading, ...]
    next_level: str | None
    next_level_title: str | None
    next_step: str | None
    at_top: bool


@frozen(kw_only=True)
class FrameworkRef:
    """A framework named by its id and title."""

    id: str
    title: str


@frozen(kw_only=True)
class RubricRef:
    """The rubric an assessment was read with; ``default`` marks mentorcore's own scale."""

    id: str
    title: str
    default: bool
    note: str | None
    levels: tuple[str, ...]


@frozen(kw_only=True)
class SummaryReading:
    """An assessment summary as plain facts (what ``mentorcore assess --json`` prints)."""

    subject: str
    title: str
    program: str | None
    framework: FrameworkRef
    rubric: RubricRef
    as_of: dt.date
    items: tuple[ItemReading, ...]
    unrated: tuple[str, ...]
    strengths: tuple[str, ...]
    to_develop: tuple[str, ...]
    defaults: tuple[Default, ...] = ()


def _rating_reading(rating: Rating, rubric: Rubric) -> RatingReading:
    level = rubric.level(rating.level)
    return RatingReading(
        date=rating.date,
        level=level.id,
        level_title=level.title,
        group=level.group,
        evidence=rating.evidence,
        by=rating.by,
    )


def summary_reading(reading: AssessmentReading) -> SummaryReading:
    """The summary with each item's title and text and each level's title filled in."""
    summary, framework, rubric = reading.summary, reading.framework, reading.rubric
    items = []
    for status in summary.items:
        item = framework.item(status.item)
        items.append(
            ItemReading(
                item=status.item,
                title=item.title,
                text=item.text,
                latest=_rating_reading(status.latest, rubric) if status.latest else None,
                history=tuple(_rating_reading(r, rubric) for r in status.history),
                next_level=status.next_level.id if status.next_level else None,
                next_level_title=status.next_level.title if status.next_level else None,
                next_step=status.next_step,
                at_top=status.at_top,
            )
        )
    return SummaryReading(
        subject=summary.assessment.subject,
        title=summary.assessment.title,
        program=reading.program.id if reading.program else None,
        framework=FrameworkRef(id=framework.id, title=framework.title),
        rubric=RubricRef(
            id=rubric.id,
            title=rubric.title,
            default=rubric.default,
            note="a documented mentorcore default, not the organization's scale"
            if rubric.default
            else None,
            levels=tuple(level.id for level in rubric.levels),
        ),
        as_of=summary.as_of,
        items=tuple(items),
        unrated=summary.unrated,
        strengths=summary.strengths,
        to_develop=summary.to_develop,
        defaults=summary.defaults,
    )


def summary_to_data(reading: AssessmentReading) -> dict[str, Any]:
    """The summary as JSON-ready data: ``mentorcore.to_data(reading)``."""
    from mentorcore.output import to_data

    data: dict[str, Any] = to_data(reading)
    return data


def _label(framework: Framework, code: str) -> str:
    for item, parent in framework.walk():
        if item.code == code:
            label = f"{item.code} {item.title}" if item.title else item.code
            return f"{label} ({parent.title})" if parent is not None and parent.title else label
    return code


def describe_summary(reading: AssessmentReading) -> list[str]:
    """The summary in lines of text for people (what ``mentorcore assess`` prints)."""
    summary, framework, rubric = reading.summary, reading.framework, reading.rubric
    noun = rubric.noun
    head = summary.assessment.title or f"Assessment of {summary.assessment.subject}"
    lines = [
        head,
        f"Subject: {summary.assessment.subject}",
        f"Framework: {framework.title} ({framework.id})",
        f"Rubric: {rubric.title} ({rubric.id})",
    ]
    if rubric.default:
        lines.append(
            "  This scale is mentorcore's documented default: the organization's source gives none."
        )
    lines.append(f"As of: {summary.as_of.isoformat()}")
    for status in summary.items:
        lines.append("")
        lines.append(_label(framework, status.item))
        latest = status.latest
        if latest is None:
            lines.append(f"  Current {noun}: not yet rated")
        else:
            level = rubric.level(latest.level)
            group = f" ({level.group})" if level.group else ""
            by = f" by {latest.by}" if latest.by else ""
            lines.append(f"  Current {noun}: {level.title}{group}, rated {latest.date}{by}")
            for evidence in latest.evidence:
                lines.append(f"  Evidence: {evidence}")
        if len(status.history) > 1:
            steps = "; ".join(f"{r.date} {rubric.level(r.level).title}" for r in status.history)
            lines.append(f"  History: {steps}")
        if status.at_top:
            top = rubric.levels[-1].title
            lines.append(f"  At the top {noun}: {top} is the highest {noun} of the rubric.")
        elif status.next_level is not None:
            if status.next_step:
                lines.append(f"  Next step, {status.next_level.title}: {status.next_step}")
            else:
                lines.append(f"  Next {noun}: {status.next_level.title}")
    lines.append("")

    def listing(codes: tuple[str, ...]) -> str:
        return ", ".join(codes) or "none"

    lines.append(f"Strengths: {listing(summary.strengths)}")
    lines.append(f"Areas to develop: {listing(summary.to_develop)}")
    for default in summary.defaults:
        lines.append(f"  ({default.what.capitalize()}: {default.note}.)")
    if summary.unrated:
        lines.append(f"Not yet rated: {listing(summary.unrated)}")
    return lines
