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


def builtin_criteria() -> tuple[Criterion, ...]:
    """The core's generic criteria (filled in by the matching engine)."""
    return ()
