"""A plug-in whose hook raises ``GeneratorExit``, a ``BaseException`` but not an ``Exception``."""

from __future__ import annotations

from collections.abc import Callable

from mentorcore.plugin import Program, hookimpl


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Stop with a ``BaseException``."""
    raise GeneratorExit("exits_in_hook stopped")
