"""Benchmark of cohort matching on realistic synthetic cohorts, ours beside bare solvers.

Run from the repository root::

    .venv/bin/python benchmarks/matching.py                 # 500, 2,000, 5,000, 10,000
    .venv/bin/python benchmarks/matching.py 10000 100000    # other sizes
    .venv/bin/python benchmarks/matching.py --json          # one JSON object per size
    .venv/bin/python benchmarks/matching.py --suggest       # suggest over 10,000 mentors

Each cohort is generated from a seed: leaders and a quarter as many mentors
(capacity 4) around Midwestern cities (Illinois alone up to 1,000 leaders,
four states up to 3,000, ten states up to 10,000), with urban, suburban and
rural schools, goal areas, styles, learning needs, some stated gender/race
preferences, same-school pairs and supervisors, and one mentor in ten
without a principal licence. Above 10,000 leaders the cohort is national:
the same people spread over 200 synthetic metropolitan areas across the
continental United States (seeded centres, sizes falling off as 1/rank),
so the cohort falls into many regions. The program weighs every core
criterion and bounds on-site distance at 120 km.

Each size runs in a fresh Python process, so that ``peak_mb`` (the
process's peak resident memory, from ``getrusage``, after generating the
cohort and matching it with ``ours``) is that size's own. For each size, in
one run:

* ``ours_s``: :func:`mentorcore.matching.match` end to end (mentor rule,
  constraints, scores, solve, explanations), from ``Leader`` and ``Mentor``
  objects to a ``MatchResult`` with every reason;
* ``bare``: each bare solver alone on the same graph (the feasible pairs
  and their scores, built before the clock starts): ``ortools_flow``
  (OR-Tools' ``SimpleMinCostFlow``, one arc per pair, the capacity on the
  mentor's arc, maximum flow of minimum cost) and ``scipy_sparse``
  (``min_weight_full_bipartite_matching`` on the capacity-expanded graph,
  as the engine solved before; left out above 20,000 leaders, where it
  takes minutes);
* ``greedy``: best pair first on the same pairs (``greedy_total``,
  ``greedy_matched``);
* ``solve_s``: the engine's own solver alone on that graph
  (:func:`mentorcore.matching.solver.solve`: above a million pairs, a
  shortlist of each person's best pairs, solved by OR-Tools and proved
  optimal for every pair), the part of ``ours_s`` the bare solvers compare with;
* ``ratio``: ``ours_s`` over the fastest bare solver;
* ``old_s``: ``match(..., method="sparse")`` end to end, the engine's
  previous solver (SciPy on the capacity-expanded graph, part by part), up
  to 10,000 leaders.

Times are the best of three runs (one above 20,000 leaders), as the machine
may be shared; the runs take turns (ours, our solver, each bare solver, the
old engine, then again), so that a change of load falls on all of them.
"""

from __future__ import annotations

import datetime as dt
import json
import math
import resource
import subprocess
import sys
import time
from collections.abc import Callable, Sequence
from typing import Any

import numpy as np

from mentorcore.hookspecs import hookimpl
from mentorcore.matching import match
from mentorcore.matching.engine import FeasiblePairs, feasible_pairs
from mentorcore.matching.solver import solve
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
    (10_000, ("IL", "IN", "WI", "MI", "OH", "MO", "IA", "MN", "KY", "TN")),
)
#: Above the last size, the cohort is national (see :func:`national_cities`).
NATIONAL_AREAS = 400


def national_cities(seed: int = 7) -> list[tuple[str, str, float, float, int]]:
    """Synthetic metropolitan areas over the continental United States (seeded).

    Centres are uniform over latitudes 30-47 N and longitudes 72-122 W, each
    with a relative size from 1 to 5: about one area per 40,000 square km,
    so a 120 km bound links an area with a neighbour or two, and a national
    cohort falls into many regions.
    """
    rng = np.random.default_rng(seed)
    return [
        (
            f"Area {k}",
            "US",
            float(rng.uniform(30.0, 47.0)),
            float(rng.uniform(-122.0, -72.0)),
            int(rng.integers(1, 6)),
        )
        for k in range(NATIONAL_AREAS)
    ]


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
    states = next((s for limit, s in STATES_BY_SIZE if n_leaders <= limit), None)
    cities = national_cities() if states is None else [c for c in CITIES if c[1] in states]
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
            state=city[1] if city[1] != "US" else "IL",
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


