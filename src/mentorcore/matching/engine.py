"""The matching engine: hard constraints, weighted scores, an optimal assignment.

:func:`match` takes a program's match settings, a cohort of leaders and
mentors, and returns a :class:`MatchResult`:

1. **Hard constraints** decide which pairs are possible at all: the mentor
   qualifies under the program's mentor rule (``registry.decide``), has a
   place left (``capacity`` less pinned leaders), works within
   ``max_distance_km`` of the leader where both locations are known (IPA's
   on-site sessions), has no conflict of interest (same school by
   ``School.key``, or the mentor is the leader's supervisor), and the pair
   is not excluded by the caller. Pinned pairs are fixed before anything else.
2. **Scores**: each weighted criterion scores every possible pair, vectorised
   with NumPy; a pair's score is the weighted sum of its criterion scores.
   Gender and race (criteria marked ``sensitive``) count only for leaders
   whose ``prefer_same`` names them and where both sides are known.
3. **Assignment**: the assignment that follows the objective
   (``participation``: most leaders matched, then the largest total score;
   ``score``: the largest total score) within every mentor's capacity, as a
   capacitated min-cost flow (:mod:`mentorcore.matching.solver`): one arc
   per feasible pair, the capacity on the mentor's arc, so time and memory
   grow with the feasible pairs, not pairs x capacity. ``min_score`` drops
   the pairs scoring below it first (their score without sensitive
   criteria, so that no audience is shown a score below the bar).
4. **Explanations** are written only for the chosen pairs: each
   assignment's per-criterion reasons, why each unmatched leader is
   unmatched, and each mentor's load.

Results are deterministic: leaders and mentors are ordered by id first.

**Audience.** A result is built for an audience (:class:`~mentorcore.engagements.Visibility`):
only ``program`` (program staff) sees sensitive criteria — their weights,
scores and reasons. For every other audience they are left out, and
``score`` and ``total_score`` leave out their contribution, so nothing in
the output reveals them.

NumPy and SciPy are imported when :func:`match` runs, never at import time.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Callable, Iterable, Iterator, Mapping, Sequence
from typing import TYPE_CHECKING, Any

import attrs
from attrs import field, frozen

from mentorcore.audience import sees_sensitive_criteria
from mentorcore.engagements import Visibility
from mentorcore.errors import Described, InputError, MentorcoreError, UnknownIdError
from mentorcore.matching.costs import Blocking, ConstraintCost
from mentorcore.matching.criteria import (
    DEFAULT_WEIGHTS,
    EARTH_RADIUS_KM,
    Cohort,
    Criterion,
    PairScorer,
    Param,
)
from mentorcore.matching.pairs import PairAction
from mentorcore.people import Leader, Mentor
from mentorcore.programs import MatchSettings, Program
from mentorcore.validation import MAX_CAPACITY, MAX_WEIGHT, check_bounds

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    from mentorcore.registry import Registry

    Indices = npt.NDArray[np.intp]
    Floats = npt.NDArray[np.float64]

__all__ = [
    "Assignment",
    "FeasiblePairs",
    "Load",
    "MatchError",
    "MatchResult",
    "MentorExcluded",
    "Reason",
    "ScoreMatrix",
    "Unmatched",
    "WeightedCriterion",
    "feasible_pairs",
    "match",
    "parse_pairs",
    "parse_weights",
    "resolve_weights",
    "score_matrix",
]

#: Unmatched reason codes.
NO_FEASIBLE_MENTOR = "no_feasible_mentor"
FEASIBLE_MENTORS_FULL = "feasible_mentors_full"
BELOW_MIN_SCORE = "below_min_score"

# MAX_CAPACITY (the largest capacity a mentor may have) and MAX_WEIGHT (the
# largest weight a criterion may have, so that scores stay within the solver's
# integer range at a fine resolution; see :mod:`mentorcore.matching.solver`)
# are the documented bounds of :mod:`mentorcore.validation`, imported above.

# Pairs are examined in blocks of at most this many, bounding memory on large cohorts.
_BLOCK = 2_000_000


class MatchError(MentorcoreError):
    """A cohort, its pins or its weights cannot be matched as given."""


@frozen
class WeightedCriterion:
    """A criterion in force for a match, with its weight and parameters."""

    criterion: Criterion
    weight: float
    params: Mapping[str, Param] = field(factory=dict)


@frozen
class Reason:
    """One criterion's part in a pair's score.

    ``score`` is the criterion's score in [0, 1] (``None``: it did not apply
    to this pair and contributed nothing); ``points`` is ``weight * score``;
    ``attributes`` are the people's attributes the reason was computed from
    (``leader.goals``, ``mentor.expertise``), as its criterion declares them.
    """

    criterion: str
    weight: float
    score: float | None
    points: float
    reason: str
    sensitive: bool = False
    attributes: tuple[str, ...] = ()


@frozen
class Assignment:
    """A leader assigned to a mentor, with the pair's score and its reasons.

    ``pinned``: fixed by the caller (``pin``); ``kept``: an existing match
    kept from a pairs file (``keep``).
    """

    leader: str
    mentor: str
    score: float
    reasons: tuple[Reason, ...]
    pinned: bool = False
    kept: bool = False


@frozen
class Unmatched:
    """A leader left without a mentor, and why.

    ``code`` is ``no_feasible_mentor`` (every mentor is ruled out by a hard
    constraint), ``feasible_mentors_full`` (every possible mentor is at
    capacity) or ``below_min_score`` (every possible pair scores below the
    minimum score); ``feasible_mentors`` lists the mentors that were possible;
    ``blocking`` (with ``explain_constraints``) the bound that blocks them.
    """

    leader: str
    code: str
    reason: str
    feasible_mentors: tuple[str, ...] = ()
    blocking: Blocking | None = None


@frozen
class Load:
    """A mentor's load after the match: capacity, leaders assigned."""

    mentor: str
    capacity: int
    leaders: tuple[str, ...]

    @property
    def load(self) -> int:
        """How many leaders the mentor has."""
        return len(self.leaders)


@frozen
class BrokenKeep:
    """A kept pair (``keep`` in a pairs file) that could not stay, and why."""

    leader: str
    mentor: str
    reason: str


@frozen
class MentorExcluded:
    """A mentor who does not qualify under the program's mentor rule, and why."""

    mentor: str
    outcome: str
    reason: str


