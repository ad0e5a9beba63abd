"""Keeps and declines, suggestions for one leader, what each constraint costs, bounds."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from test_matching import ON, leader, mentor, near, pairs, program, registry_with

from mentorcore.errors import InputError, UnknownIdError
from mentorcore.matching import (
    MatchResult,
    PairAction,
    Suggester,
    Suggestions,
    load_pairs,
    match,
    score_matrix,
    suggest,
)
from mentorcore.people import Leader, Mentor
from mentorcore.registry import Registry


@pytest.fixture(scope="module")
def reg() -> Registry:
    return registry_with(program())


def run(reg: Registry, leaders: Any, mentors: Any, **options: Any) -> MatchResult:
    return match(reg, "pairing", leaders, mentors, on=ON, **options)


def keep(result: MatchResult) -> list[PairAction]:
    """The result's pairs as keep rows, as a program would save them."""
    return [PairAction(a.leader, a.mentor, "keep") for a in result.assignments]


# -- keeps and declines -----------------------------------------------------------


def test_a_rerun_after_new_leaders_join_changes_no_kept_pair_and_fills_only_free_places(
    reg: Registry,
) -> None:
    first_leaders = [leader(f"a{i}", location=near(i * 10)) for i in range(4)]
    mentors = [
        mentor("m1", capacity=3, location=near(0)),
        mentor("m2", capacity=3, location=near(40), expertise=("assessment",)),
    ]
    first = run(reg, first_leaders, mentors)
    assert len(first.assignments) == 4
    # New leaders who would score better with the same mentors join.
    newcomers = [
        leader(f"b{i}", location=near(40), goals=("assessment",), interpersonal_style=None)
        for i in range(4)
    ]
    again = run(reg, first_leaders + newcomers, mentors, pairs=keep(first))
    before = pairs(first)
    after = pairs(again)
    for ident, mentor_id in before.items():
        assert after[ident] == mentor_id
    kept = {a.leader for a in again.assignments if a.kept}
    assert kept == set(before)
    # Only the free places (6 - 4) went to the newcomers.
    assert len(again.assignments) == 6
    assert again.broken_keeps == ()
    loads = {load.mentor: load.load for load in again.loads}
    assert loads == {"m1": 3, "m2": 3}


def test_a_kept_pair_that_became_infeasible_is_dropped_and_reported(reg: Registry) -> None:
    leaders = [leader("l1"), leader("l2", supervisor="boss"), leader("l3")]
    mentors = [
        mentor("unlicensed", credentials=()),
        mentor("boss", location=near(10)),
        mentor("free", location=near(5), capacity=3),
    ]
    result = run(
        reg,
        leaders,
        mentors,
        pairs=[
            PairAction("l1", "unlicensed", "keep"),
            PairAction("l2", "boss", "keep"),
            PairAction("gone", "free", "keep"),
            PairAction("l3", "retired", "keep"),
        ],
    )
    broken = {(b.leader, b.mentor): b.reason for b in result.broken_keeps}
    assert broken == {
        ("gone", "free"): "the leader is not in this run",
        ("l1", "unlicensed"): "the mentor no longer qualifies under the program's mentor rule",
        ("l2", "boss"): "the mentor is the leader's supervisor (conflict of interest)",
        ("l3", "retired"): "the mentor is not in this run",
    }
    # The leaders of broken keeps are matched afresh, within the constraints.
    assert pairs(result) == {"l1": "free", "l2": "free", "l3": "free"}
    assert not any(a.kept for a in result.assignments)
    assert {b["leader"] for b in result.to_data()["broken_keeps"]} == {"gone", "l1", "l2", "l3"}


def test_keeps_beyond_a_mentors_capacity_are_reported_not_raised(reg: Registry) -> None:
    leaders = [leader("l1"), leader("l2")]
    mentors = [mentor("m", capacity=1), mentor("other", location=near(20))]
    result = run(
        reg, leaders, mentors, pairs=[PairAction("l1", "m", "keep"), PairAction("l2", "m", "keep")]
    )
    assert pairs(result) == {"l1": "m", "l2": "other"}
    [broken] = result.broken_keeps
    assert (broken.leader, broken.reason) == ("l2", "the mentor is full (capacity 1)")


