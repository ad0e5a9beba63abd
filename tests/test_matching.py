"""Matching leaders with mentors: optimality, hard constraints, sensitive attributes, errors.

A small program of our own (a licence rule for mentors, a distance bound,
weighted core criteria) is registered through a test plug-in object, so
nothing here depends on an installed organization plug-in.
"""

from __future__ import annotations

import datetime as dt
import itertools
import json
import math
import subprocess
import sys
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

import attrs
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from mentorcore.errors import InputError, MentorcoreError, UnknownIdError
from mentorcore.hookspecs import hookimpl
from mentorcore.matching import (
    Criterion,
    MatchError,
    MatchResult,
    match,
    pair_criterion,
    parse_pairs,
    parse_weights,
    score_matrix,
)
from mentorcore.people import Leader, Location, Mentor, School
from mentorcore.programs import ChecklistItem, CriterionWeight, MatchSettings, Program
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.conditions import condition_from_data
from mentorcore.rules.eligibility import EligibilityRule, Outcome

ON = dt.date(2024, 8, 1)

# Chicago, and points due north of it at roughly 11 km per 0.1 degree.
CHICAGO = (41.88, -87.63)


def near(km_north: float) -> Location:
    """A location ``km_north`` km north of Chicago."""
    return Location(latitude=CHICAGO[0] + km_north / 111.2, longitude=CHICAGO[1])


def school(name: str, **changes: Any) -> School:
    return School(name=name, state="IL", sector="public", **changes)


def leader(ident: str, **changes: Any) -> Leader:
    fields: dict[str, Any] = {
        "id": ident,
        "name": f"Leader {ident}",
        "role": "principal",
        "role_started": dt.date(2024, 7, 1),
        "first_time_in_role": True,
        "school": school(f"School of {ident}"),
        "location": near(0),
    }
    fields.update(changes)
    return Leader(**fields)


def mentor(ident: str, **changes: Any) -> Mentor:
    fields: dict[str, Any] = {
        "id": ident,
        "name": f"Mentor {ident}",
        "role": "principal",
        "credentials": ("principal_license",),
        "years_as_principal": 10,
        "capacity": 1,
        "school": school(f"School of {ident}"),
        "location": near(0),
    }
    fields.update(changes)
    return Mentor(**fields)


MENTOR_RULE = EligibilityRule(
    id="licensed_mentor",
    title="Licensed mentor",
    subject="mentor",
    outcomes=(
        Outcome(
            id="qualified",
            title="Qualified",
            eligible=True,
            when=condition_from_data(
                {
                    "fact": "credentials",
                    "contains": "principal_license",
                    "says": "holds a principal licence",
                }
            ),
        ),
        Outcome(id="not_qualified", title="Not qualified", eligible=False),
    ),
)

WEIGHTS = {
    "distance": 1.0,
    "region": 0.5,
    "school_context": 1.0,
    "school_level": 0.5,
    "goals": 2.0,
    "interpersonal_style": 1.0,
    "learning_needs": 1.0,
    "gender": 1.0,
    "race": 1.0,
}


def program(**changes: Any) -> Program:
    """A test program: every core criterion, a licence rule, 100 km for on-site work."""
    settings_fields: dict[str, Any] = {
        "criteria": tuple(CriterionWeight(criterion=k, weight=w) for k, w in WEIGHTS.items()),
        "mentor_rule": "licensed_mentor",
        "max_distance_km": 100.0,
        "goal_areas": (ChecklistItem(id="general_leadership", text="General leadership"),),
    }
    settings_fields.update(changes)
    return Program(
        id="pairing",
        title="Pairing test program",
        organization="Test",
        eligibility=(MENTOR_RULE,),
        matching=MatchSettings(**settings_fields),
    )


class ProgramPlugin:
    """A test plug-in contributing programs and, optionally, criteria."""

    def __init__(self, *programs: Program, criteria: Sequence[Criterion] = ()) -> None:
        self.programs = programs
        self.criteria = criteria

    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        for prog in self.programs:
            register(prog)

    @hookimpl
    def register_criteria(self, register: Callable[[Criterion], None]) -> None:
        for criterion in self.criteria:
            register(criterion)


def registry_with(*programs: Program, criteria: Sequence[Criterion] = ()) -> Registry:
    return load_registry(
        [ProgramPlugin(*programs, criteria=criteria)], entry_points=False, strict=True
    )


@pytest.fixture(scope="module")
def reg() -> Registry:
    return registry_with(program())


def pairs(result: MatchResult) -> dict[str, str]:
    return {a.leader: a.mentor for a in result.assignments}


def run(
    reg: Registry, leaders: Sequence[Leader], mentors: Sequence[Mentor], **options: Any
) -> MatchResult:
    return match(reg, "pairing", leaders, mentors, on=ON, **options)


