"""Builders shared by the core's tests: people with sensible defaults and a test plug-in."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from pathlib import Path

from mentorcore.hookspecs import hookimpl
from mentorcore.people import Leader, Mentor, Role, School, Sector
from mentorcore.programs import Program

DATA = Path(__file__).parent / "data"


class DemoPlugin:
    """A test plug-in contributing the demo program from tests/data."""

    def __init__(self, program: Program) -> None:
        self.program = program

    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        register(self.program)


def leader(**changes: object) -> Leader:
    """An Illinois first-time principal who started on 1 August 2022, changed as asked."""
    fields: dict[str, object] = {
        "id": "ada",
        "name": "Ada Park",
        "role": Role.PRINCIPAL,
        "role_started": dt.date(2022, 8, 1),
        "first_time_in_role": True,
        "memberships": ("ipa",),
        "school": School(name="Lincoln Elementary", state="IL", sector=Sector.PUBLIC),
    }
    fields.update(changes)
    return Leader(**fields)  # type: ignore[arg-type]


def mentor(**changes: object) -> Mentor:
    """A mentor with a principal licence, changed as asked."""
    fields: dict[str, object] = {
        "id": "mo",
        "name": "Mo Reyes",
        "role": Role.PRINCIPAL,
        "credentials": ("principal_license",),
        "years_as_leader": 12,
        "years_as_principal": 8,
    }
    fields.update(changes)
    return Mentor(**fields)  # type: ignore[arg-type]
