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

**Shortlist, then proof.** A leader with many candidate mentors ends up
with one of their best few. On a large, dense network (a million pairs or
more, over twice the shortlist a leader) the flow is first solved over a
shortlist: each leader's and each mentor's best 32 pairs (more above
10,000 leaders: 48 at 100,000). The answer is
then proved optimal for the whole network, by linear-programming duality:
node potentials under which no residual arc of the shortlist's network
costs less than nothing are computed (Bellman-Ford), and every pair left
out is checked against them. A pair that fails could improve the answer:
its leader's pairs join the shortlist and the solve is repeated (after
three rounds the whole network is solved instead). So the assignment is
always optimal over every feasible pair, never over the shortlist only; on
the benchmark's 10,000 leaders (1.6 million pairs) it is found in one round,
in about half the time of a solve of the whole network (see
``docs/performance.md``).

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
from concurrent.futures import ThreadPoolExecutor
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

    n_cols = len(capacity)
    nodes = n_rows + n_cols + 2
    # The score objective breaks ties between equal totals by matching more leaders:
    # each pair earns one more unit, and scores are scaled by (leaders + 1) above it.
    multiplier = n_rows + 1 if objective == "score" else 1
    exponent = resolution(float(scores.max()), nodes, multiplier)
    integral = np.rint(scores * float(2**exponent)).astype(np.int64)
    if objective == "score":
        integral = integral * multiplier + 1
    network = _Network(
        rows.astype(np.int64),
        cols.astype(np.int64),
        -integral,
        # A mentor never needs more places than candidates (and one without any, none).
        np.minimum(capacity, np.bincount(cols, minlength=n_cols)).astype(np.int64),
        n_rows,
        objective,
    )
    used = network.solve_certified() if network.worth_shortlisting() else network.solve()
    chosen: Indices = np.flatnonzero(used)
    return chosen


# A large network is first solved on a shortlist: each leader's and each mentor's
# best pairs (by score). Measured on the benchmark's 10,000-leader cohort (160
# candidates a leader): 28 or 32 of each is certified in one round, in 0.46 s
# against 0.88 s for the whole network; 12 to 24 need a second round. The more
# leaders, the likelier one of them needs a pair beyond their best 32, so the
# shortlist grows by 16 per tenfold above 10,000 leaders: at 100,000 (178
# candidates a leader), 32 left 2 leaders to a second round (11.7 s in all) and
# 48 was certified in one (8.1 s), against 14.8 s for the whole network.
_SHORTLIST = 32
_SHORTLIST_GROWTH = 16
# Below this many pairs, or with fewer than twice the shortlist per leader, the
# whole network is solved at once: at 5,000 leaders (396,001 pairs) the whole
# network solves in 0.18 s and a shortlist does not pay.
_SHORTLIST_MIN_PAIRS = 1_000_000
# Rounds of shortlist growth before the whole network is solved instead.
_ROUNDS = 3
# Rounds of Bellman-Ford before a certificate is given up (and the whole network solved).
_SETTLE_ROUNDS = 2_000