# -- optimality ------------------------------------------------------------------


def brute_force(scores: Any, capacity: Sequence[int]) -> tuple[int, float]:
    """(most leaders matched, then largest total) over every assignment."""
    n_l, n_m = scores.shape
    best = (0, 0.0)
    options = [[None] + [j for j in range(n_m) if not math.isnan(scores[i, j])] for i in range(n_l)]
    for choice in itertools.product(*options):
        used = [0] * n_m
        ok = True
        for j in choice:
            if j is not None:
                used[j] += 1
                if used[j] > capacity[j]:
                    ok = False
                    break
        if not ok:
            continue
        count = sum(j is not None for j in choice)
        total = sum(scores[i, j] for i, j in enumerate(choice) if j is not None)
        if (count, total) > (best[0], best[1] + 1e-9):
            best = (count, total)
    return best


GOALS = ("assessment", "teaching and learning", "operations and management", "general_leadership")
STYLES = ("collaborative", "directive", None)


@st.composite
def cohorts(draw: st.DrawFn) -> tuple[list[Leader], list[Mentor]]:
    n_l = draw(st.integers(1, 5))
    n_m = draw(st.integers(1, 3))
    shared_school = school("Shared school")
    leaders = []
    for i in range(n_l):
        leaders.append(
            leader(
                f"l{i}",
                location=near(draw(st.floats(0, 150))),
                goals=tuple(draw(st.sets(st.sampled_from(GOALS), max_size=3))),
                interpersonal_style=draw(st.sampled_from(STYLES)),
                school=shared_school if draw(st.booleans()) and i == 0 else school(f"S{i}"),
                gender=draw(st.sampled_from(("female", "male", None))),
                prefer_same=("gender",) if draw(st.booleans()) else (),
            )
        )
    mentors = []
    for j in range(n_m):
        mentors.append(
            mentor(
                f"m{j}",
                capacity=draw(st.integers(1, 2)),
                location=near(draw(st.floats(0, 150))),
                expertise=tuple(draw(st.sets(st.sampled_from(GOALS), max_size=3))),
                interpersonal_style=draw(st.sampled_from(STYLES)),
                school=shared_school if j == 0 else school(f"T{j}"),
                gender=draw(st.sampled_from(("female", "male", None))),
                credentials=("principal_license",) if draw(st.integers(0, 4)) else (),
            )
        )
    return leaders, mentors


@settings(max_examples=60, deadline=None)
@given(cohorts(), st.sampled_from(("auto", "sparse", "dense")), st.data())
def test_the_assignment_is_optimal_against_brute_force_over_every_assignment(
    reg: Registry, cohort: tuple[list[Leader], list[Mentor]], method: str, data: st.DataObject
) -> None:
    leaders, mentors = cohort
    every_pair = [(a.id, b.id) for a in leaders for b in mentors]
    exclude = data.draw(st.lists(st.sampled_from(every_pair), max_size=3, unique=True))
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON, exclude=exclude)
    best_count, best_total = brute_force(matrix.scores, matrix.capacity.tolist())
    result = run(reg, leaders, mentors, audience="program", method=method, exclude=exclude)
    assert len(result.assignments) == best_count
    assert result.total_score == pytest.approx(best_total, abs=1e-9)
    # Every assignment is a feasible pair scored as in the matrix.
    for a in result.assignments:
        i, j = matrix.leaders.index(a.leader), matrix.mentors.index(a.mentor)
        assert a.score == pytest.approx(matrix.scores[i, j])


def brute_force_by(
    scores: Any,
    capacity: Sequence[int],
    objective: str,
    min_score: float | None = None,
    bar: Any = None,
) -> tuple[int, float]:
    """(leaders matched, total) of the best assignment under an objective, by enumeration.

    ``participation``: most leaders, then largest total; ``score``: largest
    total, then most leaders. Pairs below ``min_score`` are not matches,
    compared on ``bar`` (the scores without gender and race; default ``scores``).
    """
    n_l, n_m = scores.shape
    bar = scores if bar is None else bar
    usable = [
        [
            j
            for j in range(n_m)
            if not math.isnan(scores[i, j]) and (min_score is None or bar[i, j] >= min_score)
        ]
        for i in range(n_l)
    ]
    best: tuple[int, float] | None = None
    for choice in itertools.product(*[[None, *row] for row in usable]):
        used = [0] * n_m
        for j in choice:
            if j is not None:
                used[j] += 1
        if any(u > c for u, c in zip(used, capacity, strict=True)):
            continue
        count = sum(j is not None for j in choice)
        total = sum(scores[i, j] for i, j in enumerate(choice) if j is not None)
        if best is None:
            best = (count, total)
            continue
        if objective == "participation":
            better = count > best[0] or (count == best[0] and total > best[1] + 1e-9)
        else:
            better = total > best[1] + 1e-9 or (abs(total - best[1]) <= 1e-9 and count > best[0])
        if better:
            best = (count, total)
    assert best is not None
    return best


