"""Fuzzing the command line, not only the loaders: generated and mutated files fed to every
command through its real entry point, in-process.

Whatever the file holds, a command returns 0, 1 (check, report: a requirement
not met) or 2 with ``mentorcore: error: FILE…`` on stderr; nothing else
escapes (no traceback, no other exception). Kinds of input:

* the text of an example file with a few bytes inserted, deleted or replaced
  (which may make it invalid UTF-8, or put a NUL or a control character in);
* an example's data with values replaced by hostile ones (huge integers,
  NaN, infinity, control characters, long text), written back as TOML,
  JSON or CSV;
* arbitrary bytes.

``MENTORCORE_FUZZ_EXAMPLES`` raises the number of examples for a long hunt.
"""

from __future__ import annotations

import contextlib
import csv
import io
import json
import os
import tempfile
import tomllib
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorcore.cli.main import main
from mentorcore.io.export import dump_toml, json_default

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
EXAMPLES_PER_TEST = int(os.environ.get("MENTORCORE_FUZZ_EXAMPLES", "25"))
SETTINGS = settings(
    max_examples=EXAMPLES_PER_TEST,
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.function_scoped_fixture],
)
_SCRATCH = tempfile.TemporaryDirectory(prefix="mentorcore-fuzz-cli-")
SCRATCH = Path(_SCRATCH.name)

PEOPLE = EXAMPLES / "ipa" / "people.toml"
COHORT = EXAMPLES / "matching" / "cohort.csv"
ENGAGEMENTS = sorted(p for p in EXAMPLES.glob("*/*.toml") if "engagement" in p.name)
ASSESSMENTS = sorted(p for p in EXAMPLES.glob("*/*.toml") if "assessment" in p.name)

#: The commands, each with the place of the fuzzed file ({file}).
COMMANDS: dict[str, list[str]] = {
    "eligibility": ["eligibility", "ipa", "{file}", "--on", "2023-09-15"],
    "eligibility --json": ["eligibility", "ipa", "{file}", "--on", "2023-09-15", "--json"],
    "quote": ["quote", "ipa", "{file}", "--hours", "40", "--on", "2024-09-01"],
    "quote --jsonl": ["quote", "ipa", "{file}", "--hours", "40", "--jsonl"],
    "match": [
        "match",
        "ipa",
        "--leaders",
        "{file}",
        "--mentors",
        str(EXAMPLES / "matching" / "mentors.toml"),
    ],
    "match mentors": ["match", "ipa", "--leaders", str(COHORT), "--mentors", "{file}", "--json"],
    "check": ["check", "{file}", "--people", str(PEOPLE), "--as-of", "2024-11-30"],
    "check --json": ["check", "{file}", "--as-of", "2024-11-30", "--json"],
    "report": ["report", "{file}", "--people", str(PEOPLE), "--audience", "sponsor"],
    "report --json": ["report", "{file}", "--audience", "program", "--json"],
    "assess": ["assess", "{file}"],
    "assess --json": ["assess", "{file}", "--json"],
}
PEOPLE_COMMANDS = [
    "eligibility",
    "eligibility --json",
    "quote",
    "quote --jsonl",
    "match",
    "match mentors",
]
ENGAGEMENT_COMMANDS = ["check", "check --json", "report", "report --json"]
ASSESSMENT_COMMANDS = ["assess", "assess --json"]

HOSTILE: st.SearchStrategy[Any] = st.one_of(
    st.sampled_from(
        [
            10**30,
            -(10**30),
            2**63 + 1,
            "1e30",
            "nan",
            "inf",
            "-inf",
            "\x1b[2J\x1b]0;title\x07",
            "Ann\r\nBob (bob): Free mentoring",
            "\x00",
            "\u202eevil",
            "x" * 5000,
            "",
            " ",
            0,
            -1,
            "2024-02-30",
            "9" * 5000,
        ]
    ),
    st.integers(),
    st.floats(),
    st.text(max_size=20),
    st.none(),
    st.booleans(),
    st.lists(st.text(max_size=5), max_size=3),
)


def run(command: str, path: Path) -> tuple[int, str]:
    """Run ``command`` on ``path`` through main(); returns the status and stderr."""
    argv = [str(path) if word == "{file}" else word for word in COMMANDS[command]]
    out, err = io.StringIO(), io.StringIO()
    with contextlib.redirect_stdout(out), contextlib.redirect_stderr(err):
        try:
            status = main(argv)
        except SystemExit as exc:  # argparse's usage errors only
            status = exc.code if isinstance(exc.code, int) else 2
            assert status == 2, err.getvalue()
            return status, err.getvalue()
    message = err.getvalue()
    assert status in (0, 1, 2), (argv, status, message)
    if status == 2:
        assert message.startswith("mentorcore: error: "), message
        assert "Traceback" not in message
    if status != 2 and "--json" in argv:
        json.loads(out.getvalue())
    if status != 2 and "--jsonl" in argv:
        for line in out.getvalue().splitlines():
            json.loads(line)
    if status != 2 and "--json" not in argv and "--jsonl" not in argv:
        text = out.getvalue()
        assert "\x1b" not in text and "\r" not in text and "\x00" not in text, text[:200]
    return status, message


_counter = iter(range(10**9))


def scratch(suffix: str, data: bytes) -> Path:
    path = SCRATCH / f"f{next(_counter)}{suffix}"
    path.write_bytes(data)
    return path


