"""The one audience policy: who may see which logged content and which sensitive attribute.

Every output written for someone (a report, an engagement check, a match's
reasons) asks this module, and nothing else, what its reader may see:

* :func:`may_see`: an event's content (an interaction's topics and notes,
  an artifact's title, items and priority, a rating's evidence) reaches an
  audience only when the event's :class:`~mentorcore.engagements.Visibility`
  does. ``pair`` content (the default) reaches the leader and the mentor
  only; ``sponsor`` content the pair and the sponsor; ``program`` content
  everyone.
* :func:`may_see_sensitive`: a person's sensitive attributes
  (:func:`~mentorcore.people.sensitive_fields`: gender, race, matching
  preferences) reach program staff about both sides, the leader and the
  mentor only about themselves, and never a sponsor.
* :func:`sees_sensitive_criteria`: only program staff see a match's
  sensitive criteria (their weights, scores and reasons).
"""

from __future__ import annotations

import enum

from mentorcore.engagements import Visibility
from mentorcore.errors import InputError

__all__ = [
    "Audience",
    "audience_of",
    "may_see",
    "may_see_sensitive",
    "sees_sensitive_criteria",
]


class Audience(enum.StrEnum):
    """Whom an output is written for.

    ``leader`` and ``mentor`` are the pair; ``sponsor`` is the leader's
    supervisor or a district representative; ``program`` is the program's
    staff.
    """

    LEADER = "leader"
    MENTOR = "mentor"
    SPONSOR = "sponsor"
    PROGRAM = "program"

    @property
    def label(self) -> str:
        """The audience in words."""
        return "program staff" if self is Audience.PROGRAM else f"the {self.value}"


#: The visibilities each audience may see.
_SEES: dict[Audience, frozenset[Visibility]] = {
    Audience.LEADER: frozenset(Visibility),
    Audience.MENTOR: frozenset(Visibility),
    Audience.SPONSOR: frozenset({Visibility.SPONSOR, Visibility.PROGRAM}),
    Audience.PROGRAM: frozenset({Visibility.PROGRAM}),
}


def audience_of(value: Audience | str, path: str = "audience") -> Audience:
    """``value`` as an :class:`Audience`; anything else is an :class:`InputError` at ``path``."""
    try:
        return Audience(value)
    except ValueError:
        raise InputError(
            path=path,
            found=value,
            expected="one of " + ", ".join(a.value for a in Audience),
        ) from None


def may_see(audience: Audience | str, visibility: Visibility | str) -> bool:
    """Whether ``audience`` may see the content of an event of ``visibility``.

    >>> may_see("sponsor", "pair"), may_see("sponsor", "sponsor"), may_see("program", "sponsor")
    (False, True, False)
    >>> may_see("leader", "pair"), may_see("mentor", "program")
    (True, True)
    """
    return Visibility(visibility) in _SEES[Audience(audience)]


def may_see_sensitive(audience: Audience | str, whose: str) -> bool:
    """Whether ``audience`` may see the sensitive attributes of the ``whose`` side of a pair.

    ``whose`` is ``"leader"`` or ``"mentor"``.

    >>> may_see_sensitive("program", "leader"), may_see_sensitive("sponsor", "leader")
    (True, False)
    >>> may_see_sensitive("leader", "leader"), may_see_sensitive("leader", "mentor")
    (True, False)
    """
    seen_by = Audience(audience)
    return seen_by is Audience.PROGRAM or seen_by.value == whose


def sees_sensitive_criteria(audience: Audience | Visibility | str) -> bool:
    """Whether a match's sensitive criteria (gender, race) may be shown: program staff only.

    A match is read by ``program`` staff, or by the ``pair`` or ``sponsor``
    (a :class:`~mentorcore.engagements.Visibility` names them there).

    >>> sees_sensitive_criteria("program"), sees_sensitive_criteria("pair")
    (True, False)
    """
    return str(audience) == Audience.PROGRAM.value
