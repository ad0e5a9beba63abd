"""Suggestions for one leader: the best feasible mentors, without solving the cohort.

:func:`suggest` scores one leader against every mentor under the program's
match settings and returns the top ``K`` feasible mentors by score, each
with its reasons, the mentor's load (leaders kept with them in ``pairs``)
and capacity, and, in ``infeasible``, how many mentors each hard
constraint ruled out. A mentor is counted once, under the first constraint
that rules them out, in this order: ``mentor_rule`` (does not qualify under
the program's mentor rule), ``declined`` (a ``never`` pair), ``supervisor``,
``same_school``, ``distance`` (beyond the bound for on-site work), ``full``
(kept leaders fill their capacity) and ``min_score``.

For many questions over one cohort (a page view each), build a
:class:`Suggester` once: it decides the mentor rule and encodes the cohort
a single time, and each :meth:`Suggester.suggest` then scores one leader
against every mentor with NumPy.

Gender and race reasons, like everywhere in matching, reach only the
``program`` audience (:func:`~mentorcore.audience.sees_sensitive_criteria`);
for every other audience their points are left out of ``score`` too. Each
audience's suggestions are ranked and cut to the top ``K`` by exactly the
``score`` that audience is shown:

* ``program`` staff: the full score, sensitive criteria included (the score
  :func:`~mentorcore.matching.match` optimises);
* every other audience (``pair``, ``sponsor``): the score without sensitive
  criteria. A mentor whose shared gender or race would lift them up the list
  is not lifted, so neither the order nor the top ``K`` reveals a criterion
  the audience may not see.

``min_score``, as in a match, compares the score without sensitive criteria
for every audience: gender and race move a mentor up among those over the
bar, never over it. So which mentors it leaves out (and the ``feasible``
and ``infeasible["min_score"]`` counts) is the same for every audience and
reveals nothing hidden.

Equal scores are ordered by mentor id.
"""

from __future__ import annotations

import datetime as dt
import math
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING, Any

from attrs import frozen

from mentorcore.audience import sees_sensitive_criteria
from mentorcore.engagements import Visibility
from mentorcore.errors import InputError, UnknownIdError
from mentorcore.matching.criteria import Cohort
from mentorcore.matching.engine import (
    Reason,
    _Constraints,
    _decide_mentors,
    _people,
    _reasons,
    _scores,
    _visibility,
    resolve_weights,
)
from mentorcore.matching.pairs import PairAction
from mentorcore.people import Leader, Mentor
from mentorcore.programs import MatchSettings, Program

if TYPE_CHECKING:
    from mentorcore.registry import Registry

__all__ = ["INFEASIBLE_ORDER", "Suggester", "Suggestion", "Suggestions", "suggest"]

#: The hard constraints counted in ``infeasible``, in the order a mentor is attributed.
INFEASIBLE_ORDER = (
    "mentor_rule",
    "declined",
    "supervisor",
    "same_school",
    "distance",
    "full",
    "min_score",
)


@frozen
class Suggestion:
    """A feasible mentor for the leader: score, reasons, current load and capacity."""

    mentor: str
    score: float
    reasons: tuple[Reason, ...]
    load: int
    capacity: int


@frozen
class Suggestions:
    """The top feasible mentors for one leader, and what ruled the others out.

    ``infeasible`` maps each hard constraint (see :data:`INFEASIBLE_ORDER`)
    to how many mentors it ruled out; ``feasible`` is how many mentors were
    feasible in all (``suggestions`` holds the best ``top`` of them).
    """

    program: str
    on: dt.date
    audience: Visibility
    leader: str
    suggestions: tuple[Suggestion, ...]
    infeasible: Mapping[str, int]
    feasible: int
    mentors: int

    def to_data(self) -> dict[str, Any]:
        """Plain data for JSON: ``mentorcore.to_data(suggestions)``."""
        from mentorcore.output import to_data

        data: dict[str, Any] = to_data(self)
        return data


