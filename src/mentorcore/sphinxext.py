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
from collections.abc import Callable, Sequence
from decimal import Decimal
from typing import Any, ClassVar, TypeAlias

# docutils ships no type stubs; types-docutils is not a dependency.
from docutils import nodes  # type: ignore[import-untyped,unused-ignore]
from docutils.parsers.rst import directives  # type: ignore[import-untyped,unused-ignore]
from sphinx.application import Sphinx
from sphinx.util.docutils import SphinxDirective

from mentorcore.description import (
    SECTIONS,
    Block,
    Bullets,
    Paragraph,
    Picture,
    SourceNote,
    Table,
    describe_program,
    money,
    source_text,
)
from mentorcore.pictures import narrow_svg, svg
from mentorcore.provenance import Source
from mentorcore.registry import Registry, load_registry

__all__ = [
    "SECTIONS",
    "CommandsDirective",
    "FieldsDirective",
    "ProgramDirective",
    "command_help",
    "program_registry",
    "setup",
]

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


# -- the description as document nodes -----------------------------------------


def _spans(paragraph: Paragraph) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for span in paragraph.spans:
        text = money(span.text) if span.style == "amount" else span.text
        if span.url:
            result.append(nodes.reference(text, text, refuri=span.url))
        elif span.style == "strong":
            result.append(nodes.strong(text, text))
        elif span.style == "emphasis":
            result.append(nodes.emphasis(text, text))
        elif span.style == "code":
            result.append(nodes.literal(text, text))
        else:
            result.append(nodes.Text(text))
    return result


def _source_parts(source: Source | None) -> list[str | nodes.Node]:
    if source is None or source.default:
        said = source_text(source)
        return [nodes.emphasis(said, said)]
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


def _picture(picture: Picture) -> nodes.Node:
    """A picture as inline SVG (HTML builders); a narrow drawing too where one reads better
    on a phone (the extension's style sheet shows one of the two)."""
    figure = nodes.container(classes=["mentorcore-picture", f"mentorcore-{picture.type}"])
    narrow = narrow_svg(picture)
    if narrow is None:
        figure += nodes.raw("", svg(picture), format="html")
    else:
        wide = f'<div class="mentorcore-wide">{svg(picture)}</div>'
        small = f'<div class="mentorcore-narrow">{narrow}</div>'
        figure += nodes.raw("", wide + small, format="html")
    return figure


def _block_nodes(block: Block) -> list[nodes.Node]:
    if isinstance(block, Paragraph):
        return [_para(*_spans(block))]
    if isinstance(block, SourceNote):
        lead: list[str | nodes.Node] = [_strong(f"{block.label}: ")] if block.label else []
        return [_para(*lead, *_source_parts(block.source))]
    if isinstance(block, Bullets):
        listing = nodes.enumerated_list() if block.ordered else nodes.bullet_list()
        for entry in block.items:
            item = nodes.list_item()
            for node in _nodes(entry):
                item += node
            listing += item
        return [listing]
    if isinstance(block, Table):
        return [
            _table(block.headers, [[_nodes(c) for c in row] for row in block.rows], block.title)
        ]
    return [_picture(block)]


def _nodes(blocks: Sequence[Block]) -> list[nodes.Node]:
    result: list[nodes.Node] = []
    for block in blocks:
        result.extend(_block_nodes(block))
    return result


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

    The sections are those of the program's one description
    (:func:`mentorcore.description.describe_program`), the same that
    ``mentorcore show`` prints. Options: ``:sections:`` (names from
    :data:`SECTIONS`, in order), ``:columns:`` (kind or content-section ids
    for the comparison), ``:headings:`` (``no`` to render without section
    headings), ``:registry:`` (a name of the ``mentorcore_registries``
    setting).
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
            description = describe_program(
                program, registry, columns=self.options.get("columns") or ()
            )
        except Exception as exc:
            raise self.error(f"mentorcore-program: {exc}") from None
        wanted: list[str] = self.options.get("sections") or list(SECTIONS)
        explicit = "sections" in self.options
        headings = self.options.get("headings", "yes") == "yes"
        result: list[nodes.Node] = []
        for name in wanted:
            found = description.section(name)
            if found is None:
                if explicit:
                    raise self.error(
                        f"mentorcore-program: program {program.id!r} has nothing for section "
                        f"{name!r}"
                    )
                continue
            body = _nodes(found.blocks)
            if not headings:
                result.extend(body)
                continue
            section = nodes.section(ids=[nodes.make_id(f"{program.id}-{name}")])
            section += nodes.title(found.title, found.title)
            for node in body:
                section += node
            self.state.document.note_implicit_target(section)
            result.append(section)
        return result


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


def command_help(name: str, columns: int = 88) -> str:
    """What ``mentorcore NAME --help`` prints, at ``columns`` wide.

    Asked of the command line itself, through its public entry point, so
    the page shows exactly what a user sees and reads no parser internals.
    """
    import contextlib
    import io
    import os

    from mentorcore.cli.main import main

    saved = os.environ.get("COLUMNS")
    os.environ["COLUMNS"] = str(columns)
    out = io.StringIO()
    try:
        with contextlib.redirect_stdout(out), contextlib.suppress(SystemExit):
            main([name, "--help"])
    finally:
        if saved is None:
            os.environ.pop("COLUMNS", None)
        else:
            os.environ["COLUMNS"] = saved
    return out.getvalue().rstrip()


class CommandsDirective(SphinxDirective):
    """``.. mentorcore-commands::``: every command's ``--help``, from the command line itself.

    One section per command of :data:`mentorcore.cli.main.COMMANDS`, in
    their order, so the page cannot drift from the command line.
    """

    has_content = False

    def run(self) -> list[nodes.Node]:
        """Render one section per command."""
        from mentorcore.cli.main import COMMANDS

        result: list[nodes.Node] = []
        for name in COMMANDS:
            section = nodes.section(ids=[nodes.make_id(f"command-{name}")])
            title = f"mentorcore {name}"
            section += nodes.title(title, title)
            text = command_help(name)
            section += nodes.literal_block(text, text, language="text")
            self.state.document.note_implicit_target(section)
            result.append(section)
        return result


def _money(amount: Decimal | None) -> str:
    return "—" if amount is None else money(amount)


def _add_static_path(_app: Sphinx, config: Any) -> None:
    """The pictures' style sheet ships with the extension, for any project that uses it."""
    from pathlib import Path

    config.html_static_path.append(str(Path(__file__).parent / "sphinx_static"))


def setup(app: Sphinx) -> dict[str, Any]:
    """Register the ``mentorcore-program`` directive and the ``mentorcore_registries`` setting."""
    app.add_config_value("mentorcore_registries", {}, "env", types=[dict])
    app.connect("config-inited", _add_static_path)
    app.add_css_file("mentorcore-pictures.css")
    app.add_directive("mentorcore-program", ProgramDirective)
    app.add_directive("mentorcore-fields", FieldsDirective)
    app.add_directive("mentorcore-commands", CommandsDirective)
    from mentorcore import __version__

    return {"version": __version__, "parallel_read_safe": True, "parallel_write_safe": True}
