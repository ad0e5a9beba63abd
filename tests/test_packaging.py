"""What a user installs: the wheels and sdist hold what they should, and work alone.

The long test builds every distribution's wheel, installs them into a fresh
virtual environment that has no source tree on its path, and runs
``mentorcore demo`` there, from a folder with no ``examples/`` in it.
"""

from __future__ import annotations

import os
import subprocess
import sys
import tarfile
import tomllib
import venv
import zipfile
from pathlib import Path

import pytest

import mentorcore

ROOT = Path(__file__).resolve().parent.parent
PLUGINS = sorted(p.parent for p in (ROOT / "plugins").glob("*/pyproject.toml"))
TIMEOUT = 600


def _build(source: Path, outdir: Path, *kinds: str) -> None:
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "build",
            "--no-isolation",
            *kinds,
            "--outdir",
            str(outdir),
            str(source),
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        check=False,
    )
    assert result.returncode == 0, result.stdout + result.stderr


@pytest.fixture(scope="module")
def dist(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """Every distribution built once: the core's sdist and wheel, each plug-in's wheel."""
    outdir = tmp_path_factory.mktemp("dist")
    _build(ROOT, outdir, "--sdist", "--wheel")
    for plugin in PLUGINS:
        _build(plugin, outdir, "--wheel")
    return outdir


def _core_wheel(dist: Path) -> Path:
    (wheel,) = dist.glob(f"mentorcore-{mentorcore.__version__}-*.whl")
    return wheel


def test_the_version_is_written_once() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert "version" not in project
    assert project["dynamic"] == ["version"]


def test_every_plugin_requires_a_compatible_range_of_the_core() -> None:
    major, minor, _ = mentorcore.__version__.split(".")
    wanted = f"mentorcore>={major}.{minor},<{major}.{int(minor) + 1}"
    for plugin in PLUGINS:
        project = tomllib.loads((plugin / "pyproject.toml").read_text())["project"]
        assert wanted in project["dependencies"], plugin.name
        assert project["version"] == mentorcore.__version__, plugin.name
        assert (plugin / "LICENSE").is_file(), plugin.name


def test_the_project_says_what_it_is() -> None:
    project = tomllib.loads((ROOT / "pyproject.toml").read_text())["project"]
    assert {"Homepage", "Source", "Changelog", "Issues"} <= set(project["urls"])
    for version in ("3.11", "3.12", "3.13"):
        assert f"Programming Language :: Python :: {version}" in project["classifiers"]
    assert any(c.startswith("Development Status ::") for c in project["classifiers"])
    assert (ROOT / "LICENSE").read_text().startswith("MIT License")
    assert f"## {mentorcore.__version__}" in (ROOT / "CHANGELOG.md").read_text()


def test_the_core_wheel_holds_the_core_and_its_examples_only(dist: Path) -> None:
    names = zipfile.ZipFile(_core_wheel(dist)).namelist()
    tops = {name.split("/")[0] for name in names}
    assert tops == {"mentorcore", f"mentorcore-{mentorcore.__version__}.dist-info"}
    assert "mentorcore/py.typed" in names
    assert "mentorcore/examples/ipa/people.toml" in names
    assert not [n for n in names if "plugin-author" in n or "mentorcore_ipa" in n]
    assert f"mentorcore-{mentorcore.__version__}.dist-info/licenses/LICENSE" in names


def test_the_core_sdist_holds_the_core_only(dist: Path) -> None:
    (sdist,) = dist.glob("mentorcore-*.tar.gz")
    with tarfile.open(sdist) as archive:
        names = [name.split("/", 1)[1] for name in archive.getnames() if "/" in name]
    tops = {name.split("/")[0] for name in names}
    assert tops <= {
        "src",
        "examples",
        "README.md",
        "CHANGELOG.md",
        "LICENSE",
        "pyproject.toml",
        "PKG-INFO",
        ".gitignore",
    }
    assert not [n for n in names if n.startswith(("plugins", "docs", "benchmarks", ".ci", "tests"))]
    assert "src/mentorcore/registry.py" in names


def test_the_wheels_install_alone_and_the_demo_runs(dist: Path, tmp_path: Path) -> None:
    env_dir = tmp_path / "env"
    venv.EnvBuilder(with_pip=True, clear=True).create(env_dir)
    bin_dir = env_dir / ("Scripts" if os.name == "nt" else "bin")
    python = bin_dir / ("python.exe" if os.name == "nt" else "python")
    plugin_wheels = sorted(str(w) for w in dist.glob("mentorcore_*.whl"))
    assert len(plugin_wheels) == len(PLUGINS)
    clean_env = {k: v for k, v in os.environ.items() if k not in {"PYTHONPATH", "VIRTUAL_ENV"}}
    clean_env.pop("MENTORCORE_PLUGINS", None)
    installed = subprocess.run(
        [
            str(python),
            "-m",
            "pip",
            "install",
            "--quiet",
            "--disable-pip-version-check",
            f"{_core_wheel(dist)}[matching]",
            *plugin_wheels,
        ],
        capture_output=True,
        text=True,
        timeout=TIMEOUT,
        env=clean_env,
        check=False,
    )
    assert installed.returncode == 0, installed.stdout + installed.stderr
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    where = subprocess.run(
        [str(python), "-c", "import mentorcore; print(mentorcore.__file__)"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env,
        timeout=TIMEOUT,
        check=True,
    )
    assert str(env_dir) in where.stdout
    assert str(ROOT) not in where.stdout
    demo = subprocess.run(
        [str(bin_dir / "mentorcore"), "demo"],
        capture_output=True,
        text=True,
        cwd=elsewhere,
        env=clean_env,
        timeout=TIMEOUT,
        check=False,
    )
    assert demo.returncode == 0, demo.stdout[-3000:] + demo.stderr[-3000:]
    assert "Traceback" not in demo.stdout + demo.stderr
    for program in ("ipa", "acsa", "glisi", "ulead", "practice12"):
        assert f"$ mentorcore show {program}" in demo.stdout
    assert "$ mentorcore match ipa" in demo.stdout
    assert demo.stdout.rstrip().endswith("Demo finished: every step ran.")
