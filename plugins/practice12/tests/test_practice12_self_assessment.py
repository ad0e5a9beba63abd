"""Practice 12: the framework, the five-stage rubric and a district's self-assessment."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from pathlib import Path

import pytest
from mentorcore_practice12 import plugin

from mentorcore.assessing import describe_summary, summarize_assessment, summary_to_data
from mentorcore.cli.main import main
from mentorcore.io.case import framework_from_case, program_to_case, rubrics_from_case
from mentorcore.plugin import (
    Assessment,
    Framework,
    InputError,
    Rating,
    Registry,
    Rubric,
    load_registry,
)
from mentorcore.testing import assert_conformant

EXAMPLE = (
    Path(__file__).resolve().parents[3]
    / "examples"
    / "practice12"
    / "district-self-assessment.toml"
)
STAGES = ["getting_aware", "getting_ready", "getting_started", "getting_better", "keep_improving"]


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry([plugin], entry_points=False, strict=True)


@pytest.fixture(scope="module")
def framework(registry: Registry) -> Framework:
    return registry.program("practice12").framework("practice_12")


@pytest.fixture(scope="module")
def rubric(registry: Registry) -> Rubric:
    return registry.program("practice12").rubric("practice_12_stages")


def rated(*ratings: tuple[str, str, dt.date]) -> Assessment:
    return Assessment(
        subject="Riverside Public Schools",
        program="practice12",
        framework="practice_12",
        rubric="practice_12_stages",
        ratings=tuple(Rating(item=i, level=lv, date=d) for i, lv, d in ratings),
    )


# -- The framework and rubric ---------------------------------------------------------------


def test_practice_12_has_two_indicators(framework: Framework) -> None:
    assert framework.codes == ("12", "12a", "12b")
    assert [(i.code, i.title) for i in framework.leaves()] == [
        ("12a", "Leader Partnerships"),
        ("12b", "Instructional Coaching"),
    ]
    assert framework.item("12").text.startswith(
        "District and building leaders engage in and foster partnerships, coaching, and mentoring"
    )


def test_five_stages_in_two_groups(rubric: Rubric) -> None:
    assert [(lv.id, lv.title, lv.group) for lv in rubric.levels] == [
        ("getting_aware", "Getting Aware", "Preparation"),
        ("getting_ready", "Getting Ready", "Preparation"),
        ("getting_started", "Getting Started", "Progress Indicators"),
        ("getting_better", "Getting Better", "Progress Indicators"),
        ("keep_improving", "Keep Improving", "Progress Indicators"),
    ]
    assert rubric.framework == "practice_12"
    assert rubric.noun == "stage"


def test_every_indicator_is_described_at_every_stage(rubric: Rubric) -> None:
    assert len(rubric.descriptors) == 10
    for item in ("12a", "12b"):
        for stage in STAGES:
            assert rubric.descriptor(item, stage) is not None


def test_the_seeds_second_getting_better_under_12b_ships_as_keep_improving(
    rubric: Rubric,
) -> None:
    descriptor = rubric.descriptor("12b", "keep_improving")
    assert descriptor is not None
    assert descriptor.text.startswith(
        "District leaders engage in regular coaching conversations with other leaders"
    )
    assert "GETTING BETTER" in descriptor.note
    assert [d.note for d in rubric.descriptors if d.note] == [descriptor.note]
    better = rubric.descriptor("12b", "getting_better")
    assert better is not None
    assert better.text.startswith(
        "District leaders engage in regular coaching conversations with building, instructional"
    )


def test_the_research_references_and_the_source_are_docs_content(registry: Registry) -> None:
    program = registry.program("practice12")
    content = {c.id: c for c in program.content}
    references = content["research_references"].items
    assert len(references) == 12
    assert references[0].startswith("Crum, K. S., Sherman, W. H., & Myran, S. (2010)")
    assert any("misystemsupport.com" in (s.url or "") for s in program.sources)
    assert "Leadership System" in content["about"].text


# -- The self-assessment --------------------------------------------------------------------


@pytest.mark.parametrize("stage", STAGES[:-1])
@pytest.mark.parametrize("item", ["12a", "12b"])
def test_the_next_step_is_the_next_stages_descriptor(
    registry: Registry, rubric: Rubric, item: str, stage: str
) -> None:
    reading = summarize_assessment(registry, rated((item, stage, dt.date(2024, 9, 1))))
    status = reading.summary.status(item)
    following = STAGES[STAGES.index(stage) + 1]
    assert status.next_level is not None
    assert status.next_level.id == following
    descriptor = rubric.descriptor(item, following)
    assert descriptor is not None
    assert status.next_step == descriptor.text
    assert not status.at_top


@pytest.mark.parametrize("item", ["12a", "12b"])
def test_a_district_at_keep_improving_is_told_it_is_at_the_top_stage(
    registry: Registry, item: str
) -> None:
    reading = summarize_assessment(registry, rated((item, "keep_improving", dt.date(2025, 1, 1))))
    status = reading.summary.status(item)
    assert status.at_top
    assert status.next_level is None
    assert status.next_step is None
    assert any(
        "At the top stage: Keep Improving is the highest stage" in line
        for line in describe_summary(reading)
    )


def test_an_indicator_not_yet_rated_starts_at_getting_aware(
    registry: Registry, rubric: Rubric
) -> None:
    reading = summarize_assessment(registry, rated(("12a", "getting_ready", dt.date(2024, 9, 1))))
    status = reading.summary.status("12b")
    assert status.latest is None
    assert status.next_level is not None
    assert status.next_level.id == "getting_aware"
    assert reading.summary.unrated == ("12b",)


def test_the_example_district_gives_current_stages_history_and_next_steps(
    registry: Registry,
) -> None:
    from mentorcore.assessing import load_assessment

    reading = summarize_assessment(registry, load_assessment(EXAMPLE))
    a, b = reading.summary.status("12a"), reading.summary.status("12b")
    assert [r.level for r in a.history] == ["getting_ready", "getting_better", "keep_improving"]
    assert a.at_top
    assert b.latest is not None
    assert b.latest.level == "getting_better"
    assert b.next_level is not None
    assert b.next_level.id == "keep_improving"
    earlier = summarize_assessment(registry, load_assessment(EXAMPLE), dt.date(2024, 12, 31))
    assert earlier.summary.status("12a").latest.level == "getting_ready"  # type: ignore[union-attr]
    assert earlier.summary.to_develop == ("12a", "12b")


def test_an_unknown_stage_is_an_input_error_naming_the_rating(registry: Registry) -> None:
    with pytest.raises(InputError) as caught:
        summarize_assessment(
            registry, rated(("12a", "excellent", dt.date(2024, 9, 1))), file="d.toml"
        )
    assert caught.value.file == "d.toml"
    assert caught.value.path == "ratings[0].level"
    assert "a stage of" in str(caught.value)


def test_mentorcore_assess_prints_stages_and_next_steps(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLE)]) == 0
    out = capsys.readouterr().out
    assert "Current stage: Keep Improving (Progress Indicators)" in out
    assert "Next step, Keep Improving: District leaders engage in regular coaching" in out
    assert main(["assess", str(EXAMPLE), "--as-of", "2025-01-31", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["as_of"] == "2025-01-31"
    assert [i["latest"]["level"] for i in data["items"]] == ["getting_better", "getting_started"]


def test_a_faulty_assessment_file_exits_2_with_the_path(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    bad = tmp_path / "bad.toml"
    bad.write_text(
        'program = "practice12"\nframework = "practice_12"\nrubric = "practice_12_stages"\n'
        'subject = "D"\n[[ratings]]\nitem = "12a"\nlevel = "getting_ready"\ndate = "soon"\n',
        encoding="utf-8",
    )
    assert main(["assess", str(bad)]) == 2
    assert "ratings[0].date" in capsys.readouterr().err


def test_summary_data_is_plain_json(registry: Registry) -> None:
    from mentorcore.assessing import load_assessment

    data = summary_to_data(summarize_assessment(registry, load_assessment(EXAMPLE)))
    assert json.loads(json.dumps(data)) == data


# -- CASE and the plug-in -------------------------------------------------------------------


def test_the_framework_and_its_stages_round_trip_through_case(
    registry: Registry, framework: Framework
) -> None:
    exported = program_to_case(registry.program("practice12"), registry)
    (package,) = json.loads(json.dumps(exported))["CFPackages"]
    assert framework_from_case(package) == framework
    assert rubrics_from_case(package) == registry.program("practice12").rubrics
    levels = package["CFRubrics"][0]["CFRubricCriteria"][0]["CFRubricCriterionLevels"]
    assert [lv["quality"] for lv in levels] == [
        "Getting Aware",
        "Getting Ready",
        "Getting Started",
        "Getting Better",
        "Keep Improving",
    ]


def test_the_program_conforms(registry: Registry) -> None:
    assert_conformant(registry, "practice12")


def test_the_plugin_is_installed_as_an_entry_point() -> None:
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="mentorcore")}
    assert names.get("practice12") == "mentorcore_practice12.plugin"


def test_an_assessment_file_may_be_json(registry: Registry, tmp_path: Path) -> None:
    from mentorcore.assessing import load_assessment

    data = {
        "program": "practice12",
        "framework": "practice_12",
        "rubric": "practice_12_stages",
        "subject": "District C",
        "ratings": [{"item": "12b", "level": "getting_ready", "date": "2024-10-01", "by": "team"}],
    }
    path = tmp_path / "district.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    summary = summarize_assessment(registry, load_assessment(path)).summary
    assert summary.status("12b").next_level is not None
    assert summary.status("12b").next_level.id == "getting_started"  # type: ignore[union-attr]
    assert summary.unrated == ("12a",)
