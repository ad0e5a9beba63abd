"""Prices: dated price tables of packages, exact money, and quotes.

A :class:`PriceTable` holds :class:`PriceSchedule` entries keyed by the date
each took effect; each schedule lists :class:`Package` prices per basis
(``member``, ``non_member``). :class:`Pricing` ties the table to an
eligibility rule: outcomes listed in ``free_outcomes`` quote 0.00 with basis
``free``, outcomes in ``refuse_outcomes`` cannot be quoted, and otherwise the
first :class:`Basis` whose condition holds picks the price. A :class:`Quote`
carries the amount as :class:`~decimal.Decimal`, the currency, the basis
and the decision behind it; it is ``provisional`` when the decision (or the
basis) rests on values not known, and lists the plug-in ``defaults`` it
rests on.

Pricing runs in the one evaluator, :mod:`mentorcore.rules.compiled`: the
schedule and the bases' conditions are compiled once per program and date,
and :func:`price` runs that form.
"""

from __future__ import annotations

import datetime as dt

from attrs import field, frozen

from mentorcore.errors import Described, InputError
from mentorcore.money import Money
from mentorcore.people import Person
from mentorcore.provenance import Default, Source
from mentorcore.rules.conditions import Condition
from mentorcore.rules.eligibility import Decision, RuleContext
from mentorcore.rules.facts import FactSheet
from mentorcore.rules.parameters import in_force, periods_of
from mentorcore.validation import at_least, non_empty

__all__ = ["FREE", "Basis", "Package", "PriceSchedule", "PriceTable", "Pricing", "Quote", "price"]

#: The basis of a quote for a person whose decision makes the service free.
FREE = "free"


@frozen(kw_only=True)
class Package:
    """A package of ``hours`` with its price per basis."""

    hours: int = field(validator=at_least(1, "a positive number of hours"))
    prices: dict[str, Money]

    def __attrs_post_init__(self) -> None:
        for basis, amount in self.prices.items():
            if amount < 0:
                raise InputError(path=f"prices.{basis}", found=amount, expected="0 or more")


@frozen(kw_only=True)
class PriceSchedule:
    """The packages in force from ``start``; an empty ``packages`` ends the previous schedule."""

    start: dt.date
    packages: tuple[Package, ...] = ()
    source: Source | None = None
    note: str = ""

    def package(self, hours: int) -> Package | None:
        """The package of exactly ``hours``, if offered."""
        for package in self.packages:
            if package.hours == hours:
                return package
        return None


@frozen(kw_only=True)
class PriceTable:
    """A dated table of package prices in one currency."""

    id: str = field(validator=non_empty)
    currency: str
    schedules: tuple[PriceSchedule, ...]

    def __attrs_post_init__(self) -> None:
        for before, after in zip(self.schedules, self.schedules[1:], strict=False):
            if after.start <= before.start:
                raise InputError(
                    path="schedules",
                    found=Described(f"{after.start} after {before.start}"),
                    expected="schedules in increasing order of start date",
                )

    def schedule_on(self, on: dt.date) -> PriceSchedule:
        """The schedule in force on ``on``, or :class:`~mentorcore.errors.NoValueInForce`."""
        return in_force(self.schedules, on, self.id, empty=lambda s: not s.packages)

    def periods(self) -> list[tuple[PriceSchedule, dt.date | None]]:
        """Each schedule with prices, with the last day it is in force."""
        return [(s, end) for s, end in periods_of(self.schedules) if s.packages]


@frozen(kw_only=True)
class Basis:
    """A price basis (``member``) and when it applies (``None``: otherwise)."""

    id: str = field(validator=non_empty)
    title: str
    when: Condition | None = None


@frozen(kw_only=True)
class Pricing:
    """How a program prices its packages: the table, the rule behind it, and the bases."""

    table: PriceTable
    eligibility: str
    bases: tuple[Basis, ...]
    free_outcomes: tuple[str, ...] = (FREE,)
    refuse_outcomes: tuple[str, ...] = ()

    def __attrs_post_init__(self) -> None:
        if not self.bases or self.bases[-1].when is not None:
            raise InputError(
                path="bases",
                found=Described("no unconditional last basis"),
                expected="a last basis with no condition",
            )


@frozen(kw_only=True)
class Quote:
    """A price for one person, a package and a date, with the decision behind it.

    ``provisional`` is true when the quote may change once unknown values
    are known (the decision has ``possible`` outcomes, or a price basis is
    unknown); ``provisional_reason`` says why. ``defaults`` are the plug-in
    defaults the quote rests on (its decision's, its basis's, its schedule's).
    """

    program: str
    person: str
    on: dt.date
    hours: int
    amount: Money
    currency: str
    basis: str
    decision: Decision
    explanation: str
    source: Source | None = None
    provisional: bool = False
    provisional_reason: str = ""
    defaults: tuple[Default, ...] = ()


def price(
    pricing: Pricing,
    decision: Decision,
    person: Person,
    hours: int,
    on: dt.date,
    context: RuleContext,
    sheet: FactSheet | None = None,
) -> Quote:
    """Quote ``hours`` for ``person`` on ``on`` given their ``decision``.

    A number of hours that is not a package raises :class:`InputError`
    listing the packages offered; an outcome in ``refuse_outcomes`` raises
    :class:`~mentorcore.errors.RuleError` with the decision's explanation;
    no schedule in force on the date raises
    :class:`~mentorcore.errors.NoValueInForce`. See
    :func:`mentorcore.rules.compiled.compile_pricing`.
    """
    from mentorcore.rules.compiled import compile_pricing

    compiled = compile_pricing(pricing, context, on, decision.program)
    return compiled.quote(person, decision, hours, sheet)
