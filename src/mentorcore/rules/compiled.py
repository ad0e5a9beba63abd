"""Rules compiled once per program and date, for deciding about many people.

:mod:`mentorcore.rules.conditions` interprets a condition tree for every
person; this module turns it into closures once, for one date:

* a comparison with a dated parameter is looked up once (the value is the
  same for everyone on that date) and its :class:`~mentorcore.rules.conditions.Check`
  is built once;
* a comparison with a fact keeps the :class:`Check` it built for each value
  seen (a value of a plain, hashable type), so a thousand people in the same
  role share one ``Check``; the comparison itself runs once per value;
* the explanation of a decision is worded once per distinct trace of
  checks, by the interpreter itself (so the two cannot drift apart), and
  reused for every person whose checks are the same.

The results are equal, field by field, to what
:func:`mentorcore.rules.eligibility.decide` and
:func:`mentorcore.rules.pricing.price` return: the same checks in the same
order (no short-circuit), the same sentences, and the same errors, raised at
the same point (a fact that cannot be computed, a parameter with no value in
force and no ``unknown`` sentence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterator
from typing import Any

from mentorcore.errors import NoValueInForce, RuleError
from mentorcore.people import Person
from mentorcore.periods import SchoolYear
from mentorcore.rules.conditions import (
    OPERATORS,
    AllOf,
    AnyOf,
    Check,
    Compare,
    Condition,
    Not,
    leaves,
)
from mentorcore.rules.eligibility import Decision, EligibilityRule, RuleContext, decide
from mentorcore.rules.facts import FactSheet

__all__ = [
    "CACHE_LIMIT",
    "CompiledCondition",
    "CompiledRule",
    "Facts",
    "PersonFacts",
    "compile_condition",
]


# Checks are shared between people whose fact has an equal value of the same
# type, for types whose equal values always print the same. (Decimal and
# float are left out: Decimal("1.0") == Decimal("1") and 0.0 == -0.0, yet
# they print differently; a tuple only when it holds text.)
_INTERNED_TYPES = (str, bool, int, type(None), dt.date)

#: Bound on the checks kept per comparison and on the explanations kept per
#: rule, so that a fact with a value per person (a start date) cannot grow
#: memory without limit; beyond it, checks are simply built afresh.
CACHE_LIMIT = 4096


#: The facts of one person on one date (the interpreter's own type).
PersonFacts = FactSheet


#: What a compiled condition reads a person's facts from.
Facts = PersonFacts

#: A compiled condition: appends one :class:`Check` per comparison to the
#: list it is given, in the interpreter's order, and returns whether it holds.
CompiledCondition = Callable[[Facts, list[Check]], bool]


Leaf = Callable[[Facts], Check]


_MISSING: Any = object()


def _fact_leaf(leaf: Compare, context: RuleContext) -> Leaf:
    function = OPERATORS[leaf.op][0]
    expected = leaf.value
    fact_id = leaf.subject
    expectation = leaf.expectation()
    says = leaf.says
    fact = context.facts.get(fact_id)
    compute = fact.function if fact is not None else None
    get = dict.get
    # type -> value -> the check built for it
    seen: dict[type, dict[Any, Check]] = {kind: {} for kind in (*_INTERNED_TYPES, tuple)}

    def check(facts: Facts) -> Check:
        value = get(facts, fact_id, _MISSING)
        if value is _MISSING:
            if compute is None:
                value = facts[fact_id]  # an unknown fact: PersonFacts raises as FactSheet does
            else:
                # PersonFacts.__missing__ inlined: this runs for every person
                try:
                    value = compute(facts.person, facts.on)
                except Exception as exc:
                    raise RuleError(
                        f"fact {fact_id!r} could not be computed for {facts.person.id!r} "
                        f"on {facts.on}: {exc}"
                    ) from exc
                facts[fact_id] = value
        kind = type(value)
        table = seen.get(kind)
        if table is not None and (kind is not tuple or all(type(v) is str for v in value)):
            found = table.get(value)
            if found is not None:
                return found
        else:
            table = None
        made = Check(
            fact=fact_id,
            value=value,
            expectation=expectation,
            passed=function(value, expected),
            says=says,
        )
        if table is not None and len(table) < CACHE_LIMIT:
            table[value] = made
        return made

    return check


def _parameter_leaf(leaf: Compare, context: RuleContext, on: dt.date) -> Leaf:
    function = OPERATORS[leaf.op][0]
    try:
        value = context.parameter_value(leaf.subject, on)
        made = Check(
            fact=leaf.subject,
            value=value,
            expectation=leaf.expectation(),
            passed=function(value, leaf.value),
            says=leaf.says,
        )
    except NoValueInForce as missing:
        if not leaf.unknown:
            return _raising(leaf, context, on)
        note = leaf.unknown.replace("{school_year}", SchoolYear.containing(on).label).replace(
            "{date}", on.isoformat()
        )
        made = Check(
            fact=leaf.subject,
            value=None,
            expectation=leaf.expectation(),
            passed=False,
            says=leaf.says,
            note=f"{note} ({missing})",
        )
    except RuleError:
        return _raising(leaf, context, on)

    def check(_facts: Facts) -> Check:
        return made

    return check


def _raising(leaf: Compare, context: RuleContext, on: dt.date) -> Leaf:
    """A comparison whose evaluation fails: fail the same way, at the same point, each time."""
    function = OPERATORS[leaf.op][0]

    def check(_facts: Facts) -> Check:
        value = context.parameter_value(leaf.subject, on)
        function(value, leaf.value)
        raise RuleError(  # pragma: no cover - the lines above raise
            f"parameter {leaf.subject!r} could not be evaluated on {on}"
        )

    return check


def _truth(condition: Condition, passed: Iterator[bool]) -> bool:
    """Whether ``condition`` holds, given its comparisons' results in order (all consumed)."""
    if isinstance(condition, (AllOf, AnyOf)):
        results = [_truth(c, passed) for c in condition.conditions]
        return all(results) if isinstance(condition, AllOf) else any(results)
    if isinstance(condition, Not):
        return not _truth(condition.condition, passed)
    return next(passed)


