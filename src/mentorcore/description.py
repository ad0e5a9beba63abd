"""One neutral description of a program, for every reader.

:func:`describe_program` turns a :class:`~mentorcore.programs.Program` into a
small typed tree: :class:`Section` of blocks (:class:`Paragraph`,
:class:`Bullets`, :class:`Table`, :class:`SourceNote`) and pictures
(:class:`CycleDiagram`, :class:`StageStrip`, :class:`BarChart`). It is the one
place that decides what is said about a program and in which words:
``mentorcore show`` renders it as text, ``mentorcore show --json`` gives it as
plain data (through the library's one converter), and the docs'
``mentorcore-program`` directive renders it as document nodes, with the
pictures drawn as SVG by :mod:`mentorcore.pictures`. So the command line and
the site cannot disagree.

Every sourced element carries a :class:`SourceNote`: the source it is quoted
from, or, for a value no source sets, the label "default of this plug-in, not
the organization's rule" with the plug-in's note.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Iterable, Mapping, Sequence
from decimal import Decimal
from typing import TYPE_CHECKING, Any, ClassVar, Protocol, TypeAlias

from attrs import frozen

from mentorcore.errors import UnknownIdError
from mentorcore.frameworks import Framework, Item, Rubric
from mentorcore.process import ProcessModel, Task
from mentorcore.programs import EngagementKind, Program
from mentorcore.provenance import Source
from mentorcore.rules.conditions import AllOf, AnyOf, Condition, Not, describe
from mentorcore.rules.parameters import periods_of
from mentorcore.rules.requirements import Requirement, describe_requirement

if TYPE_CHECKING:
    from mentorcore.matching.criteria import Criterion
    from mentorcore.rules.requirements import Metric, RequirementCheck

__all__ = [
    "DEFAULT_LABEL",
    "NODES",
    "SECTIONS",
    "TITLES",
    "Bar",
    "BarChart",
    "Block",
    "Bullets",
    "CycleDiagram",
    "Paragraph",
    "Picture",
    "ProgramDescription",
    "Section",
    "ShownProgram",
    "SourceNote",
    "Span",
    "StageGroup",
    "StageStrip",
    "Table",
    "Vocabulary",
    "describe_program",
    "money",
    "source_text",
]

#: The words that mark a value no source sets, wherever a program is shown.
DEFAULT_LABEL = "default of this plug-in, not the organization's rule"

#: The sections a description can have, in their order.
SECTIONS: tuple[str, ...] = (
    "overview",
    "sources",
    "kinds",
    "comparison",
    "frameworks",
    "rubrics",
    "process",
    "eligibility",
    "parameters",
    "prices",
    "requirements",
    "matching",
    "checklists",
    "content",
)

#: Each section's heading.
TITLES: Mapping[str, str] = {
    "overview": "Overview",
    "sources": "Sources",
    "kinds": "Engagement kinds",
    "comparison": "Side by side",
    "frameworks": "Frameworks",
    "rubrics": "Rubrics",
    "process": "Process",
    "eligibility": "Who is eligible",
    "parameters": "Dated values",
    "prices": "Prices",
    "requirements": "Service requirements",
    "matching": "Matching",
    "checklists": "Checklists",
    "content": "More about the program",
}


# -- the tree -------------------------------------------------------------------


@frozen(kw_only=True)
class Span:
    """A run of text in a paragraph.

    ``style`` is ``""`` (plain), ``"strong"``, ``"emphasis"``, ``"code"`` or
    ``"amount"`` (an exact decimal amount of money, each renderer formatting
    it its way); ``url`` makes the run a link.
    """

    text: str
    style: str = ""
    url: str | None = None


@frozen(kw_only=True)
class Paragraph:
    """A paragraph: runs of text."""

    type: ClassVar[str] = "paragraph"
    spans: tuple[Span, ...]

    @property
    def text(self) -> str:
        """The paragraph's plain text."""
        return "".join(span.text for span in self.spans)


@frozen(kw_only=True)
class SourceNote:
    """Where the element before it comes from, or that it is a plug-in's default.

    ``source`` is ``None`` when the data names no source: the note says so.
    """

    type: ClassVar[str] = "source"
    source: Source | None
    label: str = "Source"