class Suggester:
    """One cohort prepared for suggestions: mentor rule decided, attributes encoded once.

    ``cohort_ids`` are the ids of every leader of the cohort, when ``leaders``
    holds only those to ask about: a ``keep`` of any of them takes a place
    (default: the ids of ``leaders``). The ranking compares the score
    ``audience`` is shown (for anyone but ``program`` staff, without
    sensitive criteria); ``min_score`` the score without sensitive criteria,
    for every audience (see the module's description).
    """

    def __init__(
        self,
        registry: Registry,
        program: str | Program,
        leaders: Iterable[Leader],
        mentors: Iterable[Mentor],
        *,
        on: dt.date | None = None,
        weights: Mapping[str, float] | None = None,
        pairs: Iterable[PairAction] = (),
        max_distance_km: float | None = None,
        min_score: float | None = None,
        audience: Visibility | str = Visibility.PAIR,
        cohort_ids: Iterable[str] | None = None,
    ) -> None:
        import numpy as np

        self.program = registry.program(program) if isinstance(program, str) else program
        self.audience = _visibility(audience)
        self.staff = sees_sensitive_criteria(self.audience)  # the one audience policy
        settings = self.program.matching or MatchSettings()
        self.on = on or dt.date.today()
        self.leaders: list[Leader] = _people(leaders, Leader, "leaders")
        self.mentors: list[Mentor] = _people(mentors, Mentor, "mentors")
        self.weighted = resolve_weights(registry, settings, weights)
        limit = settings.max_distance_km if max_distance_km is None else max_distance_km
        if limit is not None and (not math.isfinite(limit) or limit <= 0):
            raise InputError(
                path="max_distance_km", found=limit, expected="a positive number of km"
            )
        if min_score is not None and (
            isinstance(min_score, bool)
            or not isinstance(min_score, (int, float))
            or not math.isfinite(min_score)
            or min_score < 0
        ):
            raise InputError(path="min_score", found=min_score, expected="a number 0 or more")
        self.limit, self.min_score = limit, min_score
        self.leader_index = {p.id: i for i, p in enumerate(self.leaders)}
        mentor_index = {p.id: j for j, p in enumerate(self.mentors)}
        self.eligible, _ = _decide_mentors(registry, self.program, settings, self.mentors, self.on)
        aliases = {area.id: area.text for area in settings.goal_areas}
        self.cohort = Cohort(self.leaders, self.mentors, limit, aliases)
        self.constraints = _Constraints(self.cohort, limit, ())
        self.prepared = [
            (entry, entry.criterion.prepare(self.cohort, entry.params)) for entry in self.weighted
        ]
        self.gates = {
            entry.criterion.id: np.array(
                [entry.criterion.id in person.prefer_same for person in self.leaders], dtype=bool
            )
            for entry in self.weighted
            if entry.criterion.sensitive
        }
        present = set(self.leader_index if cohort_ids is None else cohort_ids)
        self.load = np.zeros(len(self.mentors), dtype=np.intp)
        self.kept_with: dict[int, int] = {}
        self.declined: dict[int, set[int]] = {}
        for row in pairs:
            i, j = self.leader_index.get(row.leader), mentor_index.get(row.mentor)
            if j is None or (i is None and row.leader not in present):
                continue  # a pair of someone not in this cohort
            if row.action == "never":
                if i is not None:
                    self.declined.setdefault(i, set()).add(j)
            else:
                self.load[j] += 1  # a kept leader takes a place, asked about or not
                if i is not None:
                    self.kept_with[i] = j
        self.capacity = np.array([m.capacity for m in self.mentors], dtype=np.intp)

    def suggest(self, leader: str, top: int = 5) -> Suggestions:
        """The ``top`` best feasible mentors for the leader with id ``leader``.

        Best first by the score shown to this Suggester's audience (equal
        scores by mentor id), after leaving out those whose score without
        sensitive criteria is below ``min_score``.
        """
        import numpy as np

        if isinstance(top, bool) or not isinstance(top, int) or not 1 <= top <= 1000:
            raise InputError(path="top", found=top, expected="a whole number from 1 to 1000")
        i = self.leader_index.get(leader)
        if i is None:
            raise UnknownIdError("leader", leader, self.leader_index)
        n_m = len(self.mentors)
        mentors = np.arange(n_m, dtype=np.intp)
        rows = np.full(n_m, i, dtype=np.intp)
        failed = self.constraints.failures(rows, mentors)
        # The leader's own kept mentor does not count against their place.
        load = self.load.copy()
        own = self.kept_with.get(i)
        if own is not None:
            load[own] -= 1
        declined = np.zeros(n_m, dtype=bool)
        declined[list(self.declined.get(i, ()))] = True
        out = {
            "mentor_rule": ~self.eligible,
            "declined": declined,
            "supervisor": failed["supervisor"],
            "same_school": failed["same_school"],
            "distance": failed.get("too_far", np.zeros(n_m, dtype=bool)),
            "full": load >= self.capacity,
        }
        ruled = np.zeros(n_m, dtype=bool)
        counts: dict[str, int] = {}
        for name in INFEASIBLE_ORDER[:-1]:
            newly = out[name] & ~ruled
            counts[name] = int(newly.sum())
            ruled |= newly
        candidates = mentors[~ruled]
        # The audience's own score, and nothing else, filters, ranks and is shown:
        # were a hidden criterion to move a mentor up or past min_score, the
        # order or the cut would reveal it (that the mentor shares the leader's race).
        scores = _scores(
            self.prepared, self.gates, rows[: len(candidates)], candidates, sensitive=self.staff
        )
        below = np.zeros(len(candidates), dtype=bool)
        if self.min_score is not None:
            # The bar is on the criteria every audience sees, as in a match.
            visible = scores
            if self.staff:
                visible = _scores(
                    self.prepared, self.gates, rows[: len(candidates)], candidates, sensitive=False
                )
            below = visible < self.min_score
        counts["min_score"] = int(below.sum())
        candidates, scores = candidates[~below], scores[~below]
        # Best first; equal scores by mentor id (the mentors are in id order).
        order = np.lexsort((candidates, -scores))[:top]
        chosen = candidates[order]
        reasons = _reasons(self.prepared, self.gates, rows[: len(chosen)], chosen, staff=self.staff)
        suggestions = tuple(
            Suggestion(
                mentor=self.mentors[j].id,
                score=score,  # the very number ranked by, so order and scores agree
                reasons=why,
                load=int(load[j]),
                capacity=int(self.capacity[j]),
            )
            for j, score, (_, why) in zip(
                chosen.tolist(), scores[order].tolist(), reasons, strict=True
            )
        )
        return Suggestions(
            program=self.program.id,
            on=self.on,
            audience=self.audience,
            leader=leader,
            suggestions=suggestions,
            infeasible=counts,
            feasible=len(candidates),
            mentors=n_m,
        )