@frozen
class MatchResult:
    """The outcome of a match for one audience.

    ``total_score`` is the sum of the assignments' scores; ``components`` is
    the number of independent parts of the cohort's feasibility graph;
    ``objective`` is ``participation`` or ``score``; ``min_score`` the
    minimum score of a match, if any; ``broken_keeps`` the kept pairs that
    could not stay; ``constraints`` (with ``explain_constraints``) what each
    hard bound costs.
    """

    program: str
    on: dt.date
    audience: Visibility
    weights: Mapping[str, float]
    assignments: tuple[Assignment, ...]
    unmatched: tuple[Unmatched, ...]
    loads: tuple[Load, ...]
    excluded_mentors: tuple[MentorExcluded, ...]
    total_score: float
    components: int
    objective: str = "participation"
    min_score: float | None = None
    broken_keeps: tuple[BrokenKeep, ...] = ()
    constraints: tuple[ConstraintCost, ...] = ()

    def assignment(self, leader: str) -> Assignment | None:
        """The assignment of a leader, if matched."""
        for assignment in self.assignments:
            if assignment.leader == leader:
                return assignment
        return None

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: ``mentorcore.to_data(result)``."""
        from mentorcore.output import to_data

        data: dict[str, Any] = to_data(self)
        return data


# -- inputs ---------------------------------------------------------------------


def parse_weights(text: str | Iterable[str], known: Iterable[str] = ()) -> dict[str, float]:
    """Parse ``"goals=2,distance=0.5"`` (or several such strings) into weights.

    With ``known`` given, an unknown name is an
    :class:`~mentorcore.errors.UnknownIdError` listing the known ones.
    """
    parts: list[str] = []
    for chunk in [text] if isinstance(text, str) else text:
        parts.extend(p.strip() for p in chunk.split(",") if p.strip())
    known_ids = set(known)
    weights: dict[str, float] = {}
    for part in parts:
        name, sep, value = part.partition("=")
        name = name.strip()
        if not sep or not name:
            raise InputError(path="--weights", found=part, expected="NAME=NUMBER, such as goals=2")
        try:
            number = float(value)
        except ValueError:
            raise InputError(
                path=f"--weights {name}", found=value.strip(), expected="a number"
            ) from None
        if known_ids and name not in known_ids:
            raise UnknownIdError("matching criterion (weight name)", name, known_ids)
        check_bounds(number, 0, MAX_WEIGHT, path=f"--weights {name}")
        weights[name] = number
    return weights


def parse_pairs(texts: Iterable[str], option: str = "--pin") -> list[tuple[str, str]]:
    """Parse ``"LEADER:MENTOR"`` strings (each may hold several, comma-separated)."""
    pairs: list[tuple[str, str]] = []
    for text in texts:
        for part in (p.strip() for p in text.split(",")):
            if not part:
                continue
            leader, sep, mentor = part.partition(":")
            if not sep or not leader.strip() or not mentor.strip():
                raise InputError(path=option, found=part, expected="LEADER_ID:MENTOR_ID")
            pairs.append((leader.strip(), mentor.strip()))
    return pairs


def resolve_weights(
    registry: Registry, settings: MatchSettings, overrides: Mapping[str, float] | None = None
) -> tuple[WeightedCriterion, ...]:
    """The criteria in force: the program's weights, then the caller's overrides.

    A program that lists no criteria gets every core criterion at its
    :data:`~mentorcore.matching.criteria.DEFAULT_WEIGHTS` weight. An override
    may name any registered criterion (``0`` turns one off); an unknown name
    is an :class:`~mentorcore.errors.UnknownIdError` listing the known ones.
    Criteria of weight 0 are dropped.
    """
    chosen: dict[str, tuple[float, Mapping[str, Param]]] = {}
    if settings.criteria:
        for entry in settings.criteria:
            chosen[entry.criterion] = (float(entry.weight), dict(entry.params))
    else:
        for ident, weight in DEFAULT_WEIGHTS.items():
            if ident in registry.criteria:
                chosen[ident] = (weight, {})
    for name, weight in (overrides or {}).items():
        if name not in registry.criteria:
            raise UnknownIdError("matching criterion (weight name)", name, registry.criteria)
        if (
            not isinstance(weight, (int, float))
            or isinstance(weight, bool)
            or not math.isfinite(weight)
            or not 0 <= weight <= MAX_WEIGHT
        ):
            raise InputError(
                path=f"weights.{name}", found=weight, expected=f"a number from 0 to {MAX_WEIGHT:g}"
            )
        params = chosen[name][1] if name in chosen else {}
        chosen[name] = (float(weight), params)
    result = []
    for name, (weight, params) in chosen.items():
        if name not in registry.criteria:
            raise UnknownIdError("matching criterion", name, registry.criteria)
        if not math.isfinite(weight) or not 0 <= weight <= MAX_WEIGHT:
            raise InputError(
                path=f"matching.criteria.{name}.weight",
                found=weight,
                expected=f"a number from 0 to {MAX_WEIGHT:g}",
            )
        if weight > 0:
            result.append(WeightedCriterion(registry.criteria[name], weight, params))
    return tuple(result)


def _people(values: Iterable[Any], cls: type[Any], what: str) -> list[Any]:
    people = list(values)
    seen: set[str] = set()
    for index, person in enumerate(people):
        if not isinstance(person, cls):
            raise InputError(
                path=f"{what}[{index}]", found=type(person).__name__, expected=f"a {cls.__name__}"
            )
        if isinstance(person, Mentor) and person.capacity > MAX_CAPACITY:
            raise InputError(
                path=f"{what}[{index}].capacity",
                found=Described(f"{person.capacity:,} for {person.id!r}"),
                expected=f"a capacity of at most {MAX_CAPACITY:,} leaders",
            )
        if person.id in seen:
            raise InputError(
                path=f"{what}[{index}].id",
                found=Described(f"{person.id!r} twice"),
                expected="unique ids",
            )
        seen.add(person.id)
    return sorted(people, key=lambda p: p.id)


def _pair_indices(
    pairs: Iterable[tuple[str, str]],
    leaders: Mapping[str, int],
    mentors: Mapping[str, int],
    what: str,
) -> list[tuple[int, int]]:
    found = []
    for leader, mentor in pairs:
        if leader not in leaders:
            raise UnknownIdError(f"leader (in {what})", leader, leaders)
        if mentor not in mentors:
            raise UnknownIdError(f"mentor (in {what})", mentor, mentors)
        found.append((leaders[leader], mentors[mentor]))
    return found


# -- the engine -----------------------------------------------------------------


class _Constraints:
    """The hard constraints, vectorised over pairs of indices."""

    def __init__(
        self,
        cohort: Cohort,
        max_distance_km: float | None,
        excluded: Iterable[tuple[int, int]],
        declined: Mapping[tuple[int, int], str | None] | None = None,
        relax: frozenset[str] = frozenset(),
    ) -> None:
        import numpy as np

        self.cohort = cohort
        self.relax = relax
        self._tree: tuple[Indices, Indices, Any] | None = None
        self.declined_reasons = dict(declined or {})
        self.max_km = max_distance_km
        self.n_mentors = len(cohort.mentors)
        self.school_l, self.school_m, _ = cohort.codes(
            "school_key", lambda p: p.school.key if p.school is not None else None
        )
        index = {m.id: j for j, m in enumerate(cohort.mentors)}
        self.supervisor = np.array(
            [
                index.get(leader.supervisor, -1) if leader.supervisor else -1
                for leader in cohort.leaders
            ],
            dtype=np.intp,
        )
        keys = sorted(i * self.n_mentors + j for i, j in excluded)
        self.excluded = np.array(keys, dtype=np.int64)
        keys = sorted(i * self.n_mentors + j for i, j in self.declined_reasons)
        self.declined = np.array(keys, dtype=np.int64)

    def failures(
        self, li: Indices, mj: Indices, distance: bool = True
    ) -> dict[str, npt.NDArray[np.bool_]]:
        """Where each hard constraint fails (``distance=False``: the bound is not checked)."""
        import numpy as np

        a, b = self.school_l[li], self.school_m[mj]
        key = li.astype(np.int64) * self.n_mentors + mj
        none = np.zeros(len(li), dtype=bool)
        failed = {
            "excluded": np.isin(key, self.excluded) if len(self.excluded) else none,
            "declined": np.isin(key, self.declined) if len(self.declined) else none,
            "same_school": none if "same_school" in self.relax else (a >= 0) & (a == b),
            "supervisor": none if "supervisor" in self.relax else self.supervisor[li] == mj,
        }
        if self.max_km is not None and distance:
            km = self.cohort.distance_km(li, mj)
            with np.errstate(invalid="ignore"):
                failed["too_far"] = km > self.max_km
        return failed

    def worth_examining(self, leader: int, mentors: Indices) -> tuple[Indices, int]:
        """Of ``mentors``, those one must examine to say why ``leader`` has none, and how
        many others there are: those are beyond the distance bound and break nothing else.

        Without a bound, or for a leader without coordinates, every mentor is examined.
        """
        import numpy as np

        where_l, where_m = self.cohort.coordinates()
        if self.max_km is None or np.isnan(where_l[leader, 0]) or not len(mentors):
            return mentors, 0
        from scipy.spatial import cKDTree

        known = mentors[~np.isnan(where_m[mentors, 0])]
        if self._tree is None or not np.array_equal(self._tree[0], mentors):
            self._tree = (mentors, known, cKDTree(_unit(where_m[known])) if len(known) else None)
        _, known, tree = self._tree
        angle = min(self.max_km / EARTH_RADIUS_KM, math.pi)
        chord = 2.0 * math.sin(angle / 2.0) * (1.0 + 1e-9) + 1e-12
        near = (
            known[
                np.array(tree.query_ball_point(_unit(where_l[[leader]])[0], chord), dtype=np.intp)
            ]
            if tree is not None
            else np.zeros(0, dtype=np.intp)
        )
        special = [mentors[np.isnan(where_m[mentors, 0])], near]
        if self.supervisor[leader] >= 0:
            special.append(np.array([self.supervisor[leader]], dtype=np.intp))
        if self.school_l[leader] >= 0:
            special.append(np.flatnonzero(self.school_m == self.school_l[leader]))
        for keys in (self.excluded, self.declined):
            low, high = np.searchsorted(
                keys, [leader * self.n_mentors, (leader + 1) * self.n_mentors]
            )
            special.append((keys[low:high] - leader * self.n_mentors).astype(np.intp))
        examined = np.intersect1d(np.concatenate(special), mentors)
        return examined, len(mentors) - len(examined)

    def feasible(self, li: Indices, mj: Indices, near: bool = False) -> npt.NDArray[np.bool_]:
        """Where no hard constraint fails (``near``: the pairs are known to be within the bound)."""
        import numpy as np

        ok = np.ones(len(li), dtype=bool)
        for failed in self.failures(li, mj, distance=not near).values():
            ok &= ~failed
        return ok


_WORDS = {
    "excluded": "excluded by the caller",
    "declined": "declined (never to be matched again)",
    "same_school": "in the leader's school (conflict of interest)",
    "supervisor": "the leader's supervisor (conflict of interest)",
    "too_far": "farther than {km:g} km for on-site work",
}


def _candidates(
    cohort: Cohort, leaders: Indices, mentors: Indices, limit: float | None
) -> Iterator[tuple[Indices, Indices, bool, Floats | None]]:
    """Candidate pairs in blocks: every pair, or with a distance bound only the near ones.

    The flag says the block is known to be within the bound; the last item
    is the pairs' distances in km where the k-d tree found them.

    With a bound, a k-d tree over points on the unit sphere finds the pairs
    within the bound's chord, so a national cohort never enumerates every
    pair; people without coordinates are paired with everyone (the bound
    cannot be checked for them).
    """
    import numpy as np

    def every(rows: Indices, cols: Indices) -> Iterator[tuple[Indices, Indices, bool, None]]:
        if not len(rows) or not len(cols):
            return
        per_block = max(1, _BLOCK // len(cols))
        for begin in range(0, len(rows), per_block):
            block = rows[begin : begin + per_block]
            yield np.repeat(block, len(cols)), np.tile(cols, len(block)), False, None

    if limit is None or not len(leaders) or not len(mentors):
        yield from every(leaders, mentors)
        return
    from scipy.spatial import cKDTree

    where_l, where_m = cohort.coordinates()
    known_l = leaders[~np.isnan(where_l[leaders, 0])]
    known_m = mentors[~np.isnan(where_m[mentors, 0])]
    yield from every(leaders[np.isnan(where_l[leaders, 0])], mentors)
    yield from every(known_l, mentors[np.isnan(where_m[mentors, 0])])
    if not len(known_l) or not len(known_m):
        return

    unit = _unit
    angle = min(limit / EARTH_RADIUS_KM, math.pi)
    chord_exact = 2.0 * math.sin(angle / 2.0)
    chord = chord_exact * (1.0 + 1e-9) + 1e-12
    tree_l = cKDTree(unit(where_l[known_l]))
    tree_m = cKDTree(unit(where_m[known_m]))
    near = tree_l.sparse_distance_matrix(tree_m, chord, output_type="ndarray")
    # The chord bound is exact up to rounding; a pair at the very edge is checked again.
    found_l, found_m = known_l[near["i"]], known_m[near["j"]]
    edge = near["v"] > chord_exact * (1.0 - 1e-9)
    # Within the bound the tree's chord gives the great-circle distance directly.
    km = 2.0 * EARTH_RADIUS_KM * np.arcsin(np.minimum(near["v"] / 2.0, 1.0))
    yield found_l[~edge], found_m[~edge], True, km[~edge]
    yield found_l[edge], found_m[edge], False, km[edge]


def _unit(points: Floats) -> Floats:
    """Points given as (latitude, longitude) in radians, on the unit sphere."""
    import numpy as np

    lat, lon = points[:, 0], points[:, 1]
    xyz: Floats = np.column_stack(
        (np.cos(lat) * np.cos(lon), np.cos(lat) * np.sin(lon), np.sin(lat))
    )
    return xyz


def _scores(
    weighted: Sequence[tuple[WeightedCriterion, PairScorer]],
    gates: Mapping[str, npt.NDArray[np.bool_]],
    li: Indices,
    mj: Indices,
    *,
    sensitive: bool,
) -> Floats:
    """The weighted score of each pair; ``sensitive=False`` leaves sensitive criteria out."""
    import numpy as np

    total = np.zeros(len(li))
    for entry, scorer in weighted:
        if entry.criterion.sensitive and not sensitive:
            continue
        values = scorer.scores(li, mj)
        if entry.criterion.sensitive:
            values = np.where(gates[entry.criterion.id][li], values, np.nan)
        values = np.where(np.isnan(values), 0.0, values)  # does not apply: no points
        values *= entry.weight
        total += values
    return total


class _Problem:
    """A cohort prepared for solving: people in id order, feasible pairs and their scores."""

    leaders: list[Leader]
    mentors: list[Mentor]
    program: Program
    on: dt.date
    staff: bool
    audience: Visibility
    weighted: tuple[WeightedCriterion, ...]
    limit: float | None
    eligible: npt.NDArray[np.bool_]
    left_out: list[MentorExcluded]
    capacity: Indices
    pinned: list[tuple[int, int]]
    pinned_leader: npt.NDArray[np.bool_]
    constraints: _Constraints
    prepared: list[tuple[WeightedCriterion, PairScorer]]
    gates: dict[str, npt.NDArray[np.bool_]]
    all_l: Indices
    all_m: Indices
    min_score: float | None
    below_l: Indices
    below_top: Floats
    li: Indices
    mj: Indices
    scores: Floats
    has_rule: bool
    kept: list[tuple[int, int]]
    broken_keeps: list[BrokenKeep]


def _prepare_options(options: _Options) -> _Problem:
    """:func:`_prepare` with a run's options (the match itself and each relaxed re-run)."""
    return _prepare(
        options.registry,
        options.program,
        options.leaders,
        options.mentors,
        options.on,
        options.weights,
        options.exclude,
        options.pin,
        options.max_distance_km,
        options.audience,
        options.min_score,
        options.pairs,
        options.relax,
    )


