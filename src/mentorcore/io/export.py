"""Writing out: programs as TOML (round-trips to an equal program), JSON for machines."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from typing import Any

import tomli_w

from mentorcore.io.converter import structure, unstructure
from mentorcore.programs import Program

__all__ = ["dump_json", "dump_toml", "json_default", "program_from_toml", "program_to_toml"]


def json_default(value: Any) -> Any:
    """Encode what :mod:`json` does not: dates as ISO text, decimals as text."""
    if isinstance(value, (dt.date, dt.datetime)):
        return value.isoformat()
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, (set, frozenset, tuple)):
        return list(value)
    raise TypeError(f"cannot encode {type(value).__name__} as JSON")


def dump_json(data: Any, *, indent: int | None = 2) -> str:
    """Plain data (or attrs objects) as JSON text."""
    return json.dumps(unstructure(data), default=json_default, indent=indent, ensure_ascii=False)


def _tomlable(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _tomlable(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_tomlable(v) for v in value]
    return value


def dump_toml(data: Any) -> str:
    """Plain data (or attrs objects) as TOML text."""
    return tomli_w.dumps(_tomlable(unstructure(data)))


def program_to_toml(program: Program) -> str:
    """A program as TOML; :func:`program_from_toml` reads it back to an equal program."""
    return dump_toml(program)


def program_from_toml(text: str, file: str = "<program>") -> Program:
    """Read a program from TOML text."""
    import tomllib

    return structure(tomllib.loads(text, parse_float=Decimal), Program, file=file)
