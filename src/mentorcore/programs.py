"""Programs: what an organization's plug-in contributes.

A :class:`Program` gathers an organization's engagement kinds, frameworks
and rubrics, dated parameters, eligibility rules, pricing, vetting
checklists, matching settings and descriptive content. Most of it is a data
file inside the plug-in, read with :func:`mentorcore.io.load_program`, and
any program can be written back out as TOML.
"""

from __future__ import annotations

import datetime as dt

from attrs import field, frozen

from mentorcore.errors import Described, InputError, UnknownIdError
from mentorcore.frameworks import Framework, Rubric
from mentorcore.process import ProcessModel
from mentorcore.provenance import Source
from mentorcore.rules.eligibility import EligibilityRule
from mentorcore.rules.parameters import Parameter
from mentorcore.rules.pricing import Pricing
from mentorcore.rules.requirements import Requirement
from mentorcore.validation import matches, non_empty

__all__ = [
    "Characteristic",
    "Checklist",
    "ChecklistItem",
    "Completion",
    "ContentSection",
    "CriterionWeight",
    "EngagementKind",
    "Factor",
    "MatchSettings",
    "Program",
]

_ID = r"[a-z][a-z0-9_]*"


@frozen(kw_only=True)
class Characteristic:
    """One characteristic of an engagement kind, with an optional heading and source."""

    text: str
    heading: str = ""
    source: Source | None = None


@frozen(kw_only=True)
class Completion:
    """What makes an engagement of a kind complete.

    ``requirements`` are ids of the kind's requirements that must be met
    (every one of them when empty and ``all_requirements`` is true);
    ``also`` are conditions completion adds; ``cycle_closed`` asks for a
    closed cycle of the kind's process model, with no step out of order.
    ``title`` names the achievement ("IPA mentoring completed") and
    ``criteria`` says in words what earns it.
    """

    title: str
    criteria: str
    requirements: tuple[str, ...] = ()
    all_requirements: bool = False
    also: tuple[Requirement, ...] = ()
    cycle_closed: bool = False
    source: Source | None = None


@frozen(kw_only=True)
class EngagementKind:
    """What a program offers: mentoring, coaching, performance mentoring …

    ``roles`` name the parties (``leader``, ``mentor``, ``sponsor``);
    ``central_artifact`` is the artifact the kind revolves around (a
    performance plan); ``credential_pathway`` records a credential the kind
    leads to; ``requirements`` are checked against an engagement's log;
    ``completion`` says when an engagement of the kind is complete
    (:func:`mentorcore.completion.completion_of`).
    """

    id: str = field(validator=matches(_ID, "an id of lower-case letters, digits and _"))
    title: str
    description: str = ""
    characteristics: tuple[Characteristic, ...] = ()
    roles: tuple[str, ...] = ()
    process: ProcessModel | None = None
    requirements: tuple[Requirement, ...] = ()
    central_artifact: str | None = None
    credential_pathway: str | None = None
    required_credentials: tuple[str, ...] = ()
    source: Source | None = None
    completion: Completion | None = None


@frozen(kw_only=True)
class ChecklistItem:
    """One item of a checklist, quoted from the source."""

    id: str = field(validator=non_empty)
    text: str


@frozen(kw_only=True)
class Checklist:
    """A vetting checklist: items a program attests for a person (mentor qualities)."""

    id: str = field(validator=non_empty)
    title: str
    items: tuple[ChecklistItem, ...]
    subject: str = "mentor"
    source: Source | None = None


@frozen(kw_only=True)
class CriterionWeight:
    """A matching criterion the program uses, with its default weight and any parameters."""

    criterion: str
    weight: float = 1.0
    params: dict[str, str | int | float | bool] = field(factory=dict)


@frozen(kw_only=True)
class Factor:
    """A matching factor as the organization names it, and the criterion that scores it."""

    id: str = field(validator=non_empty)
    title: str
    criterion: str | None = None
    note: str = ""