@frozen(kw_only=True)
class Bullets:
    """A list; each item is a sequence of blocks (a paragraph, then any nested list)."""

    type: ClassVar[str] = "list"
    items: tuple[tuple[Block, ...], ...]
    ordered: bool = False


@frozen(kw_only=True)
class Table:
    """A table: ``headers``, and ``rows`` of cells, each cell a sequence of blocks."""

    type: ClassVar[str] = "table"
    headers: tuple[str, ...]
    rows: tuple[tuple[tuple[Block, ...], ...], ...]
    title: str = ""


@frozen(kw_only=True)
class CycleDiagram:
    """A process model as a ring of its phases in order.

    ``repeats``: the model is a cycle, so an arrow leads from the last phase
    back to the first. ``alt`` is the picture's text alternative.
    """

    type: ClassVar[str] = "cycle"
    title: str
    steps: tuple[str, ...]
    repeats: bool
    alt: str


@frozen(kw_only=True)
class StageGroup:
    """Consecutive stages of a rubric under one group title ("Preparation")."""

    title: str
    stages: tuple[str, ...]


@frozen(kw_only=True)
class StageStrip:
    """A rubric as a strip of its stages, lowest first, grouped."""

    type: ClassVar[str] = "strip"
    title: str
    groups: tuple[StageGroup, ...]
    alt: str


@frozen(kw_only=True)
class Bar:
    """One series of a bar chart ("Member"), with a value per category (``None``: none)."""

    label: str
    values: tuple[Decimal | None, ...]


@frozen(kw_only=True)
class BarChart:
    """Amounts by category (a package) and series (a membership), in ``unit``."""

    type: ClassVar[str] = "chart"
    title: str
    unit: str
    categories: tuple[str, ...]
    series: tuple[Bar, ...]
    alt: str


Picture: TypeAlias = CycleDiagram | StageStrip | BarChart
Block: TypeAlias = Paragraph | SourceNote | Bullets | Table | CycleDiagram | StageStrip | BarChart

#: The block classes: in plain data each is an object whose ``type`` names it.
NODES: tuple[type[Block], ...] = (
    Paragraph,
    SourceNote,
    Bullets,
    Table,
    CycleDiagram,
    StageStrip,
    BarChart,
)


@frozen(kw_only=True)
class Section:
    """One section of a description: an id of :data:`SECTIONS`, its title, its blocks."""

    id: str
    title: str
    blocks: tuple[Block, ...]


@frozen(kw_only=True)
class ProgramDescription:
    """A program described for people: its id, title, organization and sections."""

    program: str
    title: str
    organization: str
    plugin: str
    sections: tuple[Section, ...]

    def section(self, section_id: str) -> Section | None:
        """The section ``section_id``, or ``None`` when the program has nothing for it."""
        for section in self.sections:
            if section.id == section_id:
                return section
        return None


@frozen(kw_only=True)
class ShownProgram:
    """What ``mentorcore show --json`` prints: the program's own data, and its description.

    In plain data the program's fields are the top-level keys (as ``show
    --json`` has always printed them), and the description's sections are
    under ``sections``.
    """

    program: Program
    description: ProgramDescription


class Vocabulary(Protocol):
    """What a description needs from the registry to word a program."""

    @property
    def frameworks(self) -> Mapping[str, Framework]:
        """Shared frameworks by id."""

    @property
    def metrics(self) -> Mapping[str, Metric]:
        """Metrics by id."""

    @property
    def checks(self) -> Mapping[str, RequirementCheck]:
        """Requirement checks by id."""

    @property
    def criteria(self) -> Mapping[str, Criterion]:
        """Matching criteria by id."""


# -- words shared by every renderer -----------------------------------------------


def source_text(source: Source | None) -> str:
    """A source in words: title, address, quote and note; or the default label with its note."""
    if source is None:
        return "no source given"
    cited = [source.title] if source.title else []
    if source.url:
        cited.append(f"<{source.url}>")
    if source.quote:
        cited.append(f"“{source.quote}”")
    if source.default:
        note = source.note or ""
        # A note that already says it is the plug-in's default is not labelled twice.
        said = (
            note
            if note.lower().startswith("default of this plug-in")
            else f"{DEFAULT_LABEL}: {note}"
        )
        said = said.rstrip(": ")
        return f"{said} Read from: {' '.join(cited)}" if cited else said
    text = " ".join(cited or ["unnamed source"])
    return f"{text} ({source.note})" if source.note else text