def greedy(graph: FeasiblePairs) -> tuple[float, int]:
    """Best pair first: (total score, leaders matched)."""
    order = np.argsort(-graph.scores, kind="stable")
    left = graph.capacity.astype(int).copy()
    taken = np.zeros(len(graph.leaders), dtype=bool)
    total, count = 0.0, 0
    rows, cols, values = (
        graph.leader[order].tolist(),
        graph.mentor[order].tolist(),
        graph.scores[order].tolist(),
    )
    for i, j, value in zip(rows, cols, values, strict=True):
        if taken[i] or left[j] == 0:
            continue
        taken[i] = True
        left[j] -= 1
        total += value
        count += 1
    return total, count


def bare_flow(graph: FeasiblePairs) -> float:
    """Seconds for OR-Tools' SimpleMinCostFlow alone (an arc per pair, capacity on the mentor's)."""
    from ortools.graph.python import min_cost_flow

    n_l, n_m = len(graph.leaders), len(graph.mentors)
    source, sink = n_l + n_m, n_l + n_m + 1
    tails = np.concatenate((graph.leader, np.full(n_l, source), n_l + np.arange(n_m))).astype(
        np.int64
    )
    heads = np.concatenate((n_l + graph.mentor, np.arange(n_l), np.full(n_m, sink))).astype(
        np.int64
    )
    capacities = np.concatenate(
        (np.ones(len(graph.leader) + n_l, dtype=np.int64), graph.capacity.astype(np.int64))
    )
    costs = np.concatenate(
        (
            -np.rint(graph.scores * 2.0**40).astype(np.int64),
            np.zeros(n_l + n_m, dtype=np.int64),
        )
    )
    start = time.perf_counter()
    smcf = min_cost_flow.SimpleMinCostFlow()
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    smcf.set_nodes_supplies(np.array([source, sink]), np.array([n_l, -n_l]))
    status = smcf.solve_max_flow_with_min_cost()
    elapsed = time.perf_counter() - start
    assert status == smcf.OPTIMAL, status
    return elapsed


def our_solve(graph: FeasiblePairs) -> float:
    """Seconds for the engine's own solver on the same graph (shortlist and proof included)."""
    start = time.perf_counter()
    solve(graph.leader, graph.mentor, graph.scores, graph.capacity, len(graph.leaders))
    return time.perf_counter() - start


