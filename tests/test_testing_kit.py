"""The plug-in author's kit: conformance, scenario files, the pytest plug-in, the worked example."""

from __future__ import annotations

import datetime as dt
import importlib
import inspect
import json
import os
import shutil
import subprocess
import sys
import textwrap
from collections.abc import Callable, Iterator
from pathlib import Path
from types import ModuleType

import attrs
import pytest

from mentorcore import hookimpl, load_registry
from mentorcore.errors import InputError
from mentorcore.programs import Program
from mentorcore.registry import Registry
from mentorcore.rules.conditions import AllOf, Compare
from mentorcore.testing import (
    ConformanceError,
    assert_conformant,
    conformance_problems,
    is_scenario_file,
    load_scenario_file,
    registry_for,
    run_scenario,
)
from mentorcore.testing import plugin as pytest_plugin

ROOT = Path(__file__).resolve().parents[1]
EXAMPLE = ROOT / "examples" / "plugin-author"
SCENARIOS = EXAMPLE / "tests" / "scenarios"

IL_PRINCIPAL = (
    '{ id = "a", name = "A", role = "principal", role_started = 2023-07-01, '
    'first_time_in_role = true, school = { name = "S", state = "IL", sector = "charter" } }'
)


@pytest.fixture
def district(monkeypatch: pytest.MonkeyPatch) -> Iterator[ModuleType]:
    """The example plug-in's module, importable from the source tree."""
    monkeypatch.syspath_prepend(str(EXAMPLE / "src"))
    yield importlib.import_module("mentorcore_example_district.plugin")


@pytest.fixture
def ipa() -> ModuleType:
    """IPA's plug-in module (installed with the other bundled plug-ins)."""
    return importlib.import_module("mentorcore_ipa.plugin")


def _registry_with(program: Program, *plugins: object) -> Registry:
    class Contributes:
        @hookimpl
        def register_programs(self, register: Callable[[Program], None]) -> None:
            register(program)

    return load_registry(
        {"under_test": Contributes(), **{str(i): p for i, p in enumerate(plugins)}},
        entry_points=False,
    )


def _write(path: Path, text: str) -> Path:
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return path


# -- conformance ---------------------------------------------------------------


def test_every_bundled_program_conforms() -> None:
    registry = load_registry(refresh=True)
    assert set(registry.programs) >= {"ipa", "acsa", "ulead", "glisi", "practice12"}
    for program_id in ("ipa", "acsa", "ulead", "glisi", "practice12"):
        assert conformance_problems(registry, program_id) == [], program_id


def test_the_example_program_conforms(district: ModuleType, ipa: ModuleType) -> None:
    assert_conformant(load_registry([district, ipa], entry_points=False), "example_district")


def test_a_comparison_without_says_is_an_unexplained_rule(
    district: ModuleType, ipa: ModuleType
) -> None:
    program = district.load()
    rule = program.eligibility[0]
    free = rule.outcomes[0]
    assert isinstance(free.when, AllOf)
    first = free.when.conditions[0]
    assert isinstance(first, Compare)
    silent = attrs.evolve(first, says="")
    when = attrs.evolve(free.when, conditions=(silent, *free.when.conditions[1:]))
    outcomes = (attrs.evolve(free, when=when), *rule.outcomes[1:])
    changed = attrs.evolve(program, eligibility=(attrs.evolve(rule, outcomes=outcomes),))
    problems = conformance_problems(
        _registry_with(changed, _only_facts_and_checks(district)), "example_district"
    )
    assert problems == [
        "eligibility rule 'coaching', outcome 'free': the comparison of "
        "'example_district.school_district' (= Example Unified) has no 'says': "
        "add the condition in plain words"
    ]


def test_a_program_without_a_source_does_not_conform(district: ModuleType, ipa: ModuleType) -> None:
    program = attrs.evolve(district.load(), sources=())
    with pytest.raises(ConformanceError) as raised:
        assert_conformant(
            _registry_with(program, _only_facts_and_checks(district)), "example_district"
        )
    assert "names no source" in str(raised.value)
    assert str(raised.value).startswith("program 'example_district' does not conform:")


def test_a_program_that_is_not_loaded_names_the_plugin_failure() -> None:
    class Broken:
        @hookimpl
        def register_programs(self, register: Callable[[Program], None]) -> None:
            raise RuntimeError("program.toml is missing")

    registry = load_registry({"broken": Broken()}, entry_points=False)
    problems = conformance_problems(registry, "broken_program")
    assert problems[0].startswith("program 'broken_program' is not loaded")
    assert any("program.toml is missing" in p for p in problems)