def money(amount: Decimal | str, *, grouped: bool = True) -> str:
    """An exact amount with two decimals, thousands grouped unless ``grouped=False``."""
    value = Decimal(amount).quantize(Decimal("0.01"))
    return f"{value:,}" if grouped else f"{value}"


# -- building blocks ---------------------------------------------------------------

_Part: TypeAlias = str | Span


def _span(part: _Part) -> Span:
    return Span(text=part) if isinstance(part, str) else part


def _p(*parts: _Part) -> Paragraph:
    return Paragraph(spans=tuple(_span(part) for part in parts if part))


def _strong(text: str) -> Span:
    return Span(text=text, style="strong")


def _em(text: str) -> Span:
    return Span(text=text, style="emphasis")


def _code(text: str) -> Span:
    return Span(text=text, style="code")


_Blocks: TypeAlias = list[Block] | tuple[Block, ...]


def _bullets(items: Iterable[str | Block | _Blocks], ordered: bool = False) -> Bullets:
    entries: list[tuple[Block, ...]] = []
    for item in items:
        if isinstance(item, str):
            entries.append((_p(item),))
        elif isinstance(item, (list, tuple)):
            entries.append(tuple(item))
        else:
            entries.append((item,))
    return Bullets(items=tuple(entries), ordered=ordered)


_Cell: TypeAlias = str | Block | _Blocks


def _cell(content: _Cell) -> tuple[Block, ...]:
    if isinstance(content, str):
        return (_p(content),) if content else ()
    if isinstance(content, (list, tuple)):
        return tuple(content)
    return (content,)


def _table(headers: Sequence[str], rows: Iterable[Sequence[_Cell]], title: str = "") -> Table:
    return Table(
        headers=tuple(headers),
        rows=tuple(tuple(_cell(cell) for cell in row) for row in rows),
        title=title,
    )


def _source(source: Source | None, label: str = "Source") -> list[Block]:
    """A source note, or nothing when there is no source."""
    return [] if source is None else [SourceNote(source=source, label=label)]


def _sourced(source: Source | None, label: str = "Source") -> SourceNote:
    """A source note that says so when the data names no source."""
    return SourceNote(source=source, label=label)


def _lines(text: str, *lead: _Part) -> list[Block]:
    """Text whose first line is a paragraph and whose further lines are a list under it."""
    first, *rest = text.strip().split("\n") if text.strip() else [""]
    body: list[Block] = [_p(*lead, first)]
    further = [line.strip() for line in rest if line.strip()]
    if further:
        body.append(_bullets(further))
    return body


def _value(value: Any) -> str:
    if isinstance(value, (list, tuple)):
        return ", ".join(_value(v) for v in value) if value else "none"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Decimal):
        return format(value, "f")
    if isinstance(value, dt.date):
        return value.isoformat()
    return str(value)


def _number(value: float) -> str:
    """A float as people write it: ``150`` rather than ``150.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"{start} to {end}" if end else f"from {start}"


def _condition_entry(condition: Condition) -> list[Block]:
    """One condition as a list entry, in :func:`describe`'s words, with any source it names."""
    if isinstance(condition, (AllOf, AnyOf, Not)):
        head, *_ = describe(condition)
        children = condition.condition if isinstance(condition, Not) else None
        inner = (children,) if children is not None else getattr(condition, "conditions", ())
        entry: list[Block] = [_p(head.strip())]
        entry.extend(_source(condition.source))
        entry.append(_bullets(_condition_entry(child) for child in inner))
        return entry
    (line,) = describe(condition)
    return [_p(line.strip().removeprefix("- ")), *_source(condition.source)]


def _condition(condition: Condition) -> Bullets:
    """A condition in plain words (:func:`describe`), as nested lists, each part's source
    (or plug-in default) under it."""
    return _bullets([_condition_entry(condition)])


# -- pictures ---------------------------------------------------------------------


def _cycle(model: ProcessModel) -> CycleDiagram:
    steps = tuple(phase.title for phase in model.phases)
    order = " → ".join(f"{index}. {title}" for index, title in enumerate(steps, start=1))
    if model.cycles and steps:
        alt = f"{model.title}: {order}, then back to {steps[0]}; the process repeats."
    else:
        alt = f"{model.title}: {order}; the process runs once."
    return CycleDiagram(title=model.title, steps=steps, repeats=model.cycles, alt=alt)


