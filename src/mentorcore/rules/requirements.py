"""Service requirements over an engagement's log, and the findings they give.

A :class:`Requirement` is data: a :class:`Metric` of the log (hours
delivered, sessions in a mode, artifacts of a kind …) with a bound
(``at_least``, ``at_most``, ``at_most_metric``, ``one_of``). ``by="end"``
means a shortfall is only ``at_risk`` until the engagement ends, and
``not_met`` after; ``by="now"`` means it is ``not_met`` at once. Where data
cannot say a requirement, ``check`` names a :class:`RequirementCheck`
written in Python and registered by a plug-in.

Checking gives one :class:`Finding` per requirement with a :class:`Status`
and the figures behind it. A finding of a requirement whose source is a
plug-in default carries that default in ``defaults``;
:meth:`Finding.sentence` is its detail with each default marked, for human
text.
"""

from __future__ import annotations

import datetime as dt
import enum
from collections.abc import Callable, Iterable, Mapping, Sequence
from decimal import Decimal
from typing import Any

from attrs import evolve, field, frozen

from mentorcore.audience import Audience, Part, compose, shown_parts
from mentorcore.engagements import Engagement
from mentorcore.errors import Described, InputError
from mentorcore.provenance import Default, Source, defaults_of, marked, unique_defaults
from mentorcore.validation import non_empty

__all__ = [
    "CheckContext",
    "CheckFunction",
    "Finding",
    "Metric",
    "MetricFunction",
    "PlannedFunction",
    "Requirement",
    "RequirementCheck",
    "Status",
    "describe_requirement",
    "evaluate_requirement",
    "worst",
]


class Status(enum.StrEnum):
    """A finding's status, from best to worst: ``met``, ``at_risk``, ``not_met``."""

    MET = "met"
    AT_RISK = "at_risk"
    NOT_MET = "not_met"

    @property
    def rank(self) -> int:
        """0 for met, 1 for at risk, 2 for not met."""
        return list(Status).index(self)

    @property
    def label(self) -> str:
        """The status in words."""
        return self.value.replace("_", " ")


def worst(statuses: Iterable[Status]) -> Status:
    """The worst of ``statuses`` (``met`` when there are none)."""
    return max(statuses, key=lambda s: s.rank, default=Status.MET)


#: The signature of a metric: ``(engagement, as_of, params) -> number``.
MetricFunction = Callable[[Engagement, dt.date, Mapping[str, Any]], Decimal | int | None]

#: The signature of a metric's planned part: ``(engagement, as_of, params) -> dates``, the
#: dates of the sessions planned after ``as_of`` that would add to the metric when delivered.
PlannedFunction = Callable[[Engagement, dt.date, Mapping[str, Any]], Sequence[dt.date]]


@frozen(kw_only=True)
class Metric:
    """A number derived from an engagement's log on a date (``hours_delivered``).

    ``planned``, when given, returns the dates of planned sessions that would
    add to it (the ``sessions`` metric has one): a requirement at risk then
    names them in its pace ("2 on-site sessions logged, 1 planned for
    2025-03-04"), and never counts them as delivered.
    """

    id: str = field(validator=non_empty)
    description: str
    function: MetricFunction = field(eq=False, repr=False)
    unit: str = ""
    planned: PlannedFunction | None = field(default=None, eq=False, repr=False)


@frozen(kw_only=True)
class Finding:
    """What checking one requirement found: its status, a sentence with the figures, the figures.

    ``defaults`` are the plug-in defaults the finding rests on (the
    requirement's own source, when it is one).

    ``events`` are the positions in the log of the events the finding was
    computed from, ``attributes`` the people's attributes
    (``"mentor.credentials"``). A sentence that quotes logged text (a
    goal's title) is given as ``parts`` (see :mod:`mentorcore.audience`);
    ``detail`` is then the sentence every audience may read, and
    :meth:`for_audience` composes it for one audience.
    """

    requirement: str
    title: str
    status: Status
    detail: str
    figures: dict[str, Any] = field(factory=dict)
    defaults: tuple[Default, ...] = ()
    parts: tuple[Part, ...] = ()
    events: tuple[int, ...] = ()
    attributes: tuple[str, ...] = ()

    @classmethod
    def quoting(
        cls,
        parts: Iterable[Part],
        **fields: Any,
    ) -> Finding:
        """A finding whose sentence is ``parts``; ``detail`` is composed for every audience."""
        composed = tuple(parts)
        return cls(parts=composed, detail=compose(composed), **fields)

    def for_audience(self, audience: Audience | str) -> Finding:
        """The finding as ``audience`` may read it: its sentence composed from what it may see.

        Mentions the audience may not see are written ``[private]``; text a
        later step added after the composed sentence (a default's mark) is kept.
        """
        if not self.parts:
            return self
        everyone = compose(self.parts)
        tail = self.detail[len(everyone) :] if self.detail.startswith(everyone) else ""
        return evolve(
            self,
            detail=compose(self.parts, audience) + tail,
            parts=shown_parts(self.parts, audience),
        )

    def sentence(self) -> str:
        """The detail, marking each default the finding rests on, for human text."""
        return marked(self.detail, self.defaults)


