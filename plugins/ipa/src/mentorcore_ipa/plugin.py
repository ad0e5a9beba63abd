"""The IPA plug-in's hook implementations.

The program is read from ``program.toml`` inside this package when the
registry calls :func:`register_programs`, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable
from functools import cache

from mentorcore.plugin import Program, hookimpl, load_resource

__all__ = ["PROGRAM_ID", "load_ipa_program", "register_programs"]

#: The program id of IPA mentoring.
PROGRAM_ID = "ipa"


@cache
def load_ipa_program() -> Program:
    """IPA's program, read from the package's ``program.toml`` (once per process)."""
    return load_resource("mentorcore_ipa", "program.toml", Program)


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Add IPA's mentoring program."""
    register(load_ipa_program())
