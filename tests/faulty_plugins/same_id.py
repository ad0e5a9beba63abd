"""A plug-in that claims the program id ``healthy``, which another plug-in owns."""

from __future__ import annotations

from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.hookspecs import hookimpl
from mentorcore.programs import Program


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute a second ``healthy``."""
    register(program("healthy"))
