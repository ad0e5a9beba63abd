"""The assignment solver: leaders to mentors within capacities, by the program's objective.

:func:`solve` takes the feasible pairs of a cohort (a leader index, a
mentor index and a score per pair) and every mentor's places left, and
returns the pairs chosen. Two objectives:

``participation`` (the default)
    the most leaders matched first, then the largest total score among
    the assignments that match that many;
``score``
    the largest total score, even if fewer leaders are matched (a pair of
    score 0 adds nothing: among assignments of equal total, the one with
    more leaders matched wins).

**Capacity as flow.** The default method, ``flow``, solves a capacitated
min-cost flow with OR-Tools' ``SimpleMinCostFlow``: a source gives each
leader one unit, each feasible pair is an arc of capacity 1 from the leader
to the mentor, and each mentor's arc to the sink carries their places left.
Nothing is expanded: the network has one arc per feasible pair plus one per
person, so time and memory grow with the feasible pairs, never with pairs
× capacity. ``participation`` is OR-Tools' maximum flow of minimum cost;
``score`` adds an arc from the source straight to the sink, so a leader may
stay unmatched where matching them would cost score.

**Score resolution.** The flow solver works on integers: a pair's score
``s`` becomes the cost ``-round(s * 2**k)``. ``k`` is chosen per solve as
the largest whole number up to 40 that keeps every cost times the number of
nodes within OR-Tools' 64-bit range (``max cost x (nodes + 1) <= 2**58``);
:func:`resolution` gives it. The assignment is exact for the rounded scores,
so its total is within ``matched / 2**(k+1)`` of the best total over the
feasible pairs: ``2**-40`` (about ``9.1e-13``) per pair on every benchmark
size, and never coarser than ``2**-20`` (about ``1e-6``): a cohort that
would need that is refused with a :class:`~mentorcore.errors.MentorcoreError`
(it would be millions of people with weights in the thousands). Reported
scores and totals are always the exact floating-point sums, never the
rounded ones.

The SciPy methods (``sparse``: ``min_weight_full_bipartite_matching`` on
the capacity-expanded graph; ``dense``: ``linear_sum_assignment``) solve the
``participation`` objective only. They are kept as cross-checks for the
tests and benchmarks and as the fallback when OR-Tools is not installed
(``auto``); their memory grows with pairs × capacity.

NumPy, SciPy and OR-Tools are imported when a solve runs.
"""

from __future__ import annotations

import importlib.util
import math
from typing import TYPE_CHECKING

from mentorcore.errors import InputError, MentorcoreError

if TYPE_CHECKING:
    import numpy as np
    import numpy.typing as npt

    Indices = npt.NDArray[np.intp]
    Floats = npt.NDArray[np.float64]

__all__ = [
    "METHODS",
    "OBJECTIVES",
    "flow_available",
    "resolution",
    "solve",
]

#: The objectives a match can follow.
OBJECTIVES = ("participation", "score")

#: The solver methods: ``auto`` is ``flow`` when OR-Tools is installed, else ``sparse``.
METHODS = ("auto", "flow", "sparse", "dense")

# Largest and smallest binary exponent of the integer score scale.
_MAX_EXPONENT = 40
_MIN_EXPONENT = 20
# OR-Tools refuses costs whose magnitude times the node count nears 2**61 (measured
# with 9.15); two bits of margin.
_COST_RANGE = 2**58


def flow_available() -> bool:
    """Whether OR-Tools (the ``flow`` solver) is installed."""
    return importlib.util.find_spec("ortools") is not None


def resolution(top_score: float, nodes: int, multiplier: int = 1) -> int:
    """The binary exponent ``k`` of the integer scale ``2**k`` for one solve.

    ``top_score`` is the largest pair score, ``nodes`` the network's node
    count, ``multiplier`` a further factor on every cost (the ``score``
    objective's tie-break). Raises a :class:`MentorcoreError` where even
    ``2**20`` would overflow OR-Tools' costs.
    """
    top = max(float(top_score), 1.0) * multiplier * (nodes + 1)
    exponent = min(_MAX_EXPONENT, math.floor(math.log2(_COST_RANGE / top)))
    if exponent < _MIN_EXPONENT:
        raise MentorcoreError(
            f"the cohort is too large to match at a score resolution of 2**-{_MIN_EXPONENT}: "
            f"{nodes} people with pair scores up to {top_score:g}; lower the weights or "
            "split the cohort"
        )
    return exponent


def solve(
    rows: Indices,
    cols: Indices,
    scores: Floats,
    capacity: Indices,
    n_rows: int,
    *,
    objective: str = "participation",
    method: str = "auto",
) -> Indices:
    """Indices of the pairs chosen.

    ``rows[k]``, ``cols[k]`` and ``scores[k]`` are the leader, the mentor and
    the score of feasible pair ``k`` (leaders ``0 .. n_rows - 1``, mentors
    indexing ``capacity``, each mentor's places left). Each leader gets at
    most one mentor and each mentor at most ``capacity`` leaders.
    """
    import numpy as np

    if objective not in OBJECTIVES:
        raise InputError(path="objective", found=objective, expected=" or ".join(OBJECTIVES))
    if method not in METHODS:
        raise InputError(path="method", found=method, expected=", ".join(METHODS))
    if not len(rows):
        return np.zeros(0, dtype=np.intp)
    if method == "auto":
        method = "flow" if flow_available() or objective != "participation" else "scipy"
    if method == "flow":
        return _flow(rows, cols, scores, capacity, n_rows, objective)
    if objective != "participation":
        raise InputError(
            path="method",
            found=method,
            expected="the flow method for the score objective (SciPy's solve participation only)",
        )
    return _scipy(rows, cols, scores, capacity, n_rows, method)