def _prepare(
    registry: Registry,
    program: str | Program,
    leaders: Iterable[Leader],
    mentors: Iterable[Mentor],
    on: dt.date | None,
    weights: Mapping[str, float] | None,
    exclude: Iterable[tuple[str, str]],
    pin: Iterable[tuple[str, str]],
    max_distance_km: float | None,
    audience: Visibility | str,
    min_score: float | None = None,
    pairs: Iterable[PairAction] = (),
    relax: frozenset[str] = frozenset(),
) -> _Problem:
    import numpy as np

    p = _Problem()
    if min_score is not None and (
        isinstance(min_score, bool)
        or not isinstance(min_score, (int, float))
        or not math.isfinite(min_score)
        or min_score < 0
    ):
        raise InputError(path="min_score", found=min_score, expected="a number 0 or more")
    prog = registry.program(program) if isinstance(program, str) else program
    view = _visibility(audience)
    settings = prog.matching or MatchSettings()
    day = on or dt.date.today()
    people_l: list[Leader] = _people(leaders, Leader, "leaders")
    people_m: list[Mentor] = _people(mentors, Mentor, "mentors")
    if not people_l:
        raise MatchError("no leaders to match: the cohort is empty")
    if not people_m:
        raise MatchError("no mentors to match leaders with")
    empty = [m.id for m in people_m if m.capacity < 1]
    if empty:
        raise MatchError(
            "mentors with capacity 0 cannot be matched: "
            + ", ".join(empty)
            + "; give each a capacity of 1 or more, or leave them out"
        )
    weighted = resolve_weights(registry, settings, weights)
    limit = settings.max_distance_km if max_distance_km is None else max_distance_km
    if limit is not None and (not math.isfinite(limit) or limit <= 0):
        raise InputError(path="max_distance_km", found=limit, expected="a positive number of km")
    leader_index = {person.id: i for i, person in enumerate(people_l)}
    mentor_index = {person.id: j for j, person in enumerate(people_m)}
    excluded = _pair_indices(exclude, leader_index, mentor_index, "exclude")
    pinned = _pair_indices(pin, leader_index, mentor_index, "pin")
    n_l, n_m = len(people_l), len(people_m)
    # A pairs file outlives a cohort: a row naming someone not in this run
    # does not apply (a keep is reported, a decline simply has nothing to rule out).
    rows = list(pairs)
    declined: dict[tuple[int, int], str | None] = {}
    keeps: list[tuple[int, int, PairAction]] = []
    p.broken_keeps = []
    for row in rows:
        i, j = leader_index.get(row.leader), mentor_index.get(row.mentor)
        if row.action == "never":
            if i is not None and j is not None:
                declined[(i, j)] = row.reason
        elif i is None:
            p.broken_keeps.append(
                BrokenKeep(row.leader, row.mentor, "the leader is not in this run")
            )
        elif j is None:
            p.broken_keeps.append(
                BrokenKeep(row.leader, row.mentor, "the mentor is not in this run")
            )
        else:
            keeps.append((i, j, row))

    # The mentor rule.
    eligible, left_out = _decide_mentors(registry, prog, settings, people_m, day)
    p.has_rule = _has_mentor_rule(prog, settings)
    if "mentor_rule" in relax:
        eligible = np.ones(n_m, dtype=bool)

    aliases = {area.id: area.text for area in settings.goal_areas}
    cohort = Cohort(people_l, people_m, limit, aliases)
    constraints = _Constraints(cohort, limit, excluded, declined, relax)

    # Pins come first and take their places.
    capacity = np.array([m.capacity for m in people_m], dtype=np.intp)
    pinned_leader = np.zeros(n_l, dtype=bool)
    excluded_set = set(excluded)
    for i, j in pinned:
        leader, mentor = people_l[i], people_m[j]
        if pinned_leader[i]:
            raise MatchError(f"leader {leader.id!r} is pinned twice")
        if (i, j) in excluded_set:
            raise MatchError(f"the pair {leader.id}:{mentor.id} is both pinned and excluded")
        if not eligible[j]:
            raise MatchError(
                f"cannot pin {leader.id!r} to {mentor.id!r}: "
                "the mentor does not qualify under the program's mentor rule"
            )
        failed = constraints.failures(np.array([i], dtype=np.intp), np.array([j], dtype=np.intp))
        broken = [name for name, where in failed.items() if where[0]]
        if broken:
            words = ", ".join(_WORDS[b].format(km=limit or 0) for b in broken)
            raise MatchError(f"cannot pin {leader.id!r} to {mentor.id!r}: the mentor is {words}")
        capacity[j] -= 1
        if capacity[j] < 0:
            raise MatchError(
                f"mentor {mentor.id!r} is pinned more leaders than their capacity "
                f"({mentor.capacity})"
            )
        pinned_leader[i] = True

    # Kept pairs next: they stay unless they have become infeasible, which is reported.
    p.kept = []
    for i, j, row in sorted(keeps, key=lambda k: (k[0], k[1])):
        why = ""
        if pinned_leader[i]:
            why = "the leader is pinned or kept with another mentor"
        elif (i, j) in excluded_set:
            why = "the pair is excluded"
        elif not eligible[j]:
            why = "the mentor no longer qualifies under the program's mentor rule"
        else:
            failed = constraints.failures(
                np.array([i], dtype=np.intp), np.array([j], dtype=np.intp)
            )
            broken = [name for name, where in failed.items() if where[0]]
            if broken:
                why = "the mentor is " + ", ".join(_WORDS[b].format(km=limit or 0) for b in broken)
            elif capacity[j] < 1:
                why = f"the mentor is full (capacity {people_m[j].capacity})"
        if why:
            p.broken_keeps.append(BrokenKeep(row.leader, row.mentor, why))
            continue
        capacity[j] -= 1
        pinned_leader[i] = True
        p.kept.append((i, j))
    p.broken_keeps.sort(key=lambda b: (b.leader, b.mentor))

    # Feasible pairs: candidates first (near pairs only, where a distance bound
    # applies), then every hard constraint on the candidates, block by block.
    open_leaders = np.flatnonzero(~pinned_leader)
    candidates = np.flatnonzero(eligible)
    edge_l: list[Indices] = []
    edge_m: list[Indices] = []
    edge_km: list[Floats] = []
    want_km = any(entry.criterion.id == "distance" for entry in weighted)
    for cand_l, cand_m, near, km in _candidates(cohort, open_leaders, candidates, limit):
        ok = constraints.feasible(cand_l, cand_m, near)
        edge_l.append(cand_l[ok])
        edge_m.append(cand_m[ok])
        if want_km:
            edge_km.append(km[ok] if km is not None else cohort.distance_km(cand_l[ok], cand_m[ok]))
    p.all_l = np.concatenate(edge_l) if edge_l else np.zeros(0, dtype=np.intp)
    p.all_m = np.concatenate(edge_m) if edge_m else np.zeros(0, dtype=np.intp)
    if edge_km:
        # The distance criterion scores these very pairs next: their distances are known.
        cohort.know_distances(p.all_l, p.all_m, np.concatenate(edge_km))

    # Scores on the feasible pairs whose mentor has a place left.
    p.prepared = [(entry, entry.criterion.prepare(cohort, entry.params)) for entry in weighted]
    p.gates = {
        entry.criterion.id: np.array(
            [entry.criterion.id in person.prefer_same for person in people_l], dtype=bool
        )
        for entry in weighted
        if entry.criterion.sensitive
    }
    all_scores = _scores(p.prepared, p.gates, p.all_l, p.all_m, sensitive=True)
    # A pair below the minimum score is no match: it leaves the feasible pairs.
    p.min_score = None if min_score is None else float(min_score)
    p.below_l = np.zeros(0, dtype=np.intp)
    p.below_top = np.zeros(0)
    if p.min_score is not None:
        # The bar is on the criteria every audience sees: gender and race move a
        # pair up among those over it, never over it (no shown score is below it).
        visible = _scores(p.prepared, p.gates, p.all_l, p.all_m, sensitive=False)
        low = visible < p.min_score
        p.below_l, p.below_top = p.all_l[low], visible[low]
        keep = ~low
        p.all_l, p.all_m, all_scores = p.all_l[keep], p.all_m[keep], all_scores[keep]
    open_pair = capacity[p.all_m] > 0
    p.li, p.mj, p.scores = p.all_l[open_pair], p.all_m[open_pair], all_scores[open_pair]
    p.leaders, p.mentors, p.program, p.on = people_l, people_m, prog, day
    staff = sees_sensitive_criteria(view)  # the one audience policy
    p.audience, p.staff, p.weighted, p.limit = view, staff, weighted, limit
    p.eligible, p.left_out, p.capacity = eligible, left_out, capacity
    p.pinned, p.pinned_leader, p.constraints = pinned, pinned_leader, constraints
    return p