def test_a_program_that_names_an_unknown_metric_does_not_validate(district: ModuleType) -> None:
    program = district.load()
    kind = program.kinds[0]
    wrong = attrs.evolve(kind.requirements[0], metric="sessions_onsite")
    changed = attrs.evolve(
        program, kinds=(attrs.evolve(kind, requirements=(wrong, *kind.requirements[1:])),)
    )
    registry = load_registry(
        {"district": _only_facts_and_checks(district), "under_test": _contributing(changed)},
        entry_points=False,
    )
    problems = conformance_problems(registry, "example_district")
    assert any("sessions_onsite" in p for p in problems), problems


def _contributing(program: Program) -> object:
    class Contributes:
        @hookimpl
        def register_programs(self, register: Callable[[Program], None]) -> None:
            register(program)

    return Contributes()


def _only_facts_and_checks(district: ModuleType) -> object:
    class FactsAndChecks:
        register_facts = staticmethod(district.register_facts)
        register_checks = staticmethod(district.register_checks)

    return FactsAndChecks()


# -- scenario files ------------------------------------------------------------


def test_scenario_files_are_named_scenario_star_or_star_scenario() -> None:
    assert is_scenario_file(Path("tests/scenarios/scenario_free.toml"))
    assert is_scenario_file(Path("free.scenario.toml"))
    assert not is_scenario_file(Path("pyproject.toml"))
    assert not is_scenario_file(Path("scenario_notes.txt"))


def test_the_example_scenarios_all_hold() -> None:
    loaded = load_scenario_file(SCENARIOS / "scenario_example_district.toml")
    assert len(loaded.scenario) == 8
    registry = _example_registry()
    for index, scenario in enumerate(loaded.scenario):
        problems = run_scenario(
            scenario,
            registry,
            loaded.program,
            people=loaded.load_people(),
            base=loaded.directory,
            path=f"scenario[{index}]",
        )
        assert problems == [], scenario.name


def _example_registry() -> Registry:
    sys.path.insert(0, str(EXAMPLE / "src"))
    try:
        district = importlib.import_module("mentorcore_example_district.plugin")
    finally:
        sys.path.remove(str(EXAMPLE / "src"))
    return load_registry(
        [district, importlib.import_module("mentorcore_ipa.plugin")], entry_points=False
    )


def test_a_misspelled_key_is_rejected_with_its_path(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "scenario_typo.toml",
        f"""\
        program = "ipa"
        [[scenario]]
        name = "typo"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        expect = {{ outcome = "free", eligble = true }}
        """,
    )
    with pytest.raises(InputError) as raised:
        load_scenario_file(path)
    message = str(raised.value)
    assert message.startswith(
        f"{path}: scenario[0].expect.eligble: found unexpected field 'eligble'"
    )


def test_an_expectation_that_does_not_fit_the_subject_is_rejected(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "scenario_amount.toml",
        f"""\
        program = "ipa"
        [[scenario]]
        name = "an amount without hours"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        expect = {{ amount = "0.00" }}
        """,
    )
    with pytest.raises(
        InputError,
        match=r"scenario\[0\]\.expect\.amount: .*expected an expectation "
        r"of a decision: one of defaults, eligible, explanation, outcome, possible",
    ):
        load_scenario_file(path)


def test_a_scenario_needs_exactly_one_subject_and_an_expectation(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "scenario_two.toml",
        """\
        program = "ipa"
        [[scenario]]
        name = "two subjects"
        on = 2023-09-15
        leader = "a"
        engagement = "e.toml"
        expect = { outcome = "free" }
        """,
    )
    with pytest.raises(InputError, match="exactly one of leader, mentor, engagement, assessment"):
        load_scenario_file(path)
    path = _write(
        tmp_path / "scenario_none.toml",
        f"""\
        program = "ipa"
        [[scenario]]
        name = "nothing expected"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        expect = {{}}
        """,
    )
    with pytest.raises(
        InputError, match=r"scenario\[0\]\.expect: found nothing, expected at least one expectation"
    ):
        load_scenario_file(path)


