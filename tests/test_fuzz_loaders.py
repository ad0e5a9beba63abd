"""Fuzzing every loader: whatever a file holds, the only error is a MentorcoreError
that names the file (and, for a fault in the data, the path inside it); and a
valid input written out and read back is equal.

Three kinds of input, for each loader:

* arbitrary text (and text of a valid file with characters inserted, deleted
  or replaced), read from a file with the loader's suffix;
* valid data (the examples and the installed plug-ins' programs) with one to
  three mutations: a value replaced by a value of another kind, a key deleted,
  renamed or added;
* valid data, which must load, and once written out and read back be equal.
"""

from __future__ import annotations

import copy
import csv
import datetime as dt
import io
import json
import os
import re
import tempfile
from collections.abc import Callable, Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorcore.engagements import Engagement
from mentorcore.errors import InputError, MentorcoreError
from mentorcore.io.converter import unstructure
from mentorcore.io.export import dump_toml, program_from_toml, program_to_toml
from mentorcore.io.loaders import (
    PEOPLE_CSV_COLUMNS,
    People,
    engagement_from_data,
    iter_csv_people,
    load_engagement,
    load_people,
    load_program,
    people_from_data,
    read_data,
)
from mentorcore.people import Leader, Location, Mentor, Role, School, Sector
from mentorcore.programs import Program

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
#: Examples per fuzz test; MENTORCORE_FUZZ_EXAMPLES=5000 for a long hunt.
EXAMPLES_PER_TEST = int(os.environ.get("MENTORCORE_FUZZ_EXAMPLES", "100"))
SETTINGS = settings(
    max_examples=EXAMPLES_PER_TEST, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
_SCRATCH = tempfile.TemporaryDirectory(prefix="mentorcore-fuzz-")
SCRATCH = Path(_SCRATCH.name)


def _files(pattern: str) -> list[Path]:
    return sorted(EXAMPLES.glob(pattern))


PEOPLE_FILES = _files("*/people.toml") + _files("plugin-author/tests/scenarios/people.toml")
ENGAGEMENT_FILES = [p for p in _files("*/*.toml") if "engagement" in p.name]
PROGRAM_FILES = sorted(ROOT.glob("plugins/*/src/mentorcore_*/program.toml"))
SCENARIO_FILES = _files("plugin-author/tests/scenarios/scenario_*.toml")


# -- strategies ---------------------------------------------------------------

JUNK: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-(10**20), 10**20),
    st.floats(),
    st.decimals(),
    st.text(max_size=12),
    st.sampled_from(["", " ", "principal", "IL", "2024-13-45", "onsite", "0", "-1", "nan"]),
    st.dates(),
    st.datetimes(),
    st.lists(st.one_of(st.integers(), st.text(max_size=4), st.none()), max_size=3),
    st.dictionaries(st.text(max_size=6), st.one_of(st.integers(), st.text(max_size=4)), max_size=2),
)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, (*path, index))


def _at(data: Any, path: tuple[Any, ...]) -> Any:
    for step in path:
        data = data[step]
    return data


@st.composite
def mutations(draw: st.DrawFn, original: Any) -> tuple[Any, int]:
    """``original`` with one to three mutations; also the depth of the shallowest one."""
    data = copy.deepcopy(original)
    shallowest = 10**6
    for _ in range(draw(st.integers(1, 3))):
        path = draw(st.sampled_from(list(_nodes(data))))
        action = draw(st.sampled_from(["replace", "replace", "delete", "rename", "add"]))
        shallowest = min(shallowest, len(path))
        if not path:
            data = draw(JUNK) if action == "replace" else data
            continue
        parent, last = _at(data, path[:-1]), path[-1]
        if action == "replace":
            parent[last] = draw(JUNK)
        elif action == "delete":
            del parent[last]
        elif action == "rename" and isinstance(parent, dict):
            parent[draw(st.text(min_size=1, max_size=8))] = parent.pop(last)
        elif action == "add":
            target = _at(data, path)
            if isinstance(target, dict):
                target[draw(st.text(max_size=8))] = draw(JUNK)
            elif isinstance(target, list):
                target.append(draw(JUNK))
    return data, shallowest


