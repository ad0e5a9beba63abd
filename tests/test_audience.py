"""One audience policy: what each audience may read, in every output, human and JSON.

A pair-only goal titled "Divorce" reached the sponsor's and the program's
report because reports redacted finished sentences and skipped strings under
eight characters. Text is now composed per audience from references, so its
length does not matter.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import io
import json
import string
from pathlib import Path

import pytest
from attrs import evolve
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from mentorcore.audience import (
    PRIVATE,
    Audience,
    Mention,
    compose,
    may_see,
    may_see_sensitive,
    sees_sensitive_criteria,
)
from mentorcore.checking import check_engagement
from mentorcore.cli.main import main
from mentorcore.engagements import (
    Approval,
    ArtifactLogged,
    AssessmentLogged,
    Engagement,
    Event,
    Interaction,
    Mode,
    Visibility,
)
from mentorcore.io.export import dump_json
from mentorcore.io.loaders import load_engagement, load_people
from mentorcore.output import to_data
from mentorcore.registry import Registry, load_registry
from mentorcore.reports import render_text, report

ROOT = Path(__file__).resolve().parents[1]
ACSA = ROOT / "examples" / "acsa"
TEXTS = ("Divorce", "Handle my conflict with the superintendent")
AS_OF = dt.date(2024, 10, 1)


@pytest.fixture(scope="module")
def registry() -> Registry:
    return load_registry(only=["acsa", "ulead"], refresh=True, strict=True)


def _coaching() -> Engagement:
    people = load_people(ACSA / "people.toml")
    base = load_engagement(ACSA / "engagement-coaching-met.toml", people)
    return evolve(base, id="acsa-policy", start=dt.date(2024, 8, 1), events=())


def _outputs(registry: Registry, engagement: Engagement, audience: Audience, tmp: Path) -> str:
    """Everything ``audience`` is shown: the report and the check, as text and as JSON."""
    rep = report(registry, engagement, audience, AS_OF)
    checked = check_engagement(registry, engagement, AS_OF, audience)
    path = tmp / f"{engagement.id}.json"
    path.write_text(dump_json(engagement), encoding="utf-8")
    printed = []
    for extra in ([], ["--json"]):
        for command in ("check", "report"):
            out = io.StringIO()
            argv = [command, str(path), "--as-of", str(AS_OF), "--audience", audience.value]
            with contextlib.redirect_stdout(out):
                assert main([*argv, *extra], registry=registry) in (0, 1)
            printed.append(out.getvalue())
    return "\n".join(
        [
            render_text(rep),
            json.dumps(to_data(rep), ensure_ascii=False),
            json.dumps(to_data(checked), ensure_ascii=False),
            *printed,
        ]
    )


def _goal(text: str, visibility: Visibility) -> ArtifactLogged:
    # No CPSEL item: ACSA's goals_tied_to_cpsel finding quotes the goal's title.
    return ArtifactLogged(
        date=dt.date(2024, 9, 1), artifact="goals", title=text, visibility=visibility
    )


def _field_events(text: str, visibility: Visibility) -> dict[str, Event]:
    day = dt.date(2024, 9, 2)
    return {
        "title": _goal(text, visibility),
        "notes": Interaction(
            date=day, minutes=60, mode=Mode.ONSITE, notes=text, visibility=visibility
        ),
        "topics": Interaction(
            date=day, minutes=60, mode=Mode.VIRTUAL, topics=(text,), visibility=visibility
        ),
        "priority": ArtifactLogged(
            date=day,
            artifact="goals",
            items=("CPSEL-1",),
            priority=text,
            visibility=visibility,
        ),
        "evidence": AssessmentLogged(
            date=day, item="CPSEL-1", level="2", evidence=(text,), visibility=visibility
        ),
    }


@pytest.mark.parametrize("audience", list(Audience))
@pytest.mark.parametrize("visibility", list(Visibility))
@pytest.mark.parametrize("text", TEXTS, ids=("short", "long"))
@pytest.mark.parametrize("field", ("title", "notes", "topics", "priority", "evidence"))
def test_each_audience_reads_logged_text_exactly_when_its_visibility_reaches_it(
    registry: Registry,
    tmp_path: Path,
    audience: Audience,
    visibility: Visibility,
    text: str,
    field: str,
) -> None:
    engagement = _coaching().log(_field_events(text, visibility)[field])
    shown = _outputs(registry, engagement, audience, tmp_path)
    if may_see(audience, visibility):
        assert text in shown
    else:
        assert text not in shown, f"{audience} reads {field} {text!r} logged for {visibility}"


def test_a_pair_only_goal_titled_divorce_reaches_only_the_leader_and_the_mentor(
    registry: Registry,
) -> None:
    engagement = _coaching().log(_goal("Divorce", Visibility.PAIR))
    details = {
        audience: {
            f.requirement: f.detail for f in report(registry, engagement, audience, AS_OF).findings
        }["goals_tied_to_cpsel"]
        for audience in Audience
    }
    assert details[Audience.LEADER] == "1 of 1 goals without items starting 'CPSEL-': Divorce"
    assert details[Audience.MENTOR] == details[Audience.LEADER]
    assert details[Audience.SPONSOR] == f"1 of 1 goals without items starting 'CPSEL-': {PRIVATE}"
    assert details[Audience.PROGRAM] == details[Audience.SPONSOR]


def test_a_finding_keeps_references_to_the_events_it_was_computed_from(
    registry: Registry,
) -> None:
    engagement = (
        _coaching()
        .log(_goal("Reading", Visibility.SPONSOR))
        .log(_goal("Data teams", Visibility.PAIR))
    )
    checked = check_engagement(registry, engagement, AS_OF, "sponsor")
    finding = {f.requirement: f for f in checked.findings}["goals_tied_to_cpsel"]
    assert finding.events == (0, 1)
    mentions = [part for part in finding.parts if isinstance(part, Mention)]
    assert [(m.text, m.event, m.field) for m in mentions] == [("Reading", 0, "title")]
    assert PRIVATE in finding.parts
    data = to_data(checked)["findings"]
    assert "Data teams" not in json.dumps(data)
    credential = {f.requirement: f for f in checked.findings}.get("mentor_holds_certified_coach")
    if credential is not None:
        assert credential.attributes == ("mentor.credentials",)


def test_compose_never_measures_the_text() -> None:
    for text in ("a", "Divorce", "x" * 200):
        part = Mention(text=text, event=0, field="title", visibility=Visibility.PAIR)
        assert compose(["goal: ", part], "sponsor") == f"goal: {PRIVATE}"
        assert compose(["goal: ", part], "mentor") == f"goal: {text}"


@pytest.mark.parametrize("audience", list(Audience))
def test_sensitive_attributes_and_criteria_follow_one_policy(audience: Audience) -> None:
    assert may_see_sensitive(audience, "leader") == (
        audience in (Audience.LEADER, Audience.PROGRAM)
    )
    assert may_see_sensitive(audience, "mentor") == (
        audience in (Audience.MENTOR, Audience.PROGRAM)
    )
    assert sees_sensitive_criteria(audience) == (audience is Audience.PROGRAM)


# -- generated engagements ----------------------------------------------------------

# Private strings are drawn from letters no other output uses, so finding one
# in an output can only mean it leaked.
_PRIVATE_LETTERS = "αβγδεζηθικλμνξπρστυφχψω"
_private = st.text(alphabet=_PRIVATE_LETTERS, min_size=1, max_size=40)
_visibility = st.sampled_from(list(Visibility))
_day = st.dates(min_value=dt.date(2024, 8, 1), max_value=dt.date(2024, 9, 30))


@st.composite
def _event(draw: st.DrawFn) -> Event:
    kind = draw(st.sampled_from(("interaction", "goal", "approval", "rating")))
    visibility = draw(_visibility)
    day = draw(_day)
    notes = draw(st.none() | _private)
    if kind == "interaction":
        return Interaction(
            date=day,
            minutes=draw(st.integers(1, 240)),
            mode=draw(st.sampled_from(list(Mode))),
            topics=tuple(draw(st.lists(_private, max_size=3))),
            notes=notes,
            visibility=visibility,
        )
    if kind == "goal":
        return ArtifactLogged(
            date=day,
            artifact="goals",
            title=draw(st.none() | _private),
            items=tuple(draw(st.lists(st.sampled_from(("CPSEL-1", "CPSEL-2")), max_size=1))),
            priority=draw(st.none() | _private),
            notes=notes,
            visibility=visibility,
        )
    if kind == "approval":
        return Approval(
            date=day, approved="goals", by="program director", notes=notes, visibility=visibility
        )
    return AssessmentLogged(
        date=day,
        item="CPSEL-1",
        level="2",
        evidence=tuple(draw(st.lists(_private, max_size=2))),
        notes=notes,
        visibility=visibility,
    )


def _texts(event: Event) -> list[str]:
    found: list[str] = []
    for name in ("notes", "title", "priority"):
        value = getattr(event, name, None)
        if value:
            found.append(value)
    for name in ("topics", "evidence"):
        found.extend(getattr(event, name, ()))
    return found


@settings(
    max_examples=40,
    deadline=None,
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow],
)
@given(
    events=st.lists(_event(), max_size=8),
    gender=_private,
    race=_private,
    audience=st.sampled_from(list(Audience)),
)
def test_generated_private_strings_never_reach_an_audience_that_may_not_see_them(
    registry: Registry,
    tmp_path: Path,
    events: list[Event],
    gender: str,
    race: str,
    audience: Audience,
) -> None:
    base = _coaching()
    engagement = evolve(
        base,
        events=tuple(events),
        leader=evolve(base.leader, gender=gender, race=race),
        mentor=evolve(base.mentor, gender=None, race=None),
    )
    seen = [t for e in events if may_see(audience, e.visibility) for t in _texts(e)]
    if may_see_sensitive(audience, "leader"):
        seen += [gender, race]
    hidden = [t for e in events if not may_see(audience, e.visibility) for t in _texts(e)]
    if not may_see_sensitive(audience, "leader"):
        hidden += [gender, race]
    shown = _outputs(registry, engagement, audience, tmp_path)
    for text in hidden:
        if any(text in visible for visible in seen):
            continue  # the same letters were also logged where this audience may read them
        assert text not in shown, f"{audience} reads {text!r}"
    assert not set(shown) & set(_PRIVATE_LETTERS) or seen


def test_the_private_alphabet_is_not_used_by_any_other_output() -> None:
    assert not set(_PRIVATE_LETTERS) & set(string.printable)


def test_report_lines_keep_the_position_of_the_event_they_were_composed_from(
    registry: Registry,
) -> None:
    engagement = (
        _coaching()
        .log(_goal("Reading", Visibility.PROGRAM))
        .log(Interaction(date=dt.date(2024, 9, 3), minutes=30, mode=Mode.PHONE, notes="Tired"))
        .log(_goal("Divorce", Visibility.PAIR))
    )
    sponsor = report(registry, engagement, "sponsor", AS_OF)
    assert [(v.event, v.private) for v in sponsor.artifacts] == [(0, False), (2, True)]
    assert sponsor.log == ()
    leader = report(registry, engagement, "leader", AS_OF)
    assert [(v.event, v.notes) for v in leader.log] == [(1, "Tired")]
    assert [line["event"] for line in to_data(sponsor)["artifacts"]] == [0, 2]


def test_match_reasons_keep_the_attributes_they_were_computed_from() -> None:
    matching = ROOT / "examples" / "matching"
    ipa = load_registry(only=["ipa"], refresh=True, strict=True)
    leaders = load_people(matching / "leaders.toml").leaders
    mentors = load_people(matching / "mentors.toml").mentors
    on = dt.date(2024, 8, 1)
    staff = ipa.match("ipa", leaders, mentors, on=on, audience="program")
    pair = ipa.match("ipa", leaders, mentors, on=on, audience="pair")
    reasons = {r.criterion: r for a in staff.assignments for r in a.reasons}
    assert reasons["goals"].attributes == ("leader.goals", "mentor.expertise")
    assert all(r.attributes for r in reasons.values())
    sensitive = {r.criterion for r in reasons.values() if r.sensitive}
    assert sensitive, "the example cohort states preferences, so staff see sensitive reasons"
    shown = json.dumps(to_data(pair))
    for attribute in ("leader.gender", "leader.race", "prefer_same"):
        assert attribute not in shown
    assert "leader.goals" in shown
