"""The command line: JSON contracts, readable text, errors without tracebacks."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from mentorcore.cli.main import main
from mentorcore.registry import Registry

PEOPLE = """
[[leaders]]
id = "ada"
name = "Ada Park"
role = "principal"
role_started = 2022-08-01
first_time_in_role = true
memberships = ["ipa"]
school = { name = "Lincoln Elementary", state = "IL", sector = "public" }

[[leaders]]
id = "bo"
name = "Bo Chen"
role = "dean"
role_started = 2022-08-01
school = { name = "St. Anne", state = "IL", sector = "private" }

[[mentors]]
id = "mo"
name = "Mo Reyes"
role = "principal"
"""

ENGAGEMENT = """
program = "demo"
kind = "mentoring"
id = "ada-mo"
leader = "ada"
mentor = "mo"
start = 2022-08-01
end = 2023-06-30
contract_hours = 20
events = [
  { type = "interaction", date = 2022-09-01, minutes = 90, mode = "onsite", notes = "private" },
  { type = "interaction", date = 2022-10-01, minutes = 60, mode = "phone" },
]
"""


@pytest.fixture
def files(tmp_path: Path) -> Path:
    (tmp_path / "people.toml").write_text(PEOPLE, encoding="utf-8")
    (tmp_path / "engagement.toml").write_text(ENGAGEMENT, encoding="utf-8")
    return tmp_path


def run_json(
    capsys: pytest.CaptureFixture[str],
    *argv: str,
    registry: Registry | None = None,
    status: int = 0,
) -> object:
    assert main([*argv, "--json"], registry=registry) == status
    return json.loads(capsys.readouterr().out)


def test_eligibility_json_has_the_documented_keys(
    cli_registry: Registry, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = run_json(
        capsys,
        "eligibility",
        "demo",
        str(files / "people.toml"),
        "--on",
        "2022-09-01",
        registry=cli_registry,
    )
    assert isinstance(rows, list)
    assert [(r["person"], r["outcome"], r["eligible"]) for r in rows] == [
        ("ada", "free", True),
        ("bo", "paid", True),
    ]
    assert {"person", "program", "on", "outcome", "eligible", "explanation", "checks"} <= set(
        rows[0]
    )
    assert rows[0]["on"] == "2022-09-01"
    assert rows[0]["checks"][0] == {
        "fact": "role",
        "value": "principal",
        "expectation": "= principal",
        "passed": True,
        "says": "is a lead/head principal",
        "note": "",
    }


def test_quote_json_gives_amounts_as_decimal_text(
    cli_registry: Registry, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    rows = run_json(
        capsys,
        "quote",
        "demo",
        str(files / "people.toml"),
        "--hours",
        "20",
        "--on",
        "2024-09-01",
        registry=cli_registry,
    )
    assert [(r["person"], r["basis"], r["amount"], r["currency"], r["hours"]) for r in rows] == [
        ("ada", "member", "1749.00", "USD", 20),
        ("bo", "non_member", "2629.00", "USD", 20),
    ]


def test_check_json_gives_the_worst_status_and_findings(
    cli_registry: Registry, files: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    data = run_json(
        capsys,
        "check",
        str(files / "engagement.toml"),
        "--people",
        str(files / "people.toml"),
        "--as-of",
        "2023-07-01",
        registry=cli_registry,
        status=1,  # not met: a script can gate on it
    )
    assert isinstance(data, dict)
    assert data["status"] == "not_met"
    old_keys = ("requirement", "title", "status", "detail", "figures")
    assert [{key: f[key] for key in old_keys} for f in data["findings"]] == [
        {
            "requirement": "onsite",
            "title": "Three on-site sessions",
            "status": "not_met",
            "detail": "1 of 3 on-site sessions",
            # One JSON type per value (issue 11): a bound is a number, as the value is.
            "figures": {"value": 1, "expected": 3},
        }
    ]
    # Keys added since: the references the finding was computed from.
    assert {"parts", "events", "attributes"} <= set(data["findings"][0])
    assert data["audience"] == "program"


def test_show_prints_rules_in_plain_words(
    cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "demo"], registry=cli_registry) == 0
    out = capsys.readouterr().out
    assert "Free mentoring when:" in out
    assert "- works in Illinois (school.state one of IL)" in out
    assert "20 hours" in out and "1749" in out


def test_export_toml_reads_back_to_an_equal_program(
    cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    from mentorcore.io.export import program_from_toml

    assert main(["export", "demo", "--format", "toml"], registry=cli_registry) == 0
    assert program_from_toml(capsys.readouterr().out) == cli_registry.program("demo")


def test_bad_input_prints_one_line_and_exits_2(
    cli_registry: Registry, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "people.toml"
    bad.write_text(PEOPLE.replace('state = "IL"', 'state = "Illinois"', 1), encoding="utf-8")
    assert main(["eligibility", "demo", str(bad)], registry=cli_registry) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert (
        "leaders[0].school.state: found 'Illinois', expected a two-letter state code"
        in captured.err
    )


def test_an_unknown_program_exits_2(
    cli_registry: Registry, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["show", "nope"], registry=cli_registry) == 2
    assert "unknown program 'nope'; known: demo" in capsys.readouterr().err


def test_programs_json_runs_with_no_plugin_installed() -> None:
    env = dict(os.environ, MENTORCORE_PLUGINS="none")
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore.cli.main", "programs", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["programs"] == []
    assert [p["name"] for p in data["plugins"]] == ["mentorcore"]
    assert data["failures"] == []


@pytest.mark.parametrize(
    ("change", "message"),
    [
        (
            ('program = "demo"', 'program = "nope"'),
            "engagement.toml: program: found 'nope', expected an installed program: demo",
        ),
        (
            ('kind = "mentoring"', 'kind = "coaching"'),
            "engagement.toml: kind: found 'coaching', expected a kind of 'demo': mentoring",
        ),
        (
            ('mode = "phone" }', 'mode = "phone", items = ["X-9"] }'),
            "engagement.toml: events[1].items[0]: found 'X-9'",
        ),
    ],
)
def test_unknown_ids_in_an_engagement_file_name_their_path(
    cli_registry: Registry,
    files: Path,
    capsys: pytest.CaptureFixture[str],
    change: tuple[str, str],
    message: str,
) -> None:
    path = files / "engagement.toml"
    path.write_text(ENGAGEMENT.replace(*change), encoding="utf-8")
    assert (
        main(["check", str(path), "--people", str(files / "people.toml")], registry=cli_registry)
        == 2
    )
    assert message in capsys.readouterr().err


def test_programs_json_lists_every_installed_plugin() -> None:
    import importlib.metadata

    installed = {ep.name for ep in importlib.metadata.entry_points(group="mentorcore")}
    if not installed:
        pytest.skip("no organization plug-in is installed")
    env = {k: v for k, v in os.environ.items() if k != "MENTORCORE_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore.cli.main", "programs", "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert data["failures"] == []
    assert {p["name"] for p in data["plugins"]} == {"mentorcore", *installed}
    assert {p["plugin"] for p in data["programs"]} == installed


def test_the_demo_walks_every_installed_programs_examples(
    capsys: pytest.CaptureFixture[str],
) -> None:
    import importlib.metadata

    installed = {ep.name for ep in importlib.metadata.entry_points(group="mentorcore")}
    if not installed:
        pytest.skip("no organization plug-in is installed")
    examples = Path(__file__).resolve().parent.parent / "examples"
    assert main(["demo", "--examples", str(examples)]) == 0
    out = capsys.readouterr().out
    assert out.rstrip().endswith("Demo finished: every step ran.")
    for program in installed & {p.name for p in examples.iterdir() if p.is_dir()}:
        assert f"$ mentorcore show {program}" in out
    assert "$ mentorcore match ipa" in out


def test_the_demo_needs_an_examples_folder(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["demo", "--examples", str(tmp_path / "nowhere")]) == 2
    assert "no examples folder here" in capsys.readouterr().err
