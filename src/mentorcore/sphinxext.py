"""A Sphinx extension that renders an installed program from the program itself.

Add it to a Sphinx project's ``conf.py``::

    extensions = ["mentorcore.sphinxext"]

and write, in a reStructuredText page::

    .. mentorcore-program:: ipa
       :sections: overview, eligibility, prices, requirements, matching

or in a MyST Markdown page::

    ```{mentorcore-program} ipa
    :sections: overview, eligibility, prices
    ```

The directive renders the program from the registry of every installed
plug-in, or, with ``:registry: NAME``, from a registry of the plug-in modules
listed under ``NAME`` in the ``mentorcore_registries`` setting (a mapping of
names to lists of module names: the plug-in author's guide renders its
example plug-in this way, without installing it). It renders the sections
asked for, in the order given; without ``:sections:``, every section the
program has content for. Every rendered element names its source. An
unknown program or section is an error that stops the build: a docs page
never shows a program that is not installed.

Sections (see :data:`SECTIONS`): ``overview``, ``sources``, ``kinds``,
``comparison``, ``frameworks``, ``rubrics``, ``process``, ``eligibility``,
``parameters``, ``prices``, ``requirements``, ``matching``, ``checklists``,
``content``. ``comparison`` puts engagement kinds side by side; its columns
are the kinds (or content sections) named in ``:columns:``, each row the
n-th characteristic (or item) of each.
"""

from __future__ import annotations

import datetime as dt
from collections.abc import Callable, Iterable, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias

# docutils ships no type stubs; types-docutils is not a dependency.
from docutils import nodes  # type: ignore[import-untyped,unused-ignore]
from docutils.parsers.rst import directives  # type: ignore[import-untyped,unused-ignore]
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from mentorcore.frameworks import Framework, Item, Rubric
from mentorcore.process import ProcessModel, Task
from mentorcore.programs import ContentSection, EngagementKind, Program
from mentorcore.provenance import Source
from mentorcore.registry import Registry, load_registry
from mentorcore.rules.conditions import AllOf, AnyOf, Condition, describe
from mentorcore.rules.parameters import periods_of
from mentorcore.rules.requirements import Requirement, describe_requirement

__all__ = [
    "SECTIONS",
    "CommandsDirective",
    "FieldsDirective",
    "ProgramDirective",
    "program_registry",
    "setup",
]

#: The sections the directive can render, in their default order.
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

