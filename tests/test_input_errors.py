"""Bad input names the file, the path inside it, what was found and what was expected."""

from __future__ import annotations

from pathlib import Path

import pytest

from mentorcore.errors import InputError, MentorcoreError
from mentorcore.io.loaders import load_engagement, load_people, read_csv_people

PERSON = """
[[leaders]]
id = "ada"
name = "Ada Park"
role = "principal"
role_started = 2022-08-01
first_time_in_role = true
memberships = ["ipa"]
school = { name = "Lincoln Elementary", state = "IL", sector = "public" }
"""

MENTOR = """
[[mentors]]
id = "mo"
name = "Mo Reyes"
role = "principal"
capacity = 2
credentials = ["principal_license"]
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def error_of(tmp_path: Path, text: str, name: str = "people.toml") -> str:
    with pytest.raises(InputError) as caught:
        load_people(write(tmp_path, name, text))
    return str(caught.value)


def test_a_valid_people_file_loads(tmp_path: Path) -> None:
    people = load_people(write(tmp_path, "people.toml", PERSON + MENTOR))
    assert [p.id for p in people] == ["ada", "mo"]
    assert people.person("mo").capacity == 2  # type: ignore[union-attr]


def test_a_missing_field_is_named_with_its_path(tmp_path: Path) -> None:
    message = error_of(tmp_path, PERSON.replace('name = "Ada Park"\n', ""))
    assert message.startswith("people.toml: leaders[0].name: missing required field 'name'") or (
        "leaders[0].name" in message and "missing" in message
    )
    assert str(tmp_path) in message


def test_a_wrong_type_says_what_was_expected(tmp_path: Path) -> None:
    message = error_of(
        tmp_path, PERSON.replace("first_time_in_role = true", 'first_time_in_role = "yes"')
    )
    assert "leaders[0].first_time_in_role: found 'yes', expected true or false" in message


def test_an_unknown_role_lists_the_roles(tmp_path: Path) -> None:
    message = error_of(tmp_path, PERSON.replace('role = "principal"', 'role = "headmaster"'))
    assert (
        "leaders[0].role: found 'headmaster', expected one of principal, assistant_principal"
        in message
    )


def test_a_state_that_is_not_a_code_is_named_deep_in_the_path(tmp_path: Path) -> None:
    message = error_of(tmp_path, PERSON.replace('state = "IL"', 'state = "Illinois"'))
    assert "leaders[0].school.state: found 'Illinois', expected a two-letter state code" in message


def test_an_unknown_sector_lists_the_sectors(tmp_path: Path) -> None:
    message = error_of(tmp_path, PERSON.replace('sector = "public"', 'sector = "parochial"'))
    assert (
        "leaders[0].school.sector: found 'parochial', expected one of public, charter, private"
        in message
    )


def test_a_misspelled_key_is_an_error_not_ignored(tmp_path: Path) -> None:
    message = error_of(tmp_path, PERSON.replace("memberships =", "membership ="))
    assert (
        "leaders[0].membership: found unexpected field 'membership', expected one of id, name"
        in message
    )


def test_a_malformed_toml_file_is_an_input_error(tmp_path: Path) -> None:
    message = error_of(tmp_path, "[[leaders]\nid = ")
    assert "people.toml: not valid TOML" in message


def test_a_negative_capacity_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, MENTOR.replace("capacity = 2", "capacity = -1"))
    assert "mentors[0].capacity: found -1, expected 0 to 1,000,000 leaders" in message


def test_a_duplicate_person_id_is_refused(tmp_path: Path) -> None:
    message = error_of(tmp_path, PERSON + PERSON)
    assert "leaders[1].id: found 'ada' again" in message


def test_json_people_have_the_same_shape(tmp_path: Path) -> None:
    text = (
        '{"leaders": [{"id": "ada", "name": "Ada", "role": "dean", "role_started": "2022-13-01"}]}'
    )
    message = error_of(tmp_path, text, "people.json")
    assert "people.json: leaders[0].role_started: found '2022-13-01', expected a date" in message


def test_csv_errors_name_the_line_and_column(tmp_path: Path) -> None:
    path = write(
        tmp_path,
        "people.csv",
        "id,name,role,role_started,school_name,school_state,school_sector\n"
        "ada,Ada,principal,2022-08-01,Lincoln,IL,public\n"
        "bo,Bo,principal,2022-08-01,St Anne,IL,parochial\n",
    )
    with pytest.raises(InputError) as caught:
        read_csv_people(path)
    assert str(caught.value) == (
        f"{path}:line 3: column school_sector: found 'parochial', expected one of public, charter, private"
    )


ENGAGEMENT = """
program = "demo"
kind = "mentoring"
id = "e1"
leader = "ada"
mentor = "mo"
start = 2022-08-01
end = 2023-06-30
contract_hours = 20

[[events]]
type = "interaction"
date = 2022-09-01
minutes = 60
mode = "onsite"
notes = "private"
"""


def engagement_error(tmp_path: Path, text: str) -> str:
    people = load_people(write(tmp_path, "people.toml", PERSON + MENTOR))
    with pytest.raises(MentorcoreError) as caught:
        load_engagement(write(tmp_path, "engagement.toml", text), people)
    return str(caught.value)


def test_a_valid_engagement_resolves_people_by_id(tmp_path: Path) -> None:
    people = load_people(write(tmp_path, "people.toml", PERSON + MENTOR))
    engagement = load_engagement(write(tmp_path, "engagement.toml", ENGAGEMENT), people)
    assert engagement.leader.name == "Ada Park"
    assert engagement.events[0].notes == "private"  # type: ignore[union-attr]


def test_a_negative_duration_is_refused(tmp_path: Path) -> None:
    message = engagement_error(tmp_path, ENGAGEMENT.replace("minutes = 60", "minutes = -30"))
    assert "events[0].minutes: found -30, expected a positive number of minutes" in message


def test_an_unknown_mode_lists_the_modes(tmp_path: Path) -> None:
    message = engagement_error(
        tmp_path, ENGAGEMENT.replace('mode = "onsite"', 'mode = "carrier pigeon"')
    )
    assert (
        "events[0].mode: found 'carrier pigeon', expected one of onsite, virtual, phone, text, email"
        in message
    )


def test_an_unknown_event_type_lists_the_types(tmp_path: Path) -> None:
    message = engagement_error(
        tmp_path, ENGAGEMENT.replace('type = "interaction"', 'type = "meeting"')
    )
    assert "events[0].type: found 'meeting', expected an event type" in message


def test_an_end_before_the_start_is_refused(tmp_path: Path) -> None:
    message = engagement_error(tmp_path, ENGAGEMENT.replace("end = 2023-06-30", "end = 2021-06-30"))
    assert (
        "engagement.toml: end: found 2021-06-30, before the start 2022-08-01, expected an end on or after"
        in message
    )


def test_an_unknown_person_id_is_named(tmp_path: Path) -> None:
    message = engagement_error(tmp_path, ENGAGEMENT.replace('mentor = "mo"', 'mentor = "zed"'))
    assert "engagement.toml: mentor: found 'zed'" in message
    assert "unknown person 'zed'" in message


def test_a_person_id_without_a_people_file_says_to_give_one(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="--people"):
        load_engagement(write(tmp_path, "engagement.toml", ENGAGEMENT))


def test_a_missing_file_is_an_input_error(tmp_path: Path) -> None:
    with pytest.raises(InputError, match="no such file"):
        load_people(tmp_path / "absent.toml")