@frozen(kw_only=True)
class MatchSettings:
    """How a program matches leaders with mentors.

    ``criteria`` weigh pairs; ``mentor_rule`` names the eligibility rule a
    mentor must pass; ``max_distance_km`` bounds the distance for on-site
    work (``None``: no bound); ``factors`` are the organization's own list,
    and ``goal_areas`` the professional goal areas goals are drawn from.
    """

    criteria: tuple[CriterionWeight, ...] = ()
    mentor_rule: str | None = None
    max_distance_km: float | None = None
    factors: tuple[Factor, ...] = ()
    goal_areas: tuple[ChecklistItem, ...] = ()
    source: Source | None = None


@frozen(kw_only=True)
class ContentSection:
    """Descriptive content for the docs page: a title, paragraphs, bullet items, a source."""

    id: str = field(validator=non_empty)
    title: str
    text: str = ""
    items: tuple[str, ...] = ()
    source: Source | None = None


@frozen(kw_only=True)
class Program:
    """An organization's model of mentoring or coaching.

    ``frameworks`` and ``rubrics`` are the program's own; ``uses`` lists the
    ids of shared frameworks (contributed by any plug-in) its data refers
    to. ``plugin`` is set by the registry to the plug-in that contributed it.
    ``last_changed`` is the date the program's facts were last changed (the
    bundled plug-ins give the date of the last commit to their
    ``program.toml``); exports such as CASE's ``lastChangeDateTime`` use it.
    """

    id: str = field(validator=matches(_ID, "an id of lower-case letters, digits and _"))
    title: str
    organization: str
    description: str = ""
    url: str | None = None
    sources: tuple[Source, ...] = ()
    kinds: tuple[EngagementKind, ...] = ()
    frameworks: tuple[Framework, ...] = ()
    rubrics: tuple[Rubric, ...] = ()
    uses: tuple[str, ...] = ()
    parameters: tuple[Parameter, ...] = ()
    eligibility: tuple[EligibilityRule, ...] = ()
    pricing: Pricing | None = None
    checklists: tuple[Checklist, ...] = ()
    matching: MatchSettings | None = None
    content: tuple[ContentSection, ...] = ()
    last_changed: dt.date | None = None
    plugin: str = field(default="", eq=False)

    def __attrs_post_init__(self) -> None:
        for name in ("kinds", "frameworks", "rubrics", "parameters", "eligibility", "checklists"):
            ids = [entry.id for entry in getattr(self, name)]
            duplicates = sorted({i for i in ids if ids.count(i) > 1})
            if duplicates:
                raise InputError(
                    path=name, found=Described(f"id {duplicates[0]!r} twice"), expected="unique ids"
                )

    def kind(self, kind_id: str) -> EngagementKind:
        """The engagement kind ``kind_id``."""
        for kind in self.kinds:
            if kind.id == kind_id:
                return kind
        raise UnknownIdError(f"engagement kind of {self.id!r}", kind_id, [k.id for k in self.kinds])

    def rule(
        self, rule_id: str | None = None, subject: str = "leader", kind: str | None = None
    ) -> EligibilityRule:
        """An eligibility rule by id, or the first for ``subject`` (and ``kind``)."""
        for rule in self.eligibility:
            if rule_id is not None:
                if rule.id == rule_id:
                    return rule
            elif rule.subject == subject and (kind is None or not rule.kinds or kind in rule.kinds):
                return rule
        wanted = rule_id or f"for {subject}s" + (f" of kind {kind!r}" if kind else "")
        raise UnknownIdError(
            f"eligibility rule of {self.id!r}", wanted, [r.id for r in self.eligibility]
        )

    def parameter(self, parameter_id: str) -> Parameter:
        """The dated parameter ``parameter_id``."""
        for parameter in self.parameters:
            if parameter.id == parameter_id:
                return parameter
        raise UnknownIdError(
            f"parameter of {self.id!r}", parameter_id, [p.id for p in self.parameters]
        )

    def framework(self, framework_id: str) -> Framework:
        """One of the program's own frameworks."""
        for framework in self.frameworks:
            if framework.id == framework_id:
                return framework
        raise UnknownIdError(
            f"framework of {self.id!r}", framework_id, [f.id for f in self.frameworks]
        )

    def rubric(self, rubric_id: str) -> Rubric:
        """One of the program's own rubrics."""
        for rubric in self.rubrics:
            if rubric.id == rubric_id:
                return rubric
        raise UnknownIdError(f"rubric of {self.id!r}", rubric_id, [r.id for r in self.rubrics])
