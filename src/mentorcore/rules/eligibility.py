"""Eligibility rules and the decisions they make.

An :class:`EligibilityRule` lists :class:`Outcome` objects in order, each
with a condition; the first outcome whose condition holds (or that has none)
is the decision. An outcome whose condition is unknown (a fact or parameter
with no value) is passed over but listed in the decision's ``possible``: it
would hold if the unknown values turned out in its favour. A
:class:`Decision` carries the outcome, whether it makes the person
eligible, every check evaluated, the outcomes still possible, the plug-in
defaults it rests on, and an explanation in words.

Rules are run by the one evaluator, :mod:`mentorcore.rules.compiled`: a rule
is compiled once per program and date, and :func:`decide` runs that form.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping

from attrs import field, frozen

from mentorcore.errors import Described, InputError, RuleError
from mentorcore.people import Person
from mentorcore.provenance import Default, Source
from mentorcore.rules.conditions import Check, Condition
from mentorcore.rules.facts import Fact, FactSheet
from mentorcore.rules.parameters import DatedValue, Parameter
from mentorcore.validation import non_empty

__all__ = ["Decision", "EligibilityRule", "Outcome", "RuleContext", "decide"]


@frozen(kw_only=True)
class Outcome:
    """A possible result of a rule: ``free``, ``paid``, ``not_eligible`` …

    ``when`` is the condition for this outcome (``None``: otherwise);
    ``title`` names it in words ("Free mentoring"); ``eligible`` says
    whether it admits the person. ``unknown`` words the outcome when
    unknown values leave it possible ("Not known to qualify to mentor for
    IPA"); by default "<title> is possible but not known".
    """

    id: str = field(validator=non_empty)
    title: str
    eligible: bool
    when: Condition | None = None
    source: Source | None = None
    unknown: str = ""


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

    ``checks`` holds every comparison evaluated, in order: those of the
    outcomes passed over first, then those of the outcome reached.
    ``possible`` lists the ids of the earlier outcomes whose condition is
    unknown: they would hold if the unknown values turned out in their
    favour (empty when nothing decisive is unknown). ``defaults`` are the
    plug-in defaults the decision rests on (its outcome's, and those of the
    checks its explanation names).
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
    possible: tuple[str, ...] = ()
    defaults: tuple[Default, ...] = ()


@frozen
class RuleContext:
    """The facts and parameters a rule may use."""

    facts: Mapping[str, Fact]
    parameters: Mapping[str, Parameter]

    def parameter_value(self, parameter_id: str, on: dt.date) -> object:
        """The value of a parameter on a date."""
        return self.parameter_entry(parameter_id, on).value

    def parameter_entry(self, parameter_id: str, on: dt.date) -> DatedValue:
        """The entry (value, source) of a parameter in force on a date.

        :class:`~mentorcore.errors.NoValueInForce` when none is;
        :class:`~mentorcore.errors.RuleError` for an unknown parameter.
        """
        try:
            parameter = self.parameters[parameter_id]
        except KeyError:
            raise RuleError(f"unknown parameter {parameter_id!r}") from None
        return parameter.entry_on(on)


def decide(
    rule: EligibilityRule,
    person: Person,
    on: dt.date,
    context: RuleContext,
    program: str = "",
    sheet: FactSheet | None = None,
) -> Decision:
    """Apply ``rule`` to ``person`` on ``on``, with the rule compiled for that date.

    The explanation names the outcome and what made it apply (its checks),
    then why each earlier outcome did not (its failed checks), or that it
    is possible but not known (its unknown checks)::

        Paid mentoring, because: is a school leader: yes (role: dean).
        Not free mentoring, because: is a lead/head principal: no (role: dean).

    See :func:`mentorcore.rules.compiled.compile_rule`.
    """
    from mentorcore.rules.compiled import compile_rule

    return compile_rule(rule, context, on, program).decide(person, sheet)
