"""The flow solver's shortlist and its certificate: the same optimum as the whole network.

A large network is solved on a shortlist of each leader's and each mentor's
best pairs and proved optimal for every pair by node potentials
(:class:`mentorcore.matching.solver._Network`). These tests shrink the
shortlist and its thresholds so that small random networks take that path,
often needing more than one round, and compare the answer with a solve of
the whole network and with enumeration.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any
from unittest import mock

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from mentorcore.matching import solver
from mentorcore.matching.solver import solve

Network = tuple[Any, Any, Any, Any, int]


@contextmanager
def shortlist_of(size: int, rounds: int = 3) -> Iterator[list[int]]:
    """Shortlist every network to ``size`` pairs a person; yields the solves' arc counts."""
    calls: list[int] = []
    whole = solver._Network.solve

    def counted(self: Any, arcs: Any = None) -> Any:
        calls.append(len(self.rows) if arcs is None else len(arcs))
        return whole(self, arcs)

    with (
        mock.patch.object(solver, "_SHORTLIST", size),
        mock.patch.object(solver, "_SHORTLIST_MIN_PAIRS", 0),
        mock.patch.object(solver, "_ROUNDS", rounds),
        mock.patch.object(solver._Network, "solve", counted),
    ):
        yield calls


def value(network: Network, chosen: Any) -> tuple[int, float]:
    """(pairs chosen, their total score), after checking the capacities hold."""
    rows, cols, scores, capacity, _ = network
    assert len(set(rows[chosen].tolist())) == len(chosen)  # a leader once at most
    assert (np.bincount(cols[chosen], minlength=len(capacity)) <= capacity).all()
    return len(chosen), float(scores[chosen].sum())


@st.composite
def networks(draw: st.DrawFn, max_rows: int = 30, max_cols: int = 12, min_cols: int = 1) -> Network:
    """Dense random networks: most leaders have most mentors, scores with ties."""
    n_rows = draw(st.integers(1, max_rows))
    n_cols = draw(st.integers(min_cols, max_cols))
    density = draw(st.sampled_from((0.8, 1.0) if min_cols > 1 else (0.5, 0.8, 1.0)))
    seed = draw(st.integers(0, 2**32 - 1))
    rng = np.random.default_rng(seed)
    grid = [(i, j) for i in range(n_rows) for j in range(n_cols) if rng.random() < density]
    if not grid:
        grid = [(0, 0)]
    rows = np.array([i for i, _ in grid], dtype=np.intp)
    cols = np.array([j for _, j in grid], dtype=np.intp)
    # Few distinct scores, so that many assignments tie.
    scores = rng.integers(0, draw(st.sampled_from((3, 10, 1000))), size=len(grid)) / 4.0
    capacity = rng.integers(1, draw(st.integers(1, 4)) + 1, size=n_cols).astype(np.intp)
    return rows, cols, scores, capacity, n_rows


@settings(max_examples=200, deadline=None)
@given(st.integers(1, 2), st.sampled_from(("participation", "score")), st.data())
def test_a_shortlisted_solve_finds_the_optimum_of_the_whole_network(
    size: int, objective: str, data: st.DataObject
) -> None:
    # Wide enough that each leader has more than twice the shortlist: it is used.
    network = data.draw(networks(min_cols=3 * size + 1))
    rows, cols, scores, capacity, n_rows = network
    assume(len(rows) > size * max(2 * n_rows, n_rows + len(capacity)))
    whole = solve(rows, cols, scores, capacity, n_rows, objective=objective, method="flow")
    with shortlist_of(size) as calls:
        listed = solve(rows, cols, scores, capacity, n_rows, objective=objective, method="flow")
    assert calls[0] < len(rows)  # the first solve was of a shortlist
    best, found = value(network, whole), value(network, listed)
    assert found[0] == best[0] or objective == "score"
    assert found[1] == pytest.approx(best[1], abs=1e-9)
    if objective == "score":
        # Among equal totals, the most leaders (the tie-break).
        assert found[0] == best[0]