@frozen
class ScoreMatrix:
    """Every leader-mentor score of a cohort as a dense matrix (for benchmarks and tests).

    ``scores[i, j]`` is the weighted score of ``leaders[i]`` with
    ``mentors[j]``, ``NaN`` where a hard constraint rules the pair out;
    ``capacity[j]`` is the places left for ``mentors[j]``.
    """

    leaders: tuple[str, ...]
    mentors: tuple[str, ...]
    scores: Floats
    capacity: Indices


def score_matrix(
    registry: Registry,
    program: str | Program,
    leaders: Iterable[Leader],
    mentors: Iterable[Mentor],
    *,
    on: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
    exclude: Iterable[tuple[str, str]] = (),
    max_distance_km: float | None = None,
) -> ScoreMatrix:
    """The dense score matrix :func:`match` optimises over (sensitive criteria included).

    Meant for small cohorts, benchmarks and tests: it holds leaders x mentors numbers.
    """
    import numpy as np

    p = _prepare(
        registry,
        program,
        leaders,
        mentors,
        on,
        weights,
        exclude,
        (),
        max_distance_km,
        Visibility.PROGRAM,
    )
    table = np.full((len(p.leaders), len(p.mentors)), np.nan)
    table[p.li, p.mj] = p.scores
    return ScoreMatrix(
        tuple(x.id for x in p.leaders), tuple(x.id for x in p.mentors), table, p.capacity
    )


