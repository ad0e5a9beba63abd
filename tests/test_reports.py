"""Reports for an audience: each audience sees exactly what it may, on every plug-in's engagements."""

from __future__ import annotations

import datetime as dt
import json
from decimal import Decimal
from pathlib import Path

import pytest
from attrs import evolve

from mentorcore import load_registry
from mentorcore.cli.main import main
from mentorcore.engagements import (
    ArtifactLogged,
    Engagement,
    Interaction,
    Mode,
    Visibility,
    hours_delivered,
)
from mentorcore.errors import InputError
from mentorcore.io.export import dump_json
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.people import Leader, Mentor, Role, School, Sector
from mentorcore.registry import Registry
from mentorcore.reports import PRIVATE, Audience, may_see, render_text, report

ROOT = Path(__file__).resolve().parents[1]
PLUGINS = ("ipa", "acsa", "ulead", "glisi", "practice12")
ENGAGEMENT_FILES = sorted(
    path
    for name in PLUGINS
    for path in (ROOT / "examples" / name).glob("*.toml")
    if path.name.startswith("engagement")
)
CYCLE = (Visibility.PAIR, Visibility.SPONSOR, Visibility.PROGRAM)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(only=list(PLUGINS), refresh=True, strict=True)


def _load(path: Path) -> Engagement:
    people = path.parent / "people.toml"
    return load_engagement(path, load_people(people) if people.exists() else None)


def _dressed(engagement: Engagement) -> Engagement:
    """The engagement with a note on every event, visibilities in turn, and sensitive attributes."""
    events = tuple(
        evolve(
            event,
            notes=f"note {index} of {engagement.id} for the {CYCLE[index % 3]}",
            visibility=CYCLE[index % 3],
        )
        for index, event in enumerate(engagement.events)
    )
    leader = evolve(engagement.leader, gender="woman", race="Black", prefer_same=("gender",))
    mentor = evolve(engagement.mentor, gender="nonbinary", race="Asian")
    return evolve(engagement, events=events, leader=leader, mentor=mentor)


def test_there_are_example_engagements_from_several_plugins() -> None:
    assert {path.parent.name for path in ENGAGEMENT_FILES} >= {"ipa", "acsa", "glisi", "ulead"}


