"""Matching leaders with mentors: criteria, hard constraints, an optimal assignment.

The entry point is :func:`match`::

    from mentorcore.matching import match

    result = match(registry, "ipa", people.leaders, people.mentors,
                   on=datetime.date(2024, 8, 1), weights={"goals": 2})
    for assignment in result.assignments:
        print(assignment.leader, assignment.mentor, assignment.score)

See :mod:`mentorcore.matching.engine` for the steps,
:mod:`mentorcore.matching.criteria` for the criteria and how a plug-in adds
one, :mod:`mentorcore.matching.solver` for the assignment (capacity as flow),
:mod:`mentorcore.matching.pairs` for keeps and declines,
:mod:`mentorcore.matching.costs` for what each constraint costs and
:mod:`mentorcore.matching.suggestions` for the best mentors of one leader.
NumPy, SciPy and OR-Tools are imported only when matching runs.
"""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from mentorcore.matching.costs import Blocking, ConstraintCost
    from mentorcore.matching.criteria import (
        BUILTIN_CRITERIA,
        DEFAULT_WEIGHTS,
        Cohort,
        Criterion,
        PairScorer,
        builtin_criteria,
        pair_criterion,
    )
    from mentorcore.matching.engine import (
        Assignment,
        BrokenKeep,
        Load,
        MatchError,
        MatchResult,
        MentorExcluded,
        Reason,
        ScoreMatrix,
        Unmatched,
        WeightedCriterion,
        match,
        parse_pairs,
        parse_weights,
        resolve_weights,
        score_matrix,
    )
    from mentorcore.matching.pairs import PairAction, load_pairs
    from mentorcore.matching.suggestions import Suggester, Suggestion, Suggestions, suggest

# The registry imports the criteria to register the core's own; the engine
# (and the rest of matching) loads only when a name from it is first used.
_EXPORTS: dict[str, str] = {
    "BUILTIN_CRITERIA": "mentorcore.matching.criteria",
    "DEFAULT_WEIGHTS": "mentorcore.matching.criteria",
    "Cohort": "mentorcore.matching.criteria",
    "Criterion": "mentorcore.matching.criteria",
    "PairScorer": "mentorcore.matching.criteria",
    "builtin_criteria": "mentorcore.matching.criteria",
    "pair_criterion": "mentorcore.matching.criteria",
    "Assignment": "mentorcore.matching.engine",
    "Blocking": "mentorcore.matching.costs",
    "BrokenKeep": "mentorcore.matching.engine",
    "ConstraintCost": "mentorcore.matching.costs",
    "PairAction": "mentorcore.matching.pairs",
    "Suggester": "mentorcore.matching.suggestions",
    "Suggestion": "mentorcore.matching.suggestions",
    "Suggestions": "mentorcore.matching.suggestions",
    "load_pairs": "mentorcore.matching.pairs",
    "suggest": "mentorcore.matching.suggestions",
    "Load": "mentorcore.matching.engine",
    "MatchError": "mentorcore.matching.engine",
    "MatchResult": "mentorcore.matching.engine",
    "MentorExcluded": "mentorcore.matching.engine",
    "Reason": "mentorcore.matching.engine",
    "ScoreMatrix": "mentorcore.matching.engine",
    "Unmatched": "mentorcore.matching.engine",
    "WeightedCriterion": "mentorcore.matching.engine",
    "match": "mentorcore.matching.engine",
    "parse_pairs": "mentorcore.matching.engine",
    "parse_weights": "mentorcore.matching.engine",
    "resolve_weights": "mentorcore.matching.engine",
    "score_matrix": "mentorcore.matching.engine",
}


def __getattr__(name: str) -> Any:
    module = _EXPORTS.get(name)
    if module is None:
        raise AttributeError(f"module 'mentorcore.matching' has no attribute {name!r}")
    value = getattr(importlib.import_module(module), name)
    globals()[name] = value
    return value


__all__ = [
    "BUILTIN_CRITERIA",
    "DEFAULT_WEIGHTS",
    "Assignment",
    "Blocking",
    "BrokenKeep",
    "Cohort",
    "ConstraintCost",
    "Criterion",
    "Load",
    "MatchError",
    "MatchResult",
    "MentorExcluded",
    "PairAction",
    "PairScorer",
    "Reason",
    "ScoreMatrix",
    "Suggester",
    "Suggestion",
    "Suggestions",
    "Unmatched",
    "WeightedCriterion",
    "builtin_criteria",
    "load_pairs",
    "match",
    "pair_criterion",
    "parse_pairs",
    "parse_weights",
    "resolve_weights",
    "score_matrix",
    "suggest",
]
