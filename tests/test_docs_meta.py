"""Meta-tests: the docs cover the plug-in contract, the programs and the API; every hook is tested.

As datasette's ``test_plugin_hooks_are_documented`` and
``test_plugin_hooks_have_tests``: a hook added to :mod:`mentorcore.hookspecs`
without a docs entry or a test fails here. The ``test_hook_<name>`` tests
below each exercise one hook through a minimal plug-in. The Sphinx
directives are tested by building a small project.
"""

from __future__ import annotations

import datetime as dt
import importlib
import pkgutil
import re
import subprocess
import sys
import textwrap
from collections.abc import Callable
from decimal import Decimal
from pathlib import Path
from typing import Any

import attrs
import pytest

import mentorcore
from mentorcore import hookimpl, hookspecs, load_registry
from mentorcore.engagements import Engagement, Interaction, Mode
from mentorcore.frameworks import Framework, Item
from mentorcore.matching.criteria import pair_criterion
from mentorcore.people import Leader, Mentor, Role
from mentorcore.programs import Program
from mentorcore.rules.facts import Fact
from mentorcore.rules.requirements import (
    CheckContext,
    Finding,
    Metric,
    Requirement,
    RequirementCheck,
    Status,
)

ROOT = Path(__file__).resolve().parents[1]
DOCS = ROOT / "docs"
EXAMPLE_SRC = ROOT / "examples" / "plugin-author" / "src"


def _hooks() -> list[str]:
    return sorted(
        name
        for name, value in vars(hookspecs).items()
        if callable(value) and hasattr(value, "mentorcore_spec")
    )


def test_there_are_hooks() -> None:
    assert "register_programs" in _hooks()
    assert "register_amendments" in _hooks()


@pytest.mark.parametrize("hook", _hooks())
def test_plugin_hooks_are_documented(hook: str) -> None:
    text = (DOCS / "hooks.md").read_text(encoding="utf-8")
    assert f"autofunction:: mentorcore.hookspecs.{hook}" in text, (
        f"add '.. autofunction:: mentorcore.hookspecs.{hook}' to docs/hooks.md"
    )


@pytest.mark.parametrize("hook", _hooks())
def test_plugin_hooks_have_tests(hook: str) -> None:
    assert f"test_hook_{hook}" in globals(), (
        f"add a test named test_hook_{hook} to tests/test_docs_meta.py"
    )


@pytest.mark.parametrize("hook", _hooks())
def test_plugin_hooks_have_a_docstring_that_says_when_and_what(hook: str) -> None:
    doc = getattr(hookspecs, hook).__doc__ or ""
    assert "register(" in doc, f"{hook}'s docstring should show the register(...) call"


# -- one test per hook, each through a minimal plug-in -----------------------------


def _plugin(**hooks: Callable[..., None]) -> object:
    namespace = {name: staticmethod(hookimpl(function)) for name, function in hooks.items()}
    return type("MinimalPlugin", (), namespace)()


def _loads(*plugins: object) -> mentorcore.Registry:
    return load_registry(
        {f"plugin{i}": p for i, p in enumerate(plugins)}, entry_points=False, strict=True
    )


def _program(**fields: Any) -> Program:
    return Program(id="tiny", title="Tiny", organization="Tiny Org", **fields)


def test_hook_register_programs() -> None:
    def register_programs(register: Callable[[Program], None]) -> None:
        register(_program())

    registry = _loads(_plugin(register_programs=register_programs))
    assert registry.program("tiny").plugin == "plugin0"


def test_hook_register_frameworks() -> None:
    framework = Framework(id="tiny.skills", title="Skills", items=(Item(code="S1", title="One"),))

    def register_frameworks(register: Callable[[Framework], None]) -> None:
        register(framework)

    registry = _loads(_plugin(register_frameworks=register_frameworks))
    assert registry.framework("tiny.skills").item("S1").title == "One"


def test_hook_register_facts() -> None:
    def register_facts(register: Callable[[Fact], None]) -> None:
        register(Fact(id="tiny.named", description="the name", function=lambda p, _d: p.name))

    registry = _loads(_plugin(register_facts=register_facts))
    leader = Leader(id="l", name="Lee", role=Role.PRINCIPAL, role_started=dt.date(2024, 7, 1))
    assert registry.facts["tiny.named"].function(leader, dt.date(2024, 9, 1)) == "Lee"