@st.composite
def roomy_cohorts(draw: st.DrawFn) -> tuple[list[Leader], list[Mentor]]:
    """Up to seven leaders and three mentors of capacity 1 to 4 (capacity above 1 often)."""
    leaders_, mentors_ = draw(cohorts())
    extra = draw(st.integers(0, 2))
    leaders_ += [
        leader(
            f"x{i}",
            location=near(draw(st.floats(0, 150))),
            goals=tuple(draw(st.sets(st.sampled_from(GOALS), max_size=3))),
            interpersonal_style=draw(st.sampled_from(STYLES)),
        )
        for i in range(extra)
    ]
    mentors_ = [attrs.evolve(m, capacity=draw(st.integers(1, 4))) for m in mentors_]
    return leaders_, mentors_


@settings(max_examples=80, deadline=None)
@given(
    roomy_cohorts(),
    st.sampled_from(("participation", "score")),
    st.sampled_from((None, 0.0, 2.0, 4.0)),
    st.data(),
)
def test_the_flow_solver_is_optimal_against_brute_force_with_capacities_above_one(
    reg: Registry,
    cohort: tuple[list[Leader], list[Mentor]],
    objective: str,
    min_score: float | None,
    data: st.DataObject,
) -> None:
    leaders, mentors = cohort
    every_pair = [(a.id, b.id) for a in leaders for b in mentors]
    exclude = data.draw(st.lists(st.sampled_from(every_pair), max_size=3, unique=True))
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON, exclude=exclude)
    # The minimum score is compared on the score without gender and race.
    blind = {c: 0.0 for c in WEIGHTS if reg.criteria[c].sensitive}
    assert blind  # the program weighs gender and race
    visible = score_matrix(reg, "pairing", leaders, mentors, on=ON, exclude=exclude, weights=blind)
    best_count, best_total = brute_force_by(
        matrix.scores, matrix.capacity.tolist(), objective, min_score, bar=visible.scores
    )
    result = run(
        reg,
        leaders,
        mentors,
        audience="program",
        method="flow",
        exclude=exclude,
        objective=objective,
        min_score=min_score,
    )
    assert result.objective == objective
    assert len(result.assignments) == best_count
    # Exact up to the documented resolution: 2**-40 per pair at this size.
    assert result.total_score == pytest.approx(best_total, abs=1e-9)
    for a in result.assignments:
        i, j = matrix.leaders.index(a.leader), matrix.mentors.index(a.mentor)
        assert a.score == pytest.approx(matrix.scores[i, j])
        assert min_score is None or a.score >= min_score - 1e-9
    loads = {load.mentor: load.load for load in result.loads}
    for m in mentors:
        assert loads.get(m.id, 0) <= m.capacity


@settings(max_examples=40, deadline=None)
@given(roomy_cohorts())
def test_the_flow_and_scipy_solvers_agree_on_participation(
    reg: Registry, cohort: tuple[list[Leader], list[Mentor]]
) -> None:
    leaders, mentors = cohort
    flow = run(reg, leaders, mentors, audience="program", method="flow")
    sparse = run(reg, leaders, mentors, audience="program", method="sparse")
    assert len(flow.assignments) == len(sparse.assignments)
    assert flow.total_score == pytest.approx(sparse.total_score, abs=1e-9)


def test_participation_matches_more_leaders_than_score_where_they_differ(reg: Registry) -> None:
    # "a" fits mentor "m1" very well and "m2" badly; "b" can only take "m1".
    leaders = [
        leader("a", location=near(0), goals=("assessment",), interpersonal_style="directive"),
        leader("b", location=near(95), goals=(), interpersonal_style="collaborative"),
    ]
    mentors = [
        mentor("m1", location=near(0), expertise=("assessment",), interpersonal_style="directive"),
        mentor("m2", location=near(-95), interpersonal_style="collaborative"),
    ]
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON)
    by_participation = run(reg, leaders, mentors, audience="program")
    by_score = run(reg, leaders, mentors, audience="program", objective="score")
    best_p = brute_force_by(matrix.scores, [1, 1], "participation")
    best_s = brute_force_by(matrix.scores, [1, 1], "score")
    assert (len(by_participation.assignments), by_participation.total_score) == pytest.approx(
        best_p
    )
    assert (len(by_score.assignments), by_score.total_score) == pytest.approx(best_s)
    # Participation matches both (a with the poor fit m2); score keeps a with m1 and leaves b.
    assert pairs(by_participation) == {"a": "m2", "b": "m1"}
    assert pairs(by_score) == {"a": "m1"}
    assert by_score.total_score > by_participation.total_score
    assert by_score.unmatched[0].code == "feasible_mentors_full"
    assert by_participation.objective == "participation"
    assert by_score.objective == "score"