@frozen
class FeasiblePairs:
    """The feasible pairs of a cohort and their scores, sparse (for benchmarks at scale).

    Pair ``k`` is ``leaders[leader[k]]`` with ``mentors[mentor[k]]``, scored
    ``scores[k]`` (sensitive criteria included), over the mentors with a
    place left; ``capacity[j]`` is the places left for ``mentors[j]``. This
    is the graph :func:`match` solves.
    """

    leaders: tuple[str, ...]
    mentors: tuple[str, ...]
    leader: Indices
    mentor: Indices
    scores: Floats
    capacity: Indices


def feasible_pairs(
    registry: Registry,
    program: str | Program,
    leaders: Iterable[Leader],
    mentors: Iterable[Mentor],
    *,
    on: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
    max_distance_km: float | None = None,
) -> FeasiblePairs:
    """The graph :func:`match` solves: every feasible pair with its score, as arrays."""
    p = _prepare(
        registry,
        program,
        leaders,
        mentors,
        on,
        weights,
        (),
        (),
        max_distance_km,
        Visibility.PROGRAM,
    )
    return FeasiblePairs(
        tuple(x.id for x in p.leaders),
        tuple(x.id for x in p.mentors),
        p.li,
        p.mj,
        p.scores,
        p.capacity,
    )


