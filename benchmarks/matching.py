"""Benchmark of cohort matching on realistic synthetic cohorts.

Run from the repository root::

    .venv/bin/python benchmarks/matching.py            # 500, 2,000 and 5,000 leaders
    .venv/bin/python benchmarks/matching.py 500 20000  # other sizes

Each cohort is generated from a seed: leaders and a quarter as many mentors
(capacity 4) around Midwestern cities (Illinois alone for the smallest,
more states as the cohort grows), with urban, suburban and rural schools,
goal areas, styles, learning needs, some stated gender/race preferences,
same-school pairs and supervisors, and one mentor in ten without a
principal licence. The program weighs every core criterion and bounds
on-site distance at 120 km.

For each size it prints, in one run:

* ``ours``: :func:`mentorcore.matching.match` end to end (mentor rule,
  constraints, scores, components, solver, explanations);
* ``bare LSA``: SciPy's ``linear_sum_assignment`` alone on the same score
  matrix, capacity-expanded and dense, over the whole cohort;
* ``bare sparse``: ``min_weight_full_bipartite_matching`` alone on the same
  matrix as one sparse graph (whole cohort, no components);
* ``greedy``: best pair first, its time and total score;
* the total scores (ours must never be below greedy's) and leaders matched.

Times are the best of three runs (the machine may be shared). ``ratio`` is
ours over the faster bare solver.
"""

from __future__ import annotations

import datetime as dt
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from mentorcore.hookspecs import hookimpl
from mentorcore.matching import match, score_matrix
from mentorcore.people import Leader, Location, Mentor, School
from mentorcore.programs import CriterionWeight, MatchSettings, Program
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.conditions import condition_from_data
from mentorcore.rules.eligibility import EligibilityRule, Outcome

ON = dt.date(2024, 8, 1)
MAX_KM = 120.0

# (city, state, latitude, longitude, relative size)
CITIES = (
    ("Chicago", "IL", 41.88, -87.63, 10),
    ("Rockford", "IL", 42.27, -89.09, 2),
    ("Peoria", "IL", 40.69, -89.59, 2),
    ("Springfield", "IL", 39.78, -89.65, 2),
    ("Champaign", "IL", 40.12, -88.24, 2),
    ("Carbondale", "IL", 37.73, -89.22, 1),
    ("Quincy", "IL", 39.94, -91.41, 1),
    ("Moline", "IL", 41.51, -90.52, 1),
    ("Indianapolis", "IN", 39.77, -86.16, 5),
    ("Fort Wayne", "IN", 41.08, -85.14, 2),
    ("Evansville", "IN", 37.97, -87.57, 1),
    ("Milwaukee", "WI", 43.04, -87.91, 4),
    ("Madison", "WI", 43.07, -89.40, 2),
    ("Green Bay", "WI", 44.51, -88.02, 1),
    ("Detroit", "MI", 42.33, -83.05, 6),
    ("Grand Rapids", "MI", 42.96, -85.67, 2),
    ("Lansing", "MI", 42.73, -84.56, 1),
    ("Columbus", "OH", 39.96, -83.00, 4),
    ("Cleveland", "OH", 41.50, -81.69, 4),
    ("Cincinnati", "OH", 39.10, -84.51, 3),
    ("St. Louis", "MO", 38.63, -90.20, 4),
    ("Kansas City", "MO", 39.10, -94.58, 3),
    ("Des Moines", "IA", 41.59, -93.62, 2),
    ("Minneapolis", "MN", 44.98, -93.27, 5),
    ("Louisville", "KY", 38.25, -85.76, 3),
    ("Nashville", "TN", 36.16, -86.78, 4),
)
STATES_BY_SIZE = (
    (1000, ("IL",)),
    (3000, ("IL", "IN", "WI", "MI")),
    (10**9, ("IL", "IN", "WI", "MI", "OH", "MO", "IA", "MN", "KY", "TN")),
)
GOALS = (
    "general leadership",
    "climate and culture",
    "family and community involvement",
    "school improvement planning and implementation",
    "teaching and learning",
    "curriculum and instruction",
    "teacher evaluation and capacity building",
    "assessment",
    "operations and management",
)
STYLES = ("collaborative", "directive", "reflective", "supportive")
LEARNING = ("observation", "modeling", "reflection", "feedback", "reading", "networking")
LEVELS = ("elementary", "middle", "high")
GENDERS = ("female", "male")
RACES = ("Black", "White", "Hispanic/Latino", "Asian", "Multiracial")


