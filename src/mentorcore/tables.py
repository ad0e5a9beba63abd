"""Decisions and quotes over warehouse tables: Arrow tables, pandas DataFrames, Parquet.

A state data warehouse holds its leaders in a table, not a CSV file.
:func:`decide_table` and :func:`quote_table` take a :class:`pyarrow.Table`
(or a :class:`pandas.DataFrame`) with the people CSV columns
(:data:`~mentorcore.io.loaders.PEOPLE_CSV_COLUMNS`) and return an Arrow
table with one row per input row, in order::

    import pyarrow.parquet as pq
    from mentorcore.tables import decide_table

    decisions = decide_table(registry, "ipa", pq.read_table("leaders.parquet"), on=day)
    pq.write_table(decisions, "decisions.parquet")

Columns of a decision table (:data:`DECISION_SCHEMA`): ``person``,
``outcome``, ``eligible``, ``possible`` (the outcomes still possible),
``explanation`` and ``error``; of a quote table (:data:`QUOTE_SCHEMA`):
``person``, ``hours``, ``basis``, ``amount`` (a decimal), ``currency``,
``outcome``, ``explanation`` and ``error``.

Every row is read as the CSV reader reads a row
(:func:`~mentorcore.io.loaders.person_from_row`; typed columns are first
written as the text a CSV cell would hold: dates as ISO dates, lists joined
with ``;``), and decided or quoted by :mod:`mentorcore.bulk`, so a row gets
the same decision, and a bad row the same error, as on the CSV path. A bad
row does not stop the table: its ``error`` holds the message (naming the
table, the row counted from 1 and the column) and its other columns are
null. A column that is not a people column is an
:class:`~mentorcore.errors.InputError` before any row is read.

The pieces run per partition too: :func:`decide_frame` maps a pandas
partition to a pandas frame of decisions, for Dask's ``map_partitions`` or
Spark's ``mapInPandas`` (see the docs' tables page). pyarrow and pandas come
with the optional extra ``tables``; this module imports them when it is
used, not when mentorcore is.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections.abc import Callable, Iterable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import TYPE_CHECKING, Any, BinaryIO

from mentorcore.bulk import QuoteFailure, decide_many, quote_many
from mentorcore.errors import Described, InputError, MentorcoreError
from mentorcore.io.loaders import PEOPLE_CSV_COLUMNS, person_from_row
from mentorcore.io.sources import open_binary
from mentorcore.people import Leader, Mentor
from mentorcore.programs import Program
from mentorcore.rules.eligibility import Decision
from mentorcore.rules.pricing import Quote

if TYPE_CHECKING:
    import pandas
    import pyarrow

    from mentorcore.registry import Registry

__all__ = [
    "BATCH_ROWS",
    "DECISION_COLUMNS",
    "QUOTE_COLUMNS",
    "batches_of",
    "decide_batches",
    "decide_frame",
    "decide_table",
    "decision_row",
    "decision_schema",
    "iter_table_people",
    "quote_batches",
    "quote_row",
    "quote_schema",
    "quote_table",
    "read_people_batches",
    "read_people_table",
    "write_parquet",
]

#: Rows read, decided and written together.
BATCH_ROWS = 65_536

#: The columns of a decision table, in order.
DECISION_COLUMNS = ("person", "outcome", "eligible", "possible", "explanation", "error")

#: The columns of a quote table, in order.
QUOTE_COLUMNS = (
    "person",
    "hours",
    "basis",
    "amount",
    "currency",
    "outcome",
    "explanation",
    "error",
)

_MISSING_EXTRA = (
    "warehouse tables need the optional extra 'tables': pip install 'mentorcore[tables]'"
)


def _arrow() -> Any:
    try:
        import pyarrow
    except ImportError:  # pragma: no cover - the dev environment has it
        raise MentorcoreError(_MISSING_EXTRA) from None
    return pyarrow


def decision_schema() -> pyarrow.Schema:
    """The Arrow schema of a decision table (:data:`DECISION_COLUMNS`)."""
    pa = _arrow()
    return pa.schema(
        [
            ("person", pa.string()),
            ("outcome", pa.string()),
            ("eligible", pa.bool_()),
            ("possible", pa.list_(pa.string())),
            ("explanation", pa.string()),
            ("error", pa.string()),
        ]
    )


def quote_schema() -> pyarrow.Schema:
    """The Arrow schema of a quote table (:data:`QUOTE_COLUMNS`); ``amount`` is a decimal."""
    pa = _arrow()
    return pa.schema(
        [
            ("person", pa.string()),
            ("hours", pa.int32()),
            ("basis", pa.string()),
            ("amount", pa.decimal128(18, 2)),
            ("currency", pa.string()),
            ("outcome", pa.string()),
            ("explanation", pa.string()),
            ("error", pa.string()),
        ]
    )


def _as_table(data: Any) -> pyarrow.Table:
    pa = _arrow()
    if isinstance(data, pa.Table):
        return data
    if isinstance(data, pa.RecordBatch):
        return pa.Table.from_batches([data])
    try:
        import pandas
    except ImportError:  # pragma: no cover - pandas comes with the extra
        pandas = None
    if pandas is not None and isinstance(data, pandas.DataFrame):
        return pa.Table.from_pandas(data, preserve_index=False)
    raise InputError(
        found=Described(type(data).__name__), expected="a pyarrow Table or a pandas DataFrame"
    )


def _check_columns(names: Iterable[str], name: str) -> None:
    unknown = [column for column in names if column not in PEOPLE_CSV_COLUMNS]
    if unknown:
        raise InputError(
            file=name,
            path=f"column {unknown[0]}",
            found=Described(f"unknown column {unknown[0]!r}"),
            expected="one of " + ", ".join(PEOPLE_CSV_COLUMNS),
        )


def _text_column(column: Any) -> list[str | None]:
    """A column as the text its CSV cells would hold."""
    pa = _arrow()
    import pyarrow.compute as pc

    kind = column.type
    if pa.types.is_dictionary(kind):
        column = column.cast(kind.value_type)
        kind = column.type
    if pa.types.is_list(kind) or pa.types.is_large_list(kind):
        column = pc.binary_join(column.cast(pa.list_(pa.string())), ";")
    elif not (pa.types.is_string(kind) or pa.types.is_large_string(kind)):
        column = pc.cast(column, pa.string())
    values: list[str | None] = column.to_pylist()
    return values


_Row = tuple[int, Leader | Mentor | InputError]


def _rows(batch: Any, name: str, first: int, seen: set[str]) -> Iterator[_Row]:
    """Each row of a batch as a person, or the error the CSV path would raise for it."""
    names = list(batch.schema.names)
    columns = [_text_column(batch.column(i)) for i in range(len(names))]
    for offset, cells in enumerate(zip(*columns, strict=True)):
        number = first + offset
        where = f"{name}:row {number}"
        try:
            person = person_from_row(dict(zip(names, cells, strict=True)), where)
            if person.id in seen:
                raise InputError(
                    file=where,
                    path="column id",
                    found=Described(f"{person.id!r} again"),
                    expected="a unique id",
                )
        except InputError as exc:
            yield number, exc
            continue
        seen.add(person.id)
        yield number, person


def _batches(data: Any, name: str) -> Iterator[Any]:
    """The record batches of a table, a frame, or an iterable of record batches."""
    pa = _arrow()
    if isinstance(data, Iterator) or (
        isinstance(data, Iterable)
        and not isinstance(data, (pa.Table, pa.RecordBatch))
        and not hasattr(data, "columns")
    ):
        checked = False
        for batch in data:
            if not checked:
                _check_columns(batch.schema.names, name)
                checked = True
            yield batch
        return
    table = _as_table(data)
    _check_columns(table.schema.names, name)
    yield from table.to_batches(max_chunksize=BATCH_ROWS)


def iter_table_people(data: Any, name: str = "table") -> Iterator[Leader | Mentor]:
    """The people of a table one at a time; a bad row raises its error when reached.

    As :func:`~mentorcore.io.loaders.iter_csv_people` for a CSV file (the
    command line reads a ``.parquet`` people file through it).
    """
    seen: set[str] = set()
    first = 1
    for batch in _batches(data, name):
        for _, row in _rows(batch, name, first, seen):
            if isinstance(row, InputError):
                raise row
            yield row
        first += batch.num_rows


def read_people_table(path: str | Path) -> pyarrow.Table:
    """Read a Parquet file (or a directory of Parquet files) of people into an Arrow table.

    A file is opened as every input file is
    (:func:`mentorcore.io.sources.open_binary`): a missing file, a FIFO, a
    device or a socket is an :class:`~mentorcore.errors.InputError` naming it.
    """
    _arrow()
    import pyarrow.parquet as pq

    with contextlib.ExitStack() as stack:
        # A directory is a partitioned data set: pyarrow opens its files.
        source = path if Path(path).is_dir() else stack.enter_context(open_binary(path))
        try:
            return pq.read_table(source)
        except (OSError, ValueError) as exc:  # pyarrow's ArrowInvalid is a ValueError
            raise InputError(f"cannot read the Parquet data: {exc}", file=str(path)) from None


def read_people_batches(path: str | Path) -> Iterator[pyarrow.RecordBatch]:
    """The record batches of one Parquet file of people, read as they are consumed.

    The file is opened at once, as every input file is
    (:func:`mentorcore.io.sources.open_binary`): a missing file, a FIFO, a
    device, a directory or a socket is an
    :class:`~mentorcore.errors.InputError` naming it, raised here, before any
    batch is asked for. The file is closed when the batches run out.
    """
    _arrow()
    import pyarrow.parquet as pq

    handle = open_binary(path)
    try:
        parquet = pq.ParquetFile(handle)
    except (OSError, ValueError) as exc:
        handle.close()
        raise InputError(f"cannot read the Parquet data: {exc}", file=str(path)) from None
    except BaseException:
        handle.close()
        raise
    return _batches_then_close(parquet, handle)


def _batches_then_close(parquet: Any, handle: BinaryIO) -> Iterator[pyarrow.RecordBatch]:
    with handle:
        yield from parquet.iter_batches(batch_size=BATCH_ROWS)


def batches_of(rows: Iterable[dict[str, Any]], schema: pyarrow.Schema) -> Iterator[Any]:
    """Rows (dicts keyed by column) as record batches of ``schema``, :data:`BATCH_ROWS` each."""
    pa = _arrow()
    chunk: list[dict[str, Any]] = []
    for row in rows:
        chunk.append(row)
        if len(chunk) == BATCH_ROWS:
            yield pa.RecordBatch.from_pylist(chunk, schema=schema)
            chunk = []
    if chunk:
        yield pa.RecordBatch.from_pylist(chunk, schema=schema)


def write_parquet(path: str | Path, batches: Iterable[Any], schema: pyarrow.Schema) -> int:
    """Write record batches to a Parquet file as they come; returns the number of rows."""
    _arrow()
    import pyarrow.parquet as pq

    rows = 0
    try:
        with pq.ParquetWriter(path, schema) as writer:
            for batch in batches:
                writer.write_batch(batch)
                rows += batch.num_rows
    except OSError as exc:
        raise InputError(f"cannot write: {exc}", file=str(path)) from None
    return rows


def decision_row(decision: Decision) -> dict[str, Any]:
    """One decision as a row of :func:`decision_schema`."""
    return _outcome_row(decision)


def quote_row(result: Quote | QuoteFailure) -> dict[str, Any]:
    """One quote (or failure) as a row of :func:`quote_schema`."""
    return _quote_row(result)


def _outcome_row(decision: Decision) -> dict[str, Any]:
    possible = getattr(decision, "possible", None)
    return {
        "person": decision.person,
        "outcome": decision.outcome,
        "eligible": decision.eligible,
        "possible": list(possible) if possible is not None else [decision.outcome],
        "explanation": decision.explanation,
        "error": None,
    }


def _stream_each(
    people: list[Leader | Mentor],
    stream: Callable[[list[Leader | Mentor]], Iterator[Any]],
) -> Iterator[Any | MentorcoreError]:
    """``stream(people)``, one result per person; a person whose rule raises gets the error
    in place of a result and the stream goes on with the next person."""
    start = 0
    while start < len(people):
        results = stream(people[start:])
        done = start
        try:
            for result in results:
                yield result
                done += 1
        except MentorcoreError as exc:
            yield exc
            done += 1
        start = done


def _error_row(columns: tuple[str, ...], person: str | None, error: str) -> dict[str, Any]:
    row: dict[str, Any] = dict.fromkeys(columns)
    row["person"] = person
    row["error"] = error
    return row


def _row_id(batch: Any, index: int) -> str | None:
    if "id" not in batch.schema.names:
        return None
    value = batch.column(batch.schema.get_field_index("id"))[index].as_py()
    return None if value is None else str(value)


def decide_batches(
    registry: Registry,
    program: str | Program,
    data: Any,
    on: dt.date | None = None,
    *,
    rule: str | None = None,
    kind: str | None = None,
    name: str = "table",
) -> Iterator[pyarrow.RecordBatch]:
    """:func:`decide_table` one record batch at a time (for writing as it goes)."""
    prog = program if isinstance(program, Program) else registry.program(program)
    day = on or dt.date.today()
    decide_many(registry, prog, (), day, rule=rule, kind=kind)  # set-up errors raise here
    schema = decision_schema()
    pa = _arrow()
    seen: set[str] = set()
    first = 1
    for batch in _batches(data, name):
        rows = list(_rows(batch, name, first, seen))
        people = [row for _, row in rows if not isinstance(row, InputError)]
        results = iter(
            _stream_each(
                people,
                lambda chosen: decide_many(registry, prog, chosen, day, rule=rule, kind=kind),
            )
        )
        out: list[dict[str, Any]] = []
        for number, row in rows:
            if isinstance(row, InputError):
                out.append(_error_row(DECISION_COLUMNS, _row_id(batch, number - first), str(row)))
                continue
            result = next(results)
            if isinstance(result, MentorcoreError):
                out.append(_error_row(DECISION_COLUMNS, row.id, f"{name}:row {number}: {result}"))
            else:
                out.append(_outcome_row(result))
        first += batch.num_rows
        yield pa.RecordBatch.from_pylist(out, schema=schema)


def decide_table(
    registry: Registry,
    program: str | Program,
    data: Any,
    on: dt.date | None = None,
    *,
    rule: str | None = None,
    kind: str | None = None,
    name: str = "table",
) -> pyarrow.Table:
    """Decide eligibility for every row of a table on ``on`` (default today).

    ``data`` is a :class:`pyarrow.Table` (or record batch) or a
    :class:`pandas.DataFrame` with people columns; ``name`` names it in
    errors. Each row gets the decision :func:`mentorcore.bulk.decide_many`
    gives that person (the program's first rule for their side, or
    ``rule``); a row that cannot be read or decided gets its ``error``.
    Returns a table of :func:`decision_schema`, one row per input row.
    """
    pa = _arrow()
    batches = list(decide_batches(registry, program, data, on, rule=rule, kind=kind, name=name))
    return pa.Table.from_batches(batches, schema=decision_schema())


def _quote_row(result: Quote | QuoteFailure) -> dict[str, Any]:
    if isinstance(result, QuoteFailure):
        row = _error_row(QUOTE_COLUMNS, result.person, result.reason)
        row["hours"] = result.hours
        return row
    return {
        "person": result.person,
        "hours": result.hours,
        "basis": result.basis,
        "amount": Decimal(result.amount).quantize(Decimal("0.01")),
        "currency": result.currency,
        "outcome": result.decision.outcome,
        "explanation": result.explanation,
        "error": None,
    }


def quote_batches(
    registry: Registry,
    program: str | Program,
    data: Any,
    hours: int,
    on: dt.date | None = None,
    *,
    name: str = "table",
) -> Iterator[pyarrow.RecordBatch]:
    """:func:`quote_table` one record batch at a time (for writing as it goes)."""
    prog = program if isinstance(program, Program) else registry.program(program)
    day = on or dt.date.today()
    quote_many(registry, prog, (), hours, day)  # set-up errors raise here
    schema = quote_schema()
    pa = _arrow()
    seen: set[str] = set()
    first = 1
    for batch in _batches(data, name):
        rows = list(_rows(batch, name, first, seen))
        leaders = [row for _, row in rows if isinstance(row, Leader)]
        results = iter(quote_many(registry, prog, leaders, hours, day))
        out: list[dict[str, Any]] = []
        for number, row in rows:
            if isinstance(row, InputError):
                error = _error_row(QUOTE_COLUMNS, _row_id(batch, number - first), str(row))
                out.append(error)
            elif isinstance(row, Mentor):
                error = _error_row(
                    QUOTE_COLUMNS, row.id, f"{name}:row {number}: a mentor gets no quote"
                )
                out.append(error)
            else:
                out.append(_quote_row(next(results)))
        first += batch.num_rows
        yield pa.RecordBatch.from_pylist(out, schema=schema)


def quote_table(
    registry: Registry,
    program: str | Program,
    data: Any,
    hours: int,
    on: dt.date | None = None,
    *,
    name: str = "table",
) -> pyarrow.Table:
    """Quote a package of ``hours`` for every row of a table on ``on`` (default today).

    Each leader's row gets the quote :func:`mentorcore.bulk.quote_many` gives
    (``amount`` as a decimal with two places); a row that cannot be read or
    quoted, or a mentor's row, gets its ``error``. A program with no prices
    or no package of ``hours`` raises before any row is read. Returns a
    table of :func:`quote_schema`, one row per input row.
    """
    pa = _arrow()
    batches = list(quote_batches(registry, program, data, hours, on, name=name))
    return pa.Table.from_batches(batches, schema=quote_schema())


def decide_frame(
    frame: pandas.DataFrame,
    program: str,
    on: dt.date,
    *,
    rule: str | None = None,
    kind: str | None = None,
    registry: Registry | None = None,
) -> pandas.DataFrame:
    """One pandas partition of people to a pandas frame of decisions.

    For Dask's ``map_partitions`` and Spark's ``mapInPandas``: each worker
    loads the installed plug-ins once (``load_registry()`` caches them) unless
    ``registry`` is given. The frame's columns are :data:`DECISION_COLUMNS`;
    ``decision_schema().empty_table().to_pandas()`` is its ``meta``.
    """
    if registry is None:
        from mentorcore.registry import load_registry

        registry = load_registry()
    table = decide_table(registry, program, frame, on, rule=rule, kind=kind, name="partition")
    result: pandas.DataFrame = table.to_pandas()
    return result
