"""mentorcore: a domain library for programs that mentor and coach school leaders.

The public API, re-exported here::

    import mentorcore

    registry = mentorcore.load_registry()
    people = mentorcore.load_people("examples/people.toml")
    decision = registry.decide("ipa", people.person("ada"), on=datetime.date(2023, 9, 1))

Nothing heavy is imported here: matching (NumPy, SciPy) loads when it runs.
"""

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
    InputError,
    MentorcoreError,
    NoValueInForce,
    PluginError,
    RuleError,
    UnknownIdError,
)
from mentorcore.frameworks import Assessment, Framework, Item, Rating, Rubric
from mentorcore.hookspecs import hookimpl
from mentorcore.io.loaders import People, load_engagement, load_people, load_program
from mentorcore.people import Leader, Location, Mentor, Person, Role, School, Sector
from mentorcore.periods import Period, SchoolYear
from mentorcore.process import ProcessModel
from mentorcore.programs import EngagementKind, Program
from mentorcore.provenance import Source
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.eligibility import Decision
from mentorcore.rules.pricing import Quote
from mentorcore.rules.requirements import Finding, Status

__version__ = "0.1.0"

__all__ = [
    "Approval",
    "ArtifactLogged",
    "Assessment",
    "AssessmentLogged",
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
    "load_engagement",
    "load_people",
    "load_program",
    "load_registry",
]
