"""Matching leaders with mentors: criteria, hard constraints, an optimal assignment.

The entry point is :func:`match`::

    from mentorcore.matching import match

    result = match(registry, "ipa", people.leaders, people.mentors,
                   on=datetime.date(2024, 8, 1), weights={"goals": 2})
    for assignment in result.assignments:
        print(assignment.leader, assignment.mentor, assignment.score)

See :mod:`mentorcore.matching.engine` for the steps and
:mod:`mentorcore.matching.criteria` for the criteria and how a plug-in adds
one. NumPy and SciPy are imported only when matching runs.
"""

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

__all__ = [
    "BUILTIN_CRITERIA",
    "DEFAULT_WEIGHTS",
    "Assignment",
    "Cohort",
    "Criterion",
    "Load",
    "MatchError",
    "MatchResult",
    "MentorExcluded",
    "PairScorer",
    "Reason",
    "ScoreMatrix",
    "Unmatched",
    "WeightedCriterion",
    "builtin_criteria",
    "match",
    "pair_criterion",
    "parse_pairs",
    "parse_weights",
    "resolve_weights",
    "score_matrix",
]
