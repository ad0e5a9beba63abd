"""Faulty plug-ins: the registry loads the others, names the faulty one and why,
and using the faulty program says so clearly.

The fixture plug-ins are in ``tests/faulty_plugins``; each is installed as a
real distribution (a ``.dist-info`` with ``entry_points.txt`` in a temporary
directory on ``sys.path``), so entry-point loading, import failures and the
``mentorcore programs`` listing run exactly as for an installed plug-in.
"""

from __future__ import annotations

import datetime as dt
import importlib
import importlib.util
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import jsonschema
import pytest

from mentorcore import registry as registry_module
from mentorcore.bulk import decide_many
from mentorcore.cli.main import main
from mentorcore.errors import ConflictError, PluginError, PluginFactError, RuleError, UnknownIdError
from mentorcore.output import command_schema
from mentorcore.people import Leader, Role
from mentorcore.registry import Registry, load_registry

TESTS = Path(__file__).resolve().parent
FAULTY = (
    "import_fails",
    "hook_raises",
    "wrong_shape",
    "bad_data",
    "unknown_fact",
    "exits_at_import",
    "exits_in_hook",
)
#: What ``mentorcore programs`` must say about each faulty plug-in.
REASONS = {
    "import_fails": "failed to import: ModuleNotFoundError: No module named "
    "'mentorcore_dependency_that_is_not_installed'",
    "hook_raises": "register_programs raised FileNotFoundError: "
    "hook_raises/program.toml is not in the package",
    "wrong_shape": "register_programs: expected a Program, got dict",
    "bad_data": "bad_data/program.toml: eligibility[0].outcomes[0].eligble",
    "exits_at_import": "failed to import: SystemExit: exits_at_import needs a configuration file",
    "exits_in_hook": "register_programs raised GeneratorExit: exits_in_hook stopped",
    "unknown_fact": "program 'unknown_fact' is invalid: eligibility 'who' outcome 0 (admitted) "
    "names unknown fact 'unknown_fact.tenure'",
}
ADA = Leader(id="ada", name="Ada Park", role=Role.PRINCIPAL, role_started=dt.date(2023, 8, 1))


