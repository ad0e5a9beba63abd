"""ULead West Georgia: the Performance Mentor Competencies, performance mentoring, assessments."""

from __future__ import annotations

import datetime as dt
import importlib.metadata
import json
from pathlib import Path

import pytest
from mentorcore_ulead import plugin

from mentorcore.assessing import (
    describe_summary,
    load_assessment,
    summarize_assessment,
    summary_to_data,
)
from mentorcore.checking import check_engagement
from mentorcore.cli.main import main
from mentorcore.io.case import framework_from_case, framework_to_case, program_to_case
from mentorcore.io.loaders import load_engagement
from mentorcore.plugin import (
    ArtifactLogged,
    Assessment,
    Engagement,
    Framework,
    InputError,
    Leader,
    Mentor,
    Rating,
    Registry,
    Status,
    load_registry,
)
from mentorcore.testing import assert_conformant

EXAMPLES = Path(__file__).resolve().parents[3] / "examples" / "ulead"


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry([plugin], entry_points=False, strict=True)


@pytest.fixture(scope="module")
def framework(registry: Registry) -> Framework:
    return registry.program("ulead").framework("performance_mentor_competencies")


# -- The framework --------------------------------------------------------------------------


def test_four_competencies_with_three_standards_each(framework: Framework) -> None:
    assert framework.title == "Performance Mentor Competencies"
    assert [(i.code, i.title) for i in framework.items] == [
        ("C1", "Performance Expectations"),
        ("C2", "Performance Plan"),
        ("C3", "Developmental Interactions"),
        ("C4", "Productive Partnerships"),
    ]
    assert [i.code for i in framework.leaves()] == [
        f"C{c}.S{s}" for c in range(1, 5) for s in range(1, 4)
    ]
    assert {i.kind for i in framework.items} == {"competency"}
    assert {i.kind for i in framework.leaves()} == {"standard"}


def test_every_standard_carries_the_seeds_full_text(framework: Framework) -> None:
    assert framework.item("C1.S3").text == (
        "Facilitate the analysis and use of data from multi-source and other assessments to "
        "identify the Leader's strengths and areas for improvement."
    )
    assert framework.item("C2.S1").text == (
        "Facilitate design of the Leader's performance plan to address data-driven "
        "transformational goals that align with organizational priorities."
    )
    assert framework.item("C4.S3").text == (
        "Facilitate understanding, communication, and effective interactions through "
        "interpersonal skills including collaboration and conflict resolution."
    )
    assert framework.item("C3").text.startswith("The Performance MentorTM determines")
    assert all(item.text for item, _ in framework.walk())


def test_the_four_sets_of_processes_and_eight_bullets_are_docs_content(
    registry: Registry,
) -> None:
    content = {c.id: c for c in registry.program("ulead").content}
    assert len(content["sets_of_processes"].items) == 8
    pairs = [
        content[f"process_{name}"]
        for name in ("expectations", "plan", "interactions", "partnerships")
    ]
    assert [len(p.items) for p in pairs] == [2, 2, 2, 2]
    assert [b for p in pairs for b in p.items] == list(content["sets_of_processes"].items)
    assert content["process_expectations"].items[0] == (
        "Organizational expectations function as the key driver for developing and "
        "supporting school leaders."
    )


# -- Performance mentoring ------------------------------------------------------------------


def _engagement(*goals: ArtifactLogged) -> Engagement:
    return Engagement(
        id="e",
        program="ulead",
        kind="performance_mentoring",
        leader=Leader(id="l", name="Leader", role="principal", role_started=dt.date(2024, 7, 1)),
        mentor=Mentor(id="m", name="Mentor", role="other", role_started=dt.date(2010, 7, 1)),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
        events=(ArtifactLogged(date=dt.date(2024, 9, 1), artifact="performance_plan"), *goals),
    )


def test_the_kind_centres_on_the_leaders_performance_plan(registry: Registry) -> None:
    kind = registry.program("ulead").kind("performance_mentoring")
    assert kind.central_artifact == "performance_plan"
    assert kind.roles == ("leader", "performance_mentor", "sponsor")


def test_a_goal_aligned_to_no_organizational_priority_is_a_finding(registry: Registry) -> None:
    logged = _engagement(
        ArtifactLogged(date=dt.date(2024, 9, 1), artifact="goals", title="Reading", priority="P1"),
        ArtifactLogged(date=dt.date(2024, 9, 1), artifact="goals", title="Data teams"),
    )
    # The goals' titles are the pair's: the mentor reads them, program staff do not.
    checked = check_engagement(registry, logged, dt.date(2024, 10, 1), audience="mentor")
    finding = {f.requirement: f for f in checked.findings}["goals_aligned_to_priorities"]
    assert finding.status is Status.NOT_MET
    assert "Data teams" in finding.detail
    assert finding.figures == {"logged": 2, "lacking": 1}
    staff = check_engagement(registry, logged, dt.date(2024, 10, 1))
    assert (
        "Data teams" not in {f.requirement: f for f in staff.findings}[finding.requirement].detail
    )


