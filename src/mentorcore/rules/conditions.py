"""Conditions as data, evaluated without ``eval``.

A condition is one of:

* :class:`Compare`: a fact (or a dated parameter) compared with a value by
  one operator: ``equals``, ``not_equals``, ``in``, ``not_in``, ``lt``,
  ``le``, ``gt``, ``ge``, ``contains``;
* :class:`AllOf`, :class:`AnyOf`, :class:`Not`: combinations.

Conditions are three-valued (Kleene's logic): a comparison whose fact or
parameter has no value (a fact that is ``None`` or
:class:`~mentorcore.rules.facts.Unknown`, a parameter with no value in force
on the date) is neither passed nor failed but *unknown* (``None``). ``all``
is false when one part is false, else unknown when one is unknown; ``any``
is true when one part is true, else unknown when one is unknown; ``not``
of unknown is unknown. See :func:`all_of`, :func:`any_of`, :func:`not_of`.

In a TOML or JSON file a condition is a table::

    {all = [
        {fact = "role", equals = "principal", says = "is a lead/head principal"},
        {fact = "school.state", in = ["IL"], says = "works in an Illinois school"},
        {not = {fact = "school.sector", equals = "private", says = "works in a private school"}},
    ]}

Any table may carry a ``source`` (``{ default = true, note = "…" }`` for a
plug-in's reading that the organization's text leaves open): every check it
gives then carries that default, and so does every decision resting on it.

:func:`evaluate` returns whether the condition holds (``True``, ``False`` or
``None`` for unknown) and a :class:`Check` for every comparison evaluated
(no short-circuit, so an explanation can name every check). It runs the one
compiled evaluator, :mod:`mentorcore.rules.compiled`. A value that is not a
plain scalar or list is never run.
"""

from __future__ import annotations

import datetime as dt
import operator
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import frozen

from mentorcore.errors import Described, InputError, RuleError
from mentorcore.provenance import Default, Source, marked

__all__ = [
    "OPERATORS",
    "AllOf",
    "AnyOf",
    "Check",
    "Compare",
    "Condition",
    "Not",
    "Truth",
    "all_of",
    "any_of",
    "condition_from_data",
    "condition_to_data",
    "evaluate",
    "leaves",
    "not_of",
]

#: A condition's or a check's result: ``True``, ``False``, or ``None`` (unknown).
Truth = bool | None


def all_of(values: Iterable[Truth]) -> Truth:
    """Kleene's *and*: false if one is false, else unknown if one is unknown, else true."""
    result: Truth = True
    for value in values:
        if value is False:
            return False
        if value is None:
            result = None
    return result


def any_of(values: Iterable[Truth]) -> Truth:
    """Kleene's *or*: true if one is true, else unknown if one is unknown, else false."""
    result: Truth = False
    for value in values:
        if value is True:
            return True
        if value is None:
            result = None
    return result


