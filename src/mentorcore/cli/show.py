"""``mentorcore show PROGRAM``: a program in words, for a program coordinator.

The words come from the one program description
(:func:`mentorcore.description.describe_program`), rendered here as text
wrapped to the terminal width, with tables that fit in 80 columns (a table
too wide becomes one short record per row). ``--json`` prints the program's
data, as it always has, with the description under ``description``.
"""

from __future__ import annotations

import argparse
import shutil
import textwrap
from collections.abc import Sequence
from typing import Any

from mentorcore.cli.main import registry_of
from mentorcore.cli.output import emit_json, write
from mentorcore.description import (
    BarChart,
    Block,
    Bullets,
    CycleDiagram,
    Paragraph,
    ProgramDescription,
    ShownProgram,
    SourceNote,
    StageStrip,
    Table,
    describe_program,
    money,
    source_text,
)
from mentorcore.programs import Program
from mentorcore.registry import Registry

__all__ = ["TABLE_WIDTH", "register", "render", "render_description", "run"]

#: The widest a table may be, whatever the terminal's width.
TABLE_WIDTH = 80

#: Sections ``show`` leaves out: the side-by-side comparison repeats the kinds.
_SKIPPED = {"comparison"}


def register(subparsers: Any) -> None:
    """Add the ``show`` command."""
    from mentorcore.cli.options import add_command

    parser = add_command(
        subparsers,
        "show",
        "print a program: kinds, rules, prices, process",
        example="mentorcore show ipa",
    )
    parser.add_argument("program", help="program id, as `mentorcore programs` lists")
    parser.add_argument("--json", action="store_true", help="print the program as JSON")
    parser.set_defaults(handler=run)


def _inline(paragraph: Paragraph) -> str:
    parts = []
    for span in paragraph.spans:
        if span.style == "amount":
            parts.append(money(span.text, grouped=False))
        elif span.url and span.url != span.text:
            parts.append(f"{span.text} <{span.url}>")
        else:
            parts.append(span.text)
    return "".join(parts)


def _wrap(text: str, indent: int, width: int, hang: int = 0) -> list[str]:
    pad = " " * indent
    lines: list[str] = []
    for piece in text.splitlines() or [""]:
        lines.extend(
            textwrap.wrap(
                piece,
                width=max(width, indent + hang + 20),
                initial_indent=pad,
                subsequent_indent=pad + " " * hang,
                break_on_hyphens=False,
            )
            or [pad]
        )
    return lines


def _cell_text(cell: Sequence[Block]) -> str:
    """A cell as one line of words, for the aligned form of a table."""
    return " ".join(line.strip() for line in _blocks(cell, 0, 10_000))


def _aligned(table: Table, indent: int, width: int) -> list[str] | None:
    """The table aligned in columns, or ``None`` when it does not fit in ``width``."""
    cells = [[_cell_text(cell) for cell in row] for row in table.rows]
    if any("\n" in text for row in cells for text in row):
        return None
    widths = [len(header) for header in table.headers]
    for row in cells:
        for index, text in enumerate(row):
            widths[index] = max(widths[index], len(text))
    if indent + sum(widths) + 2 * (len(widths) - 1) > width:
        return None
    pad = " " * indent

    def line(values: Sequence[str]) -> str:
        return (pad + "  ".join(v.ljust(w) for v, w in zip(values, widths, strict=True))).rstrip()

    return [line(table.headers), pad + "  ".join("-" * w for w in widths), *map(line, cells)]


def _records(table: Table, indent: int, width: int) -> list[str]:
    """The table as one record per row: the first cell, then each other cell under its header."""
    lines: list[str] = []
    for row in table.rows:
        first, *others = row
        head = _blocks(first, indent + 2, width) or [" " * (indent + 2)]
        head[0] = " " * indent + "- " + head[0][indent + 2 :]
        lines.extend(head)
        for header, cell in zip(table.headers[1:], others, strict=True):
            if not cell:
                continue
            if len(cell) == 1 and isinstance(cell[0], (Paragraph, SourceNote)):
                text = _cell_text(cell)
                lines.extend(_wrap(f"{header}: {text}", indent + 4, width, hang=2))
            else:
                lines.extend(_wrap(f"{header}:", indent + 4, width))
                lines.extend(_blocks(cell, indent + 6, width))
    return lines


def _table(table: Table, indent: int, width: int) -> list[str]:
    width = min(width, TABLE_WIDTH)
    lines = _wrap(f"{table.title}:", indent, width) if table.title else []
    inner = indent + 2 if table.title else indent
    aligned = _aligned(table, inner, width)
    lines.extend(aligned if aligned is not None else _records(table, inner, width))
    return lines


def _bullets(listing: Bullets, indent: int, width: int) -> list[str]:
    lines: list[str] = []
    for number, item in enumerate(listing.items, start=1):
        marker = f"{number}. " if listing.ordered else "- "
        body = _blocks(item, indent + len(marker), width) or [" " * (indent + len(marker))]
        body[0] = " " * indent + marker + body[0][indent + len(marker) :]
        lines.extend(body)
    return lines


def _block(block: Block, indent: int, width: int) -> list[str]:
    if isinstance(block, Paragraph):
        return _wrap(_inline(block), indent, width)
    if isinstance(block, SourceNote):
        said = source_text(block.source)
        text = f"{block.label}: {said}" if block.label else said
        return _wrap(text, indent, width, hang=2)
    if isinstance(block, Bullets):
        return _bullets(block, indent, width)
    if isinstance(block, Table):
        return _table(block, indent, width)
    if isinstance(block, (CycleDiagram, StageStrip, BarChart)):
        return _wrap(f"Picture: {block.alt}", indent, width, hang=2)
    raise TypeError(f"not a description block: {block!r}")  # pragma: no cover


def _blocks(blocks: Sequence[Block], indent: int, width: int) -> list[str]:
    lines: list[str] = []
    for block in blocks:
        lines.extend(_block(block, indent, width))
    return lines


def _led_by_a_title(block: Block) -> bool:
    return isinstance(block, Paragraph) and bool(block.spans) and block.spans[0].style == "strong"


def render_description(description: ProgramDescription, width: int | None = None) -> list[str]:
    """A program description as lines of text, wrapped to ``width`` (default: the terminal's)."""
    if width is None:
        width = shutil.get_terminal_size((TABLE_WIDTH, 24)).columns
    width = max(width, 40)
    lines = [*_wrap(description.title, 0, width), *_wrap(description.organization, 0, width)]
    for section in description.sections:
        if section.id in _SKIPPED:
            continue
        lines += ["", section.title, "-" * min(len(section.title), width)]
        for index, block in enumerate(section.blocks):
            # A paragraph led by a bold title starts a new item (a kind, a rule): set it off.
            if index and _led_by_a_title(block):
                lines.append("")
            lines.extend(_block(block, 2, width))
    return lines


def render(program: Program, registry: Registry, width: int | None = None) -> list[str]:
    """The program as lines of text (the registry words its metrics and checks)."""
    return render_description(describe_program(program, registry), width)


def run(args: argparse.Namespace) -> int:
    """Print one program."""
    registry = registry_of(args)
    program = registry.program(args.program)
    description = describe_program(program, registry)
    if args.json:
        emit_json(ShownProgram(program=program, description=description))
        return 0
    for line in render_description(description):
        write(line)
    return 0