def _engagement() -> Engagement:
    return Engagement(
        id="e",
        program="tiny",
        kind="k",
        leader=Leader(id="l", name="Lee", role=Role.PRINCIPAL, role_started=dt.date(2024, 7, 1)),
        mentor=Mentor(id="m", name="Mo", role=Role.PRINCIPAL),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
        events=(Interaction(date=dt.date(2024, 8, 2), minutes=30, mode=Mode.PHONE),),
    )


def test_hook_register_metrics() -> None:
    def register_metrics(register: Callable[[Metric], None]) -> None:
        register(
            Metric(
                id="tiny.events",
                description="events logged",
                function=lambda e, _d, _p: len(e.events),
            )
        )

    registry = _loads(_plugin(register_metrics=register_metrics))
    assert registry.metrics["tiny.events"].function(_engagement(), dt.date(2024, 9, 1), {}) == 1


def test_hook_register_checks() -> None:
    def always(requirement: Requirement, _e: Engagement, _d: dt.date, _c: CheckContext) -> Finding:
        return Finding(
            requirement=requirement.id, title=requirement.title, status=Status.MET, detail="ok"
        )

    def register_checks(register: Callable[[RequirementCheck], None]) -> None:
        register(RequirementCheck(id="tiny.always", description="always met", function=always))

    def register_programs(register: Callable[[Program], None]) -> None:
        from mentorcore.programs import EngagementKind

        requirement = Requirement(id="r", title="Always", check="tiny.always")
        register(_program(kinds=(EngagementKind(id="k", title="K", requirements=(requirement,)),)))

    registry = _loads(_plugin(register_checks=register_checks, register_programs=register_programs))
    checked = mentorcore.check_engagement(registry, _engagement(), dt.date(2024, 9, 1))
    assert [(f.requirement, f.status) for f in checked.findings] == [("r", Status.MET)]


def test_hook_register_criteria() -> None:
    def register_criteria(register: Callable[..., None]) -> None:
        register(
            pair_criterion(
                "tiny.same_name_initial",
                "names start alike",
                lambda leader, mentor, _params: (
                    float(leader.name[0] == mentor.name[0]),
                    "same initial",
                ),
            )
        )

    registry = _loads(_plugin(register_criteria=register_criteria))
    assert registry.criteria["tiny.same_name_initial"].description == "names start alike"


def test_hook_register_amendments() -> None:
    def register_programs(register: Callable[[Program], None]) -> None:
        register(_program())

    def register_amendments(register: Callable[[str, Callable[[Program], Program]], None]) -> None:
        register("tiny", lambda program: attrs.evolve(program, description="amended"))

    registry = _loads(
        _plugin(register_programs=register_programs),
        _plugin(register_amendments=register_amendments),
    )
    assert registry.program("tiny").description == "amended"
    assert registry.program("tiny").plugin == "plugin0"


# -- the docs cover the programs, the API and the command line --------------------


def test_every_installed_program_has_a_page_rendered_by_the_directive() -> None:
    registry = load_registry(refresh=True)
    for program_id in registry.programs:
        page = DOCS / "programs" / f"{program_id}.md"
        assert page.exists(), f"add docs/programs/{program_id}.md"
        assert f"{{mentorcore-program}} {program_id}" in page.read_text(encoding="utf-8")
        index = (DOCS / "programs" / "index.md").read_text(encoding="utf-8")
        assert f"\n{program_id}\n" in index, f"list {program_id} in docs/programs/index.md"


def _public_modules() -> list[str]:
    names = []
    for info in pkgutil.walk_packages(mentorcore.__path__, "mentorcore."):
        private = any(part.startswith("_") for part in info.name.split("."))
        if info.ispkg or ".cli." in info.name or private:
            continue
        names.append(info.name)
    return sorted(names)


@pytest.mark.parametrize("module", _public_modules())
def test_every_module_is_in_the_api_reference(module: str) -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8") + (DOCS / "hooks.md").read_text(
        encoding="utf-8"
    )
    assert re.search(rf"automodule:: {re.escape(module)}\s", text), (
        f"add '.. automodule:: {module}' to docs/api.md"
    )


def test_every_documented_module_exists() -> None:
    text = (DOCS / "api.md").read_text(encoding="utf-8")
    for module in re.findall(r"automodule:: ([\w.]+)", text):
        importlib.import_module(module)


