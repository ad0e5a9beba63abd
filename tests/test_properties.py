"""Hypothesis properties: the converter round-trips, conditions evaluate like plain Python."""

from __future__ import annotations

import datetime as dt
import json
import operator
from decimal import Decimal
from typing import Any

import tomli_w
from attrs import evolve
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorcore.engagements import (
    ArtifactLogged,
    Engagement,
    Interaction,
    Mode,
    TaskDone,
    Visibility,
)
from mentorcore.io.converter import structure, unstructure
from mentorcore.io.export import json_default
from mentorcore.io.loaders import engagement_from_data, people_from_data, read_data
from mentorcore.people import Leader, Location, Mentor, Role, School, Sector
from mentorcore.rules.conditions import (
    AllOf,
    AnyOf,
    Compare,
    Condition,
    Not,
    condition_from_data,
    condition_to_data,
    evaluate,
)

text = st.text(
    alphabet=st.characters(codec="utf-8", exclude_categories=("Cs", "Cc")), min_size=1, max_size=12
).filter(lambda s: s.strip() != "")
ids = st.from_regex(r"[a-z][a-z0-9_]{0,8}", fullmatch=True)
dates = st.dates(min_value=dt.date(1990, 1, 1), max_value=dt.date(2040, 12, 31))
words = st.lists(text, max_size=3).map(tuple)

schools = st.builds(
    School,
    name=text,
    state=st.from_regex(r"[A-Z]{2}", fullmatch=True),
    sector=st.sampled_from(Sector),
    level=st.none() | text,
    context=st.none() | text,
)
locations = st.builds(
    Location,
    latitude=st.floats(min_value=-90, max_value=90, allow_nan=False),
    longitude=st.floats(min_value=-180, max_value=180, allow_nan=False),
)
common = {
    "id": ids,
    "name": text,
    "role": st.sampled_from(Role),
    "first_time_in_role": st.booleans(),
    "memberships": words,
    "school": st.none() | schools,
    "region": st.none() | text,
    "location": st.none() | locations,
    "goals": words,
    "gender": st.none() | text,
    "race": st.none() | text,
}
leaders = st.builds(
    Leader,
    role_started=dates,
    prefer_same=st.lists(st.sampled_from(["gender", "race"]), unique=True, max_size=2).map(tuple),
    supervisor=st.none() | ids,
    **common,
)
mentors = st.builds(
    Mentor,
    role_started=st.none() | dates,
    capacity=st.integers(0, 10),
    credentials=words,
    years_as_leader=st.integers(0, 40),
    **common,
)


@settings(max_examples=60, deadline=None)
@given(leader=leaders, mentor=mentors)
def test_people_round_trip_through_toml_and_json(leader: Leader, mentor: Mentor) -> None:
    mentor = evolve(mentor, id=f"m{mentor.id}")
    data = {"leaders": [unstructure(leader)], "mentors": [unstructure(mentor)]}
    toml_text = tomli_w.dumps(data)
    json_text = json.dumps(data, default=json_default)
    for name, body in (("people.toml", toml_text), ("people.json", json_text)):
        people = people_from_data(read_data(name, body), name)
        assert people.leaders == (leader,)
        assert people.mentors == (mentor,)


events = st.one_of(
    st.builds(
        Interaction,
        date=dates,
        minutes=st.integers(1, 600),
        mode=st.sampled_from(Mode),
        topics=words,
        notes=st.none() | text,
        visibility=st.sampled_from(Visibility),
    ),
    st.builds(TaskDone, date=dates, task=ids, module=st.none() | ids),
    st.builds(ArtifactLogged, date=dates, artifact=ids, items=words, priority=st.none() | text),
)


@settings(max_examples=40, deadline=None)
@given(
    leader=leaders,
    mentor=mentors,
    log=st.lists(events, max_size=5),
    hours=st.none() | st.integers(1, 90),
)
def test_engagements_round_trip(
    leader: Leader, mentor: Mentor, log: list[Any], hours: int | None
) -> None:
    engagement = Engagement(
        id="e",
        program="p",
        kind="k",
        leader=leader,
        mentor=mentor,
        start=dt.date(2020, 1, 1),
        end=dt.date(2021, 1, 1),
        contract_hours=None if hours is None else Decimal(hours),
        events=tuple(log),
    )
    data = unstructure(engagement)
    assert all("type" in event for event in data.get("events", []))
    body = tomli_w.dumps(data)
    assert engagement_from_data(read_data("e.toml", body), "e.toml") == engagement


# -- conditions --------------------------------------------------------------

FACTS = ("a", "b", "c")
scalars = st.integers(-3, 3)
compares = st.builds(
    Compare,
    op=st.sampled_from(["equals", "not_equals", "lt", "le", "gt", "ge", "in", "not_in"]),
    value=scalars,
    fact=st.sampled_from(FACTS),
).map(
    lambda c: (
        c if c.op not in ("in", "not_in") else Compare(op=c.op, value=(c.value, 0), fact=c.fact)
    )
)
conditions: st.SearchStrategy[Condition] = st.recursive(
    compares,
    lambda children: st.one_of(
        st.builds(AllOf, conditions=st.lists(children, min_size=1, max_size=3).map(tuple)),
        st.builds(AnyOf, conditions=st.lists(children, min_size=1, max_size=3).map(tuple)),
        st.builds(Not, condition=children),
    ),
    max_leaves=8,
)

PYTHON_OPS = {
    "equals": operator.eq,
    "not_equals": operator.ne,
    "lt": operator.lt,
    "le": operator.le,
    "gt": operator.gt,
    "ge": operator.ge,
    "in": lambda a, b: a in b,
    "not_in": lambda a, b: a not in b,
}


def reference(condition: Condition, facts: dict[str, int]) -> bool:
    """The meaning of a condition, written directly in Python."""
    if isinstance(condition, AllOf):
        return all(reference(c, facts) for c in condition.conditions)
    if isinstance(condition, AnyOf):
        return any(reference(c, facts) for c in condition.conditions)
    if isinstance(condition, Not):
        return not reference(condition.condition, facts)
    assert condition.fact is not None
    return bool(PYTHON_OPS[condition.op](facts[condition.fact], condition.value))


@settings(max_examples=200, deadline=None)
@given(condition=conditions, values=st.tuples(scalars, scalars, scalars))
def test_conditions_evaluate_as_their_plain_meaning(
    condition: Condition, values: tuple[int, int, int]
) -> None:
    facts = dict(zip(FACTS, values, strict=True))
    held, checks = evaluate(condition, facts, dt.date(2024, 1, 1))
    assert held == reference(condition, facts)
    assert checks, "every evaluation leaves a trace"
    assert all(check.fact in FACTS for check in checks)


@settings(max_examples=200, deadline=None)
@given(condition=conditions)
def test_conditions_round_trip_through_data_and_toml(condition: Condition) -> None:
    data = condition_to_data(condition)
    assert condition_from_data(data) == condition
    loaded = read_data("c.toml", tomli_w.dumps({"when": data}))
    assert condition_from_data(loaded["when"]) == condition
    assert structure(loaded["when"], Condition) == condition  # type: ignore[type-abstract]