def test_a_minimum_score_leaves_a_leader_unmatched_and_says_so(reg: Registry) -> None:
    leaders = [leader("good", goals=("assessment",)), leader("weak", location=near(90))]
    mentors = [mentor("m", capacity=2, expertise=("assessment",))]
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON)
    weak = matrix.scores[matrix.leaders.index("weak"), 0]
    good = matrix.scores[matrix.leaders.index("good"), 0]
    assert weak < good
    threshold = (weak + good) / 2
    result = run(reg, leaders, mentors, min_score=threshold, audience="program")
    assert pairs(result) == {"good": "m"}
    [unmatched] = result.unmatched
    assert unmatched.leader == "weak"
    assert unmatched.code == "below_min_score"
    assert f"no feasible mentor scores {threshold:g} or more" in unmatched.reason
    assert result.min_score == threshold
    assert result.to_data()["min_score"] == threshold
    # The bar is on the score without gender and race: its best is shown to every audience.
    shown = run(reg, leaders, mentors, min_score=threshold)
    assert shown.unmatched[0].reason == (
        f"no feasible mentor scores {threshold:g} or more (the best scores {weak:.2f})"
    )


def test_gender_or_race_never_lifts_a_pair_over_the_minimum_score(reg: Registry) -> None:
    # The twins differ only in race; the leader asked for a mentor of her race.
    leaders = [leader("l1", race="Black", prefer_same=("race",))]
    mentors = [
        mentor("alike", location=near(25), race="Black"),
        mentor("twin", location=near(25), race="White"),
    ]
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON)
    full = matrix.scores[0, matrix.mentors.index("alike")]
    blind = matrix.scores[0, matrix.mentors.index("twin")]
    assert full > blind  # the race points
    bar = (full + blind) / 2  # cleared only with the race points
    for audience in ("program", "pair", "sponsor"):
        result = run(reg, leaders, mentors, min_score=bar, audience=audience)
        assert result.assignments == ()
        assert [u.code for u in result.unmatched] == ["below_min_score"]
    # Below the score without race, race decides between the twins, as always.
    result = run(reg, leaders, mentors, min_score=blind, audience="pair")
    assert pairs(result) == {"l1": "alike"}
    assert all(a.score >= blind for a in result.assignments)


@pytest.mark.parametrize("bad", [-1.0, math.inf, math.nan, True, "2"])
def test_a_bad_minimum_score_or_objective_is_an_input_error(reg: Registry, bad: Any) -> None:
    with pytest.raises(InputError, match="min_score"):
        run(reg, [leader("l")], [mentor("m")], min_score=bad)
    with pytest.raises(InputError, match="objective"):
        run(reg, [leader("l")], [mentor("m")], objective="speed")


def test_the_json_carries_the_objective(reg: Registry) -> None:
    data = run(reg, [leader("l")], [mentor("m")], objective="score").to_data()
    assert data["objective"] == "score"
    assert run(reg, [leader("l")], [mentor("m")]).to_data()["objective"] == "participation"


def test_a_leader_whose_only_feasible_mentor_greedy_would_take_is_not_stranded(
    reg: Registry,
) -> None:
    # Rockford-like leader far north: only mentor "near" is within 100 km.
    # The city leader scores best with "near" too, so best-pair-first would
    # give "near" to the city leader and strand the northern one.
    leaders = [
        leader("north", location=near(90), goals=("assessment",)),
        leader("city", location=near(45), goals=("assessment",)),
    ]
    mentors = [
        mentor("near", location=near(45), expertise=("assessment",)),
        mentor("south", location=near(-20)),
    ]
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON)
    assert math.isnan(matrix.scores[matrix.leaders.index("north"), matrix.mentors.index("south")])
    city, north = matrix.leaders.index("city"), matrix.leaders.index("north")
    assert matrix.scores[city, 0] > matrix.scores[north, 0] > 0  # greedy would pick city-near first
    result = run(reg, leaders, mentors)
    assert pairs(result) == {"north": "near", "city": "south"}
    assert result.unmatched == ()


# -- capacity and loads -----------------------------------------------------------


def test_a_mentor_takes_no_more_leaders_than_their_capacity(reg: Registry) -> None:
    leaders = [leader(f"l{i}") for i in range(5)]
    mentors = [mentor("only", capacity=2)]
    result = run(reg, leaders, mentors)
    assert len(result.assignments) == 2
    assert [(load.mentor, load.capacity, load.load) for load in result.loads] == [("only", 2, 2)]
    assert len(result.unmatched) == 3
    for unmatched in result.unmatched:
        assert unmatched.code == "feasible_mentors_full"
        assert unmatched.reason == "every feasible mentor is full (only)"
        assert unmatched.feasible_mentors == ("only",)