@frozen(kw_only=True)
class Requirement:
    """A service requirement of an engagement kind.

    Either ``metric`` with one bound, or ``check`` naming a Python check.
    ``params`` go to the metric or check. ``unit`` words the figures ("on-site
    sessions"). ``detail`` may give the sentence with ``{value}``,
    ``{expected}`` and ``{unit}`` replaced.
    """

    id: str = field(validator=non_empty)
    title: str
    metric: str | None = None
    check: str | None = None
    params: dict[str, Any] = field(factory=dict)
    at_least: Decimal | None = None
    at_most: Decimal | None = None
    at_most_metric: str | None = None
    one_of: tuple[Decimal, ...] = ()
    by: str = "now"
    unit: str = ""
    detail: str = ""
    source: Source | None = None

    def __attrs_post_init__(self) -> None:
        if (self.metric is None) == (self.check is None):
            raise InputError(
                found=Described("both or neither of metric, check"), expected="exactly one"
            )
        if self.by not in ("now", "end"):
            raise InputError(path="by", found=self.by, expected="'now' or 'end'")
        if self.metric is not None:
            bounds = [
                b
                for b in ("at_least", "at_most", "at_most_metric", "one_of")
                if getattr(self, b) not in (None, ())
            ]
            if len(bounds) != 1:
                raise InputError(
                    found=Described(f"bounds {', '.join(bounds) or 'none'}"),
                    expected="exactly one of at_least, at_most, at_most_metric, one_of",
                )


@frozen(kw_only=True)
class CheckContext:
    """What a Python requirement check may use: the metrics known and the program's id."""

    metrics: Mapping[str, Metric]
    program: str = ""


#: The signature of a Python requirement check.
CheckFunction = Callable[[Requirement, Engagement, dt.date, CheckContext], Finding]


@frozen(kw_only=True)
class RequirementCheck:
    """A requirement written in Python, registered by a plug-in under ``id``."""

    id: str = field(validator=non_empty)
    description: str
    function: CheckFunction = field(eq=False, repr=False)


def _number(value: Decimal | int) -> str:
    if isinstance(value, Decimal):
        return format(value.normalize(), "f")
    return str(value)


def evaluate_requirement(
    requirement: Requirement,
    engagement: Engagement,
    as_of: dt.date,
    metrics: Mapping[str, Metric],
    checks: Mapping[str, RequirementCheck],
    program: str = "",
) -> Finding:
    """Check one requirement on ``as_of``.

    A requirement whose source is a default gives a finding that lists it
    in ``defaults`` (human text marks it: :meth:`Finding.sentence`).
    """
    found = _evaluate(requirement, engagement, as_of, metrics, checks, program)
    own = defaults_of(requirement.source, f"requirement {requirement.id!r} ({requirement.title})")
    if not own:
        return found
    return evolve(found, defaults=unique_defaults([found.defaults, own]))


