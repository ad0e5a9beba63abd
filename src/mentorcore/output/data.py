"""The output converter: every result turned into JSON-ready plain data, one way.

:data:`converter` is configured here and nowhere else. What it writes:

* whole numbers are JSON integers; every other number (hours, averages,
  scores, a ``Decimal`` that is not money) is a JSON number, never text;
* money (a field typed :data:`mentorcore.money.Money`) is decimal text
  (``"1749.00"``), so no reader rounds it;
* dates are ISO text (``"2024-08-01"``); enumerations their value; tuples
  and sets lists; a missing value ``null``;
* an attrs class becomes an object with **every** field (a key is always
  there, ``null`` or empty when it has no value), changed only by the
  :data:`shapes <_SHAPES>` below: a field left out (a log's events inside
  a progress, which would carry the pair's notes), a field replaced (a
  count instead of the cycles), or a key added (a quote's ``outcome``);
* a few results are written as a *view*: an assessment reading as its
  :class:`~mentorcore.assessing.SummaryReading`.

The JSON Schema of :mod:`mentorcore.output.schema` is generated from the
same types and the same shapes, so the two cannot disagree.

Input (files to types) uses :data:`mentorcore.io.converter.converter`: that
one keeps dates as dates and leaves defaults out, for TOML.
"""

from __future__ import annotations

import datetime as dt
import enum
import functools
import json
import typing
from collections.abc import Callable, Mapping
from decimal import Decimal
from typing import Any, get_args

import attrs
import cattrs
from attrs import field, frozen
from cattrs.gen import make_dict_unstructure_fn, override

from mentorcore.money import Money

__all__ = [
    "Computed",
    "OutOfOrderStep",
    "Shape",
    "View",
    "converter",
    "shape_of",
    "to_data",
    "to_json",
    "view_of",
]


@frozen
class Computed:
    """A key of a result's JSON computed from the object: its Python ``type`` and ``get``."""

    type: Any
    get: Callable[[Any], Any]


@frozen
class Shape:
    """How a class's JSON differs from its fields.

    ``keys`` maps a key to the :class:`Computed` value written under it, or
    to ``None`` to leave the field out; ``optional`` names keys that may be
    absent (the schema does not require them); ``finish`` may change the
    finished data (called with the object and its data, returns the data).
    """

    keys: Mapping[str, Computed | None] = field(factory=dict)
    optional: frozenset[str] = frozenset()
    finish: Callable[[Any, dict[str, Any]], dict[str, Any]] | None = None


_PLAIN = Shape()


@frozen
class View:
    """A result written as another type: ``make`` builds the ``type`` it is written as."""

    type: type
    make: Callable[[Any], Any]


@frozen(kw_only=True)
class OutOfOrderStep:
    """A step logged before its prerequisite: the task (or the artifact approved), the date, why.

    ``task`` is ``None`` for an approval logged too early, whose ``approval``
    names the artifact; for a task ``approval`` is ``None``.
    """

    task: str | None
    date: dt.date
    reason: str
    approval: str | None = None


def _number(value: Decimal) -> int | float:
    """A decimal quantity as a JSON number: whole numbers as integers."""
    if value == value.to_integral_value():
        return int(value)
    return float(value)


def _round(value: float | None) -> float | None:
    return None if value is None else round(value, 4)


def _match_for_audience(result: Any, data: dict[str, Any]) -> dict[str, Any]:
    """Only program staff learn which reasons are sensitive (see :mod:`mentorcore.audience`)."""
    from mentorcore.audience import sees_sensitive_criteria

    if not sees_sensitive_criteria(result.audience):
        key = "assignments" if "assignments" in data else "suggestions"
        for assignment in data[key]:
            for reason in assignment["reasons"]:
                reason.pop("sensitive", None)
    return data


def _program_field(name: str, shown: Any) -> Any:
    return getattr(shown.program, name)


