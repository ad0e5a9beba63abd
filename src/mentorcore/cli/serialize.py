"""The JSON shapes of the command line's results (a public contract).

Each function returns plain data with the keys documented in the docs'
command-line page; other systems depend on them, so keys are only ever added.
"""

from __future__ import annotations

from typing import Any

from mentorcore.checking import EngagementCheck
from mentorcore.rules.conditions import Check
from mentorcore.rules.eligibility import Decision
from mentorcore.rules.pricing import Quote

__all__ = ["check_json", "decision_json", "engagement_check_json", "quote_json"]


def _value(value: Any) -> Any:
    if isinstance(value, tuple):
        return [_value(v) for v in value]
    if hasattr(value, "isoformat"):
        return value.isoformat()
    if value is not None and not isinstance(value, (str, int, float, bool, list, dict)):
        return str(value)
    return value


def check_json(check: Check) -> dict[str, Any]:
    """One check of a decision's trace."""
    return {
        "fact": check.fact,
        "value": _value(check.value),
        "expectation": check.expectation,
        "passed": check.passed,
        "says": check.says,
        "note": check.note,
    }


def decision_json(decision: Decision) -> dict[str, Any]:
    """A decision: ``person``, ``program``, ``on``, ``outcome``, ``eligible``,
    ``explanation``, ``checks`` and more."""
    return {
        "person": decision.person,
        "program": decision.program,
        "rule": decision.rule,
        "on": decision.on.isoformat(),
        "outcome": decision.outcome,
        "title": decision.title,
        "eligible": decision.eligible,
        "explanation": decision.explanation,
        "checks": [check_json(c) for c in decision.checks],
    }


def quote_json(quote: Quote) -> dict[str, Any]:
    """A quote: ``person``, ``hours``, ``basis``, ``amount`` (decimal text), ``currency`` …"""
    return {
        "person": quote.person,
        "program": quote.program,
        "on": quote.on.isoformat(),
        "hours": quote.hours,
        "basis": quote.basis,
        "amount": str(quote.amount),
        "currency": quote.currency,
        "outcome": quote.decision.outcome,
        "explanation": quote.explanation,
    }


def engagement_check_json(result: EngagementCheck) -> dict[str, Any]:
    """An engagement check: ``status`` (the worst finding), ``findings``, and any ``progress``."""
    data: dict[str, Any] = {
        "engagement": result.engagement,
        "program": result.program,
        "kind": result.kind,
        "as_of": result.as_of.isoformat(),
        "status": result.status.value,
        "findings": [
            {
                "requirement": f.requirement,
                "title": f.title,
                "status": f.status.value,
                "detail": f.detail,
                "figures": {k: _value(v) for k, v in f.figures.items()},
            }
            for f in result.findings
        ],
    }
    progress = result.progress
    if progress is not None:
        data["progress"] = {
            "process": progress.process,
            "cycle": progress.cycle,
            "cycles": len(progress.cycles),
            "phase": progress.phase,
            "done": list(progress.done),
            "open": list(progress.open),
            "next_steps": [
                {"task": s.task, "phase": s.phase, "allowed": s.allowed, "reason": s.reason}
                for s in progress.next_steps
            ],
            "out_of_order": [
                {"task": event.task, "date": event.date.isoformat(), "reason": reason}
                for event, reason in progress.out_of_order
            ],
        }
    return data
