"""A plug-in whose rule names a fact that no plug-in registers."""

from __future__ import annotations

from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.hookspecs import hookimpl
from mentorcore.programs import Program


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute ``unknown_fact``, whose rule reads ``unknown_fact.tenure``."""
    register(program("unknown_fact", fact="unknown_fact.tenure"))