def test_every_expected_output_is_checked_not_only_the_first(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "scenario_wrong.toml",
        f"""\
        program = "ipa"
        [[scenario]]
        name = "wrong on three counts"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        expect = {{ outcome = "paid", eligible = false, explanation = ["is a dean"] }}
        """,
    )
    loaded = load_scenario_file(path)
    problems = run_scenario(loaded.scenario[0], registry_for(loaded), "ipa")
    assert problems[:3] == [
        "outcome: expected 'paid', got 'free'",
        "eligible: expected False, got True",
        "explanation: expected it to contain 'is a dean'",
    ]
    assert problems[3].startswith("the explanation was: Free mentoring, because:")


def test_an_expected_error_must_be_raised(tmp_path: Path) -> None:
    path = _write(
        tmp_path / "scenario_error.toml",
        f"""\
        program = "ipa"
        [[scenario]]
        name = "35 hours is not a package"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        hours = 35
        expect = {{ error = "one of the packages offered" }}

        [[scenario]]
        name = "40 hours is a package"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        hours = 40
        expect = {{ error = "one of the packages offered" }}
        """,
    )
    loaded = load_scenario_file(path)
    registry = registry_for(loaded)
    assert run_scenario(loaded.scenario[0], registry, "ipa") == []
    assert run_scenario(loaded.scenario[1], registry, "ipa") == [
        "error: expected an error containing 'one of the packages offered', but none was raised"
    ]


def test_an_engagement_scenario_checks_findings_and_names_unknown_ones(tmp_path: Path) -> None:
    shutil.copy(SCENARIOS / "engagement.toml", tmp_path / "engagement.toml")
    shutil.copy(SCENARIOS / "people.toml", tmp_path / "people.toml")
    path = _write(
        tmp_path / "scenario_engagement.toml",
        """\
        program = "example_district"
        people = "people.toml"
        [[scenario]]
        name = "findings"
        on = 2024-11-20
        engagement = "engagement.toml"
        expect = { status = "met", findings = { onsite_sessions = "met", onsite = "met" } }
        """,
    )
    loaded = load_scenario_file(path)
    problems = run_scenario(
        loaded.scenario[0],
        _example_registry(),
        loaded.program,
        people=loaded.load_people(),
        base=loaded.directory,
    )
    assert problems[0] == "status: expected 'met', got 'at_risk'"
    assert problems[1].startswith("findings.onsite_sessions: expected 'met', got 'at_risk' (2 of 4")
    assert problems[2].startswith(
        "findings.onsite: no such finding; the findings are onsite_sessions"
    )


def test_a_process_scenario_checks_phase_and_next_steps(tmp_path: Path) -> None:
    registry = load_registry(only=["glisi"], refresh=True)
    process = registry.program("glisi").kinds[0].process
    assert process is not None
    first_task = process.phases[0].tasks[0].id
    path = _write(
        tmp_path / "scenario_glisi.toml",
        f"""\
        program = "glisi"
        [[scenario]]
        name = "nothing done yet"
        on = 2024-09-01
        engagement = {{ id = "e", program = "glisi", kind = "{registry.program("glisi").kinds[0].id}", start = 2024-08-01, end = 2025-06-30, leader = {{ id = "l", name = "L", role = "principal", role_started = 2024-07-01 }}, mentor = {{ id = "m", name = "M", role = "principal" }} }}
        expect = {{ phase = "", cycle = 1, allowed = ["{first_task}"] }}
        """,
    )
    loaded = load_scenario_file(path)
    assert run_scenario(loaded.scenario[0], registry_for(loaded), "glisi") == []


def test_an_assessment_scenario_checks_the_current_and_next_stage(tmp_path: Path) -> None:
    registry = load_registry(only=["practice12"], refresh=True)
    program = registry.program("practice12")
    rubric = program.rubrics[0]
    framework = registry.framework(rubric.framework or "", program)
    item = framework.leaves()[0].code
    first, second = rubric.levels[0].id, rubric.levels[1].id
    path = _write(
        tmp_path / "scenario_p12.toml",
        f"""\
        program = "practice12"
        [[scenario]]
        name = "a district at the first stage of {item} is to move to the second"
        on = 2024-10-01
        assessment = {{ framework = "{framework.id}", rubric = "{rubric.id}", ratings = [{{ item = "{item}", level = "{first}", date = 2024-09-01 }}] }}
        expect = {{ levels = {{ "{item}" = "{first}" }}, next_levels = {{ "{item}" = "{second}" }} }}
        """,
    )
    loaded = load_scenario_file(path)
    assert run_scenario(loaded.scenario[0], registry_for(loaded), "practice12") == []


# -- the pytest plug-in ----------------------------------------------------------


def test_the_collect_hook_takes_file_path_and_parent_only() -> None:
    assert list(inspect.signature(pytest_plugin.pytest_collect_file).parameters) == [
        "file_path",
        "parent",
    ]


