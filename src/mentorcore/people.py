"""People: leaders who are supported, mentors and coaches who support them.

A :class:`Leader` is the person supported (mentee, protégé, coachee,
performer); a :class:`Mentor` is the person supporting (mentor, coach,
performance mentor). Both share the fields of :class:`Person`. Gender and
race are optional, never required, and marked sensitive: see
:func:`sensitive_fields`.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Iterator

import attrs
from attrs import field, frozen
from attrs.validators import optional

from mentorcore.errors import InputError
from mentorcore.validation import MAX_CAPACITY, MAX_YEARS, between, matches, non_empty, within

__all__ = [
    "SCHOOL_LEADER_ROLES",
    "Leader",
    "Location",
    "Mentor",
    "Person",
    "Role",
    "School",
    "Sector",
    "sensitive_fields",
]

_SENSITIVE = {"sensitive": True}


class Role(enum.StrEnum):
    """A person's job role. ``principal`` is the lead/head principal of a school."""

    PRINCIPAL = "principal"
    ASSISTANT_PRINCIPAL = "assistant_principal"
    ASSOCIATE_PRINCIPAL = "associate_principal"
    DEAN = "dean"
    DIRECTOR = "director"
    CENTRAL_OFFICE = "central_office"
    ASSISTANT_SUPERINTENDENT = "assistant_superintendent"
    SUPERINTENDENT = "superintendent"
    TEACHER_LEADER = "teacher_leader"
    OTHER = "other"

    @property
    def label(self) -> str:
        """The role in words: ``"lead/head principal"``, ``"assistant principal"``."""
        if self is Role.PRINCIPAL:
            return "lead/head principal"
        return self.value.replace("_", " ")


#: The roles that lead a school (principal, assistant or associate principal,
#: dean, director): the roles whose years count as experience "as a school
#: leader" when a mentor's ``years_as_leader`` is derived from the record. A
#: default of mentorcore, not any organization's rule: a district or state
#: role (central office, superintendent) is not counted, so such a mentor's
#: school-leader years are unknown unless stated.
SCHOOL_LEADER_ROLES: frozenset[Role] = frozenset(
    {Role.PRINCIPAL, Role.ASSISTANT_PRINCIPAL, Role.ASSOCIATE_PRINCIPAL, Role.DEAN, Role.DIRECTOR}
)


class Sector(enum.StrEnum):
    """A school's sector: ``public``, ``charter`` (public charter) or ``private``."""

    PUBLIC = "public"
    CHARTER = "charter"
    PRIVATE = "private"

    @property
    def label(self) -> str:
        """The sector in words."""
        return "public charter" if self is Sector.CHARTER else self.value


@frozen(kw_only=True)
class Location:
    """A place as latitude and longitude in degrees (WGS 84)."""

    latitude: float = field(validator=between(-90.0, 90.0, "a latitude between -90 and 90"))
    longitude: float = field(validator=between(-180.0, 180.0, "a longitude between -180 and 180"))


@frozen(kw_only=True)
class School:
    """A school: its name, state (two-letter code), sector, and optional level and context.

    ``level`` (e.g. ``elementary``, ``middle``, ``high``) and ``context``
    (e.g. ``urban``, ``suburban``, ``rural``) are free words that matching
    compares; ``id`` identifies the school for conflict-of-interest checks
    (the name is used when it is absent).
    """

    name: str = field(validator=non_empty)
    state: str = field(validator=matches(r"[A-Z]{2}", "a two-letter state code such as 'IL'"))
    sector: Sector = field(converter=Sector)
    level: str | None = None
    context: str | None = None
    district: str | None = None
    id: str | None = None

    @property
    def key(self) -> str:
        """What identifies the school: its ``id``, else its name and state."""
        return self.id or f"{self.name}|{self.state}"


@frozen(kw_only=True)
class Person:
    """What leaders and mentors share.

    ``gender`` and ``race`` are sensitive: optional, never required by a
    rule, and left out of any output for an audience that may not see them.
    """

    id: str = field(validator=non_empty)
    name: str = field(validator=non_empty)
    role: Role = field(converter=Role)
    role_started: dt.date | None = None
    first_time_in_role: bool = False
    memberships: tuple[str, ...] = ()
    school: School | None = None
    region: str | None = None
    location: Location | None = None
    goals: tuple[str, ...] = ()
    interpersonal_style: str | None = None
    learning_needs: tuple[str, ...] = ()
    gender: str | None = field(default=None, metadata=_SENSITIVE)
    race: str | None = field(default=None, metadata=_SENSITIVE)


@frozen(kw_only=True)
class Leader(Person):
    """A school leader who is mentored or coached.

    ``role_started`` is required for a leader: eligibility rules date the
    role from it. ``prefer_same`` lists the sensitive attributes (``gender``,
    ``race``) on which the leader asked to be matched with a mentor like
    them; matching uses gender and race only where the leader said so here.
    ``supervisor`` is the id of the leader's supervisor (never their mentor).
    """

    role_started: dt.date
    prefer_same: tuple[str, ...] = field(default=(), metadata=_SENSITIVE)
    supervisor: str | None = None

    def __attrs_post_init__(self) -> None:
        for index, name in enumerate(self.prefer_same):
            if name not in ("gender", "race"):
                raise InputError(
                    path=f"prefer_same[{index}]", found=name, expected="'gender' or 'race'"
                )


@frozen(kw_only=True)
class Mentor(Person):
    """A mentor or coach.

    ``credentials`` are ids such as ``principal_license`` or
    ``certified_coach``; a licence held before counts as held, so list it.
    ``capacity`` is how many leaders the mentor can take at once.
    ``expertise`` names the professional goal areas the mentor can support
    and ``approaches`` the ways of learning they offer (compared with a
    leader's ``learning_needs``). ``attestations`` records vetting
    checklist items the program has confirmed.

    ``years_as_leader`` and ``years_as_principal`` are the experience the
    record states; left out (``None``), the facts of the same names derive
    them from ``role`` and ``role_started`` where they can (a principal since
    2001-07-01 has 23 whole years as principal on 2024-09-01), and are
    unknown where they cannot. A stated value wins.
    """

    capacity: int = field(default=1, validator=within(0, MAX_CAPACITY, "leaders"))
    credentials: tuple[str, ...] = ()
    years_as_leader: int | None = field(
        default=None, validator=optional(within(0, MAX_YEARS, "years"))
    )
    years_as_principal: int | None = field(
        default=None, validator=optional(within(0, MAX_YEARS, "years"))
    )
    expertise: tuple[str, ...] = ()
    approaches: tuple[str, ...] = ()
    attestations: tuple[str, ...] = ()


def sensitive_fields(cls: type[Person]) -> Iterator[str]:
    """The names of the fields of ``cls`` marked sensitive (gender, race, preferences)."""
    for attribute in attrs.fields(cls):
        if attribute.metadata.get("sensitive"):
            yield attribute.name