def test_every_page_is_in_a_toctree() -> None:
    pages = {p.relative_to(DOCS).with_suffix("").as_posix() for p in DOCS.rglob("*.md")}
    pages -= {p for p in pages if p.startswith("_build/")}
    listed = {"index"}
    for path in DOCS.rglob("*.md"):
        if "_build" in path.parts:
            continue
        text = path.read_text(encoding="utf-8")
        for block in re.findall(r"```\{toctree\}(.*?)```", text, flags=re.S):
            for line in block.splitlines():
                entry = line.strip()
                if entry and not entry.startswith(":"):
                    base = path.parent.relative_to(DOCS)
                    listed.add((base / entry).as_posix() if str(base) != "." else entry)
    assert pages <= listed, f"pages in no toctree: {sorted(pages - listed)}"


# -- the directives, in a small Sphinx project --------------------------------------


def _build(tmp_path: Path, page: str, conf: str = "") -> subprocess.CompletedProcess[str]:
    source = tmp_path / "src"
    source.mkdir()
    (source / "conf.py").write_text(
        textwrap.dedent(f"""\
            import sys
            sys.path.insert(0, {str(EXAMPLE_SRC)!r})
            extensions = ["myst_parser", "mentorcore.sphinxext"]
            mentorcore_registries = {{
                "guide": ["mentorcore_example_district.plugin", "mentorcore_ipa.plugin"],
            }}
            {conf}
            """),
        encoding="utf-8",
    )
    (source / "index.md").write_text(textwrap.dedent(page), encoding="utf-8")
    command = [sys.executable, "-m", "sphinx", "-W", "-q", "-b", "html", str(source)]
    return subprocess.run(
        [*command, str(tmp_path / "html")],
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )


def test_the_program_directive_renders_a_small_program_with_its_sources(tmp_path: Path) -> None:
    result = _build(
        tmp_path,
        """\
        # Example

        ```{mentorcore-program} example_district
        :registry: guide
        ```
        """,
    )
    assert result.returncode == 0, result.stderr
    html = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    text = re.sub(r"<[^>]+>", "", html)
    assert "Who is eligible" in text
    assert "Free coaching" in text and "works in an Example Unified school" in text
    assert "1,700.00" in text and "Prices in force from 2024-07-01" in text
    assert "At least four on-site sessions" in text
    assert "mentorcore plug-in author&#8217;s guide: Example Unified School District" in html or (
        "mentorcore plug-in author’s guide: Example Unified School District" in text
    )


def test_the_program_directive_renders_chosen_sections_in_order(tmp_path: Path) -> None:
    result = _build(
        tmp_path,
        """\
        # Example

        ```{mentorcore-program} example_district
        :registry: guide
        :sections: prices, eligibility
        ```
        """,
    )
    assert result.returncode == 0, result.stderr
    text = re.sub(r"<[^>]+>", "", (tmp_path / "html" / "index.html").read_text(encoding="utf-8"))
    assert text.index("Prices") < text.index("Who is eligible")
    assert "Service requirements" not in text


def test_a_program_that_is_not_installed_stops_the_build(tmp_path: Path) -> None:
    result = _build(
        tmp_path,
        """\
        # Missing

        ```{mentorcore-program} no_such_program
        :registry: guide
        ```
        """,
    )
    assert result.returncode != 0
    assert "unknown program 'no_such_program'; known: example_district, ipa" in result.stderr


def test_an_unknown_section_stops_the_build(tmp_path: Path) -> None:
    result = _build(
        tmp_path,
        """\
        # Bad section

        ```{mentorcore-program} example_district
        :registry: guide
        :sections: overview, pricing
        ```
        """,
    )
    assert result.returncode != 0
    assert "unknown section 'pricing'" in result.stderr


def test_the_fields_directive_lists_every_field_and_refuses_an_unknown_one(tmp_path: Path) -> None:
    result = _build(
        tmp_path,
        """\
        # Fields

        ```{mentorcore-fields} mentorcore.people.School
        state: a two-letter state code
        ```
        """,
    )
    assert result.returncode == 0, result.stderr
    text = re.sub(r"<[^>]+>", "", (tmp_path / "html" / "index.html").read_text(encoding="utf-8"))
    for field in attrs.fields(mentorcore.School):
        assert field.name in text
    assert "a two-letter state code" in text
    (tmp_path / "again").mkdir()
    bad = _build(
        tmp_path / "again",
        """\
        # Fields

        ```{mentorcore-fields} mentorcore.people.School
        county: not a field
        ```
        """,
    )
    assert bad.returncode != 0
    assert "School has no field 'county'" in bad.stderr