def _strip(rubric: Rubric) -> StageStrip:
    groups: list[tuple[str, list[str]]] = []
    for level in rubric.levels:
        if groups and groups[-1][0] == level.group:
            groups[-1][1].append(level.title)
        else:
            groups.append((level.group, [level.title]))
    noun = rubric.noun + "s"
    words = "; ".join(
        (f"{title}: " if title else "") + ", ".join(stages) for title, stages in groups
    )
    alt = f"{rubric.title}: {len(rubric.levels)} {noun}, lowest first. {words}."
    return StageStrip(
        title=rubric.title,
        groups=tuple(StageGroup(title=title, stages=tuple(stages)) for title, stages in groups),
        alt=alt,
    )


def _chart(title: str, currency: str, categories: Sequence[str], series: Sequence[Bar]) -> BarChart:
    said = []
    for index, category in enumerate(categories):
        amounts = ", ".join(
            f"{bar.label} {money(value)}"
            for bar in series
            if (value := bar.values[index]) is not None
        )
        said.append(f"{category}: {amounts}")
    alt = f"{title} ({currency}): " + "; ".join(said) + "."
    return BarChart(
        title=title,
        unit=currency,
        categories=tuple(categories),
        series=tuple(series),
        alt=alt,
    )


# -- the sections ---------------------------------------------------------------------


