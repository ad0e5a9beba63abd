"""A plug-in whose hook raises: its data file cannot be found."""

from __future__ import annotations

from collections.abc import Callable

from mentorcore.hookspecs import hookimpl
from mentorcore.programs import Program


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Fail before registering anything."""
    raise FileNotFoundError("hook_raises/program.toml is not in the package")
