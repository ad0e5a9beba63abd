"""A plug-in whose fact raises when a rule reads it (a bug that shows only at run time)."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.plugin import Fact, Person, Program, hookimpl


def _tenure(person: Person, on: dt.date) -> int:
    return 1 // 0


@hookimpl
def register_facts(register: Callable[[Fact], None]) -> None:
    """Add ``raising_fact.tenure``, which raises ``ZeroDivisionError``."""
    register(Fact(id="raising_fact.tenure", description="years of tenure", function=_tenure))


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute ``raising_fact``, whose rule reads ``raising_fact.tenure``."""
    register(program("raising_fact", fact="raising_fact.tenure"))
