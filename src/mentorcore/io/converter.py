"""The one cattrs converter of the library, and its error reporting.

The converter is strict: a misspelled key is an error
(``forbid_extra_keys``), text is not silently turned into numbers or lists,
money is :class:`~decimal.Decimal` (floats refused), dates are
``YYYY-MM-DD``. :func:`structure` turns any failure into one
:class:`~mentorcore.errors.InputError` naming the file, the path inside it
(``leaders[3].school.state``), what was found and what was expected.
"""

from __future__ import annotations

import datetime as dt
import enum
import types
import typing
from collections.abc import Iterator
from decimal import Decimal, InvalidOperation
from typing import Any, TypeVar, get_args, get_origin

import attrs
import cattrs
from cattrs.errors import (
    ClassValidationError,
    ForbiddenExtraKeysError,
    IterableValidationError,
)
from cattrs.gen import make_dict_unstructure_fn

from mentorcore.engagements import EVENT_TYPES, Event
from mentorcore.errors import Described, InputError, missing_field
from mentorcore.rules.conditions import Condition, condition_from_data, condition_to_data

__all__ = ["converter", "describe_type", "structure", "unstructure"]

T = TypeVar("T")

converter = cattrs.Converter(forbid_extra_keys=True, detailed_validation=True)
"""The library's converter. Use :func:`structure` for error messages with paths."""


def describe_type(cls: Any) -> str:
    """A type in words, for an error message."""
    if cls is str:
        return "text"
    if cls is bool:
        return "true or false"
    if cls is int:
        return "a whole number"
    if cls is float:
        return "a number"
    if cls is Decimal:
        return 'a decimal number such as "2999.00"'
    if cls is dt.date:
        return "a date such as 2024-08-01"
    if isinstance(cls, type) and issubclass(cls, enum.Enum):
        return "one of " + ", ".join(str(m.value) for m in cls)
    origin = get_origin(cls)
    if origin in (types.UnionType, typing.Union):
        options = [a for a in get_args(cls) if a is not type(None)]
        if cls == Event:
            return "an event table with a type"
        words = " or ".join(describe_type(a) for a in options)
        return words if len(options) == len(get_args(cls)) else f"{words}, or nothing"
    if origin in (tuple, list):
        return "a list"
    if origin is dict or cls is dict:
        return "a table"
    if attrs.has(cls):
        return f"a table ({cls.__name__})"
    return getattr(cls, "__name__", str(cls))


def _strict_str(value: Any, _: type) -> str:
    if not isinstance(value, str):
        raise InputError(found=value, expected="text")
    return value


def _strict_bool(value: Any, _: type) -> bool:
    if not isinstance(value, bool):
        raise InputError(found=value, expected="true or false")
    return value


def _strict_int(value: Any, _: type) -> int:
    if isinstance(value, bool) or not isinstance(value, (int, Decimal)):
        raise InputError(found=value, expected="a whole number")
    if isinstance(value, Decimal):
        # 1e999999999 is whole, but int() of it would take minutes and gigabytes.
        if not value.is_finite() or value.adjusted() >= _MAX_DIGITS:
            raise InputError(
                found=str(value), expected=f"a whole number of fewer than {_MAX_DIGITS} digits"
            )
        if value != value.to_integral_value():
            raise InputError(found=str(value), expected="a whole number")
        return int(value)
    return value


#: Python's own limit on converting text to an integer (sys.get_int_max_str_digits).
_MAX_DIGITS = 4300


def _strict_float(value: Any, _: type) -> float:
    if isinstance(value, bool) or not isinstance(value, (int, float, Decimal)):
        raise InputError(found=value, expected="a number")
    return float(value)


def _decimal(value: Any, _: type) -> Decimal:
    if isinstance(value, (bool, float)):
        raise InputError(found=value, expected='an exact decimal as text, such as "2999.00"')
    if isinstance(value, Decimal):
        if not value.is_finite():
            raise InputError(found=str(value), expected="a finite decimal number")
        return value
    if isinstance(value, int):
        return Decimal(value)
    if isinstance(value, str):
        try:
            number = Decimal(value.strip())
        except InvalidOperation:
            raise InputError(found=value, expected='a decimal number such as "2999.00"') from None
        if not number.is_finite():
            raise InputError(found=value, expected="a finite decimal number")
        return number
    raise InputError(found=value, expected='a decimal number such as "2999.00"')


def _date(value: Any, _: type) -> dt.date:
    if isinstance(value, dt.datetime):
        raise InputError(
            found=value.isoformat(), expected="a date without a time, such as 2024-08-01"
        )
    if isinstance(value, dt.date):
        return value
    if isinstance(value, str):
        try:
            return dt.date.fromisoformat(value)
        except ValueError:
            pass
    raise InputError(found=value, expected="a date such as 2024-08-01")


def _enum(value: Any, cls: type[enum.Enum]) -> enum.Enum:
    try:
        return cls(value)
    except (ValueError, TypeError):
        allowed = ", ".join(str(m.value) for m in cls)
        raise InputError(found=value, expected=f"one of {allowed}") from None