class _Network:
    """The min-cost flow network of one solve, and its certified shortlist solve.

    Nodes: leaders ``0 .. n_rows - 1``, mentors after them, then the source
    and the sink. Arc ``k`` is pair ``k`` (cost ``costs[k]``, capacity 1).

    **Shortlist and certificate.** Most pairs of a large cohort cannot be in
    any optimal assignment: a leader with 160 candidate mentors ends up with
    one of their best few. :meth:`solve_certified` solves the network on a
    shortlist (each leader's and each mentor's best pairs), then proves the
    answer optimal for the whole network by linear-programming duality: node
    potentials under which no arc of the shortlist's residual network has a
    negative reduced cost (computed by Bellman-Ford), checked against every
    pair left out. A pair that fails the check could improve the answer; its
    leader's pairs join the shortlist and the solve is repeated. The answer
    returned is therefore optimal over every feasible pair, exactly as a
    solve of the whole network; only the time differs.

    For ``participation`` (maximum flow, then minimum cost) the certificate
    adds an arc from the sink back to the source whose cost, ``-big``, is
    below any difference of cost between two assignments, so that one more
    leader matched always outweighs score.
    """

    def __init__(
        self,
        rows: npt.NDArray[np.int64],
        cols: npt.NDArray[np.int64],
        costs: npt.NDArray[np.int64],
        places: npt.NDArray[np.int64],
        n_rows: int,
        objective: str,
    ) -> None:
        self.rows, self.cols, self.costs, self.places = rows, cols, costs, places
        self.n_rows, self.n_cols = n_rows, len(places)
        self.objective = objective
        self.source = n_rows + self.n_cols
        self.sink = self.source + 1
        self.nodes = self.sink + 1

    def worth_shortlisting(self) -> bool:
        """Whether the network is large and dense enough for a shortlist to pay."""
        pairs = len(self.rows)
        return pairs >= _SHORTLIST_MIN_PAIRS and pairs > 2 * self.shortlist_size() * self.n_rows

    def shortlist_size(self) -> int:
        """How many of each person's best pairs the shortlist holds, for this many leaders."""
        tenfolds = max(0.0, math.log10(max(self.n_rows, 1) / 10_000))
        return _SHORTLIST + round(_SHORTLIST_GROWTH * tenfolds)

    def solve(self, arcs: npt.NDArray[np.intp] | None = None) -> npt.NDArray[np.bool_]:
        """Which pairs carry flow in an optimal solve over ``arcs`` (default: every pair)."""
        import numpy as np

        try:
            from ortools.graph.python import min_cost_flow
        except ImportError:  # pragma: no cover - depends on the environment
            raise MentorcoreError(
                "the flow solver needs OR-Tools: pip install 'mentorcore[matching]'"
            ) from None

        rows = self.rows if arcs is None else self.rows[arcs]
        cols = self.cols if arcs is None else self.cols[arcs]
        costs = self.costs if arcs is None else self.costs[arcs]
        n_rows, n_cols, n_edges = self.n_rows, self.n_cols, len(rows)
        source, sink = self.source, self.sink
        smcf = min_cost_flow.SimpleMinCostFlow()
        # Pair arcs first, so arc k is pair k.
        smcf.add_arcs_with_capacity_and_unit_cost(
            np.concatenate((rows, np.full(n_rows, source, dtype=np.int64))),
            np.concatenate((n_rows + cols, np.arange(n_rows, dtype=np.int64))),
            np.ones(n_edges + n_rows, dtype=np.int64),
            np.concatenate((costs, np.zeros(n_rows, dtype=np.int64))),
        )
        smcf.add_arcs_with_capacity_and_unit_cost(
            n_rows + np.arange(n_cols, dtype=np.int64),
            np.full(n_cols, sink, dtype=np.int64),
            self.places,
            np.zeros(n_cols, dtype=np.int64),
        )
        if self.objective == "score":
            smcf.add_arc_with_capacity_and_unit_cost(source, sink, n_rows, 0)
        smcf.set_nodes_supplies(
            np.array([source, sink], dtype=np.int64),
            np.array([n_rows, -n_rows], dtype=np.int64),
        )
        status = (
            smcf.solve_max_flow_with_min_cost()
            if self.objective == "participation"
            else smcf.solve()
        )
        if status != smcf.OPTIMAL:  # pragma: no cover - a bug, not an input
            raise MentorcoreError(f"the flow solver ended with status {status!r}")
        used: npt.NDArray[np.bool_] = smcf.flows(np.arange(n_edges, dtype=np.int64)) > 0
        return used

    def shortlist(self) -> npt.NDArray[np.bool_]:
        """Each leader's and each mentor's best pairs (:meth:`shortlist_size` of each)."""
        import numpy as np

        size = self.shortlist_size()

        span = float(self.costs.max() - self.costs.min()) + 1.0
        # Within a person's pairs, the lowest cost (best score) first; one sort a side.
        within = (self.costs - self.costs.min()) / span

        def best(owner: npt.NDArray[np.int64], people: int) -> npt.NDArray[np.intp]:
            order = np.argsort(owner + within)
            # Where each person's pairs begin in that order, and each pair's rank there.
            counts = np.bincount(owner, minlength=people)
            begins = np.cumsum(counts) - counts
            rank = np.arange(len(order)) - begins[owner[order]]
            found: npt.NDArray[np.intp] = order[rank < size]
            return found

        # The two sides are independent and NumPy sorts without the GIL: on two
        # cores, sorting them at once takes 0.11 s instead of 0.17 s at 1.6 million pairs.
        with ThreadPoolExecutor(max_workers=2) as pool:
            sides = [
                pool.submit(best, self.rows, self.n_rows),
                pool.submit(best, self.cols, self.n_cols),
            ]
            chosen = np.zeros(len(self.rows), dtype=bool)
            for side in sides:
                chosen[side.result()] = True
        return chosen

    def potentials(
        self, arcs: npt.NDArray[np.intp], used: npt.NDArray[np.bool_]
    ) -> npt.NDArray[np.int64] | None:
        """Node potentials certifying the solve over ``arcs`` optimal on its residual network.

        Shortest distances from a root joined to every node, by Bellman-Ford;
        ``None`` if they do not settle (a negative cycle: the solve was not optimal).
        """
        import numpy as np

        rows, cols, costs = self.rows[arcs], self.cols[arcs], self.costs[arcs]
        n_rows, n_cols, source, sink = self.n_rows, self.n_cols, self.source, self.sink
        leaders = np.arange(n_rows, dtype=np.int64)
        mentors = n_rows + np.arange(n_cols, dtype=np.int64)
        matched = np.zeros(n_rows, dtype=bool)
        matched[rows[used]] = True
        load = np.bincount(cols[used], minlength=n_cols)
        free, busy = load < self.places, load > 0
        flow = int(matched.sum())
        # A residual arc runs forward where the arc has room, backward where it carries flow.
        tails = [np.where(used, n_rows + cols, rows), np.where(matched, leaders, source)]
        heads = [np.where(used, rows, n_rows + cols), np.where(matched, source, leaders)]
        weights = [np.where(used, -costs, costs), np.zeros(n_rows, dtype=np.int64)]
        tails += [mentors[free], np.full(int(busy.sum()), sink, dtype=np.int64)]
        heads += [np.full(int(free.sum()), sink, dtype=np.int64), mentors[busy]]
        weights.append(np.zeros(int(free.sum() + busy.sum()), dtype=np.int64))
        # The source-sink arc: the score objective's "leave unmatched" arc (cost 0), or
        # participation's return arc, whose cost -big rewards every leader matched.
        big = 0
        if self.objective == "participation":
            big = 2 * self.nodes * int(np.abs(self.costs).max()) + 1
        back = [(sink, source, -big)] if flow < n_rows else []
        back += [(source, sink, big)] if flow > 0 else []
        for tail, head, weight in back:
            tails.append(np.array([tail], dtype=np.int64))
            heads.append(np.array([head], dtype=np.int64))
            weights.append(np.array([weight], dtype=np.int64))
        # No simple path costs less than this: below it, the distances are not settling.
        floor = -(big + self.nodes * int(np.abs(self.costs).max()))
        return _shortest_from_root(
            np.concatenate(tails),
            np.concatenate(heads),
            np.concatenate(weights),
            self.nodes,
            floor,
        )

    def solve_certified(self) -> npt.NDArray[np.bool_]:
        """An optimal solve of the whole network, found on a shortlist and certified."""
        import numpy as np

        listed = self.shortlist()
        for _ in range(_ROUNDS):
            arcs = np.flatnonzero(listed)
            used = self.solve(arcs)
            potential = self.potentials(arcs, used)
            if potential is None:  # pragma: no cover - the solver was not optimal
                break
            reduced = self.costs + potential[self.rows]
            reduced -= potential[self.n_rows + self.cols]
            better = np.flatnonzero((reduced < 0) & ~listed)
            if not len(better):
                found = np.zeros(len(self.rows), dtype=bool)
                found[arcs[used]] = True
                return found
            # Pairs that could improve the answer: their leaders' pairs join the shortlist.
            join = np.zeros(self.n_rows, dtype=bool)
            join[self.rows[better]] = True
            listed |= join[self.rows]
        return self.solve()