def bare_sparse(graph: FeasiblePairs) -> float:
    """Seconds for min_weight_full_bipartite_matching on the capacity-expanded graph."""
    from scipy.sparse import csr_matrix
    from scipy.sparse.csgraph import min_weight_full_bipartite_matching

    n = len(graph.leaders)
    rows, cols, values = graph.leader, graph.mentor, graph.scores
    capacity = np.minimum(graph.capacity, np.bincount(cols, minlength=len(graph.capacity)))
    top = float(values.max())
    first = np.concatenate(([0], np.cumsum(capacity)[:-1]))
    per_edge = capacity[cols]
    edge_of = np.repeat(np.arange(len(rows)), per_edge)
    offset = np.arange(len(edge_of)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    slots = int(capacity.sum())
    r = np.concatenate((rows[edge_of], np.arange(n)))
    c = np.concatenate((first[cols][edge_of] + offset, slots + np.arange(n)))
    data = np.concatenate((top + 1.0 - values[edge_of], np.full(n, top + 1.0 + n * top + 1.0)))
    graph_ = csr_matrix((data, (r, c)), shape=(n, slots + n))
    start = time.perf_counter()
    min_weight_full_bipartite_matching(graph_)
    return time.perf_counter() - start


def peak_mb() -> float:
    """The process's peak resident memory so far, in MB."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024.0


def run(size: int) -> dict[str, Any]:
    """Measure one cohort size (in this process).

    The first match gives the result and the peak memory; then ours, our
    solver and each bare solver run in turn, round after round, so that a
    change in the machine's load falls on all of them alike.
    """
    reg = registry()
    match(reg, "bench", *cohort(40), on=ON)  # warm the imports
    leaders, mentors = cohort(size)
    repeat = 3 if size <= 20_000 else 1

    def ours_once() -> float:
        start = time.perf_counter()
        match(reg, "bench", leaders, mentors, on=ON, audience="program")
        return time.perf_counter() - start

    start = time.perf_counter()
    result = match(reg, "bench", leaders, mentors, on=ON, audience="program")
    first = time.perf_counter() - start
    memory = peak_mb()
    graph = feasible_pairs(reg, "bench", leaders, mentors, on=ON)
    # Above 20,000 leaders one run of each: the first match is ours.
    timed: dict[str, Callable[[], float]] = {"ours": ours_once} if repeat > 1 else {}
    timed["solve"] = lambda: our_solve(graph)
    timed["ortools_flow"] = lambda: bare_flow(graph)
    if size <= 20_000:
        timed["scipy_sparse"] = lambda: bare_sparse(graph)
    if size <= 10_000:
        # The engine as it solved before capacity as flow: SciPy on the capacity-expanded
        # graph, part by part (method="sparse"), end to end like ours.
        def old_once() -> float:
            start = time.perf_counter()
            match(reg, "bench", leaders, mentors, on=ON, audience="program", method="sparse")
            return time.perf_counter() - start

        timed["old"] = old_once
    seconds: dict[str, float] = {} if repeat > 1 else {"ours": first}
    for _ in range(repeat):
        for name, measure in timed.items():
            seconds[name] = min(seconds.get(name, math.inf), measure())
    bare = {name: seconds[name] for name in ("ortools_flow", "scipy_sparse") if name in seconds}
    greedy_total, greedy_count = greedy(graph)
    return {
        "leaders": size,
        "mentors": len(mentors),
        "pairs": len(graph.leader),
        "ours_s": round(seconds["ours"], 3),
        "solve_s": round(seconds["solve"], 3),
        "old_s": round(seconds["old"], 3) if "old" in seconds else None,
        "bare": {name: round(value, 3) for name, value in bare.items()},
        "ratio": round(seconds["ours"] / min(bare.values()), 2),
        "ours_total": round(result.total_score, 4),
        "greedy_total": round(greedy_total, 4),
        "matched": len(result.assignments),
        "greedy_matched": greedy_count,
        "components": result.components,
        "peak_mb": round(memory, 1),
    }


def suggest_figures(n_mentors: int = 10_000) -> dict[str, Any]:
    """Seconds for suggestions over ``n_mentors`` mentors (and four times as many leaders).

    ``one_call_s``: one :func:`~mentorcore.matching.suggest` call, which
    decides the mentor rule and encodes the cohort for that one answer;
    ``prepare_s``: building a :class:`~mentorcore.matching.Suggester` once;
    ``per_leader_ms``: the median of 200 answers from it (one page view each).
    """
    import statistics

    from mentorcore.matching import Suggester, suggest

    reg = registry()
    leaders, mentors = cohort(4 * n_mentors)
    start = time.perf_counter()
    suggest(reg, "bench", leaders[0].id, leaders, mentors, top=5, on=ON)
    one_call = time.perf_counter() - start
    start = time.perf_counter()
    suggester = Suggester(reg, "bench", leaders, mentors, on=ON)
    prepare = time.perf_counter() - start
    times = []
    for person in leaders[:: max(1, len(leaders) // 200)][:200]:
        start = time.perf_counter()
        suggester.suggest(person.id, 5)
        times.append(time.perf_counter() - start)
    return {
        "mentors": len(mentors),
        "leaders": len(leaders),
        "one_call_s": round(one_call, 3),
        "prepare_s": round(prepare, 3),
        "per_leader_ms": round(1000 * statistics.median(times), 2),
    }


def main(argv: Sequence[str]) -> int:
    """Measure each size in a fresh process and print one line (or JSON object) per size."""
    args = list(argv)
    if args[:1] == ["--one"]:
        print(json.dumps(run(int(args[1]))))
        return 0
    if args[:1] == ["--suggest"]:
        print(json.dumps(suggest_figures(int(args[1]) if len(args) > 1 else 10_000)))
        return 0
    as_json = "--json" in args
    sizes = [int(a) for a in args if a != "--json"] or [500, 2000, 5000, 10000]
    if not as_json:
        print(
            f"{'leaders':>7} {'mentors':>7} {'pairs':>10} {'ours s':>7} {'solve s':>7} "
            f"{'old s':>7} {'flow s':>7} "
            f"{'sparse s':>8} {'ratio':>6} {'ours total':>11} {'greedy total':>12} "
            f"{'matched':>8} {'greedy m.':>9} {'peak MB':>8}"
        )
    for size in sizes:
        done = subprocess.run(
            [sys.executable, __file__, "--one", str(size)],
            check=True,
            capture_output=True,
            text=True,
        )
        r = json.loads(done.stdout.strip().splitlines()[-1])
        assert r["ours_total"] >= r["greedy_total"] - 1e-6 or r["matched"] > r["greedy_matched"]
        if as_json:
            print(json.dumps(r))
            continue
        sparse = r["bare"].get("scipy_sparse")
        print(
            f"{r['leaders']:>7} {r['mentors']:>7} {r['pairs']:>10} {r['ours_s']:>7.2f} "
            f"{r['solve_s']:>7.2f} "
            f"{'-' if r['old_s'] is None else format(r['old_s'], '.2f'):>7} "
            f"{r['bare']['ortools_flow']:>7.2f} "
            f"{'-' if sparse is None else f'{sparse:.2f}':>8} {r['ratio']:>6.2f} "
            f"{r['ours_total']:>11.1f} {r['greedy_total']:>12.1f} {r['matched']:>8} "
            f"{r['greedy_matched']:>9} {r['peak_mb']:>8.0f}"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
