"""One program description: what ``show``, ``show --json`` and the docs directive render.

The description is built once from the program; ``show`` prints it as text
(wrapped, tables within 80 columns), ``show --json`` gives it as plain data
beside the program's own keys, and the pictures it carries are drawn as
self-contained SVG with a text alternative.
"""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys
import xml.etree.ElementTree as ET
from collections.abc import Iterator
from decimal import Decimal

import pytest

from mentorcore.cli.show import TABLE_WIDTH, render, render_description
from mentorcore.description import (
    DEFAULT_LABEL,
    SECTIONS,
    Bar,
    BarChart,
    Block,
    Bullets,
    CycleDiagram,
    Paragraph,
    ProgramDescription,
    Section,
    SourceNote,
    Span,
    StageGroup,
    StageStrip,
    Table,
    describe_program,
    source_text,
)
from mentorcore.pictures import narrow_svg, svg
from mentorcore.process import Phase, ProcessModel, Task
from mentorcore.programs import Program
from mentorcore.provenance import Source
from mentorcore.registry import Registry, load_registry

SVG = "{http://www.w3.org/2000/svg}"


@pytest.fixture(scope="module")
def installed() -> Registry:
    registry = load_registry()
    if not registry.programs:
        pytest.skip("no organization plug-in is installed")
    return registry


def _walk(blocks: tuple[Block, ...]) -> Iterator[Block]:
    for block in blocks:
        yield block
        if isinstance(block, Bullets):
            for item in block.items:
                yield from _walk(item)
        elif isinstance(block, Table):
            for row in block.rows:
                for cell in row:
                    yield from _walk(cell)


def _blocks(description: ProgramDescription) -> Iterator[Block]:
    for section in description.sections:
        yield from _walk(section.blocks)


def _words(text: str) -> str:
    return " ".join(text.split())


def test_sections_come_in_their_order_and_only_with_content(installed: Registry) -> None:
    for program in installed.programs.values():
        description = describe_program(program, installed)
        ids = [section.id for section in description.sections]
        assert ids == [name for name in SECTIONS if name in ids]
        assert all(section.blocks for section in description.sections)
        assert ids[0] == "overview"


def test_show_says_every_paragraph_of_the_description(installed: Registry) -> None:
    for program in installed.programs.values():
        description = describe_program(program, installed)
        shown = _words("\n".join(render_description(description, width=100)))
        for block in _blocks(description):
            if isinstance(block, Paragraph) and not any(s.style == "amount" for s in block.spans):
                assert _words(block.text) in shown, (program.id, block.text)


def test_show_fits_the_terminal_and_tables_fit_80_columns(installed: Registry) -> None:
    for program in installed.programs.values():
        for width in (60, 80, 120):
            lines = render(program, installed, width=width)
            too_long = [line for line in lines if len(line) > width]
            assert not too_long, (program.id, width, too_long[:3])
    wide = ProgramDescription(
        program="p",
        title="P",
        organization="O",
        plugin="",
        sections=(
            Section(
                id="content",
                title="More",
                blocks=(
                    Table(
                        headers=("A", "B", "C"),
                        rows=(
                            tuple((Paragraph(spans=(Span(text="word " * 30),)),) for _ in "abc"),
                        ),
                    ),
                ),
            ),
        ),
    )
    lines = render_description(wide, width=200)
    assert max(len(line) for line in lines) <= TABLE_WIDTH


def test_show_prints_each_source_or_the_default_label(installed: Registry) -> None:
    ipa = installed.programs.get("ipa")
    if ipa is None:
        pytest.skip("the IPA plug-in is not installed")
    shown = _words("\n".join(render(ipa, installed, width=100)))
    for rule in ipa.eligibility:
        for outcome in rule.outcomes:
            if outcome.source is not None and outcome.source.default:
                assert _words(f"{DEFAULT_LABEL}: {outcome.source.note}") in shown
            elif outcome.source is not None and outcome.source.quote:
                assert _words(outcome.source.quote) in shown
    for kind in ipa.kinds:
        for requirement in kind.requirements:
            assert requirement.source is not None
            said = (
                requirement.source.note if requirement.source.default else requirement.source.quote
            )
            assert _words(said or "") in shown
    for parameter in ipa.parameters:
        for value in parameter.values:
            if value.source is not None and value.source.quote:
                assert _words(value.source.quote) in shown


def program_sources(obj: object) -> Iterator[Source]:
    """Every source anywhere in a program's data (kinds, rules, conditions, values …)."""
    import attrs

    if isinstance(obj, Source):
        yield obj
    elif attrs.has(type(obj)):
        for field in attrs.fields(type(obj)):
            yield from program_sources(getattr(obj, field.name))
    elif isinstance(obj, (list, tuple)):
        for inner in obj:
            yield from program_sources(inner)
    elif isinstance(obj, dict):
        for inner in obj.values():
            yield from program_sources(inner)


