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
* :func:`may_read_as`: whether a reader may be handed what is written for
  another audience (the HTTP service asks it for each key).

Text for an audience is **composed** from what it may see, never redacted
after the fact. A sentence that quotes logged free text (a goal's title,
an interaction's topic or notes) is kept as *parts*: plain words, and
:class:`Mention` objects that carry the quoted text with the event it came
from. :func:`compose` writes the sentence for one audience: a mention the
audience may not see is written :data:`PRIVATE`, whatever its length, so a
pair-only goal titled "Divorce" reaches the leader and the mentor only.
"""

from __future__ import annotations

import enum
from collections.abc import Iterable

import attrs
from attrs import frozen

from mentorcore.engagements import Engagement, Event, Visibility
from mentorcore.errors import InputError

__all__ = [
    "PRIVATE",
    "Audience",
    "Mention",
    "Part",
    "audience_of",
    "compose",
    "may_read_as",
    "may_see",
    "may_see_sensitive",
    "mention",
    "sees_sensitive_criteria",
    "shown_parts",
]

#: What an audience reads in place of logged text it may not see.
PRIVATE = "[private]"


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


@frozen(kw_only=True)
class Mention:
    """Free text quoted from one logged event, with where it came from.

    ``event`` is the event's position in the engagement's log, ``field``
    the event's field quoted (``title``, ``notes``, ``topics``,
    ``priority``, ``evidence``), ``visibility`` the event's.
    """

    text: str
    event: int
    field: str
    visibility: Visibility = attrs.field(converter=Visibility)


#: A part of a composed sentence: plain words, or a mention of logged text.
Part = str | Mention


def mention(engagement: Engagement, event: Event, field: str, text: str | None = None) -> Mention:
    """A :class:`Mention` of ``event``'s ``field`` (or of ``text`` taken from it).

    The event is found in ``engagement``'s log by identity, so two equal
    events logged twice keep their own positions.
    """
    index = next(
        (i for i, logged in enumerate(engagement.events) if logged is event),
        None,
    )
    if index is None:
        index = engagement.events.index(event)
    quoted = text if text is not None else getattr(event, field)
    return Mention(text=str(quoted), event=index, field=field, visibility=event.visibility)


def compose(parts: Iterable[Part], audience: Audience | str | None = None) -> str:
    """The sentence of ``parts`` for ``audience``.

    With no audience, only what every audience may see is written (logged
    text visible to the ``program``).

    >>> from mentorcore.engagements import Visibility
    >>> goal = Mention(text="Divorce", event=0, field="title", visibility=Visibility.PAIR)
    >>> parts = ["goals: ", goal]
    >>> compose(parts, "leader"), compose(parts, "sponsor"), compose(parts)
    ('goals: Divorce', 'goals: [private]', 'goals: [private]')
    """
    return "".join(
        part if isinstance(part, str) else part.text for part in shown_parts(parts, audience)
    )


def shown_parts(parts: Iterable[Part], audience: Audience | str | None = None) -> tuple[Part, ...]:
    """``parts`` as ``audience`` may read them: a mention it may not see becomes :data:`PRIVATE`."""

    def shown(part: Part) -> Part:
        if isinstance(part, str):
            return part
        if audience is None:
            visible = part.visibility is Visibility.PROGRAM
        else:
            visible = may_see(audience, part.visibility)
        return part if visible else PRIVATE

    return tuple(shown(part) for part in parts)


def may_read_as(reader: Audience | str, audience: Audience | str) -> bool:
    """Whether output written for ``audience`` shows ``reader`` nothing it may not see.

    True only when every event visibility and every sensitive attribute that
    ``audience`` sees, ``reader`` sees too. The audiences are not a ladder:
    program staff see the pair's sensitive attributes but not the pair's
    notes, so neither a program key nor a leader key may read as the other.

    >>> may_read_as("program", "program"), may_read_as("program", "sponsor")
    (True, False)
    >>> may_read_as("leader", "sponsor"), may_read_as("leader", "mentor")
    (True, False)
    >>> may_read_as("sponsor", "program")
    False
    """
    seen_by, written_for = Audience(reader), Audience(audience)
    if not _SEES[written_for] <= _SEES[seen_by]:
        return False
    for whose in ("leader", "mentor"):
        if may_see_sensitive(written_for, whose) and not may_see_sensitive(seen_by, whose):
            return False
    return not (sees_sensitive_criteria(written_for) and not sees_sensitive_criteria(seen_by))
