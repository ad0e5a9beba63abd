"""A plug-in that prints while it is imported and while its hook runs (no other fault)."""

from __future__ import annotations

from collections.abc import Callable

from faulty_plugins._program import program
from mentorcore.plugin import Program, hookimpl

print("prints_at_import: hello from the import")


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Print, then contribute ``prints_at_import``."""
    print("prints_at_import: hello from the hook")
    register(program("prints_at_import"))
