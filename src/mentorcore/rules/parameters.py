"""Dated parameters: values that change over time, each with its source.

A :class:`Parameter` holds :class:`DatedValue` entries keyed by the date
each took effect; an entry with no ``value`` ends the previous one (as a
``null`` does in OpenFisca). :meth:`Parameter.value_on` never falls back to
the nearest value: on a date outside every period it raises
:class:`~mentorcore.errors.NoValueInForce` naming the parameter, the date
and the periods known.
"""

from __future__ import annotations

import datetime as dt
import itertools
from collections.abc import Sequence
from decimal import Decimal
from typing import Any, Protocol, TypeVar

from attrs import field, frozen

from mentorcore.errors import Described, InputError, NoValueInForce
from mentorcore.provenance import Source
from mentorcore.validation import non_empty

__all__ = ["DatedValue", "Parameter", "in_force", "periods_of"]

_SCALARS = (bool, int, str, Decimal, dt.date)


class _Dated(Protocol):
    @property
    def start(self) -> dt.date: ...


D = TypeVar("D", bound=_Dated)


def _check_value(value: Any, path: str) -> None:
    if value is None or isinstance(value, _SCALARS):
        return
    if isinstance(value, (list, tuple)):
        for index, element in enumerate(value):
            _check_value(element, f"{path}[{index}]")
        return
    raise InputError(
        path=path, found=value, expected="text, a number, true/false, a date or a list of them"
    )


@frozen(kw_only=True)
class DatedValue:
    """A value in force from ``start`` until the next entry's start.

    ``value=None`` means no value is in force from ``start`` on.
    """

    start: dt.date
    value: Any = None
    source: Source | None = None
    note: str = ""

    def __attrs_post_init__(self) -> None:
        _check_value(self.value, "value")


def _sorted_starts(entries: Sequence[_Dated]) -> None:
    for before, after in itertools.pairwise(entries):
        if after.start <= before.start:
            raise InputError(
                path="values",
                found=Described(f"{after.start} after {before.start}"),
                expected="entries in increasing order of start date",
            )


def periods_of(entries: Sequence[D], has_value: Any = None) -> list[tuple[D, dt.date | None]]:
    """Each entry with the last day it is in force (``None``: open-ended)."""
    result: list[tuple[D, dt.date | None]] = []
    for index, entry in enumerate(entries):
        end = entries[index + 1].start - dt.timedelta(days=1) if index + 1 < len(entries) else None
        result.append((entry, end))
    return result


def in_force(entries: Sequence[D], on: dt.date, name: str, *, empty: Any = None) -> D:
    """The entry in force on ``on``; :class:`NoValueInForce` if none is.

    ``empty`` is a predicate telling whether an entry ends the previous one
    (holds no value); by default no entry does.
    """
    chosen: D | None = None
    for entry in entries:
        if entry.start <= on:
            chosen = entry
        else:
            break
    if chosen is None or (empty is not None and empty(chosen)):
        spans = [
            f"{entry.start} to {end}" if end else f"from {entry.start}"
            for entry, end in periods_of(entries)
            if empty is None or not empty(entry)
        ]
        raise NoValueInForce(name, on, spans)
    return chosen


@frozen(kw_only=True)
class Parameter:
    """A named value that changes over time, with the source of each value."""

    id: str = field(validator=non_empty)
    title: str
    values: tuple[DatedValue, ...]
    description: str = ""
    unit: str = ""

    def __attrs_post_init__(self) -> None:
        _sorted_starts(self.values)

    def value_on(self, on: dt.date) -> Any:
        """The value in force on ``on``, or :class:`NoValueInForce`."""
        return in_force(self.values, on, self.id, empty=lambda e: e.value is None).value

    def entry_on(self, on: dt.date) -> DatedValue:
        """The entry (value, source, note) in force on ``on``, or :class:`NoValueInForce`."""
        return in_force(self.values, on, self.id, empty=lambda e: e.value is None)

    def periods(self) -> list[tuple[DatedValue, dt.date | None]]:
        """Each entry holding a value, with the last day it is in force."""
        return [(e, end) for e, end in periods_of(self.values) if e.value is not None]