def _shortest_from_root(
    tails: npt.NDArray[np.int64],
    heads: npt.NDArray[np.int64],
    weights: npt.NDArray[np.int64],
    nodes: int,
    floor: int,
) -> npt.NDArray[np.int64] | None:
    """Shortest distances to every node from a root with a 0-cost arc to each.

    Bellman-Ford, vectorised, stopping as soon as no distance changes (SciPy's
    ``bellman_ford`` always runs every one of its ``nodes - 1`` rounds, which
    at 12,500 nodes takes seconds; on the benchmark's cohorts this settles in
    about a hundred). ``None`` when the distances do not settle within
    :data:`_SETTLE_ROUNDS` rounds or fall below ``floor`` (a negative cycle):
    the caller then solves the whole network instead.
    """
    import numpy as np

    order = np.argsort(heads, kind="stable")
    tails, heads, weights = tails[order], heads[order], weights[order]
    starts = np.flatnonzero(np.concatenate(([True], heads[1:] != heads[:-1])))
    targets = heads[starts]
    distance = np.zeros(nodes, dtype=np.int64)
    for _ in range(_SETTLE_ROUNDS):
        best = np.minimum.reduceat(distance[tails] + weights, starts)
        better = best < distance[targets]
        if not better.any():
            return distance
        distance[targets[better]] = best[better]
        if distance.min() < floor:
            return None
    return None


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