def _evaluate(
    requirement: Requirement,
    engagement: Engagement,
    as_of: dt.date,
    metrics: Mapping[str, Metric],
    checks: Mapping[str, RequirementCheck],
    program: str,
) -> Finding:
    if requirement.check is not None:
        context = CheckContext(metrics=metrics, program=program)
        return checks[requirement.check].function(requirement, engagement, as_of, context)
    assert requirement.metric is not None
    value = metrics[requirement.metric].function(engagement, as_of, requirement.params)
    unit = requirement.unit or metrics[requirement.metric].unit
    ended = as_of >= engagement.end
    if value is None:
        return Finding(
            requirement=requirement.id,
            title=requirement.title,
            status=Status.NOT_MET,
            detail=f"no {unit or requirement.metric} recorded",
            figures={"value": None},
        )
    figures: dict[str, Any] = {"value": value}
    if requirement.at_least is not None:
        expected: Any = requirement.at_least
        ok = value >= expected
        if ok:
            status = Status.MET
        elif requirement.by == "end" and not ended:
            status = Status.AT_RISK
        else:
            status = Status.NOT_MET
        default = "{value} of {expected} {unit}"
    elif requirement.at_most is not None or requirement.at_most_metric is not None:
        if requirement.at_most_metric is not None:
            limit = metrics[requirement.at_most_metric].function(engagement, as_of, {})
            if limit is None:
                return Finding(
                    requirement=requirement.id,
                    title=requirement.title,
                    status=Status.NOT_MET,
                    detail=f"{_number(value)} {unit}; no {requirement.at_most_metric} recorded",
                    figures=figures,
                )
        else:
            limit = requirement.at_most
        assert limit is not None
        expected = limit
        status = Status.MET if value <= limit else Status.NOT_MET
        default = "{value} {unit} of at most {expected}"
    else:
        expected = tuple(requirement.one_of)
        status = Status.MET if value in expected else Status.NOT_MET
        default = "{value} {unit}, expected one of {expected}"
    figures["expected"] = expected
    shown = (
        ", ".join(_number(v) for v in expected)
        if isinstance(expected, tuple)
        else _number(expected)
    )
    template = requirement.detail or default
    detail = (
        template.replace("{value}", _number(value))
        .replace("{expected}", shown)
        .replace("{unit}", unit)
        .replace("  ", " ")
        .strip()
    )
    if status is Status.AT_RISK:
        metric = metrics[requirement.metric]
        planned = (
            tuple(metric.planned(engagement, as_of, requirement.params)) if metric.planned else ()
        )
        if planned:
            figures["planned"] = len(planned)
            figures["planned_on"] = [day.isoformat() for day in planned]
            detail = (
                f"{_number(value)} {unit} logged, {len(planned)} planned for "
                f"{', '.join(figures['planned_on'])}, of {shown}"
            )
        detail = f"{detail} (due by {engagement.end})"
    return Finding(
        requirement=requirement.id,
        title=requirement.title,
        status=status,
        detail=detail,
        figures=figures,
    )


def _words(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_words(v) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return _number(value)
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def describe_requirement(
    requirement: Requirement,
    metrics: Mapping[str, Metric] | None = None,
    checks: Mapping[str, RequirementCheck] | None = None,
) -> str:
    """A requirement's rule in words, for ``mentorcore show`` and the docs.

    With the registry's ``metrics`` and ``checks``, what is measured is told
    by their descriptions ("interactions logged (mode = onsite): at least 3
    on-site sessions; by the end of the engagement").
    """
    params = ""
    if requirement.params:
        params = " (" + ", ".join(f"{k} = {_words(v)}" for k, v in requirement.params.items()) + ")"
    if requirement.check is not None:
        check = (checks or {}).get(requirement.check)
        rule = (check.description if check else f"checked by {requirement.check}") + params
    else:
        metric = (metrics or {}).get(requirement.metric or "")
        what = metric.description if metric else (requirement.metric or "")
        head, sep, tail = what.partition(", ")
        if params and sep and "params." in tail:
            # "interactions logged, of one mode when params.mode is given" reads
            # better as "interactions logged (mode = onsite)".
            what = head
        if requirement.at_least is not None:
            bound = f"at least {_words(requirement.at_least)}"
        elif requirement.at_most is not None:
            bound = f"at most {_words(requirement.at_most)}"
        elif requirement.at_most_metric is not None:
            bound = f"at most the {requirement.at_most_metric.replace('_', ' ')}"
        else:
            bound = "one of " + _words(requirement.one_of)
        unit = f" {requirement.unit}" if requirement.unit else ""
        rule = f"{what}{params}: {bound}{unit}"
    when = "by the end of the engagement" if requirement.by == "end" else "at any time"
    return f"{rule}; {when}"
