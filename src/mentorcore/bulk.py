"""Decisions and quotes for many people at once, streamed.

A state data warehouse or an association's member system decides about
every leader it knows, every night. :func:`decide_many` and
:func:`quote_many` do the set-up once (the program's rules and pricing
compiled by the one evaluator, :mod:`mentorcore.rules.compiled`, for the
date: dated parameters and the price schedule looked up once) and then
stream one result per person, computing each person's facts once::

    from mentorcore.bulk import decide_many
    from mentorcore.io.loaders import iter_csv_people

    registry = mentorcore.load_registry()
    for decision in decide_many(registry, "ipa", iter_csv_people("leaders.csv"), on=day):
        ...

Every :class:`~mentorcore.rules.eligibility.Decision` is equal to what
``registry.decide(program, person, on, rule=rule, kind=kind)`` returns, and
every :class:`~mentorcore.rules.pricing.Quote` to ``registry.quote(...)``:
they run the same compiled form.
A person who cannot be quoted yields a :class:`QuoteFailure` (their id and
the reason) and the stream goes on. Set-up errors (an unknown program or
rule, no prices, no price schedule on the date, hours that are not a
package) are raised at once, when the function is called.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Literal, TextIO, TypeVar, overload

from attrs import field, frozen

from mentorcore.errors import MentorcoreError, PluginFactError
from mentorcore.io.loaders import iter_csv_people, load_people
from mentorcore.io.sources import file_format
from mentorcore.people import Leader, Mentor, Person
from mentorcore.programs import Program
from mentorcore.rules.compiled import (
    CACHE_LIMIT,  # noqa: F401 - the compiled caches' bound, kept importable from here
    CompiledPricing,
    CompiledRule,
    PersonFacts,
    compile_pricing,
    compile_rule,
)
from mentorcore.rules.eligibility import Decision, RuleContext
from mentorcore.rules.pricing import Quote

if TYPE_CHECKING:
    from mentorcore.registry import Registry

__all__ = [
    "DecisionFailure",
    "QuoteFailure",
    "decide_many",
    "error_kind",
    "iter_people",
    "progress",
    "quote_many",
    "with_people",
]

T = TypeVar("T")


@frozen(kw_only=True)
class QuoteFailure:
    """A person who could not be quoted, and why (the stream of quotes goes on).

    ``error`` names the kind of error (``RuleError``, ``InputError`` …);
    ``reason`` is its message, as :meth:`Registry.quote` would raise it;
    ``currency`` is the program's, where it has prices. ``refused`` is true
    when the person's decision refuses a quote (an answer, such as "not
    eligible"), false when a rule, a plug-in's fact or a price could not be
    evaluated for them (a fault: ``mentorcore quote`` then exits 2, as
    ``eligibility`` does for a :class:`DecisionFailure`).
    """

    program: str
    person: str
    on: dt.date
    hours: int
    reason: str
    error: str = "RuleError"
    currency: str | None = field(default=None, eq=False)
    refused: bool = field(default=False, eq=False)


@frozen(kw_only=True)
class DecisionFailure:
    """A person whose rule could not be evaluated, and why (the stream of decisions goes on).

    :func:`decide_many` yields one with ``failures=True``. ``error`` names
    the kind of error (``RuleError`` for a rule, or a plug-in's fact, that
    could not be evaluated; see :func:`error_kind`); ``reason`` is its
    message, as :meth:`Registry.decide` would raise it (it names the
    plug-in, the fact and the person).
    """

    program: str
    person: str
    on: dt.date
    reason: str
    error: str = "RuleError"


def error_kind(exc: MentorcoreError) -> str:
    """The kind of error a failure row names: its class name, except that a
    plug-in's fact that failed (:class:`~mentorcore.errors.PluginFactError`)
    is the kind ``RuleError`` (a rule that could not be evaluated); its
    message names the plug-in."""
    return "RuleError" if isinstance(exc, PluginFactError) else type(exc).__name__


def _program(registry: Registry, program: str | Program) -> Program:
    return program if isinstance(program, Program) else registry.program(program)


@overload
def decide_many(
    registry: Registry,
    program: str | Program,
    people: Iterable[Person],
    on: dt.date | None = None,
    *,
    rule: str | None = None,
    kind: str | None = None,
    failures: Literal[False] = False,
) -> Iterator[Decision]: ...


@overload
def decide_many(
    registry: Registry,
    program: str | Program,
    people: Iterable[Person],
    on: dt.date | None = None,
    *,
    rule: str | None = None,
    kind: str | None = None,
    failures: bool,
) -> Iterator[Decision | DecisionFailure]: ...


def decide_many(
    registry: Registry,
    program: str | Program,
    people: Iterable[Person],
    on: dt.date | None = None,
    *,
    rule: str | None = None,
    kind: str | None = None,
    failures: bool = False,
) -> Iterator[Decision | DecisionFailure]:
    """Decide eligibility for every person of ``people`` on ``on`` (default today), streamed.

    Without ``rule``, each person gets the program's first rule for their
    side (leader or mentor) and ``kind``, as :meth:`Registry.decide` picks
    it. An unknown program or rule raises here, before any person is read;
    a fact that cannot be computed for a person raises
    :class:`~mentorcore.errors.RuleError` (a plug-in's fact:
    :class:`~mentorcore.errors.PluginFactError`, which is one) when that
    person is reached; with ``failures=True`` that person yields a
    :class:`DecisionFailure` instead and the stream goes on. A person that
    cannot be read (a bad input row) still raises: that is input, not a rule.
    """
    prog = _program(registry, program)
    day = on or dt.date.today()
    context = registry.context(prog)
    fixed = compile_rule(prog.rule(rule), context, day, prog.id) if rule is not None else None
    return _decisions(prog, people, day, kind, fixed, context, failures)


def _decisions(
    prog: Program,
    people: Iterable[Person],
    day: dt.date,
    kind: str | None,
    fixed: CompiledRule | None,
    context: RuleContext,
    failures: bool,
) -> Iterator[Decision | DecisionFailure]:
    by_side: dict[str, CompiledRule] = {}
    for person in people:
        compiled = fixed
        if compiled is None:
            side = "mentor" if isinstance(person, Mentor) else "leader"
            compiled = by_side.get(side)
            if compiled is None:
                compiled = compile_rule(
                    prog.rule(None, subject=side, kind=kind), context, day, prog.id
                )
                by_side[side] = compiled
        if not failures:
            yield compiled.decide(person)
            continue
        try:
            decision = compiled.decide(person)
        except MentorcoreError as exc:
            yield DecisionFailure(
                program=prog.id, person=person.id, on=day, reason=str(exc), error=error_kind(exc)
            )
        else:
            yield decision


class _Quoting:
    """Quotes of one package for many people: the compiled rule and pricing, set up once."""

    def __init__(self, prog: Program, context: RuleContext, day: dt.date, hours: int) -> None:
        pricing = prog.pricing
        if pricing is None:
            raise MentorcoreError(f"program {prog.id!r} has no prices")
        self.program = prog.id
        self.day = day
        self.hours = hours
        self.rule: CompiledRule = compile_rule(
            prog.rule(pricing.eligibility), context, day, prog.id
        )
        self.pricing: CompiledPricing = compile_pricing(pricing, context, day, prog.id)
        self.pricing.package(hours)  # hours that are no package: raised before any person
        self.facts = context.facts
        self.currency = pricing.table.currency
        self.refuse_outcomes = frozenset(pricing.refuse_outcomes)

    def quote(self, person: Person) -> Quote | QuoteFailure:
        decision: Decision | None = None
        try:
            sheet = PersonFacts(person, self.day, self.facts)
            decision = self.rule.decide(person, sheet)
            return self.pricing.quote(person, decision, self.hours, sheet)
        except MentorcoreError as exc:
            return QuoteFailure(
                program=self.program,
                person=person.id,
                on=self.day,
                hours=self.hours,
                reason=str(exc),
                error=error_kind(exc),
                currency=self.currency,
                # The pricing refuses such an outcome before anything else can fail.
                refused=decision is not None and decision.outcome in self.refuse_outcomes,
            )


def quote_many(
    registry: Registry,
    program: str | Program,
    people: Iterable[Person],
    hours: int,
    on: dt.date | None = None,
) -> Iterator[Quote | QuoteFailure]:
    """Quote a package of ``hours`` for every person of ``people`` on ``on``, streamed.

    Each :class:`~mentorcore.rules.pricing.Quote` equals
    ``registry.quote(program, person, hours, on)``. A person who cannot be
    quoted (their decision refuses a quote, or a fact cannot be computed)
    yields a :class:`QuoteFailure` instead, and the stream goes on. A
    program with no prices, no price schedule in force on the date, or no
    package of ``hours`` raises here, before any person is read.
    """
    prog = _program(registry, program)
    day = on or dt.date.today()
    compiled = _Quoting(prog, registry.context(prog), day, hours)
    return map(compiled.quote, people)


def iter_people(path: str | Path, format: str | None = None) -> Iterator[Leader | Mentor]:
    """The people of a file one at a time: a CSV file is read row by row as it is
    consumed; a TOML or JSON file is read whole (its format has no rows), then yielded.

    ``path`` may be ``-`` (standard input); the format is ``format``, else
    the suffix, else recognised from the content. Errors are those of
    :func:`~mentorcore.io.loaders.load_people`; for CSV a row's error is
    raised when that row is reached, naming its line and column. A Parquet
    file (the optional extra ``tables``) is read batch by batch, its rows as
    CSV rows (:func:`mentorcore.tables.iter_table_people`).
    """
    if format is None and Path(path).suffix.lower() == ".parquet":
        from mentorcore.tables import iter_table_people, read_people_batches

        return iter_table_people(read_people_batches(path), name=str(path))
    if file_format(path, format) == "csv":
        return iter_csv_people(path)
    return iter(load_people(path, format))


P = TypeVar("P", bound=Person)
R = TypeVar("R")


def with_people(
    people: Iterable[P], stream: Callable[[Iterable[P]], Iterable[R]]
) -> Iterator[tuple[P, R]]:
    """Each result of ``stream(people)`` beside the person it is for, still streamed.

    ``stream`` must take one person per result, in order, as
    :func:`decide_many` and :func:`quote_many` do::

        for person, decision in with_people(rows, lambda p: decide_many(registry, "ipa", p, day)):
            print(person.name, decision.outcome)
    """
    current: list[P] = []

    def remember() -> Iterator[P]:
        for person in people:
            current[:] = [person]
            yield person

    for result in stream(remember()):
        yield current[0], result


def progress(
    items: Iterable[T],
    stream: TextIO | None = None,
    *,
    label: str = "people",
    every: float = 0.5,
    clock: Callable[[], float] = time.monotonic,
) -> Iterator[T]:
    """Pass ``items`` through, writing a running count to ``stream`` (default stderr).

    The count is rewritten in place (``\\r``) at most every ``every``
    seconds, and a final line is written at the end. Use it only when the
    stream is a terminal: ``progress(rows) if sys.stderr.isatty() else rows``.
    """
    out = stream if stream is not None else sys.stderr
    started = clock()
    shown = started
    count = 0
    try:
        for count, item in enumerate(items, 1):
            now = clock()
            if now - shown >= every:
                shown = now
                rate = count / (now - started) if now > started else 0.0
                out.write(f"\r{count:,} {label} ({rate:,.0f}/s)")
                out.flush()
            yield item
    finally:
        elapsed = clock() - started
        out.write(f"\r{count:,} {label} in {elapsed:.1f} s\n")
        out.flush()