def test_a_declined_pair_is_never_matched_and_says_why(reg: Registry) -> None:
    leaders = [leader("l1", goals=("assessment",))]
    mentors = [mentor("best", expertise=("assessment",)), mentor("other", location=near(50))]
    assert pairs(run(reg, leaders, mentors)) == {"l1": "best"}
    declined = [PairAction("l1", "best", "never", "the leader asked for someone else")]
    assert pairs(run(reg, leaders, mentors, pairs=declined)) == {"l1": "other"}
    both = [*declined, PairAction("l1", "other", "never")]
    result = run(reg, leaders, mentors, pairs=both)
    [unmatched] = result.unmatched
    assert unmatched.code == "no_feasible_mentor"
    assert "declined (never to be matched again): 2" in unmatched.reason
    # A decline naming someone not in this run has nothing to rule out.
    assert pairs(run(reg, leaders, mentors, pairs=[PairAction("x", "best", "never")])) == {
        "l1": "best"
    }


PAIRS_CSV = "leader,mentor,action,reason\nl1,m1,keep,\nl2,m2,never,declined in 2024\n"
PAIRS_TOML = """
[[pairs]]
leader = "l1"
mentor = "m1"
action = "keep"

[[pairs]]
leader = "l2"
mentor = "m2"
action = "never"
reason = "declined in 2024"
"""
PAIRS_JSON = json.dumps(
    {
        "pairs": [
            {"leader": "l1", "mentor": "m1", "action": "keep"},
            {"leader": "l2", "mentor": "m2", "action": "never", "reason": "declined in 2024"},
        ]
    }
)


@pytest.mark.parametrize(
    ("suffix", "text"), [(".csv", PAIRS_CSV), (".toml", PAIRS_TOML), (".json", PAIRS_JSON)]
)
def test_a_pairs_file_reads_alike_as_csv_toml_and_json(
    tmp_path: Path, suffix: str, text: str
) -> None:
    path = tmp_path / f"pairs{suffix}"
    path.write_text(text, encoding="utf-8")
    assert load_pairs(path) == (
        PairAction("l1", "m1", "keep"),
        PairAction("l2", "m2", "never", "declined in 2024"),
    )


@pytest.mark.parametrize(
    ("suffix", "text", "where"),
    [
        (".csv", "leader,mentor\nl1,m1\n", "header"),
        (".csv", "leader,mentor,action\nl1,m1,maybe\n", "line 2.action"),
        (".csv", "leader,mentor,action\nl1,,keep\n", "line 2.mentor"),
        (".csv", "leader,mentor,action\nl1,m1,keep\nl1,m1,never\n", "row 2"),
        (".csv", "leader,mentor,action\nl1,m1,keep\nl1,m2,keep\n", "row 2"),
        (".toml", '[[pairs]]\nleader = "l1"\nmentor = "m1"\naction = "keep"\nnote = "x"\n', "note"),
        (".json", '{"pairs": [{"leader": 1, "mentor": "m", "action": "keep"}]}', "leader"),
        (".json", '{"pears": []}', "pears"),
    ],
)
def test_a_bad_pairs_file_is_an_input_error_naming_the_file_and_place(
    tmp_path: Path, suffix: str, text: str, where: str
) -> None:
    path = tmp_path / f"pairs{suffix}"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(InputError) as caught:
        load_pairs(path)
    message = str(caught.value)
    assert str(path) in message
    assert where in message


# -- suggestions ------------------------------------------------------------------


def test_suggestions_are_the_top_feasible_mentors_by_score_with_what_ruled_the_rest_out(
    reg: Registry,
) -> None:
    leaders = [
        leader("l1", goals=("assessment",), supervisor="boss"),
        leader("l2"),
    ]
    mentors = [
        mentor("best", expertise=("assessment",), capacity=2),
        mentor("good", location=near(30)),
        mentor("fair", location=near(60)),
        mentor("far", location=near(300)),
        mentor("boss", location=near(1)),
        mentor("unlicensed", credentials=()),
        mentor("declined", location=near(2)),
        mentor("full", location=near(3)),
    ]
    found = suggest(
        reg,
        "pairing",
        "l1",
        leaders,
        mentors,
        top=2,
        on=ON,
        pairs=[
            PairAction("l1", "declined", "never"),
            PairAction("l2", "full", "keep"),
            PairAction("l2", "best", "never"),
        ],
    )
    assert [s.mentor for s in found.suggestions] == ["best", "good"]
    assert found.infeasible == {
        "mentor_rule": 1,
        "declined": 1,
        "supervisor": 1,
        "same_school": 0,
        "distance": 1,
        "full": 1,
        "min_score": 0,
    }
    assert found.feasible == 3
    first = found.suggestions[0]
    assert (first.load, first.capacity) == (0, 2)
    # The scores are those the match optimises, best first.
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON)
    row = matrix.leaders.index("l1")
    for s in found.suggestions:
        assert s.score == pytest.approx(matrix.scores[row, matrix.mentors.index(s.mentor)])
    assert found.suggestions[0].score >= found.suggestions[1].score
    assert {r.criterion for r in first.reasons} >= {"distance", "goals"}
    data = found.to_data()
    assert set(data["suggestions"][0]) == {"mentor", "score", "reasons", "load", "capacity"}
    assert data["infeasible"]["declined"] == 1


