"""Warehouse tables: a state's leaders in Arrow, pandas or Parquet get the CSV path's answers."""

from __future__ import annotations

import datetime as dt
import json
import re
import shutil
from pathlib import Path

import pytest

pa = pytest.importorskip("pyarrow")
pq = pytest.importorskip("pyarrow.parquet")
pd = pytest.importorskip("pandas")
pa_csv = pytest.importorskip("pyarrow.csv")

from mentorcore.bulk import decide_many, iter_people, quote_many  # noqa: E402
from mentorcore.cli.main import main  # noqa: E402
from mentorcore.errors import InputError  # noqa: E402
from mentorcore.registry import Registry, load_registry  # noqa: E402
from mentorcore.tables import (  # noqa: E402
    DECISION_COLUMNS,
    QUOTE_COLUMNS,
    decide_frame,
    decide_table,
    decision_schema,
    quote_table,
)

ROOT = Path(__file__).resolve().parents[1]
LEADERS = ROOT / "examples" / "tables" / "leaders.csv"
ON = dt.date(2023, 9, 15)


@pytest.fixture(scope="module")
def installed() -> Registry:
    return load_registry()


@pytest.fixture
def leaders() -> object:
    return pa_csv.read_csv(LEADERS)


def test_every_row_of_an_arrow_table_gets_the_decision_of_the_csv_path(
    installed: Registry, leaders: object
) -> None:
    table = decide_table(installed, "ipa", leaders, ON)
    assert table.schema == decision_schema()
    assert table.column_names == list(DECISION_COLUMNS)
    expected = list(decide_many(installed, "ipa", iter_people(LEADERS), ON))
    rows = table.to_pylist()
    assert [r["person"] for r in rows] == [d.person for d in expected]
    for row, decision in zip(rows, expected, strict=True):
        assert row["outcome"] == decision.outcome
        assert row["eligible"] is decision.eligible
        assert row["explanation"] == decision.explanation
        # issue 10: the outcomes that would hold if unknown values turned out in
        # their favour, empty when nothing is unknown (not the outcome reached)
        assert row["possible"] == list(decision.possible)
        assert row["error"] is None
    assert [r["outcome"] for r in rows] == ["free", "free", "paid", "paid", "paid"]


def test_a_pandas_frame_gives_the_same_table(installed: Registry, leaders: object) -> None:
    frame = leaders.to_pandas()  # type: ignore[attr-defined]
    assert decide_table(installed, "ipa", frame, ON) == decide_table(installed, "ipa", leaders, ON)


BAD = """id,name,role,role_started,first_time_in_role,school_name,school_state,school_sector
ok1,Ann Lee,principal,2023-07-01,true,Lincoln,IL,public
bad1,Bob Ray,principal,2023-07-01,true,St. Ann,IL,parochial
bad2,Cy Dunn,principal,soon,true,Lincoln,IL,public
ok1,Ann Again,principal,2023-07-01,true,Lincoln,IL,public
ok2,Di Moss,dean,2023-07-01,false,Lincoln,IL,public
"""


def _csv_error(text: str, row: int) -> str:
    """The CSV path's error for data row ``row`` (from 1), read after the good first row:
    its error names line 3."""
    lines = text.splitlines()
    path = Path("people.csv")
    with pytest.raises(InputError) as caught:
        list(iter_people_text(path, "\n".join([lines[0], lines[1], lines[row]]) + "\n"))
    return str(caught.value)


def iter_people_text(path: Path, text: str) -> list[object]:
    from mentorcore.io.loaders import iter_csv_people

    return list(iter_csv_people(path, text))


def test_a_bad_row_gets_the_csv_paths_error_and_the_other_rows_are_decided(
    installed: Registry,
) -> None:
    table = pa_csv.read_csv(pa.py_buffer(BAD.encode()))
    rows = decide_table(installed, "ipa", table, ON, name="people.parquet").to_pylist()
    assert [r["person"] for r in rows] == ["ok1", "bad1", "bad2", "ok1", "ok2"]
    assert [r["outcome"] for r in rows] == ["free", None, None, None, "paid"]
    for number in (2, 3, 4):
        error = rows[number - 1]["error"]
        assert error.startswith(f"people.parquet:row {number}: column ")
        csv_error = _csv_error(BAD, number)
        assert csv_error.startswith("people.csv:line 3: column ")
        same = re.sub(r"^people\.csv:line \d+", f"people.parquet:row {number}", csv_error)
        assert error == same
    assert "school_sector" in rows[1]["error"]
    assert "again" in rows[3]["error"]