def test_goals_each_aligned_to_a_priority_meet_the_requirement(registry: Registry) -> None:
    logged = _engagement(
        ArtifactLogged(date=dt.date(2024, 9, 1), artifact="goals", title="Reading", priority="P1"),
    )
    checked = check_engagement(registry, logged, dt.date(2024, 10, 1))
    assert checked.status is Status.MET


def test_a_plan_without_goals_yet_is_at_risk_before_the_end(registry: Registry) -> None:
    checked = check_engagement(registry, _engagement(), dt.date(2024, 10, 1))
    finding = {f.requirement: f for f in checked.findings}["goals_aligned_to_priorities"]
    assert finding.status is Status.AT_RISK


def test_the_example_engagement_names_its_unaligned_goal(registry: Registry) -> None:
    checked = check_engagement(
        registry,
        load_engagement(EXAMPLES / "engagement.toml"),
        dt.date(2024, 11, 30),
        audience="leader",
    )
    assert checked.status is Status.NOT_MET
    assert "Build teacher-led data teams in every grade" in checked.findings[-1].detail


# -- Assessing a mentor ---------------------------------------------------------------------


def test_a_mentor_assessment_gives_the_latest_rating_history_and_unrated_standards(
    registry: Registry,
) -> None:
    assessment = load_assessment(EXAMPLES / "mentor-assessment.toml")
    reading = summarize_assessment(registry, assessment)
    summary = reading.summary
    assert summary.as_of == dt.date(2025, 1, 15)
    assert summary.status("C2.S1").latest is not None
    assert summary.status("C2.S1").latest.level == "proficient"  # type: ignore[union-attr]
    assert [r.level for r in summary.status("C2.S1").history] == ["developing", "proficient"]
    assert summary.unrated == ("C1.S2", "C2.S2", "C3.S2", "C3.S3", "C4.S3")
    assert summary.strengths == ("C1.S1", "C1.S3", "C2.S1", "C3.S1", "C4.S1", "C4.S2")
    assert summary.to_develop == ("C2.S3",)
    assert summary.status("C4.S2").at_top


def test_an_earlier_date_reads_the_ratings_given_by_then(registry: Registry) -> None:
    assessment = load_assessment(EXAMPLES / "mentor-assessment.toml")
    summary = summarize_assessment(registry, assessment, dt.date(2024, 12, 31)).summary
    assert summary.status("C2.S1").history[-1].level == "developing"
    assert "C2.S1" in summary.to_develop


def test_the_scale_is_labelled_as_mentorcores_default(registry: Registry) -> None:
    reading = summarize_assessment(registry, load_assessment(EXAMPLES / "mentor-assessment.toml"))
    assert reading.rubric.id == "mentorcore.default_scale"
    assert reading.rubric.default
    assert summary_to_data(reading)["rubric"]["default"] is True
    assert any("documented default" in line for line in describe_summary(reading))


def test_a_rating_of_a_competency_not_a_standard_is_an_input_error(registry: Registry) -> None:
    assessment = Assessment(
        subject="x",
        program="ulead",
        framework="performance_mentor_competencies",
        rubric="mentorcore.default_scale",
        ratings=(Rating(item="C1", level="proficient", date=dt.date(2024, 9, 1)),),
    )
    with pytest.raises(InputError) as caught:
        summarize_assessment(registry, assessment, file="a.toml")
    assert caught.value.path == "ratings[0].item"
    assert "C1.S1" in str(caught.value)


def test_mentorcore_assess_prints_the_summary(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["assess", str(EXAMPLES / "mentor-assessment.toml"), "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["subject"] == "Dana Brooks, Performance Mentor"
    assert len(data["items"]) == 12
    assert data["to_develop"] == ["C2.S3"]


# -- CASE and the plug-in -------------------------------------------------------------------


def test_the_framework_round_trips_through_case(registry: Registry, framework: Framework) -> None:
    package = framework_to_case(framework)
    assert len(package["CFItems"]) == 16
    assert framework_from_case(json.loads(json.dumps(package))) == framework
    exported = program_to_case(registry.program("ulead"), registry)
    assert len(exported["CFPackages"]) == 1


def test_the_program_conforms(registry: Registry) -> None:
    assert_conformant(registry, "ulead")


def test_the_plugin_is_installed_as_an_entry_point() -> None:
    names = {ep.name: ep.value for ep in importlib.metadata.entry_points(group="mentorcore")}
    assert names.get("ulead") == "mentorcore_ulead.plugin"
