"""Nothing read is executed: conditions, people, engagements, program data,
CASE packages and scenario files are data, and code in any field is text.

Every payload below would create a canary file if anything evaluated it (as
Python, a shell command, a template or YAML). The tests read it in every
field a file can carry, use it (decide, quote, check, export), and assert
that the canary does not exist and that the payload comes back as the same
text.
"""

from __future__ import annotations

import ast
import datetime as dt
import json
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from mentorcore.errors import InputError
from mentorcore.hookspecs import hookimpl
from mentorcore.io.export import program_from_toml, program_to_toml
from mentorcore.io.loaders import (
    People,
    load_engagement,
    load_people,
    load_program,
    people_from_data,
    read_data,
)
from mentorcore.programs import Program
from mentorcore.registry import load_registry
from mentorcore.rules.conditions import condition_from_data, condition_to_data, evaluate

SRC = Path(__file__).resolve().parent.parent / "src" / "mentorcore"


@pytest.fixture
def canary(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "canary"
    yield path
    assert not path.exists(), "a payload was executed"


def payloads(canary: Path) -> list[str]:
    """Code in the spellings an evaluator might run; each would create ``canary``."""
    target = str(canary)
    return [
        f"__import__('os').system('touch {target}')",
        f"open({target!r}, 'w').write('x')",
        f"$(touch {target})",
        f"`touch {target}`",
        f"{{{{ cycler.__init__.__globals__.os.system('touch {target}') }}}}",
        f"!!python/object/apply:os.system ['touch {target}']",
        f"${{jndi:ldap://x}}; touch {target}",
    ]


def _toml_string(text: str) -> str:
    return json.dumps(text)  # a JSON string is a valid TOML basic string


def _program_text(payload: str) -> str:
    p = _toml_string(payload)
    return f"""
id = "payload"
title = {p}
organization = {p}
description = {p}
sources = [{{ title = {p}, quote = {p}, note = {p} }}]

[[parameters]]
id = "motto"
title = {p}
values = [{{ start = 2020-07-01, value = {p}, note = {p} }}]

[[eligibility]]
id = "who"
title = {p}
description = {p}

[[eligibility.outcomes]]
id = "match"
title = {p}
eligible = true
when = {{ all = [
    {{ fact = "region", equals = {p}, says = {p} }},
    {{ parameter = "motto", in = [{p}], says = {p} }},
    {{ fact = "goals", contains = {p} }},
], says = {p} }}

[[eligibility.outcomes]]
id = "other"
title = "Other"
eligible = false

[[content]]
id = "text"
title = {p}
text = {p}
items = [{p}]
"""


def _people_toml(payload: str) -> str:
    p = _toml_string(payload)
    return f"""
[[leaders]]
id = {p}
name = {p}
role = "principal"
role_started = 2023-08-01
region = {p}
goals = [{p}]
memberships = [{p}]
interpersonal_style = {p}
school = {{ name = {p}, state = "IL", sector = "public", level = {p}, context = {p} }}

[[mentors]]
id = "m"
name = {p}
role = "principal"
credentials = [{p}]
expertise = [{p}]
"""


class _Plugin:
    def __init__(self, program: Program) -> None:
        self.program = program

    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        register(self.program)


def test_code_in_every_field_of_a_program_is_text_and_round_trips(canary: Path) -> None:
    for payload in payloads(canary):
        program = load_program("payload.toml", _program_text(payload))
        assert program.title == payload
        assert program.parameter("motto").values[0].value == payload
        assert program_from_toml(program_to_toml(program)) == program
        registry = load_registry([_Plugin(program)], entry_points=False)
        people = load_people_text(_people_toml(payload), "people.toml")
        leader = people.leaders[0]
        decision = registry.decide("payload", leader, dt.date(2024, 1, 1))
        assert decision.outcome == "match"
        assert payload in decision.explanation
        assert decision.checks[0].value == payload


def load_people_text(text: str, name: str) -> People:
    return people_from_data(read_data(name, text), name)


@pytest.mark.parametrize("form", ["toml", "json", "csv"])
def test_code_in_every_field_of_a_people_file_is_text(
    canary: Path, tmp_path: Path, form: str
) -> None:
    for index, payload in enumerate(payloads(canary)):
        path = tmp_path / f"people{index}.{form}"
        if form == "toml":
            path.write_text(_people_toml(payload), encoding="utf-8")
        elif form == "json":
            data = read_data("people.toml", _people_toml(payload))
            path.write_text(json.dumps(data, default=str), encoding="utf-8")
        else:
            cells = [
                payload,
                payload,
                "principal",
                "2023-08-01",
                payload,
                payload,
                payload,
                "IL",
                "public",
            ]
            quoted = ",".join('"' + c.replace('"', '""') + '"' for c in cells)
            header = "id,name,role,role_started,region,goals,school_name,school_state,school_sector"
            path.write_text(f"{header}\n{quoted}\n", encoding="utf-8")
        people = load_people(path)
        leader = people.leaders[0]
        assert (leader.id, leader.name, leader.region) == (payload, payload, payload)
        assert leader.school is not None and leader.school.name == payload


def test_code_in_an_engagement_file_is_text(canary: Path, tmp_path: Path) -> None:
    for index, payload in enumerate(payloads(canary)):
        p = _toml_string(payload)
        path = tmp_path / f"engagement{index}.toml"
        path.write_text(
            f"""
program = {p}
kind = {p}
id = {p}
start = 2023-08-15
end = 2024-05-31
contract_hours = 20
leader = {{ id = {p}, name = {p}, role = "principal", role_started = 2023-08-01 }}
mentor = {{ id = "m", name = {p}, role = "principal" }}

[[events]]
type = "interaction"
date = 2023-08-22
minutes = 60
mode = "onsite"
topics = [{p}]
notes = {p}

[[events]]
type = "artifact"
date = 2023-08-22
artifact = {p}
title = {p}
""",
            encoding="utf-8",
        )
        engagement = load_engagement(path)
        assert engagement.id == payload
        assert engagement.leader.name == payload


def test_code_where_a_condition_expects_a_fact_an_operator_or_a_value_is_refused_or_text(
    canary: Path,
) -> None:
    for payload in payloads(canary):
        as_fact = condition_from_data({"fact": payload, "equals": 1})
        held, checks = evaluate(as_fact, {payload: 1}, dt.date(2024, 1, 1))
        assert held and checks[0].fact == payload
        assert condition_from_data(condition_to_data(as_fact)) == as_fact
        with pytest.raises(InputError, match="unexpected key"):
            condition_from_data({"fact": "role", payload: 1})
        with pytest.raises(InputError, match="a condition table"):
            condition_from_data(payload)
        as_value = condition_from_data({"fact": "role", "in": [payload]})
        assert evaluate(as_value, {"role": payload}, dt.date(2024, 1, 1))[0]


def test_a_program_whose_rule_names_code_as_a_fact_is_refused_not_run(canary: Path) -> None:
    for payload in payloads(canary):
        text = _program_text("x").replace('fact = "region"', f"fact = {_toml_string(payload)}")
        registry = load_registry([_Plugin(load_program("p.toml", text))], entry_points=False)
        assert "payload" not in registry.programs
        assert "names unknown fact" in registry.failures[0].reason


def test_code_in_a_case_package_is_text(canary: Path) -> None:
    case = pytest.importorskip("mentorcore.io.case")
    from mentorcore.frameworks import Framework, Item

    for payload in payloads(canary):
        framework = Framework(
            id="payload",
            title=payload,
            items=(Item(code="C1", title=payload, text=payload),),
        )
        data = case.framework_to_case(framework)
        back = case.framework_from_case(json.loads(json.dumps(data)), file="case.json")
        assert back.title == payload
        assert back.items[0].title == payload


def test_code_in_a_scenario_file_is_text(canary: Path, tmp_path: Path) -> None:
    scenarios = pytest.importorskip("mentorcore.testing.scenarios")
    for index, payload in enumerate(payloads(canary)):
        p = _toml_string(payload)
        path = tmp_path / f"scenario_{index}.toml"
        path.write_text(
            f"""
program = {p}
plugins = [{p}]

[[scenario]]
name = {p}
on = 2024-01-01
leader = {{ id = {p}, name = {p}, role = "principal", role_started = 2023-08-01 }}
expect = {{ outcome = {p}, explanation = [{p}] }}

[[scenario]]
name = {p}
on = 2024-01-01
leader = {{ id = {p}, name = {p}, role = "principal", role_started = 2023-08-01 }}
expect = {{ error = {p} }}
""",
            encoding="utf-8",
        )
        loaded = scenarios.load_scenario_file(path)
        assert loaded.program == payload
        assert loaded.scenario[0].expect.explanation == (payload,)
        assert loaded.scenario[1].expect.error == payload
        assert loaded.scenario[0].name == payload
        assert loaded.plugins == (payload,)


_FORBIDDEN_CALLS = {"eval", "exec", "compile", "__import__", "execfile", "input"}
_FORBIDDEN_MODULES = {"pickle", "marshal", "shelve", "yaml", "dill", "cloudpickle", "code", "runpy"}


def test_the_library_has_no_way_to_run_what_it_reads() -> None:
    """No eval/exec/compile and no pickle or YAML loader anywhere in the core."""
    problems = []
    for path in sorted(SRC.rglob("*.py")):
        tree = ast.parse(path.read_text(encoding="utf-8"), str(path))
        for node in ast.walk(tree):
            where = f"{path.relative_to(SRC)}:{getattr(node, 'lineno', 0)}"
            if isinstance(node, ast.Call) and isinstance(node.func, ast.Name):
                if node.func.id in _FORBIDDEN_CALLS:
                    problems.append(f"{where}: calls {node.func.id}()")
            elif isinstance(node, ast.Import):
                problems += [
                    f"{where}: imports {a.name}"
                    for a in node.names
                    if a.name.split(".")[0] in _FORBIDDEN_MODULES
                ]
            elif (
                isinstance(node, ast.ImportFrom)
                and (node.module or "").split(".")[0] in _FORBIDDEN_MODULES
            ):
                problems.append(f"{where}: imports from {node.module}")
    assert problems == []