def not_of(value: Truth) -> Truth:
    """Kleene's *not*: unknown stays unknown."""
    return None if value is None else not value


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
    """A value in words: a role or sector by its label, a list joined, none for an empty one."""
    if isinstance(value, (list, tuple)):
        return ", ".join(_plain(v) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if value is None:
        return "unknown"
    label = getattr(value, "label", None)
    return label if isinstance(label, str) else str(value)


def _value_words(fact: str, value: Any) -> str:
    """A fact's value in words: a role or a sector by its label ("lead/head principal")."""
    if isinstance(value, str) and fact in ("role", "school.sector"):
        from mentorcore.people import Role, Sector

        kind = Role if fact == "role" else Sector
        try:
            return kind(value).label
        except ValueError:
            return value
    return _plain(value)


def _words(fact: str) -> str:
    """A fact's id in words: ``school.state`` is "school state"."""
    return fact.replace(".", " ").replace("_", " ")


@frozen(kw_only=True)
class Check:
    """One comparison as evaluated: what was looked at, its value, the expectation, the result.

    ``passed`` is ``True``, ``False`` or ``None``: unknown, when the fact or
    parameter has no value (``value`` is then ``None``). ``says`` is the
    condition's own words ("works in an Illinois school"); ``note`` says why
    a value is not known (no parameter value in force on the date, a fact
    not stated). ``defaults`` are the plug-in defaults the check rests on
    (the condition's, the fact's or the parameter value's source).
    """

    fact: str
    value: Any
    expectation: str
    passed: bool | None
    says: str = ""
    note: str = ""
    defaults: tuple[Default, ...] = ()

    def sentence(self) -> str:
        """The check in words, for an explanation (marking any default it rests on)."""
        if self.note:
            text = self.note
        elif self.passed is None:
            if self.says:
                text = f"{self.says}: not known ({_words(self.fact)} unknown)"
            else:
                text = f"{_words(self.fact)} is unknown (expected {self.expectation})"
        elif self.says:
            # In plain words: the condition's own words and, unless it is only
            # yes or no (which the verdict says), the value by its label.
            verdict = "yes" if self.passed else "no"
            shown = (
                ""
                if isinstance(self.value, bool)
                else f" ({_words(self.fact)}: {_value_words(self.fact, self.value)})"
            )
            text = f"{self.says}: {verdict}{shown}"
        else:
            mark = "as expected" if self.passed else f"expected {self.expectation}"
            text = f"{_words(self.fact)} is {_value_words(self.fact, self.value)} ({mark})"
        return marked(text, self.defaults)


@frozen(kw_only=True)
class Compare:
    """A fact, or a dated parameter, compared with a literal value.

    Exactly one of ``fact`` and ``parameter`` is set. ``says`` states the
    condition in plain words. ``unknown`` is the sentence used when the
    parameter has no value in force (``{school_year}`` and ``{date}`` are
    replaced); the check is then unknown, with that sentence. ``source``
    says where the comparison comes from (a default: the plug-in's reading).
    ``on_fact`` (with ``parameter`` only) names a fact whose value is a
    date, such as ``role_started``: the parameter is looked up on that date
    instead of the decision's ("the offer in force when the role started");
    when the fact has no value the check is unknown.
    """

    op: str
    value: Any
    fact: str | None = None
    parameter: str | None = None
    says: str = ""
    unknown: str = ""
    source: Source | None = None
    on_fact: str | None = None

    def __attrs_post_init__(self) -> None:
        if self.op not in OPERATORS:
            raise InputError(found=self.op, expected=f"one of {', '.join(OPERATORS)}")
        if (self.fact is None) == (self.parameter is None):
            raise InputError(
                found=Described("both or neither of fact, parameter"), expected="exactly one"
            )
        if self.on_fact is not None and self.parameter is None:
            raise InputError(
                path="on_fact",
                found=self.on_fact,
                expected="on_fact only beside a parameter (the date to look it up on)",
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
    source: Source | None = None


@frozen(kw_only=True)
class AnyOf:
    """Holds when at least one condition holds."""

    conditions: tuple[Condition, ...]
    says: str = ""
    source: Source | None = None


@frozen(kw_only=True)
class Not:
    """Holds when the condition does not."""

    condition: Condition
    says: str = ""
    source: Source | None = None


Condition = Compare | AllOf | AnyOf | Not

FactLookup = Callable[[str], Any]
ParameterLookup = Callable[[str, dt.date], Any]


def evaluate(
    condition: Condition,
    facts: FactLookup | Mapping[str, Any],
    on: dt.date,
    parameters: ParameterLookup | None = None,
) -> tuple[Truth, list[Check]]:
    """Whether ``condition`` holds (``None``: unknown), with a :class:`Check` per comparison.

    ``facts`` maps fact ids to values (a mapping or a lookup function);
    ``parameters`` looks up a dated parameter's value on a date. The
    condition is compiled by :func:`mentorcore.rules.compiled.compile_condition`
    and run once: the same evaluator every decision uses.
    """
    from mentorcore.rules.compiled import evaluate_once

    return evaluate_once(condition, facts, on, parameters)


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
_SOURCE_TEXT = ("title", "url", "quote", "note")


def _source_from_data(data: Any, path: str) -> Source | None:
    """A condition's ``source`` table (title, url, quote, note, default)."""
    if data is None:
        return None
    if not isinstance(data, Mapping):
        raise InputError(path=path, found=data, expected="a source table")
    unexpected = sorted(set(data) - {*_SOURCE_TEXT, "default"})
    if unexpected:
        raise InputError(
            path=f"{path}.{unexpected[0]}",
            found=Described(f"unexpected key {unexpected[0]!r}"),
            expected="one of title, url, quote, note, default",
        )
    for key in _SOURCE_TEXT:
        if key in data and not isinstance(data[key], str):
            raise InputError(path=f"{path}.{key}", found=data[key], expected="text")
    default = data.get("default", False)
    if not isinstance(default, bool):
        raise InputError(path=f"{path}.default", found=default, expected="true or false")
    return Source(
        title=data.get("title", ""),
        url=data.get("url"),
        quote=data.get("quote"),
        note=data.get("note"),
        default=default,
    )


def _source_to_data(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {
        key: getattr(source, key) for key in _SOURCE_TEXT if getattr(source, key)
    }
    if source.default:
        data["default"] = True
    return data


def condition_from_data(data: Any, path: str = "") -> Condition:
    """Build a condition from its table form; :class:`InputError` names the path of a fault."""

    def at(key: str) -> str:
        return f"{path}.{key}" if path else key

    if not isinstance(data, Mapping):
        raise InputError(path=path or None, found=data, expected="a condition table")
    says = data.get("says", "")
    if not isinstance(says, str):
        raise InputError(path=at("says"), found=says, expected="text")
    source = _source_from_data(data.get("source"), at("source"))
    combination = [key for key in _COMBINATIONS if key in data]
    if combination:
        key = combination[0]
        extra = set(data) - {key, "says", "source"}
        if extra or len(combination) > 1:
            raise InputError(
                path=path or None,
                found=Described(f"keys {', '.join(sorted(data))}"),
                expected=f"{key!r} with only 'says' and 'source' beside it",
            )
        if key == "not":
            return Not(
                condition=condition_from_data(data["not"], at("not")), says=says, source=source
            )
        children = data[key]
        if not isinstance(children, (list, tuple)) or not children:
            raise InputError(
                path=at(key), found=children, expected="a non-empty list of conditions"
            )
        built = tuple(condition_from_data(c, f"{at(key)}[{i}]") for i, c in enumerate(children))
        return (
            AllOf(conditions=built, says=says, source=source)
            if key == "all"
            else AnyOf(conditions=built, says=says, source=source)
        )
    subjects = [key for key in ("fact", "parameter") if key in data]
    ops = [key for key in OPERATORS if key in data]
    allowed = {"fact", "parameter", "says", "unknown", "source", "on_fact", *OPERATORS}
    unexpected = sorted(set(data) - allowed)
    if unexpected:
        raise InputError(
            path=at(unexpected[0]),
            found=Described(f"unexpected key {unexpected[0]!r}"),
            expected="one of all, any, not, fact, parameter, says, unknown, source, on_fact, "
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
    on_fact = data.get("on_fact")
    if on_fact is not None and (
        not isinstance(on_fact, str) or not on_fact or subject_key != "parameter"
    ):
        raise InputError(
            path=at("on_fact"),
            found=on_fact,
            expected="a fact id whose value is a date, beside 'parameter'",
        )
    return Compare(
        op=op,
        value=_literal(data[op], at(op)),
        fact=subject if subject_key == "fact" else None,
        parameter=subject if subject_key == "parameter" else None,
        says=says,
        unknown=unknown,
        source=source,
        on_fact=on_fact,
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
        if condition.on_fact:
            data["on_fact"] = condition.on_fact
    if condition.says:
        data["says"] = condition.says
    if condition.source is not None:
        data["source"] = _source_to_data(condition.source)
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
    when = f" on the date of {condition.on_fact}" if condition.on_fact else ""
    return [f"{pad}- {words} ({condition.subject}{when} {condition.expectation()})"]