def _overview(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = [_p(_strong(program.title), f", by {program.organization}.")]
    if program.description:
        body.extend(_p(text.strip()) for text in program.description.split("\n\n"))
    if program.url:
        body.append(_p("Web: ", Span(text=program.url, url=program.url)))
    if program.kinds:
        body.append(_p("Offers: " + "; ".join(kind.title for kind in program.kinds) + "."))
    if program.plugin:
        body.append(_p(f"Rendered from the installed plug-in {program.plugin!r}."))
    return body


def _sources(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    if not program.sources:
        return []
    return [_bullets([SourceNote(source=source, label="") for source in program.sources])]


def _completion(kind: EngagementKind, vocabulary: Vocabulary) -> list[Block]:
    """When an engagement of the kind is complete (the achievement a credential names)."""
    completion = kind.completion
    if completion is None:
        return []
    body: list[Block] = [
        _p(_strong("Complete when: "), completion.criteria),
        _p(f"Its achievement: {completion.title}."),
    ]
    needs: list[list[Block]] = []
    titles = {requirement.id: requirement.title for requirement in kind.requirements}
    wanted = completion.requirements or (tuple(titles) if completion.all_requirements else ())
    for ident in wanted:
        needs.append([_p(f"the requirement “{titles.get(ident, ident)}” met")])
    for requirement in completion.also:
        words = describe_requirement(requirement, vocabulary.metrics, vocabulary.checks)
        needs.append([_p(_strong(requirement.title), f": {words}"), _sourced(requirement.source)])
    if completion.cycle_closed:
        needs.append([_p("a cycle of the process closed, with no step out of order")])
    if needs:
        body.append(_p("It needs:"))
        body.append(_bullets(needs))
    body.extend(_source(completion.source))
    return body


def _kind(kind: EngagementKind) -> list[Block]:
    body: list[Block] = [_p(_strong(kind.title), " (", _code(kind.id), ")")]
    if kind.description:
        body.append(_p(kind.description))
    facts: list[str] = []
    if kind.roles:
        facts.append("Parties: " + ", ".join(role.replace("_", " ") for role in kind.roles))
    if kind.central_artifact:
        titles = {a.id: a.title for a in kind.process.artifacts} if kind.process else {}
        artifact = titles.get(kind.central_artifact, kind.central_artifact.replace("_", " "))
        facts.append(f"Central artifact: {artifact}")
    if kind.credential_pathway:
        facts.append(f"Credential pathway: {kind.credential_pathway}")
    if kind.required_credentials:
        facts.append("The mentor or coach must hold: " + ", ".join(kind.required_credentials))
    if kind.process is not None:
        facts.append(f"Process: {kind.process.title}")
    if facts:
        body.append(_bullets(facts))
    entries: list[list[Block]] = []
    for characteristic in kind.characteristics:
        if not characteristic.text.strip():
            continue
        lead = [_strong(f"{characteristic.heading}: ")] if characteristic.heading else []
        entries.append([*_lines(characteristic.text, *lead), *_source(characteristic.source)])
    if entries:
        body.append(_bullets(entries))
    body.extend(_source(kind.source))
    return body


def _kinds(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for kind in program.kinds:
        body.extend(_kind(kind))
    return body


def _comparison(program: Program, _v: Vocabulary, names: Sequence[str]) -> list[Block]:
    names = list(names) or [kind.id for kind in program.kinds]
    if len(names) < 2:
        return []
    sections = {section.id: section for section in program.content}
    kinds = {kind.id: kind for kind in program.kinds}
    columns: list[tuple[str, list[list[Block]]]] = []
    for name in names:
        if name in kinds:
            cells: list[list[Block]] = []
            for characteristic in kinds[name].characteristics:
                lead = [_strong(f"{characteristic.heading}: ")] if characteristic.heading else []
                cells.append(_lines(characteristic.text, *lead))
            columns.append((kinds[name].title, cells))
        elif name in sections:
            columns.append((sections[name].title, [_lines(text) for text in sections[name].items]))
        else:
            raise UnknownIdError(
                f"kind or content section of {program.id!r}", name, [*kinds, *sections]
            )
    depth = max(len(cells) for _, cells in columns)
    rows = [
        [cells[index] if index < len(cells) else "" for _, cells in columns]
        for index in range(depth)
    ]
    body: list[Block] = [_table([title for title, _ in columns], rows)]
    for name in names:
        if name in sections:
            body.extend(_source(sections[name].source, f"Source of “{sections[name].title}”"))
    for kind in program.kinds:
        if kind.id in names:
            body.extend(_source(kind.source, f"Source of “{kind.title}”"))
    return body


def _frameworks_of(program: Program, vocabulary: Vocabulary) -> list[tuple[Framework, bool]]:
    found = [(framework, False) for framework in program.frameworks]
    for ident in program.uses:
        if ident in vocabulary.frameworks:
            found.append((vocabulary.frameworks[ident], True))
    return found


def _items(items: Sequence[Item]) -> Bullets:
    entries: list[list[Block]] = []
    for item in items:
        entry: list[Block] = [_p(_strong(item.code), f" {item.title}" if item.title else "")]
        if item.text:
            entry.append(_p(item.text))
        if item.children:
            entry.append(_items(item.children))
        entries.append(entry)
    return _bullets(entries)


def _frameworks(program: Program, vocabulary: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for framework, shared in _frameworks_of(program, vocabulary):
        title = (
            f"{framework.title} (shared framework {framework.id!r})" if shared else framework.title
        )
        count = len(framework.codes)
        body.append(_p(_strong(title), f" ({count} items)"))
        if framework.description:
            body.append(_p(framework.description))
        body.append(_items(framework.items))
        body.extend(_source(framework.source))
    missing = [ident for ident in program.uses if ident not in vocabulary.frameworks]
    if missing:
        body.append(_p("Shared frameworks it uses that no installed plug-in provides: "))
        body.append(_bullets(missing))
    return body


def _rubric(rubric: Rubric, framework: Framework | None) -> list[Block]:
    body: list[Block] = [_p(_strong(rubric.title))]
    if rubric.default:
        body.append(
            _p(
                _em(
                    "A default rating scale provided by mentorcore: "
                    "the organization's source gives none."
                )
            )
        )
    if len(rubric.levels) > 1:
        body.append(_strip(rubric))
    if not rubric.descriptors:
        body.append(
            _bullets(
                f"{level.title}"
                + (f" ({level.group})" if level.group else "")
                + (f": {level.description}" if level.description else "")
                for level in rubric.levels
            )
        )
    else:
        codes: list[str] = []
        for descriptor in rubric.descriptors:
            if descriptor.item not in codes:
                codes.append(descriptor.item)
        headers = [rubric.noun.capitalize()]
        for code in codes:
            label = code
            if framework is not None and code in framework.codes:
                label = f"{code} {framework.item(code).title}".strip()
            headers.append(label)
        rows: list[list[_Cell]] = []
        for level in rubric.levels:
            row: list[_Cell] = [
                [_p(_strong(level.title), f" ({level.group})" if level.group else "")]
            ]
            for code in codes:
                found = rubric.descriptor(code, level.id)
                if found is None:
                    row.append("")
                    continue
                cell: list[Block] = [_p(found.text)]
                if found.note:
                    cell.append(_p(_em(f"Note: {found.note}")))
                row.append(cell)
            rows.append(row)
        body.append(_table(headers, rows))
    body.extend(_source(rubric.source))
    return body


def _rubrics(program: Program, vocabulary: Vocabulary, _c: Sequence[str]) -> list[Block]:
    frameworks = {f.id: f for f, _ in _frameworks_of(program, vocabulary)}
    body: list[Block] = []
    for rubric in program.rubrics:
        body.extend(_rubric(rubric, frameworks.get(rubric.framework or "")))
    return body


def _tasks(tasks: Sequence[Task]) -> Bullets:
    entries: list[list[Block]] = []
    for task in tasks:
        entry: list[Block] = [
            _p(task.title, _em(" (starts a new cycle)") if task.starts_new_cycle else "")
        ]
        if task.children:
            entry.append(_tasks(task.children))
        entries.append(entry)
    return _bullets(entries)


def _process_model(model: ProcessModel) -> list[Block]:
    body: list[Block] = [_p(_strong(model.title)), _cycle(model)]
    if model.ordered:
        body.append(
            _p(
                "The phases are done in this order: a task of a later phase logged before "
                "an earlier phase's gate is out of order."
            )
        )
    if model.cycles:
        starters = [task.title for _, task in model.tasks() if task.starts_new_cycle]
        after = f" after “{starters[0]}”" if starters else ""
        body.append(_p(_em(f"The process repeats: a new cycle starts{after}.")))
    rows: list[list[_Cell]] = []
    for index, phase in enumerate(model.phases, start=1):
        head: list[Block] = [_p(_strong(f"{index}. {phase.title}"))]
        if phase.purpose:
            head.append(_p(_em(phase.purpose)))
        if phase.per_module:
            head.append(_p("Runs once per module (practice or final assessment)."))
        rows.append([head, [_tasks(phase.tasks)]])
    body.append(_table(["Phase and purpose", "Tasks, in order"], rows))
    needs: list[Block] = []
    for phase in model.phases:
        for prerequisite in phase.requires:
            reason = f": {prerequisite.reason}" if prerequisite.reason else ""
            needs.append(_p(_strong(phase.title), f" needs {prerequisite.describe()}{reason}"))
        for task, _parent in phase.walk():
            for prerequisite in task.requires:
                reason = f": {prerequisite.reason}" if prerequisite.reason else ""
                needs.append(
                    _p(
                        _strong(task.title),
                        f" ({phase.title}) needs {prerequisite.describe()}{reason}",
                    )
                )
    if needs:
        body.append(_p(_strong("What must come first")))
        body.append(_bullets(needs))
    if model.roles:
        body.append(_p(_strong("Roles")))
        body.append(
            _bullets(
                _p(_strong(role.title), f": {role.description}" if role.description else "")
                for role in model.roles
            )
        )
    if model.artifacts:
        body.append(_p(_strong("Artifacts")))
        body.append(
            _bullets(
                _p(
                    _strong(artifact.title),
                    f": {artifact.description}" if artifact.description else "",
                )
                for artifact in model.artifacts
            )
        )
    body.extend(_source(model.source))
    return body


def _process(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    seen: set[str] = set()
    for kind in program.kinds:
        if kind.process is not None and kind.process.id not in seen:
            seen.add(kind.process.id)
            body.extend(_process_model(kind.process))
    return body


_FOR_WHOM = {"leader": "leaders", "mentor": "mentors and coaches", "person": "anyone"}


def _eligibility(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for rule in program.eligibility:
        kinds = f", for {', '.join(rule.kinds)}" if rule.kinds else ""
        whom = _FOR_WHOM.get(rule.subject, f"{rule.subject}s")
        body.append(_p(_strong(rule.title), f" (decides for {whom}{kinds})"))
        if rule.description:
            body.append(_p(rule.description))
        body.append(_p("The first outcome whose conditions all hold is the decision:"))
        entries: list[list[Block]] = []
        for index, outcome in enumerate(rule.outcomes):
            verdict = "eligible" if outcome.eligible else "not eligible"
            if outcome.when is None:
                lead = "Otherwise" if index else "Always"
                entry: list[Block] = [_p(_strong(outcome.title), f" ({verdict}). {lead}.")]
            else:
                entry = [
                    _p(_strong(outcome.title), " when:"),
                    _condition(outcome.when),
                    _p(f"This outcome is {verdict}."),
                ]
            entry.append(_sourced(outcome.source))
            entries.append(entry)
        body.append(_bullets(entries, ordered=True))
        body.extend(_source(rule.source))
    return body


def _parameters(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for parameter in program.parameters:
        body.append(_p(_strong(parameter.title), " (", _code(parameter.id), ")"))
        if parameter.description:
            body.append(_p(parameter.description))
        rows: list[list[_Cell]] = []
        for entry, end in periods_of(parameter.values):
            source: list[Block] = [_sourced(entry.source, label="")]
            if entry.note:
                source.append(_p(entry.note))
            unit = f" {parameter.unit}" if parameter.unit else ""
            shown = (
                "no value (none is known)"
                if entry.value is None
                else f"{_value(entry.value)}{unit}"
            )
            rows.append([_period(entry.start, end), shown, source])
        body.append(_table(["In force", "Value", "Source"], rows))
        body.append(
            _p(
                "On a date outside these periods no value is known, "
                "and a rule that needs it says so."
            )
        )
    return body


def _amount(amount: Decimal | None) -> _Cell:
    return "—" if amount is None else _p(Span(text=str(amount), style="amount"))


def _prices(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    pricing = program.pricing
    if pricing is None:
        return []
    table = pricing.table
    body: list[Block] = []
    bases = [basis.id for basis in pricing.bases]
    titles = {basis.id: basis.title for basis in pricing.bases}
    for schedule, end in table.periods():
        period = _period(schedule.start, end)
        categories = [f"{package.hours} hours" for package in schedule.packages]
        series = [
            Bar(
                label=titles[basis],
                values=tuple(package.prices.get(basis) for package in schedule.packages),
            )
            for basis in bases
        ]
        body.append(_chart(f"Prices in force {period}", table.currency, categories, series))
        headers = ["Package", *[f"{titles[b]} ({table.currency})" for b in bases]]
        rows = [
            [f"{package.hours} hours", *[_amount(package.prices.get(b)) for b in bases]]
            for package in schedule.packages
        ]
        body.append(_table(headers, rows, title=f"Prices in force {period}"))
        body.extend(_source(schedule.source))
        if schedule.note:
            body.append(_p(schedule.note))
    free = (
        f"a decision of {' or '.join(pricing.free_outcomes)} pays nothing; "
        if pricing.free_outcomes
        else ""
    )
    refused = (
        f"a decision of {' or '.join(pricing.refuse_outcomes)} gets no quote; "
        if pricing.refuse_outcomes
        else ""
    )
    body.append(
        _p(
            _strong("Which price applies: "),
            f"the decision of the rule {pricing.eligibility!r} comes first; {free}{refused}"
            "otherwise the first basis that applies:",
        )
    )
    entries: list[list[Block]] = []
    for basis in pricing.bases:
        if basis.when is None:
            entries.append([_p(_strong(basis.title), ": otherwise")])
        else:
            entries.append([_p(_strong(basis.title), " when:"), _condition(basis.when)])
    body.append(_bullets(entries, ordered=True))
    return body


def _requirement_row(requirement: Requirement, vocabulary: Vocabulary) -> list[_Cell]:
    rule = describe_requirement(requirement, vocabulary.metrics, vocabulary.checks)
    return [[_p(_strong(requirement.title))], rule, [_sourced(requirement.source, label="")]]


def _requirements(program: Program, vocabulary: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for kind in program.kinds:
        if not kind.requirements and not kind.required_credentials:
            if kind.completion is not None:
                body.append(_p(_strong(kind.title)))
                body.extend(_completion(kind, vocabulary))
            continue
        rows = [_requirement_row(r, vocabulary) for r in kind.requirements]
        for credential in kind.required_credentials:
            rows.append(
                [
                    [
                        _p(
                            _strong(
                                f"The mentor holds the {credential.replace('_', ' ')} credential"
                            )
                        )
                    ],
                    "checked against the mentor's credentials",
                    "",
                ]
            )
        body.append(_table(["Requirement", "How it is checked", "Source"], rows, title=kind.title))
        body.extend(_completion(kind, vocabulary))
    if body:
        body.append(
            _p(
                "A requirement due by the end is “at risk” until the engagement ends and "
                "“not met” after; one checked at any time is “not met” at once."
            )
        )
    return body


def _matching(program: Program, vocabulary: Vocabulary, _c: Sequence[str]) -> list[Block]:
    settings = program.matching
    if settings is None:
        return []
    body: list[Block] = []
    if settings.factors:
        body.append(_p(_strong("The factors the organization names:")))
        rows: list[list[_Cell]] = []
        for factor in settings.factors:
            criterion = vocabulary.criteria.get(factor.criterion or "")
            if criterion is not None:
                how = criterion.description
            elif factor.criterion is None:
                how = "not scored by a criterion"
            else:
                how = factor.criterion
            rows.append([factor.title, how, factor.note])
        body.append(_table(["Factor", "Scored by", "Note"], rows))
    if settings.criteria:
        rows = []
        for weight in settings.criteria:
            criterion = vocabulary.criteria.get(weight.criterion)
            words = criterion.description if criterion else weight.criterion
            sensitive = (
                " (sensitive: used only as the leader's stated preference)"
                if criterion and criterion.sensitive and "asked" not in words
                else ""
            )
            rows.append([weight.criterion, words + sensitive, _number(weight.weight)])
        body.append(
            _table(
                ["Criterion", "What it scores", "Default weight"],
                rows,
                title="Matching criteria and default weights",
            )
        )
    facts: list[str] = []
    if settings.mentor_rule:
        facts.append(f"A mentor must pass the eligibility rule {settings.mentor_rule!r}.")
    if settings.max_distance_km is not None:
        facts.append(f"On-site work: at most {_number(settings.max_distance_km)} km apart.")
    if facts:
        body.append(_bullets(facts))
    if settings.goal_areas:
        body.append(_p(_strong("Professional goal areas:")))
        body.append(_bullets(area.text for area in settings.goal_areas))
    body.extend(_source(settings.source))
    return body


def _checklists(program: Program, _v: Vocabulary, _c: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for checklist in program.checklists:
        body.append(_p(_strong(checklist.title), f" (for each {checklist.subject})"))
        body.append(_bullets(item.text for item in checklist.items))
        body.extend(_source(checklist.source))
    return body


def _content(program: Program, _v: Vocabulary, columns: Sequence[str]) -> list[Block]:
    body: list[Block] = []
    for section in program.content:
        if section.id in columns:
            continue
        body.append(_p(_strong(section.title)))
        if section.text:
            body.extend(_p(text.strip()) for text in section.text.split("\n\n"))
        if section.items:
            body.append(_bullets(_lines(text) for text in section.items))
        body.extend(_source(section.source))
    return body


_BUILDERS = {
    "overview": _overview,
    "sources": _sources,
    "kinds": _kinds,
    "comparison": _comparison,
    "frameworks": _frameworks,
    "rubrics": _rubrics,
    "process": _process,
    "eligibility": _eligibility,
    "parameters": _parameters,
    "prices": _prices,
    "requirements": _requirements,
    "matching": _matching,
    "checklists": _checklists,
    "content": _content,
}


def describe_program(
    program: Program, vocabulary: Vocabulary, *, columns: Sequence[str] = ()
) -> ProgramDescription:
    """The description of ``program``: every section it has content for, in :data:`SECTIONS` order.

    ``vocabulary`` (the registry) words metrics, checks and criteria and
    provides shared frameworks. ``columns`` names the kinds or content
    sections the ``comparison`` section puts side by side (default: every
    kind); content sections named there are left out of ``content``. An
    unknown column is an :class:`~mentorcore.errors.UnknownIdError`.
    """
    sections = []
    for name in SECTIONS:
        blocks = _BUILDERS[name](program, vocabulary, columns)
        if blocks:
            sections.append(Section(id=name, title=TITLES[name], blocks=tuple(blocks)))
    return ProgramDescription(
        program=program.id,
        title=program.title,
        organization=program.organization,
        plugin=program.plugin,
        sections=tuple(sections),
    )