def match(
    registry: Registry,
    program: str | Program,
    leaders: Iterable[Leader],
    mentors: Iterable[Mentor],
    *,
    on: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
    exclude: Iterable[tuple[str, str]] = (),
    pin: Iterable[tuple[str, str]] = (),
    max_distance_km: float | None = None,
    audience: Visibility | str = Visibility.PAIR,
    progress: Callable[[int, int], None] | None = None,
    method: str = "auto",
    objective: str = "participation",
    min_score: float | None = None,
    pairs: Iterable[PairAction] = (),
    explain_constraints: bool = False,
) -> MatchResult:
    """Match a cohort of leaders with mentors under a program's match settings.

    Args:
        registry: the loaded registry (programs and criteria).
        program: the program (or its id) whose ``matching`` settings apply.
        leaders: the leaders to match (unique ids).
        mentors: the mentors available (unique ids, capacity 1 or more).
        on: the date mentor rules are decided on (default today).
        weights: weight overrides by criterion id (``{"goals": 2}``); an
            unknown id is an error listing the known ones.
        exclude: ``(leader_id, mentor_id)`` pairs that must not be matched.
        pin: ``(leader_id, mentor_id)`` pairs fixed before matching; a pin
            must meet the hard constraints and the mentor's capacity.
        max_distance_km: bound for on-site work, overriding the program's.
        audience: who the result is for (``pair``, ``sponsor``, ``program``);
            only ``program`` (staff) sees sensitive criteria (gender, race).
            The assignment is the same for every audience.
        progress: called as ``progress(leaders_done, leaders_total)`` as parts are solved.
        method: ``"auto"`` (``"flow"`` with OR-Tools installed), ``"flow"``,
            ``"sparse"`` or ``"dense"`` (see :mod:`mentorcore.matching.solver`).
        objective: ``"participation"`` (most leaders matched, then the largest
            total score) or ``"score"`` (the largest total score, even if fewer
            leaders are matched).
        min_score: a pair scoring below it is not a match; a leader left
            without one says so. It compares the score without sensitive
            criteria, for every audience: gender and race move a pair up
            among those over the bar, never over it.
        pairs: keeps and declines (:class:`~mentorcore.matching.pairs.PairAction`,
            from :func:`~mentorcore.matching.pairs.load_pairs`): a ``keep``
            stays unless it has become infeasible (then it is listed in
            ``broken_keeps``); a ``never`` pair is never matched.
        explain_constraints: also say what each hard bound costs
            (``constraints``) and what blocks each unmatched leader
            (``blocking``); see :mod:`mentorcore.matching.costs`.

    Raises:
        MatchError: an empty cohort, a mentor of capacity 0, or a pin that
            breaks a hard constraint or a capacity.
        UnknownIdError: a pin, an exclusion or a weight names an unknown id.
        InputError: a leader or mentor of the wrong type, a duplicate id, a bad weight.
    """
    from mentorcore.matching.solver import METHODS, OBJECTIVES, flow_available

    if method not in METHODS:
        raise InputError(path="method", found=method, expected=", ".join(METHODS))
    if objective not in OBJECTIVES:
        raise InputError(path="objective", found=objective, expected=" or ".join(OBJECTIVES))
    solver_method = method
    if method == "auto":
        # Without OR-Tools the solver's own "auto" picks SciPy's dense or sparse form per part.
        solver_method = "flow" if flow_available() or objective != "participation" else "auto"
    if objective != "participation" and solver_method != "flow":
        raise InputError(
            path="method",
            found=method,
            expected=f"flow for the {objective} objective (SciPy's solve participation only)",
        )
    options = _Options(
        registry=registry,
        program=program,
        leaders=tuple(leaders),
        mentors=tuple(mentors),
        on=on,
        weights=weights,
        exclude=tuple(exclude),
        pin=tuple(pin),
        max_distance_km=max_distance_km,
        audience=audience,
        min_score=min_score,
        pairs=tuple(pairs),
        objective=objective,
        method=solver_method,
    )
    result = _solve_problem(options, progress)
    if not explain_constraints:
        return result
    from mentorcore.matching.costs import explain

    return explain(options, result)


@attrs.frozen(kw_only=True)
class _Options:
    """The inputs of one match, kept so that a bound can be relaxed and the match run again."""

    registry: Registry
    program: str | Program
    leaders: tuple[Leader, ...]
    mentors: tuple[Mentor, ...]
    on: dt.date | None
    weights: Mapping[str, float] | None
    exclude: tuple[tuple[str, str], ...]
    pin: tuple[tuple[str, str], ...]
    max_distance_km: float | None
    audience: Visibility | str
    min_score: float | None
    pairs: tuple[PairAction, ...]
    objective: str
    method: str
    relax: frozenset[str] = frozenset()


