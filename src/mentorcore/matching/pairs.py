"""Keeps and declines: existing matches that stay, and pairs never to match again.

A pairs file lists ``leader``, ``mentor`` and ``action`` per pair, with an
optional ``reason``:

``keep``
    an existing match. It stays, taking one of the mentor's places, unless
    it has become infeasible (the mentor no longer qualifies, a conflict of
    interest, the distance bound, the mentor is full of other keeps, or one
    of the two is not in this run): it is then dropped and reported with the
    reason in ``broken_keeps``, and the leader is matched afresh.
``never``
    a decline or a "don't match again": the pair is never matched. Its
    ``reason`` (optional) is shown to program staff where it rules a
    mentor out.

A re-run after new leaders join, with the previous run's matches as
``keep`` rows, changes no kept pair and fills only the free capacity.

The file is CSV with a header row (``leader,mentor,action,reason``), TOML
or JSON (an array ``pairs`` of tables with the same keys), by suffix::

    [[pairs]]
    leader = "amara"
    mentor = "rosa"
    action = "keep"

Nothing read is executed; every fault is an
:class:`~mentorcore.errors.InputError` naming the file, the row or path,
and what was expected.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from mentorcore.errors import Described, InputError

__all__ = ["ACTIONS", "PairAction", "load_pairs", "pairs_from_data"]

#: The actions a pairs file may give.
ACTIONS = ("keep", "never")

_KEYS = ("leader", "mentor", "action", "reason")


@frozen
class PairAction:
    """One row of a pairs file: ``keep`` an existing match, or ``never`` match the pair."""

    leader: str
    mentor: str
    action: str
    reason: str | None = None


def _row(record: Mapping[str, Any], where: str, file: str | None) -> PairAction:
    extra = sorted(str(k) for k in record if k not in _KEYS)
    if extra:
        raise InputError(
            file=file,
            path=f"{where}.{extra[0]}",
            found=Described(f"unexpected key {extra[0]!r}"),
            expected="leader, mentor, action and an optional reason",
        )
    values: dict[str, str | None] = {}
    for key in _KEYS:
        value = record.get(key)
        if value is None or value == "":
            if key == "reason":
                values[key] = None
                continue
            raise InputError(file=file, path=f"{where}.{key}", expected=f"a {key}")
        if not isinstance(value, str):
            raise InputError(
                file=file, path=f"{where}.{key}", found=value, expected=f"the {key} as text"
            )
        values[key] = value.strip()
    action = values["action"]
    if action not in ACTIONS:
        raise InputError(file=file, path=f"{where}.action", found=action, expected="keep or never")
    assert values["leader"] is not None and values["mentor"] is not None and action is not None
    return PairAction(values["leader"], values["mentor"], action, values["reason"])


def pairs_from_data(data: Mapping[str, Any], file: str | None = None) -> tuple[PairAction, ...]:
    """The pairs of TOML or JSON content: an array ``pairs`` of tables."""
    extra = sorted(set(data) - {"pairs"})
    if extra:
        raise InputError(
            file=file,
            path=extra[0],
            found=Described(f"unexpected key {extra[0]!r}"),
            expected="pairs",
        )
    rows = data.get("pairs", [])
    if not isinstance(rows, list):
        raise InputError(file=file, path="pairs", found=type(rows).__name__, expected="an array")
    found = []
    for index, record in enumerate(rows):
        where = f"pairs[{index}]"
        if not isinstance(record, dict):
            raise InputError(file=file, path=where, found=type(record).__name__, expected="a table")
        found.append(_row(record, where, file))
    return _checked(found, file)


def _csv(text: str, file: str) -> tuple[PairAction, ...]:
    reader = csv.DictReader(io.StringIO(text, newline=""))
    header = reader.fieldnames or []
    missing = [k for k in ("leader", "mentor", "action") if k not in header]
    if missing:
        raise InputError(
            file=file,
            path="header",
            found=", ".join(header) or Described("no header"),
            expected="the columns leader, mentor, action (and optionally reason)",
        )
    found = []
    for record in reader:
        if None in record:
            raise InputError(
                file=file,
                path=f"line {reader.line_num}",
                found=Described("more cells than columns"),
                expected=f"{len(header)} cells",
            )
        found.append(_row(record, f"line {reader.line_num}", file))
    return _checked(found, file)


def _checked(rows: Iterable[PairAction], file: str | None) -> tuple[PairAction, ...]:
    """The rows, refusing a pair listed twice (it could say keep and never)."""
    seen: dict[tuple[str, str], str] = {}
    kept: dict[str, str] = {}
    result = []
    for index, row in enumerate(rows):
        key = (row.leader, row.mentor)
        if key in seen:
            raise InputError(
                file=file,
                path=f"row {index + 1}",
                found=Described(f"{row.leader}:{row.mentor} again (first as {seen[key]})"),
                expected="each pair once",
            )
        seen[key] = row.action
        if row.action == "keep":
            if row.leader in kept:
                raise InputError(
                    file=file,
                    path=f"row {index + 1}",
                    found=Described(f"a second keep for {row.leader!r} ({kept[row.leader]} first)"),
                    expected="one kept mentor per leader",
                )
            kept[row.leader] = row.mentor
        result.append(row)
    return tuple(result)


def load_pairs(path: str | Path) -> tuple[PairAction, ...]:
    """Read a pairs file: CSV (``.csv``), TOML or JSON (by suffix)."""
    from mentorcore.io.loaders import read_data

    path = Path(path)
    name = str(path)
    if path.suffix.lower() != ".csv":
        return pairs_from_data(read_data(path), file=name)
    try:
        text = path.read_text(encoding="utf-8-sig")
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=name) from None
    return _csv(text, name)