def _description_shapes(nodes: tuple[type, ...], shown: type) -> dict[type, Shape]:
    """A program description's blocks carry their ``type``; ``show`` writes the program's
    keys, and the description's ``sections`` beside them."""
    from typing import Literal

    from mentorcore.description import Section
    from mentorcore.programs import Program

    def tag(block: Any) -> str:
        return str(block.type)

    shapes: dict[type, Shape] = {
        node: Shape({"type": Computed(Literal[node.type], tag)})  # type: ignore[attr-defined]
        for node in nodes
    }
    hints = typing.get_type_hints(Program)
    names = [a.name for a in attrs.fields(Program)]
    keys: dict[str, Computed | None] = {"program": None, "description": None}
    for name in names:
        keys[name] = Computed(hints[name], functools.partial(_program_field, name))
    keys["sections"] = Computed(tuple[Section, ...], lambda s: s.description.sections)

    def program_first(_shown: Any, data: dict[str, Any]) -> dict[str, Any]:
        return {key: data[key] for key in [*names, "sections"]}

    shapes[shown] = Shape(keys, finish=program_first)
    return shapes


def _finding_defaults(_finding: Any, data: dict[str, Any]) -> dict[str, Any]:
    if not data.get("defaults"):
        data.pop("defaults", None)
    return data


def _name(cls: type) -> str:
    return f"{cls.__module__}.{cls.__qualname__}"


# Keyed by the class's full name, so that writing one result imports no other
# result's module (a check's JSON does not load matching or descriptions).
_SHAPES: dict[str, Shape] = {
    "mentorcore.rules.pricing.Quote": Shape(
        {
            # The decision is eligibility's result; a quote names its outcome
            # and the outcomes still possible (issue 10: a provisional quote).
            "decision": None,
            "outcome": Computed(str, lambda q: q.decision.outcome),
            "possible": Computed(tuple[str, ...], lambda q: q.decision.possible),
        }
    ),
    # A check's keys are a contract; the defaults it rests on are listed by
    # the decision it belongs to.
    "mentorcore.rules.conditions.Check": Shape({"defaults": None}),
    # Only a finding that rests on a plug-in default carries ``defaults``.
    "mentorcore.rules.requirements.Finding": Shape(
        optional=frozenset({"defaults"}), finish=_finding_defaults
    ),
    "mentorcore.bulk.QuoteFailure": Shape(
        {
            # A row with a quote's keys, empty, so a table of quotes stays square.
            "basis": Computed(None, lambda f: None),
            "amount": Computed(None, lambda f: None),
            "outcome": Computed(None, lambda f: None),
            "explanation": Computed(str, lambda f: f.reason),
            "error": Computed(str, lambda f: f.reason),
            "error_type": Computed(str, lambda f: f.error),
            # Whether it is a refusal or a fault shows in the exit status.
            "refused": None,
        }
    ),
    "mentorcore.bulk.DecisionFailure": Shape(
        {
            # A row with a decision's keys, empty, so a table of decisions stays square.
            "outcome": Computed(None, lambda f: None),
            "eligible": Computed(None, lambda f: None),
            "explanation": Computed(str, lambda f: f.reason),
            "error": Computed(str, lambda f: f.reason),
            "error_type": Computed(str, lambda f: f.error),
        }
    ),
    "mentorcore.process.Progress": Shape(
        {
            # The cycles and out-of-order pairs hold whole events (with the
            # pair's notes): a progress shows counts and tasks only.
            "cycles": Computed(int, lambda p: len(p.cycles)),
            "out_of_order": Computed(
                tuple[OutOfOrderStep, ...],
                lambda p: tuple(
                    OutOfOrderStep(
                        task=getattr(event, "task", None),
                        approval=getattr(event, "approved", None),
                        date=event.date,
                        reason=reason,
                    )
                    for event, reason in p.out_of_order
                ),
            ),
        }
    ),
    "mentorcore.registry.PluginInfo": Shape(
        {"contributed": Computed(int, lambda i: len(i.contributions))}
    ),
    "mentorcore.registry.Conflict": Shape({"reason": Computed(str, lambda c: c.reason)}),
    "mentorcore.matching.engine.Reason": Shape(
        {
            "score": Computed(float | None, lambda r: _round(r.score)),
            "points": Computed(float, lambda r: _round(r.points)),
        },
        optional=frozenset({"sensitive"}),
    ),
    "mentorcore.matching.engine.Assignment": Shape(
        {"score": Computed(float, lambda a: _round(a.score))}
    ),
    "mentorcore.matching.engine.Load": Shape({"load": Computed(int, lambda load: load.load)}),
    "mentorcore.matching.engine.MatchResult": Shape(
        {"total_score": Computed(float, lambda m: _round(m.total_score))},
        finish=_match_for_audience,
    ),
    "mentorcore.matching.suggestions.Suggestion": Shape(
        {"score": Computed(float, lambda s: _round(s.score))}
    ),
    "mentorcore.matching.suggestions.Suggestions": Shape(finish=_match_for_audience),
}


