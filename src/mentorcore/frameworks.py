"""Competency frameworks, rubrics and assessments.

A :class:`Framework` is a tree of :class:`Item` (competency → standard,
practice → indicator), each with a stable code. A :class:`Rubric` is an
ordered list of :class:`Level` with a :class:`Descriptor` per item and
level. An :class:`Assessment` rates a subject on items at dates, with
evidence; :func:`summarize` derives the current level per item, the history,
the items not yet rated and the next level's descriptor as the next step.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterator, Mapping

from attrs import field, frozen

from mentorcore.errors import Described, InputError, UnknownIdError
from mentorcore.provenance import Default, Source
from mentorcore.validation import non_empty

__all__ = [
    "DEFAULT_SCALE",
    "STRENGTHS_SPLIT",
    "Assessment",
    "AssessmentSummary",
    "Descriptor",
    "Framework",
    "Item",
    "ItemStatus",
    "Level",
    "Rating",
    "Rubric",
    "summarize",
]


@frozen(kw_only=True)
class Item:
    """One node of a framework: a code, a title, its full text and its children."""

    code: str = field(validator=non_empty)
    title: str = ""
    text: str = ""
    kind: str = ""
    children: tuple[Item, ...] = ()


@frozen(kw_only=True)
class Framework:
    """A tree of items with stable codes, such as a set of competencies and standards.

    ``last_changed`` is the date the framework's data was last changed (a
    shared framework's own file says it; a program's framework takes the
    program's ``last_changed`` when it gives none). The CASE export writes it
    as ``lastChangeDateTime``.
    """

    id: str = field(validator=non_empty)
    title: str
    description: str = ""
    version: str = ""
    source: Source | None = None
    items: tuple[Item, ...] = ()
    last_changed: dt.date | None = None

    def __attrs_post_init__(self) -> None:
        seen: set[str] = set()
        for item, _parent in self.walk():
            if item.code in seen:
                raise InputError(
                    path="items",
                    found=Described(f"code {item.code!r} twice"),
                    expected="unique item codes",
                )
            seen.add(item.code)

    def walk(self) -> Iterator[tuple[Item, Item | None]]:
        """Every item, depth first in document order, with its parent (``None`` at the top)."""
        stack: list[tuple[Item, Item | None]] = [(item, None) for item in reversed(self.items)]
        while stack:
            item, parent = stack.pop()
            yield item, parent
            stack.extend((child, item) for child in reversed(item.children))

    @property
    def codes(self) -> tuple[str, ...]:
        """Every item's code, in document order."""
        return tuple(item.code for item, _ in self.walk())

    def item(self, code: str) -> Item:
        """The item with ``code``; :class:`UnknownIdError` lists the codes known."""
        for item, _ in self.walk():
            if item.code == code:
                return item
        raise UnknownIdError(f"item of framework {self.id!r}", code, self.codes)

    def leaves(self) -> tuple[Item, ...]:
        """The items with no children (standards, indicators), in document order."""
        return tuple(item for item, _ in self.walk() if not item.children)


@frozen(kw_only=True)
class Level:
    """One level of a rubric or rating scale, with an optional group (``Preparation``)."""

    id: str = field(validator=non_empty)
    title: str
    group: str = ""
    description: str = ""


@frozen(kw_only=True)
class Descriptor:
    """What an item looks like at a level, quoted from the source.

    ``note`` explains any correction made to the source (a mislabelled level).
    """

    item: str
    level: str
    text: str
    note: str = ""


@frozen(kw_only=True)
class Rubric:
    """Ordered levels, lowest first, with a descriptor per framework item and level.

    ``framework`` is the id of the framework whose items the descriptors
    describe; a rating scale without descriptors is a rubric whose
    ``descriptors`` are empty. ``default=True`` marks a scale mentorcore
    provides because the organization's source gives none. ``noun`` is what
    the source calls a level, for messages (``"stage"`` in Practice 12).
    """

    id: str = field(validator=non_empty)
    title: str
    levels: tuple[Level, ...]
    framework: str | None = None
    descriptors: tuple[Descriptor, ...] = ()
    source: Source | None = None
    default: bool = False
    noun: str = "level"

    def __attrs_post_init__(self) -> None:
        if not self.levels:
            raise InputError(
                path="levels", found=Described("no levels"), expected="at least one level"
            )
        ids = [level.id for level in self.levels]
        if len(set(ids)) != len(ids):
            raise InputError(path="levels", found=ids, expected="unique level ids")
        for index, descriptor in enumerate(self.descriptors):
            if descriptor.level not in ids:
                raise InputError(
                    path=f"descriptors[{index}].level",
                    found=descriptor.level,
                    expected=f"one of {', '.join(ids)}",
                )

    def level(self, level_id: str) -> Level:
        """The level with ``level_id``."""
        for level in self.levels:
            if level.id == level_id:
                return level
        raise UnknownIdError(f"level of {self.id!r}", level_id, [lv.id for lv in self.levels])

    def rank(self, level_id: str) -> int:
        """The position of a level, 0 for the lowest."""
        return self.levels.index(self.level(level_id))

    def next_level(self, level_id: str) -> Level | None:
        """The level above ``level_id``, or ``None`` at the top."""
        rank = self.rank(level_id)
        return self.levels[rank + 1] if rank + 1 < len(self.levels) else None

    def descriptor(self, item: str, level_id: str) -> Descriptor | None:
        """The descriptor of ``item`` at ``level_id``, if the rubric has one."""
        for descriptor in self.descriptors:
            if descriptor.item == item and descriptor.level == level_id:
                return descriptor
        return None


