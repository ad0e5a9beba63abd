"""A command line that fits the shell: help, metavars, exit codes, JSON, completion, wrapping."""

from __future__ import annotations

import argparse
import io
import json
import os
import shlex
from pathlib import Path

import pytest

from mentorcore.cli.main import build_parser, main

ROOT = Path(__file__).resolve().parent.parent
EXAMPLES = ROOT / "examples"


def _commands() -> dict[str, argparse.ArgumentParser]:
    parser = build_parser()
    action = next(a for a in parser._actions if isinstance(a, argparse._SubParsersAction))
    return dict(action.choices)


COMMANDS = _commands()


def _examples(parser: argparse.ArgumentParser) -> list[list[str]]:
    """The example command lines of a command's --help, without shell redirections."""
    text = (parser.epilog or "").removeprefix("example:\n").replace("\\\n", " ")
    lines = []
    for line in text.splitlines():
        words = shlex.split(line.split(">")[0].split("|")[0])
        lines.append(words)
    return lines


@pytest.fixture
def at_root(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.chdir(ROOT)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_command_has_a_one_line_description_and_an_example(name: str) -> None:
    parser = COMMANDS[name]
    action = next(a for a in build_parser()._actions if isinstance(a, argparse._SubParsersAction))
    summary = next(c.help for c in action._choices_actions if c.dest == name)
    assert summary and "\n" not in summary
    assert parser.description and parser.description.startswith(summary[0].upper())
    assert "example:\n  mentorcore " + name in parser.format_help()
    assert all(words[:2] == ["mentorcore", name] for words in _examples(parser))


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_metavars_are_date_and_file(name: str) -> None:
    from mentorcore.cli.main import parse_date

    files = {"people", "engagement", "assessment", "leaders", "mentors", "output"}
    for action in COMMANDS[name]._actions:
        if action.type is parse_date:
            assert action.metavar == "DATE", action.option_strings
            assert "YYYY-MM-DD" in (action.help or "")
        if action.dest in files:
            assert action.metavar == "FILE", (name, action.dest)


@pytest.mark.parametrize("name", sorted(COMMANDS))
def test_every_example_in_help_runs_and_its_json_is_valid_json(
    name: str, at_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    if name == "verify":
        pytest.skip("its examples verify a credential file that 'credential' writes first")
    if name == "serve":
        pytest.skip("its example starts a server that runs until stopped")
    for words in _examples(COMMANDS[name]):
        status = main(words[1:])
        out, err = capsys.readouterr()
        assert status in (0, 1), (words, err)
        has_json = any(
            a.dest == "json" and a.help != argparse.SUPPRESS for a in COMMANDS[name]._actions
        )
        if not has_json:
            continue
        argv = [w for w in words[1:] if w not in ("--json", "--jsonl")]
        status = main([*argv, "--json"])
        out, err = capsys.readouterr()
        assert status in (0, 1), (argv, err)
        json.loads(out)


def test_completion_refuses_json_with_a_message(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["completion", "bash", "--json"]) == 2
    assert "--json means nothing here" in capsys.readouterr().err


def test_export_refuses_json_with_toml_explicitly(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["export", "ipa", "--format", "toml", "--json"]) == 2
    assert "--format toml writes TOML, --json writes JSON" in capsys.readouterr().err


@pytest.mark.parametrize(
    ("file", "strict", "expected"),
    [
        ("ipa/engagement-met.toml", False, 0),
        ("ipa/engagement-in-progress.toml", False, 0),  # at risk
        ("ipa/engagement-in-progress.toml", True, 1),
        ("acsa/engagement-coaching-failing.toml", False, 1),  # not met
    ],
)
def test_check_and_report_exit_0_when_met_1_when_not(
    file: str, strict: bool, expected: int, at_root: None, capsys: pytest.CaptureFixture[str]
) -> None:
    folder = file.split("/")[0]
    argv = [f"examples/{file}", "--people", f"examples/{folder}/people.toml"]
    argv += ["--as-of", "2024-06-30"] + (["--strict"] if strict else [])
    for command in (["check"], ["report", "--audience", "program"]):
        for json_flag in ([], ["--json"]):
            status = main([*command, *argv, *json_flag])
            capsys.readouterr()
            assert status == expected, (command, file, strict, json_flag)


def test_a_usage_mistake_exits_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        main(["check", "x.toml", "--as-of", "2024-13-01"])
    assert caught.value.code == 2
    assert "expected a date such as 2024-08-01" in capsys.readouterr().err


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_code_is_printed_for_each_shell(
    shell: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["completion", shell]) == 0
    assert "mentorcore" in capsys.readouterr().out


def test_completion_completes_a_command_name(monkeypatch: pytest.MonkeyPatch) -> None:
    import argcomplete

    line = "mentorcore chec"
    monkeypatch.setenv("_ARGCOMPLETE", "1")
    monkeypatch.setenv("_ARGCOMPLETE_IFS", "\n")
    monkeypatch.setenv("COMP_LINE", line)
    monkeypatch.setenv("COMP_POINT", str(len(line)))
    out = io.StringIO()
    exits: list[int] = []
    argcomplete.autocomplete(build_parser(), output_stream=out, exit_method=exits.append)  # type: ignore[arg-type]
    assert exits == [0]
    assert out.getvalue().split() == ["check"]


def test_text_is_wrapped_to_the_terminal_width(
    at_root: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "60")
    assert main(["eligibility", "ipa", "examples/ipa/people.toml", "--on", "2023-09-15"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert max(len(line) for line in lines) <= 60
    assert any(line.startswith("    ") for line in lines)  # a continuation, indented


def test_programs_fits_80_columns(
    at_root: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    assert main(["programs"]) == 0
    out = capsys.readouterr().out
    assert max(len(line) for line in out.splitlines()) <= 80
    assert "ipa" in out


@pytest.mark.parametrize("name", ["", *sorted(COMMANDS)])
def test_help_fits_80_columns(
    name: str, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The docs and a reader's terminal show --help 80 wide: no line, example or not, is wider."""
    monkeypatch.setenv("COLUMNS", "80")
    with pytest.raises(SystemExit) as exited:
        main([name, "--help"] if name else ["--help"])
    assert exited.value.code == 0
    out = capsys.readouterr().out
    assert "usage: mentorcore" in out
    wide = [line for line in out.splitlines() if len(line) > 80]
    assert wide == [], f"mentorcore {name} --help: lines over 80 columns"


def test_text_is_not_wrapped_into_a_pipe(
    at_root: None, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.delenv("COLUMNS", raising=False)
    assert os.environ.get("COLUMNS") is None
    assert main(["eligibility", "ipa", "examples/ipa/people.toml", "--on", "2023-09-15"]) == 0
    assert max(len(line) for line in capsys.readouterr().out.splitlines()) > 100
