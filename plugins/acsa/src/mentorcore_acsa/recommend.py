"""Recommending ACSA mentoring or ACSA/NTC coaching to a leader, with the reasons.

The decision is the data rule ``acsa_recommendation`` of the program (see
``program.toml``); :func:`recommend` applies it and words the result.
"""

from __future__ import annotations

import datetime as dt
from functools import cache

from attrs import frozen

from mentorcore.plugin import Decision, FactSheet, Person, Registry, evaluate, load_registry
from mentorcore_acsa.needs import NEEDS, stated_needs

__all__ = ["RECOMMENDATION_RULE", "Recommendation", "recommend"]

#: The id of the data rule that recommends a kind.
RECOMMENDATION_RULE = "acsa_recommendation"


@frozen(kw_only=True)
class Recommendation:
    """A recommended kind (``coaching``, ``mentoring``, or ``None``) and why.

    ``needs`` are the stated needs read (ids of
    :data:`mentorcore_acsa.needs.NEEDS`); ``reasons`` the rule's words for
    those that decided; ``also`` the words for needs the other kind meets;
    ``decision`` the rule's full decision with every check.
    """

    kind: str | None
    title: str
    explanation: str
    needs: tuple[str, ...]
    reasons: tuple[str, ...]
    also: tuple[str, ...]
    decision: Decision


@cache
def _own_registry() -> Registry:
    """A registry holding only this plug-in (and the core), built once."""
    from mentorcore_acsa import plugin

    return load_registry([plugin], entry_points=False)


def recommend(
    leader: Person, on: dt.date | None = None, registry: Registry | None = None
) -> Recommendation:
    """Recommend ACSA mentoring or ACSA/NTC coaching from the leader's stated needs.

    ``registry`` defaults to one holding only this plug-in (built once);
    pass the application's registry to use an amended program.
    """
    registry = registry or _own_registry()
    day = on or dt.date.today()
    program = registry.program("acsa")
    rule = program.rule(RECOMMENDATION_RULE)
    sheet = FactSheet(leader, day, registry.facts)
    decision = registry.decide(program, leader, day, rule=RECOMMENDATION_RULE, sheet=sheet)
    held: dict[str, tuple[str, ...]] = {}
    for outcome in rule.outcomes:
        if outcome.when is None:
            continue
        _ok, checks = evaluate(outcome.when, sheet.__getitem__, day)
        held[outcome.id] = tuple(c.says for c in checks if c.passed)
    needs = stated_needs(leader)
    if decision.outcome in held:
        reasons = held[decision.outcome]
        also = tuple(
            says for other, found in held.items() if other != decision.outcome for says in found
        )
        explanation = f"{decision.title}: the leader " + "; and ".join(reasons) + "."
        if also:
            explanation += (
                " The leader also "
                + "; and ".join(also)
                + ". The rule puts coaching first because the Tier II credential pathway and the"
                " CPSEL-based focus are found only in coaching."
            )
        kind: str | None = decision.outcome
    else:
        reasons, also, kind = (), (), None
        explanation = (
            f"{decision.title}: the leader states none of the needs that point to mentoring or "
            f"coaching ({', '.join(NEEDS)}); record them in goals or learning_needs."
        )
    return Recommendation(
        kind=kind,
        title=decision.title,
        explanation=explanation,
        needs=needs,
        reasons=reasons,
        also=also,
        decision=decision,
    )
