"""JSON Schema (draft 2020-12) of results, generated from their types.

:func:`json_schema` walks a result type's annotations (attrs fields and
``typing``: unions, optionals, tuples, dicts, enums, :data:`~mentorcore.money.Money`)
with the shapes and views of :mod:`mentorcore.output.data`, so the schema
says exactly what :func:`~mentorcore.output.to_data` writes: every key of an
object is required (``null`` where it has no value) and no other key is
allowed. Each attrs class is one entry of ``$defs``; ``ref_prefix`` lets an
OpenAPI description put them under ``#/components/schemas/`` instead.

:func:`command_schema` gives the schema of one command's ``--json`` output;
:func:`command_results` names the result type of each command.

Why a small generator rather than a library: the schema must follow the
converter's own rules (money as text, decimals as numbers, the shapes), which
a generic attrs or dataclass schema library does not know.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any, get_args, get_origin, get_type_hints

import attrs

from mentorcore.errors import UnknownIdError
from mentorcore.money import Money
from mentorcore.output.data import shape_of, view_of

__all__ = ["DIALECT", "command_results", "command_schema", "json_schema"]

#: The JSON Schema dialect of every schema here.
DIALECT = "https://json-schema.org/draft/2020-12/schema"

#: Decimal text, as money is written.
MONEY_PATTERN = r"^-?[0-9]+(\.[0-9]+)?$"


def command_results() -> dict[str, Any]:
    """The type of each command's ``--json`` output (a list type for a list)."""
    from mentorcore.assessing import AssessmentReading
    from mentorcore.bulk import DecisionFailure, QuoteFailure
    from mentorcore.checking import EngagementCheck
    from mentorcore.description import ShownProgram
    from mentorcore.listing import ProgramListing
    from mentorcore.matching.engine import MatchResult
    from mentorcore.matching.suggestions import Suggestions
    from mentorcore.reports import Report
    from mentorcore.rules.eligibility import Decision
    from mentorcore.rules.pricing import Quote

    return {
        "programs": ProgramListing,
        "show": ShownProgram,
        "eligibility": list[Decision | DecisionFailure],
        "quote": list[Quote | QuoteFailure],
        "check": EngagementCheck,
        "assess": AssessmentReading,
        "report": Report,
        "match": MatchResult,
        "suggest": Suggestions,
    }


