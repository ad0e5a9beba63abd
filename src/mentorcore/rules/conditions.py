"""Conditions as data, evaluated without ``eval``.

A condition is one of:

* :class:`Compare`: a fact (or a dated parameter) compared with a value by
  one operator: ``equals``, ``not_equals``, ``in``, ``not_in``, ``lt``,
  ``le``, ``gt``, ``ge``, ``contains``;
* :class:`AllOf`, :class:`AnyOf`, :class:`Not`: combinations.

In a TOML or JSON file a condition is a table::

    {all = [
        {fact = "role", equals = "principal", says = "is a lead/head principal"},
        {fact = "school.state", in = ["IL"], says = "works in an Illinois school"},
        {not = {fact = "school.sector", equals = "private", says = "works in a private school"}},
    ]}

:func:`evaluate` returns whether the condition holds and a :class:`Check`
for every comparison evaluated (no short-circuit, so an explanation can name
every check). A value that is not a plain scalar or list is never run.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from mentorcore.errors import Described, InputError, NoValueInForce, RuleError
from mentorcore.periods import SchoolYear

__all__ = [
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Check",
    "Compare",
    "Condition",
    "Not",
    "condition_from_data",
    "condition_to_data",
    "evaluate",
    "leaves",
]


def _contains(left: Any, right: Any) -> bool:
    return isinstance(left, (list, tuple, set, frozenset, str)) and right in left


def _member(left: Any, right: Any) -> bool:
    return isinstance(right, (list, tuple)) and left in right


def _ordered(compare: Callable[[Any, Any], bool]) -> Callable[[Any, Any], bool]:
    def apply(left: Any, right: Any) -> bool:
        if left is None:
            return False
        try:
            return bool(compare(left, right))
        except TypeError as exc:
            raise RuleError(f"cannot compare {left!r} with {right!r}") from exc

    return apply


#: Operator name → (function, words used in an expectation).
OPERATORS: dict[str, tuple[Callable[[Any, Any], bool], str]] = {
    "equals": (operator.eq, "="),
    "not_equals": (operator.ne, "≠"),
    "in": (_member, "one of"),
    "not_in": (lambda a, b: not _member(a, b), "none of"),
    "lt": (_ordered(operator.lt), "<"),
    "le": (_ordered(operator.le), "≤"),
    "gt": (_ordered(operator.gt), ">"),
    "ge": (_ordered(operator.ge), "≥"),
    "contains": (_contains, "includes"),
}

_SCALAR = (bool, int, str, Decimal, dt.date)


def _plain(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value) if value else "nothing"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "unknown"
    return str(value)


@frozen(kw_only=True)
class Check:
    """One comparison as evaluated: what was looked at, its value, the expectation, the result.

    ``says`` is the condition's own words ("works in an Illinois school");
    ``note`` explains a value that could not be known (no parameter value in
    force on the date).
    """

    fact: str
    value: Any
    expectation: str
    passed: bool
    says: str = ""
    note: str = ""

    def sentence(self) -> str:
        """The check in words, for an explanation."""
        if self.note:
            return self.note
        if self.says:
            verdict = "yes" if self.passed else "no"
            return f"{self.says}: {verdict} ({self.fact} is {_plain(self.value)})"
        mark = "as expected" if self.passed else f"expected {self.expectation}"
        return f"{self.fact} is {_plain(self.value)} ({mark})"


@frozen(kw_only=True)
class Compare:
    """A fact, or a dated parameter, compared with a literal value.

    Exactly one of ``fact`` and ``parameter`` is set. ``says`` states the
    condition in plain words. ``unknown`` is the sentence used when the
    parameter has no value in force (``{school_year}`` and ``{date}`` are
    replaced); with it, the check fails with that sentence instead of raising.
    """

    op: str
    value: Any
    fact: str | None = None
    parameter: str | None = None
    says: str = ""
    unknown: str = ""

    def __attrs_post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise InputError(found=self.op, expected=f"one of {', '.join(OPERATORS)}")
        if (self.fact is None) == (self.parameter is None):
            raise InputError(
                found=Described("both or neither of fact, parameter"), expected="exactly one"
            )

    @property
    def subject(self) -> str:
        """The fact or parameter id compared."""
        return self.fact or self.parameter or ""

    def expectation(self) -> str:
        """The expectation in words: ``"one of public, charter"``."""
        return f"{OPERATORS[self.op][1]} {_plain(self.value)}"


@frozen(kw_only=True)
class AllOf:
    """Holds when every condition holds."""

    conditions: tuple[Condition, ...]
    says: str = ""


@frozen(kw_only=True)
class AnyOf:
    """Holds when at least one condition holds."""

    conditions: tuple[Condition, ...]
    says: str = ""


@frozen(kw_only=True)
class Not:
    """Holds when the condition does not."""

    condition: Condition
    says: str = ""


Condition = Compare | AllOf | AnyOf | Not

FactLookup = Callable[[str], Any]
ParameterLookup = Callable[[str, dt.date], Any]


def evaluate(
    condition: Condition,
    facts: FactLookup | Mapping[str, Any],
    on: dt.date,
    parameters: ParameterLookup | None = None,
) -> tuple[bool, list[Check]]:
    """Whether ``condition`` holds, with a :class:`Check` for every comparison.

    ``facts`` maps fact ids to values (a mapping or a lookup function);
    ``parameters`` looks up a dated parameter's value on a date.
    """
    lookup: FactLookup = facts.__getitem__ if isinstance(facts, Mapping) else facts
    checks: list[Check] = []
    result = _evaluate(condition, lookup, on, parameters, checks)
    return result, checks


def _evaluate(
    condition: Condition,
    facts: FactLookup,
    on: dt.date,
    parameters: ParameterLookup | None,
    checks: list[Check],
) -> bool:
    if isinstance(condition, AllOf):
        results = [_evaluate(c, facts, on, parameters, checks) for c in condition.conditions]
        return all(results)
    if isinstance(condition, AnyOf):
        results = [_evaluate(c, facts, on, parameters, checks) for c in condition.conditions]
        return any(results)
    if isinstance(condition, Not):
        return not _evaluate(condition.condition, facts, on, parameters, checks)
    function, _words = OPERATORS[condition.op]
    if condition.fact is not None:
        value = facts(condition.fact)
    else:
        if parameters is None:
            raise RuleError(f"no parameters given to look up {condition.parameter!r}")
        try:
            value = parameters(condition.subject, on)
        except NoValueInForce as missing:
            if not condition.unknown:
                raise
            note = condition.unknown.replace(
                "{school_year}", SchoolYear.containing(on).label
            ).replace("{date}", on.isoformat())
            checks.append(
                Check(
                    fact=condition.subject,
                    value=None,
                    expectation=condition.expectation(),
                    passed=False,
                    says=condition.says,
                    note=f"{note} ({missing})",
                )
            )
            return False
    passed = function(value, condition.value)
    checks.append(
        Check(
            fact=condition.subject,
            value=value,
            expectation=condition.expectation(),
            passed=passed,
            says=condition.says,
        )
    )
    return passed


def leaves(condition: Condition) -> Iterator[Compare]:
    """Every comparison inside ``condition``, in order."""
    if isinstance(condition, (AllOf, AnyOf)):
        for child in condition.conditions:
            yield from leaves(child)
    elif isinstance(condition, Not):
        yield from leaves(condition.condition)
    else:
        yield condition


def _literal(value: Any, path: str) -> Any:
    if isinstance(value, _SCALAR):
        return value
    if isinstance(value, (list, tuple)):
        return tuple(_literal(v, f"{path}[{i}]") for i, v in enumerate(value))
    raise InputError(
        path=path, found=value, expected="text, a number, true/false, a date or a list of them"
    )


_COMBINATIONS = ("all", "any", "not")


def condition_from_data(data: Any, path: str = "") -> Condition:
    """Build a condition from its table form; :class:`InputError` names the path of a fault."""

    def at(key: str) -> str:
        return f"{path}.{key}" if path else key

    if not isinstance(data, Mapping):
        raise InputError(path=path or None, found=data, expected="a condition table")
    says = data.get("says", "")
    if not isinstance(says, str):
        raise InputError(path=at("says"), found=says, expected="text")
    combination = [key for key in _COMBINATIONS if key in data]
    if combination:
        key = combination[0]
        extra = set(data) - {key, "says"}
        if extra or len(combination) > 1:
            raise InputError(
                path=path or None,
                found=Described(f"keys {', '.join(sorted(data))}"),
                expected=f"{key!r} with only 'says' beside it",
            )
        if key == "not":
            return Not(condition=condition_from_data(data["not"], at("not")), says=says)
        children = data[key]
        if not isinstance(children, (list, tuple)) or not children:
            raise InputError(
                path=at(key), found=children, expected="a non-empty list of conditions"
            )
        built = tuple(condition_from_data(c, f"{at(key)}[{i}]") for i, c in enumerate(children))
        return (
            AllOf(conditions=built, says=says)
            if key == "all"
            else AnyOf(conditions=built, says=says)
        )
    subjects = [key for key in ("fact", "parameter") if key in data]
    ops = [key for key in OPERATORS if key in data]
    allowed = {"fact", "parameter", "says", "unknown", *OPERATORS}
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        raise InputError(
            path=at(unexpected[0]),
            found=Described(f"unexpected key {unexpected[0]!r}"),
            expected="one of all, any, not, fact, parameter, says, unknown, "
            + ", ".join(OPERATORS),
        )
    if len(subjects) != 1:
        raise InputError(
            path=path or None,
            found=Described(f"{len(subjects)} of fact/parameter"),
            expected="exactly one of 'fact' or 'parameter' (or all/any/not)",
        )
    if len(ops) != 1:
        raise InputError(
            path=path or None,
            found=Described(f"operators {', '.join(ops) or 'none'}"),
            expected=f"exactly one operator of {', '.join(OPERATORS)}",
        )
    subject_key, op = subjects[0], ops[0]
    subject = data[subject_key]
    if not isinstance(subject, str) or not subject:
        raise InputError(path=at(subject_key), found=subject, expected="a fact or parameter id")
    unknown = data.get("unknown", "")
    if not isinstance(unknown, str):
        raise InputError(path=at("unknown"), found=unknown, expected="text")
    if op in ("in", "not_in") and not isinstance(data[op], (list, tuple)):
        raise InputError(path=at(op), found=data[op], expected="a list of values")
    return Compare(
        op=op,
        value=_literal(data[op], at(op)),
        fact=subject if subject_key == "fact" else None,
        parameter=subject if subject_key == "parameter" else None,
        says=says,
        unknown=unknown,
    )


def condition_to_data(condition: Condition) -> dict[str, Any]:
    """The table form of a condition, as :func:`condition_from_data` reads it."""
    data: dict[str, Any]
    if isinstance(condition, (AllOf, AnyOf)):
        key = "all" if isinstance(condition, AllOf) else "any"
        data = {key: [condition_to_data(c) for c in condition.conditions]}
    elif isinstance(condition, Not):
        data = {"not": condition_to_data(condition.condition)}
    else:
        data = {"fact": condition.fact} if condition.fact else {"parameter": condition.parameter}
        value = condition.value
        data[condition.op] = list(value) if isinstance(value, tuple) else value
        if condition.unknown:
            data["unknown"] = condition.unknown
    if condition.says:
        data["says"] = condition.says
    return data


def describe(condition: Condition, depth: int = 0) -> Sequence[str]:
    """The condition as indented lines of plain words, for ``mentorcore show`` and the docs."""
    pad = "  " * depth
    if isinstance(condition, (AllOf, AnyOf)):
        head = condition.says or ("all of:" if isinstance(condition, AllOf) else "any of:")
        lines = [f"{pad}{head}"]
        for child in condition.conditions:
            lines.extend(describe(child, depth + 1))
        return lines
    if isinstance(condition, Not):
        head = condition.says or "not:"
        return [f"{pad}{head}", *describe(condition.condition, depth + 1)]
    words = condition.says or condition.subject
    return [f"{pad}- {words} ({condition.subject} {condition.expectation()})"]
