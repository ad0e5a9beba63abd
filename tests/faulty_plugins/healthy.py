"""A plug-in with no fault: it contributes the program ``healthy``."""

from __future__ import annotations

from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.hookspecs import hookimpl
from mentorcore.programs import Program


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute ``healthy``."""
    register(program("healthy"))