def test_a_column_that_is_not_a_people_column_is_refused_before_any_row(
    installed: Registry,
) -> None:
    table = pa.table({"id": ["a"], "salary": [1]})
    with pytest.raises(InputError, match="salary"):
        decide_table(installed, "ipa", table, ON)


def test_quotes_of_a_table_are_those_of_the_csv_path(installed: Registry, leaders: object) -> None:
    table = quote_table(installed, "ipa", leaders, 40, ON)
    assert table.column_names == list(QUOTE_COLUMNS)
    assert pa.types.is_decimal(table.schema.field("amount").type)
    expected = list(quote_many(installed, "ipa", iter_people(LEADERS), 40, ON))
    for row, quote in zip(table.to_pylist(), expected, strict=True):
        assert row["person"] == quote.person
        assert row["amount"] == quote.amount
        assert row["basis"] == quote.basis
        assert row["explanation"] == quote.explanation


def test_the_cli_reads_parquet_and_writes_parquet_that_pyarrow_reads(
    tmp_path: Path, leaders: object, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "leaders.parquet"
    pq.write_table(leaders, people)
    out = tmp_path / "decisions.parquet"
    assert (
        main(["eligibility", "ipa", str(people), "--on", ON.isoformat(), "--output", str(out)]) == 0
    )
    written = pq.read_table(out)
    assert written.schema == decision_schema()
    assert written.column("outcome").to_pylist() == ["free", "free", "paid", "paid", "paid"]

    assert main(["eligibility", "ipa", str(people), "--on", ON.isoformat(), "--json"]) == 0
    from_parquet = json.loads(capsys.readouterr().out)
    assert main(["eligibility", "ipa", str(LEADERS), "--on", ON.isoformat(), "--json"]) == 0
    assert from_parquet == json.loads(capsys.readouterr().out)

    quotes = tmp_path / "quotes.parquet"
    args = ["quote", "ipa", str(people), "--hours", "40", "--on", ON.isoformat()]
    assert main([*args, "--output", str(quotes)]) == 0
    amounts = [str(a) for a in pq.read_table(quotes).column("amount").to_pylist()]
    assert amounts == ["0.00", "0.00", "2999.00", "4499.00", "4499.00"]

    csv_out = tmp_path / "from-csv.parquet"
    argv = ["eligibility", "ipa", str(LEADERS), "--on", ON.isoformat(), "--output", str(csv_out)]
    assert main(argv) == 0
    assert pq.read_table(csv_out) == written


def test_read_people_table_reads_a_file_or_a_data_set_and_refuses_a_missing_file(
    tmp_path: Path, leaders: object
) -> None:
    from mentorcore.tables import read_people_table

    people = tmp_path / "leaders.parquet"
    pq.write_table(leaders, people)
    assert read_people_table(people) == pq.read_table(people)
    data_set = tmp_path / "by-state"
    pq.write_to_dataset(leaders, data_set, partition_cols=["school_state"])
    assert read_people_table(data_set).num_rows == pq.read_table(people).num_rows
    with pytest.raises(InputError, match=r"nobody\.parquet: no such file"):
        read_people_table(tmp_path / "nobody.parquet")
    not_parquet = tmp_path / "text.parquet"
    not_parquet.write_text("id,name\n")
    with pytest.raises(InputError, match=r"text\.parquet: cannot read the Parquet data"):
        read_people_table(not_parquet)


def test_output_must_be_a_parquet_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    argv = ["eligibility", "ipa", str(LEADERS), "--on", "2023-09-15", "--output", "x.csv"]
    assert main(argv) == 2
    assert ".parquet" in capsys.readouterr().err


# dask's own Parquet reader calls a pandas method pandas 3.1 deprecates; not ours to fix.
@pytest.mark.filterwarnings("ignore:The inplace keyword in DataFrame.reset_index")
def test_dask_map_partitions_over_a_partitioned_parquet_data_set(
    tmp_path: Path, installed: Registry, leaders: object
) -> None:
    dd = pytest.importorskip("dask.dataframe")
    data_set = tmp_path / "leaders"
    pq.write_to_dataset(leaders, data_set, partition_cols=["school_state"])
    frame = dd.read_parquet(data_set)
    assert frame.npartitions >= 2
    meta = decision_schema().empty_table().to_pandas()
    decisions = frame.map_partitions(decide_frame, "ipa", ON, meta=meta)
    result = decisions.compute(scheduler="synchronous")
    by_person = dict(zip(result["person"], result["outcome"], strict=True))
    assert by_person == {"ada": "free", "ben": "free", "dev": "paid", "eve": "paid", "fay": "paid"}
    shutil.rmtree(data_set)