def _is_sequence(cls: Any) -> bool:
    return get_origin(cls) in (tuple, list)


def _sequence_hook(cls: Any) -> Any:
    args = get_args(cls)
    element = args[0] if args else Any
    inner = converter.get_structure_hook(element) if element is not Any else None

    def structure_sequence(value: Any, _: type) -> Any:
        if not isinstance(value, (list, tuple)):
            raise InputError(found=value, expected=f"a list of {describe_type(element)}")
        errors: list[Exception] = []
        result = []
        for index, item in enumerate(value):
            try:
                result.append(inner(item, element) if inner else item)
            except Exception as exc:
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    cattrs.errors.IterableValidationNote(
                        f"Structuring {cls} @ index {index}", index, element
                    ),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cls}", errors, cls)
        return tuple(result) if get_origin(cls) is tuple else result

    return structure_sequence


def _is_str_dict(cls: Any) -> bool:
    return get_origin(cls) is dict


def _dict_hook(cls: Any) -> Any:
    _key_type, value_type = get_args(cls) or (str, Any)
    inner = converter.get_structure_hook(value_type) if value_type is not Any else None

    def structure_dict(value: Any, _: type) -> Any:
        if not isinstance(value, dict):
            raise InputError(found=value, expected="a table")
        errors: list[Exception] = []
        result = {}
        for key, item in value.items():
            try:
                if not isinstance(key, str):
                    raise InputError(found=key, expected="a text key")
                result[key] = inner(item, value_type) if inner else _plain_value(item)
            except Exception as exc:
                exc.__notes__ = [
                    *getattr(exc, "__notes__", []),
                    cattrs.errors.IterableValidationNote(
                        f"Structuring {cls} @ key {key!r}", key, value_type
                    ),
                ]
                errors.append(exc)
        if errors:
            raise IterableValidationError(f"While structuring {cls}", errors, cls)
        return result

    return structure_dict


def _plain_value(value: Any) -> Any:
    if isinstance(value, (str, bool, int, Decimal, dt.date)):
        return value
    if isinstance(value, float):
        return value
    if isinstance(value, list):
        return [_plain_value(v) for v in value]
    raise InputError(found=value, expected="text, a number, true/false, a date or a list of them")


def _event(value: Any, _: type) -> Event:
    if not isinstance(value, dict):
        raise InputError(found=value, expected="an event table")
    tag = value.get("type")
    cls = EVENT_TYPES.get(tag) if isinstance(tag, str) else None
    if cls is None:
        raise InputError(
            path="type", found=tag, expected=f"an event type: one of {', '.join(EVENT_TYPES)}"
        )
    body = {k: v for k, v in value.items() if k != "type"}
    return converter.structure(body, cls)


def _condition(value: Any, _: type) -> Condition:
    return condition_from_data(value)


def _any(value: Any, _: type) -> Any:
    return _plain_value(value) if not isinstance(value, dict) else value


# Singledispatch hooks: the enum ones must be registered too, or the ``str``
# hook would catch StrEnum subclasses and let an unknown role through as text.
converter.register_structure_hook(str, _strict_str)
converter.register_structure_hook(bool, _strict_bool)
converter.register_structure_hook(int, _strict_int)
converter.register_structure_hook(float, _strict_float)
converter.register_structure_hook(Decimal, _decimal)
converter.register_structure_hook(dt.date, _date)
converter.register_structure_hook(enum.StrEnum, _enum)
converter.register_structure_hook(enum.Enum, _enum)
converter.register_structure_hook_factory(_is_sequence, _sequence_hook)
converter.register_structure_hook_factory(_is_str_dict, _dict_hook)
converter.register_structure_hook(Event, _event)
converter.register_structure_hook(Condition, _condition)
_CONDITION_TYPES = set(get_args(Condition))


def _is_optional_condition(cls: Any) -> bool:
    args = set(get_args(cls)) if get_origin(cls) in (types.UnionType, typing.Union) else set()
    return type(None) in args and args - {type(None)} == _CONDITION_TYPES


def _optional_condition(value: Any, _: type) -> Condition | None:
    return None if value is None else condition_from_data(value)


converter.register_structure_hook_func(_is_optional_condition, _optional_condition)
converter.register_unstructure_hook_func(
    _is_optional_condition, lambda c: None if c is None else condition_to_data(c)
)
converter.register_structure_hook_func(lambda cls: cls is Any, _any)


def _scalar(value: Any, _: type) -> str | int | float | bool:
    """A plain scalar (CriterionWeight.params): TOML's decimals become floats."""
    if isinstance(value, Decimal):
        return float(value)
    if isinstance(value, (str, bool, int, float)):
        return value
    raise InputError(found=value, expected="text, a number or true/false")


_SCALAR_UNION = str | int | float | bool
converter.register_structure_hook_func(lambda cls: cls == _SCALAR_UNION, _scalar)