def test_capacity_is_shared_out_so_that_the_most_leaders_are_matched(reg: Registry) -> None:
    leaders = [leader(f"l{i}", location=near(i * 5)) for i in range(6)]
    mentors = [
        mentor("a", capacity=4, location=near(0)),
        mentor("b", capacity=2, location=near(80)),
    ]
    result = run(reg, leaders, mentors)
    assert len(result.assignments) == 6
    loads = {load.mentor: load.load for load in result.loads}
    assert loads == {"a": 4, "b": 2}


# -- hard constraints -------------------------------------------------------------


def test_a_mentor_without_a_licence_is_never_matched_and_is_listed_with_the_reason(
    reg: Registry,
) -> None:
    result = run(
        reg, [leader("l1")], [mentor("unlicensed", credentials=()), mentor("ok", location=near(60))]
    )
    assert pairs(result) == {"l1": "ok"}
    [excluded] = result.excluded_mentors
    assert excluded.mentor == "unlicensed"
    assert excluded.outcome == "not_qualified"
    assert "holds a principal licence" in excluded.reason
    assert [load.mentor for load in result.loads] == ["ok"]


def test_a_mentor_beyond_the_on_site_distance_is_never_matched(reg: Registry) -> None:
    result = run(reg, [leader("l1")], [mentor("far", location=near(130))])
    [unmatched] = result.unmatched
    assert unmatched.code == "no_feasible_mentor"
    assert "farther than 100 km for on-site work: 1" in unmatched.reason
    # The caller may widen the bound.
    assert pairs(
        run(reg, [leader("l1")], [mentor("far", location=near(130))], max_distance_km=150)
    ) == {"l1": "far"}


def test_people_without_coordinates_are_not_ruled_out_by_distance(reg: Registry) -> None:
    result = run(reg, [leader("l1", location=None)], [mentor("m1", location=near(400))])
    assert pairs(result) == {"l1": "m1"}
    reasons = {r.criterion: r for r in result.assignments[0].reasons}
    assert reasons["distance"].score is None
    assert reasons["distance"].reason == "the leader's location is not known"


def test_a_mentor_from_the_leaders_own_school_is_a_conflict_of_interest(reg: Registry) -> None:
    same = school("Lincoln Elementary", id="lincoln")
    result = run(
        reg,
        [leader("l1", school=same)],
        [mentor("colleague", school=school("Lincoln Elementary (renamed)", id="lincoln"))],
    )
    [unmatched] = result.unmatched
    assert "in the leader's school (conflict of interest): 1" in unmatched.reason
    # Schools without ids are the same school by name and state.
    result = run(
        reg, [leader("l1", school=school("Roosevelt"))], [mentor("m", school=school("Roosevelt"))]
    )
    assert result.assignments == ()


def test_the_leaders_supervisor_is_never_their_mentor(reg: Registry) -> None:
    result = run(
        reg, [leader("l1", supervisor="boss")], [mentor("boss"), mentor("other", location=near(50))]
    )
    assert pairs(result) == {"l1": "other"}
    result = run(reg, [leader("l1", supervisor="boss")], [mentor("boss")])
    assert "the leader's supervisor (conflict of interest): 1" in result.unmatched[0].reason


def test_an_excluded_pair_is_never_matched(reg: Registry) -> None:
    leaders = [leader("l1")]
    mentors = [mentor("best"), mentor("next", location=near(50))]
    assert pairs(run(reg, leaders, mentors)) == {"l1": "best"}
    assert pairs(run(reg, leaders, mentors, exclude=[("l1", "best")])) == {"l1": "next"}
    result = run(reg, leaders, mentors, exclude=[("l1", "best"), ("l1", "next")])
    assert "excluded by the caller: 2" in result.unmatched[0].reason


def test_a_pinned_pair_is_kept_and_takes_a_place(reg: Registry) -> None:
    leaders = [leader("l1", goals=("assessment",)), leader("l2")]
    mentors = [mentor("expert", expertise=("assessment",)), mentor("other", location=near(50))]
    assert pairs(run(reg, leaders, mentors)) == {"l1": "expert", "l2": "other"}
    result = run(reg, leaders, mentors, pin=[("l2", "expert")])
    assert pairs(result) == {"l1": "other", "l2": "expert"}
    assert result.assignment("l2") is not None and result.assignment("l2").pinned  # type: ignore[union-attr]
    assert not result.assignment("l1").pinned  # type: ignore[union-attr]


