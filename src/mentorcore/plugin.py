"""Everything a plug-in author needs, in one module.

A plug-in imports from here and nowhere else in the core::

    from mentorcore.plugin import Fact, Program, hookimpl, load_resource

    @hookimpl
    def register_programs(register):
        register(load_resource("my_package", "program.toml", Program))

The names are the hook marker (:data:`hookimpl`), the types a plug-in
builds or receives (programs, frameworks and rubrics, facts, metrics,
requirement checks, matching criteria, people, engagements, findings),
:func:`load_resource` for the package's data files, and the errors a
plug-in raises or catches. A name's module is imported the first time the
name is used, so importing this module costs almost nothing.
"""

from __future__ import annotations

import importlib

# Not ``from typing import TYPE_CHECKING``: see mentorcore/__init__.py.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mentorcore.engagements import (
        Approval,
        ArtifactLogged,
        AssessmentLogged,
        Engagement,
        Event,
        Interaction,
        Mode,
        TaskDone,
        Visibility,
        add_months,
        artifacts,
        engagement_months,
        events_of,
        hours_by_month,
        hours_delivered,
        months_between,
        months_elapsed,
        months_left,
        sessions_by_mode,
    )
    from mentorcore.errors import (
        ConflictError,
        InputError,
        MentorcoreError,
        NoValueInForce,
        PluginError,
        PluginFactError,
        RuleError,
        UnknownIdError,
    )
    from mentorcore.frameworks import Assessment, Framework, Item, Rating, Rubric
    from mentorcore.hookspecs import hookimpl
    from mentorcore.io.loaders import load_program, load_resource
    from mentorcore.matching.criteria import Cohort, Criterion, PairScorer, pair_criterion
    from mentorcore.people import Leader, Location, Mentor, Person, Role, School, Sector
    from mentorcore.periods import Period, SchoolYear
    from mentorcore.programs import Checklist, ChecklistItem, EngagementKind, Program
    from mentorcore.provenance import Source
    from mentorcore.registry import Registry, load_registry
    from mentorcore.rules.conditions import evaluate
    from mentorcore.rules.eligibility import Decision
    from mentorcore.rules.facts import Fact, FactSheet, Unknown
    from mentorcore.rules.parameters import DatedValue, Parameter
    from mentorcore.rules.requirements import (
        CheckContext,
        Finding,
        Metric,
        Requirement,
        RequirementCheck,
        Status,
    )

#: Each name and the module that defines it (imported on first use, PEP 562).
_EXPORTS: dict[str, str] = {
    "Approval": "mentorcore.engagements",
    "ArtifactLogged": "mentorcore.engagements",
    "Assessment": "mentorcore.frameworks",
    "AssessmentLogged": "mentorcore.engagements",
    "CheckContext": "mentorcore.rules.requirements",
    "ConflictError": "mentorcore.errors",
    "Checklist": "mentorcore.programs",
    "ChecklistItem": "mentorcore.programs",
    "Cohort": "mentorcore.matching.criteria",
    "Criterion": "mentorcore.matching.criteria",
    "DatedValue": "mentorcore.rules.parameters",
    "Decision": "mentorcore.rules.eligibility",
    "Engagement": "mentorcore.engagements",
    "EngagementKind": "mentorcore.programs",
    "Event": "mentorcore.engagements",
    "Fact": "mentorcore.rules.facts",
    "FactSheet": "mentorcore.rules.facts",
    "Unknown": "mentorcore.rules.facts",
    "Finding": "mentorcore.rules.requirements",
    "Framework": "mentorcore.frameworks",
    "InputError": "mentorcore.errors",
    "Interaction": "mentorcore.engagements",
    "Item": "mentorcore.frameworks",
    "Leader": "mentorcore.people",
    "Location": "mentorcore.people",
    "Mentor": "mentorcore.people",
    "MentorcoreError": "mentorcore.errors",
    "Metric": "mentorcore.rules.requirements",
    "Mode": "mentorcore.engagements",
    "NoValueInForce": "mentorcore.errors",
    "PairScorer": "mentorcore.matching.criteria",
    "Parameter": "mentorcore.rules.parameters",
    "Period": "mentorcore.periods",
    "Person": "mentorcore.people",
    "PluginError": "mentorcore.errors",
    "PluginFactError": "mentorcore.errors",
    "Program": "mentorcore.programs",
    "Rating": "mentorcore.frameworks",
    "Registry": "mentorcore.registry",
    "Requirement": "mentorcore.rules.requirements",
    "RequirementCheck": "mentorcore.rules.requirements",
    "Role": "mentorcore.people",
    "Rubric": "mentorcore.frameworks",
    "RuleError": "mentorcore.errors",
    "School": "mentorcore.people",
    "SchoolYear": "mentorcore.periods",
    "Sector": "mentorcore.people",
    "Source": "mentorcore.provenance",
    "Status": "mentorcore.rules.requirements",
    "TaskDone": "mentorcore.engagements",
    "UnknownIdError": "mentorcore.errors",
    "Visibility": "mentorcore.engagements",
    "add_months": "mentorcore.engagements",
    "artifacts": "mentorcore.engagements",
    "engagement_months": "mentorcore.engagements",
    "evaluate": "mentorcore.rules.conditions",
    "events_of": "mentorcore.engagements",
    "hookimpl": "mentorcore.hookspecs",
    "hours_by_month": "mentorcore.engagements",
    "hours_delivered": "mentorcore.engagements",
    "load_program": "mentorcore.io.loaders",
    "load_registry": "mentorcore.registry",
    "load_resource": "mentorcore.io.loaders",
    "months_between": "mentorcore.engagements",
    "months_elapsed": "mentorcore.engagements",
    "months_left": "mentorcore.engagements",
    "pair_criterion": "mentorcore.matching.criteria",
    "sessions_by_mode": "mentorcore.engagements",
}

if not TYPE_CHECKING:  # type checkers see the imports above instead

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'mentorcore.plugin' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_EXPORTS})


__all__ = [
    "Approval",
    "ArtifactLogged",
    "Assessment",
    "AssessmentLogged",
    "CheckContext",
    "Checklist",
    "ChecklistItem",
    "Cohort",
    "ConflictError",
    "Criterion",
    "DatedValue",
    "Decision",
    "Engagement",
    "EngagementKind",
    "Event",
    "Fact",
    "FactSheet",
    "Finding",
    "Framework",
    "InputError",
    "Interaction",
    "Item",
    "Leader",
    "Location",
    "Mentor",
    "MentorcoreError",
    "Metric",
    "Mode",
    "NoValueInForce",
    "PairScorer",
    "Parameter",
    "Period",
    "Person",
    "PluginError",
    "PluginFactError",
    "Program",
    "Rating",
    "Registry",
    "Requirement",
    "RequirementCheck",
    "Role",
    "Rubric",
    "RuleError",
    "School",
    "SchoolYear",
    "Sector",
    "Source",
    "Status",
    "TaskDone",
    "Unknown",
    "UnknownIdError",
    "Visibility",
    "add_months",
    "artifacts",
    "engagement_months",
    "evaluate",
    "events_of",
    "hookimpl",
    "hours_by_month",
    "hours_delivered",
    "load_program",
    "load_registry",
    "load_resource",
    "months_between",
    "months_elapsed",
    "months_left",
    "pair_criterion",
    "sessions_by_mode",
]
