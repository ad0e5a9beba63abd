"""The mentorcore hooks of the Practice 12 plug-in (leader partnerships and coaching).

The program is a data file in this package (``program.toml``), read when
the registry calls :func:`register_programs`, never at import time.
"""

from __future__ import annotations

from collections.abc import Callable

from mentorcore.plugin import Program, hookimpl, load_resource

__all__ = ["PROGRAM_ID", "load", "register_programs"]

#: The id of the program this plug-in contributes.
PROGRAM_ID = "practice12"


def load() -> Program:
    """Read the program from the package's data file."""
    return load_resource("mentorcore_practice12", "program.toml", Program)


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Contribute the ``practice12`` program."""
    register(load())