def _solve_problem(
    options: _Options, progress: Callable[[int, int], None] | None = None
) -> MatchResult:
    """Prepare, solve and explain one match."""
    import numpy as np

    from mentorcore.matching.solver import solve

    objective, solver_method = options.objective, options.method
    p = _prepare_options(options)
    people_l, people_m = p.leaders, p.mentors
    n_l, n_m = len(people_l), len(people_m)
    li, mj, scores, capacity = p.li, p.mj, p.scores, p.capacity
    pinned, pinned_leader, prepared, gates, staff = (
        p.pinned,
        p.pinned_leader,
        p.prepared,
        p.gates,
        p.staff,
    )
    all_l, all_m, eligible, limit, weighted = p.all_l, p.all_m, p.eligible, p.limit, p.weighted
    constraints = p.constraints
    mentor_index = {person.id: j for j, person in enumerate(people_m)}

    # Independent parts: connected components of the feasibility graph.
    n_labels, label = _components(li, mj, n_l, n_m)
    edge_part = label[li]
    parts = int(np.count_nonzero(np.bincount(edge_part, minlength=n_labels)))
    total = int((~pinned_leader).sum())
    if solver_method == "flow":
        # One network for the whole cohort: its parts never share a unit of flow.
        picked_edges = solve(li, mj, scores, capacity, n_l, objective=objective, method="flow")
    else:
        picked_edges = _solve_by_part(
            li, mj, scores, capacity, n_l, n_m, label, n_labels, solver_method, progress, total
        )
    if progress is not None:
        progress(total, total)

    # Explanations for the chosen pairs only.
    fixed = pinned + p.kept
    pairs_l = np.concatenate((li[picked_edges], np.array([i for i, _ in fixed], dtype=np.intp)))
    pairs_m = np.concatenate((mj[picked_edges], np.array([j for _, j in fixed], dtype=np.intp)))
    how = ["solved"] * len(picked_edges) + ["pinned"] * len(pinned) + ["kept"] * len(p.kept)
    assignments: list[Assignment] = []
    explained = _reasons(prepared, gates, pairs_l, pairs_m, staff=staff)
    for i, j, way, (score, reasons) in zip(
        pairs_l.tolist(), pairs_m.tolist(), how, explained, strict=True
    ):
        assignments.append(
            Assignment(
                people_l[i].id,
                people_m[j].id,
                score,
                reasons,
                pinned=way == "pinned",
                kept=way == "kept",
            )
        )
    assignments.sort(key=lambda a: a.leader)

    # Unmatched leaders, and why.
    matched = {int(i) for i in pairs_l}
    feasible_of: dict[int, tuple[str, ...]] = {}
    left = np.ones(n_l, dtype=bool)
    left[pairs_l] = False
    stranded = np.flatnonzero(left[all_l])
    if len(stranded):
        # The stranded pairs grouped by leader, in the order they were found.
        by_leader = stranded[np.argsort(all_l[stranded], kind="stable")]
        owners = all_l[by_leader]
        cuts = np.flatnonzero(np.diff(owners)) + 1
        mentor_ids = np.array([person.id for person in people_m], dtype=object)
        named = mentor_ids[all_m[by_leader]].tolist()
        begins = [0, *cuts.tolist()]
        ends = [*cuts.tolist(), len(by_leader)]
        for i, begin, end in zip(owners[begins].tolist(), begins, ends, strict=True):
            feasible_of[i] = tuple(named[begin:end])
    best_below: dict[int, float] = {}
    for i, value in zip(p.below_l.tolist(), p.below_top.tolist(), strict=True):
        best_below[i] = max(value, best_below.get(i, 0.0))
    unmatched: list[Unmatched] = []
    for i in np.flatnonzero(left).tolist():
        if i in matched:
            continue
        leader = people_l[i]
        if i not in feasible_of and i in best_below:
            # Scores without sensitive criteria: every audience may see the best one.
            best = f" (the best scores {best_below[i]:.2f})"
            unmatched.append(
                Unmatched(
                    leader.id,
                    BELOW_MIN_SCORE,
                    f"no feasible mentor scores {p.min_score:g} or more{best}",
                )
            )
            continue
        if i in feasible_of:
            ids = feasible_of[i]
            shown = ", ".join(ids[:5]) + (f" and {len(ids) - 5} more" if len(ids) > 5 else "")
            unmatched.append(
                Unmatched(
                    leader.id,
                    FEASIBLE_MENTORS_FULL,
                    f"every feasible mentor is full ({shown})",
                    ids,
                )
            )
            continue
        unmatched.append(
            Unmatched(
                leader.id, NO_FEASIBLE_MENTOR, _no_mentor_reason(i, constraints, eligible, limit)
            )
        )

    loads_of: dict[int, list[str]] = {j: [] for j in range(n_m)}
    for a in assignments:
        loads_of[mentor_index[a.mentor]].append(a.leader)
    loads = tuple(
        Load(people_m[j].id, people_m[j].capacity, tuple(loads_of[j]))
        for j in range(n_m)
        if eligible[j]
    )
    shown_weights = {
        e.criterion.id: e.weight for e in weighted if staff or not e.criterion.sensitive
    }
    return MatchResult(
        program=p.program.id,
        on=p.on,
        audience=p.audience,
        weights=shown_weights,
        assignments=tuple(assignments),
        unmatched=tuple(unmatched),
        loads=loads,
        excluded_mentors=tuple(p.left_out),
        total_score=float(sum(a.score for a in assignments)),
        components=parts,
        objective=objective,
        min_score=p.min_score,
        broken_keeps=tuple(p.broken_keeps),
    )


def _components(li: Indices, mj: Indices, n_l: int, n_m: int) -> tuple[int, Indices]:
    """The connected components of the feasibility graph: their number and each node's label.

    Nodes are the leaders, then the mentors. The graph is handed to SciPy as
    compressed rows, one per mentor, built by a counting sort of the pairs
    (a radix sort where mentor indices fit 16 bits), which costs a third of
    letting SciPy sort a coordinate list of 1.6 million pairs.
    """
    import numpy as np
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import connected_components

    key = mj.astype(np.uint16) if n_m <= 2**16 else mj
    order = np.argsort(key, kind="stable")
    counts = np.bincount(mj, minlength=n_m)
    pointers = np.concatenate(([0], np.cumsum(counts), np.full(n_l, len(li))))
    index_type = np.int32 if n_l + n_m < 2**31 and len(li) < 2**31 else np.int64
    graph = csr_matrix(
        (
            np.ones(len(li)),
            (n_m + li[order]).astype(index_type),
            pointers.astype(index_type),
        ),
        shape=(n_m + n_l, n_m + n_l),
    )
    n_labels, labels = connected_components(graph, directed=True, connection="weak")
    # Back to the engine's numbering: leaders first, then mentors.
    label: Indices = np.concatenate((labels[n_m:], labels[:n_m])).astype(np.intp)
    return int(n_labels), label