def test_the_commands_directive_renders_every_command(tmp_path: Path) -> None:
    from mentorcore.cli.main import COMMANDS

    result = _build(tmp_path, "# Commands\n\n```{mentorcore-commands}\n```\n")
    assert result.returncode == 0, result.stderr
    text = (tmp_path / "html" / "index.html").read_text(encoding="utf-8")
    for name in COMMANDS:
        assert f"mentorcore {name}" in text
    assert "report" in COMMANDS


def test_money_is_shown_exactly() -> None:
    from mentorcore.sphinxext import _money

    assert _money(Decimal("4249")) == "4,249.00"
    assert _money(None) == "—"


def test_every_program_page_carries_its_pictures(tmp_path: Path) -> None:
    """The program pages, built as the site builds them, draw each picture as inline SVG."""
    import html as html_module
    import shutil

    from mentorcore.description import BarChart, CycleDiagram, StageStrip, describe_program
    from mentorcore.sphinxext import program_registry

    registry = program_registry()
    if not registry.programs:
        pytest.skip("no organization plug-in is installed")
    source = tmp_path / "src"
    shutil.copytree(DOCS / "programs", source / "programs")
    (source / "conf.py").write_text(
        'extensions = ["myst_parser", "mentorcore.sphinxext"]\n', encoding="utf-8"
    )
    # The programs' index links to the plug-in guide: a stand-in page will do.
    (source / "plugin-guide.md").write_text("# Guide\n", encoding="utf-8")
    (source / "index.md").write_text(
        "# Site\n\n```{toctree}\nprograms/index\nplugin-guide\n```\n", encoding="utf-8"
    )
    result = subprocess.run(
        [
            sys.executable,
            "-m",
            "sphinx",
            "-W",
            "-q",
            "-b",
            "html",
            str(source),
            str(tmp_path / "o"),
        ],
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "o" / "_static" / "mentorcore-pictures.css").exists()
    kinds = {CycleDiagram: "cycle", StageStrip: "strip", BarChart: "chart"}
    drawn = {"glisi": "cycle", "practice12": "strip", "ipa": "chart"}
    for program_id in registry.programs:
        page = DOCS / "programs" / f"{program_id}.md"
        text = page.read_text(encoding="utf-8")
        asked = re.search(r":sections:(.*)", text)
        wanted = [s.strip() for s in asked.group(1).split(",")] if asked else None
        description = describe_program(registry.program(program_id), registry)
        expected: list[str] = []
        for section in description.sections:
            if wanted is None or section.id in wanted:
                expected.extend(
                    kinds[type(block)] for block in section.blocks if type(block) in kinds
                )
        html = (tmp_path / "o" / "programs" / f"{program_id}.html").read_text(encoding="utf-8")
        found = re.findall(r'class="mentorcore-picture mentorcore-(\w+)[ "]', html)
        if found:
            assert "mentorcore-pictures.css" in html
        assert found == expected, program_id
        if program_id in drawn:
            assert drawn[program_id] in found, f"{program_id}'s page lacks its {drawn[program_id]}"
        for svg_text in re.findall(r"<svg.*?</svg>", html, flags=re.S):
            assert 'role="img"' in svg_text and "aria-label=" in svg_text
            assert "<title" in svg_text and "<desc" in svg_text and "viewBox=" in svg_text
        # Every default the program rests on is labelled on its page.
        from test_description import program_sources

        from mentorcore.description import source_text

        words = " ".join(html_module.unescape(re.sub(r"<[^>]+>", " ", html)).split())
        plain = str.maketrans({"’": "'", "‘": "'", "“": '"', "”": '"', "…": "..."})
        words = re.sub(r" ([,.;:)])", r"\1", words).translate(plain)
        for source in program_sources(registry.program(program_id)):
            if source.default:
                said = " ".join(source_text(source).split())
                said = said.translate(plain)
                assert said in words, (program_id, said)
        # The text equivalent of each picture is on the page too.
        if "cycle" in found:
            assert "Phase and purpose" in html
        if "strip" in found:
            assert "Getting Aware" in re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
        if "chart" in found:
            assert "Prices in force" in re.sub(r"<svg.*?</svg>", "", html, flags=re.S)
