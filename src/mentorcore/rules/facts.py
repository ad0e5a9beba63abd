"""Facts: named values about a subject on a date.

A :class:`Fact` computes one value (``role``, ``school.state``,
``years_in_role`` …) for a person on a date. The core's facts are
registered by :mod:`mentorcore.builtins` through the same hook a plug-in
uses to add its own. :class:`FactSheet` computes each fact at most once per
person and date, however many rules ask for it.

A fact whose value is not known for a person (a school not given, an
experience neither stated nor derivable) returns ``None`` or
:class:`Unknown` with the reason, naming the missing data; a condition
comparing it is then unknown, never failed.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Mapping
from typing import Any

from attrs import field, frozen

from mentorcore.errors import PluginError, PluginFactError, RuleError, UnknownIdError
from mentorcore.people import Person
from mentorcore.provenance import Source
from mentorcore.validation import non_empty

__all__ = ["Fact", "FactFunction", "FactSheet", "Unknown", "fact_failed", "fact_unusable"]


@frozen
class Unknown:
    """A fact's value that is not known, and why: ``reason`` names what is missing.

    >>> Unknown("neither years_as_principal nor a principal role_started is given")
    Unknown(reason='neither years_as_principal nor a principal role_started is given')
    """

    reason: str = ""

    def __bool__(self) -> bool:
        return False


#: The signature of a fact: ``(person, date) -> value``.
FactFunction = Callable[[Person, dt.date], Any]


@frozen(kw_only=True)
class Fact:
    """A named value about a person on a date.

    ``subject`` says whom it applies to: ``"person"`` (anyone),
    ``"leader"`` or ``"mentor"``. The function must be pure: the same person
    and date always give the same value; it returns ``None`` or
    :class:`Unknown` when the value is not known. ``source`` marks a fact
    that is a plug-in's reading (``Source(default=True, note=…)``): every
    check of it, and every decision resting on one, then names that default.
    """

    id: str = field(validator=non_empty)
    description: str
    function: FactFunction = field(eq=False, repr=False)
    subject: str = "person"
    source: Source | None = None


def fact_failed(fact_id: str, person: str, on: dt.date, exc: Exception) -> RuleError:
    """The error for a fact that could not be computed for ``person`` on ``on``.

    A plug-in's fact that failed (a :class:`~mentorcore.errors.PluginError`
    from :mod:`mentorcore.attribution`) gives a
    :class:`~mentorcore.errors.PluginFactError` naming the plug-in, the fact
    and the person; any other failure a :class:`~mentorcore.errors.RuleError`.
    """
    where = f"fact {fact_id!r} could not be computed for {person!r} on {on}"
    if isinstance(exc, PluginError):
        return PluginFactError(exc, fact_id, person, where)
    return RuleError(f"{where}: {exc}")


def fact_unusable(
    fact_id: str, function: FactFunction | None, person: str, on: dt.date, exc: RuleError
) -> RuleError:
    """The error for a fact whose value a condition cannot use (the wrong type).

    When ``function`` is a plug-in's (wrapped by :mod:`mentorcore.attribution`,
    which gives it a ``plugin``), a :class:`~mentorcore.errors.PluginFactError`
    naming the plug-in, the fact and the person; else a
    :class:`~mentorcore.errors.RuleError` naming the fact and the person.
    """
    where = f"fact {fact_id!r} gave a value of the wrong type for {person!r} on {on}"
    plugin = getattr(function, "plugin", None)
    if isinstance(plugin, str):
        return PluginFactError(PluginError(plugin, str(exc)), fact_id, person, where)
    return RuleError(f"{where}: {exc}")


class FactSheet(dict[str, Any]):
    """The facts of one person on one date, each computed at most once.

    A fact already computed is a plain dictionary lookup (bulk runs read
    facts millions of times); the first lookup computes it.

    >>> import datetime as dt
    >>> from mentorcore.people import Role, Mentor
    >>> role = Fact(id="role", description="role", function=lambda p, d: p.role.value)
    >>> mentor = Mentor(id="m", name="M", role=Role.PRINCIPAL)
    >>> sheet = FactSheet(mentor, dt.date(2024, 1, 1), {"role": role})
    >>> sheet["role"]
    'principal'
    """

    __slots__ = ("facts", "on", "person")

    def __init__(self, person: Person, on: dt.date, facts: Mapping[str, Fact]) -> None:
        super().__init__()
        self.person = person
        self.on = on
        self.facts = facts

    def __missing__(self, fact_id: str) -> Any:
        fact = self.facts.get(fact_id)
        if fact is None:
            raise UnknownIdError("fact", fact_id, self.facts)
        try:
            value = fact.function(self.person, self.on)
        except Exception as exc:
            raise fact_failed(fact_id, self.person.id, self.on, exc) from exc
        self[fact_id] = value
        return value
