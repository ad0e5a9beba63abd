"""A plug-in whose import takes longer than two seconds (a slow network share, say)."""

from __future__ import annotations

import time
from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.plugin import Program, hookimpl

time.sleep(2.3)


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute ``slow_import`` (once it has imported)."""
    register(program("slow_import"))
