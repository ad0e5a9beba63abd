"""The hook implementations of the example district's plug-in.

* :func:`register_programs` reads the program from ``program.toml``, when
  the registry asks for it (never at import time);
* :func:`register_facts` adds a fact written in Python;
* :func:`register_checks` adds a service requirement written in Python;
* :func:`register_amendments` amends IPA's program with the district's
  own requirement.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from decimal import Decimal

from attrs import evolve

from mentorcore.plugin import (
    CheckContext,
    Engagement,
    Fact,
    Finding,
    Interaction,
    Person,
    Program,
    Requirement,
    RequirementCheck,
    Source,
    Status,
    events_of,
    hookimpl,
    load_resource,
)

__all__ = [
    "PROGRAM_ID",
    "SUPERVISOR_APPROVAL",
    "add_supervisor_approval",
    "load",
    "register_amendments",
    "register_checks",
    "register_facts",
    "register_programs",
]

#: The id of the program this plug-in contributes.
PROGRAM_ID = "example_district"

#: Where the example's rules come from: nowhere real, and it says so.
EXAMPLE = Source(
    title="mentorcore plug-in author's guide: Example Unified School District (fictional)",
    note="an invented district, to show how a plug-in is written; not an organization's rule",
)


def load() -> Program:
    """Read the program from the package's data file."""
    return load_resource("mentorcore_example_district", "program.toml", Program)


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute the ``example_district`` program."""
    register(load())


def _school_district(person: Person, _on: dt.date) -> str | None:
    return person.school.district if person.school else None


@hookimpl
def register_facts(register: Callable[[Fact], None]) -> None:
    """A fact written in Python: the district of the person's school.

    Its id starts with the program id, so it cannot collide with another
    plug-in's facts.
    """
    register(
        Fact(
            id="example_district.school_district",
            description="the district of the person's school",
            function=_school_district,
        )
    )


def _months(start: dt.date, last: dt.date) -> list[str]:
    months: list[str] = []
    year, month = start.year, start.month
    while (year, month) <= (last.year, last.month):
        months.append(f"{year:04d}-{month:02d}")
        year, month = (year + 1, 1) if month == 12 else (year, month + 1)
    return months


def _contact_every_month(
    requirement: Requirement, engagement: Engagement, as_of: dt.date, _context: CheckContext
) -> Finding:
    """Every calendar month of the engagement that has ended by ``as_of`` has a contact."""
    last = min(as_of, engagement.end)
    months = _months(engagement.start, last)
    if as_of < engagement.end:
        months = months[:-1]  # the current month is not over yet
    contacted = {
        f"{event.date.year:04d}-{event.date.month:02d}"
        for event in events_of(engagement, Interaction, as_of)
    }
    missing = [month for month in months if month not in contacted]
    status = Status.NOT_MET if missing else Status.MET
    detail = (
        f"no contact in {', '.join(missing)}"
        if missing
        else f"a contact in each of the {len(months)} month(s) so far"
    )
    return Finding(
        requirement=requirement.id,
        title=requirement.title,
        status=status,
        detail=detail,
        figures={"months": len(months), "missing": len(missing)},
    )


@hookimpl
def register_checks(register: Callable[[RequirementCheck], None]) -> None:
    """A requirement written in Python: a contact in every month of the engagement."""
    register(
        RequirementCheck(
            id="example_district.contact_every_month",
            description="at least one contact in every calendar month of the engagement",
            function=_contact_every_month,
        )
    )


#: The district's own requirement, added to IPA's engagement kinds.
SUPERVISOR_APPROVAL = Requirement(
    id="example_district.supervisor_approved_action_plan",
    title="The leader's supervisor approved the action plan (Example Unified)",
    metric="approvals",
    params={"approved": "action_plan"},
    at_least=Decimal(1),
    by="end",
    unit="approvals of the action plan",
    source=EXAMPLE,
)


def add_supervisor_approval(program: Program) -> Program:
    """IPA's program with the district's requirement added to each of its engagement kinds."""
    kinds = tuple(
        evolve(kind, requirements=(*kind.requirements, SUPERVISOR_APPROVAL))
        for kind in program.kinds
    )
    return evolve(program, kinds=kinds)


@hookimpl
def register_amendments(register: Callable[[str, Callable[[Program], Program]], None]) -> None:
    """Amend IPA's program (id ``ipa``) with the district's requirement."""
    register("ipa", add_supervisor_approval)
