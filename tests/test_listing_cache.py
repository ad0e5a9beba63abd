"""The listing cache: ``mentorcore programs`` loads no plug-in while nothing installed changed."""

from __future__ import annotations

import importlib
import json
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from mentorcore import registry as registry_module
from mentorcore.cli.main import main
from mentorcore.listing_cache import CACHE_ENV, cache_dir

TESTS = Path(__file__).resolve().parent


@pytest.fixture
def site(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """A folder on ``sys.path`` holding a data-only plug-in ``listed``, the only one loaded."""
    folder = tmp_path / "site"
    package = folder / "fixture_listed"
    package.mkdir(parents=True)
    source = TESTS / "data_only_plugin" / "fixture_data_only" / "program.toml"
    (package / "program.toml").write_text(
        source.read_text(encoding="utf-8").replace('"data_only"', '"listed"'), encoding="utf-8"
    )
    info = folder / "fixture_listed-0.1.0.dist-info"
    info.mkdir()
    (info / "METADATA").write_text(
        "Metadata-Version: 2.1\nName: fixture-listed\nVersion: 0.1.0\n", encoding="utf-8"
    )
    (info / "entry_points.txt").write_text(
        "[mentorcore]\nlisted = fixture_listed:program.toml\n", encoding="utf-8"
    )
    monkeypatch.syspath_prepend(str(folder))
    monkeypatch.setenv(registry_module.PLUGINS_ENV, "listed")
    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    monkeypatch.setattr(registry_module, "_CACHE", {})
    importlib.invalidate_caches()
    yield folder
    sys.modules.pop("fixture_listed", None)


class _Loaded(Exception):
    pass


def _forbid_loading(monkeypatch: pytest.MonkeyPatch) -> None:
    def refuse(*_args: object, **_kwargs: object) -> None:
        raise _Loaded

    monkeypatch.setattr(registry_module, "_CACHE", {})
    monkeypatch.setattr(registry_module, "_load", refuse)


def _listing(capsys: pytest.CaptureFixture[str]) -> dict[str, object]:
    assert main(["programs", "--json"]) == 0
    data: dict[str, object] = json.loads(capsys.readouterr().out)
    return data


def test_the_second_listing_comes_from_the_cache_and_is_the_same(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _listing(capsys)
    assert [p["id"] for p in first["programs"]] == ["listed"]  # type: ignore[attr-defined]
    assert len(list(Path(cache_dir() or "").glob("programs-*.json"))) == 1
    _forbid_loading(monkeypatch)
    assert _listing(capsys) == first
    assert main(["programs"]) == 0
    assert "listed" in capsys.readouterr().out


def test_a_changed_data_file_is_listed_again(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _listing(capsys)
    path = site / "fixture_listed" / "program.toml"
    path.write_text(
        path.read_text(encoding="utf-8").replace("Program data_only", "Renamed"), encoding="utf-8"
    )
    monkeypatch.setattr(registry_module, "_CACHE", {})
    listing = _listing(capsys)
    assert [p["title"] for p in listing["programs"]] == ["Renamed"]  # type: ignore[attr-defined]


@pytest.mark.parametrize("change", ["install", "selection"])
def test_installing_anything_or_choosing_other_plugins_misses_the_cache(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], change: str
) -> None:
    _listing(capsys)
    if change == "install":
        (site / "other-1.0.dist-info").mkdir()
    else:
        monkeypatch.setenv(registry_module.PLUGINS_ENV, "listed,ipa")
    _forbid_loading(monkeypatch)
    with pytest.raises(_Loaded):
        main(["programs", "--json"])


def test_a_load_with_a_failure_is_not_cached(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    (site / "fixture_listed" / "program.toml").write_text('id = "listed"\n', encoding="utf-8")
    listing = _listing(capsys)
    assert listing["failures"]
    assert list(Path(cache_dir() or "").glob("programs-*.json")) == []


def test_a_damaged_cache_is_ignored_and_replaced(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    first = _listing(capsys)
    [entry] = Path(cache_dir() or "").glob("programs-*.json")
    for damage in ("not json", '{"format": 1, "roots": "x"}', "[1, 2]"):
        entry.write_text(damage, encoding="utf-8")
        monkeypatch.setattr(registry_module, "_CACHE", {})
        assert _listing(capsys) == first


def test_the_cache_can_be_turned_off(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setenv(CACHE_ENV, "off")
    assert cache_dir() is None
    _listing(capsys)
    _forbid_loading(monkeypatch)
    with pytest.raises(_Loaded):
        main(["programs", "--json"])


def test_a_handed_registry_never_touches_the_cache(
    site: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    registry = registry_module.load_registry(entry_points=False)
    assert main(["programs", "--json"], registry=registry) == 0
    assert json.loads(capsys.readouterr().out)["programs"] == []
    assert not Path(cache_dir() or "").exists()


def test_the_cache_keeps_only_the_most_recent_environments(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mentorcore.listing_cache import read_listing, write_listing

    monkeypatch.setenv(CACHE_ENV, str(tmp_path / "cache"))
    for number in range(12):
        monkeypatch.setenv(registry_module.PLUGINS_ENV, f"plugin{number}")
        write_listing({"programs": [], "number": number}, [])
    assert len(list((tmp_path / "cache").glob("programs-*.json"))) == 8
    assert read_listing() == {"programs": [], "number": 11}