def _install(site: Path, name: str, target: str | None = None) -> None:
    """Install the fixture plug-in ``name`` as the distribution ``fixture-<name>``."""
    info = site / f"fixture_{name}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: fixture-{name.replace('_', '-')}\nVersion: 0.1.0\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(
        f"[mentorcore]\n{name} = {target or f'faulty_plugins.{name}'}\n", encoding="utf-8"
    )


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A directory on ``sys.path`` to install fixture distributions into."""
    folder = tmp_path / "site"
    folder.mkdir()
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.syspath_prepend(str(TESTS))
    monkeypatch.setattr(registry_module, "_CACHE", {})
    yield folder
    for module in [m for m in sys.modules if m.startswith(("faulty_plugins", "fixture_"))]:
        del sys.modules[module]


def _only(monkeypatch: pytest.MonkeyPatch, *names: str) -> None:
    monkeypatch.setenv(registry_module.PLUGINS_ENV, ",".join(names))
    importlib.invalidate_caches()


@pytest.fixture
def installed(site: Path, monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """Every fixture plug-in installed; only they load (MENTORCORE_PLUGINS)."""
    names = ["healthy", *FAULTY]
    for name in names:
        _install(site, name)
    _only(monkeypatch, *names)
    return names


@pytest.fixture
def registry(installed: list[str]) -> Registry:
    return load_registry()


def _failure(registry: Registry, plugin: str) -> str:
    reasons = [f.reason for f in registry.failures if f.plugin == plugin]
    assert reasons, f"no failure recorded for {plugin}: {registry.failures}"
    return reasons[0]


# -- the registry loads the others --------------------------------------------


def test_the_healthy_plugin_loads_beside_every_faulty_one(registry: Registry) -> None:
    assert sorted(registry.programs) == ["healthy"]
    assert registry.programs["healthy"].plugin == "healthy"
    assert registry.decide("healthy", ADA, dt.date(2024, 1, 1)).outcome == "admitted"
    assert {f.plugin for f in registry.failures} == set(FAULTY)
    contributed = {p.name: p.contributions for p in registry.plugins}
    assert contributed["healthy"] == ("program healthy",)
    assert not set(contributed) & {"import_fails", "hook_raises", "wrong_shape", "bad_data"}
    # a plug-in whose only program was refused stays listed, contributing nothing
    assert contributed.get("unknown_fact", ()) == ()


@pytest.mark.parametrize("plugin", FAULTY)
def test_each_faulty_plugin_is_named_with_its_reason(registry: Registry, plugin: str) -> None:
    assert REASONS[plugin] in _failure(registry, plugin)


def test_a_failure_names_the_distribution_and_version(registry: Registry) -> None:
    failure = next(f for f in registry.failures if f.plugin == "import_fails")
    assert (failure.distribution, failure.version) == ("fixture-import-fails", "0.1.0")


def test_a_misspelled_key_in_a_plugins_data_names_the_file_and_the_path(registry: Registry) -> None:
    reason = _failure(registry, "bad_data")
    assert "bad_data/program.toml: eligibility[0].outcomes[0].eligble: " in reason
    assert "unexpected field 'eligble'" in reason


@pytest.mark.parametrize("plugin", ["hook_raises", "wrong_shape", "unknown_fact"])
def test_each_fault_alone_still_lets_the_others_load(plugin: str, installed: list[str]) -> None:
    module = importlib.import_module(f"faulty_plugins.{plugin}")
    healthy = importlib.import_module("faulty_plugins.healthy")
    registry = load_registry({"healthy": healthy, plugin: module}, entry_points=False)
    assert sorted(registry.programs) == ["healthy"]
    assert [f.plugin for f in registry.failures] == [plugin]


def test_strict_mode_raises_at_the_first_faulty_plugin(installed: list[str]) -> None:
    module = importlib.import_module("faulty_plugins.hook_raises")
    with pytest.raises(PluginError, match="plug-in 'hook_raises': register_programs raised"):
        load_registry({"hook_raises": module}, entry_points=False, strict=True)


# -- using a faulty program says why ------------------------------------------


@pytest.mark.parametrize("program", ["wrong_shape", "bad_data", "unknown_fact", "hook_raises"])
def test_asking_for_a_faulty_program_names_the_plugin_that_failed(
    registry: Registry, program: str
) -> None:
    with pytest.raises(UnknownIdError) as raised:
        registry.program(program)
    message = str(raised.value)
    assert f"unknown program {program!r}" in message
    assert f"plug-in {program!r} failed to load" in message
    assert REASONS[program] in message


def test_asking_for_a_program_of_a_plugin_that_did_not_import_says_so(registry: Registry) -> None:
    with pytest.raises(
        UnknownIdError, match="plug-in 'import_fails' failed to load: failed to import"
    ):
        registry.decide("import_fails", ADA, dt.date(2024, 1, 1))


# -- the command line ---------------------------------------------------------


def test_mentorcore_programs_lists_the_healthy_program_and_every_failure(
    installed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["programs"]) == 0
    out = capsys.readouterr().out
    assert "healthy" in out.split("Plug-ins that failed to load:")[0]
    failed = out.split("Plug-ins that failed to load:")[1]
    for plugin in FAULTY:
        assert f"  {plugin}: " in failed
        assert REASONS[plugin] in failed


def test_mentorcore_programs_json_gives_each_failure_with_its_distribution(
    installed: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(["programs", "--json"]) == 0
    listing = json.loads(capsys.readouterr().out)
    assert [p["id"] for p in listing["programs"]] == ["healthy"]
    failures = {f["plugin"]: f for f in listing["failures"]}
    assert set(failures) == set(FAULTY)
    assert failures["import_fails"]["distribution"] == "fixture-import-fails"
    for plugin in FAULTY:
        assert REASONS[plugin] in failures[plugin]["reason"]


def test_deciding_with_a_faulty_program_prints_the_reason_and_exits_2(
    installed: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    people = tmp_path / "people.toml"
    people.write_text(
        '[[leaders]]\nid = "ada"\nname = "Ada"\nrole = "principal"\nrole_started = 2023-08-01\n',
        encoding="utf-8",
    )
    assert main(["eligibility", "unknown_fact", str(people), "--on", "2024-01-01"]) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "mentorcore: error: unknown program 'unknown_fact'" in captured.err
    assert "names unknown fact 'unknown_fact.tenure'" in captured.err
    assert main(["eligibility", "healthy", str(people), "--on", "2024-01-01"]) == 0


def test_asking_for_a_program_of_a_plugin_named_otherwise_lists_the_plugins_that_failed(
    installed: list[str],
) -> None:
    module = importlib.import_module("faulty_plugins.wrong_shape")
    registry = load_registry({"acme": module}, entry_points=False)
    with pytest.raises(UnknownIdError) as raised:
        registry.program("acme_mentoring")
    assert "plug-ins that failed to load: acme (mentorcore programs gives the reasons)" in str(
        raised.value
    )


# -- ids are owned, not raced ---------------------------------------------------


def test_an_id_two_plugins_claim_is_served_by_neither(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    for name in ("healthy", "same_id"):
        _install(site, name)
    _only(monkeypatch, "healthy", "same_id")
    registry = load_registry()
    assert "healthy" not in registry.programs
    [conflict] = registry.conflicts
    assert (conflict.kind, conflict.id) == ("program", "healthy")
    assert [(c.plugin, c.distribution) for c in conflict.claimants] == [
        ("healthy", "fixture-healthy"),
        ("same_id", "fixture-same-id"),
    ]
    assert registry.failures == ()  # neither plug-in is faulty: the id is in dispute
    with pytest.raises(ConflictError) as raised:
        registry.program("healthy")
    message = str(raised.value)
    assert "'healthy' (fixture-healthy 0.1.0) and 'same_id' (fixture-same-id 0.1.0)" in message
    assert "MENTORCORE_PLUGINS=healthy (leaving out 'same_id')" in message


@pytest.mark.parametrize("order", [("healthy", "same_id"), ("same_id", "healthy")])
def test_load_order_decides_nothing(order: tuple[str, str], installed: list[str]) -> None:
    modules = {name: importlib.import_module(f"faulty_plugins.{name}") for name in order}
    registry = load_registry(modules, entry_points=False)
    assert "healthy" not in registry.programs
    assert [c.plugin for c in registry.conflicts[0].claimants] == ["healthy", "same_id"]


@pytest.mark.skipif(importlib.util.find_spec("mentorcore_ipa") is None, reason="needs IPA")
def test_a_distribution_claiming_ipa_takes_nothing_over(
    site: Path,
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
) -> None:
    """``aaa_dup_ipa`` sorts before ``ipa``: the name decides nothing, the id is in conflict."""
    _install(site, "aaa_dup_ipa")
    monkeypatch.delenv(registry_module.PLUGINS_ENV, raising=False)
    importlib.invalidate_caches()
    people = tmp_path / "people.toml"
    people.write_text(
        '[[leaders]]\nid = "ada"\nname = "Ada"\nrole = "principal"\nrole_started = 2023-08-01\n',
        encoding="utf-8",
    )
    registry = load_registry(refresh=True)
    assert main(["eligibility", "ipa", str(people), "--on", "2024-01-01"], registry=registry) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert "mentorcore: error: program 'ipa' is claimed by" in err
    assert "'aaa_dup_ipa' (fixture-aaa-dup-ipa 0.1.0)" in err
    assert "'ipa' (mentorcore-ipa " in err
    assert "MENTORCORE_PLUGINS=" in err and "(leaving out 'aaa_dup_ipa')" in err
    assert not any(f.plugin == "ipa" for f in registry.failures)  # IPA is not called faulty

    assert main(["programs"], registry=registry) == 0
    out = capsys.readouterr().out
    assert "Ids claimed by more than one plug-in (neither is used):" in out
    assert "program ipa: program 'ipa' is claimed by 'aaa_dup_ipa'" in out
    assert main(["programs", "--json"], registry=registry) == 0
    listing = json.loads(capsys.readouterr().out)
    assert "ipa" not in [p["id"] for p in listing["programs"]]
    [conflict] = listing["conflicts"]
    assert conflict["id"] == "ipa"
    assert [p["distribution"] for p in conflict["claimants"]] == [
        "fixture-aaa-dup-ipa",
        "mentorcore-ipa",
    ]

    # choosing with MENTORCORE_PLUGINS serves the one chosen
    _only(monkeypatch, "ipa")
    chosen = load_registry(refresh=True)
    assert chosen.program("ipa").plugin == "ipa"
    assert chosen.conflicts == ()


# -- faults stay inside the plug-in ---------------------------------------------


def test_what_a_plugin_prints_while_loading_never_reaches_the_json(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _install(site, "prints_at_import")
    _only(monkeypatch, "prints_at_import")
    assert main(["programs", "--json"]) == 0
    captured = capsys.readouterr()
    listing = json.loads(captured.out)
    assert [p["id"] for p in listing["programs"]] == ["prints_at_import"]
    assert "prints_at_import: hello from the import" in captured.err
    assert "prints_at_import: hello from the hook" in captured.err
    assert "hello" not in captured.out


def test_a_fact_that_raises_at_run_time_names_the_plugin_and_the_fact(
    site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    _install(site, "raising_fact")
    _only(monkeypatch, "raising_fact")
    people = tmp_path / "people.toml"
    people.write_text(
        '[[leaders]]\nid = "ada"\nname = "Ada"\nrole = "principal"\nrole_started = 2023-08-01\n',
        encoding="utf-8",
    )
    assert main(["eligibility", "raising_fact", str(people), "--on", "2024-01-01"]) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("mentorcore: error: ")
    assert "plug-in 'raising_fact': fact 'raising_fact.tenure' raised ZeroDivisionError" in err
    assert len(err.strip().splitlines()) == 1


def test_a_plugin_still_loading_after_two_seconds_is_named_on_stderr(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    for name in ("healthy", "slow_import"):
        _install(site, name)
    _only(monkeypatch, "healthy", "slow_import")
    registry = load_registry()
    err = capsys.readouterr().err
    assert (
        "mentorcore: plug-in 'slow_import' (fixture-slow-import 0.1.0) is still loading after 2 s"
        in err
    )
    assert "'healthy'" not in err
    assert sorted(registry.programs) == ["healthy", "slow_import"]  # loading went on


def test_an_unknown_name_in_mentorcore_plugins_is_reported(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _install(site, "healthy")
    _only(monkeypatch, "healthy", "nosuch")
    assert main(["programs", "--json"]) == 0
    captured = capsys.readouterr()
    listing = json.loads(captured.out)
    [warning] = listing["warnings"]
    assert warning.startswith(
        "MENTORCORE_PLUGINS names 'nosuch', which is not an installed plug-in"
    )
    assert "healthy" in warning.split("installed: ")[1]
    assert f"mentorcore: warning: {warning}" in captured.err
    registry_module._CACHE.clear()
    assert main(["programs"]) == 0
    assert f"Warnings:\n  {warning}" in capsys.readouterr().out


# -- an entry point may name a data file ----------------------------------------


def test_a_distribution_of_one_toml_file_is_a_plugin(
    site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    """``data_only = "fixture_data_only:program.toml"``: no Python in the distribution."""
    import shutil

    shutil.copytree(TESTS / "data_only_plugin" / "fixture_data_only", site / "fixture_data_only")
    assert sorted(p.name for p in (site / "fixture_data_only").iterdir()) == ["program.toml"]
    _install(site, "data_only", target="fixture_data_only:program.toml")
    _only(monkeypatch, "data_only")
    registry = load_registry()
    assert registry.failures == ()
    assert registry.program("data_only").plugin == "data_only"
    assert registry.decide("data_only", ADA, dt.date(2024, 1, 1)).outcome == "admitted"
    info = {p.name: p for p in registry.plugins}["data_only"]
    assert (info.distribution, info.contributions) == ("fixture-data-only", ("program data_only",))


def test_a_data_file_entry_point_with_a_bad_file_names_the_file(
    site: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    package = site / "fixture_bad_data_only"
    package.mkdir()
    (package / "program.toml").write_text('id = "bad"\ntitel = "typo"\n', encoding="utf-8")
    _install(site, "bad_data_only", target="fixture_bad_data_only:program.toml")
    _install(site, "missing_file", target="fixture_bad_data_only:nothing.toml")
    _only(monkeypatch, "bad_data_only", "missing_file")
    registry = load_registry()
    reasons = {f.plugin: f.reason for f in registry.failures}
    assert "fixture_bad_data_only/program.toml" in reasons["bad_data_only"]
    assert "titel" in reasons["bad_data_only"]
    assert "fixture_bad_data_only/nothing.toml" in reasons["missing_file"]


def test_a_raising_fact_names_the_plugin_the_fact_and_the_person_in_decisions_and_bulk(
    installed: list[str],
) -> None:
    """The evaluator reports a fact that cannot be computed as a ``RuleError`` (tests/test_bulk
    asserts that class); its cause is the ``PluginError`` naming the plug-in, and so is its text."""
    from mentorcore.bulk import decide_many
    from mentorcore.errors import RuleError

    module = importlib.import_module("faulty_plugins.raising_fact")
    registry = load_registry({"raising_fact": module}, entry_points=False)
    with pytest.raises(RuleError) as raised:
        registry.decide("raising_fact", ADA, dt.date(2024, 1, 1))
    cause = raised.value.__cause__
    assert isinstance(cause, PluginError)
    assert cause.plugin == "raising_fact"
    assert "fact 'raising_fact.tenure' raised ZeroDivisionError for 'ada' on 2024-01-01" in str(
        raised.value
    )
    with pytest.raises(RuleError, match=r"plug-in 'raising_fact'.*for 'ada' on 2024-01-01"):
        list(decide_many(registry, "raising_fact", [ADA], dt.date(2024, 1, 1)))


# -- a plug-in's fact that fails for one person of a bulk run ------------------------

FRAGILE_PEOPLE = "".join(
    f'[[leaders]]\nid = "{who}"\nname = "{who.title()}"\nrole = "principal"\n'
    "role_started = 2023-08-01\n"
    for who in ("ada", "bad", "cy")
)


@pytest.fixture
def fragile(site: Path, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Path:
    """The ``fragile_fact`` plug-in installed alone, and a people file whose ``bad`` it fails."""
    _install(site, "fragile_fact")
    _only(monkeypatch, "fragile_fact")
    people = tmp_path / "people.toml"
    people.write_text(FRAGILE_PEOPLE, encoding="utf-8")
    return people


BAD = Leader(id="bad", name="Bad", role=Role.PRINCIPAL, role_started=dt.date(2023, 8, 1))
ON = dt.date(2024, 1, 1)


@pytest.mark.parametrize(
    ("program", "fact", "says"),
    [
        ("fragile_fact", "fragile_fact.role", "raised ValueError for 'bad'"),
        ("fragile_years", "fragile_fact.years", "cannot compare 'three' with 2"),
    ],
)
def test_a_plugin_fact_that_raises_or_has_the_wrong_type_is_a_plugin_error(
    fragile: Path, program: str, fact: str, says: str
) -> None:
    registry = load_registry()
    with pytest.raises(PluginFactError) as raised:
        registry.decide(program, BAD, ON)
    error = raised.value
    assert isinstance(error, PluginError) and isinstance(error, RuleError)
    assert (error.plugin, error.fact, error.person) == ("fragile_fact", fact, "bad")
    assert "plug-in 'fragile_fact'" in str(error) and f"fact {fact!r}" in str(error)
    assert says in str(error)
    stream = decide_many(registry, program, [ADA, BAD, ADA], ON, failures=True)
    assert [type(r).__name__ for r in stream] == ["Decision", "DecisionFailure", "Decision"]
    with pytest.raises(PluginFactError):
        list(decide_many(registry, program, [ADA, BAD], ON))  # without failures: raised


@pytest.mark.parametrize("program", ["fragile_fact", "fragile_years"])
def test_deciding_one_person_whose_plugin_fact_fails_exits_2_in_one_line(
    fragile: Path, program: str, capsys: pytest.CaptureFixture[str]
) -> None:
    argv = ["eligibility", program, str(fragile), "--on", "2024-01-01", "--person", "bad"]
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert "Traceback" not in err
    assert err.startswith("mentorcore: error: ")
    assert len(err.strip().splitlines()) == 1
    assert "plug-in 'fragile_fact'" in err and "'fragile_fact." in err and "'bad'" in err


@pytest.mark.parametrize("program", ["fragile_fact", "fragile_years"])
def test_a_bulk_run_reports_the_person_a_plugin_fact_failed_for_and_goes_on(
    fragile: Path, program: str, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["eligibility", program, str(fragile), "--on", "2024-01-01"]
    assert main([*base, "--json"]) == 2
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    jsonschema.Draft202012Validator(
        command_schema("eligibility"), format_checker=jsonschema.FormatChecker()
    ).validate(rows)
    assert [(r["person"], r["outcome"]) for r in rows] == [
        ("ada", "admitted"),
        ("bad", None),
        ("cy", "admitted"),
    ]
    failed = rows[1]
    assert failed["error_type"] == "RuleError"
    assert failed["eligible"] is None
    assert "plug-in 'fragile_fact'" in failed["error"] and failed["explanation"] == failed["error"]
    assert captured.err.strip().splitlines() == [f"mentorcore: error: {failed['error']}"]

    assert main([*base, "--jsonl"]) == 2
    lines = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert lines == rows

    assert main(base) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Bad (bad): could not be decided" in captured.out
    assert "Cy (cy): Admitted" in captured.out
    assert len(captured.err.strip().splitlines()) == 1


def test_a_bulk_quote_reports_the_person_a_plugin_fact_failed_for_and_exits_2_as_eligibility(
    fragile: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    base = ["quote", "fragile_prices", str(fragile), "--hours", "10", "--on", "2024-01-01"]
    assert main([*base, "--json"]) == 2
    captured = capsys.readouterr()
    rows = json.loads(captured.out)
    jsonschema.Draft202012Validator(
        command_schema("quote"), format_checker=jsonschema.FormatChecker()
    ).validate(rows)
    assert [(r["person"], r["amount"]) for r in rows] == [
        ("ada", "100.00"),
        ("bad", None),
        ("cy", "100.00"),
    ]
    failed = rows[1]
    assert failed["error_type"] == "RuleError"
    assert "plug-in 'fragile_fact'" in failed["error"] and "'fragile_fact.role'" in failed["error"]
    assert "refused" not in failed  # the JSON row is as before; the exit status tells
    assert captured.err.strip().splitlines() == [f"mentorcore: error: {failed['error']}"]

    assert main([*base, "--jsonl"]) == 2
    captured = capsys.readouterr()
    assert [json.loads(line) for line in captured.out.splitlines()] == rows
    assert captured.err.strip().splitlines() == [f"mentorcore: error: {failed['error']}"]

    assert main(base) == 2
    captured = capsys.readouterr()
    assert "Traceback" not in captured.err
    assert "Bad (bad): no quote" in captured.out
    assert "Cy (cy): 100.00 USD, the standard price" in captured.out
    assert captured.err.strip().splitlines() == [f"mentorcore: error: {failed['error']}"]

    assert main([*base, "--person", "bad"]) == 2
    assert len(capsys.readouterr().err.strip().splitlines()) == 1
    assert main([*base, "--person", "ada"]) == 0


def test_a_person_refused_a_quote_is_an_answer_and_quote_exits_0(
    capsys: pytest.CaptureFixture[str],
) -> None:
    people = Path(__file__).resolve().parents[1] / "examples" / "ipa" / "people.toml"
    argv = ["quote", "ipa", str(people), "--hours", "40", "--on", "2024-09-01", "--json"]
    assert main(argv) == 0
    captured = capsys.readouterr()
    refused = [r for r in json.loads(captured.out) if "error" in r]
    assert [r["person"] for r in refused] == ["hal"]
    assert "no quote: Not eligible" in refused[0]["error"]
    assert captured.err == ""
