"""A plug-in whose facts fail for one person only: one raises, one returns the wrong type."""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable

from faulty_plugins._program import program, program_text
from mentorcore.io.loaders import load_program
from mentorcore.plugin import Fact, Person, Program, hookimpl


def _role(person: Person, on: dt.date) -> str:
    if person.id == "bad":
        raise ValueError("the export has no role for bad")
    return "principal"


def _years(person: Person, on: dt.date) -> object:
    return "three" if person.id == "bad" else 3


@hookimpl
def register_facts(register: Callable[[Fact], None]) -> None:
    """Add ``fragile_fact.role`` (raises for ``bad``) and ``fragile_fact.years`` (text for ``bad``)."""
    register(Fact(id="fragile_fact.role", description="the role", function=_role))
    register(Fact(id="fragile_fact.years", description="years in post", function=_years))


_PRICES = (
    program_text("fragile_prices", fact="fragile_fact.role")
    + """
[pricing]
eligibility = "who"
refuse_outcomes = ["refused"]
[pricing.table]
id = "prices"
currency = "USD"
[[pricing.table.schedules]]
start = 2020-01-01
packages = [{ hours = 10, prices = { standard = "100" } }]
[[pricing.bases]]
id = "standard"
title = "standard"
"""
)


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute ``fragile_fact`` (reads the role), ``fragile_years`` (compares the years)
    and ``fragile_prices`` (prices, for principals by the role)."""
    register(program("fragile_fact", fact="fragile_fact.role"))
    register(load_program("fragile_prices.toml", _PRICES))
    register(
        load_program(
            "fragile_years.toml",
            """
id = "fragile_years"
title = "Program fragile_years"
organization = "Fixture organization"

[[eligibility]]
id = "who"
title = "Who may take part"

[[eligibility.outcomes]]
id = "admitted"
title = "Admitted"
eligible = true
when = { fact = "fragile_fact.years", ge = 2 }

[[eligibility.outcomes]]
id = "refused"
title = "Refused"
eligible = false
""",
        )
    )
