"""The bodies the HTTP service accepts, as types: structured strictly, described in OpenAPI.

Each body is structured with the core's input converter, so a misspelled
key or a value of the wrong type is a 422 problem whose ``path`` points
into the body, exactly as a file's error names its path. People are given
as in a people file: a list of records (each with an optional ``kind``,
``leader`` by default, as a CSV row has), or an object with ``leaders`` and
``mentors`` lists.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from typing import Any

import attrs
from attrs import field, frozen

from mentorcore.errors import Described, InputError, missing_field
from mentorcore.io.converter import structure
from mentorcore.io.loaders import People, people_from_data
from mentorcore.people import Leader, Mentor

__all__ = [
    "CheckRequest",
    "EligibilityRequest",
    "MatchRequest",
    "QuoteRequest",
    "ReportRequest",
    "SuggestRequest",
    "people_of",
    "request_of",
]


_PEOPLE_SCHEMA = {"$ref": "#/components/schemas/PeopleInput"}
#: What a people field holds, in the words of its errors.
_PEOPLE_EXPECTED = "a list of people, or an object with leaders and mentors"

# A field marked "raw" is kept as the JSON it arrived as, and structured later
# where its paths are known; "schema" is its schema in the OpenAPI description,
# "expected" what it holds in the words of an error when it is missing.
_RAW_PEOPLE = {"raw": True, "schema": _PEOPLE_SCHEMA, "expected": _PEOPLE_EXPECTED}
_RAW_OBJECT = {
    "raw": True,
    "schema": {"type": "object"},
    "expected": "an engagement (an object, as in an engagement file)",
}
_RAW_PAIRS = {
    "raw": True,
    "schema": {
        "type": "array",
        "items": {
            "type": "object",
            "required": ["leader", "mentor", "action"],
            "properties": {
                "leader": {"type": "string"},
                "mentor": {"type": "string"},
                "action": {"enum": ["keep", "never"]},
                "reason": {"type": "string"},
            },
        },
    },
}


@frozen
class EligibilityRequest:
    """``POST /programs/{id}/eligibility``: decide for each person on a date."""

    #: Leaders and mentors, as in a people file.
    people: Any = field(metadata=_RAW_PEOPLE)
    #: The date of the decisions (default: today).
    on: dt.date | None = None
    #: The engagement kind the decisions are for.
    kind: str | None = None
    #: Only this person id.
    person: str | None = None


@frozen
class QuoteRequest:
    """``POST /programs/{id}/quote``: quote a package of hours for each leader."""

    #: The hours of the package (for IPA 20, 40 or 60).
    hours: int
    #: Leaders, as in a people file.
    people: Any = field(metadata=_RAW_PEOPLE)
    #: The date of the quotes (default: today).
    on: dt.date | None = None
    #: Only this person id.
    person: str | None = None


@frozen
class CheckRequest:
    """``POST /engagements/check``: an engagement against its kind's requirements."""

    #: The engagement, as in an engagement file (``leader`` and ``mentor`` inline or ids).
    engagement: Any = field(metadata=_RAW_OBJECT)
    #: The people the engagement's ``leader`` and ``mentor`` ids name.
    people: Any = field(default=None, metadata=_RAW_PEOPLE)
    #: The date of the check (default: today).
    as_of: dt.date | None = None
    #: Whom the answer is written for (default: the key's audience).
    audience: str | None = None


@frozen
class ReportRequest:
    """``POST /engagements/report``: an engagement's report for an audience."""

    #: The engagement, as in an engagement file.
    engagement: Any = field(metadata=_RAW_OBJECT)
    #: The people the engagement's ids name.
    people: Any = field(default=None, metadata=_RAW_PEOPLE)
    #: The date of the report (default: today).
    as_of: dt.date | None = None
    #: Whom the report is written for (default: the key's audience).
    audience: str | None = None


