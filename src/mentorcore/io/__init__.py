"""Reading and writing: the converter, file loaders, TOML export, CASE.

Everything read from a file goes through one cattrs converter
(:data:`mentorcore.io.converter.converter`); nothing read is ever executed.
"""

from mentorcore.io.converter import converter, structure, unstructure
from mentorcore.io.export import dump_json, dump_toml, program_from_toml, program_to_toml
from mentorcore.io.loaders import (
    load_engagement,
    load_people,
    load_program,
    load_resource,
    read_data,
)

__all__ = [
    "converter",
    "dump_json",
    "dump_toml",
    "load_engagement",
    "load_people",
    "load_program",
    "load_resource",
    "program_from_toml",
    "program_to_toml",
    "read_data",
    "structure",
    "unstructure",
]