def test_a_pin_that_breaks_a_hard_constraint_or_a_capacity_is_refused(reg: Registry) -> None:
    leaders = [leader("l1", supervisor="boss"), leader("l2")]
    mentors = [
        mentor("boss"),
        mentor("far", location=near(300)),
        mentor("unlicensed", credentials=()),
    ]
    with pytest.raises(
        MatchError, match="cannot pin 'l1' to 'boss': the mentor is the leader's supervisor"
    ):
        run(reg, leaders, mentors, pin=[("l1", "boss")])
    with pytest.raises(MatchError, match="farther than 100 km"):
        run(reg, leaders, mentors, pin=[("l2", "far")])
    with pytest.raises(MatchError, match="does not qualify"):
        run(reg, leaders, mentors, pin=[("l2", "unlicensed")])
    with pytest.raises(MatchError, match="more leaders than their capacity"):
        run(reg, [leader("a"), leader("b")], [mentor("m")], pin=[("a", "m"), ("b", "m")])
    with pytest.raises(MatchError, match="pinned twice"):
        run(
            reg, [leader("a")], [mentor("m", capacity=2), mentor("n")], pin=[("a", "m"), ("a", "n")]
        )
    with pytest.raises(MatchError, match="both pinned and excluded"):
        run(reg, [leader("a")], [mentor("m")], pin=[("a", "m")], exclude=[("a", "m")])


# -- sensitive attributes ---------------------------------------------------------


def gender_cohort(
    prefer: tuple[str, ...], gender: str | None = "female"
) -> tuple[list[Leader], list[Mentor]]:
    # "closer" is 10 km nearer; "alike" shares the leader's gender.
    leaders = [leader("l1", gender=gender, race="Black", prefer_same=prefer)]
    mentors = [
        mentor("closer", location=near(5), gender="male", race="White"),
        mentor("alike", location=near(25), gender="female", race="Black"),
    ]
    return leaders, mentors


def test_a_stated_gender_preference_changes_the_match(reg: Registry) -> None:
    assert pairs(run(reg, *gender_cohort(()))) == {"l1": "closer"}
    assert pairs(run(reg, *gender_cohort(("gender",)))) == {"l1": "alike"}
    assert pairs(run(reg, *gender_cohort(("race",)))) == {"l1": "alike"}


def test_gender_and_race_count_for_nothing_without_a_preference_or_where_unknown(
    reg: Registry,
) -> None:
    staff = run(reg, *gender_cohort(()), audience="program")
    assert {r.criterion for r in staff.assignments[0].reasons}.isdisjoint({"gender", "race"})
    # A preference but no gender known for the leader: nothing changes, nothing is said.
    unknown = run(reg, *gender_cohort(("gender",), gender=None), audience="program")
    assert pairs(unknown) == {"l1": "closer"}
    assert "gender" not in {r.criterion for r in unknown.assignments[0].reasons}
    # Without a preference, the scores are those of a program that ignores gender and race.
    blind = registry_with(
        program(
            criteria=tuple(
                CriterionWeight(criterion=k, weight=w)
                for k, w in WEIGHTS.items()
                if k not in ("gender", "race")
            )
        )
    )
    assert run(blind, *gender_cohort(())).total_score == pytest.approx(staff.total_score)


def test_program_staff_see_the_gender_reason(reg: Registry) -> None:
    result = run(reg, *gender_cohort(("gender",)), audience="program")
    reasons = {r.criterion: r for r in result.assignments[0].reasons}
    assert reasons["gender"].reason == "same gender, as the leader asked"
    assert reasons["gender"].sensitive
    assert result.to_data()["weights"]["gender"] == 1.0


@pytest.mark.parametrize("audience", ["pair", "sponsor"])
def test_output_for_anyone_but_program_staff_never_mentions_gender_or_race(
    reg: Registry, audience: str
) -> None:
    staff = run(reg, *gender_cohort(("gender", "race")), audience="program")
    result = run(reg, *gender_cohort(("gender", "race")), audience=audience)
    assert pairs(result) == pairs(staff)  # the same match, explained for another audience
    text = json.dumps(result.to_data()).lower()
    for word in ("gender", "race", "female", "male", "black", "white", "sensitive", "asked"):
        assert word not in text, word
    # The score leaves out what it may not show: it is the sum of the reasons shown.
    [assignment] = result.assignments
    assert assignment.score == pytest.approx(sum(r.points for r in assignment.reasons))
    assert assignment.score == pytest.approx(staff.assignments[0].score - 2.0)
    assert result.total_score == pytest.approx(assignment.score)


def test_the_default_audience_is_not_program_staff(reg: Registry) -> None:
    result = run(reg, *gender_cohort(("gender",)))
    assert result.audience.value == "pair"
    assert "gender" not in json.dumps(result.to_data())


# -- criteria, weights and reasons ------------------------------------------------