def cohort(n_leaders: int, seed: int = 2024) -> tuple[list[Leader], list[Mentor]]:
    """A seeded cohort: ``n_leaders`` leaders, ``n_leaders // 4`` mentors of capacity 4."""
    rng = np.random.default_rng(seed)
    states = next(s for limit, s in STATES_BY_SIZE if n_leaders <= limit)
    cities = [c for c in CITIES if c[1] in states]
    weights = np.array([c[4] for c in cities], dtype=float)
    weights /= weights.sum()
    n_mentors = max(1, n_leaders // 4)
    schools_per_city = max(3, n_leaders // (3 * len(cities)))

    def place() -> tuple[School, Location, str]:
        city = cities[int(rng.choice(len(cities), p=weights))]
        context = str(rng.choice(("urban", "suburban", "rural"), p=(0.4, 0.35, 0.25)))
        spread = {"urban": 8.0, "suburban": 25.0, "rural": 60.0}[context]
        lat = city[2] + rng.normal(0, spread) / 111.0
        lon = city[3] + rng.normal(0, spread) / (111.0 * np.cos(np.radians(city[2])))
        number = int(rng.integers(schools_per_city))
        school = School(
            name=f"{city[0]} {context} school {number}",
            state=city[1],
            sector="public",
            level=str(rng.choice(LEVELS)),
            context=context,
            id=f"{city[0]}-{context}-{number}",
        )
        return (
            school,
            Location(latitude=round(lat, 4), longitude=round(lon, 4)),
            f"{city[0]}, {city[1]}",
        )

    def some(values: Sequence[str], low: int, high: int) -> tuple[str, ...]:
        k = int(rng.integers(low, high + 1))
        return tuple(str(v) for v in rng.choice(values, size=k, replace=False))

    def maybe(values: Sequence[str], known: float) -> str | None:
        return str(rng.choice(values)) if rng.random() < known else None

    mentors: list[Mentor] = []
    for j in range(n_mentors):
        school, location, region = place()
        mentors.append(
            Mentor(
                id=f"m{j:05d}",
                name=f"Mentor {j}",
                role="principal",
                school=school,
                region=region,
                location=location,
                capacity=4,
                credentials=("principal_license",) if rng.random() < 0.9 else (),
                years_as_principal=int(rng.integers(3, 25)),
                expertise=some(GOALS, 3, 5),
                approaches=some(LEARNING, 2, 4),
                interpersonal_style=str(rng.choice(STYLES)),
                gender=maybe(GENDERS, 0.7),
                race=maybe(RACES, 0.6),
            )
        )
    leaders: list[Leader] = []
    for i in range(n_leaders):
        school, location, region = place()
        if rng.random() < 0.05:  # works in a mentor's school
            other = mentors[int(rng.integers(n_mentors))]
            assert other.school is not None and other.location is not None
            school, location, region = other.school, other.location, other.region or region
        prefer: list[str] = []
        if rng.random() < 0.1:
            prefer.append("gender")
        if rng.random() < 0.08:
            prefer.append("race")
        leaders.append(
            Leader(
                id=f"l{i:05d}",
                name=f"Leader {i}",
                role="principal",
                role_started=dt.date(2024, 7, 1),
                first_time_in_role=True,
                school=school,
                region=region,
                location=location,
                goals=some(GOALS, 1, 4),
                learning_needs=some(LEARNING, 1, 3),
                interpersonal_style=maybe(STYLES, 0.8),
                gender=maybe(GENDERS, 0.7),
                race=maybe(RACES, 0.6),
                prefer_same=tuple(prefer),
                supervisor=mentors[int(rng.integers(n_mentors))].id
                if rng.random() < 0.03
                else None,
            )
        )
    return leaders, mentors


def program() -> Program:
    """A benchmark program: every core criterion, a licence rule for mentors, 120 km on site."""
    rule = EligibilityRule(
        id="qualified_mentor",
        title="Qualified mentor",
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
                        "says": "holds or has held a principal licence",
                    }
                ),
            ),
            Outcome(id="not_qualified", title="Not qualified", eligible=False),
        ),
    )
    weights = {
        "distance": 1.0,
        "school_context": 1.0,
        "school_level": 0.5,
        "goals": 2.0,
        "interpersonal_style": 0.5,
        "learning_needs": 1.0,
        "gender": 1.0,
        "race": 1.0,
    }
    return Program(
        id="bench",
        title="Benchmark",
        organization="mentorcore",
        eligibility=(rule,),
        matching=MatchSettings(
            criteria=tuple(CriterionWeight(criterion=k, weight=w) for k, w in weights.items()),
            mentor_rule="qualified_mentor",
            max_distance_km=MAX_KM,
        ),
    )


class _Plugin:
    def __init__(self, prog: Program) -> None:
        self.prog = prog

    @hookimpl
    def register_programs(self, register: Callable[[Program], None]) -> None:
        register(self.prog)


def registry() -> Registry:
    """A registry with the benchmark program only."""
    return load_registry([_Plugin(program())], entry_points=False)


def greedy(scores: Any, capacity: Any) -> tuple[float, int]:
    """Best pair first: (total score, leaders matched)."""
    rows, cols = np.nonzero(~np.isnan(scores))
    values = scores[rows, cols]
    order = np.argsort(-values, kind="stable")
    left = capacity.astype(int).copy()
    taken = np.zeros(scores.shape[0], dtype=bool)
    total, count = 0.0, 0
    for k in order.tolist():
        i, j = rows[k], cols[k]
        if taken[i] or left[j] == 0:
            continue
        taken[i] = True
        left[j] -= 1
        total += values[k]
        count += 1
    return total, count


