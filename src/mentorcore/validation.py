"""Field validators for the domain types.

Each validator raises :class:`~mentorcore.errors.InputError` whose path is
the field's name, so that a file loader reports the full path
(``leaders[3].school.state``) and not just the enclosing table.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

import attrs

from mentorcore.errors import InputError

__all__ = [
    "MAX_CAPACITY",
    "MAX_CONTRACT_HOURS",
    "MAX_DISTANCE_KM",
    "MAX_MINUTES",
    "MAX_PACKAGE_HOURS",
    "MAX_WEIGHT",
    "MAX_YEARS",
    "at_least",
    "between",
    "check_bounds",
    "matches",
    "non_empty",
    "within",
]

# The documented bounds of the numbers read from people, engagement and
# command-line input (docs/formats.md, "Bounds"). They are wide enough for
# any real record and narrow enough that arithmetic on them stays exact and
# fast; a value outside them, NaN or infinity is an input error.

#: Minutes of one interaction: 1 to 10,080 (a week, such as a residential institute).
MAX_MINUTES = 10_080
#: Contract hours of an engagement: more than 0, at most 10,000.
MAX_CONTRACT_HOURS = 10_000
#: Hours of a quoted package (``quote --hours``): 1 to 10,000.
MAX_PACKAGE_HOURS = 10_000
#: Leaders a mentor can take at once: 0 to 1,000,000 (matching runs capacity as a
#: flow, so a large capacity is cheap; a regional coach may take thousands).
MAX_CAPACITY = 1_000_000
#: A mentor's years as a leader or as a principal: 0 to 80.
MAX_YEARS = 80
#: A matching criterion's weight (``--weights``): 0 to 1,000.
MAX_WEIGHT = 1000
#: A distance bound for on-site work (``--max-distance``): 0 to 20,040 km (half the globe).
MAX_DISTANCE_KM = 20_040

Validator = Callable[[Any, "attrs.Attribute[Any]", Any], None]


def non_empty(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
    """The text must not be empty or blank."""
    if not value.strip():
        raise InputError(path=attribute.name, found=value, expected="non-empty text")


def matches(pattern: str, expected: str) -> Validator:
    """The text must match ``pattern``; ``expected`` describes it in words."""
    compiled = re.compile(pattern)

    def check(_instance: object, attribute: attrs.Attribute[Any], value: str) -> None:
        if not compiled.fullmatch(value):
            raise InputError(path=attribute.name, found=value, expected=expected)

    return check


def at_least(minimum: int | float, expected: str | None = None) -> Validator:
    """The number must be ``minimum`` or more."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if value < minimum:
            raise InputError(
                path=attribute.name,
                found=value,
                expected=expected or f"a number of {minimum} or more",
            )

    return check


def between(low: float, high: float, expected: str) -> Validator:
    """The number must lie between ``low`` and ``high`` inclusive (NaN never does)."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_bounds(value, low, high, path=attribute.name, expected=expected)

    return check


def _words(number: float) -> str:
    return f"{number:,}" if isinstance(number, int) else f"{number:g}"


def within(
    low: float, high: float, unit: str = "", *, above: bool = False, expected: str | None = None
) -> Validator:
    """The number must lie between ``low`` and ``high`` (above ``low`` when ``above``).

    The message states the bounds (``expected 0 to 1,000,000 leaders``) unless
    ``expected`` says them in other words.
    """
    lower = f"more than {_words(low)}" if above else _words(low)
    expected = expected or f"{lower} to {_words(high)}{' ' + unit if unit else ''}"

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        check_bounds(value, low, high, path=attribute.name, expected=expected, above=above)

    return check


def check_bounds(
    value: Any,
    low: float,
    high: float,
    *,
    path: str | None = None,
    expected: str | None = None,
    above: bool = False,
) -> None:
    """Raise :class:`InputError` unless ``low <= value <= high`` (``low < value`` when
    ``above``); NaN and infinity are always outside.

    >>> check_bounds(float("nan"), 0, 1, path="weight")
    Traceback (most recent call last):
    ...
    mentorcore.errors.InputError: weight: found nan, expected a number from 0 to 1
    """
    try:
        inside = value == value and (low < value if above else low <= value) and value <= high
    except ArithmeticError:  # a signalling Decimal NaN
        inside = False
    if not inside:
        shown = value if isinstance(value, (int, float)) else str(value)
        raise InputError(
            path=path,
            found=shown,
            expected=expected or f"a number from {_words(low)} to {_words(high)}",
        )