@pytest.mark.parametrize("path", ENGAGEMENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
@pytest.mark.parametrize("audience", list(Audience))
def test_each_audience_sees_exactly_the_notes_it_may(
    registry: Registry, path: Path, audience: Audience
) -> None:
    engagement = _dressed(_load(path))
    rep = report(registry, engagement, audience, engagement.end)
    text = json.dumps(rep.to_data(), default=str)
    shown = {view.notes for view in [*rep.log, *rep.artifacts] if view.notes}
    may = {e.notes for e in engagement.events if may_see(audience, e.visibility)}
    assert shown == may
    for event in engagement.events:
        if not may_see(audience, event.visibility):
            assert event.notes is not None and event.notes not in text
            title = getattr(event, "title", None)
            if title:
                assert title not in text, f"{audience} sees the title {title!r}"


@pytest.mark.parametrize("path", ENGAGEMENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_sensitive_attributes_reach_only_the_person_themself_and_program_staff(
    registry: Registry, path: Path
) -> None:
    engagement = _dressed(_load(path))
    leader_own = {"gender": "woman", "race": "Black", "prefer_same": ["gender"]}
    mentor_own = {"gender": "nonbinary", "race": "Asian"}
    seen = {a: report(registry, engagement, a, engagement.end) for a in Audience}
    assert (seen[Audience.SPONSOR].leader.sensitive, seen[Audience.SPONSOR].mentor.sensitive) == (
        {},
        {},
    )
    assert (seen[Audience.LEADER].leader.sensitive, seen[Audience.LEADER].mentor.sensitive) == (
        leader_own,
        {},
    )
    assert (seen[Audience.MENTOR].leader.sensitive, seen[Audience.MENTOR].mentor.sensitive) == (
        {},
        mentor_own,
    )
    assert (seen[Audience.PROGRAM].leader.sensitive, seen[Audience.PROGRAM].mentor.sensitive) == (
        leader_own,
        mentor_own,
    )
    sponsor_text = json.dumps(seen[Audience.SPONSOR].to_data(), default=str) + render_text(
        seen[Audience.SPONSOR]
    )
    for value in ("woman", "Black", "nonbinary", "Asian", "prefer_same"):
        assert value not in sponsor_text


@pytest.mark.parametrize("path", ENGAGEMENT_FILES, ids=lambda p: f"{p.parent.name}/{p.name}")
def test_every_audience_gets_the_same_figures_and_findings(registry: Registry, path: Path) -> None:
    engagement = _dressed(_load(path))
    reports = [report(registry, engagement, a, engagement.end) for a in Audience]
    first = reports[0]
    assert first.hours_delivered == hours_delivered(engagement, engagement.end)
    for other in reports[1:]:
        assert other.hours_delivered == first.hours_delivered
        assert other.sessions_by_mode == first.sessions_by_mode
        assert other.status == first.status
        assert [(f.requirement, f.status) for f in other.findings] == [
            (f.requirement, f.status) for f in first.findings
        ]
        assert other.progress == first.progress
        assert len(other.artifacts) == len(first.artifacts)


def _ada() -> Leader:
    return Leader(
        id="ada",
        name="Ada Park",
        role=Role.PRINCIPAL,
        role_started=dt.date(2024, 7, 1),
        first_time_in_role=True,
        gender="woman",
        school=School(name="Lincoln Elementary", state="IL", sector=Sector.PUBLIC),
    )


def _maria() -> Mentor:
    return Mentor(
        id="maria",
        name="Maria Lopez",
        role=Role.PRINCIPAL,
        years_as_leader=15,
        years_as_principal=10,
        credentials=("principal_license",),
        race="Latina",
    )


def _ipa_engagement() -> Engagement:
    engagement = Engagement(
        id="ipa-ada",
        program="ipa",
        kind="mentoring",
        leader=_ada(),
        mentor=_maria(),
        start=dt.date(2024, 8, 1),
        end=dt.date(2025, 6, 30),
        contract_hours=Decimal(40),
    )
    for event in (
        Interaction(
            date=dt.date(2024, 8, 20),
            minutes=120,
            mode=Mode.ONSITE,
            topics=("a difficult staff member",),
            notes="Ada is thinking of leaving the principalship.",
        ),
        Interaction(
            date=dt.date(2024, 9, 17),
            minutes=60,
            mode=Mode.VIRTUAL,
            notes="Agreed to share the entry plan with the superintendent.",
            visibility=Visibility.SPONSOR,
        ),
        ArtifactLogged(
            date=dt.date(2024, 9, 30), artifact="goals", title="Rebuild trust with staff"
        ),
        Interaction(
            date=dt.date(2024, 10, 15),
            minutes=90,
            mode=Mode.ONSITE,
            notes="Second on-site visit held as planned.",
            visibility=Visibility.PROGRAM,
        ),
    ):
        engagement = engagement.log(event)
    return engagement


def test_a_sponsor_sees_hours_and_findings_but_not_the_pairs_private_notes(
    registry: Registry,
) -> None:
    rep = report(registry, _ipa_engagement(), "sponsor", dt.date(2024, 11, 1))
    assert rep.hours_delivered == Decimal("4.50")
    assert rep.hours_remaining == Decimal("35.50")
    assert rep.sessions_by_mode["onsite"] == 2 and rep.sessions_by_mode["virtual"] == 1
    assert [view.notes for view in rep.log] == [
        "Agreed to share the entry plan with the superintendent.",
        "Second on-site visit held as planned.",
    ]
    assert [(a.summary, a.private) for a in rep.artifacts] == [(f"goals ({PRIVATE})", True)]
    text = render_text(rep)
    assert "thinking of leaving" not in text and "difficult staff member" not in text
    assert "Rebuild trust" not in text
    assert "Report for the sponsor, as of 2024-11-01" in text
    assert "Hours: 4.5 delivered of 40 contracted (35.5 remaining)" in text


def test_the_pair_sees_every_note_and_program_staff_only_those_for_the_program(
    registry: Registry,
) -> None:
    engagement = _ipa_engagement()
    for audience in ("leader", "mentor"):
        rep = report(registry, engagement, audience, dt.date(2024, 11, 1))
        assert len([v for v in rep.log if v.notes]) == 3
        assert rep.artifacts[0].details["title"] == "Rebuild trust with staff"
    staff = report(registry, engagement, "program", dt.date(2024, 11, 1))
    assert [view.notes for view in staff.log] == ["Second on-site visit held as planned."]
    assert staff.leader.sensitive == {"gender": "woman"}
    assert staff.mentor.sensitive == {"race": "Latina"}


def test_a_finding_that_quotes_a_private_goal_is_redacted_for_the_sponsor(
    registry: Registry,
) -> None:
    people = load_people(ROOT / "examples" / "acsa" / "people.toml")
    base = _load(next(p for p in ENGAGEMENT_FILES if p.parent.name == "acsa"))
    engagement = Engagement(
        id="acsa-private-goal",
        program="acsa",
        kind="coaching",
        leader=people.leaders[0],
        mentor=base.mentor,
        start=dt.date(2024, 8, 1),
        end=dt.date(2026, 6, 30),
        events=(
            ArtifactLogged(
                date=dt.date(2024, 9, 1),
                artifact="goals",
                title="Handle my conflict with the superintendent",
            ),
        ),
    )
    pair = report(registry, engagement, "leader", dt.date(2024, 10, 1))
    sponsor = report(registry, engagement, "sponsor", dt.date(2024, 10, 1))
    detail = {f.requirement: f.detail for f in pair.findings}["goals_tied_to_cpsel"]
    assert "Handle my conflict with the superintendent" in detail
    redacted = {f.requirement: f.detail for f in sponsor.findings}["goals_tied_to_cpsel"]
    assert redacted == detail.replace("Handle my conflict with the superintendent", PRIVATE)


def test_an_unknown_audience_is_an_input_error(registry: Registry) -> None:
    with pytest.raises(
        InputError, match="audience: found 'superintendent', expected one of leader"
    ):
        report(registry, _ipa_engagement(), "superintendent", dt.date(2024, 11, 1))


def test_a_process_engagement_reports_the_phase_reached(registry: Registry) -> None:
    engagement = _load(ROOT / "examples" / "glisi" / "engagement-mid-cycle.toml")
    rep = report(registry, engagement, "sponsor", dt.date(2025, 2, 28))
    assert rep.progress is not None and rep.progress.phase_title
    assert f"phase reached: {rep.progress.phase_title}" in render_text(rep)


def test_the_report_command_prints_json_for_an_audience(capsys: pytest.CaptureFixture[str]) -> None:
    path = ROOT / "examples" / "ipa" / "engagement-met.toml"
    people = ROOT / "examples" / "ipa" / "people.toml"
    status = main(
        [
            "report",
            str(path),
            "--audience",
            "sponsor",
            "--people",
            str(people),
            "--as-of",
            "2025-06-30",
            "--json",
        ]
    )
    assert status == 0
    data = json.loads(capsys.readouterr().out)
    assert data["audience"] == "sponsor"
    assert data["leader"]["sensitive"] == {} and data["mentor"]["sensitive"] == {}
    engagement = _load(path)
    # Hours are a number in JSON, as every quantity that is not money (issue 11).
    assert data["hours_delivered"] == float(hours_delivered(engagement, dt.date(2025, 6, 30)))
    hidden = [
        e.notes for e in engagement.events if e.notes and not may_see("sponsor", e.visibility)
    ]
    text = json.dumps(data)
    assert all(note not in text for note in hidden)


def test_the_report_command_prints_text_and_refuses_a_bad_audience(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = ROOT / "examples" / "ipa" / "engagement-met.toml"
    people = ROOT / "examples" / "ipa" / "people.toml"
    assert (
        main(
            [
                "report",
                str(path),
                "--audience",
                "leader",
                "--people",
                str(people),
                "--as-of",
                "2025-06-30",
            ]
        )
        == 0
    )
    out = capsys.readouterr().out
    assert "Report for the leader, as of 2025-06-30" in out
    assert "Requirements:" in out
    with pytest.raises(SystemExit):
        main(["report", str(path), "--audience", "press", "--people", str(people)])
    assert "invalid choice: 'press'" in capsys.readouterr().err


def test_a_report_is_plain_data() -> None:
    registry = load_registry(only=["ipa"], refresh=True)
    data = json.loads(
        dump_json(report(registry, _ipa_engagement(), "program", dt.date(2024, 11, 1)))
    )
    assert data["audience"] == "program"
    assert data["findings"] and all("status" in f for f in data["findings"])


def test_a_short_private_topic_does_not_mangle_a_findings_sentence(registry: Registry) -> None:
    engagement = _ipa_engagement().log(
        Interaction(date=dt.date(2024, 10, 20), minutes=30, mode=Mode.PHONE, topics=("entry",))
    )
    sponsor = report(registry, engagement, "sponsor", dt.date(2024, 11, 1))
    pair = report(registry, engagement, "leader", dt.date(2024, 11, 1))
    assert [f.detail for f in sponsor.findings] == [f.detail for f in pair.findings]
