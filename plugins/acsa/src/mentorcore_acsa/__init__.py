"""mentorcore-acsa: ACSA mentoring and ACSA/NTC coaching for mentorcore.

The model is data (``program.toml``): the two engagement kinds with the
seed's comparison table as row-aligned characteristics, the common
characteristics (content section ``common_characteristics``), coaching's
service requirements, and a rule that recommends a kind from a leader's
stated needs. The plug-in also contributes the shared CPSEL framework
(``cpsel``), the fact ``acsa.needs`` and the check
``acsa.monthly_hours_band``.

    >>> from mentorcore_acsa import recommend  # doctest: +SKIP
    >>> recommend(leader).kind  # doctest: +SKIP
    'coaching'
"""

from __future__ import annotations

from mentorcore_acsa.checks import MONTHLY_HOURS_BAND, monthly_hours_band
from mentorcore_acsa.needs import COACHING_NEEDS, MENTORING_NEEDS, NEEDS, stated_needs
from mentorcore_acsa.plugin import PROGRAM_ID, load_acsa_program, load_cpsel
from mentorcore_acsa.recommend import Recommendation, recommend

__all__ = [
    "COACHING_NEEDS",
    "MENTORING_NEEDS",
    "MONTHLY_HOURS_BAND",
    "NEEDS",
    "PROGRAM_ID",
    "Recommendation",
    "comparison_rows",
    "load_acsa_program",
    "load_cpsel",
    "monthly_hours_band",
    "recommend",
    "stated_needs",
]


def comparison_rows() -> list[tuple[str, str, str]]:
    """The seed's table as rows of (mentoring, common, coaching) text, headings prefixed.

    A heading is put before its cell's text as ``"HEADING: text"``; an empty
    string is a cell the seed leaves empty.
    """
    program = load_acsa_program()
    common = next(s for s in program.content if s.id == "common_characteristics").items

    def cells(kind: str) -> list[str]:
        return [
            f"{c.heading}: {c.text}" if c.heading else c.text
            for c in program.kind(kind).characteristics
        ]

    return list(zip(cells("mentoring"), common, cells("coaching"), strict=True))
