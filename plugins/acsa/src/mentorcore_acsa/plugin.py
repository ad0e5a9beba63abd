"""The ACSA plug-in's hook implementations.

The program and the CPSEL framework are read from this package's data
files when the registry calls the hooks, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from mentorcore.plugin import (
    Fact,
    Framework,
    Program,
    RequirementCheck,
    Rubric,
    hookimpl,
    load_resource,
)
from mentorcore_acsa.checks import MONTHLY_HOURS_BAND
from mentorcore_acsa.needs import NEEDS_FACT_DEFINITION

__all__ = [
    "PROGRAM_ID",
    "load_acsa_program",
    "load_cpsel",
    "register_checks",
    "register_facts",
    "register_frameworks",
    "register_programs",
]

#: The program id of ACSA mentoring and coaching.
PROGRAM_ID = "acsa"


@cache
def load_acsa_program() -> Program:
    """ACSA's program, read from the package's ``program.toml`` (once per process)."""
    return load_resource("mentorcore_acsa", "program.toml", Program)


@cache
def load_cpsel() -> Framework:
    """The CPSEL framework, read from the package's ``cpsel.toml`` (once per process)."""
    return load_resource("mentorcore_acsa", "cpsel.toml", Framework)


@hookimpl
def register_facts(register: Callable[[Fact], None]) -> None:
    """Add ``acsa.needs``: the needs a leader states that point to mentoring or coaching."""
    register(NEEDS_FACT_DEFINITION)


@hookimpl
def register_checks(register: Callable[[RequirementCheck], None]) -> None:
    """Add ``acsa.monthly_hours_band``: coaching hours per calendar month within a band."""
    register(MONTHLY_HOURS_BAND)


@hookimpl
def register_frameworks(register: Callable[[Framework | Rubric], None]) -> None:
    """Add the shared CPSEL framework (``cpsel``, codes CPSEL-1 to CPSEL-6)."""
    register(load_cpsel())


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Add ACSA's program: mentoring and ACSA/NTC coaching."""
    register(load_acsa_program())
