"""A small valid program as data, for the fixture plug-ins to vary."""

from __future__ import annotations

from mentorcore.io.loaders import load_program
from mentorcore.programs import Program


def program_text(program_id: str, fact: str = "role") -> str:
    """A program whose one rule admits principals (by ``fact``)."""
    return f"""
id = "{program_id}"
title = "Program {program_id}"
organization = "Fixture organization"

[[eligibility]]
id = "who"
title = "Who may take part"

[[eligibility.outcomes]]
id = "admitted"
title = "Admitted"
eligible = true
when = {{ fact = "{fact}", equals = "principal", says = "is a lead/head principal" }}

[[eligibility.outcomes]]
id = "refused"
title = "Refused"
eligible = false
"""


def program(program_id: str, fact: str = "role") -> Program:
    """The program of :func:`program_text`, structured."""
    return load_program(f"{program_id}.toml", program_text(program_id, fact))