def suggest(
    registry: Registry,
    program: str | Program,
    leader: str,
    leaders: Iterable[Leader],
    mentors: Iterable[Mentor],
    *,
    top: int = 5,
    on: dt.date | None = None,
    weights: Mapping[str, float] | None = None,
    pairs: Iterable[PairAction] = (),
    max_distance_km: float | None = None,
    min_score: float | None = None,
    audience: Visibility | str = Visibility.PAIR,
) -> Suggestions:
    """The ``top`` best feasible mentors for one leader, without solving the cohort.

    ``leader`` is the id of one of ``leaders``; ``pairs`` are keeps (they
    fill the mentor's places: ``load``) and declines (``never``: ruled out).
    The other options are those of :func:`~mentorcore.matching.match`;
    the ranking compares the score ``audience`` is shown: the full score for
    ``program`` staff, the score without sensitive criteria (gender, race)
    for every other audience, so that the order reveals no hidden criterion.
    ``min_score``, as in a match, compares the score without sensitive
    criteria for every audience. Equal scores are ordered by mentor id.
    """
    # Only the one leader is encoded; the others' ids still count their kept places.
    everyone = list(leaders)
    asked = [person for person in everyone if getattr(person, "id", None) == leader]
    if not asked:
        _people(everyone, Leader, "leaders")  # the same input errors as a match
        raise UnknownIdError("leader", leader, [getattr(p, "id", "?") for p in everyone])
    return Suggester(
        registry,
        program,
        asked,
        mentors,
        cohort_ids=[str(getattr(person, "id", "")) for person in everyone],
        on=on,
        weights=weights,
        pairs=pairs,
        max_distance_km=max_distance_km,
        min_score=min_score,
        audience=audience,
    ).suggest(leader, top)