def test_a_suggestions_load_counts_the_leaders_kept_with_the_mentor(reg: Registry) -> None:
    leaders = [leader("l1"), leader("l2"), leader("l3")]
    mentors = [mentor("m", capacity=3)]
    found = suggest(
        reg,
        "pairing",
        "l3",
        leaders,
        mentors,
        on=ON,
        pairs=[PairAction("l1", "m", "keep"), PairAction("l2", "m", "keep")],
    )
    [only] = found.suggestions
    assert (only.mentor, only.load, only.capacity) == ("m", 2, 3)


def test_suggestions_show_gender_reasons_to_program_staff_only(reg: Registry) -> None:
    leaders = [leader("l1", gender="female", prefer_same=("gender",))]
    mentors = [mentor("m", gender="female")]
    pair_view = suggest(reg, "pairing", "l1", leaders, mentors, on=ON)
    staff = suggest(reg, "pairing", "l1", leaders, mentors, on=ON, audience="program")
    assert "gender" not in json.dumps(pair_view.to_data())
    assert "gender" in {r.criterion for r in staff.suggestions[0].reasons}
    assert staff.suggestions[0].score > pair_view.suggestions[0].score


def race_cohort() -> tuple[list[Leader], list[Mentor]]:
    """A leader who asked for a mentor of her race; only the farther of two twins shares it.

    "closer" is 20 km nearer than the twins; "a_twin" and "b_alike" stand at
    the same place and differ only in gender and race.
    """
    leaders = [leader("l1", gender="female", race="Black", prefer_same=("race",))]
    mentors = [
        mentor("b_alike", location=near(25), gender="female", race="Black"),
        mentor("closer", location=near(5), gender="male", race="White"),
        mentor("a_twin", location=near(25), gender="male", race="White"),
    ]
    return leaders, mentors


def shown(found: Suggestions) -> list[tuple[str, float]]:
    return [(s.mentor, s.score) for s in found.suggestions]


def assert_ranked_by_shown_score(found: Suggestions) -> None:
    """Best shown score first, equal shown scores by mentor id."""
    keys = [(-s.score, s.mentor) for s in found.suggestions]
    assert keys == sorted(keys)


def test_staff_suggestions_rank_by_the_full_score_others_by_the_score_they_see(
    reg: Registry,
) -> None:
    leaders, mentors = race_cohort()
    staff = suggest(reg, "pairing", "l1", leaders, mentors, on=ON, audience="program")
    # Sharing the leader's race lifts "b_alike" above the nearer mentor for staff ...
    assert [s.mentor for s in staff.suggestions] == ["b_alike", "closer", "a_twin"]
    assert_ranked_by_shown_score(staff)
    assert staff.suggestions[0].score == pytest.approx(staff.suggestions[2].score + 1.0)
    for audience in ("pair", "sponsor"):
        view = suggest(reg, "pairing", "l1", leaders, mentors, on=ON, audience=audience)
        # ... but not for a pair or a sponsor: the twins tie, and tie by id.
        assert [s.mentor for s in view.suggestions] == ["closer", "a_twin", "b_alike"]
        assert_ranked_by_shown_score(view)
        assert view.suggestions[1].score == view.suggestions[2].score
        for s in view.suggestions:
            assert s.score == pytest.approx(sum(r.points for r in s.reasons))
        text = json.dumps(view.to_data()).lower()
        for word in ("gender", "race", "female", "male", "black", "white", "sensitive", "asked"):
            assert word not in text, (audience, word)


def test_the_top_k_are_chosen_by_the_score_the_audience_sees(reg: Registry) -> None:
    leaders, mentors = race_cohort()
    staff = suggest(reg, "pairing", "l1", leaders, mentors, on=ON, top=1, audience="program")
    view = suggest(reg, "pairing", "l1", leaders, mentors, on=ON, top=1)
    assert [s.mentor for s in staff.suggestions] == ["b_alike"]
    assert [s.mentor for s in view.suggestions] == ["closer"]
    assert staff.feasible == view.feasible == 3


