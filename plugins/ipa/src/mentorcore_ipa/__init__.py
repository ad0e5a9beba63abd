"""mentorcore-ipa: the Illinois Principals Association's mentoring program for mentorcore.

The model is data (``program.toml`` in this package): eligibility for free
or paid mentoring by school year, a dated price table of 20, 40 and 60 hour
packages, the service requirements of an engagement, the mentor
qualification rule and vetting checklist, and the match factors. Use it
through the registry::

    import mentorcore

    registry = mentorcore.load_registry()
    registry.decide("ipa", leader, on)
    registry.quote("ipa", leader, 40, on)

:func:`missing_attestations` lists the vetting checklist items not yet
attested for a mentor.
"""

from __future__ import annotations

from mentorcore.plugin import Checklist, ChecklistItem, Mentor, Program
from mentorcore_ipa.plugin import PROGRAM_ID, load_ipa_program

__all__ = ["PROGRAM_ID", "VETTING_CHECKLIST", "load_ipa_program", "missing_attestations"]

#: The id of IPA's mentor vetting checklist.
VETTING_CHECKLIST = "ipa_mentor_vetting"


def missing_attestations(
    mentor: Mentor, program: Program | None = None
) -> tuple[ChecklistItem, ...]:
    """The vetting checklist items not (yet) in ``mentor.attestations``, in checklist order.

    ``program`` defaults to the program shipped with this package (pass the
    registry's, amended, program to use its checklist).
    """
    chosen = program or load_ipa_program()
    checklist: Checklist = next(c for c in chosen.checklists if c.id == VETTING_CHECKLIST)
    held = set(mentor.attestations)
    return tuple(item for item in checklist.items if item.id not in held)