def test_show_says_every_source_and_labels_every_default(installed: Registry) -> None:
    for program in installed.programs.values():
        shown = _words("\n".join(render(program, installed, width=100)))
        for source in program_sources(program):
            said = source_text(source)
            assert _words(said) in shown, (program.id, said)
            if source.default:
                assert "default of this plug-in" in said.lower()


def test_a_value_with_no_source_says_so() -> None:
    description = ProgramDescription(
        program="p",
        title="P",
        organization="O",
        plugin="",
        sections=(
            Section(
                id="content",
                title="More",
                blocks=(
                    SourceNote(source=None),
                    SourceNote(source=Source(default=True, note="12 months from the start")),
                ),
            ),
        ),
    )
    text = "\n".join(render_description(description, width=100))
    assert "Source: no source given" in text
    assert f"Source: {DEFAULT_LABEL}: 12 months from the start" in text


def test_show_practice12_prints_each_stage_descriptor_for_each_indicator(
    installed: Registry,
) -> None:
    program = installed.programs.get("practice12")
    if program is None:
        pytest.skip("the Practice 12 plug-in is not installed")
    shown = _words("\n".join(render(program, installed, width=80)))
    rubric = program.rubrics[0]
    assert len(rubric.descriptors) == len(rubric.levels) * 2
    for descriptor in rubric.descriptors:
        level = rubric.level(descriptor.level)
        assert _words(f"{descriptor.item}") in shown
        assert _words(descriptor.text) in shown, (level.title, descriptor.item)
    # Each descriptor is shown under its stage, in the stages' order.
    positions = [shown.index(_words(d.text)) for d in rubric.descriptors]
    stage_of = [rubric.rank(d.level) for d in rubric.descriptors]
    assert [s for _, s in sorted(zip(positions, stage_of, strict=True))] == sorted(stage_of)


