"""Writing command output: JSON for machines, aligned text for people."""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

__all__ = ["emit_json", "emit_jsonl", "table", "write"]


def write(text: str = "", stream: TextIO | None = None) -> None:
    """Print a line of text."""
    print(text, file=stream or sys.stdout)


def emit_json(result: Any, stream: TextIO | None = None) -> None:
    """Print a result (or a list of results) as indented JSON (:func:`~mentorcore.to_data`)."""
    from mentorcore.output import to_data  # the converter costs: imported when output is due

    text = json.dumps(to_data(result), indent=2, ensure_ascii=False)
    print(text, file=stream or sys.stdout)


def emit_jsonl(rows: Iterable[Any], stream: TextIO | None = None) -> int:
    """Print each result as one compact JSON line, as it comes; returns the count."""
    from mentorcore.output import to_data

    out = stream or sys.stdout
    count = 0
    for row in rows:
        out.write(json.dumps(to_data(row), ensure_ascii=False))
        out.write("\n")
        count += 1
    return count


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]]) -> str:
    """Rows as an aligned text table under ``headers``."""
    body = [[str(cell) for cell in row] for row in rows]
    widths = [len(h) for h in headers]
    for row in body:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    lines = ["  ".join(h.ljust(w) for h, w in zip(headers, widths, strict=True)).rstrip()]
    lines.append("  ".join("-" * w for w in widths))
    lines.extend(
        "  ".join(c.ljust(w) for c, w in zip(row, widths, strict=True)).rstrip() for row in body
    )
    return "\n".join(lines)
