"""What each hard constraint costs a cohort, and what blocks each unmatched leader.

``match(..., explain_constraints=True)`` (``mentorcore match
--explain-constraints``) runs the match again once per hard bound the
program sets, with that bound alone relaxed to its next documented step,
and reports in ``constraints`` how many more leaders would be matched and
how the total score would change. The steps (:data:`STEPS`):

``distance``
    the bound for on-site work, raised by :data:`DISTANCE_STEP_KM` (50 km:
    IPA's 150 km becomes 200 km); only where a bound is in force.
``mentor_rule``
    the program's mentor rule lifted: mentors who do not qualify are
    possible; only where the program has a mentor rule.
``same_school``
    the conflict of interest of a mentor in the leader's school lifted.
``supervisor``
    the conflict of interest of the leader's supervisor lifted.
``min_score``
    the minimum score lowered by :data:`MIN_SCORE_STEP` (0.5 points, not
    below 0); only where a minimum score is given.

Kept and pinned pairs, exclusions and declines stay as they are in every
run. These are the figures of a "what if", not advice to relax a bound: a
conflict of interest is a rule of the program.

Each unmatched leader gets ``blocking``: the bound whose next step would
give them the most mentors with a place left (then the most mentors), with
a sentence such as "3 mentors within 150 km are full; 2 more are 150 to 200
km away (1 with a place left)". ``bound`` is ``None`` where no single step
would give them a mentor.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import attrs
from attrs import frozen

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from mentorcore.matching.engine import MatchResult, Unmatched, _Options, _Problem

__all__ = [
    "DISTANCE_STEP_KM",
    "MIN_SCORE_STEP",
    "STEPS",
    "Blocking",
    "ConstraintCost",
    "explain",
]

#: How far the distance bound is raised to see what it costs.
DISTANCE_STEP_KM = 50.0

#: How far the minimum score is lowered to see what it costs.
MIN_SCORE_STEP = 0.5

#: The hard bounds whose cost is reported, in order.
STEPS = ("distance", "mentor_rule", "same_school", "supervisor", "min_score")


@frozen
class ConstraintCost:
    """What one hard bound costs: the match again with the bound relaxed one step.

    ``setting`` and ``relaxed_to`` say the bound and its next step in words
    (``"150 km"``, ``"200 km"``; ``"in force"``, ``"lifted"``);
    ``more_matched`` is how many more leaders the relaxed match pairs, and
    ``score_change`` how its total score differs (both may be 0).
    """

    bound: str
    setting: str
    relaxed_to: str
    matched: int
    matched_relaxed: int
    more_matched: int
    total_score: float
    total_score_relaxed: float
    score_change: float


@frozen
class Blocking:
    """What keeps an unmatched leader unmatched.

    ``full`` is how many feasible mentors they had (all full); ``bound`` the
    bound whose next step would give them the most mentors with a place left
    (``None``: no single step would); ``relaxed`` how many more mentors that
    step gives, ``with_place`` how many of those have a place left.
    """

    bound: str | None
    reason: str
    full: int
    relaxed: int
    with_place: int


def _bounds(options: _Options, problem: _Problem) -> list[tuple[str, str, str, _Options]]:
    """(bound, setting, relaxed to, options of the relaxed run) for each bound in force."""
    found: list[tuple[str, str, str, _Options]] = []
    if problem.limit is not None:
        wider = problem.limit + DISTANCE_STEP_KM
        found.append(
            (
                "distance",
                f"{problem.limit:g} km",
                f"{wider:g} km",
                attrs.evolve(options, max_distance_km=wider),
            )
        )
    if problem.has_rule:
        found.append(
            (
                "mentor_rule",
                "in force",
                "lifted",
                attrs.evolve(options, relax=options.relax | {"mentor_rule"}),
            )
        )
    for bound in ("same_school", "supervisor"):
        found.append(
            (bound, "in force", "lifted", attrs.evolve(options, relax=options.relax | {bound}))
        )
    if problem.min_score is not None:
        lower = max(0.0, problem.min_score - MIN_SCORE_STEP)
        found.append(
            (
                "min_score",
                f"{problem.min_score:g}",
                f"{lower:g}",
                attrs.evolve(options, min_score=lower),
            )
        )
    return found


def explain(options: _Options, result: MatchResult) -> MatchResult:
    """``result`` with ``constraints`` (what each bound costs) and each unmatched leader's
    ``blocking``."""
    from mentorcore.matching.engine import _prepare_options, _solve_problem

    problem = _prepare_options(options)
    costs = []
    for bound, setting, relaxed_to, relaxed in _bounds(options, problem):
        other = _solve_problem(relaxed)
        costs.append(
            ConstraintCost(
                bound=bound,
                setting=setting,
                relaxed_to=relaxed_to,
                matched=len(result.assignments),
                matched_relaxed=len(other.assignments),
                more_matched=len(other.assignments) - len(result.assignments),
                total_score=result.total_score,
                total_score_relaxed=other.total_score,
                score_change=other.total_score - result.total_score,
            )
        )
    unmatched = tuple(
        attrs.evolve(u, blocking=_blocking(problem, result, u)) for u in result.unmatched
    )
    return attrs.evolve(result, constraints=tuple(costs), unmatched=unmatched)


def _blocking(problem: _Problem, result: MatchResult, unmatched: Unmatched) -> Blocking:
    import numpy as np

    from mentorcore.matching.engine import _scores

    leader = next(k for k, person in enumerate(problem.leaders) if person.id == unmatched.leader)
    n_m = len(problem.mentors)
    mentors = np.arange(n_m, dtype=np.intp)
    rows = np.full(n_m, leader, dtype=np.intp)
    failed = problem.constraints.failures(rows, mentors, distance=False)
    fixed = failed["excluded"] | failed["declined"]
    not_qualified = ~problem.eligible
    limit = problem.limit
    far: npt.NDArray[np.bool_] = np.zeros(n_m, dtype=bool)
    just_beyond: npt.NDArray[np.bool_] = np.zeros(n_m, dtype=bool)
    if limit is not None:
        km = problem.constraints.cohort.distance_km(rows, mentors)
        with np.errstate(invalid="ignore"):
            far = km > limit
            just_beyond = far & (km <= limit + DISTANCE_STEP_KM)
    low: npt.NDArray[np.bool_] = np.zeros(n_m, dtype=bool)
    just_below: npt.NDArray[np.bool_] = np.zeros(n_m, dtype=bool)
    lower = 0.0
    if problem.min_score is not None:
        # As in the match: the bar is on the score without sensitive criteria.
        scores = _scores(problem.prepared, problem.gates, rows, mentors, sensitive=False)
        lower = max(0.0, problem.min_score - MIN_SCORE_STEP)
        low = scores < problem.min_score
        just_below = low & (scores >= lower)
    blocks = {
        "distance": (far, just_beyond),
        "mentor_rule": (not_qualified, not_qualified),
        "same_school": (failed["same_school"], failed["same_school"]),
        "supervisor": (failed["supervisor"], failed["supervisor"]),
        "min_score": (low, just_below),
    }
    loads = {load.mentor: load.load for load in result.loads}
    place = (
        np.array([loads.get(m.id, 0) < m.capacity for m in problem.mentors], dtype=bool) & ~fixed
    )
    feasible = ~fixed
    for ruled, _ in blocks.values():
        feasible &= ~ruled
    full = int(feasible.sum())
    best: tuple[int, int, str] | None = None
    for bound in STEPS:
        ruled, step = blocks[bound]
        others = fixed.copy()
        for name, (other_ruled, _) in blocks.items():
            if name != bound:
                others |= other_ruled
        opened = step & ~others
        count, open_count = int(opened.sum()), int((opened & place).sum())
        if count and (best is None or (open_count, count) > (best[0], best[1])):
            best = (open_count, count, bound)
    within = f" within {limit:g} km" if limit is not None else ""
    head = (
        f"{full} mentor{'s' if full != 1 else ''}{within} {'are' if full != 1 else 'is'} full"
        if full
        else f"no mentor{within} is feasible"
    )
    if best is None:
        return Blocking(None, f"{head}; no single bound's next step gives a mentor", full, 0, 0)
    open_count, count, bound = best
    assert problem.min_score is not None or bound != "min_score"
    phrase = {
        "distance": f"{count} more {'are' if count != 1 else 'is'} "
        f"{limit or 0:g} to {(limit or 0) + DISTANCE_STEP_KM:g} km away",
        "mentor_rule": f"{count} more {'do' if count != 1 else 'does'} not qualify under the "
        "mentor rule",
        "same_school": f"{count} more {'work' if count != 1 else 'works'} in the leader's school",
        "supervisor": "the leader's supervisor is a mentor",
        "min_score": f"{count} more {'score' if count != 1 else 'scores'} "
        f"{lower:g} to {problem.min_score or 0:g}",
    }[bound]
    if open_count < count:
        phrase += f" ({open_count} with a place left)"
    return Blocking(bound, f"{head}; {phrase}", full, count, open_count)