def _show_json(program: str) -> dict[str, object]:
    env = {k: v for k, v in os.environ.items() if k != "MENTORCORE_PLUGINS"}
    result = subprocess.run(
        [sys.executable, "-m", "mentorcore.cli.main", "show", program, "--json"],
        capture_output=True,
        text=True,
        env=env,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    data = json.loads(result.stdout)
    assert isinstance(data, dict)
    return data


def test_show_json_keeps_the_program_keys_and_adds_its_sections(installed: Registry) -> None:
    from mentorcore.output import command_schema, to_data

    program_id = "ipa" if "ipa" in installed.programs else next(iter(installed.programs))
    data = _show_json(program_id)
    program = installed.program(program_id)
    sections = data.pop("sections")
    assert data == to_data(program)
    assert isinstance(sections, list)
    assert [s["id"] for s in sections] == [
        s.id for s in describe_program(program, installed).sections
    ]
    types = {block["type"] for section in sections for block in section["blocks"]}
    assert "paragraph" in types
    if program_id == "ipa":
        assert {"chart", "table", "source", "list"} <= types
    import jsonschema

    jsonschema.Draft202012Validator(command_schema("show")).validate({**data, "sections": sections})


def _model(cycles: bool) -> ProcessModel:
    phases = tuple(
        Phase(id=name.lower(), title=name, tasks=(Task(id=f"{name.lower()}_t", title="Do it"),))
        for name in ("Plan", "Do", "Check", "Act")
    )
    return ProcessModel(id="pdca", title="PDCA", phases=phases, cycles=cycles)


def _parse(drawing: str) -> ET.Element:
    root = ET.fromstring(drawing)
    assert root.tag == f"{SVG}svg"
    assert root.get("role") == "img"
    assert root.get("aria-label")
    assert root.get("viewBox")
    assert root.get("width") is None and root.get("height") is None
    assert "px" not in (root.get("style") or "")
    title = root.find(f"{SVG}title")
    desc = root.find(f"{SVG}desc")
    assert title is not None and title.text
    assert desc is not None and desc.text
    assert "http" not in drawing.replace("http://www.w3.org/2000/svg", "")
    return root


def _arrows(root: ET.Element) -> list[ET.Element]:
    return [p for p in root.iter(f"{SVG}path") if p.get("marker-end")]


def test_a_cycle_draws_its_phases_in_order_and_the_arrow_back_when_it_repeats() -> None:
    from mentorcore.description import _cycle

    repeating = _cycle(_model(cycles=True))
    once = _cycle(_model(cycles=False))
    assert repeating.steps == ("Plan", "Do", "Check", "Act")
    assert "then back to Plan" in repeating.alt and "back" not in once.alt
    root = _parse(svg(repeating))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert [t for t in texts if t[:2] in ("1.", "2.", "3.", "4.")] == [
        "1. Plan",
        "2. Do",
        "3. Check",
        "4. Act",
    ]
    assert len(_arrows(root)) == 4
    assert len(_arrows(_parse(svg(once)))) == 3
    # On a phone the phases run top to bottom, the arrow back up the side.
    narrow = narrow_svg(repeating)
    assert narrow is not None and "back to Plan" in narrow
    assert len(_arrows(_parse(narrow))) == 4
    assert len(_arrows(_parse(narrow_svg(once) or ""))) == 3


def test_a_strip_draws_every_stage_under_its_group() -> None:
    strip = StageStrip(
        title="Stages",
        groups=(
            StageGroup(title="Preparation", stages=("Getting Aware", "Getting Ready")),
            StageGroup(title="Progress Indicators", stages=("Getting Started", "Keep Improving")),
        ),
        alt="Stages: Preparation: Getting Aware, Getting Ready; Progress Indicators: …",
    )
    root = _parse(svg(strip))
    words = " ".join(" ".join(t.itertext()) for t in root.iter(f"{SVG}text"))
    for name in ("Preparation", "Progress Indicators", "Getting", "Aware", "Improving"):
        assert name in words
    assert len(list(root.iter(f"{SVG}polygon"))) == 4
    # On a phone the strip is drawn one group a row: narrower, with the same stages.
    narrow = narrow_svg(strip)
    assert narrow is not None
    small = _parse(narrow)
    assert len(list(small.iter(f"{SVG}polygon"))) == 4
    width = float((root.get("viewBox") or "").split()[2])
    assert float((small.get("viewBox") or "").split()[2]) < width
    ids = {e.get("id") for e in root.iter() if e.get("id")}
    assert not ids & {e.get("id") for e in small.iter() if e.get("id")}


def test_a_chart_draws_a_bar_per_package_and_membership_with_its_amount() -> None:
    chart = BarChart(
        title="Prices",
        unit="USD",
        categories=("20 hours", "40 hours"),
        series=(
            Bar(label="member", values=(Decimal("1749"), Decimal("2999"))),
            Bar(label="non-member", values=(Decimal("2629"), None)),
        ),
        alt="Prices (USD): …",
    )
    root = _parse(svg(chart))
    texts = ["".join(t.itertext()) for t in root.iter(f"{SVG}text")]
    assert {"1,749", "2,999", "2,629", "—", "20 hours", "40 hours"} <= set(texts)
    bars = [r for r in root.iter(f"{SVG}rect") if float(r.get("height", 0)) > 16]
    assert len(bars) == 3
    # On a phone: horizontal bars, a group per package, each amount beside its bar.
    narrow = _parse(narrow_svg(chart) or "")
    texts = ["".join(t.itertext()) for t in narrow.iter(f"{SVG}text")]
    assert {"1,749", "2,999", "2,629", "—", "20 hours", "40 hours"} <= set(texts)


def test_the_installed_programs_carry_their_pictures(installed: Registry) -> None:
    expected = {"glisi": CycleDiagram, "practice12": StageStrip, "ipa": BarChart}
    for program_id, kind in expected.items():
        if program_id not in installed.programs:
            continue
        description = describe_program(installed.program(program_id), installed)
        pictures = [b for b in _blocks(description) if isinstance(b, kind)]
        assert pictures, program_id
        for picture in pictures:
            _parse(svg(picture))
    glisi = installed.programs.get("glisi")
    if glisi is not None:
        cycle = next(
            b for b in _blocks(describe_program(glisi, installed)) if isinstance(b, CycleDiagram)
        )
        assert cycle.steps == ("Pre-Coaching", "Plan", "Do (Modules)", "Check", "Act")
        assert cycle.repeats
    practice12 = installed.programs.get("practice12")
    if practice12 is not None:
        strip = next(
            b for b in _blocks(describe_program(practice12, installed)) if isinstance(b, StageStrip)
        )
        assert [g.title for g in strip.groups] == ["Preparation", "Progress Indicators"]
        assert sum(len(g.stages) for g in strip.groups) == 5


def test_an_unknown_comparison_column_names_the_known_ones(installed: Registry) -> None:
    from mentorcore.errors import MentorcoreError

    program: Program = next(iter(installed.programs.values()))
    with pytest.raises(MentorcoreError, match=re.escape("nosuch")):
        describe_program(program, installed, columns=("nosuch", "other"))