class _Builder:
    def __init__(self, ref_prefix: str) -> None:
        self.ref_prefix = ref_prefix
        self.defs: dict[str, dict[str, Any]] = {}
        self.names: dict[type, str] = {}

    def schema(self, tp: Any) -> dict[str, Any]:
        if tp is Any or tp is object:
            return {}
        if tp is None or tp is type(None):
            return {"type": "null"}
        if tp == Money:
            return {"type": "string", "pattern": MONEY_PATTERN}
        origin = get_origin(tp)
        if origin is typing.Annotated:
            return self.schema(get_args(tp)[0])
        if origin is typing.ClassVar:
            return self.schema(get_args(tp)[0])
        if tp is bool:
            return {"type": "boolean"}
        if tp is int:
            return {"type": "integer"}
        if tp in (float, Decimal):
            return {"type": "number"}
        if tp is str:
            return {"type": "string"}
        if tp is dt.date:
            return {"type": "string", "format": "date"}
        if isinstance(tp, type) and issubclass(tp, enum.Enum):
            values = [member.value for member in tp]
            kind = "string" if all(isinstance(v, str) for v in values) else None
            return {"type": kind, "enum": values} if kind else {"enum": values}
        if origin in (types.UnionType, typing.Union):
            return self._union(tp)
        if origin is typing.Literal:
            return {"enum": list(get_args(tp))}
        if origin in (tuple, list, set, frozenset, Sequence) or tp in (tuple, list, set):
            return self._array(tp, origin)
        if origin in (dict, Mapping) or tp is dict:
            args = get_args(tp)
            value = self.schema(args[1]) if len(args) == 2 else {}
            return {"type": "object", "additionalProperties": value}
        if isinstance(tp, type) and attrs.has(tp):
            return self._attrs(tp)
        raise TypeError(f"no JSON Schema for {tp!r}")

    def _union(self, tp: Any) -> dict[str, Any]:
        from mentorcore.engagements import EVENT_TYPES, Event
        from mentorcore.rules.conditions import Condition

        members = get_args(tp)
        conditions = set(get_args(Condition))
        if set(members) - {type(None)} == conditions:
            condition = {"type": "object", "description": "a condition, as written in files"}
            return {"anyOf": [condition, {"type": "null"}]} if type(None) in members else condition
        if tp == Event:
            return {"anyOf": [self._event(cls) for cls in EVENT_TYPES.values()]}
        return {"anyOf": [self.schema(member) for member in members]}

    def _event(self, cls: Any) -> dict[str, Any]:
        body = self._object(cls)
        body["properties"] = {"type": {"const": cls.type}, **body["properties"]}
        body["required"] = ["type", *body["required"]]
        return body

    def _array(self, tp: Any, origin: Any) -> dict[str, Any]:
        args = get_args(tp)
        if origin is tuple and args and not (len(args) == 2 and args[1] is Ellipsis):
            items = [self.schema(arg) for arg in args]
            return {
                "type": "array",
                "prefixItems": items,
                "items": False,
                "minItems": len(items),
            }
        element = args[0] if args else Any
        return {"type": "array", "items": self.schema(element)}

    def _attrs(self, cls: type) -> dict[str, Any]:
        view = view_of(cls)
        if view is not None:
            return self.schema(view.type)
        name = self.names.get(cls)
        if name is None:
            name = cls.__name__
            taken = set(self.names.values())
            counter = 2
            while name in taken:
                name = f"{cls.__name__}{counter}"
                counter += 1
            self.names[cls] = name
            self.defs[name] = {}  # a placeholder, so a recursive type refers to itself
            self.defs[name] = self._object(cls)
        return {"$ref": f"{self.ref_prefix}{name}"}

    def _object(self, cls: type) -> dict[str, Any]:
        hints = get_type_hints(cls, include_extras=True)
        shape = shape_of(cls)
        properties: dict[str, Any] = {}
        for field in attrs.fields(cls):
            if field.name in shape.keys:
                continue
            properties[field.name] = self.schema(hints.get(field.name, Any))
        for key, computed in shape.keys.items():
            if computed is not None:
                properties[key] = self.schema(computed.type)
        body: dict[str, Any] = {"type": "object", "title": cls.__name__}
        doc = (cls.__doc__ or "").strip().split("\n\n")[0]
        if doc:
            body["description"] = " ".join(doc.split())
        body["properties"] = properties
        body["required"] = [key for key in properties if key not in shape.optional]
        body["additionalProperties"] = False
        return body


def json_schema(
    result_type: Any, *, title: str | None = None, ref_prefix: str = "#/$defs/"
) -> dict[str, Any]:
    """The JSON Schema (draft 2020-12) of ``to_data`` of a ``result_type``.

    ``result_type`` is a result class (``Decision``), a list of one
    (``list[Decision]``) or a union. The schema is self-contained: classes
    are under ``$defs``, referred to as ``ref_prefix`` + name (pass
    ``"#/components/schemas/"`` and move ``$defs`` there for OpenAPI 3.1).
    """
    builder = _Builder(ref_prefix)
    root = builder.schema(result_type)
    schema: dict[str, Any] = {"$schema": DIALECT}
    if title:
        schema["title"] = title
    schema.update(root)
    if builder.defs:
        schema["$defs"] = builder.defs
    return schema


def command_schema(command: str) -> dict[str, Any]:
    """The JSON Schema of ``mentorcore COMMAND --json``; each ``--jsonl`` line is its ``items``."""
    results = command_results()
    if command not in results:
        raise UnknownIdError("command with JSON output", command, sorted(results))
    return json_schema(results[command], title=f"mentorcore {command} --json")