def bare_lsa(scores: Any, capacity: Any) -> float:
    """Seconds for linear_sum_assignment on the dense capacity-expanded matrix."""
    from scipy.optimize import linear_sum_assignment

    feasible = ~np.isnan(scores)
    bonus = scores.shape[0] * float(np.nanmax(scores)) + 1.0
    expanded = np.repeat(np.where(feasible, scores + bonus, 0.0), capacity, axis=1)
    start = time.perf_counter()
    linear_sum_assignment(expanded, maximize=True)
    return time.perf_counter() - start


def bare_sparse(scores: Any, capacity: Any) -> float:
    """Seconds for min_weight_full_bipartite_matching on the whole cohort as one sparse graph."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n = scores.shape[0]
    rows, cols = np.nonzero(~np.isnan(scores))
    values = scores[rows, cols]
    top = float(values.max())
    slots = np.repeat(np.arange(len(capacity)), capacity)
    first = np.concatenate(([0], np.cumsum(capacity)[:-1]))
    r = np.concatenate([np.repeat(rows, capacity[cols]), np.arange(n)])
    c = np.concatenate(
        [
            np.concatenate([first[j] + np.arange(capacity[j]) for j in cols]) if len(cols) else [],
            len(slots) + np.arange(n),
        ]
    )
    data = np.concatenate(
        [np.repeat(top + 1.0 - values, capacity[cols]), np.full(n, top + 1.0 + n * top + 1.0)]
    )
    graph = csr_matrix((data, (r, c)), shape=(n, len(slots) + n))
    start = time.perf_counter()
    min_weight_full_bipartite_matching(graph)
    return time.perf_counter() - start


def best(measure: Callable[[], float], repeat: int) -> float:
    """The fastest of ``repeat`` runs (fewer when one run takes over 5 s): timings on a
    shared machine are noisy, and the minimum is the figure least disturbed."""
    times = []
    for _ in range(repeat):
        times.append(measure())
        if times[-1] > 5.0:
            break
    return min(times)


def run(size: int, reg: Registry, repeat: int = 3) -> dict[str, float]:
    """Measure one cohort size."""
    leaders, mentors = cohort(size)
    results: list[Any] = []

    def ours_once() -> float:
        start = time.perf_counter()
        results.append(match(reg, "bench", leaders, mentors, on=ON, audience="program"))
        return time.perf_counter() - start

    ours = best(ours_once, repeat)
    result = results[-1]
    matrix = score_matrix(reg, "bench", leaders, mentors, on=ON)
    feasible_cols = matrix.capacity > 0
    scores, capacity = matrix.scores, matrix.capacity
    lsa = best(lambda: bare_lsa(scores[:, feasible_cols], capacity[feasible_cols]), repeat)
    sparse = best(lambda: bare_sparse(scores[:, feasible_cols], capacity[feasible_cols]), repeat)
    start = time.perf_counter()
    greedy_total, greedy_count = greedy(scores, capacity)
    greedy_time = time.perf_counter() - start
    return {
        "leaders": size,
        "mentors": len(mentors),
        "ours_s": ours,
        "lsa_s": lsa,
        "sparse_s": sparse,
        "greedy_s": greedy_time,
        "ours_total": result.total_score,
        "greedy_total": greedy_total,
        "ours_matched": len(result.assignments),
        "greedy_matched": greedy_count,
        "components": result.components,
        "pairs": int((~np.isnan(scores)).sum()),
    }


def main(argv: Sequence[str]) -> int:
    """Print one line per cohort size."""
    sizes = [int(a) for a in argv] or [500, 2000, 5000]
    reg = registry()
    match(reg, "bench", *cohort(40), on=ON)  # warm the imports
    header = (
        f"{'leaders':>7} {'mentors':>7} {'pairs':>9} {'parts':>5} {'ours s':>7} "
        f"{'LSA s':>7} {'sparse s':>8} {'ratio':>6} {'greedy s':>8} {'ours total':>11} "
        f"{'greedy total':>12} {'matched':>9} {'greedy m.':>9}"
    )
    print(header)
    for size in sizes:
        r = run(size, reg)
        bare = min(r["lsa_s"], r["sparse_s"])
        print(
            f"{r['leaders']:>7} {r['mentors']:>7} {r['pairs']:>9} {r['components']:>5} "
            f"{r['ours_s']:>7.2f} {r['lsa_s']:>7.2f} {r['sparse_s']:>8.2f} "
            f"{r['ours_s'] / bare:>6.2f} {r['greedy_s']:>8.2f} {r['ours_total']:>11.1f} "
            f"{r['greedy_total']:>12.1f} {r['ours_matched']:>9} {r['greedy_matched']:>9}"
        )
        assert (
            r["ours_total"] >= r["greedy_total"] - 1e-6 or r["ours_matched"] > r["greedy_matched"]
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
