"""Rules compiled once per program and date, for deciding about many people.

:mod:`mentorcore.rules.conditions` interprets a condition tree for every
person; this module turns it into closures once, for one date:

* a comparison with a dated parameter is looked up once (the value is the
  same for everyone on that date) and its :class:`~mentorcore.rules.conditions.Check`
  is built once;
* a comparison with a fact keeps the :class:`Check` it built for each value
  seen (a value of a plain, hashable type), so a thousand people in the same
  role share one ``Check``; the comparison itself runs once per value;
* the explanation of a decision is built once per distinct trace of checks.

The results are equal, field by field, to what
:func:`mentorcore.rules.eligibility.decide` and
:func:`mentorcore.rules.pricing.price` return: the same checks in the same
order (no short-circuit), the same sentences, and the same errors, raised at
the same point (a fact that cannot be computed, a parameter with no value in
force and no ``unknown`` sentence).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable
from typing import Any

from mentorcore.errors import NoValueInForce, RuleError
from mentorcore.people import Person
from mentorcore.periods import SchoolYear
from mentorcore.rules.conditions import OPERATORS, AllOf, AnyOf, Check, Compare, Condition, Not
from mentorcore.rules.eligibility import Decision, EligibilityRule, RuleContext
from mentorcore.rules.facts import FactSheet

__all__ = ["CompiledCondition", "CompiledRule", "compile_condition"]

#: A compiled condition: appends one :class:`Check` per comparison to the
#: list it is given, in the interpreter's order, and returns whether it holds.
CompiledCondition = Callable[[FactSheet, list[Check]], bool]

# Values of these types are interned by (type, value): equal values of the
# same type always print the same, so their checks are interchangeable.
# (Decimal is left out: Decimal("1.0") == Decimal("1") but prints differently.)
_INTERNED_TYPES = frozenset({str, bool, int, type(None), dt.date})

#: Bound on the checks kept per comparison and on the explanations kept per
#: rule, so that a fact with a value per person (a start date) cannot grow
#: memory without limit; beyond it, checks are simply built afresh.
CACHE_LIMIT = 4096


def _intern_key(value: Any) -> tuple[type, Any] | None:
    kind = type(value)
    if kind in _INTERNED_TYPES:
        return (kind, value)
    if kind is tuple and all(type(v) is str for v in value):
        return (kind, value)
    return None


def _fact_leaf(leaf: Compare) -> CompiledCondition:
    function = OPERATORS[leaf.op][0]
    expected = leaf.value
    fact_id = leaf.subject
    expectation = leaf.expectation()
    says = leaf.says
    seen: dict[tuple[type, Any], Check] = {}

    def run(sheet: FactSheet, out: list[Check]) -> bool:
        value = sheet[fact_id]
        key = _intern_key(value)
        if key is not None:
            found = seen.get(key)
            if found is not None:
                out.append(found)
                return found.passed
        passed = function(value, expected)
        check = Check(fact=fact_id, value=value, expectation=expectation, passed=passed, says=says)
        if key is not None and len(seen) < CACHE_LIMIT:
            seen[key] = check
        out.append(check)
        return passed

    return run


def _parameter_leaf(leaf: Compare, context: RuleContext, on: dt.date) -> CompiledCondition:
    function = OPERATORS[leaf.op][0]
    try:
        value = context.parameter_value(leaf.subject, on)
        passed = function(value, leaf.value)
        check = Check(
            fact=leaf.subject,
            value=value,
            expectation=leaf.expectation(),
            passed=passed,
            says=leaf.says,
        )
    except NoValueInForce as missing:
        if not leaf.unknown:
            return _raising(leaf, context, on)
        note = leaf.unknown.replace("{school_year}", SchoolYear.containing(on).label).replace(
            "{date}", on.isoformat()
        )
        check = Check(
            fact=leaf.subject,
            value=None,
            expectation=leaf.expectation(),
            passed=False,
            says=leaf.says,
            note=f"{note} ({missing})",
        )
    except RuleError:
        return _raising(leaf, context, on)

    def run(_sheet: FactSheet, out: list[Check]) -> bool:
        out.append(check)
        return check.passed

    return run


def _raising(leaf: Compare, context: RuleContext, on: dt.date) -> CompiledCondition:
    """A comparison whose evaluation fails: fail the same way, at the same point, each time."""
    function = OPERATORS[leaf.op][0]

    def run(_sheet: FactSheet, _out: list[Check]) -> bool:
        value = context.parameter_value(leaf.subject, on)
        function(value, leaf.value)
        raise RuleError(
            f"parameter {leaf.subject!r} could not be evaluated on {on}"
        )  # pragma: no cover

    return run


def compile_condition(condition: Condition, context: RuleContext, on: dt.date) -> CompiledCondition:
    """Compile ``condition`` for the date ``on`` into a closure.

    The closure takes a person's :class:`FactSheet` and a list, appends a
    :class:`Check` per comparison exactly as
    :func:`mentorcore.rules.conditions.evaluate` would, and returns whether
    the condition holds.
    """
    if isinstance(condition, (AllOf, AnyOf)):
        children = tuple(compile_condition(c, context, on) for c in condition.conditions)
        if isinstance(condition, AllOf):

            def all_of(sheet: FactSheet, out: list[Check]) -> bool:
                held = True
                for child in children:
                    if not child(sheet, out):
                        held = False
                return held

            return all_of

        def any_of(sheet: FactSheet, out: list[Check]) -> bool:
            held = False
            for child in children:
                if child(sheet, out):
                    held = True
            return held

        return any_of
    if isinstance(condition, Not):
        inner = compile_condition(condition.condition, context, on)

        def negation(sheet: FactSheet, out: list[Check]) -> bool:
            return not inner(sheet, out)

        return negation
    if condition.fact is not None:
        return _fact_leaf(condition)
    return _parameter_leaf(condition, context, on)


def _sentences(checks: list[Check] | tuple[Check, ...]) -> str:
    return "; ".join(c.sentence() for c in checks)


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

    def sheet(self, person: Person) -> FactSheet:
        """A fresh sheet of the person's facts on the rule's date."""
        return FactSheet(person, self.on, self.context.facts)

    def decide(self, person: Person, sheet: FactSheet | None = None) -> Decision:
        """The decision for ``person``; ``sheet`` shares computed facts with other rules."""
        facts = sheet if sheet is not None else FactSheet(person, self.on, self.context.facts)
        trace: list[Check] = []
        for index, (outcome, condition) in enumerate(self._outcomes):
            if condition is not None and not condition(facts, trace):
                continue
            key = (index, *map(id, trace))
            entry = self._explained.get(key)
            if entry is None:
                entry = (tuple(trace), self._explain(index, trace))
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

    def _explain(self, reached: int, trace: list[Check]) -> str:
        """The explanation :func:`~mentorcore.rules.eligibility.decide` writes for this trace."""
        start = 0
        ruled_out: list[str] = []
        outcome = self.rule.outcomes[reached]
        for earlier in self.rule.outcomes[:reached]:
            assert earlier.when is not None
            width = _width(earlier.when)
            failed = [c for c in trace[start : start + width] if not c.passed]
            ruled_out.append(f"Not {earlier.title.lower()}: " + _sentences(failed) + ".")
            start += width
        reasons = _sentences(trace[start:])
        parts = [f"{outcome.title}.", *ruled_out]
        if reasons:
            parts.append(f"{outcome.title} because: {reasons}.")
        return " ".join(parts)


def _width(condition: Condition) -> int:
    """How many checks evaluating ``condition`` appends (one per comparison, always)."""
    if isinstance(condition, (AllOf, AnyOf)):
        return sum(_width(c) for c in condition.conditions)
    if isinstance(condition, Not):
        return _width(condition.condition)
    return 1
