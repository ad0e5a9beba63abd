"""A plug-in whose program data file has a misspelled key (``eligble``)."""

from __future__ import annotations

from collections.abc import Callable

from faulty_plugins._program import program_text
from mentorcore.hookspecs import hookimpl
from mentorcore.io.loaders import load_program
from mentorcore.programs import Program


@hookimpl
def register_programs(register: Callable[[Program], None]) -> None:
    """Read the misspelled data file, as a plug-in reads its program.toml."""
    text = program_text("bad_data").replace("eligible = true", "eligble = true")
    register(load_program("bad_data/program.toml", text))