def test_each_assignment_explains_every_criterion_that_applies(reg: Registry) -> None:
    leaders = [
        leader(
            "l1",
            region="North",
            goals=("assessment", "General leadership"),
            learning_needs=("observation", "feedback"),
            interpersonal_style="collaborative",
            school=school("A", level="high", context="urban"),
        )
    ]
    mentors = [
        mentor(
            "m1",
            location=near(12),
            region="North",
            expertise=("general_leadership",),
            approaches=("feedback",),
            interpersonal_style="directive",
            school=school("B", level="high", context="rural"),
        )
    ]
    [a] = run(reg, leaders, mentors).assignments
    reasons = {r.criterion: (r.score, r.reason) for r in a.reasons}
    assert reasons == {
        "distance": (pytest.approx(0.88, abs=0.01), "schools 12 km apart"),
        "region": (1.0, "same region (North)"),
        "school_context": (0.0, "different school context (leader urban, mentor rural)"),
        "school_level": (1.0, "same school level (high)"),
        "goals": (0.5, "expertise covers 1 of 2 professional goals and needs: General leadership"),
        "interpersonal_style": (
            0.0,
            "different interpersonal style (leader collaborative, mentor directive)",
        ),
        "learning_needs": (0.5, "approaches meet 1 of 2 learning needs: feedback"),
    }
    assert a.score == pytest.approx(sum(WEIGHTS[k] * (v[0] or 0) for k, v in reasons.items()))


def test_weights_from_the_caller_override_the_programs(reg: Registry) -> None:
    leaders = [leader("l1", goals=("assessment",))]
    mentors = [
        mentor("expert", location=near(40), expertise=("assessment",)),
        mentor("close", location=near(1)),
    ]
    assert pairs(run(reg, leaders, mentors)) == {"l1": "expert"}
    assert pairs(run(reg, leaders, mentors, weights={"goals": 0.1})) == {"l1": "close"}
    result = run(reg, leaders, mentors, weights={"goals": 0})
    assert "goals" not in result.weights


def test_a_program_without_criteria_uses_the_documented_defaults() -> None:
    from mentorcore.matching import DEFAULT_WEIGHTS

    reg = registry_with(program(criteria=()))
    result = match(reg, "pairing", [leader("l1")], [mentor("m1")], on=ON, audience="program")
    assert dict(result.weights) == DEFAULT_WEIGHTS


def test_a_plug_in_criterion_is_weighed_like_a_core_one() -> None:
    def years(
        leader: Leader, mentor: Mentor, params: Mapping[str, Any]
    ) -> tuple[float, str] | None:
        wanted = float(params.get("years", 10))
        return min(
            mentor.years_as_principal / wanted, 1.0
        ), f"{mentor.years_as_principal} years as principal"

    seasoned = pair_criterion("test.seasoned", "years as principal", years)
    prog = program(
        criteria=(CriterionWeight(criterion="test.seasoned", weight=1.0, params={"years": 20}),)
    )
    reg = registry_with(prog, criteria=[seasoned])
    result = match(
        reg,
        "pairing",
        [leader("l1")],
        [mentor("junior", years_as_principal=5), mentor("senior", years_as_principal=20)],
        on=ON,
    )
    assert pairs(result) == {"l1": "senior"}
    assert [(r.criterion, r.score, r.reason) for r in result.assignments[0].reasons] == [
        ("test.seasoned", 1.0, "20 years as principal")
    ]


def test_independent_regions_are_solved_as_separate_parts(reg: Registry) -> None:
    far = 400.0
    leaders = [
        leader("a1"),
        leader("a2"),
        leader("b1", location=near(far)),
        leader("b2", location=near(far)),
    ]
    mentors = [mentor("ma", capacity=2), mentor("mb", capacity=2, location=near(far))]
    seen: list[tuple[int, int]] = []
    result = run(reg, leaders, mentors, progress=lambda done, total: seen.append((done, total)))
    assert result.components == 2
    assert pairs(result) == {"a1": "ma", "a2": "ma", "b1": "mb", "b2": "mb"}
    assert seen[-1] == (4, 4)


def test_equal_inputs_give_equal_results_whatever_their_order(reg: Registry) -> None:
    # Four identical leaders and two identical mentors: many optimal answers, one result.
    leaders = [leader(f"l{i}") for i in range(4)]
    mentors = [mentor("m1", capacity=2), mentor("m2", capacity=2)]
    first = run(reg, leaders, mentors, audience="program")
    assert run(reg, leaders, mentors, audience="program") == first
    assert run(reg, leaders[::-1], mentors[::-1], audience="program") == first


# -- bad input --------------------------------------------------------------------