def _visibility(audience: Visibility | str) -> Visibility:
    try:
        return Visibility(audience)
    except ValueError:
        raise InputError(
            path="audience",
            found=audience,
            expected="one of " + ", ".join(v.value for v in Visibility),
        ) from None


def _has_mentor_rule(prog: Program, settings: MatchSettings) -> bool:
    return settings.mentor_rule is not None or any(r.subject == "mentor" for r in prog.eligibility)


def _decide_mentors(
    registry: Registry,
    prog: Program,
    settings: MatchSettings,
    people_m: Sequence[Mentor],
    day: dt.date,
) -> tuple[npt.NDArray[np.bool_], list[MentorExcluded]]:
    """Which mentors qualify under the program's mentor rule, and why the others do not."""
    import numpy as np

    from mentorcore.bulk import decide_many

    eligible = np.ones(len(people_m), dtype=bool)
    left_out: list[MentorExcluded] = []
    if _has_mentor_rule(prog, settings):
        # The rule is compiled once and run for every mentor (as registry.decide would).
        decisions = decide_many(registry, prog, people_m, day, rule=settings.mentor_rule)
        for j, (mentor, decision) in enumerate(zip(people_m, decisions, strict=True)):
            if not decision.eligible:
                eligible[j] = False
                left_out.append(MentorExcluded(mentor.id, decision.outcome, decision.explanation))
    return eligible, left_out


def _reasons(
    prepared: Sequence[tuple[WeightedCriterion, PairScorer]],
    gates: Mapping[str, npt.NDArray[np.bool_]],
    pairs_l: Indices,
    pairs_m: Indices,
    *,
    staff: bool,
) -> list[tuple[float, tuple[Reason, ...]]]:
    """Each pair's score for the audience and its reasons (sensitive ones for staff only)."""
    import numpy as np

    per_criterion: list[tuple[WeightedCriterion, list[str], list[float]]] = []
    rows, cols = pairs_l.tolist(), pairs_m.tolist()
    for entry, scorer in prepared:
        if entry.criterion.sensitive and not staff:
            continue
        values = scorer.scores(pairs_l, pairs_m)
        if entry.criterion.sensitive:
            values = np.where(gates[entry.criterion.id][pairs_l], values, np.nan)
        many = getattr(scorer, "reasons", None)
        texts: list[str] = (
            list(many(pairs_l, pairs_m))
            if many is not None
            else [scorer.reason(i, j) for i, j in zip(rows, cols, strict=True)]
        )
        per_criterion.append((entry, texts, values.tolist()))
    found: list[tuple[float, tuple[Reason, ...]]] = []
    # Reasons are immutable: equal ones (most of a large cohort's) are one object.
    made: dict[tuple[str, float | None, str], Reason] = {}
    for k in range(len(rows)):
        reasons: list[Reason] = []
        score = 0.0
        for entry, texts, column in per_criterion:
            value: float | None = column[k]
            ident, weight, sensitive = entry.criterion.id, entry.weight, entry.criterion.sensitive
            if value is None or value != value:  # NaN: the criterion does not apply
                if sensitive:
                    continue  # no stated preference, or unknown: not mentioned at all
                value = None
            else:
                score += weight * value
            text = texts[k]
            key = (ident, value, text)
            reason = made.get(key)
            if reason is None:
                points = 0.0 if value is None else weight * value
                reason = made[key] = Reason(
                    ident, weight, value, points, text, sensitive, entry.criterion.attributes
                )
            reasons.append(reason)
        found.append((score, tuple(reasons)))
    return found


def _solve_by_part(
    li: Indices,
    mj: Indices,
    scores: Floats,
    capacity: Indices,
    n_l: int,
    n_m: int,
    label: Indices,
    n_labels: int,
    method: str,
    progress: Callable[[int, int], None] | None,
    total: int,
) -> Indices:
    """The SciPy solvers, one connected part of the feasibility graph at a time."""
    import numpy as np

    from mentorcore.matching.solver import solve

    # Each person's rank within its part, computed once for every part.
    members: list[tuple[Indices, Indices, Indices]] = []
    for side in (label[:n_l], label[n_l:]):
        ranked = np.argsort(side, kind="stable")
        first = np.searchsorted(side[ranked], np.arange(n_labels + 1))
        rank = np.empty(len(side), dtype=np.intp)
        rank[ranked] = np.arange(len(side)) - first[side[ranked]]
        members.append((ranked, first, rank))
    (by_l, first_l, rank_l), (by_m, first_m, rank_m) = members
    edge_part = label[li]
    order = np.argsort(edge_part, kind="stable")
    bounds = np.flatnonzero(np.diff(edge_part[order])) + 1
    chosen: list[Indices] = []
    done = 0
    for part in np.split(order, bounds) if len(order) else []:
        c = int(edge_part[part[0]])
        rows_g = by_l[first_l[c] : first_l[c + 1]]
        cols_g = by_m[first_m[c] : first_m[c + 1]]
        row_local, col_local = rank_l[li[part]], rank_m[mj[part]]
        picked = solve(
            row_local, col_local, scores[part], capacity[cols_g], len(rows_g), method=method
        )
        chosen.append(part[picked])
        done += len(rows_g)
        if progress is not None:
            progress(done, total)
    found: Indices = np.concatenate(chosen) if chosen else np.zeros(0, dtype=np.intp)
    return found


def _no_mentor_reason(
    leader: int, constraints: _Constraints, eligible: npt.NDArray[np.bool_], limit: float | None
) -> str:
    import numpy as np

    parts: list[str] = []
    n_excluded = int((~eligible).sum())
    if n_excluded:
        parts.append(f"not qualified under the program's mentor rule: {n_excluded}")
    candidates = np.flatnonzero(eligible)
    # Mentors beyond the bound that break no other constraint are counted, not examined.
    candidates, beyond = constraints.worth_examining(leader, candidates)
    if len(candidates) or beyond:
        failures = constraints.failures(np.full(len(candidates), leader, dtype=np.intp), candidates)
        seen = np.zeros(len(candidates), dtype=bool)
        for name in ("excluded", "declined", "supervisor", "same_school", "too_far"):
            if name not in failures:
                continue
            newly = failures[name] & ~seen
            seen |= failures[name]
            count = int(newly.sum()) + (beyond if name == "too_far" else 0)
            if count:
                parts.append(f"{_WORDS[name].format(km=limit or 0)}: {count}")
    mentors = len(eligible)
    return (
        f"no feasible mentor among {mentors}: " + "; ".join(parts)
        if parts
        else "no feasible mentor"
    )
