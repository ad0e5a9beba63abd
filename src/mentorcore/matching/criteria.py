"""Matching criteria: how a leader–mentor pair is scored on one aspect.

(Placeholder contract; the matching engine refines it.)
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from attrs import field, frozen

from mentorcore.validation import non_empty

__all__ = ["Criterion"]


@frozen(kw_only=True)
class Criterion:
    """A named way of scoring leader–mentor pairs in [0, 1], with a reason per pair.

    ``sensitive=True`` marks a criterion over gender or race: it counts only
    where the leader stated a preference, and its reasons reach program staff only.
    """

    id: str = field(validator=non_empty)
    description: str
    function: Callable[..., Any] = field(eq=False, repr=False)
    sensitive: bool = False


#: The ids of the core's generic criteria. Programs weigh them by these ids.
BUILTIN_CRITERIA: tuple[tuple[str, str, bool], ...] = (
    ("distance", "closeness of the two schools, from coordinates (haversine)", False),
    ("region", "the leader and the mentor work in the same region", False),
    ("school_context", "the same school and community context (urban, suburban, rural)", False),
    ("school_level", "the same school level (elementary, middle, high)", False),
    ("goals", "overlap of the leader's professional goals and needs with the mentor's expertise", False),
    ("interpersonal_style", "compatible interpersonal styles", False),
    ("learning_needs", "the mentor's approaches meet the leader's learning needs", False),
    ("gender", "same gender, only where the leader asked for it", True),
    ("race", "same race, only where the leader asked for it", True),
)


def _not_yet(*_args: Any) -> Any:
    raise NotImplementedError("matching engine not built yet")


def builtin_criteria() -> tuple[Criterion, ...]:
    """The core's generic criteria."""
    return tuple(
        Criterion(id=ident, description=words, function=_not_yet, sensitive=sensitive)
        for ident, words, sensitive in BUILTIN_CRITERIA
    )