def enumerate_best(network: Network, objective: str) -> tuple[int, float]:
    """The best (pairs, total) of a tiny network, by trying every assignment."""
    rows, cols, scores, capacity, n_rows = network
    options: list[list[int | None]] = [[None] for _ in range(n_rows)]
    for k, i in enumerate(rows.tolist()):
        options[i].append(k)
    best: tuple[int, float] | None = None
    for choice in itertools.product(*options):
        picked = [k for k in choice if k is not None]
        if (np.bincount(cols[picked], minlength=len(capacity)) > capacity).any():
            continue
        candidate = (len(picked), float(scores[picked].sum()))
        key = candidate if objective == "participation" else (candidate[1], candidate[0])
        if best is None or key > (best if objective == "participation" else (best[1], best[0])):
            best = candidate
    assert best is not None
    return best


@settings(max_examples=120, deadline=None)
@given(networks(max_rows=6, max_cols=3), st.sampled_from(("participation", "score")))
def test_a_shortlist_of_one_pair_a_person_still_finds_the_enumerated_optimum(
    network: Network, objective: str
) -> None:
    rows, cols, scores, capacity, n_rows = network
    with shortlist_of(1):
        listed = solve(rows, cols, scores, capacity, n_rows, objective=objective, method="flow")
    count, total = value(network, listed)
    best = enumerate_best(network, objective)
    assert count == best[0]
    assert total == pytest.approx(best[1], abs=1e-9)


def crowded() -> Network:
    """Forty leaders who all rank the same two mentors first; eight mentors of two places."""
    rng = np.random.default_rng(7)
    rows = np.repeat(np.arange(40), 8).astype(np.intp)
    cols = np.tile(np.arange(8), 40).astype(np.intp)
    scores = rng.random(len(rows)) + np.where(cols < 2, 5.0, 0.0)
    return rows, cols, scores, np.full(8, 2, dtype=np.intp), 40


def test_a_shortlist_that_misses_the_optimum_grows_until_it_is_certified() -> None:
    network = crowded()
    whole = solve(*network[:4], network[4], method="flow")
    with shortlist_of(2) as calls:
        listed = solve(*network[:4], network[4], method="flow")
    # More than one round, each on fewer arcs than the whole network.
    assert len(calls) >= 2
    assert all(arcs < len(network[0]) for arcs in calls)
    assert value(network, listed) == pytest.approx(value(network, whole))


def test_when_the_rounds_run_out_the_whole_network_is_solved() -> None:
    network = crowded()
    whole = solve(*network[:4], network[4], method="flow")
    with shortlist_of(1, rounds=1) as calls:
        listed = solve(*network[:4], network[4], method="flow")
    assert calls[-1] == len(network[0])  # the last solve is of every pair
    assert value(network, listed) == pytest.approx(value(network, whole))


def test_a_small_or_sparse_network_is_solved_whole() -> None:
    network = crowded()  # 320 pairs: far below the shortlist's threshold
    with mock.patch.object(solver._Network, "solve_certified") as certified:
        solve(*network[:4], network[4], method="flow")
    certified.assert_not_called()


def test_distances_that_do_not_settle_are_no_certificate() -> None:
    # A negative cycle 0 -> 1 -> 0: no potentials exist.
    tails = np.array([0, 1], dtype=np.int64)
    heads = np.array([1, 0], dtype=np.int64)
    weights = np.array([-2, 1], dtype=np.int64)
    assert solver._shortest_from_root(tails, heads, weights, 2, floor=-10) is None
    # Without the cycle the distances are the shortest ones from a root joined to both.
    settled = solver._shortest_from_root(tails, heads, np.array([-2, 3]), 2, floor=-10)
    assert settled is not None
    assert settled.tolist() == [0, -2]


def test_the_shortlist_grows_with_the_number_of_leaders() -> None:
    def size(leaders: int) -> int:
        empty = np.zeros(0, dtype=np.int64)
        return solver._Network(
            empty, empty, empty, empty, leaders, "participation"
        ).shortlist_size()

    assert size(500) == size(10_000) == 32
    assert size(100_000) == 48
    assert size(1_000_000) == 64