def _pytest(
    directory: Path, *args: str, pythonpath: str | None = None
) -> subprocess.CompletedProcess[str]:
    env = dict(os.environ)
    env.pop("PYTEST_ADDOPTS", None)
    if pythonpath:
        env["PYTHONPATH"] = pythonpath
    return subprocess.run(
        [sys.executable, "-m", "pytest", "-p", "no:cacheprovider", "-q", *args],
        cwd=directory,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_the_plugin_is_harmless_in_a_project_without_scenarios(tmp_path: Path) -> None:
    _write(tmp_path / "test_plain.py", "def test_plain():\n    assert True\n")
    _write(tmp_path / "settings.toml", 'program = "ipa"\n')
    result = _pytest(tmp_path)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "1 passed" in result.stdout


def test_pytest_runs_scenarios_and_reports_failures_without_a_traceback(tmp_path: Path) -> None:
    _write(
        tmp_path / "scenario_ipa.toml",
        f"""\
        program = "ipa"
        conformance = true
        [[scenario]]
        name = "a first-year principal in an Illinois charter school gets free mentoring in 2023-2024"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        expect = {{ outcome = "free", eligible = true }}

        [[scenario]]
        name = "a deliberate mistake"
        on = 2023-09-15
        leader = {IL_PRINCIPAL}
        expect = {{ outcome = "paid" }}
        """,
    )
    result = _pytest(tmp_path, "-rA")
    assert result.returncode == 1, result.stdout + result.stderr
    assert "1 failed, 2 passed" in result.stdout
    assert "PASSED scenario_ipa.toml::conformance of ipa" in result.stdout
    assert (
        "scenario 'a deliberate mistake' (scenario_ipa.toml, scenario[1], on 2023-09-15)"
        in result.stdout
    )
    assert "  - outcome: expected 'paid', got 'free'" in result.stdout
    assert "Traceback" not in result.stdout and "raise " not in result.stdout


def test_a_scenario_file_that_does_not_read_is_a_collection_error_with_the_path(
    tmp_path: Path,
) -> None:
    _write(
        tmp_path / "bad.scenario.toml",
        """\
        program = "ipa"
        [[scenario]]
        name = "bad date"
        on = 2023-13-45
        leader = "a"
        expect = { outcome = "free" }
        """,
    )
    result = _pytest(tmp_path)
    assert result.returncode != 0
    assert "scenario file does not read:" in result.stdout
    assert "bad.scenario.toml" in result.stdout
    assert "Traceback" not in result.stdout


# -- the worked example, installed ------------------------------------------------


def test_the_worked_example_installs_and_its_tests_pass(tmp_path: Path) -> None:
    target = tmp_path / "site"
    shutil.copytree(
        EXAMPLE, tmp_path / "example", ignore=shutil.ignore_patterns("build", "*.egg-info")
    )
    installed = subprocess.run(
        [
            sys.executable,
            "-m",
            "pip",
            "install",
            "--quiet",
            "--no-deps",
            "--disable-pip-version-check",
            "--target",
            str(target),
            str(tmp_path / "example"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert installed.returncode == 0, installed.stderr
    result = _pytest(tmp_path / "example" / "tests", "-rA", pythonpath=str(target))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "PASSED scenarios/scenario_example_district.toml::conformance of example_district" in (
        result.stdout
    )
    assert result.stdout.rstrip().splitlines()[-1].startswith("17 passed")
    programs = subprocess.run(
        [sys.executable, "-m", "mentorcore.cli.main", "programs", "--json"],
        env=dict(os.environ, PYTHONPATH=str(target)),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    listing = json.loads(programs.stdout)
    assert "example_district" in [p["id"] for p in listing["programs"]]
    plugins = {p["name"]: p for p in listing["plugins"]}
    assert plugins["example_district"]["distribution"] == "mentorcore-example-district"
    assert "amendment of ipa" in plugins["example_district"]["contributions"]


def test_without_the_example_installed_ipa_is_not_amended() -> None:
    registry = load_registry(refresh=True)
    assert "example_district" not in registry.programs
    for kind in registry.program("ipa").kinds:
        assert not [r for r in kind.requirements if r.id.startswith("example_district.")]


def test_scenario_dates_are_dates() -> None:
    loaded = load_scenario_file(SCENARIOS / "scenario_example_district.toml")
    assert all(isinstance(s.on, dt.date) for s in loaded.scenario)