_TITLES = {
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

_REGISTRIES: dict[tuple[str, ...], Registry] = {}


def program_registry(modules: Sequence[str] = ()) -> Registry:
    """The registry of the installed plug-ins, or of the plug-in ``modules`` named.

    With no modules, every installed plug-in (the default, cached registry);
    with modules, only those plug-ins (imported by name), strictly: a
    plug-in that fails stops the build with its reason.
    """
    key = tuple(modules)
    if key not in _REGISTRIES:
        if not key:
            _REGISTRIES[key] = load_registry()
        else:
            import importlib

            plugins = {name: importlib.import_module(name) for name in key}
            _REGISTRIES[key] = load_registry(plugins, entry_points=False, strict=True)
    return _REGISTRIES[key]


# -- small node builders ------------------------------------------------------


def _para(*parts: str | nodes.Node) -> nodes.paragraph:
    paragraph = nodes.paragraph()
    for part in parts:
        paragraph += nodes.Text(part) if isinstance(part, str) else part
    return paragraph


def _lines(text: str, *lead: str | nodes.Node) -> list[nodes.Node]:
    """Text whose first line is a paragraph and whose further lines are a list under it."""
    first, *rest = text.strip().split("\n") if text.strip() else [""]
    body: list[nodes.Node] = [_para(*lead, first)]
    if rest:
        body.append(_bullets([line.strip() for line in rest if line.strip()]))
    return body


def _inline(text: str) -> list[str | nodes.Node]:
    """Text with ``code`` in single backticks as literals."""
    parts: list[str | nodes.Node] = []
    for index, piece in enumerate(text.split("`")):
        if index % 2:
            parts.append(nodes.literal(piece, piece))
        elif piece:
            parts.append(piece)
    return parts


def _strong(text: str) -> nodes.strong:
    return nodes.strong(text, text)


def _bullets(entries: Iterable[str | nodes.Node | list[nodes.Node]]) -> nodes.bullet_list:
    listing = nodes.bullet_list()
    for entry in entries:
        item = nodes.list_item()
        if isinstance(entry, str):
            item += _para(entry)
        elif isinstance(entry, list):
            for node in entry:
                item += node
        else:
            item += entry
        listing += item
    return listing


Cell: TypeAlias = str | nodes.Node | list[nodes.Node]


def _cell(content: Cell) -> nodes.entry:
    entry = nodes.entry()
    if isinstance(content, str):
        if content:
            entry += _para(content)
    elif isinstance(content, list):
        for node in content:
            entry += node
    else:
        entry += content
    return entry


def _table(headers: Sequence[str], rows: Sequence[Sequence[Cell]], title: str = "") -> nodes.table:
    table = nodes.table(classes=["mentorcore-table"])
    if title:
        table += nodes.title(title, title)
    group = nodes.tgroup(cols=len(headers))
    table += group
    for _ in headers:
        group += nodes.colspec(colwidth=1)
    head = nodes.thead()
    row = nodes.row()
    for header in headers:
        row += _cell(header)
    head += row
    group += head
    body = nodes.tbody()
    for cells in rows:
        row = nodes.row()
        for content in cells:
            row += _cell(content)
        body += row
    group += body
    return table


def _source_nodes(source: Source | None, label: str = "Source") -> list[nodes.Node]:
    """A "Source: …" paragraph, or nothing when there is no source."""
    if source is None:
        return []
    return [_para(_strong(f"{label}: "), *_source_parts(source))]


def _source_parts(source: Source) -> list[str | nodes.Node]:
    if source.default:
        note = f": {source.note}" if source.note else ""
        return [nodes.emphasis("", f"a configurable default, not the organization's rule{note}")]
    parts: list[str | nodes.Node] = []
    title = source.title or "unnamed source"
    if source.url:
        parts.append(nodes.reference(title, title, refuri=source.url))
    else:
        parts.append(nodes.emphasis(title, title))
    if source.quote:
        parts.append(f": “{source.quote}”")
    if source.note:
        parts.append(f" ({source.note})")
    return parts


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


def _float(value: float) -> str:
    """A float as people write it: ``150`` rather than ``150.0``."""
    return str(int(value)) if float(value).is_integer() else f"{value:g}"


def _period(start: dt.date, end: dt.date | None) -> str:
    return f"{start} to {end}" if end else f"from {start}"


def _nested(lines: Sequence[str]) -> nodes.bullet_list:
    """Indented lines (two spaces a level, as :func:`describe` writes them) as nested lists."""
    root = nodes.bullet_list()
    stack: list[tuple[int, nodes.bullet_list]] = [(0, root)]
    for line in lines:
        depth = (len(line) - len(line.lstrip(" "))) // 2
        text = line.strip().removeprefix("- ")
        while len(stack) > 1 and depth < stack[-1][0]:
            stack.pop()
        current = stack[-1][1]
        if depth > stack[-1][0] and current.children:
            child = nodes.bullet_list()
            current.children[-1] += child
            stack.append((depth, child))
        item = nodes.list_item()
        item += _para(text)
        target = stack[-1][1]
        target += item
    return root


def _when(condition: Condition) -> str:
    """The words that introduce a condition's list."""
    if isinstance(condition, AllOf) and not condition.says:
        return "when all of these hold:"
    if isinstance(condition, AnyOf) and not condition.says:
        return "when any of these holds:"
    return "when:"


def _condition(condition: Condition) -> nodes.bullet_list:
    """A condition in plain words (:func:`describe`), as nested lists."""
    if isinstance(condition, (AllOf, AnyOf)) and not condition.says:
        lines: list[str] = []
        for child in condition.conditions:
            lines.extend(describe(child))
        return _nested(lines)
    return _nested(describe(condition))


def _item_nodes(items: Sequence[Item]) -> nodes.bullet_list:
    listing = nodes.bullet_list()
    for item in items:
        entry = nodes.list_item()
        head: list[str | nodes.Node] = [_strong(item.code)]
        if item.title:
            head.append(f" {item.title}")
        entry += _para(*head)
        if item.text:
            entry += _para(item.text)
        if item.children:
            entry += _item_nodes(item.children)
        listing += entry
    return listing


def _task_nodes(tasks: Sequence[Task], *, details: bool = True) -> nodes.bullet_list:
    listing = nodes.bullet_list()
    for task in tasks:
        entry = nodes.list_item()
        parts: list[str | nodes.Node] = [task.title]
        if task.starts_new_cycle:
            parts.append(nodes.emphasis("", " (starts a new cycle)"))
        entry += _para(*parts)
        if details:
            for prerequisite in task.requires:
                reason = f": {prerequisite.reason}" if prerequisite.reason else ""
                entry += _para(nodes.emphasis("", f"Needs {prerequisite.describe()}"), reason)
        if task.children:
            entry += _task_nodes(task.children, details=details)
        listing += entry
    return listing


# -- the directive ------------------------------------------------------------


def _sections_option(argument: str | None) -> list[str]:
    names = [part.strip() for part in (argument or "").replace(",", " ").split() if part.strip()]
    unknown = [name for name in names if name not in SECTIONS]
    if unknown:
        raise ValueError(f"unknown section {unknown[0]!r}; known: {', '.join(SECTIONS)}")
    return names


def _columns_option(argument: str | None) -> list[str]:
    return [part.strip() for part in (argument or "").replace(",", " ").split() if part.strip()]


class ProgramDirective(SphinxDirective):
    """``.. mentorcore-program:: ID``: render an installed program's sections.

    Options: ``:sections:`` (names from :data:`SECTIONS`, in order),
    ``:columns:`` (kind or content-section ids for the comparison),
    ``:headings:`` (``no`` to render without section headings),
    ``:registry:`` (a name of the ``mentorcore_registries`` setting).
    """

    required_arguments = 1
    optional_arguments = 0
    has_content = False
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {
        "sections": _sections_option,
        "columns": _columns_option,
        "headings": lambda a: directives.choice(a, ("yes", "no")),
        "registry": directives.unchanged,
    }

    def run(self) -> list[nodes.Node]:
        """Render the program; an unknown program id stops the build with the ids known."""
        program_id = self.arguments[0].strip()
        name = self.options.get("registry", "")
        registries: dict[str, list[str]] = self.config.mentorcore_registries
        if name and name not in registries:
            raise self.error(
                f"mentorcore-program: no registry {name!r} in the mentorcore_registries "
                f"setting; known: {', '.join(registries) or 'none'}"
            )
        try:
            registry = program_registry(registries[name] if name else ())
            program = registry.program(program_id)
        except Exception as exc:
            raise self.error(f"mentorcore-program: {exc}") from None
        wanted: list[str] = self.options.get("sections") or list(SECTIONS)
        explicit = "sections" in self.options
        headings = self.options.get("headings", "yes") == "yes"
        renderers: dict[str, Callable[[Program, Registry], list[nodes.Node]]] = {
            "overview": self._overview,
            "sources": self._sources,
            "kinds": self._kinds,
            "comparison": self._comparison,
            "frameworks": self._frameworks,
            "rubrics": self._rubrics,
            "process": self._process,
            "eligibility": self._eligibility,
            "parameters": self._parameters,
            "prices": self._prices,
            "requirements": self._requirements,
            "matching": self._matching,
            "checklists": self._checklists,
            "content": self._content,
        }
        result: list[nodes.Node] = []
        for name in wanted:
            body = renderers[name](program, registry)
            if not body:
                if explicit:
                    raise self.error(
                        f"mentorcore-program: program {program.id!r} has nothing for section "
                        f"{name!r}"
                    )
                continue
            if not headings:
                result.extend(body)
                continue
            section = nodes.section(ids=[nodes.make_id(f"{program.id}-{name}")])
            title = _TITLES[name]
            section += nodes.title(title, title)
            for node in body:
                section += node
            self.state.document.note_implicit_target(section)
            result.append(section)
        return result

    # Each renderer returns the body of its section, or [] when the program has none.

    def _overview(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = [
            _para(_strong(program.title), f", by {program.organization}."),
        ]
        if program.description:
            body.extend(_para(text.strip()) for text in program.description.split("\n\n"))
        if program.url:
            body.append(
                _para("Web: ", nodes.reference(program.url, program.url, refuri=program.url))
            )
        if program.kinds:
            body.append(_para("Offers: " + "; ".join(kind.title for kind in program.kinds) + "."))
        if program.plugin:
            body.append(_para(f"Rendered from the installed plug-in {program.plugin!r}."))
        return body

    def _sources(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        if not program.sources:
            return []
        return [_bullets([_para(*_source_parts(source)) for source in program.sources])]

    def _kind(self, kind: EngagementKind) -> list[nodes.Node]:
        body: list[nodes.Node] = [_para(_strong(kind.title))]
        if kind.description:
            body.append(_para(kind.description))
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
        if kind.characteristics:
            entries: list[list[nodes.Node]] = []
            for characteristic in kind.characteristics:
                if not characteristic.text.strip():
                    continue
                lead: list[str | nodes.Node] = []
                if characteristic.heading:
                    lead.append(_strong(f"{characteristic.heading}: "))
                entries.append(
                    [*_lines(characteristic.text, *lead), *_source_nodes(characteristic.source)]
                )
            body.append(_bullets(entries))
        body.extend(_source_nodes(kind.source))
        return body

    def _kinds(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        for kind in program.kinds:
            body.extend(self._kind(kind))
        return body

    def _comparison(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        names: list[str] = self.options.get("columns") or [k.id for k in program.kinds]
        if len(names) < 2:
            return []
        columns: list[tuple[str, list[list[nodes.Node]]]] = []
        sections = {section.id: section for section in program.content}
        for name in names:
            kinds = [k for k in program.kinds if k.id == name]
            if kinds:
                cells: list[list[nodes.Node]] = []
                for characteristic in kinds[0].characteristics:
                    lead: list[str | nodes.Node] = []
                    if characteristic.heading:
                        lead.append(_strong(f"{characteristic.heading}: "))
                    cells.append(_lines(characteristic.text, *lead))
                columns.append((kinds[0].title, cells))
            elif name in sections:
                section: ContentSection = sections[name]
                columns.append((section.title, [_lines(text) for text in section.items]))
            else:
                known = [k.id for k in program.kinds] + list(sections)
                raise self.error(
                    f"mentorcore-program: no kind or content section {name!r} in program "
                    f"{program.id!r}; known: {', '.join(known)}"
                )
        depth = max(len(cells) for _, cells in columns)
        rows = [
            [cells[index] if index < len(cells) else "" for _, cells in columns]
            for index in range(depth)
        ]
        body: list[nodes.Node] = [_table([title for title, _ in columns], rows)]
        for name in names:
            if name in sections:
                body.extend(
                    _source_nodes(sections[name].source, f"Source of “{sections[name].title}”")
                )
        for kind in program.kinds:
            if kind.id in names:
                body.extend(_source_nodes(kind.source, f"Source of “{kind.title}”"))
        return body

    def _frameworks_of(self, program: Program, registry: Registry) -> list[Framework]:
        found = list(program.frameworks)
        for ident in program.uses:
            if ident in registry.frameworks:
                found.append(registry.frameworks[ident])
        return found

    def _frameworks(self, program: Program, registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        for framework in self._frameworks_of(program, registry):
            shared = framework not in program.frameworks
            title = (
                f"{framework.title} (shared framework {framework.id!r})"
                if shared
                else framework.title
            )
            body.append(_para(_strong(title)))
            if framework.description:
                body.append(_para(framework.description))
            body.append(_item_nodes(framework.items))
            body.extend(_source_nodes(framework.source))
        return body

    def _rubric(self, rubric: Rubric, framework: Framework | None) -> list[nodes.Node]:
        body: list[nodes.Node] = [_para(_strong(rubric.title))]
        if rubric.default:
            body.append(
                _para(
                    nodes.emphasis(
                        "",
                        "A default rating scale provided by mentorcore: "
                        "the organization's source gives none.",
                    )
                )
            )
        if not rubric.descriptors:
            body.append(
                _bullets(
                    [
                        f"{level.title}" + (f": {level.description}" if level.description else "")
                        for level in rubric.levels
                    ]
                )
            )
        else:
            codes: list[str] = []
            for descriptor in rubric.descriptors:
                if descriptor.item not in codes:
                    codes.append(descriptor.item)
            headers = ["Stage"]
            for code in codes:
                label = code
                if framework is not None:
                    try:
                        item = framework.item(code)
                        label = f"{code} {item.title}".strip()
                    except Exception:
                        label = code
                headers.append(label)
            rows: list[list[Cell]] = []
            for level in rubric.levels:
                group = f" ({level.group})" if level.group else ""
                row: list[Cell] = [[_para(_strong(level.title), group)]]
                for code in codes:
                    found = rubric.descriptor(code, level.id)
                    if found is None:
                        row.append("")
                        continue
                    cell: list[nodes.Node] = [_para(found.text)]
                    if found.note:
                        cell.append(_para(nodes.emphasis("", f"Note: {found.note}")))
                    row.append(cell)
                rows.append(row)
            body.append(_table(headers, rows))
        body.extend(_source_nodes(rubric.source))
        return body

    def _rubrics(self, program: Program, registry: Registry) -> list[nodes.Node]:
        frameworks = {f.id: f for f in self._frameworks_of(program, registry)}
        body: list[nodes.Node] = []
        for rubric in program.rubrics:
            body.extend(self._rubric(rubric, frameworks.get(rubric.framework or "")))
        return body

    def _process_model(self, model: ProcessModel) -> list[nodes.Node]:
        body: list[nodes.Node] = [_para(_strong(model.title))]
        # The diagram: one box per phase, left to right (CSS draws the arrows).
        flow = nodes.container(classes=["mentorcore-flow"])
        for index, phase in enumerate(model.phases, start=1):
            box = nodes.container(classes=["mentorcore-phase"])
            box += _para(_strong(f"{index}. {phase.title}"))
            if phase.purpose:
                box += _para(phase.purpose)
            flow += box
        body.append(flow)
        if model.cycles:
            starters = [task.title for _, task in model.tasks() if task.starts_new_cycle]
            after = f" after “{starters[0]}”" if starters else ""
            body.append(
                _para(nodes.emphasis("", f"The process repeats: a new cycle starts{after}."))
            )
        rows: list[list[Cell]] = []
        for index, phase in enumerate(model.phases, start=1):
            head: list[nodes.Node] = [_para(_strong(f"{index}. {phase.title}"))]
            if phase.purpose:
                head.append(_para(nodes.emphasis(phase.purpose, phase.purpose)))
            if phase.per_module:
                head.append(_para("Runs once per module (practice or final assessment)."))
            rows.append([head, [_task_nodes(phase.tasks, details=False)]])
        body.append(_table(["Phase and purpose", "Tasks, in order"], rows))
        needs: list[list[nodes.Node]] = []
        for phase in model.phases:
            for prerequisite in phase.requires:
                reason = f": {prerequisite.reason}" if prerequisite.reason else ""
                needs.append(
                    [_para(_strong(f"{phase.title}"), f" needs {prerequisite.describe()}{reason}")]
                )
            for task, _parent in phase.walk():
                for prerequisite in task.requires:
                    reason = f": {prerequisite.reason}" if prerequisite.reason else ""
                    needs.append(
                        [
                            _para(
                                _strong(task.title),
                                f" ({phase.title}) needs {prerequisite.describe()}{reason}",
                            )
                        ]
                    )
        if needs:
            body.append(_para(_strong("What must come first")))
            body.append(_bullets(needs))
        if model.roles:
            body.append(_para(_strong("Roles")))
            body.append(
                _bullets(
                    [
                        [
                            _para(
                                _strong(role.title),
                                f": {role.description}" if role.description else "",
                            )
                        ]
                        for role in model.roles
                    ]
                )
            )
        if model.artifacts:
            body.append(_para(_strong("Artifacts")))
            body.append(
                _bullets(
                    [
                        [
                            _para(
                                _strong(artifact.title),
                                f": {artifact.description}" if artifact.description else "",
                            )
                        ]
                        for artifact in model.artifacts
                    ]
                )
            )
        body.extend(_source_nodes(model.source))
        return body

    def _process(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        seen: set[str] = set()
        for kind in program.kinds:
            if kind.process is not None and kind.process.id not in seen:
                seen.add(kind.process.id)
                body.extend(self._process_model(kind.process))
        return body

    def _eligibility(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        for rule in program.eligibility:
            for_whom = {"leader": "leaders", "mentor": "mentors and coaches", "person": "anyone"}
            kinds = f", for {', '.join(rule.kinds)}" if rule.kinds else ""
            body.append(
                _para(_strong(rule.title), f" (decides for {for_whom[rule.subject]}{kinds})")
            )
            if rule.description:
                body.append(_para(rule.description))
            body.append(_para("The first outcome whose conditions all hold is the decision:"))
            entries: list[list[nodes.Node]] = []
            for index, outcome in enumerate(rule.outcomes):
                verdict = "eligible" if outcome.eligible else "not eligible"
                if outcome.when is None:
                    lead = "Otherwise" if index else "Always"
                    entry: list[nodes.Node] = [
                        _para(_strong(outcome.title), f" ({verdict}). {lead}.")
                    ]
                else:
                    entry = [
                        _para(_strong(outcome.title), f" ({verdict}) {_when(outcome.when)}"),
                        _condition(outcome.when),
                    ]
                entry.extend(_source_nodes(outcome.source))
                entries.append(entry)
            body.append(nodes.enumerated_list("", *[nodes.list_item("", *e) for e in entries]))
            body.extend(_source_nodes(rule.source))
        return body

    def _parameters(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        for parameter in program.parameters:
            body.append(_para(_strong(parameter.title), f" ({parameter.id})"))
            if parameter.description:
                body.append(_para(parameter.description))
            rows: list[list[Cell]] = []
            for entry, end in periods_of(parameter.values):
                source: list[nodes.Node] = (
                    _source_nodes(entry.source, "Source") if entry.source else []
                )
                if entry.note:
                    source.append(_para(entry.note))
                unit = f" {parameter.unit}" if parameter.unit else ""
                shown = (
                    "no value (none is known)"
                    if entry.value is None
                    else f"{_value(entry.value)}{unit}"
                )
                rows.append([_period(entry.start, end), shown, source])
            body.append(_table(["In force", "Value", "Source"], rows))
            body.append(
                _para(
                    "On a date outside these periods no value is known, and a rule "
                    "that needs it says so."
                )
            )
        return body

    def _prices(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        pricing = program.pricing
        if pricing is None:
            return []
        table = pricing.table
        body: list[nodes.Node] = []
        bases = [basis.id for basis in pricing.bases]
        titles = {basis.id: basis.title for basis in pricing.bases}
        for schedule, end in table.periods():
            headers = ["Package", *[f"{titles[b]} ({table.currency})" for b in bases]]
            rows: list[list[Cell]] = []
            for package in schedule.packages:
                rows.append(
                    [
                        f"{package.hours} hours",
                        *[_money(package.prices.get(b)) for b in bases],
                    ]
                )
            body.append(
                _table(headers, rows, title=f"Prices in force {_period(schedule.start, end)}")
            )
            body.extend(_source_nodes(schedule.source))
            if schedule.note:
                body.append(_para(schedule.note))
        body.append(
            _para(
                _strong("Which price applies: "),
                f"the decision of the rule {pricing.eligibility!r} comes first; "
                + (
                    f"a decision of {' or '.join(pricing.free_outcomes)} pays nothing; "
                    if pricing.free_outcomes
                    else ""
                )
                + (
                    f"a decision of {' or '.join(pricing.refuse_outcomes)} gets no quote; "
                    if pricing.refuse_outcomes
                    else ""
                )
                + "otherwise the first basis that applies:",
            )
        )
        entries: list[list[nodes.Node]] = []
        for basis in pricing.bases:
            if basis.when is None:
                entries.append([_para(_strong(basis.title), ": otherwise")])
            else:
                entries.append(
                    [_para(_strong(basis.title), f" {_when(basis.when)}"), _condition(basis.when)]
                )
        body.append(nodes.enumerated_list("", *[nodes.list_item("", *e) for e in entries]))
        return body

    def _requirement_row(self, requirement: Requirement, registry: Registry) -> list[Cell]:
        rule = describe_requirement(requirement, registry.metrics, registry.checks)
        source = _source_nodes(requirement.source) or ""
        return [[_para(_strong(requirement.title))], rule, source]

    def _requirements(self, program: Program, registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        for kind in program.kinds:
            if not kind.requirements and not kind.required_credentials:
                continue
            rows = [self._requirement_row(r, registry) for r in kind.requirements]
            for credential in kind.required_credentials:
                rows.append(
                    [
                        [_para(_strong(f"The mentor holds {credential}"))],
                        "checked against the mentor's credentials",
                        "",
                    ]
                )
            body.append(
                _table(["Requirement", "How it is checked", "Source"], rows, title=kind.title)
            )
        if body:
            body.append(
                _para(
                    "A requirement due by the end is “at risk” until the engagement "
                    "ends and “not met” after; one checked at any time is “not met” at once."
                )
            )
        return body

    def _matching(self, program: Program, registry: Registry) -> list[nodes.Node]:
        settings = program.matching
        if settings is None:
            return []
        body: list[nodes.Node] = []
        if settings.factors:
            body.append(_para(_strong("The factors the organization names:")))
            rows: list[list[Cell]] = []
            for factor in settings.factors:
                criterion = registry.criteria.get(factor.criterion or "")
                how = (
                    criterion.description
                    if criterion
                    else (
                        "not scored by a criterion"
                        if factor.criterion is None
                        else factor.criterion
                    )
                )
                rows.append([factor.title, how, factor.note])
            body.append(_table(["Factor", "Scored by", "Note"], rows))
        if settings.criteria:
            rows = []
            for weight in settings.criteria:
                criterion = registry.criteria.get(weight.criterion)
                words = criterion.description if criterion else weight.criterion
                sensitive = (
                    " (sensitive: used only as the leader's stated preference)"
                    if criterion and criterion.sensitive and "asked" not in words
                    else ""
                )
                rows.append([weight.criterion, words + sensitive, _float(weight.weight)])
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
            facts.append(f"On-site work: at most {_float(settings.max_distance_km)} km apart.")
        if facts:
            body.append(_bullets(facts))
        if settings.goal_areas:
            body.append(_para(_strong("Professional goal areas:")))
            body.append(_bullets([area.text for area in settings.goal_areas]))
        body.extend(_source_nodes(settings.source))
        return body

    def _checklists(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        for checklist in program.checklists:
            body.append(_para(_strong(checklist.title), f" (for each {checklist.subject})"))
            body.append(_bullets([item.text for item in checklist.items]))
            body.extend(_source_nodes(checklist.source))
        return body

    def _content(self, program: Program, _registry: Registry) -> list[nodes.Node]:
        body: list[nodes.Node] = []
        columns = set(self.options.get("columns") or ())
        for section in program.content:
            if section.id in columns:
                continue
            body.append(_para(_strong(section.title)))
            if section.text:
                body.extend(_para(text.strip()) for text in section.text.split("\n\n"))
            if section.items:
                body.append(_bullets([_lines(text) for text in section.items]))
            body.extend(_source_nodes(section.source))
        return body


class FieldsDirective(SphinxDirective):
    """``.. mentorcore-fields:: mentorcore.people.Leader``: a data type's fields as a table.

    One row per field, with its type in words (as error messages word it),
    and whether it is required or its default; ``:own:`` leaves out the
    fields inherited from a base class. The content may describe
    fields, one ``name: words`` a line; a described field that does not
    exist stops the build, so the docs cannot drift from the code.
    """

    required_arguments = 1
    has_content = True
    option_spec: ClassVar[dict[str, Callable[[str], Any]]] = {"own": directives.flag}

    def run(self) -> list[nodes.Node]:
        """Render the table."""
        import importlib
        import typing

        import attrs

        from mentorcore.io.converter import describe_type

        module_name, _, class_name = self.arguments[0].rpartition(".")
        try:
            cls = getattr(importlib.import_module(module_name), class_name)
            hints = typing.get_type_hints(cls)
            fields = attrs.fields(cls)
        except Exception as exc:
            raise self.error(
                f"mentorcore-fields: cannot read {self.arguments[0]!r}: {exc}"
            ) from None
        words: dict[str, str] = {}
        for line in self.content:
            name, sep, text = line.partition(":")
            if not sep:
                raise self.error(f"mentorcore-fields: expected 'name: words', got {line!r}")
            words[name.strip()] = text.strip()
        names = [field.name for field in fields]
        inherited: set[str] = set()
        if "own" in self.options:
            for base in cls.__mro__[1:]:
                if attrs.has(base):
                    inherited |= {f.name for f in attrs.fields(base)}
        unknown = sorted(set(words) - set(names))
        if unknown:
            raise self.error(
                f"mentorcore-fields: {cls.__name__} has no field {unknown[0]!r}; "
                f"its fields: {', '.join(names)}"
            )
        rows: list[list[Cell]] = []
        for field in fields:
            if not field.init or field.name == "plugin":
                continue
            if field.name in inherited:
                continue
            default = field.default
            if default is attrs.NOTHING:
                need = "required"
            elif isinstance(default, attrs.Factory) or default in ((), ""):  # type: ignore[arg-type]
                need = "optional (empty)"
            elif default is None:
                need = "optional"
            elif isinstance(default, bool):
                need = f"default {str(default).lower()}"
            else:
                need = f"default {_value(getattr(default, 'value', default))}"
            rows.append(
                [
                    [nodes.paragraph("", "", nodes.literal(field.name, field.name))],
                    describe_type(hints.get(field.name, field.type)),
                    need,
                    [_para(*_inline(words[field.name]))] if field.name in words else "",
                ]
            )
        return [_table(["Field", "Type", "Required", "Meaning"], rows)]


class CommandsDirective(SphinxDirective):
    """``.. mentorcore-commands::``: every command's ``--help``, from the parser itself.

    One section per command of :data:`mentorcore.cli.main.COMMANDS`, in
    their order, so the page cannot drift from the command line.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Render one section per command."""
        import argparse
        import os

        from mentorcore.cli.main import COMMANDS, build_parser

        saved = os.environ.get("COLUMNS")
        os.environ["COLUMNS"] = "88"
        try:
            parser = build_parser()
            actions = [a for a in parser._actions if isinstance(a, argparse._SubParsersAction)]
            commands: dict[str, argparse.ArgumentParser] = (
                dict(actions[0].choices) if actions else {}
            )
            result: list[nodes.Node] = []
            for name in COMMANDS:
                sub = commands[name]
                section = nodes.section(ids=[nodes.make_id(f"command-{name}")])
                title = f"mentorcore {name}"
                section += nodes.title(title, title)
                text = sub.format_help().rstrip()
                section += nodes.literal_block(text, text, language="text")
                self.state.document.note_implicit_target(section)
                result.append(section)
        finally:
            if saved is None:
                os.environ.pop("COLUMNS", None)
            else:
                os.environ["COLUMNS"] = saved
        return result


def _money(amount: Decimal | None) -> str:
    if amount is None:
        return "—"
    return f"{amount.quantize(Decimal('0.01')):,}"


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``mentorcore-program`` directive and the ``mentorcore_registries`` setting."""
    app.add_config_value("mentorcore_registries", {}, "env", types=[dict])
    app.add_directive("mentorcore-program", ProgramDirective)
    app.add_directive("mentorcore-fields", FieldsDirective)
    app.add_directive("mentorcore-commands", CommandsDirective)
    from mentorcore import __version__

    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