@st.composite
def garbled(draw: st.DrawFn, data: bytes) -> bytes:
    """``data`` with a few bytes inserted, deleted or replaced."""
    chunk = bytearray(data)
    for _ in range(draw(st.integers(1, 5))):
        at = draw(st.integers(0, max(len(chunk) - 1, 0)))
        action = draw(st.sampled_from(["insert", "delete", "replace"]))
        byte = draw(
            st.sampled_from([0, 0x1B, 0x0D, 0x0A, 0x22, 0x2C, 0x3D, 0x5B, 0xFF, 0xC3])
            | st.integers(0, 255)
        )
        if action == "insert":
            chunk.insert(at, byte)
        elif chunk and action == "delete":
            del chunk[at]
        elif chunk:
            chunk[at] = byte
    return bytes(chunk)


def _nodes(data: Any, path: tuple[Any, ...] = ()) -> Iterator[tuple[Any, ...]]:
    if path:
        yield path
    if isinstance(data, dict):
        for key, value in data.items():
            yield from _nodes(value, (*path, key))
    elif isinstance(data, list):
        for index, value in enumerate(data):
            yield from _nodes(value, (*path, index))


@st.composite
def hostile_data(draw: st.DrawFn, data: dict[str, Any]) -> dict[str, Any]:
    """``data`` with one to three values replaced by hostile ones."""
    data = json.loads(json.dumps(data, default=json_default))
    for _ in range(draw(st.integers(1, 3))):
        nodes = list(_nodes(data))
        if not nodes:
            break
        path = draw(st.sampled_from(nodes))
        parent = data
        for step in path[:-1]:
            parent = parent[step]
        parent[path[-1]] = draw(HOSTILE)
    return data


def _encode(data: dict[str, Any], fmt: str) -> bytes:
    if fmt == "json":
        return json.dumps(data, default=json_default, ensure_ascii=False).encode(
            "utf-8", "surrogatepass"
        )
    try:
        return dump_toml(_no_nulls(data)).encode("utf-8", "surrogatepass")
    except (TypeError, ValueError):
        return json.dumps(data, default=json_default).encode()


def _no_nulls(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _no_nulls(v) for k, v in value.items() if v is not None}
    if isinstance(value, list):
        return [_no_nulls(v) for v in value if v is not None]
    return value


@SETTINGS
@given(data=st.data(), command=st.sampled_from(PEOPLE_COMMANDS))
def test_a_garbled_people_file_gives_an_answer_or_an_input_error(
    data: st.DataObject, command: str
) -> None:
    source = data.draw(st.sampled_from([PEOPLE, COHORT]))
    path = scratch(source.suffix, data.draw(garbled(source.read_bytes())))
    run(command, path)


@SETTINGS
@given(
    data=st.data(), command=st.sampled_from(PEOPLE_COMMANDS), fmt=st.sampled_from(["toml", "json"])
)
def test_hostile_values_in_a_people_file_give_an_answer_or_an_input_error(
    data: st.DataObject, command: str, fmt: str
) -> None:
    people = tomllib.loads(PEOPLE.read_text(encoding="utf-8"))
    changed = data.draw(hostile_data(people))
    run(command, scratch(f".{fmt}", _encode(changed, fmt)))


@SETTINGS
@given(data=st.data(), command=st.sampled_from(PEOPLE_COMMANDS))
def test_hostile_cells_in_a_people_csv_give_an_answer_or_an_input_error(
    data: st.DataObject, command: str
) -> None:
    rows = list(csv.reader(io.StringIO(COHORT.read_text(encoding="utf-8"))))
    for _ in range(data.draw(st.integers(1, 3))):
        row = data.draw(st.integers(0, len(rows) - 1))
        cell = data.draw(st.integers(0, len(rows[row]) - 1))
        rows[row][cell] = str(data.draw(HOSTILE))
    out = io.StringIO()
    csv.writer(out).writerows(rows)
    run(command, scratch(".csv", out.getvalue().encode("utf-8", "surrogatepass")))


@SETTINGS
@given(data=st.data(), command=st.sampled_from(ENGAGEMENT_COMMANDS + ASSESSMENT_COMMANDS))
def test_a_garbled_engagement_or_assessment_gives_an_answer_or_an_input_error(
    data: st.DataObject, command: str
) -> None:
    sources = ASSESSMENTS if command.startswith("assess") else ENGAGEMENTS
    source = data.draw(st.sampled_from(sources))
    run(command, scratch(".toml", data.draw(garbled(source.read_bytes()))))


@SETTINGS
@given(
    data=st.data(),
    command=st.sampled_from(ENGAGEMENT_COMMANDS + ASSESSMENT_COMMANDS),
    fmt=st.sampled_from(["toml", "json"]),
)
def test_hostile_values_in_an_engagement_or_assessment_give_an_answer_or_an_input_error(
    data: st.DataObject, command: str, fmt: str
) -> None:
    sources = ASSESSMENTS if command.startswith("assess") else ENGAGEMENTS
    source = data.draw(st.sampled_from(sources))
    changed = data.draw(hostile_data(tomllib.loads(source.read_text(encoding="utf-8"))))
    run(command, scratch(f".{fmt}", _encode(changed, fmt)))


@SETTINGS
@given(
    blob=st.binary(max_size=300),
    command=st.sampled_from(sorted(COMMANDS)),
    suffix=st.sampled_from([".toml", ".json", ".csv", ""]),
)
def test_arbitrary_bytes_give_an_input_error_or_an_answer(
    blob: bytes, command: str, suffix: str
) -> None:
    run(command, scratch(suffix, blob))


@pytest.mark.parametrize("command", sorted(COMMANDS))
def test_every_command_refuses_a_missing_file_in_one_line(command: str) -> None:
    status, message = run(command, SCRATCH / "no-such-file.toml")
    assert status == 2
    assert message.strip().endswith("no-such-file.toml: no such file")
