"""Every result through the one output converter: JSON types, schemas, the same data everywhere.

Each command's ``--json`` output on the example files validates against the
schema ``mentorcore schema COMMAND`` prints, and equals ``mentorcore.to_data``
of the API's result.
"""

from __future__ import annotations

import datetime as dt
import json
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path
from typing import Any

import jsonschema
import pytest

import mentorcore
from mentorcore.cli.main import main
from mentorcore.cli.schema import COMMANDS
from mentorcore.output import command_results, command_schema, json_schema, to_data, to_json
from mentorcore.registry import load_registry

EXAMPLES = Path(__file__).resolve().parents[1] / "examples"

needs_plugins = pytest.mark.skipif(
    not {"ipa", "acsa", "glisi", "ulead", "practice12"} <= set(load_registry().programs),
    reason="the bundled plug-ins are not installed",
)


def _runs() -> Iterator[tuple[str, list[str]]]:
    """(command, argv) for every command over the example files."""
    yield "programs", ["programs"]
    for program in ("ipa", "acsa", "glisi", "ulead", "practice12"):
        yield "show", ["show", program]
    for folder, on in (("ipa", "2024-06-30"), ("acsa", "2024-09-01")):
        people = str(EXAMPLES / folder / "people.toml")
        yield "eligibility", ["eligibility", folder, people, "--on", on]
    ipa_people = str(EXAMPLES / "ipa" / "people.toml")
    yield "quote", ["quote", "ipa", ipa_people, "--hours", "40", "--on", "2024-06-30"]
    yield "quote", ["quote", "ipa", ipa_people, "--hours", "20", "--on", "2025-01-15"]
    for engagement in sorted(EXAMPLES.glob("*/engagement*.toml")):
        people = engagement.parent / "people.toml"
        extra = ["--people", str(people)] if people.exists() else []
        for as_of in ("2024-06-30", "2026-06-30"):
            yield "check", ["check", str(engagement), *extra, "--as-of", as_of]
            for audience in ("leader", "mentor", "sponsor", "program"):
                yield (
                    "report",
                    ["report", str(engagement), *extra, "--as-of", as_of, "--audience", audience],
                )
    for assessment in sorted(EXAMPLES.glob("*/*assessment*.toml")):
        yield "assess", ["assess", str(assessment)]
    matching = EXAMPLES / "matching"
    for audience in ("pair", "program"):
        yield (
            "suggest",
            [
                "suggest",
                "ipa",
                "--leader",
                "sam",
                "--leaders",
                str(matching / "leaders.toml"),
                "--mentors",
                str(matching / "mentors.toml"),
                "--on",
                "2024-08-01",
                "--audience",
                audience,
            ],
        )
    for audience in ("pair", "sponsor", "program"):
        yield (
            "match",
            [
                "match",
                "ipa",
                "--leaders",
                str(matching / "leaders.toml"),
                "--mentors",
                str(matching / "mentors.toml"),
                "--on",
                "2024-08-01",
                "--audience",
                audience,
            ],
        )


RUNS = list(_runs())


def _json(capsys: pytest.CaptureFixture[str], argv: list[str]) -> Any:
    # check and report exit 1 when a requirement is not met; their JSON is the same.
    assert main([*argv, "--json"]) in ((0, 1) if argv[0] in ("check", "report") else (0,))
    return json.loads(capsys.readouterr().out)


def test_every_command_with_json_output_has_a_schema() -> None:
    assert set(COMMANDS) == set(command_results())
    assert {command for command, _ in RUNS} == set(COMMANDS)


@pytest.mark.parametrize("command", COMMANDS)
def test_each_schema_is_valid_draft_2020_12(command: str) -> None:
    schema = command_schema(command)
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)


def test_mentorcore_schema_prints_the_command_schema(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["schema", "check"]) == 0
    assert json.loads(capsys.readouterr().out) == command_schema("check")


