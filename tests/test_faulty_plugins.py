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
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentorcore import registry as registry_module
from mentorcore.cli.main import main
from mentorcore.errors import PluginError, UnknownIdError
from mentorcore.people import Leader, Role
from mentorcore.registry import Registry, load_registry

TESTS = Path(__file__).resolve().parent
FAULTY = ("import_fails", "hook_raises", "wrong_shape", "bad_data", "same_id", "unknown_fact")
#: What ``mentorcore programs`` must say about each faulty plug-in.
REASONS = {
    "import_fails": "failed to import: ModuleNotFoundError: No module named "
    "'mentorcore_dependency_that_is_not_installed'",
    "hook_raises": "register_programs raised FileNotFoundError: "
    "hook_raises/program.toml is not in the package",
    "wrong_shape": "register_programs: expected a Program, got dict",
    "bad_data": "bad_data/program.toml: eligibility[0].outcomes[0].eligble",
    "same_id": "program id 'healthy' is already registered by plug-in 'healthy'",
    "unknown_fact": "program 'unknown_fact' is invalid: eligibility 'who' outcome 0 (admitted) "
    "names unknown fact 'unknown_fact.tenure'",
}
ADA = Leader(id="ada", name="Ada Park", role=Role.PRINCIPAL, role_started=dt.date(2023, 8, 1))


def _install(site: Path, name: str) -> None:
    """Install the fixture plug-in ``name`` as the distribution ``fixture-<name>``."""
    info = site / f"fixture_{name}-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        f"Metadata-Version: 2.1\nName: fixture-{name.replace('_', '-')}\nVersion: 0.1.0\n",
        encoding="utf-8",
    )
    (info / "entry_points.txt").write_text(
        f"[mentorcore]\n{name} = faulty_plugins.{name}\n", encoding="utf-8"
    )


@pytest.fixture
def installed(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[list[str]]:
    """Every fixture plug-in installed; only they load (MENTORCORE_PLUGINS)."""
    names = ["healthy", *FAULTY]
    for name in names:
        _install(tmp_path, name)
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.syspath_prepend(str(TESTS))
    monkeypatch.setenv(registry_module.PLUGINS_ENV, ",".join(names))
    monkeypatch.setattr(registry_module, "_CACHE", {})
    importlib.invalidate_caches()
    yield names
    for module in [m for m in sys.modules if m.startswith("faulty_plugins")]:
        del sys.modules[module]


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


def test_the_first_plugin_to_claim_an_id_keeps_it(registry: Registry) -> None:
    """Entry points load in name order: ``healthy`` before ``same_id``."""
    assert registry.owners["program:healthy"] == "healthy"


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
