"""Writing command output: JSON for machines, safe wrapped text for people.

Text for people is terminal-safe: a control character coming from data (an
ESC that would clear the screen, a CR that would overwrite a line) is shown
escaped (``\\x1b``, ``\\r``), never sent raw. :func:`write` wraps each line
to the terminal's width (``COLUMNS``, else the terminal; not when writing to
a file or pipe) with a hanging indent; :func:`table` fits its columns to
that width (80 for a file or pipe). No colour is
used, so ``NO_COLOR`` and pipes need nothing special.

JSON carries the data exactly. :func:`emit_json_array` writes a list one
item at a time as the items are produced, so that memory stays flat
however many people a bulk command reads.
"""

from __future__ import annotations

import json
import os
import re
import shutil
import sys
import textwrap
from collections.abc import Iterable, Sequence
from typing import Any, TextIO

__all__ = [
    "emit_json",
    "emit_json_array",
    "emit_jsonl",
    "inline",
    "table",
    "terminal_safe",
    "width",
    "wrap",
    "write",
]

# C0 and C1 controls, DEL, line/paragraph separators and the bidirectional
# overrides and isolates (which can make a line read as something else).
_CONTROL = re.compile("[\x00-\x09\x0b-\x1f\x7f-\x9f\u2028\u2029\u202a-\u202e\u2066-\u2069]")
_CONTROL_OR_NEWLINE = re.compile(_CONTROL.pattern[:-1] + "\n]")


def _escape(match: re.Match[str]) -> str:
    char = match.group()
    named = {"\t": "\\t", "\n": "\\n", "\r": "\\r"}
    if char in named:
        return named[char]
    code = ord(char)
    return f"\\x{code:02x}" if code < 0x100 else f"\\u{code:04x}"


def terminal_safe(text: str) -> str:
    """``text`` with every control character but the line break shown escaped.

    >>> terminal_safe("Ann\\x1b[2J\\rBo")
    'Ann\\\\x1b[2J\\\\rBo'
    """
    return _CONTROL.sub(_escape, text)


def inline(value: object) -> str:
    """A value from data for one line of text: line breaks escaped too, so that a
    name cannot start a line of its own.

    >>> inline("Ann\\nBo (bo): Free mentoring")
    'Ann\\\\nBo (bo): Free mentoring'
    """
    return _CONTROL_OR_NEWLINE.sub(_escape, str(value))


def width() -> int | None:
    """The width text is wrapped to: ``COLUMNS`` when set, else the terminal's when
    standard output is one (at least 40); ``None`` (no wrapping) when output goes
    to a file or a pipe."""
    if os.environ.get("COLUMNS", "").strip().isdigit() or sys.stdout.isatty():
        return max(40, shutil.get_terminal_size((80, 24)).columns)
    return None


def wrap(text: str, columns: int | None = None, hang: int | None = None) -> str:
    """Each line of ``text`` wrapped to ``columns`` (default :func:`width`), continuing
    under its indent plus two (or ``hang`` spaces, to align under a column).

    Words are never broken (an id or a date stays whole).
    """
    limit = columns or width()
    if limit is None:
        return text
    lines: list[str] = []
    for line in text.split("\n"):
        if len(line) <= limit:
            lines.append(line)
            continue
        indent = line[: len(line) - len(line.lstrip(" "))]
        lines.extend(
            textwrap.wrap(
                line.strip(" "),
                width=limit,
                initial_indent=indent,
                subsequent_indent=" " * hang if hang is not None else indent + "  ",
                break_long_words=False,
                break_on_hyphens=False,
            )
            or [line]
        )
    return "\n".join(lines)


def write(
    text: str = "", stream: TextIO | None = None, *, wrapped: bool = True, hang: int | None = None
) -> None:
    """Print text for people: terminal-safe and (unless ``wrapped=False``) wrapped,
    continuation lines indented by ``hang`` spaces when given (see :func:`wrap`)."""
    safe = terminal_safe(text)
    print(wrap(safe, hang=hang) if wrapped else safe, file=stream or sys.stdout)


def emit_json(result: Any, stream: TextIO | None = None) -> None:
    """Print a result (or a list of results) as indented JSON (:func:`~mentorcore.to_data`)."""
    from mentorcore.output import to_data  # the converter costs: imported when output is due

    text = json.dumps(to_data(result), indent=2, ensure_ascii=False)
    print(text, file=stream or sys.stdout)


def emit_json_array(items: Iterable[Any], stream: TextIO | None = None) -> int:
    """Print a JSON list (indented as :func:`emit_json` does), one item at a time as
    ``items`` produces them; returns the count.

    Nothing is written before the first item exists, so that an error raised
    while setting up (before any result) leaves no output. An error later
    leaves the list unterminated, as it leaves ``--jsonl`` short.
    """
    from mentorcore.output import to_data

    out = stream or sys.stdout
    count = 0
    for item in items:
        text = json.dumps(to_data(item), indent=2, ensure_ascii=False)
        out.write("[\n" if count == 0 else ",\n")
        out.write(textwrap.indent(text, "  "))
        count += 1
    out.write("\n]\n" if count else "[]\n")
    return count


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


def table(headers: Sequence[str], rows: Iterable[Sequence[Any]], columns: int | None = None) -> str:
    """Rows as an aligned text table under ``headers``, fitted to ``columns`` (default
    :func:`width`, else 80): the widest columns are wrapped inside their cells until it fits.

    A column narrows to its longest word first; only if the table still does
    not fit are long words broken. Cells are shown with :func:`inline`, so
    that data cannot break the table. Print it with ``write(..., wrapped=False)``.
    """
    body = [[inline(cell) for cell in row] for row in rows]
    limit = columns or width() or 80
    widths = [len(h) for h in headers]
    for row in body:
        for index, cell in enumerate(row):
            widths[index] = max(widths[index], len(cell))
    gaps = 2 * (len(headers) - 1)
    # A column narrows down to its longest word (at most 24), so ids stay whole.
    longest = [
        max((len(w) for row in body for w in row[i].split()), default=0)
        for i in range(len(headers))
    ]
    floors = [max(len(h), 8, min(longest[i], 24)) for i, h in enumerate(headers)]
    for floor in (floors, [max(len(h), 8) for h in headers]):  # then break long words
        while sum(widths) + gaps > limit:
            widest = max(range(len(widths)), key=lambda i: widths[i] - floor[i])
            if widths[widest] <= floor[widest]:
                break  # as narrow as it can be
            widths[widest] -= 1
    lines = [_row(list(headers), widths)]
    lines.append("  ".join("-" * w for w in widths))
    for row in body:
        lines.append(_row(row, widths))
    return "\n".join(lines)


def _row(cells: list[str], widths: list[int]) -> str:
    """One table row, its cells wrapped to their columns' widths (several lines if need be)."""
    wrapped = [
        textwrap.wrap(cell, width=w, break_on_hyphens=False) or [""]
        for cell, w in zip(cells, widths, strict=True)
    ]
    height = max(len(parts) for parts in wrapped)
    lines = []
    for number in range(height):
        parts = [
            (parts[number] if number < len(parts) else "").ljust(w)
            for parts, w in zip(wrapped, widths, strict=True)
        ]
        lines.append("  ".join(parts).rstrip())
    return "\n".join(lines)
