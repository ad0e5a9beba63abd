"""Run-time attribution: a plug-in's rule that fails says which plug-in and which rule.

The registry wraps each fact, metric, requirement check and matching
criterion a plug-in registers, once, when it loads (:func:`attributed`).
The wrapper raises :class:`~mentorcore.errors.PluginError` naming the
plug-in and the fact, metric, check or criterion when the plug-in's
function raises (anything but ``KeyboardInterrupt``) or returns the wrong
type: a metric a number or ``None``, a check a
:class:`~mentorcore.rules.requirements.Finding`, a criterion a scorer with
``scores`` and ``reason`` giving one score per pair and text. Whatever
service runs the rule (a decision, a bulk run, a check, a match), the fault
is reported the same way (the rule evaluator reports a fact it cannot
compute as a :class:`~mentorcore.errors.RuleError` whose cause is this
``PluginError`` and whose message contains it).
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Mapping
from decimal import Decimal
from typing import Any, TypeVar

from attrs import evolve

from mentorcore.errors import PluginError
from mentorcore.matching.criteria import Criterion
from mentorcore.people import Person
from mentorcore.rules.facts import Fact, FactFunction
from mentorcore.rules.requirements import Finding, Metric, RequirementCheck

__all__ = ["attributed"]

_T = TypeVar("_T")


def _raised(plugin: str, what: str, exc: BaseException, where: str = "") -> PluginError:
    place = f" {where}" if where else ""
    return PluginError(plugin, f"{what} raised {type(exc).__name__}{place}: {exc}")


class _PluginFact:
    """A plug-in's fact function; ``plugin`` names the plug-in (read by
    :func:`mentorcore.rules.facts.fact_failed` when its value cannot be used)."""

    def __init__(self, function: FactFunction, plugin: str, what: str) -> None:
        self.function = function
        self.plugin = plugin
        self.what = what

    def __call__(self, person: Person, on: dt.date) -> Any:
        try:
            return self.function(person, on)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(self.plugin, self.what, exc, f"for {person.id!r} on {on}") from exc


def _attributed_fact(fact: Fact, plugin: str) -> Fact:
    return evolve(fact, function=_PluginFact(fact.function, plugin, f"fact {fact.id!r}"))


def _attributed_metric(metric: Metric, plugin: str) -> Metric:
    function = metric.function
    what = f"metric {metric.id!r}"

    def measured(engagement: Any, as_of: dt.date, params: Mapping[str, Any]) -> Any:
        try:
            value = function(engagement, as_of, params)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc) from exc
        if value is not None and (isinstance(value, bool) or not isinstance(value, int | Decimal)):
            raise PluginError(
                plugin, f"{what} returned {type(value).__name__}, expected a number or None"
            )
        return value

    return evolve(metric, function=measured)


def _attributed_check(check: RequirementCheck, plugin: str) -> RequirementCheck:
    function = check.function
    what = f"check {check.id!r}"

    def checked(requirement: Any, engagement: Any, as_of: dt.date, context: Any) -> Finding:
        try:
            finding = function(requirement, engagement, as_of, context)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc, f"for requirement {requirement.id!r}") from exc
        if not isinstance(finding, Finding):
            raise PluginError(
                plugin, f"{what} returned {type(finding).__name__}, expected a Finding"
            )
        return finding

    return evolve(check, function=checked)


class _AttributedScorer:
    """A criterion's scorer whose faults name the plug-in and the criterion."""

    def __init__(self, scorer: Any, plugin: str, what: str) -> None:
        self.scorer = scorer
        self.plugin = plugin
        self.what = what

    def scores(self, leaders: Any, mentors: Any) -> Any:
        try:
            found = self.scorer.scores(leaders, mentors)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(self.plugin, self.what, exc) from exc
        if len(found) != len(leaders):
            raise PluginError(
                self.plugin,
                f"{self.what} gave {len(found)} scores for {len(leaders)} pairs",
            )
        return found

    def reason(self, leader: int, mentor: int) -> str:
        try:
            found = self.scorer.reason(leader, mentor)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(self.plugin, self.what, exc) from exc
        if not isinstance(found, str):
            raise PluginError(
                self.plugin, f"{self.what} gave a reason of type {type(found).__name__}, not text"
            )
        return found


def _attributed_criterion(criterion: Criterion, plugin: str) -> Criterion:
    prepare = criterion.prepare
    what = f"criterion {criterion.id!r}"

    def prepared(cohort: Any, params: Mapping[str, Any]) -> Any:
        try:
            scorer = prepare(cohort, params)
        except KeyboardInterrupt:
            raise
        except PluginError:
            raise
        except BaseException as exc:
            raise _raised(plugin, what, exc) from exc
        if not (
            callable(getattr(scorer, "scores", None)) and callable(getattr(scorer, "reason", None))
        ):
            raise PluginError(
                plugin, f"{what} prepared {type(scorer).__name__}, expected a PairScorer"
            )
        return _AttributedScorer(scorer, plugin, what)

    return evolve(criterion, prepare=prepared)


def attributed(value: _T, plugin: str) -> _T:
    """``value`` with its functions raising a :class:`PluginError` naming ``plugin``.

    Facts, metrics, checks and criteria are wrapped; anything else (a
    program, a framework) is returned as it is, and so is everything the
    core itself registers (``plugin`` ``"mentorcore"``).
    """
    if plugin == "mentorcore":
        return value
    found: Any = value
    if isinstance(found, Fact):
        found = _attributed_fact(found, plugin)
    elif isinstance(found, Metric):
        found = _attributed_metric(found, plugin)
    elif isinstance(found, RequirementCheck):
        found = _attributed_check(found, plugin)
    elif isinstance(found, Criterion):
        found = _attributed_criterion(found, plugin)
    result: _T = found
    return result
