"""Whatever a member system exports: each case of issue 12, replayed through the command line.

Every case gives one clear line naming the file (and the path inside it) and
exit status 2, or, for a spreadsheet's byte-order mark, CRLF line ends,
quoted line breaks and ``-`` (standard input), the right answer. The
commands run in-process through :func:`mentorcore.cli.main.main`, with the
installed plug-ins.
"""

from __future__ import annotations

import io
import json
import os
import socket
import sys
import threading
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentorcore.cli.main import main
from mentorcore.cli.output import emit_json_array, inline, table, terminal_safe

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"
IPA_PEOPLE = EXAMPLES / "ipa" / "people.toml"
IN_PROGRESS = EXAMPLES / "ipa" / "engagement-in-progress.toml"
MATCHING = EXAMPLES / "matching"

HEADER = "kind,id,name,role,role_started,first_time_in_role,memberships,school_name,school_state,school_sector"
ROW = "leader,ada,Ada Park,principal,2023-07-01,true,ipa,Lincoln Elementary,IL,public"

ENGAGEMENT = """
program = "ipa"
kind = "mentoring"
id = "ipa-test"
leader = "gus"
mentor = "maria"
start = 2024-02-01
end = 2025-01-31
contract_hours = 60

[[events]]
type = "interaction"
date = 2024-02-20
minutes = 180
mode = "onsite"
"""


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    status = main(list(argv))
    out, err = capsys.readouterr()
    return status, out, err


def refused(capsys: pytest.CaptureFixture[str], *argv: str) -> str:
    """Run a command that must refuse its input: exit 2, one line on stderr."""
    status, out, err = run(capsys, *argv)
    assert status == 2, (out, err)
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mentorcore: error: ")
    assert "Traceback" not in err
    return lines[0]


def check_and_report(capsys: pytest.CaptureFixture[str], path: Path) -> list[str]:
    people = ["--people", str(IPA_PEOPLE)]
    return [
        refused(capsys, "check", str(path), *people, "--as-of", "2024-11-30"),
        refused(
            capsys, "report", str(path), *people, "--audience", "sponsor", "--as-of", "2024-11-30"
        ),
    ]


# -- 1. numbers have documented bounds ------------------------------------------


def test_minutes_too_large_for_any_interaction_are_refused_in_check_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "engagement.toml"
    path.write_text(ENGAGEMENT.replace("minutes = 180", "minutes = " + "1" + "0" * 30))
    for line in check_and_report(capsys, path):
        assert f"{path}: events[0].minutes: found 1000000000000000000000000000000" in line
        assert "at most 10,080" in line


