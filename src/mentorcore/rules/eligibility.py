"""Eligibility rules and the decisions they make.

An :class:`EligibilityRule` lists :class:`Outcome` objects in order, each
with a condition; the first outcome whose condition holds (or that has none)
is the decision. A :class:`Decision` carries the outcome, whether it makes
the person eligible, every check evaluated, and an explanation in words.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from attrs import field, frozen

from mentorcore.errors import Described, InputError, RuleError
from mentorcore.people import Person
from mentorcore.provenance import Source
from mentorcore.rules.conditions import Check, Condition, evaluate
from mentorcore.rules.facts import Fact, FactSheet
from mentorcore.rules.parameters import Parameter
from mentorcore.validation import non_empty

__all__ = ["Decision", "EligibilityRule", "Outcome", "RuleContext", "decide"]


@frozen(kw_only=True)
class Outcome:
    """A possible result of a rule: ``free``, ``paid``, ``not_eligible`` …

    ``when`` is the condition for this outcome (``None``: otherwise);
    ``title`` names it in words ("Free mentoring"); ``eligible`` says
    whether it admits the person.
    """

    id: str = field(validator=non_empty)
    title: str
    eligible: bool
    when: Condition | None = None
    source: Source | None = None


@frozen(kw_only=True)
class EligibilityRule:
    """Who may take part, with which outcome, on a date.

    ``subject`` is ``"leader"`` or ``"mentor"``; ``kinds`` lists the
    engagement kinds it decides for (empty: every kind of the program).
    """

    id: str = field(validator=non_empty)
    title: str
    outcomes: tuple[Outcome, ...]
    subject: str = "leader"
    kinds: tuple[str, ...] = ()
    description: str = ""
    source: Source | None = None

    def __attrs_post_init__(self) -> None:
        if not self.outcomes:
            raise InputError(
                path="outcomes", found=Described("none"), expected="at least one outcome"
            )
        if self.subject not in ("leader", "mentor", "person"):
            raise InputError(
                path="subject", found=self.subject, expected="leader, mentor or person"
            )
        if self.outcomes[-1].when is not None:
            raise InputError(
                path=f"outcomes[{len(self.outcomes) - 1}].when",
                found=Described("a condition on the last outcome"),
                expected="a last outcome with no condition, so every person gets a decision",
            )


@frozen(kw_only=True)
class Decision:
    """The outcome of a rule for one person on one date, with its reasons.

    ``checks`` holds every comparison evaluated, in order: the failed ones
    of the outcomes ruled out first, then those of the outcome reached.
    """

    program: str
    rule: str
    person: str
    on: dt.date
    outcome: str
    title: str
    eligible: bool
    checks: tuple[Check, ...]
    explanation: str


@frozen
class RuleContext:
    """The facts and parameters a rule may use."""

    facts: Mapping[str, Fact]
    parameters: Mapping[str, Parameter]

    def parameter_value(self, parameter_id: str, on: dt.date) -> object:
        """The value of a parameter on a date."""
        try:
            parameter = self.parameters[parameter_id]
        except KeyError:
            raise RuleError(f"unknown parameter {parameter_id!r}") from None
        return parameter.value_on(on)


def decide(
    rule: EligibilityRule,
    person: Person,
    on: dt.date,
    context: RuleContext,
    program: str = "",
    sheet: FactSheet | None = None,
) -> Decision:
    """Apply ``rule`` to ``person`` on ``on``.

    The explanation names the outcome and what made it apply (its checks),
    then why each earlier outcome did not (its failed checks)::

        Paid mentoring, because: is a school leader: yes (role is dean).
        Not free mentoring, because: is a lead/head principal: no (role is dean).
    """
    facts = sheet or FactSheet(person, on, context.facts)
    trace: list[Check] = []
    ruled_out: list[str] = []
    for outcome in rule.outcomes:
        if outcome.when is None:
            held, checks = True, list[Check]()
        else:
            held, checks = evaluate(outcome.when, facts.__getitem__, on, context.parameter_value)
        if held:
            trace.extend(checks)
            reasons = "; ".join(c.sentence() for c in checks)
            parts = [f"{outcome.title}, because: {reasons}." if reasons else f"{outcome.title}."]
            parts.extend(ruled_out)
            return Decision(
                program=program,
                rule=rule.id,
                person=person.id,
                on=on,
                outcome=outcome.id,
                title=outcome.title,
                eligible=outcome.eligible,
                checks=tuple(trace),
                explanation=" ".join(parts),
            )
        failed = [c for c in checks if not c.passed]
        trace.extend(checks)
        ruled_out.append(
            f"Not {outcome.title[:1].lower()}{outcome.title[1:]}, because: "
            + "; ".join(c.sentence() for c in failed)
            + "."
        )
    raise RuleError(f"rule {rule.id!r} reached no outcome")  # pragma: no cover - validated