def test_min_score_compares_the_score_without_gender_and_race_for_everyone(
    reg: Registry,
) -> None:
    leaders, mentors = race_cohort()
    unfiltered = dict(shown(suggest(reg, "pairing", "l1", leaders, mentors, on=ON)))
    # A bar the nearer mentor clears; "b_alike" clears it only with the race points.
    bar = unfiltered["closer"]
    staff = suggest(
        reg, "pairing", "l1", leaders, mentors, on=ON, min_score=bar, audience="program"
    )
    # The bar is on the score without race, for staff too: the twins fall together.
    assert [s.mentor for s in staff.suggestions] == ["closer"]
    assert (staff.feasible, staff.infeasible["min_score"]) == (1, 2)
    for audience in ("pair", "sponsor"):
        view = suggest(
            reg, "pairing", "l1", leaders, mentors, on=ON, min_score=bar, audience=audience
        )
        # The same cut for every audience: it says nothing of race.
        assert shown(view) == [("closer", bar)]
        assert (view.feasible, view.infeasible["min_score"]) == (1, 2)


def test_a_suggester_ranks_each_leader_for_its_audience(reg: Registry) -> None:
    leaders, mentors = race_cohort()
    for audience, first in (("program", "b_alike"), ("pair", "closer"), ("sponsor", "closer")):
        found = Suggester(reg, "pairing", leaders, mentors, on=ON, audience=audience).suggest("l1")
        assert found.suggestions[0].mentor == first
        assert_ranked_by_shown_score(found)


@st.composite
def one_leader_cohorts(draw: st.DrawFn) -> tuple[list[Leader], list[Mentor]]:
    """One leader with any stated preference, and up to six mentors of any gender and race."""
    genders, races = ("female", "male", None), ("Black", "White", "Asian", None)
    leaders = [
        leader(
            "l",
            gender=draw(st.sampled_from(genders)),
            race=draw(st.sampled_from(races)),
            prefer_same=tuple(draw(st.sets(st.sampled_from(("gender", "race"))))),
            goals=tuple(draw(st.sets(st.sampled_from(("assessment", "operations")), max_size=2))),
        )
    ]
    mentors = [
        mentor(
            f"m{j}",
            # Few places: equal distances, hence ties, are common.
            location=near(draw(st.sampled_from((0, 10, 20, 40, 80)))),
            gender=draw(st.sampled_from(genders)),
            race=draw(st.sampled_from(races)),
            expertise=tuple(
                draw(st.sets(st.sampled_from(("assessment", "operations")), max_size=2))
            ),
        )
        for j in range(draw(st.integers(1, 6)))
    ]
    return leaders, mentors


@settings(max_examples=40, deadline=None)
@given(one_leader_cohorts(), st.sampled_from((None, 0.5, 1.5)), st.integers(1, 4))
def test_every_audience_sees_its_suggestions_in_the_order_of_the_scores_it_is_shown(
    reg: Registry, cohort: tuple[list[Leader], list[Mentor]], bar: float | None, top: int
) -> None:
    leaders, mentors = cohort
    blind: dict[str, list[tuple[str, float]]] = {}
    for audience in ("program", "pair", "sponsor"):
        found = suggest(
            reg, "pairing", "l", leaders, mentors, on=ON, top=top, min_score=bar, audience=audience
        )
        assert_ranked_by_shown_score(found)
        assert all(bar is None or s.score >= bar for s in found.suggestions)
        if audience != "program":
            # What a pair or a sponsor sees is what a program blind to gender and race shows.
            off = suggest(
                reg,
                "pairing",
                "l",
                leaders,
                mentors,
                on=ON,
                top=top,
                min_score=bar,
                audience="program",
                weights={"gender": 0, "race": 0},
            )
            assert shown(found) == shown(off)
            assert (found.feasible, found.infeasible) == (off.feasible, off.infeasible)
            blind[audience] = shown(found)
    assert blind["pair"] == blind["sponsor"]


def test_suggesting_for_an_unknown_leader_or_a_bad_top_is_a_clear_error(reg: Registry) -> None:
    with pytest.raises(UnknownIdError):
        suggest(reg, "pairing", "nobody", [leader("l1")], [mentor("m")], on=ON)
    with pytest.raises(InputError, match="top"):
        suggest(reg, "pairing", "l1", [leader("l1")], [mentor("m")], on=ON, top=0)


# -- what each constraint costs --------------------------------------------------