converter.register_unstructure_hook(Decimal, str)
converter.register_unstructure_hook(dt.date, lambda d: d)
converter.register_unstructure_hook_func(
    lambda cls: isinstance(cls, type) and issubclass(cls, enum.Enum), lambda e: e.value
)
converter.register_unstructure_hook(Condition, condition_to_data)


def _unstructure_event(event: Event) -> dict[str, Any]:
    data: dict[str, Any] = {"type": event.type}
    data.update(converter.unstructure(event, unstructure_as=type(event)))
    return data


converter.register_unstructure_hook(Event, _unstructure_event)


def _omitting_defaults(cls: type) -> Any:
    return make_dict_unstructure_fn(cls, converter, _cattrs_omit_if_default=True)


converter.register_unstructure_hook_factory(attrs.has, _omitting_defaults)


def _walk(
    exc: BaseException, path: str, kind: Any = None
) -> Iterator[tuple[str, BaseException, Any]]:
    """Each error inside ``exc`` with its path and, when known, the type wanted there."""
    if isinstance(exc, IterableValidationError):
        with_notes, without = exc.group_exceptions()
        for inner, note in with_notes:
            index = note.index
            step = f"[{index}]" if isinstance(index, int) else (f".{index}" if path else str(index))
            yield from _walk(inner, f"{path}{step}", note.type)
        for inner in without:
            yield from _walk(inner, path)
    elif isinstance(exc, ClassValidationError):
        attribute_errors, loose = exc.group_exceptions()
        for inner, attribute in attribute_errors:
            where = f"{path}.{attribute.name}" if path else attribute.name
            yield from _walk(inner, where, attribute.type)
        for inner in loose:
            yield from _walk(inner, path)
    else:
        yield path, exc, kind


def _join(path: str, inner: str | None) -> str:
    if not inner:
        return path
    if not path:
        return inner
    return f"{path}{inner}" if inner.startswith("[") else f"{path}.{inner}"


def _to_input_error(exc: BaseException, file: str | None, prefix: str, cls: type) -> InputError:
    problems: list[InputError] = []
    for path, inner, kind in _walk(exc, prefix):
        if isinstance(inner, InputError):
            problems.append(
                inner.located(file=file, prefix=path) if path else inner.located(file=file)
            )
        elif isinstance(inner, KeyError):
            name = str(inner.args[0]) if inner.args else ""
            # A field of any type (or of a type left unresolved) says nothing more.
            vague = kind is None or kind is Any or isinstance(kind, str)
            expected = None if vague else describe_type(kind)
            problems.append(missing_field(name, expected, file=file, path=path))
        elif isinstance(inner, ForbiddenExtraKeysError):
            allowed = (
                ", ".join(a.name for a in attrs.fields(inner.cl)) if attrs.has(inner.cl) else ""
            )
            extra = sorted(inner.extra_fields)
            problems.append(
                InputError(
                    file=file,
                    path=_join(path, extra[0]),
                    found=Described(f"unexpected field {extra[0]!r}")
                    if len(extra) == 1
                    else Described(f"unexpected fields {', '.join(map(repr, extra))}"),
                    expected=f"one of {allowed}" if allowed else None,
                )
            )
        elif isinstance(inner, TypeError) and "missing" in str(inner) and "argument" in str(inner):
            missing = str(inner).rsplit(":", 1)[-1].strip().strip("'")
            problems.append(
                missing_field(missing, None, file=file, path=_join(path, missing.split("'")[0]))
            )
        elif isinstance(inner, (ValueError, TypeError, AttributeError)):
            problems.append(InputError(f"invalid value: {inner}", file=file, path=path or None))
        else:
            problems.append(
                InputError(f"{type(inner).__name__}: {inner}", file=file, path=path or None)
            )
    if not problems:
        return InputError(f"could not read {describe_type(cls)}", file=file, path=prefix or None)
    first = problems[0]
    if len(problems) > 1:
        more = "\n".join(f"  {p}" for p in problems[1:6])
        tail = f"\n  … and {len(problems) - 6} more" if len(problems) > 6 else ""
        error = InputError(
            first.problem,
            file=first.file,
            path=first.path,
            found=first.found,
            expected=first.expected,
        )
        error.args = (f"{first}\n{more}{tail}",)
        error.problems = problems  # type: ignore[attr-defined]
        return error
    return first


def structure(data: Any, cls: type[T], *, file: str | None = None, path: str = "") -> T:
    """Structure ``data`` as ``cls``; any fault becomes an :class:`InputError` with its path."""
    try:
        return converter.structure(data, cls)
    except InputError as exc:
        raise exc.located(file=file, prefix=path or None) from None
    except Exception as exc:  # cattrs groups and attrs validators: all become InputError
        raise _to_input_error(exc, file, path, cls) from None


def unstructure(obj: Any, cls: Any = None) -> Any:
    """Unstructure ``obj`` to plain data (dicts, lists, text, dates), omitting defaults."""
    return converter.unstructure(obj, unstructure_as=cls) if cls else converter.unstructure(obj)