def _flow(
    rows: Indices, cols: Indices, scores: Floats, capacity: Indices, n_rows: int, objective: str
) -> Indices:
    import numpy as np

    try:
        from ortools.graph.python import min_cost_flow
    except ImportError:  # pragma: no cover - depends on the environment
        raise MentorcoreError(
            "the flow solver needs OR-Tools: pip install 'mentorcore[matching]'"
        ) from None

    n_edges = len(rows)
    n_cols = len(capacity)
    source, sink = n_rows + n_cols, n_rows + n_cols + 1
    nodes = n_rows + n_cols + 2
    # The score objective breaks ties between equal totals by matching more leaders:
    # each pair earns one more unit, and scores are scaled by (leaders + 1) above it.
    multiplier = n_rows + 1 if objective == "score" else 1
    exponent = resolution(float(scores.max()), nodes, multiplier)
    integral = np.rint(scores * float(2**exponent)).astype(np.int64)
    if objective == "score":
        integral = integral * multiplier + 1
    smcf = min_cost_flow.SimpleMinCostFlow()
    # Pair arcs first, so arc k is pair k.
    tails = np.concatenate((rows.astype(np.int64), np.full(n_rows, source, dtype=np.int64)))
    heads = np.concatenate((n_rows + cols.astype(np.int64), np.arange(n_rows, dtype=np.int64)))
    capacities = np.ones(n_edges + n_rows, dtype=np.int64)
    costs = np.concatenate((-integral, np.zeros(n_rows, dtype=np.int64)))
    smcf.add_arcs_with_capacity_and_unit_cost(tails, heads, capacities, costs)
    # A mentor never needs more places than candidates (and one without any, none).
    places = np.minimum(capacity, np.bincount(cols, minlength=n_cols)).astype(np.int64)
    smcf.add_arcs_with_capacity_and_unit_cost(
        n_rows + np.arange(n_cols, dtype=np.int64),
        np.full(n_cols, sink, dtype=np.int64),
        places,
        np.zeros(n_cols, dtype=np.int64),
    )
    if objective == "score":
        smcf.add_arc_with_capacity_and_unit_cost(source, sink, n_rows, 0)
    smcf.set_nodes_supplies(
        np.array([source, sink], dtype=np.int64), np.array([n_rows, -n_rows], dtype=np.int64)
    )
    status = smcf.solve_max_flow_with_min_cost() if objective == "participation" else smcf.solve()
    if status != smcf.OPTIMAL:  # pragma: no cover - a bug, not an input
        raise MentorcoreError(f"the flow solver ended with status {status!r}")
    flows = smcf.flows(np.arange(n_edges, dtype=np.int64))
    chosen: Indices = np.flatnonzero(flows > 0)
    return chosen


def _scipy(
    rows: Indices, cols: Indices, scores: Floats, capacity: Indices, n_rows: int, method: str
) -> Indices:
    """The participation objective on the capacity-expanded graph, with SciPy."""
    import numpy as np

    n_edges = len(rows)
    degree = np.bincount(cols, minlength=len(capacity))
    slots = np.minimum(capacity, degree)  # a mentor never needs more places than candidates
    start = np.concatenate(([0], np.cumsum(slots)[:-1]))
    n_slots = int(slots.sum())
    top = max(float(scores.max()), 0.0)
    per_edge = slots[cols]
    edge_of = np.repeat(np.arange(n_edges), per_edge)
    offset = np.arange(len(edge_of)) - np.repeat(np.cumsum(per_edge) - per_edge, per_edge)
    slot_of = start[cols][edge_of] + offset
    owner = np.repeat(np.arange(len(capacity)), slots)
    if method == "scipy":  # no OR-Tools: small or dense parts solve best as a dense matrix
        dense = n_rows * n_slots <= 40_000 or len(edge_of) * 4 >= n_rows * n_slots
        method = "dense" if dense else "sparse"
    if method == "dense":
        from scipy.optimize import linear_sum_assignment

        bonus = n_rows * top + 1.0  # any extra matched pair outweighs every score difference
        table = np.zeros((n_rows, n_slots))
        table[rows[edge_of], slot_of] = scores[edge_of] + bonus
        picked_rows, picked_slots = linear_sum_assignment(table, maximize=True)
        keep = table[picked_rows, picked_slots] > 0
        picked_rows, picked_slots = picked_rows[keep], picked_slots[keep]
    else:
        from scipy.sparse import csr_matrix
        from scipy.sparse.csgraph import min_weight_full_bipartite_matching

        # Costs are positive: K - score on real edges, and a private fallback
        # column per row whose cost exceeds any real matching's.
        base = top + 1.0
        fallback = base + n_rows * top + 1.0
        data = np.concatenate((base - scores[edge_of], np.full(n_rows, fallback)))
        r = np.concatenate((rows[edge_of], np.arange(n_rows)))
        c = np.concatenate((slot_of, n_slots + np.arange(n_rows)))
        graph = csr_matrix((data, (r, c)), shape=(n_rows, n_slots + n_rows))
        picked_rows, picked_slots = min_weight_full_bipartite_matching(graph)
        keep = picked_slots < n_slots
        picked_rows, picked_slots = picked_rows[keep], picked_slots[keep]
    # Map (row, mentor) back to an edge index.
    key = rows.astype(np.int64) * len(capacity) + cols
    order = np.argsort(key, kind="stable")
    wanted = picked_rows.astype(np.int64) * len(capacity) + owner[picked_slots]
    found: Indices = order[np.searchsorted(key[order], wanted)]
    return found