#: The rating scale mentorcore provides where an organization's source gives
#: none (ULead's competencies, for one). A documented default, labelled as
#: such wherever it is shown; a plug-in or caller may use its own.
DEFAULT_SCALE = Rubric(
    id="mentorcore.default_scale",
    title="mentorcore default rating scale (not an organization's scale)",
    levels=(
        Level(id="not_evident", title="Not yet evident"),
        Level(id="developing", title="Developing"),
        Level(id="proficient", title="Proficient"),
        Level(id="exemplary", title="Exemplary"),
    ),
    source=Source(default=True, note="mentorcore's four-level scale; the source gives none"),
    default=True,
)


@frozen(kw_only=True)
class Rating:
    """A rating of one item at one level on a date, with evidence and who rated."""

    item: str
    level: str
    date: dt.date
    evidence: tuple[str, ...] = ()
    by: str | None = None


@frozen(kw_only=True)
class Assessment:
    """Ratings of a subject (a mentor, a district) against a framework with a rubric or scale."""

    subject: str = field(validator=non_empty)
    framework: str
    rubric: str
    ratings: tuple[Rating, ...] = ()
    program: str | None = None
    title: str = ""


@frozen(kw_only=True)
class ItemStatus:
    """Where one item stands: its latest rating, its history, and the next step.

    ``next_level`` is the level above the latest rating, ``None`` at the top
    level (``at_top`` is then true). For an item not yet rated it is the
    lowest level when the rubric describes the item at that level (where a
    district starts), else ``None``. ``next_step`` is the next level's
    descriptor, if the rubric has one.
    """

    item: str
    latest: Rating | None
    history: tuple[Rating, ...]
    next_level: Level | None
    next_step: str | None
    at_top: bool


#: How an assessment's profile splits the rated items, a default of mentorcore
#: (no source gives a split): carried by every summary as ``defaults``.
STRENGTHS_SPLIT = Default(
    what="strengths and areas to develop",
    note="an item is a strength when its latest rating is in the upper half of the "
    "rubric's levels and an area to develop otherwise (with an odd number of levels, the "
    "middle one is an area to develop); a default of mentorcore, not the organization's "
    "rule: no source gives this split",
)


@frozen(kw_only=True)
class AssessmentSummary:
    """An assessment read on a date: every item's status, and the profile of strengths.

    ``defaults`` names the readings the profile rests on: the split into
    strengths and areas to develop (:data:`STRENGTHS_SPLIT`).
    """

    assessment: Assessment
    as_of: dt.date
    items: tuple[ItemStatus, ...]
    unrated: tuple[str, ...]
    strengths: tuple[str, ...]
    to_develop: tuple[str, ...]
    defaults: tuple[Default, ...] = (STRENGTHS_SPLIT,)

    def status(self, item: str) -> ItemStatus:
        """The status of one item."""
        for status in self.items:
            if status.item == item:
                return status
        raise UnknownIdError("assessed item", item, [s.item for s in self.items])


def summarize(
    assessment: Assessment,
    framework: Framework,
    rubric: Rubric,
    as_of: dt.date | None = None,
    items: Mapping[str, Item] | None = None,
) -> AssessmentSummary:
    """Read an assessment on ``as_of`` (default: its latest rating's date).

    The items considered are the framework's leaves (``items`` overrides).
    An item's latest rating is the last one on or before ``as_of`` (two on
    the same date: the later one listed); its history lists every rating up
    to then, oldest first. A strength is an item whose latest rating is in
    the upper half of the rubric's levels; an area to develop, one in the
    lower half. A rating of an unknown item or level is an
    :class:`~mentorcore.errors.InputError` with its path (``ratings[2].level``).
    """
    codes = tuple(items) if items is not None else tuple(i.code for i in framework.leaves())
    known = set(framework.codes)
    for index, rating in enumerate(assessment.ratings):
        if rating.item not in known:
            raise InputError(
                path=f"ratings[{index}].item",
                found=rating.item,
                expected=f"an item code of framework {framework.id!r}",
            )
        if rating.level not in {level.id for level in rubric.levels}:
            raise InputError(
                path=f"ratings[{index}].level",
                found=rating.level,
                expected=f"a level of {rubric.id!r}: " + ", ".join(lv.id for lv in rubric.levels),
            )
    day = as_of or max((r.date for r in assessment.ratings), default=dt.date.today())
    statuses: list[ItemStatus] = []
    strengths: list[str] = []
    to_develop: list[str] = []
    unrated: list[str] = []
    half = len(rubric.levels) / 2
    for code in codes:
        history = tuple(
            sorted(
                (r for r in assessment.ratings if r.item == code and r.date <= day),
                key=lambda r: r.date,
            )
        )
        latest = history[-1] if history else None
        if latest is not None:
            next_level = rubric.next_level(latest.level)
        elif rubric.descriptor(code, rubric.levels[0].id) is not None:
            next_level = rubric.levels[0]
        else:
            next_level = None
        descriptor = rubric.descriptor(code, next_level.id) if next_level else None
        statuses.append(
            ItemStatus(
                item=code,
                latest=latest,
                history=history,
                next_level=next_level,
                next_step=descriptor.text if descriptor else None,
                at_top=latest is not None and next_level is None,
            )
        )
        if latest is None:
            unrated.append(code)
        elif rubric.rank(latest.level) >= half:
            strengths.append(code)
        else:
            to_develop.append(code)
    return AssessmentSummary(
        assessment=assessment,
        as_of=day,
        items=tuple(statuses),
        unrated=tuple(unrated),
        strengths=tuple(strengths),
        to_develop=tuple(to_develop),
    )
