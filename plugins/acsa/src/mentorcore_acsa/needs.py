"""The needs a leader states that point to ACSA mentoring or to ACSA/NTC coaching.

A leader states them as ids in ``goals`` or ``learning_needs``; the fact
``acsa.needs`` collects those of them this plug-in reads, in the order of
:data:`NEEDS`, and the data rule ``acsa_recommendation`` tests them.
"""

from __future__ import annotations

import datetime as dt

from mentorcore.plugin import Fact, Person

__all__ = [
    "COACHING_NEEDS",
    "MENTORING_NEEDS",
    "NEEDS",
    "NEEDS_FACT",
    "NEEDS_FACT_DEFINITION",
    "stated_needs",
]

#: Needs that point to coaching: the Tier II credential pathway and
#: structured development on CPSEL-based goals.
COACHING_NEEDS: dict[str, str] = {
    "tier2_credential": "seeks the CTC-approved Tier II credential",
    "cpsel_development": "wants structured development on CPSEL-based goals",
}

#: Needs that point to mentoring: an experienced practitioner's informal
#: support, and an introduction to informal local and regional networking.
MENTORING_NEEDS: dict[str, str] = {
    "informal_support": "wants an experienced practitioner's informal support",
    "networking": "wants informal local and regional networking",
}

#: Every need id read, with its meaning.
NEEDS: dict[str, str] = {**COACHING_NEEDS, **MENTORING_NEEDS}

#: The id of the fact listing a person's stated needs.
NEEDS_FACT = "acsa.needs"


def stated_needs(person: Person, _on: dt.date | None = None) -> tuple[str, ...]:
    """The need ids of :data:`NEEDS` found in the person's goals or learning needs."""
    stated = {*person.goals, *person.learning_needs}
    return tuple(need for need in NEEDS if need in stated)


#: The fact ``acsa.needs``, registered by the plug-in's ``register_facts``.
NEEDS_FACT_DEFINITION = Fact(
    id=NEEDS_FACT,
    description=(
        "the needs relevant to ACSA mentoring or coaching that a leader states in goals or "
        "learning_needs: " + ", ".join(NEEDS)
    ),
    function=stated_needs,
    subject="leader",
)
