"""Exact money: :data:`Money`, a :class:`~decimal.Decimal` marked as an amount of money.

A field typed :data:`Money` is a plain ``Decimal`` to Python and to type
checkers; the output converter (:mod:`mentorcore.output`) writes it as
decimal text (``"1749.00"``) so no JSON reader rounds it, while every other
decimal (hours, averages) is a JSON number.
"""

from __future__ import annotations

from decimal import Decimal
from typing import Annotated, Final

__all__ = ["MONEY", "Money"]


class _MoneyMark:
    """The marker :data:`Money` carries (compared by identity)."""

    def __repr__(self) -> str:
        return "MONEY"


#: The mark that makes an annotated ``Decimal`` money.
MONEY: Final = _MoneyMark()

#: An exact amount of money (its currency is said beside it).
Money = Annotated[Decimal, MONEY]
