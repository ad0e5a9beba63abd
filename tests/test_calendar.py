"""Calendars: planned sessions to come and logged interactions past, as RFC 5545."""

from __future__ import annotations

import datetime as dt
import zoneinfo
from pathlib import Path

import pytest
from attrs import evolve

icalendar = pytest.importorskip("icalendar")

from mentorcore.checking import check_engagement  # noqa: E402
from mentorcore.cli.main import main  # noqa: E402
from mentorcore.engagements import (  # noqa: E402
    Engagement,
    Interaction,
    Mode,
    Planned,
    hours_delivered,
    planned_sessions,
    sessions_by_mode,
)
from mentorcore.errors import InputError  # noqa: E402
from mentorcore.io.calendar import calendar_bytes, engagement_calendar, event_uid  # noqa: E402
from mentorcore.io.loaders import engagement_from_data, load_engagement, load_people  # noqa: E402
from mentorcore.registry import Registry, load_registry  # noqa: E402
from mentorcore.reports import Audience  # noqa: E402

ROOT = Path(__file__).resolve().parents[1]
ENGAGEMENT = ROOT / "examples" / "ipa" / "engagement-planned.toml"
PEOPLE = ROOT / "examples" / "ipa" / "people.toml"
CHICAGO = zoneinfo.ZoneInfo("America/Chicago")

#: Pair-only text of the example: a note, a topic, and a planned session's note.
PAIR_TEXT = ("Walked the building", "entry plan", "opening-week plan", "teacher evaluation")


@pytest.fixture(scope="module")
def installed() -> Registry:
    return load_registry()


@pytest.fixture(scope="module")
def engagement() -> Engagement:
    return load_engagement(ENGAGEMENT, load_people(PEOPLE))


def _events(data: bytes) -> list[object]:
    return list(icalendar.Calendar.from_ical(data).walk("VEVENT"))