def test_contract_hours_of_1e30_are_refused_in_check_and_report(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "engagement.toml"
    path.write_text(ENGAGEMENT.replace("contract_hours = 60", 'contract_hours = "1e30"'))
    for line in check_and_report(capsys, path):
        assert "contract_hours: found '1E+30', expected a positive number of hours" in line
        assert "at most 10,000" in line


@pytest.mark.parametrize("value", ["nan", "inf", "-inf"])
def test_nan_and_infinity_are_outside_every_bound(
    value: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"{HEADER},latitude,longitude\n{ROW},{value},10\n")
    line = refused(capsys, "eligibility", "ipa", str(path), "--on", "2024-01-01")
    assert f"{path}:line 2: column latitude: found {float(value)!r}" in line
    assert "between -90 and 90" in line


@pytest.mark.parametrize("suffix", [".toml", ".json"])
def test_an_integer_of_more_than_4300_digits_is_an_input_error(
    suffix: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / f"engagement{suffix}"
    digits = "7" * 5000
    if suffix == ".toml":
        path.write_text(ENGAGEMENT.replace("minutes = 180", f"minutes = {digits}"))
    else:
        path.write_text('{"program": "ipa", "minutes": ' + digits + "}")
    line = refused(capsys, "check", str(path), "--people", str(IPA_PEOPLE))
    assert str(path) in line
    assert "4,300 digits" in line
    assert len(line) < 300


def test_a_capacity_above_2_to_the_63_is_refused_by_match(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    mentors = tmp_path / "mentors.toml"
    text = (MATCHING / "mentors.toml").read_text()
    assert "capacity = " in text
    mentors.write_text(text.replace("capacity = ", f"capacity = {2**63 + 1} # ", 1))
    line = refused(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(MATCHING / "leaders.toml"),
        "--mentors",
        str(mentors),
    )
    assert (
        f"{mentors}: mentors[0].capacity: found {2**63 + 1}, expected 0 to 1,000,000 leaders"
        in line
    )


@pytest.mark.parametrize("weight", ["1e308", "inf", "nan", "-1"])
def test_a_weight_out_of_bounds_is_refused_by_match(
    weight: str, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(
        capsys,
        "match",
        "ipa",
        "--leaders",
        str(MATCHING / "leaders.toml"),
        "--mentors",
        str(MATCHING / "mentors.toml"),
        "--weights",
        f"distance={weight}",
    )
    assert "--weights distance: found" in line
    assert "from 0 to 1,000" in line


def test_a_max_distance_of_infinity_is_a_usage_error(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["match", "ipa", "--leaders", "x", "--mentors", "y", "--max-distance", "inf"])
    assert caught.value.code == 2
    assert "kilometres from 0 to 20,040" in capsys.readouterr().err


# -- 2. only regular files; - is standard input; a size limit ---------------------


def _within(seconds: float, *argv: str) -> int:
    """Run main in a thread; fail (rather than hang) if it does not finish in time."""
    result: list[int] = []
    thread = threading.Thread(target=lambda: result.append(main(list(argv))), daemon=True)
    thread.start()
    thread.join(seconds)
    assert result, f"mentorcore {' '.join(argv)} did not finish in {seconds} s"
    return result[0]


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_is_refused_at_once_without_waiting_for_a_writer(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("people.toml", "people.csv"):
        fifo = tmp_path / name
        os.mkfifo(fifo)
        assert _within(10, "eligibility", "ipa", str(fifo)) == 2
        err = capsys.readouterr().err
        assert f"{fifo}: found a FIFO (named pipe), expected a regular file" in err


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="no /dev/zero")
def test_a_device_and_a_csv_link_to_one_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    link = tmp_path / "people.csv"
    link.symlink_to("/dev/zero")
    line = refused(capsys, "eligibility", "ipa", str(link))
    assert f"{link}: found a device, expected a regular file" in line
    line = refused(capsys, "check", "/dev/zero", "--format", "toml")
    assert "/dev/zero: found a device" in line


def test_a_directory_and_a_socket_are_refused(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    line = refused(capsys, "assess", str(tmp_path))
    assert "found a directory, expected a regular file" in line
    if hasattr(socket, "AF_UNIX"):
        path = tmp_path / "s.toml"
        with socket.socket(socket.AF_UNIX) as server:
            try:
                server.bind(str(path))
            except OSError:  # path too long for a socket on this system
                return
            line = refused(capsys, "check", str(path))
            assert "found a socket, expected a regular file" in line


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="no FIFOs here")
def test_a_fifo_named_parquet_is_refused_at_once(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    fifo = tmp_path / "people.parquet"
    os.mkfifo(fifo)
    for command in (["eligibility", "ipa"], ["quote", "ipa", "--hours", "20"]):
        assert _within(10, *command, str(fifo)) == 2
        err = capsys.readouterr().err
        assert err == (
            f"mentorcore: error: {fifo}: found a FIFO (named pipe), "
            "expected a regular file (or - for standard input)\n"
        )


def test_a_directory_or_a_missing_file_named_parquet_is_refused_as_any_other(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    pytest.importorskip("pyarrow")
    directory = tmp_path / "people.parquet"
    directory.mkdir()
    line = refused(capsys, "eligibility", "ipa", str(directory))
    assert line == (
        f"mentorcore: error: {directory}: found a directory, "
        "expected a regular file (or - for standard input)"
    )
    missing = tmp_path / "nobody.parquet"
    line = refused(capsys, "quote", "ipa", str(missing), "--hours", "20")
    assert line == f"mentorcore: error: {missing}: no such file"
    # The same words as for a missing CSV file.
    line = refused(capsys, "quote", "ipa", str(tmp_path / "nobody.csv"), "--hours", "20")
    assert line == f"mentorcore: error: {tmp_path / 'nobody.csv'}: no such file"


@pytest.fixture
def stdin(monkeypatch: pytest.MonkeyPatch) -> Iterator[object]:
    """Put text on standard input: ``stdin(text)``."""

    def put(text: str | bytes) -> None:
        data = text.encode("utf-8") if isinstance(text, str) else text
        monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(io.BytesIO(data))))

    yield put


@pytest.mark.parametrize("fmt", ["toml", "json", "csv"])
def test_a_dash_reads_standard_input_recognising_the_format(
    fmt: str, stdin: object, capsys: pytest.CaptureFixture[str]
) -> None:
    texts = {
        "toml": IPA_PEOPLE.read_text(),
        "json": json.dumps(
            {
                "leaders": [
                    {"id": "ada", "name": "Ada", "role": "principal", "role_started": "2023-07-01"}
                ]
            }
        ),
        "csv": f"{HEADER}\n{ROW}\n",
    }
    stdin(texts[fmt])  # type: ignore[operator]
    status, out, err = run(capsys, "eligibility", "ipa", "-", "--on", "2023-09-15", "--json")
    assert status == 0, err
    assert json.loads(out)[0]["person"] == "ada" if fmt != "toml" else json.loads(out)


def test_format_names_the_format_of_standard_input(
    stdin: object, capsys: pytest.CaptureFixture[str]
) -> None:
    stdin(IN_PROGRESS.read_text())  # type: ignore[operator]
    status, out, _ = run(
        capsys,
        "check",
        "-",
        "--format",
        "toml",
        "--people",
        str(IPA_PEOPLE),
        "--as-of",
        "2024-06-30",
        "--json",
    )
    assert status == 0
    assert json.loads(out)["engagement"] == "ipa-2024-gus"
    stdin("{")  # type: ignore[operator]
    line = refused(capsys, "check", "-")
    assert line.startswith("mentorcore: error: <stdin>: not valid JSON")


def test_standard_input_serves_one_file_at_most(capsys: pytest.CaptureFixture[str]) -> None:
    line = refused(capsys, "check", "-", "--people", "-")
    assert "standard input (-) for one file at most" in line


def test_a_file_over_the_size_limit_is_refused_before_it_is_read(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    big = tmp_path / "people.toml"
    big.write_text(IPA_PEOPLE.read_text())
    size = big.stat().st_size
    line = refused(capsys, "--max-file-size", "1K", "eligibility", "ipa", str(big))
    assert f"{big}: found {size:,} bytes, expected at most 1,024 bytes" in line
    monkeypatch.setenv("MENTORCORE_MAX_FILE_BYTES", "100")
    line = refused(capsys, "eligibility", "ipa", str(big))
    assert "expected at most 100 bytes" in line
    # CSV streams and has no limit.
    csv_file = tmp_path / "people.csv"
    csv_file.write_text(f"{HEADER}\n{ROW}\n")
    assert main(["eligibility", "ipa", str(csv_file), "--on", "2023-09-15"]) == 0


# -- 3. spreadsheet CSV ---------------------------------------------------------


def test_a_spreadsheet_csv_with_a_bom_crlf_and_line_breaks_in_quotes_reads(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    row = ROW.replace("Lincoln Elementary", '"Lincoln\r\nElementary"')
    path.write_bytes(("\ufeff" + HEADER + "\r\n" + row + "\r\n").encode("utf-8"))
    status, out, err = run(capsys, "eligibility", "ipa", str(path), "--on", "2023-09-15", "--json")
    assert status == 0, err
    assert json.loads(out)[0]["person"] == "ada"


def test_a_duplicate_csv_column_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    path.write_text(f"{HEADER},name\n{ROW},Ada Again\n")
    line = refused(capsys, "eligibility", "ipa", str(path))
    assert f"{path}:line 1: column name: found the column 'name' twice" in line


def test_a_duplicate_json_key_is_named(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "people.json"
    path.write_text('{"leaders": [], "leaders": []}')
    line = refused(capsys, "eligibility", "ipa", str(path))
    assert f"{path}: found the key 'leaders' twice in one object" in line


def test_a_duplicate_toml_table_is_named(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "engagement.toml"
    path.write_text(ENGAGEMENT + "\n[extra]\na = 1\n[extra]\nb = 2\n")
    line = refused(capsys, "check", str(path))
    assert f"{path}: not valid TOML: Cannot declare ('extra',) twice" in line


def test_a_nul_byte_is_named_with_its_line_and_column(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    row = ROW.replace("Ada Park", "Ada\x00Park")
    path.write_text(f"{HEADER}\n{row}\n")
    line = refused(capsys, "eligibility", "ipa", str(path))
    assert f"{path}:line 2: column name: found 'a NUL byte'" in line
    toml = tmp_path / "people.toml"
    toml.write_text(IPA_PEOPLE.read_text().replace("Ada", "A\x00da", 1))
    assert "found 'a NUL byte'" in refused(capsys, "eligibility", "ipa", str(toml))


# -- 4. terminal-safe human output, exact JSON -----------------------------------


def test_control_characters_from_data_are_escaped_for_people_and_exact_in_json(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    name = "Ada\x1b[2J\x1b]0;owned\x07\rBo (bo): Free mentoring"
    path.write_text(f"{HEADER}\n{ROW.replace('Ada Park', chr(34) + name + chr(34))}\n")
    status, out, _ = run(capsys, "eligibility", "ipa", str(path), "--on", "2023-09-15")
    assert status == 0
    assert "\x1b" not in out and "\r" not in out and "\x07" not in out
    assert "Ada\\x1b[2J\\x1b]0;owned\\x07\\rBo (bo): Free mentoring (ada)" in out
    path.write_text(f"{HEADER}\n{ROW.replace('ada,', 'a' + chr(27) + '[2Jda,')}\n")
    status, out, _ = run(capsys, "eligibility", "ipa", str(path), "--on", "2023-09-15", "--json")
    assert json.loads(out)[0]["person"] == "a\x1b[2Jda"  # JSON escapes it; read back, exact


def test_a_line_break_in_a_name_cannot_forge_a_line() -> None:
    assert inline("Ann\nBob (bob): Free") == "Ann\\nBob (bob): Free"
    assert terminal_safe("a\nb\u202ec") == "a\nb\\u202ec"
    assert "\n" not in table(["name"], [["x\ny"]]).split("\n", 2)[2]


# -- 5. short error lists ---------------------------------------------------------


def test_an_unknown_person_in_a_large_file_shows_a_few_ids_and_the_count(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "people.csv"
    rows = [ROW.replace("ada,Ada Park", f"p{n},Person {n}") for n in range(20_000)]
    path.write_text(HEADER + "\n" + "\n".join(rows) + "\n")
    line = refused(capsys, "eligibility", "ipa", str(path), "--person", "nobody")
    assert "unknown person 'nobody'" in line
    assert "… and 19,990 more (20,000 in all)" in line
    assert len(line) < 400


# -- 6. --json of a bulk command is written as produced --------------------------


def test_a_json_array_is_written_as_its_items_are_produced() -> None:
    out = io.StringIO()
    seen: list[str] = []

    def items() -> Iterator[dict[str, int]]:
        for n in range(3):
            seen.append(out.getvalue())
            yield {"n": n}

    emit_json_array(items(), out)
    assert seen[0] == "" and seen[2].count('"n"') == 2  # written before the next was made
    assert json.loads(out.getvalue()) == [{"n": 0}, {"n": 1}, {"n": 2}]
    empty = io.StringIO()
    emit_json_array(iter(()), empty)
    assert json.loads(empty.getvalue()) == []


# -- 7. every command validates the same way ---------------------------------------


@pytest.mark.parametrize(
    ("change", "path"),
    [
        (('program = "ipa"', 'program = "nope"'), "program: found 'nope'"),
        (('kind = "mentoring"', 'kind = "nope"'), "kind: found 'nope'"),
        (('mode = "onsite"', 'mode = "onsite"\nitems = ["NOPE.1"]'), "events[0].items[0]"),
    ],
)
def test_report_validates_the_engagement_as_check_does(
    change: tuple[str, str], path: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    file = tmp_path / "engagement.toml"
    file.write_text(ENGAGEMENT.replace(*change))
    check_line, report_line = check_and_report(capsys, file)
    assert f"{file}: {path}" in check_line
    assert check_line == report_line


def test_report_refuses_an_unknown_task(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    text = (EXAMPLES / "glisi" / "engagement-mid-cycle.toml").read_text()
    assert 'task = "' in text
    file = tmp_path / "engagement.toml"
    file.write_text(text.replace('task = "', 'task = "nope_', 1))
    status, _, err = run(capsys, "report", str(file), "--audience", "program")
    assert status == 2
    assert f"{file}: events[" in err and "task" in err


# -- 8. a missing extra is an instruction -------------------------------------------


def test_match_without_the_matching_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "numpy", None)
    line = refused(capsys, "match", "ipa", "--leaders", "a.toml", "--mentors", "b.toml")
    assert "mentorcore match needs the 'matching' extra (not installed: numpy)" in line
    assert "pip install 'mentorcore[matching]'" in line


def test_completion_without_its_extra_says_how_to_install_it(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(sys.modules, "argcomplete", None)
    line = refused(capsys, "completion", "bash")
    assert "pip install 'mentorcore[completion]'" in line
