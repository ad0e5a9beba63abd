"""``--output FILE.parquet`` for ``eligibility`` and ``quote``: results as a Parquet table.

Parquet people in and Parquet out run :mod:`mentorcore.tables` batch by
batch, one output row per input row (a bad row gets its ``error``); any
other people file is decided or quoted as the command does, its results
written as rows of the same schema.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable
from pathlib import Path

from mentorcore.bulk import decide_many, quote_many
from mentorcore.errors import InputError
from mentorcore.people import Leader, Mentor
from mentorcore.programs import Program
from mentorcore.registry import Registry

__all__ = ["write_decisions", "write_quotes"]


def _parquet_output(output: str) -> None:
    if Path(output).suffix.lower() != ".parquet":
        raise InputError(path="--output", found=output, expected="a file name ending in .parquet")


def _whole_table(people_file: str, people: Iterable[Leader | Mentor]) -> bool:
    """Parquet in and no single ``--person`` asked for (that one is a list)."""
    return Path(people_file).suffix.lower() == ".parquet" and not isinstance(people, list)


def write_decisions(
    registry: Registry,
    program: Program,
    people_file: str,
    output: str,
    on: dt.date,
    kind: str | None,
    people: Iterable[Leader | Mentor],
) -> int:
    """Decide and write the decisions to ``output``; returns the exit status."""
    _parquet_output(output)
    from mentorcore import tables

    if _whole_table(people_file, people):
        batches = tables.decide_batches(
            registry,
            program,
            tables.read_people_batches(people_file),
            on,
            kind=kind,
            name=people_file,
        )
    else:
        batches = tables.batches_of(
            (tables.decision_row(d) for d in decide_many(registry, program, people, on, kind=kind)),
            tables.decision_schema(),
        )
    tables.write_parquet(output, batches, tables.decision_schema())
    return 0


def write_quotes(
    registry: Registry,
    program: Program,
    people_file: str,
    output: str,
    hours: int,
    on: dt.date,
    people: Iterable[Leader | Mentor],
) -> int:
    """Quote and write the quotes to ``output``; returns the exit status."""
    _parquet_output(output)
    from mentorcore import tables

    if _whole_table(people_file, people):
        batches = tables.quote_batches(
            registry,
            program,
            tables.read_people_batches(people_file),
            hours,
            on,
            name=people_file,
        )
    else:
        batches = tables.batches_of(
            (tables.quote_row(q) for q in quote_many(registry, program, people, hours, on)),
            tables.quote_schema(),
        )
    tables.write_parquet(output, batches, tables.quote_schema())
    return 0