def test_the_cli_writes_a_calendar_icalendar_parses(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "ben.ics"
    argv = ["calendar", str(ENGAGEMENT), "--people", str(PEOPLE), "--audience", "leader"]
    assert main([*argv, "--output", str(out)]) == 0
    parsed = icalendar.Calendar.from_ical(out.read_bytes())
    assert str(parsed["VERSION"]) == "2.0"
    assert [str(tz["TZID"]) for tz in parsed.walk("VTIMEZONE")] == ["America/Chicago"]
    events = list(parsed.walk("VEVENT"))
    # three interactions logged, two sessions to come (the 2024-03-05 plan was delivered)
    assert len(events) == 5
    starts = [e.decoded("DTSTART") for e in events]
    assert starts[:3] == [dt.date(2023, 9, 12), dt.date(2024, 1, 16), dt.date(2024, 3, 5)]
    assert starts[3] == dt.datetime(2024, 7, 16, 10, 0, tzinfo=CHICAGO)
    assert starts[3].utcoffset() == dt.timedelta(hours=-5)  # daylight time in July
    assert events[3].decoded("DURATION") == dt.timedelta(minutes=120)
    assert str(events[3]["LOCATION"]) == "Noble Academy, Chicago"
    assert starts[4] == dt.datetime(2024, 8, 13, 15, 30, tzinfo=CHICAGO)
    assert main([*argv]) == 0
    assert capsys.readouterr().out.encode() == out.read_bytes()


def test_uids_are_stable_so_a_new_export_updates_rather_than_duplicates(
    engagement: Engagement,
) -> None:
    first = _events(calendar_bytes(engagement))
    uids = [str(e["UID"]) for e in first]
    assert len(set(uids)) == len(uids)
    assert calendar_bytes(engagement) == calendar_bytes(engagement)
    # The 2024-07-16 on-site session takes place and is logged: its entry keeps its UID.
    delivered = engagement.log(
        Interaction(date=dt.date(2024, 7, 16), minutes=110, mode="onsite", visibility="program")
    )
    again = _events(calendar_bytes(delivered))
    assert sorted(str(e["UID"]) for e in again) == sorted(uids)
    done = next(e for e in again if str(e["UID"]) == uids[3])
    assert done.decoded("DTSTART") == dt.date(2024, 7, 16)
    assert "logged" in str(done["DESCRIPTION"])
    # A new session planned adds one entry; every other UID stays.
    planned = delivered.log(
        Planned(date=dt.date(2024, 8, 27), time="11:00", minutes=60, mode="phone")
    )
    more = {str(e["UID"]) for e in _events(calendar_bytes(planned))}
    assert more == {*uids, event_uid(engagement.id, len(planned.events) - 1)}


@pytest.mark.parametrize("audience", list(Audience))
def test_each_audience_sees_only_what_it_may(engagement: Engagement, audience: Audience) -> None:
    text = calendar_bytes(engagement, audience).decode()
    unfolded = text.replace("\r\n ", "")
    for words in PAIR_TEXT:
        assert (words in unfolded) is (audience in (Audience.LEADER, Audience.MENTOR)), words
    events = _events(text.encode())
    private = [e for e in events if str(e["SUMMARY"]) == "Mentoring session (private)"]
    for event in private:
        assert "DESCRIPTION" not in event and "LOCATION" not in event
    expected_private = {
        Audience.LEADER: 0,
        Audience.MENTOR: 0,
        Audience.SPONSOR: 2,  # the pair-only interaction and the pair-only plan
        Audience.PROGRAM: 3,  # and the sponsor-visible interaction
    }[audience]
    assert len(private) == expected_private


@pytest.mark.parametrize("visibility", ["pair", "sponsor", "program"])
@pytest.mark.parametrize("audience", list(Audience))
def test_a_long_or_short_note_reaches_only_the_pair(
    engagement: Engagement, visibility: str, audience: Audience
) -> None:
    for note in ("Divorce", "Talked through the separation and what it means at school."):
        bare = evolve(engagement, events=())
        logged = bare.log(
            Interaction(
                date=dt.date(2024, 2, 1),
                minutes=30,
                mode="phone",
                topics=("Custody",),
                notes=note,
                visibility=visibility,
            )
        ).log(
            Planned(
                date=dt.date(2024, 7, 1),
                time="08:15",
                minutes=45,
                mode="onsite",
                location="Noble Academy",
                notes=note,
                visibility=visibility,
            )
        )
        text = calendar_bytes(logged, audience).decode().replace("\r\n ", "")
        pair = audience in (Audience.LEADER, Audience.MENTOR)
        assert (note in text) is pair
        assert ("Custody" in text) is pair


def test_without_a_timezone_planned_times_are_floating(engagement: Engagement) -> None:
    floating = evolve(engagement, timezone=None)
    text = calendar_bytes(floating)
    assert b"VTIMEZONE" not in text
    starts = [e.decoded("DTSTART") for e in _events(text)]
    assert dt.datetime(2024, 7, 16, 10, 0) in starts  # naive: local wherever it is read


def _engagement(**changes: object) -> dict[str, object]:
    data: dict[str, object] = {
        "program": "ipa",
        "kind": "mentoring",
        "id": "e",
        "leader": {"id": "l", "name": "L", "role": "principal", "role_started": "2023-07-01"},
        "mentor": {"id": "m", "name": "M", "role": "principal", "role_started": "2000-07-01"},
        "start": "2023-09-01",
        "end": "2024-08-31",
        "events": [],
    }
    data.update(changes)
    return data


def test_a_timezone_must_be_an_iana_name() -> None:
    engagement = engagement_from_data(_engagement(timezone="Europe/Paris"), "e.toml")
    assert engagement.zone() == zoneinfo.ZoneInfo("Europe/Paris")
    for bad in ("Mars/Olympus", "../../etc/passwd", "CST6CDT/../x"):
        with pytest.raises(InputError) as caught:
            engagement_from_data(_engagement(timezone=bad), "e.toml")
        assert "e.toml" in str(caught.value) and "timezone" in str(caught.value)
        assert "IANA" in str(caught.value)


@pytest.mark.parametrize("time", ["25:00", "9:00", "14:30:00", "noon"])
def test_a_planned_time_must_be_hh_mm(time: str) -> None:
    event = {"type": "planned", "date": "2024-07-01", "time": time, "minutes": 60, "mode": "onsite"}
    with pytest.raises(InputError, match="HH:MM"):
        engagement_from_data(_engagement(events=[event]), "e.toml")


def test_a_planned_session_never_counts_as_delivered(engagement: Engagement) -> None:
    delivered_only = evolve(
        engagement, events=tuple(e for e in engagement.events if not isinstance(e, Planned))
    )
    on = dt.date(2024, 8, 31)
    assert hours_delivered(engagement, on) == hours_delivered(delivered_only, on)
    assert sessions_by_mode(engagement, on) == sessions_by_mode(delivered_only, on)
    assert [p.date for p in planned_sessions(engagement, dt.date(2024, 6, 30), Mode.ONSITE)] == [
        dt.date(2024, 7, 16)
    ]


def test_ipas_on_site_requirement_counts_planned_sessions_in_its_pace(
    installed: Registry, engagement: Engagement
) -> None:
    result = check_engagement(installed, engagement, dt.date(2024, 6, 30))
    finding = next(f for f in result.findings if f.requirement == "onsite_sessions")
    assert finding.status.value == "at_risk"
    assert finding.detail.startswith("2 on-site sessions logged, 1 planned for 2024-07-16, of 3")
    assert finding.figures["value"] == 2
    assert finding.figures["planned_on"] == ["2024-07-16"]
    after = check_engagement(installed, engagement, dt.date(2024, 8, 31))
    ended = next(f for f in after.findings if f.requirement == "onsite_sessions")
    assert ended.status.value == "not_met"  # the plan was never logged as delivered


def test_the_python_api_gives_an_icalendar_calendar(engagement: Engagement) -> None:
    calendar = engagement_calendar(engagement, "mentor", title="IPA mentoring")
    assert isinstance(calendar, icalendar.Calendar)
    summaries = {str(e["SUMMARY"]) for e in calendar.walk("VEVENT")}
    assert summaries == {"IPA mentoring: on-site session", "IPA mentoring: virtual session"}


def test_a_bad_timezone_in_a_file_is_exit_2(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    text = ENGAGEMENT.read_text(encoding="utf-8").replace("America/Chicago", "America/Chicgo")
    bad = tmp_path / "bad.toml"
    bad.write_text(text, encoding="utf-8")
    assert main(["calendar", str(bad), "--people", str(PEOPLE)]) == 2
    err = capsys.readouterr().err
    assert "bad.toml" in err and "timezone" in err and "Traceback" not in err