def test_explain_constraints_reports_each_bound_and_what_blocks_each_unmatched_leader(
    reg: Registry,
) -> None:
    leaders = [
        leader("near1", location=near(50)),
        leader("near2", location=near(55)),
        leader("edge", location=near(-60), supervisor="boss"),
    ]
    mentors = [
        mentor("m1", location=near(50), capacity=2),
        mentor("boss", location=near(-60)),
        mentor("south", location=near(-180)),
    ]
    plain = run(reg, leaders, mentors)
    result = run(reg, leaders, mentors, explain_constraints=True)
    assert pairs(result) == pairs(plain)
    assert len(result.assignments) == 2
    costs = {c.bound: c for c in result.constraints}
    assert set(costs) == {"distance", "mentor_rule", "same_school", "supervisor"}
    assert (costs["distance"].setting, costs["distance"].relaxed_to) == ("100 km", "150 km")
    # 150 km reaches "south" (and the full "m1") for "edge": one more leader matched.
    assert costs["distance"].more_matched == 1
    assert costs["supervisor"].more_matched == 1
    assert costs["mentor_rule"].more_matched == 0
    for cost in costs.values():
        assert cost.score_change == pytest.approx(cost.total_score_relaxed - cost.total_score)
    [unmatched] = result.unmatched
    assert unmatched.leader == "edge"
    assert unmatched.blocking is not None
    # Both the distance step and lifting the supervisor rule open one mentor with a place
    # left; the distance step opens two mentors in all.
    assert unmatched.blocking.bound == "distance"
    assert unmatched.blocking.reason == (
        "no mentor within 100 km is feasible; 2 more are 100 to 150 km away (1 with a place left)"
    )
    assert (unmatched.blocking.full, unmatched.blocking.relaxed) == (0, 2)
    data = result.to_data()
    assert {c["bound"] for c in data["constraints"]} == set(costs)
    assert data["unmatched"][0]["blocking"]["bound"] == "distance"


def test_explain_constraints_covers_the_minimum_score(reg: Registry) -> None:
    leaders = [leader("l1", goals=("assessment",)), leader("l2", location=near(80))]
    mentors = [mentor("m", capacity=2, expertise=("assessment",))]
    matrix = score_matrix(reg, "pairing", leaders, mentors, on=ON)
    low = matrix.scores[matrix.leaders.index("l2"), 0]
    result = run(reg, leaders, mentors, min_score=low + 0.25, explain_constraints=True)
    costs = {c.bound: c for c in result.constraints}
    assert costs["min_score"].more_matched == 1
    assert costs["min_score"].score_change == pytest.approx(low)
    [unmatched] = result.unmatched
    assert unmatched.blocking is not None
    assert unmatched.blocking.bound == "min_score"


# -- bounds -----------------------------------------------------------------------


def test_a_huge_capacity_or_weight_is_an_input_error(reg: Registry) -> None:
    with pytest.raises(InputError, match="capacity"):
        run(reg, [leader("l1")], [mentor("m", capacity=10**9)])
    with pytest.raises(InputError, match=r"weights\.goals"):
        run(reg, [leader("l1")], [mentor("m")], weights={"goals": 1e12})


def test_capacity_as_flow_needs_no_memory_for_places_nobody_can_take(reg: Registry) -> None:
    # 1,000 places for 3 leaders: the network has one arc per pair, not per place.
    result = run(reg, [leader(f"l{i}") for i in range(3)], [mentor("m", capacity=1000)])
    assert len(result.assignments) == 3


def test_a_leader_without_a_feasible_mentor_counts_each_constraint_once_even_far_away(
    reg: Registry,
) -> None:
    shared = leader("x").school
    assert shared is not None
    lonely = leader("lonely", location=near(0), supervisor="boss", school=shared)
    mentors = [
        mentor("boss", location=near(500)),
        mentor("colleague", location=near(600), school=shared),
        mentor("excluded", location=near(700)),
        mentor("far1", location=near(800)),
        mentor("far2", location=near(900)),
        mentor("unlicensed", credentials=()),
    ]
    result = run(reg, [lonely], mentors, exclude=[("lonely", "excluded")])
    [unmatched] = result.unmatched
    assert unmatched.reason == (
        "no feasible mentor among 6: not qualified under the program's mentor rule: 1; "
        "excluded by the caller: 1; the leader's supervisor (conflict of interest): 1; "
        "in the leader's school (conflict of interest): 1; "
        "farther than 100 km for on-site work: 2"
    )