def compile_condition(condition: Condition, context: RuleContext, on: dt.date) -> CompiledCondition:
    """Compile ``condition`` for the date ``on`` into a closure.

    The closure takes a person's :data:`Facts` and a list, appends a
    :class:`Check` per comparison exactly as
    :func:`mentorcore.rules.conditions.evaluate` would (every comparison,
    in order: the interpreter does not short-circuit, so that an explanation
    can name every check), and returns whether the condition holds.
    """
    compiled = tuple(
        _fact_leaf(leaf, context) if leaf.fact is not None else _parameter_leaf(leaf, context, on)
        for leaf in leaves(condition)
    )
    # ids of the checks -> (the checks, kept alive so their ids stay theirs; the truth)
    known: dict[tuple[int, ...], tuple[tuple[Check, ...], bool]] = {}

    def run(facts: Facts, out: list[Check]) -> bool:
        checks = [leaf(facts) for leaf in compiled]
        out.extend(checks)
        key = tuple(map(id, checks))
        hit = known.get(key)
        if hit is not None:
            return hit[1]
        held = _truth(condition, (c.passed for c in checks))
        if len(known) < CACHE_LIMIT:
            known[key] = (tuple(checks), held)
        return held

    return run


class CompiledRule:
    """An eligibility rule compiled for one program, context and date.

    :meth:`decide` returns a :class:`Decision` equal to
    ``decide(rule, person, on, context, program)``.
    """

    __slots__ = ("_explained", "_outcomes", "context", "on", "program", "rule")

    def __init__(
        self, rule: EligibilityRule, context: RuleContext, on: dt.date, program: str = ""
    ) -> None:
        self.rule = rule
        self.context = context
        self.on = on
        self.program = program
        self._outcomes = tuple(
            (o, None if o.when is None else compile_condition(o.when, context, on))
            for o in rule.outcomes
        )
        # (outcome index, ids of the checks) -> (checks, explanation); the
        # tuple of checks is kept alive with the entry, so an id in a key
        # always denotes the very object stored beside it.
        self._explained: dict[tuple[int, ...], tuple[tuple[Check, ...], str]] = {}

    def sheet(self, person: Person) -> PersonFacts:
        """A fresh sheet of the person's facts on the rule's date."""
        return PersonFacts(person, self.on, self.context.facts)

    def decide(self, person: Person, sheet: Facts | None = None) -> Decision:
        """The decision for ``person``; ``sheet`` shares computed facts with other rules."""
        facts = sheet if sheet is not None else PersonFacts(person, self.on, self.context.facts)
        trace: list[Check] = []
        for index, (outcome, condition) in enumerate(self._outcomes):
            if condition is not None and not condition(facts, trace):
                continue
            key = (index, *map(id, trace))
            entry = self._explained.get(key)
            if entry is None:
                # A trace not seen yet: the interpreter words it (so the two
                # can never drift apart), and its wording is kept for the next
                # person with the same trace.
                decision = decide(self.rule, person, self.on, self.context, self.program)
                if decision.outcome != outcome.id or decision.checks != tuple(trace):
                    return decision  # pragma: no cover - the interpreter is the reference
                entry = (tuple(trace), decision.explanation)
                if len(self._explained) < CACHE_LIMIT:
                    self._explained[key] = entry
            return Decision(
                program=self.program,
                rule=self.rule.id,
                person=person.id,
                on=self.on,
                outcome=outcome.id,
                title=outcome.title,
                eligible=outcome.eligible,
                checks=entry[0],
                explanation=entry[1],
            )
        raise RuleError(f"rule {self.rule.id!r} reached no outcome")  # pragma: no cover - validated