def test_an_empty_cohort_is_a_clear_error(reg: Registry) -> None:
    with pytest.raises(MatchError, match="no leaders to match"):
        run(reg, [], [mentor("m1")])
    with pytest.raises(MatchError, match="no mentors"):
        run(reg, [leader("l1")], [])


def test_a_mentor_with_capacity_zero_is_a_clear_error(reg: Registry) -> None:
    with pytest.raises(MatchError, match="mentors with capacity 0 cannot be matched: resting"):
        run(reg, [leader("l1")], [mentor("m1"), mentor("resting", capacity=0)])


def test_unknown_ids_in_pins_and_exclusions_name_the_known_ones(reg: Registry) -> None:
    with pytest.raises(UnknownIdError, match=r"unknown leader \(in pin\) 'nobody'; known: l1"):
        run(reg, [leader("l1")], [mentor("m1")], pin=[("nobody", "m1")])
    with pytest.raises(UnknownIdError, match=r"unknown mentor \(in exclude\) 'ghost'; known: m1"):
        run(reg, [leader("l1")], [mentor("m1")], exclude=[("l1", "ghost")])
    with pytest.raises(UnknownIdError, match="unknown program 'nope'"):
        match(reg, "nope", [leader("l1")], [mentor("m1")])


def test_an_unknown_weight_name_lists_the_known_criteria(reg: Registry) -> None:
    with pytest.raises(UnknownIdError) as caught:
        run(reg, [leader("l1")], [mentor("m1")], weights={"goal": 2})
    message = str(caught.value)
    assert "unknown matching criterion (weight name) 'goal'" in message
    assert "distance, gender, goals, interpersonal_style, learning_needs, race, region" in message
    with pytest.raises(InputError, match=r"weights\.goals: found -1"):
        run(reg, [leader("l1")], [mentor("m1")], weights={"goals": -1})


def test_duplicate_ids_and_wrong_types_are_input_errors(reg: Registry) -> None:
    with pytest.raises(InputError, match=r"leaders\[1\].id: found 'l1' twice, expected unique ids"):
        run(reg, [leader("l1"), leader("l1")], [mentor("m1")])
    with pytest.raises(InputError, match=r"mentors\[0\]: found 'Leader', expected a Mentor"):
        run(reg, [leader("l1")], [leader("m1")])  # type: ignore[list-item]
    with pytest.raises(InputError, match="audience"):
        run(reg, [leader("l1")], [mentor("m1")], audience="everyone")


def test_weights_and_pairs_parse_from_the_command_line_form() -> None:
    assert parse_weights("goals=2, distance=0.5") == {"goals": 2.0, "distance": 0.5}
    assert parse_weights(["goals=2", "race=0"]) == {"goals": 2.0, "race": 0.0}
    with pytest.raises(InputError, match="expected NAME=NUMBER"):
        parse_weights("goals")
    with pytest.raises(InputError, match="expected a number"):
        parse_weights("goals=lots")
    with pytest.raises(UnknownIdError, match="known: distance, goals"):
        parse_weights("goal=1", known=["goals", "distance"])
    assert parse_pairs(["a:b,c:d"]) == [("a", "b"), ("c", "d")]
    with pytest.raises(InputError, match="LEADER_ID:MENTOR_ID"):
        parse_pairs(["a-b"])


def test_every_matching_error_is_a_mentorcore_error() -> None:
    assert issubclass(MatchError, MentorcoreError)


def test_importing_mentorcore_and_loading_the_registry_does_not_import_numpy_or_scipy() -> None:
    code = (
        "import sys, mentorcore, mentorcore.matching\n"
        "from mentorcore.registry import load_registry\n"
        "load_registry(entry_points=False)\n"
        "assert 'numpy' not in sys.modules and 'scipy' not in sys.modules, sorted(sys.modules)\n"
    )
    subprocess.run([sys.executable, "-c", code], check=True)


def test_a_match_result_is_frozen(reg: Registry) -> None:
    result = run(reg, [leader("l1")], [mentor("m1")])
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        result.total_score = 0  # type: ignore[misc]


def test_without_or_tools_participation_is_solved_by_scipy(monkeypatch: pytest.MonkeyPatch) -> None:
    from mentorcore import load_people, load_registry
    from mentorcore.matching import solver

    installed = load_registry()
    examples = Path(__file__).resolve().parent.parent / "examples" / "matching"
    leaders = load_people(examples / "leaders.toml").leaders
    mentors = load_people(examples / "mentors.toml").mentors
    day = dt.date(2024, 8, 1)
    with_flow = installed.match("ipa", leaders, mentors, on=day)
    monkeypatch.setattr(solver, "flow_available", lambda: False)
    without = installed.match("ipa", leaders, mentors, on=day)
    assert pairs(without) == pairs(with_flow)
    assert without.total_score == pytest.approx(with_flow.total_score)
