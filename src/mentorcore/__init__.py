"""mentorcore: a domain library for programs that mentor and coach school leaders.

The public API, re-exported here::

    import mentorcore

    registry = mentorcore.load_registry()
    people = mentorcore.load_people("examples/ipa/people.toml")
    decision = registry.decide("ipa", people.person("ada"), on=datetime.date(2023, 9, 1))

Nothing is imported here until it is used (``import mentorcore`` costs almost
nothing); matching (NumPy, SciPy) loads when it runs.
"""

from __future__ import annotations

import importlib

# Not ``from typing import TYPE_CHECKING``: importing typing alone costs more
# than the rest of ``import mentorcore`` (type checkers know this spelling).
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

    from mentorcore.checking import EngagementCheck, check_engagement
    from mentorcore.engagements import (
        Approval,
        ArtifactLogged,
        AssessmentLogged,
        Engagement,
        Interaction,
        Mode,
        TaskDone,
        Visibility,
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
    from mentorcore.io.loaders import People, load_engagement, load_people, load_program
    from mentorcore.output import json_schema, to_data, to_json
    from mentorcore.people import Leader, Location, Mentor, Person, Role, School, Sector
    from mentorcore.periods import Period, SchoolYear
    from mentorcore.process import ProcessModel
    from mentorcore.programs import EngagementKind, Program
    from mentorcore.provenance import Source
    from mentorcore.registry import Registry, load_registry
    from mentorcore.rules.eligibility import Decision
    from mentorcore.rules.pricing import Quote
    from mentorcore.rules.requirements import Finding, Status

# Each public name and the module that defines it. ``import mentorcore``
# imports none of them: a name's module is imported the first time the name
# is used (PEP 562), so a program that needs only the errors, or a command
# that needs only the registry, does not pay for the rest.
_EXPORTS: dict[str, str] = {
    "Approval": "mentorcore.engagements",
    "ArtifactLogged": "mentorcore.engagements",
    "Assessment": "mentorcore.frameworks",
    "AssessmentLogged": "mentorcore.engagements",
    "Decision": "mentorcore.rules.eligibility",
    "ConflictError": "mentorcore.errors",
    "Engagement": "mentorcore.engagements",
    "EngagementCheck": "mentorcore.checking",
    "EngagementKind": "mentorcore.programs",
    "Finding": "mentorcore.rules.requirements",
    "Framework": "mentorcore.frameworks",
    "InputError": "mentorcore.errors",
    "Interaction": "mentorcore.engagements",
    "Item": "mentorcore.frameworks",
    "Leader": "mentorcore.people",
    "Location": "mentorcore.people",
    "Mentor": "mentorcore.people",
    "MentorcoreError": "mentorcore.errors",
    "Mode": "mentorcore.engagements",
    "NoValueInForce": "mentorcore.errors",
    "People": "mentorcore.io.loaders",
    "Period": "mentorcore.periods",
    "Person": "mentorcore.people",
    "PluginError": "mentorcore.errors",
    "PluginFactError": "mentorcore.errors",
    "ProcessModel": "mentorcore.process",
    "Program": "mentorcore.programs",
    "Quote": "mentorcore.rules.pricing",
    "Rating": "mentorcore.frameworks",
    "Registry": "mentorcore.registry",
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
    "check_engagement": "mentorcore.checking",
    "hookimpl": "mentorcore.hookspecs",
    "json_schema": "mentorcore.output",
    "load_engagement": "mentorcore.io.loaders",
    "load_people": "mentorcore.io.loaders",
    "load_program": "mentorcore.io.loaders",
    "load_registry": "mentorcore.registry",
    "to_data": "mentorcore.output",
    "to_json": "mentorcore.output",
}


if not TYPE_CHECKING:  # type checkers see the imports above instead

    def __getattr__(name: str) -> Any:
        module = _EXPORTS.get(name)
        if module is None:
            raise AttributeError(f"module 'mentorcore' has no attribute {name!r}")
        value = getattr(importlib.import_module(module), name)
        globals()[name] = value
        return value

    def __dir__() -> list[str]:
        return sorted({*globals(), *_EXPORTS})


__version__ = "0.2.0"

__all__ = [
    "Approval",
    "ArtifactLogged",
    "Assessment",
    "AssessmentLogged",
    "ConflictError",
    "Decision",
    "Engagement",
    "EngagementCheck",
    "EngagementKind",
    "Finding",
    "Framework",
    "InputError",
    "Interaction",
    "Item",
    "Leader",
    "Location",
    "Mentor",
    "MentorcoreError",
    "Mode",
    "NoValueInForce",
    "People",
    "Period",
    "Person",
    "PluginError",
    "PluginFactError",
    "ProcessModel",
    "Program",
    "Quote",
    "Rating",
    "Registry",
    "Role",
    "Rubric",
    "RuleError",
    "School",
    "SchoolYear",
    "Sector",
    "Source",
    "Status",
    "TaskDone",
    "UnknownIdError",
    "Visibility",
    "__version__",
    "check_engagement",
    "hookimpl",
    "json_schema",
    "load_engagement",
    "load_people",
    "load_program",
    "load_registry",
    "to_data",
    "to_json",
]
