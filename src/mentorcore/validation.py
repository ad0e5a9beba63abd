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

__all__ = ["at_least", "between", "matches", "non_empty"]

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
    """The number must lie between ``low`` and ``high`` inclusive."""

    def check(_instance: object, attribute: attrs.Attribute[Any], value: Any) -> None:
        if not low <= value <= high:
            raise InputError(path=attribute.name, found=value, expected=expected)

    return check