@frozen
class MatchRequest:
    """``POST /programs/{id}/match``: match a cohort, with the command's options."""

    #: The leaders to match, as in a people file.
    leaders: Any = field(metadata=_RAW_PEOPLE)
    #: The mentors, as in a people file.
    mentors: Any = field(metadata=_RAW_PEOPLE)
    #: The date of the mentor rule's decisions (default: today).
    on: dt.date | None = None
    #: Criterion weights (criterion id to weight).
    weights: dict[str, float] | None = None
    #: Pairs that must not be matched, as ``[leader, mentor]``.
    exclude: list[list[str]] = field(factory=list)
    #: Pairs that must be matched, as ``[leader, mentor]``.
    pin: list[list[str]] = field(factory=list)
    #: The largest distance in km for on-site work (default: the program's).
    max_distance_km: float | None = None
    #: ``participation`` (most leaders matched, then score) or ``score``.
    objective: str = "participation"
    #: A pair scoring below this is not a match.
    min_score: float | None = None
    #: Existing matches to keep and declined pairs, as the rows of a pairs file
    #: (``leader``, ``mentor``, ``action`` ``keep`` or ``never``, optional ``reason``).
    pairs: Any = field(default=None, metadata=_RAW_PAIRS)
    #: Whether to report what each hard constraint costs the cohort.
    explain_constraints: bool = False
    #: Whom the reasons are written for (default: the key's audience).
    audience: str | None = None


@frozen
class SuggestRequest:
    """``POST /programs/{id}/suggest``: the best feasible mentors for one leader."""

    #: The leader's id.
    leader: str
    #: The leaders (the one named among them), as in a people file.
    leaders: Any = field(metadata=_RAW_PEOPLE)
    #: The mentors, as in a people file.
    mentors: Any = field(metadata=_RAW_PEOPLE)
    #: How many mentors to suggest.
    top: int = 5
    #: The date of the mentor rule's decisions (default: today).
    on: dt.date | None = None
    #: Criterion weights.
    weights: dict[str, float] | None = None
    #: The largest distance in km for on-site work (default: the program's).
    max_distance_km: float | None = None
    #: A pair scoring below this is not suggested.
    min_score: float | None = None
    #: Kept matches and declined pairs, as in :class:`MatchRequest`.
    pairs: Any = field(default=None, metadata=_RAW_PAIRS)
    #: Whom the reasons are written for (default: the key's audience).
    audience: str | None = None


def request_of(data: Any, cls: type[Any]) -> Any:
    """Structure a request body as ``cls``; a fault is an :class:`InputError` with its path."""
    if not isinstance(data, Mapping):
        raise InputError(found=data, expected="a JSON object")
    rest = dict(data)
    raw: dict[str, Any] = {}
    for spec in attrs.fields(cls):
        if not spec.metadata.get("raw"):
            continue
        if spec.name in rest:
            raw[spec.name] = rest.pop(spec.name)
        elif spec.default is attrs.NOTHING:
            raise missing_field(spec.name, spec.metadata.get("expected"))
        else:
            raw[spec.name] = spec.default
        rest[spec.name] = ""  # a placeholder the converter accepts; replaced below
    return attrs.evolve(structure(rest, cls), **raw)


def people_of(value: Any, path: str) -> People:
    """People given as in a people file: a list of records, or ``leaders`` and ``mentors``."""
    if isinstance(value, Mapping):
        try:
            return people_from_data(value)
        except InputError as exc:
            raise exc.located(prefix=path) from None
    if not isinstance(value, list):
        raise InputError(
            path=path,
            found=value,
            expected=_PEOPLE_EXPECTED,
        )
    leaders: list[Leader] = []
    mentors: list[Mentor] = []
    seen: dict[str, int] = {}
    for index, record in enumerate(value):
        where = f"{path}[{index}]"
        if not isinstance(record, Mapping):
            raise InputError(path=where, found=record, expected="a person (an object)")
        body = dict(record)
        kind = body.pop("kind", "leader")
        if kind not in ("leader", "mentor"):
            raise InputError(path=f"{where}.kind", found=kind, expected="leader or mentor")
        if kind == "mentor":
            mentors.append(structure(body, Mentor, path=where))
            person_id = mentors[-1].id
        else:
            leaders.append(structure(body, Leader, path=where))
            person_id = leaders[-1].id
        if person_id in seen:
            raise InputError(
                path=f"{where}.id",
                found=Described(f"{person_id!r} again (first at {path}[{seen[person_id]}])"),
                expected="a unique id",
            )
        seen[person_id] = index
    return People(tuple(leaders), tuple(mentors))