@functools.cache
def _description() -> dict[type, Shape]:
    from mentorcore.description import NODES, ShownProgram

    return _description_shapes(NODES, ShownProgram)


def _summary_view() -> View:
    from mentorcore.assessing import SummaryReading, summary_reading

    return View(SummaryReading, summary_reading)


_VIEWS: dict[str, Callable[[], View]] = {"mentorcore.assessing.AssessmentReading": _summary_view}


def shape_of(cls: type) -> Shape:
    """How ``cls``'s JSON differs from its fields (an empty shape: not at all)."""
    if cls.__module__ == "mentorcore.description":
        return _description().get(cls, _PLAIN)
    return _SHAPES.get(_name(cls), _PLAIN)


def view_of(cls: type) -> View | None:
    """The view ``cls`` is written as, if it is written as another type."""
    make = _VIEWS.get(_name(cls))
    return make() if make is not None else None


converter = cattrs.Converter(
    unstruct_collection_overrides={tuple: list, set: list, frozenset: list}
)
"""The output converter (results to JSON-ready data). Use :func:`to_data`."""

converter.register_unstructure_hook(Decimal, _number)
converter.register_unstructure_hook_func(lambda cls: cls == Money, str)
converter.register_unstructure_hook(dt.date, dt.date.isoformat)
converter.register_unstructure_hook_func(
    lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), lambda e: e.value
)


def _condition(condition: Any) -> Any:
    from mentorcore.rules.conditions import condition_to_data

    return converter.unstructure(condition_to_data(condition))


def _is_condition(cls: Any) -> bool:
    from mentorcore.rules.conditions import Condition

    members = set(get_args(Condition))
    return cls == Condition or (bool(members) and set(get_args(cls)) - {type(None)} == members)


converter.register_unstructure_hook_func(
    _is_condition, lambda c: None if c is None else _condition(c)
)


def _is_event(cls: Any) -> bool:
    from mentorcore.engagements import Event

    return bool(cls == Event)


def _event(event: Any) -> dict[str, Any]:
    data: dict[str, Any] = {"type": event.type}
    data.update(converter.unstructure(event, unstructure_as=type(event)))
    return data


converter.register_unstructure_hook_func(_is_event, _event)


def _attrs_hook(cls: type) -> Callable[[Any], Any]:
    view = view_of(cls)
    if view is not None:
        inner = converter.get_unstructure_hook(view.type)
        return lambda obj: inner(view.make(obj))
    shape = shape_of(cls)
    names = {a.name for a in attrs.fields(cls)}
    overrides = {name: override(omit=True) for name in shape.keys if name in names}
    plain: Callable[[Any], dict[str, Any]] = make_dict_unstructure_fn(
        cls,
        converter,
        **overrides,  # type: ignore[arg-type]
    )
    if shape is _PLAIN:
        return plain
    computed = [(name, key) for name, key in shape.keys.items() if key is not None]
    finish = shape.finish

    def unstructure_shaped(obj: Any) -> dict[str, Any]:
        data: dict[str, Any] = plain(obj)
        for name, key in computed:
            data[name] = converter.unstructure(key.get(obj), key.type)
        return finish(obj, data) if finish is not None else data

    return unstructure_shaped


converter.register_unstructure_hook_factory(attrs.has, _attrs_hook)


def to_data(result: Any) -> Any:
    """``result`` (a decision, a quote, a check, a report, a match, a listing …) as plain data.

    The data is what ``--json`` prints and the HTTP service sends: dicts,
    lists, text, numbers, booleans and ``None`` only, so ``json.dumps``
    needs no help. A list or tuple of results gives a list.

    >>> import datetime as dt
    >>> from decimal import Decimal
    >>> to_data({"on": dt.date(2024, 9, 1), "hours": Decimal("4.50"), "count": 3})
    {'on': '2024-09-01', 'hours': 4.5, 'count': 3}
    """
    return converter.unstructure(result)


def to_json(result: Any, *, indent: int | None = 2) -> str:
    """``result`` as JSON text: :func:`to_data`, dumped."""
    return json.dumps(to_data(result), indent=indent, ensure_ascii=False)