@st.composite
def garbled(draw: st.DrawFn, text: str) -> str:
    """``text`` with a few characters inserted, deleted or replaced."""
    chars = list(text)
    for _ in range(draw(st.integers(1, 4))):
        position = draw(st.integers(0, max(len(chars) - 1, 0)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        junk = draw(
            st.sampled_from(
                ['"', "'", "[", "]", "{", "}", "=", ",", "\n", "\\", "#", "\x00", "é", "1"]
            )
        )
        if action == "insert" or not chars:
            chars.insert(position, junk)
        elif action == "delete":
            del chars[position]
        else:
            chars[position] = junk
    return "".join(chars)


def _expect_only_input_errors(
    call: Callable[[], Any], file: str, *, path_expected: bool = False
) -> Any:
    """``call()``'s value, or ``None`` after a MentorcoreError naming ``file`` (and a path)."""
    try:
        return call()
    except MentorcoreError as exc:
        message = str(exc)
        assert file in message, f"the error does not name the file: {message}"
        if path_expected:
            assert isinstance(exc, InputError), message
            # a path, or the name of a missing top-level field
            assert exc.path or "field '" in message, f"the error names no path: {message}"
        return None


def _text_of(path: Path) -> str:
    return path.read_text(encoding="utf-8")


def _to_toml_data(value: Any) -> Any:
    """Plain data that tomli-w can write (it has no Decimal, and no null)."""
    if isinstance(value, dict):
        return {k: _to_toml_data(v) for k, v in value.items() if v is not None}
    if isinstance(value, (list, tuple)):
        return [_to_toml_data(v) for v in value if v is not None]
    if isinstance(value, Decimal):
        return float(value) if value.is_finite() else str(value)
    return value


def _json_default(value: Any) -> Any:
    if isinstance(value, (dt.date, dt.datetime, Decimal)):
        return str(value)
    raise TypeError(type(value).__name__)


# -- people: TOML, JSON, CSV --------------------------------------------------


@SETTINGS
@given(text=st.text(max_size=300), suffix=st.sampled_from([".toml", ".json", ".csv"]))
def test_any_text_as_a_people_file_is_read_or_refused_with_the_file_named(
    text: str, suffix: str
) -> None:
    path = SCRATCH / f"people{suffix}"
    path.write_text(text, encoding="utf-8")
    _expect_only_input_errors(lambda: load_people(path), str(path))


@SETTINGS
@given(
    content=st.binary(max_size=200),
    suffix=st.sampled_from([".toml", ".json", ".csv"]),
    loader=st.sampled_from(["people", "program", "engagement"]),
)
def test_any_bytes_in_any_file_are_read_or_refused_with_the_file_named(
    content: bytes, suffix: str, loader: str
) -> None:
    path = SCRATCH / f"{loader}-bytes{suffix}"
    path.write_bytes(content)
    if loader == "people":
        _expect_only_input_errors(lambda: load_people(path), str(path))
    elif loader == "program":
        _expect_only_input_errors(lambda: load_program(path), str(path))
    else:
        _expect_only_input_errors(lambda: load_engagement(path), str(path))


@SETTINGS
@given(
    data=st.data(), which=st.sampled_from(PEOPLE_FILES), suffix=st.sampled_from([".toml", ".json"])
)
def test_a_garbled_people_file_is_read_or_refused_with_the_file_named(
    data: st.DataObject, which: Path, suffix: str
) -> None:
    text = _text_of(which)
    if suffix == ".json":
        text = json.dumps(read_data(which), default=_json_default)
    name = f"garbled-people{suffix}"
    _expect_only_input_errors(
        lambda: people_from_data(read_data(name, data.draw(garbled(text))), name), name
    )


@SETTINGS
@given(data=st.data(), which=st.sampled_from(PEOPLE_FILES))
def test_mutated_people_data_is_read_or_refused_at_a_path(data: st.DataObject, which: Path) -> None:
    mutated, depth = data.draw(mutations(read_data(which)))
    people = _expect_only_input_errors(
        lambda: (
            people_from_data(mutated, "people.toml")
            if isinstance(mutated, dict)
            else people_from_data({"leaders": mutated}, "people.toml")
        ),
        "people.toml",
        path_expected=depth > 0,
    )
    if people is not None:
        _assert_people_round_trip(people)


#: Text as a person's fields hold it: no surrounding white space (CSV cells are
#: trimmed on reading), no ``;`` (the CSV list separator), no NUL.
TEXT = (
    st.text(
        st.characters(exclude_categories=["Cs"], exclude_characters=";\x00"),
        min_size=1,
        max_size=20,
    )
    .map(str.strip)
    .filter(bool)
)

LEADERS = st.builds(
    Leader,
    id=st.text(alphabet="abcdefghij-_0123456789", min_size=1, max_size=8),
    name=TEXT,
    role=st.sampled_from(list(Role)),
    role_started=st.dates(dt.date(1990, 1, 1), dt.date(2030, 12, 31)),
    first_time_in_role=st.booleans(),
    memberships=st.lists(st.sampled_from(["ipa", "acsa", "aasa"]), max_size=2, unique=True).map(
        tuple
    ),
    school=st.one_of(
        st.none(),
        st.builds(
            School,
            name=TEXT,
            state=st.sampled_from(["IL", "CA", "GA"]),
            sector=st.sampled_from(list(Sector)),
            level=st.one_of(st.none(), st.sampled_from(["elementary", "high"])),
        ),
    ),
    region=st.one_of(st.none(), TEXT),
    location=st.one_of(
        st.none(),
        st.builds(
            Location,
            latitude=st.decimals(-90, 90, places=4).map(float),
            longitude=st.decimals(-180, 180, places=4).map(float),
        ),
    ),
    goals=st.lists(
        st.sampled_from(["assessment", "teaching and learning"]), max_size=2, unique=True
    ).map(tuple),
    gender=st.one_of(st.none(), st.sampled_from(["female", "male", "nonbinary"])),
    prefer_same=st.lists(st.sampled_from(["gender", "race"]), max_size=2, unique=True).map(tuple),
)
MENTORS = st.builds(
    Mentor,
    id=st.text(alphabet="klmnopqrst", min_size=1, max_size=8),
    name=TEXT,
    role=st.sampled_from(list(Role)),
    capacity=st.integers(0, 5),
    credentials=st.lists(
        st.sampled_from(["principal_license", "certified_coach"]), max_size=2, unique=True
    ).map(tuple),
    years_as_leader=st.integers(0, 40),
    years_as_principal=st.integers(0, 40),
)


def _unique(people: list[Any]) -> list[Any]:
    seen: set[str] = set()
    return [p for p in people if not (p.id in seen or seen.add(p.id))]  # type: ignore[func-returns-value]


PEOPLE = st.builds(
    lambda leaders, mentors: People(*_split_unique(leaders, mentors)),
    st.lists(LEADERS, max_size=4),
    st.lists(MENTORS, max_size=3),
)


def _split_unique(
    leaders: list[Leader], mentors: list[Mentor]
) -> tuple[tuple[Leader, ...], tuple[Mentor, ...]]:
    everyone = _unique([*leaders, *mentors])
    return (
        tuple(p for p in everyone if isinstance(p, Leader)),
        tuple(p for p in everyone if isinstance(p, Mentor)),
    )


def _people_csv(people: People) -> str:
    """People as a CSV file of :data:`PEOPLE_CSV_COLUMNS`, as an export would write them."""
    out = io.StringIO()
    writer = csv.DictWriter(out, fieldnames=list(PEOPLE_CSV_COLUMNS))
    writer.writeheader()
    for person in people:
        row: dict[str, str] = {"kind": "mentor" if isinstance(person, Mentor) else "leader"}
        for name, value in unstructure(person).items():
            if name == "school":
                row.update({f"school_{k}": str(v) for k, v in value.items()})
            elif name == "location":
                row.update({k: repr(v) for k, v in value.items()})
            elif isinstance(value, list):
                row[name] = ";".join(value)
            elif isinstance(value, bool):
                row[name] = "true" if value else "false"
            else:
                row[name] = str(value)
        writer.writerow(row)
    return out.getvalue()


def _assert_people_round_trip(people: People) -> None:
    toml_text = dump_toml(_to_toml_data(unstructure(people)))
    assert people_from_data(read_data("back.toml", toml_text), "back.toml") == people
    json_text = json.dumps(unstructure(people), default=_json_default)
    assert people_from_data(read_data("back.json", json_text), "back.json") == people


@SETTINGS
@given(people=PEOPLE)
def test_people_written_as_toml_json_or_csv_read_back_equal(people: People) -> None:
    _assert_people_round_trip(people)
    assert list(iter_csv_people("back.csv", _people_csv(people))) == list(people)


@SETTINGS
@given(data=st.data(), people=PEOPLE.filter(lambda p: len(p.leaders) + len(p.mentors) > 0))
def test_a_mutated_csv_cell_is_refused_at_its_line_and_column(
    data: st.DataObject, people: People
) -> None:
    rows = list(csv.reader(io.StringIO(_people_csv(people))))
    record = data.draw(st.integers(1, len(rows) - 1))
    column = data.draw(st.integers(0, len(rows[0]) - 1))
    rows[record][column] = data.draw(
        st.one_of(
            st.text(max_size=8), st.sampled_from(["parochial", "x", "-3", "2024-02-30", "maybe"])
        )
    )
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    # the line the record starts on, counting the line breaks inside quoted cells
    line = 1 + sum(1 + sum(len(re.findall(r"\r\n|\r|\n", c)) for c in row) for row in rows[:record])
    try:
        list(iter_csv_people("people.csv", out.getvalue()))
    except InputError as exc:
        message = str(exc)
        assert message.startswith("people.csv:line "), message
        if exc.path and exc.path.startswith("column "):
            named = exc.path.removeprefix("column ")
            assert named in PEOPLE_CSV_COLUMNS, message
        if f"line {line}" not in message:  # a duplicate id is reported where it repeats
            assert "again" in message or "unique" in message, message


def test_a_parochial_school_is_refused_at_its_line_and_column() -> None:
    header = "id,name,role,role_started,school_name,school_state,school_sector"
    rows = [f"l{i},Leader {i},principal,2023-08-01,Lincoln,IL,public" for i in range(416)]
    rows.append("bad,Bad Sector,principal,2023-08-01,St. Anne,IL,parochial")
    text = "\n".join([header, *rows]) + "\n"
    with pytest.raises(InputError) as raised:
        list(iter_csv_people("people.csv", text))
    assert str(raised.value) == (
        "people.csv:line 418: column school_sector: found 'parochial', "
        "expected one of public, charter, private"
    )


@pytest.mark.parametrize(
    ("row", "message"),
    [
        (
            "a,A,principal,2023-08-01,Lincoln,,,",
            "people.csv:line 3: column school_state: no value, and one is required when a row has a school",
        ),
        (
            "a,A,principal,2023-08-01,,,41.9,",
            "people.csv:line 3: column longitude: no value, and one is required with the other coordinate",
        ),
        (
            "a,A,principal,,,,,",
            "people.csv:line 3: column role_started: no value, and one is required",
        ),
        (
            'a,"A\nB",principal,2023-02-30,,,,',
            "people.csv:line 3: column role_started: found '2023-02-30', expected a date such as 2024-08-01",
        ),
    ],
)
def test_a_csv_error_names_the_line_the_record_starts_on_and_the_column(
    row: str, message: str
) -> None:
    header = "id,name,role,role_started,school_name,school_state,latitude,longitude"
    text = f"{header}\nok,Ok,dean,2023-08-01,,,,\n{row}\n"
    with pytest.raises(InputError) as raised:
        list(iter_csv_people("people.csv", text))
    assert str(raised.value) == message


# -- engagements ---------------------------------------------------------------


def _engagement_people(path: Path) -> People | None:
    people = path.parent / "people.toml"
    return load_people(people) if people.exists() else None


@SETTINGS
@given(data=st.data(), which=st.sampled_from(ENGAGEMENT_FILES))
def test_mutated_engagement_data_is_read_or_refused_at_a_path(
    data: st.DataObject, which: Path
) -> None:
    people = _engagement_people(which)
    mutated, depth = data.draw(mutations(read_data(which)))
    engagement = _expect_only_input_errors(
        lambda: engagement_from_data(mutated, "engagement.toml", people),
        "engagement.toml",
        path_expected=depth > 0,
    )
    if engagement is not None:
        _assert_engagement_round_trip(engagement)


@SETTINGS
@given(data=st.data(), which=st.sampled_from(ENGAGEMENT_FILES))
def test_a_garbled_engagement_file_is_read_or_refused_with_the_file_named(
    data: st.DataObject, which: Path
) -> None:
    people = _engagement_people(which)
    text = data.draw(garbled(_text_of(which)))
    _expect_only_input_errors(
        lambda: engagement_from_data(read_data("engagement.toml", text), "engagement.toml", people),
        "engagement.toml",
    )


def _assert_engagement_round_trip(engagement: Engagement) -> None:
    text = dump_toml(_to_toml_data(unstructure(engagement)))
    assert engagement_from_data(read_data("back.toml", text), "back.toml") == engagement


@pytest.mark.parametrize("which", ENGAGEMENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_example_engagement_written_out_reads_back_equal(which: Path) -> None:
    engagement = engagement_from_data(read_data(which), str(which), _engagement_people(which))
    _assert_engagement_round_trip(engagement)


# -- program data files ---------------------------------------------------------


@SETTINGS
@given(text=st.text(max_size=300), suffix=st.sampled_from([".toml", ".json"]))
def test_any_text_as_a_program_file_is_read_or_refused_with_the_file_named(
    text: str, suffix: str
) -> None:
    name = f"program{suffix}"
    _expect_only_input_errors(lambda: load_program(name, text), name)


@settings(
    max_examples=EXAMPLES_PER_TEST // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data(), which=st.sampled_from(PROGRAM_FILES))
def test_mutated_program_data_is_read_or_refused_at_a_path(
    data: st.DataObject, which: Path
) -> None:
    mutated, depth = data.draw(mutations(read_data(which)))
    text = json.dumps(mutated, default=_json_default)
    program = _expect_only_input_errors(
        lambda: load_program("program.json", text), "program.json", path_expected=depth > 0
    )
    if program is not None:
        assert program_from_toml(program_to_toml(program)) == program


@settings(
    max_examples=EXAMPLES_PER_TEST // 2, deadline=None, suppress_health_check=[HealthCheck.too_slow]
)
@given(data=st.data(), which=st.sampled_from(PROGRAM_FILES))
def test_a_garbled_program_file_is_read_or_refused_with_the_file_named(
    data: st.DataObject, which: Path
) -> None:
    text = data.draw(garbled(_text_of(which)))
    program = _expect_only_input_errors(lambda: load_program("program.toml", text), "program.toml")
    if program is not None:
        assert program_from_toml(program_to_toml(program)) == program


@pytest.mark.parametrize("which", PROGRAM_FILES, ids=lambda p: p.parent.name)
def test_every_plugin_program_written_out_reads_back_equal(which: Path) -> None:
    program: Program = load_program(which)
    assert program_from_toml(program_to_toml(program)) == program


# -- CASE packages ---------------------------------------------------------------


def _case_module() -> Any:
    try:
        import mentorcore.io.case as module
    except ImportError:  # pragma: no cover - another engineer's module
        return None
    return module


CASE = _case_module()
FRAMEWORKS = [f for p in PROGRAM_FILES for f in load_program(p).frameworks]


@pytest.mark.skipif(CASE is None or not FRAMEWORKS, reason="no CASE import or no framework")
@SETTINGS
@given(data=st.data(), which=st.sampled_from(range(max(len(FRAMEWORKS), 1))))
def test_a_mutated_case_package_is_read_or_refused_at_a_path(
    data: st.DataObject, which: int
) -> None:
    package = json.loads(json.dumps(CASE.framework_to_case(FRAMEWORKS[which])))
    mutated, depth = data.draw(mutations(package))
    framework = _expect_only_input_errors(
        lambda: CASE.framework_from_case(mutated, file="case.json"),
        "case.json",
        path_expected=depth > 0,
    )
    if framework is not None:
        again = json.loads(json.dumps(CASE.framework_to_case(framework)))
        assert CASE.framework_from_case(again, file="again.json") == framework


@pytest.mark.skipif(CASE is None or not FRAMEWORKS, reason="no CASE import or no framework")
@SETTINGS
@given(text=st.text(max_size=200))
def test_any_text_as_a_case_file_is_read_or_refused_with_the_file_named(text: str) -> None:
    _expect_only_input_errors(
        lambda: CASE.framework_from_case(read_data("case.json", text), file="case.json"),
        "case.json",
    )


@pytest.mark.skipif(CASE is None or not FRAMEWORKS, reason="no CASE import or no framework")
@pytest.mark.parametrize("which", range(len(FRAMEWORKS)))
def test_every_plugin_framework_exported_as_case_reads_back_equal(which: int) -> None:
    framework = FRAMEWORKS[which]
    package = json.loads(json.dumps(CASE.framework_to_case(framework)))
    assert CASE.framework_from_case(package, file="case.json") == framework


# -- scenario files -----------------------------------------------------------------


def _scenarios_module() -> Any:
    try:
        import mentorcore.testing.scenarios as module
    except ImportError:  # pragma: no cover - another engineer's module
        return None
    return module


SCENARIOS = _scenarios_module()


@pytest.mark.skipif(SCENARIOS is None or not SCENARIO_FILES, reason="no scenario files")
@SETTINGS
@given(data=st.data(), which=st.sampled_from(SCENARIO_FILES or [Path("none")]))
def test_a_mutated_scenario_file_is_read_or_refused_at_a_path(
    data: st.DataObject, which: Path
) -> None:
    mutated, depth = data.draw(mutations(read_data(which)))
    path = SCRATCH / "scenario_fuzz.json"
    path.write_text(json.dumps(mutated, default=_json_default), encoding="utf-8")
    _expect_only_input_errors(
        lambda: SCENARIOS.load_scenario_file(path), str(path), path_expected=depth > 0
    )


@pytest.mark.skipif(SCENARIOS is None or not SCENARIO_FILES, reason="no scenario files")
@SETTINGS
@given(data=st.data(), which=st.sampled_from(SCENARIO_FILES or [Path("none")]))
def test_a_garbled_scenario_file_is_read_or_refused_with_the_file_named(
    data: st.DataObject, which: Path
) -> None:
    path = SCRATCH / "scenario_fuzz.toml"
    path.write_text(data.draw(garbled(_text_of(which))), encoding="utf-8")
    _expect_only_input_errors(lambda: SCENARIOS.load_scenario_file(path), str(path))