@needs_plugins
@pytest.mark.parametrize(("command", "argv"), RUNS, ids=[" ".join(a[:2]) for _, a in RUNS])
def test_json_output_validates_against_the_command_schema(
    command: str, argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    data = _json(capsys, argv)
    jsonschema.Draft202012Validator(
        command_schema(command), format_checker=jsonschema.FormatChecker()
    ).validate(data)


@needs_plugins
def test_json_lines_give_the_same_rows_as_json(capsys: pytest.CaptureFixture[str]) -> None:
    people = str(EXAMPLES / "ipa" / "people.toml")
    for command, extra in (("eligibility", []), ("quote", ["--hours", "40"])):
        argv = [command, "ipa", people, "--on", "2024-06-30", *extra]
        rows = _json(capsys, argv)
        assert main([*argv, "--jsonl"]) == 0
        lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
        assert lines == rows
        schema = command_schema(command)
        item = {"$defs": schema["$defs"], **schema["items"]}
        for line in lines:
            jsonschema.validate(line, item)


@needs_plugins
def test_the_python_api_gives_the_data_json_prints(capsys: pytest.CaptureFixture[str]) -> None:
    registry = load_registry()
    people = mentorcore.load_people(EXAMPLES / "ipa" / "people.toml")
    on = dt.date(2024, 6, 30)
    decisions = [registry.decide("ipa", p, on) for p in (*people.leaders, *people.mentors)]
    assert _json(
        capsys, ["eligibility", "ipa", str(EXAMPLES / "ipa" / "people.toml"), "--on", str(on)]
    ) == mentorcore.to_data(decisions)
    engagement = mentorcore.load_engagement(EXAMPLES / "ipa" / "engagement-met.toml", people)
    checked = mentorcore.check_engagement(registry, engagement, on)
    argv = [
        "check",
        str(EXAMPLES / "ipa" / "engagement-met.toml"),
        "--people",
        str(EXAMPLES / "ipa" / "people.toml"),
        "--as-of",
        str(on),
    ]
    assert _json(capsys, argv) == to_data(checked)
    assert json.loads(to_json(checked)) == to_data(checked)


def _types(value: Any, path: str, seen: dict[str, set[str]]) -> None:
    if isinstance(value, dict):
        for key, inner in value.items():
            _types(inner, f"{path}.{key}", seen)
    elif isinstance(value, list):
        for inner in value:
            _types(inner, f"{path}[]", seen)
    elif value is not None:
        kind = (
            "number"
            if isinstance(value, (int, float)) and not isinstance(value, bool)
            else type(value).__name__
        )
        seen.setdefault(path, set()).add(kind)


@needs_plugins
def test_a_value_has_one_json_type_wherever_it_appears(capsys: pytest.CaptureFixture[str]) -> None:
    """``figures.value`` was "60" in one finding and 1 in another: now a number in both."""
    seen: dict[str, set[str]] = {}
    for command, argv in RUNS:
        if command in ("check", "report"):
            _types(_json(capsys, argv), command, seen)
    mixed = {path: kinds for path, kinds in seen.items() if len(kinds) > 1}
    # A finding's figures and a check's value hold what the rule measured; every
    # other key has one type.
    assert {p for p in mixed if ".figures." not in p} == set(), mixed
    assert seen["check.findings[].figures.value"] == {"number"}


def test_money_is_decimal_text_and_other_decimals_are_numbers() -> None:
    from mentorcore.rules.pricing import Package

    data = to_data(Package(hours=20, prices={"member": Decimal("1749.00")}))
    assert data == {"hours": 20, "prices": {"member": "1749.00"}}
    assert to_data(
        {"hours": Decimal("4.50"), "whole": Decimal("3"), "on": dt.date(2024, 9, 1)}
    ) == {
        "hours": 4.5,
        "whole": 3,
        "on": "2024-09-01",
    }
    schema = json_schema(Package)
    assert (
        schema["$defs"]["Package"]["properties"]["prices"]["additionalProperties"]["type"]
        == "string"
    )


def test_a_schema_for_openapi_refers_to_components() -> None:
    from mentorcore.rules.eligibility import Decision

    schema = json_schema(Decision, ref_prefix="#/components/schemas/")
    assert schema["$ref"] == "#/components/schemas/Decision"
    assert "Check" in schema["$defs"]


def test_a_progress_never_carries_the_logs_events() -> None:
    """A check's progress gives counts and tasks: the cycles' events hold the pair's notes."""
    from mentorcore.process import Progress

    properties = json_schema(Progress)["$defs"]["Progress"]["properties"]
    assert properties["cycles"] == {"type": "integer"}
    assert "OutOfOrderStep" in json.dumps(properties["out_of_order"])


def test_every_shape_names_a_result_class_and_its_fields() -> None:
    """Shapes are keyed by class name (so writing one result loads no other): no typo hides."""
    import importlib

    import attrs

    from mentorcore.output.data import _SHAPES, _VIEWS

    for name, shape in _SHAPES.items():
        module, _, qualname = name.rpartition(".")
        cls = getattr(importlib.import_module(module), qualname)
        assert attrs.has(cls), name
        fields = {a.name for a in attrs.fields(cls)}
        left_out = {key for key, value in shape.keys.items() if value is None}
        assert left_out <= fields, (name, left_out - fields)
        assert shape.optional <= fields | set(shape.keys), name
    for name in _VIEWS:
        module, _, qualname = name.rpartition(".")
        assert attrs.has(getattr(importlib.import_module(module), qualname)), name


def test_writing_a_check_loads_neither_matching_nor_descriptions() -> None:
    import subprocess
    import sys

    code = (
        "import sys, datetime as dt\n"
        "from mentorcore.output import to_data\n"
        "from mentorcore.checking import EngagementCheck\n"
        "before = set(sys.modules)\n"
        "to_data(EngagementCheck(engagement='e', program='p', kind='k', as_of=dt.date(2024, 1, 1),"
        " status='met', findings=()))\n"
        "print(sorted(m for m in set(sys.modules) - before if m.startswith(("
        "'mentorcore.matching', 'mentorcore.description', 'mentorcore.bulk'))))\n"
    )
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]"
