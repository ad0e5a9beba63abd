"""1EdTech CASE JSON: frameworks as CFPackages, and back.

A :class:`~mentorcore.frameworks.Framework` becomes one CASE package
(``CFPackage``) with a ``CFDocument`` for the framework, one ``CFItem`` per
item and one ``CFAssociation`` of type ``isChildOf`` per parent link (a
top-level item is a child of the document). :func:`framework_from_case`
reads such a package back to an equal framework.

:func:`program_package` gives one framework of a program as the bare CASE
1.1 ``CFPackage`` a CASE server's ``CFPackages/{id}`` endpoint serves and
imports (``mentorcore export PROGRAM --format case --framework ID``);
:func:`program_to_case` gives every framework of a program in one bundle.
Both date every entity with the plug-in data's ``last_changed`` and name the
program's organization as the ``creator`` of its own frameworks.

Mapping, both ways:

=====================  =======================================================
mentorcore             CASE
=====================  =======================================================
``Framework.title``    ``CFDocument.title``
``description``        ``CFDocument.description``
``version``            ``CFDocument.version``
``source``             ``officialSourceURL`` (its url), ``notes`` (its quote and
                       note); ``creator`` is the organization when exported
                       from a program, else the source's title
``last_changed``       ``lastChangeDateTime`` (midnight UTC of that date)
``Item.code``          ``CFItem.humanCodingScheme``
``Item.title``         ``CFItem.abbreviatedStatement``
``Item.text``          ``CFItem.fullStatement`` (the title or code when blank)
``Item.kind``          ``CFItem.CFItemType``
children, in order     ``CFAssociation`` ``isChildOf`` with ``sequenceNumber``
=====================  =======================================================

A rubric describing the framework's items travels in the same package as
``CFRubrics`` (:func:`rubric_to_case`, :func:`rubrics_from_case`).

What CASE has no field for (the framework's id, the whole source, an empty
item text) travels in an ``extensions`` object under the key
``"mentorcore"``, which other CASE consumers ignore; a package from another
tool, without it, still imports (the id is then derived from the title).

Identifiers are UUIDs made with :func:`uuid.uuid5` from the framework id and
the item codes, so exporting the same framework twice gives the same JSON;
``uri`` values are ``urn:uuid:`` URIs unless a ``base_uri`` is given.
"""

from __future__ import annotations

import datetime as dt
import re
import uuid
from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any

from mentorcore.errors import Described, InputError, MentorcoreError, UnknownIdError
from mentorcore.frameworks import Descriptor, Framework, Item, Level, Rubric
from mentorcore.provenance import Source

if TYPE_CHECKING:
    from mentorcore.programs import Program
    from mentorcore.registry import Registry

__all__ = [
    "CASE_NAMESPACE",
    "CASE_VERSION",
    "LAST_CHANGE",
    "case_datetime",
    "document_uri",
    "framework_from_case",
    "framework_to_case",
    "item_uri",
    "program_frameworks",
    "program_package",
    "program_to_case",
    "rubric_to_case",
    "rubrics_from_case",
]

#: The namespace of every identifier mentorcore makes for CASE (uuid5 of a fixed URL).
CASE_NAMESPACE = uuid.uuid5(uuid.NAMESPACE_URL, "https://mentorcore.invalid/case")

#: The ``lastChangeDateTime`` :func:`framework_to_case` writes for a framework
#: with no date anywhere (no ``last_change`` argument, no ``last_changed``):
#: fixed, so output is stable. Program exports never use it: a program with
#: no ``last_changed`` is an error there.
LAST_CHANGE = "2000-01-01T00:00:00+00:00"

#: The CASE version whose package shape :func:`program_package` writes.
CASE_VERSION = "1.1"

_EXTENSION = "mentorcore"


def _document_id(framework_id: str) -> uuid.UUID:
    return uuid.uuid5(CASE_NAMESPACE, f"framework:{framework_id}")


def _uri(identifier: str, base_uri: str | None) -> str:
    return f"{base_uri.rstrip('/')}/{identifier}" if base_uri else f"urn:uuid:{identifier}"


def case_datetime(day: dt.date) -> str:
    """A date as a CASE ``lastChangeDateTime``: ``2026-11-23T00:00:00+00:00``."""
    return dt.datetime.combine(day, dt.time(), tzinfo=dt.UTC).isoformat()


def document_uri(framework_id: str, base_uri: str | None = None) -> str:
    """The ``uri`` of a framework's ``CFDocument``, as every export writes it."""
    return _uri(str(_document_id(framework_id)), base_uri)


def item_uri(framework_id: str, code: str, base_uri: str | None = None) -> str:
    """The ``uri`` of the ``CFItem`` for item ``code`` of a framework (credentials align to it)."""
    return _uri(str(uuid.uuid5(_document_id(framework_id), f"item:{code}")), base_uri)


def _link(title: str, identifier: str, uri: str) -> dict[str, str]:
    return {"title": title, "identifier": identifier, "uri": uri}


def _source_data(source: Source) -> dict[str, Any]:
    data: dict[str, Any] = {"title": source.title} if source.title else {}
    for name in ("url", "quote", "note"):
        value = getattr(source, name)
        if value is not None:
            data[name] = value
    if source.default:
        data["default"] = True
    return data


def _statement(item: Item) -> str:
    """The item's ``fullStatement``: CASE needs one, so a blank text falls back."""
    for candidate in (item.text, item.title, item.code):
        if candidate.strip():
            return candidate
    return item.code


def framework_to_case(
    framework: Framework,
    *,
    base_uri: str | None = None,
    last_change: dt.datetime | dt.date | str | None = None,
    rubrics: Sequence[Rubric] = (),
    creator: str | None = None,
    publisher: str | None = None,
) -> dict[str, Any]:
    """A framework as a CASE ``CFPackage`` (plain JSON-able data).

    Args:
        framework: the framework to export.
        base_uri: prefix for ``uri`` values (``https://example.org/case/uri``);
            by default ``urn:uuid:<identifier>``.
        last_change: the ``lastChangeDateTime`` of every entity; by default
            the framework's ``last_changed``, else :data:`LAST_CHANGE`, so the
            output is the same on every run.
        rubrics: rubrics describing this framework's items, written as
            ``CFRubrics`` (see :func:`rubric_to_case`); read them back with
            :func:`rubrics_from_case`.
        creator: the ``CFDocument.creator`` (the organization); by default the
            source's title, else ``"mentorcore"``.
        publisher: the ``CFDocument.publisher``, when given.
    """
    changed = _changed(last_change, framework.last_changed)
    doc_uuid = _document_id(framework.id)
    doc_id = str(doc_uuid)
    doc_uri = _uri(doc_id, base_uri)
    title = framework.title if framework.title.strip() else framework.id
    document_link = _link(title, doc_id, doc_uri)
    extension: dict[str, Any] = {"id": framework.id}
    if title != framework.title:
        extension["title"] = framework.title
    if framework.source is not None:
        extension["source"] = _source_data(framework.source)
    if framework.last_changed is not None:
        extension["last_changed"] = framework.last_changed.isoformat()
    document: dict[str, Any] = {
        "identifier": doc_id,
        "uri": doc_uri,
        "creator": creator
        or (framework.source.title if framework.source and framework.source.title else "")
        or "mentorcore",
        "title": title,
        "lastChangeDateTime": changed,
        "CFPackageURI": _link(title, doc_id, doc_uri),
    }
    if publisher:
        document["publisher"] = publisher
    if framework.description:
        document["description"] = framework.description
    if framework.version:
        document["version"] = framework.version
    if framework.source is not None:
        if framework.source.url:
            document["officialSourceURL"] = framework.source.url
        notes = [part for part in (framework.source.quote, framework.source.note) if part]
        if notes:
            document["notes"] = "\n\n".join(notes)
    document["extensions"] = {_EXTENSION: extension}

    items: list[dict[str, Any]] = []
    associations: list[dict[str, Any]] = []
    links: dict[str, dict[str, str]] = {}
    for item, _parent in framework.walk():
        item_id = str(uuid.uuid5(doc_uuid, f"item:{item.code}"))
        item_uri = _uri(item_id, base_uri)
        statement = _statement(item)
        links[item.code] = _link(statement, item_id, item_uri)
        record: dict[str, Any] = {
            "identifier": item_id,
            "uri": item_uri,
            "fullStatement": statement,
            "humanCodingScheme": item.code,
            "lastChangeDateTime": changed,
            "CFDocumentURI": dict(document_link),
        }
        if item.title:
            record["abbreviatedStatement"] = item.title
        if item.kind:
            record["CFItemType"] = item.kind
        if statement != item.text:
            record["extensions"] = {_EXTENSION: {"text": item.text}}
        items.append(record)

    def associate(children: Sequence[Item], parent: dict[str, str]) -> None:
        for number, child in enumerate(children, start=1):
            assoc_id = str(uuid.uuid5(doc_uuid, f"isChildOf:{child.code}:{parent['identifier']}"))
            associations.append(
                {
                    "identifier": assoc_id,
                    "uri": _uri(assoc_id, base_uri),
                    "associationType": "isChildOf",
                    "sequenceNumber": number,
                    "originNodeURI": dict(links[child.code]),
                    "destinationNodeURI": dict(parent),
                    "lastChangeDateTime": changed,
                    "CFDocumentURI": dict(document_link),
                }
            )
            associate(child.children, links[child.code])

    associate(framework.items, document_link)
    package: dict[str, Any] = {
        "CFDocument": document,
        "CFItems": items,
        "CFAssociations": associations,
    }
    if rubrics:
        package["CFRubrics"] = [
            rubric_to_case(rubric, framework, base_uri=base_uri, last_change=changed)
            for rubric in rubrics
        ]
    return package


def rubric_to_case(
    rubric: Rubric,
    framework: Framework,
    *,
    base_uri: str | None = None,
    last_change: dt.datetime | dt.date | str | None = None,
) -> dict[str, Any]:
    """A rubric of ``framework`` as a CASE ``CFRubric``.

    One ``CFRubricCriterion`` per item the rubric describes (its
    ``CFItemURI`` links the item), one ``CFRubricCriterionLevel`` per level
    with a descriptor: ``quality`` is the level's title, ``description`` the
    descriptor, ``position`` the level's rank from 1. Level ids and groups,
    descriptor notes and the source travel in the ``mentorcore`` extension.
    """
    changed = _changed(last_change, framework.last_changed)
    doc_uuid = _document_id(framework.id)
    rubric_id = str(uuid.uuid5(doc_uuid, f"rubric:{rubric.id}"))
    criteria: list[dict[str, Any]] = []
    described = {descriptor.item for descriptor in rubric.descriptors}
    for item, _ in framework.walk():
        if item.code not in described:
            continue
        item_id = str(uuid.uuid5(doc_uuid, f"item:{item.code}"))
        criterion_id = str(uuid.uuid5(doc_uuid, f"criterion:{rubric.id}:{item.code}"))
        levels = []
        for rank, level in enumerate(rubric.levels):
            descriptor = rubric.descriptor(item.code, level.id)
            if descriptor is None:
                continue
            level_id = str(uuid.uuid5(doc_uuid, f"level:{rubric.id}:{item.code}:{level.id}"))
            levels.append(
                {
                    "identifier": level_id,
                    "uri": _uri(level_id, base_uri),
                    "quality": level.title,
                    "description": descriptor.text,
                    "score": rank,
                    "position": rank + 1,
                    "rubricCriterionId": criterion_id,
                    "lastChangeDateTime": changed,
                }
            )
        criteria.append(
            {
                "identifier": criterion_id,
                "uri": _uri(criterion_id, base_uri),
                "category": item.title or item.code,
                "description": _statement(item),
                "CFItemURI": _link(_statement(item), item_id, _uri(item_id, base_uri)),
                "position": len(criteria) + 1,
                "rubricId": rubric_id,
                "lastChangeDateTime": changed,
                "CFRubricCriterionLevels": levels,
            }
        )
    extension: dict[str, Any] = {
        "id": rubric.id,
        "levels": [
            {name: value for name, value in _level_data(level).items() if value}
            for level in rubric.levels
        ],
    }
    notes = {f"{d.item} {d.level}": d.note for d in rubric.descriptors if d.note}
    if notes:
        extension["notes"] = notes
    if rubric.source is not None:
        extension["source"] = _source_data(rubric.source)
    if rubric.default:
        extension["default"] = True
    if rubric.noun != "level":
        extension["noun"] = rubric.noun
    return {
        "identifier": rubric_id,
        "uri": _uri(rubric_id, base_uri),
        "title": rubric.title,
        "lastChangeDateTime": changed,
        "CFRubricCriteria": criteria,
        "extensions": {_EXTENSION: extension},
    }


def _changed(given: dt.datetime | dt.date | str | None, own: dt.date | None) -> str:
    if isinstance(given, dt.datetime):
        return given.isoformat()
    if isinstance(given, dt.date):
        return case_datetime(given)
    if given:
        return given
    return case_datetime(own) if own is not None else LAST_CHANGE


def _level_data(level: Level) -> dict[str, str]:
    return {
        "id": level.id,
        "title": level.title,
        "group": level.group,
        "description": level.description,
    }


def rubrics_from_case(data: Any, file: str | None = None) -> tuple[Rubric, ...]:
    """The rubrics of a CASE ``CFPackage`` (its ``CFRubrics``), for the package's framework.

    Criteria are matched to items through ``CFItemURI``; levels come from the
    ``mentorcore`` extension when present, else from each criterion level's
    ``quality`` in ``position`` order. Faults are
    :class:`~mentorcore.errors.InputError` with paths (``CFRubrics[0].title``).
    """
    framework = framework_from_case(data, file)
    package: Mapping[str, Any] = data.get("CFPackage", data)
    codes = {}
    for record in _list(package.get("CFItems"), "CFItems", file):
        codes[record["identifier"]] = record.get("humanCodingScheme") or record["identifier"]
    found: list[Rubric] = []
    for index, raw in enumerate(_list(package.get("CFRubrics"), "CFRubrics", file)):
        path = f"CFRubrics[{index}]"
        record = _table(raw, path, file)
        title = _text(record, "title", path, file, True)
        mine = _extension(record)
        levels: list[Level] = []
        if isinstance(mine.get("levels"), list):
            from mentorcore.io.converter import structure

            levels = list(
                structure(
                    mine["levels"],
                    tuple[Level, ...],
                    file=file,
                    path=f"{path}.extensions.mentorcore.levels",
                )
            )
        descriptors: list[Descriptor] = []
        notes = mine.get("notes") if isinstance(mine.get("notes"), Mapping) else {}
        for c_index, c_raw in enumerate(
            _list(record.get("CFRubricCriteria"), f"{path}.CFRubricCriteria", file)
        ):
            c_path = f"{path}.CFRubricCriteria[{c_index}]"
            criterion = _table(c_raw, c_path, file)
            item_id = _node_id(criterion.get("CFItemURI"), f"{c_path}.CFItemURI", file)
            if item_id not in codes:
                raise InputError(
                    file=file,
                    path=f"{c_path}.CFItemURI.identifier",
                    found=item_id,
                    expected="the identifier of an item in CFItems",
                )
            code = codes[item_id]
            entries = []
            for l_index, l_raw in enumerate(
                _list(
                    criterion.get("CFRubricCriterionLevels"),
                    f"{c_path}.CFRubricCriterionLevels",
                    file,
                )
            ):
                l_path = f"{c_path}.CFRubricCriterionLevels[{l_index}]"
                entry = _table(l_raw, l_path, file)
                position = entry.get("position")
                if isinstance(position, bool) or not isinstance(position, int) or position < 1:
                    raise InputError(
                        file=file,
                        path=f"{l_path}.position",
                        found=position,
                        expected="a whole number from 1",
                    )
                entries.append(
                    (
                        position,
                        _text(entry, "quality", l_path, file, True),
                        _text(entry, "description", l_path, file, True),
                        l_path,
                    )
                )
            for position, quality, text, l_path in sorted(entries):
                if not mine.get("levels"):
                    while len(levels) < position:
                        levels.append(Level(id=f"level_{len(levels) + 1}", title=""))
                    if not levels[position - 1].title:
                        levels[position - 1] = Level(id=_slug(quality), title=quality)
                if position > len(levels):
                    raise InputError(
                        file=file,
                        path=f"{l_path}.position",
                        found=position,
                        expected=f"a position from 1 to {len(levels)}",
                    )
                level = levels[position - 1]
                note = notes.get(f"{code} {level.id}", "") if isinstance(notes, Mapping) else ""
                descriptors.append(
                    Descriptor(
                        item=code,
                        level=level.id,
                        text=text,
                        note=note if isinstance(note, str) else "",
                    )
                )
        given_id, given_noun = mine.get("id"), mine.get("noun")
        rubric_id = given_id if isinstance(given_id, str) else _slug(title)
        try:
            found.append(
                Rubric(
                    id=rubric_id,
                    title=title,
                    levels=tuple(levels),
                    framework=framework.id,
                    descriptors=tuple(descriptors),
                    source=_source_from(mine, file, f"{path}.extensions.mentorcore.source"),
                    default=mine.get("default") is True,
                    noun=given_noun if isinstance(given_noun, str) else "level",
                )
            )
        except InputError as exc:
            raise exc.located(file=file, prefix=path) from None
    return tuple(found)


def _text(data: Mapping[str, Any], key: str, path: str, file: str | None, required: bool) -> str:
    value = data.get(key)
    if value is None:
        if required:
            raise InputError(f"missing required field {key!r}", file=file, path=f"{path}.{key}")
        return ""
    if not isinstance(value, str):
        raise InputError(file=file, path=f"{path}.{key}", found=value, expected="text")
    if required and not value.strip():
        raise InputError(file=file, path=f"{path}.{key}", found=value, expected="non-empty text")
    return value


def _table(value: Any, path: str, file: str | None) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise InputError(file=file, path=path, found=_kind(value), expected="an object")
    return value


def _list(value: Any, path: str, file: str | None) -> Sequence[Any]:
    if value is None:
        return ()
    if not isinstance(value, list | tuple):
        raise InputError(file=file, path=path, found=_kind(value), expected="a list")
    return value


def _kind(value: Any) -> str:
    return f"{type(value).__name__} {value!r}"[:80]


def _extension(data: Mapping[str, Any]) -> Mapping[str, Any]:
    extensions = data.get("extensions")
    if isinstance(extensions, Mapping):
        mine = extensions.get(_EXTENSION)
        if isinstance(mine, Mapping):
            return mine
    return {}


def _node_id(link: Any, path: str, file: str | None) -> str:
    table = _table(link, path, file)
    identifier = table.get("identifier")
    if not isinstance(identifier, str) or not identifier:
        raise InputError(
            file=file, path=f"{path}.identifier", found=identifier, expected="an identifier"
        )
    return identifier


def _slug(title: str) -> str:
    slug = re.sub(r"[^a-z0-9]+", "_", title.lower()).strip("_")
    return slug or "case_framework"


def _source_from(
    extension: Mapping[str, Any],
    file: str | None,
    path: str = "CFDocument.extensions.mentorcore.source",
) -> Source | None:
    data = extension.get("source")
    if data is None:
        return None
    from mentorcore.io.converter import structure

    return structure(data, Source, file=file, path=path)


#: Item fields and the CASE fields they are read from, for error paths.
_CASE_FIELDS = {
    "code": "humanCodingScheme",
    "title": "abbreviatedStatement",
    "text": "fullStatement",
    "kind": "CFItemType",
}


def framework_from_case(data: Any, file: str | None = None) -> Framework:
    """Read a CASE ``CFPackage`` (plain data, as parsed from JSON) into a framework.

    The tree is rebuilt from the ``isChildOf`` associations, ordered by
    ``sequenceNumber`` (then by the order of ``CFItems``); other association
    types are ignored. Any fault is an :class:`~mentorcore.errors.InputError`
    naming ``file`` and the path (``CFItems[3].humanCodingScheme``).
    """
    if not isinstance(data, Mapping):
        raise InputError(file=file, found=_kind(data), expected="a CASE CFPackage object")
    package: Mapping[str, Any] = data
    if "CFPackage" in package and "CFDocument" not in package:
        package = _table(package["CFPackage"], "CFPackage", file)
    if "CFDocument" not in package:
        raise InputError("missing required field 'CFDocument'", file=file, path="CFDocument")
    document = _table(package["CFDocument"], "CFDocument", file)
    doc_id = _text(document, "identifier", "CFDocument", file, True)
    title = _text(document, "title", "CFDocument", file, True)
    extension = _extension(document)
    given_title = extension.get("title")
    framework_id = extension.get("id")
    if framework_id is not None and (not isinstance(framework_id, str) or not framework_id):
        raise InputError(
            file=file,
            path="CFDocument.extensions.mentorcore.id",
            found=framework_id,
            expected="a framework id",
        )
    source = _source_from(extension, file)
    if source is None and "id" not in extension:
        # Another tool's package: its creator, URL and notes are the best source there is.
        url = _text(document, "officialSourceURL", "CFDocument", file, False)
        creator = _text(document, "creator", "CFDocument", file, False)
        notes = _text(document, "notes", "CFDocument", file, False)
        if url or notes or (creator and creator != "mentorcore"):
            source = Source(title=creator, url=url or None, note=notes or None)

    records: dict[str, tuple[int, Mapping[str, Any], str]] = {}
    codes: set[str] = set()
    for index, raw in enumerate(_list(package.get("CFItems"), "CFItems", file)):
        path = f"CFItems[{index}]"
        record = _table(raw, path, file)
        identifier = _text(record, "identifier", path, file, True)
        if identifier in records:
            raise InputError(
                file=file,
                path=f"{path}.identifier",
                found=Described(f"{identifier!r} again"),
                expected="a unique identifier",
            )
        statement = _text(record, "fullStatement", path, file, True)
        code = _text(record, "humanCodingScheme", path, file, False) or identifier
        if code in codes:
            raise InputError(
                file=file,
                path=f"{path}.humanCodingScheme",
                found=Described(f"{code!r} again"),
                expected="unique item codes",
            )
        codes.add(code)
        _text(record, "abbreviatedStatement", path, file, False)
        _text(record, "CFItemType", path, file, False)
        records[identifier] = (index, record, statement)

    children: dict[str, list[tuple[int, int, str]]] = {}
    parent_of: dict[str, str] = {}
    for index, raw in enumerate(_list(package.get("CFAssociations"), "CFAssociations", file)):
        path = f"CFAssociations[{index}]"
        association = _table(raw, path, file)
        if association.get("associationType") != "isChildOf":
            continue
        child = _node_id(association.get("originNodeURI"), f"{path}.originNodeURI", file)
        parent = _node_id(association.get("destinationNodeURI"), f"{path}.destinationNodeURI", file)
        if child not in records:
            raise InputError(
                file=file,
                path=f"{path}.originNodeURI.identifier",
                found=child,
                expected="the identifier of an item in CFItems",
            )
        if parent != doc_id and parent not in records:
            raise InputError(
                file=file,
                path=f"{path}.destinationNodeURI.identifier",
                found=parent,
                expected="the identifier of the CFDocument or of an item in CFItems",
            )
        if child in parent_of:
            raise InputError(
                file=file,
                path=path,
                found=Described(f"item {child!r} with a second parent"),
                expected="one isChildOf association per item",
            )
        sequence = association.get("sequenceNumber", 0)
        if isinstance(sequence, bool) or not isinstance(sequence, int):
            raise InputError(
                file=file, path=f"{path}.sequenceNumber", found=sequence, expected="a whole number"
            )
        parent_of[child] = parent
        children.setdefault(parent, []).append((sequence, records[child][0], child))

    built: set[str] = set()

    def build(identifier: str, trail: tuple[str, ...]) -> Item:
        index, record, statement = records[identifier]
        built.add(identifier)
        if identifier in trail:
            raise InputError(
                file=file,
                path=f"CFItems[{index}]",
                found=Described("an item that is its own ancestor"),
                expected="isChildOf associations forming a tree",
            )
        mine = _extension(record)
        text = mine.get("text", statement)
        kids = tuple(
            build(child, (*trail, identifier))
            for _, _, child in sorted(children.get(identifier, []))
        )
        try:
            return Item(
                code=record.get("humanCodingScheme") or identifier,
                title=record.get("abbreviatedStatement") or "",
                text=text if isinstance(text, str) else statement,
                kind=record.get("CFItemType") or "",
                children=kids,
            )
        except InputError as exc:  # a field the item refuses (a blank code): name it as CASE does
            field = _CASE_FIELDS.get(exc.path or "", exc.path)
            raise InputError(
                exc.problem,
                file=file,
                path=f"CFItems[{index}].{field}" if field else f"CFItems[{index}]",
                found=exc.found,
                expected=exc.expected,
            ) from None

    # Items with no parent in the package hang from the document, in file order.
    roots = sorted(children.get(doc_id, []))
    roots += [
        (0, index, ident) for ident, (index, _, _) in records.items() if ident not in parent_of
    ]
    top = tuple(build(ident, ()) for _, _, ident in sorted(roots, key=lambda t: (t[0], t[1])))
    lost = sorted(index for ident, (index, _, _) in records.items() if ident not in built)
    if lost:
        raise InputError(
            file=file,
            path=f"CFItems[{lost[0]}]",
            found=Described("items whose isChildOf associations form a cycle"),
            expected="isChildOf associations forming a tree under the CFDocument",
        )
    last_changed = None
    if extension.get("last_changed") is not None:
        from mentorcore.io.converter import structure

        last_changed = structure(
            extension["last_changed"],
            dt.date,
            file=file,
            path="CFDocument.extensions.mentorcore.last_changed",
        )
    try:
        return Framework(
            id=framework_id if isinstance(framework_id, str) else _slug(title),
            title=given_title if isinstance(given_title, str) else title,
            description=_text(document, "description", "CFDocument", file, False),
            version=_text(document, "version", "CFDocument", file, False),
            source=source,
            items=top,
            last_changed=last_changed,
        )
    except InputError as exc:
        raise exc.located(file=file) from None


def program_frameworks(program: Program, registry: Registry) -> list[Framework]:
    """The frameworks a program's CASE export holds: its own in order, then the shared it uses."""
    frameworks = list(program.frameworks)
    own = {framework.id for framework in frameworks}
    for used in program.uses:
        if used in registry.frameworks and used not in own:
            frameworks.append(registry.frameworks[used])
    return frameworks


def _program_rubrics(program: Program, registry: Registry, framework: Framework) -> list[Rubric]:
    rubrics = list(program.rubrics)
    rubrics += [registry.rubrics[u] for u in program.uses if u in registry.rubrics]
    return [r for r in rubrics if r.framework == framework.id and r.descriptors]


def _program_package(
    program: Program, registry: Registry, framework: Framework, base_uri: str | None
) -> dict[str, Any]:
    day = framework.last_changed or program.last_changed
    if day is None:
        raise MentorcoreError(
            f"program {program.id!r} gives no last_changed date, so its CASE export has no "
            "lastChangeDateTime; add last_changed = YYYY-MM-DD (when its facts were last "
            "changed) to the program's data"
        )
    own = any(f.id == framework.id for f in program.frameworks)
    shared_creator = framework.source.title if framework.source and framework.source.title else ""
    return framework_to_case(
        framework,
        base_uri=base_uri,
        last_change=day,
        rubrics=_program_rubrics(program, registry, framework),
        creator=program.organization if own else shared_creator or program.organization,
        publisher=None if own else program.organization,
    )


def program_package(
    program: Program, registry: Registry, framework_id: str, *, base_uri: str | None = None
) -> dict[str, Any]:
    """One framework of a program as a bare CASE 1.1 ``CFPackage``.

    The shape a CASE server's ``CFPackages/{id}`` endpoint serves and
    imports: ``CFDocument``, ``CFItems``, ``CFAssociations`` and, where the
    program has a rubric describing the framework's items, ``CFRubrics``.
    Inside a package the document carries no ``CFPackageURI`` and the items
    no ``CFDocumentURI`` (CASE 1.1's package types have no such fields);
    ``caseVersion`` is ``"1.1"``. ``lastChangeDateTime`` is the framework's
    ``last_changed``, else the program's; a program with neither is a
    :class:`~mentorcore.errors.MentorcoreError`. ``creator`` is the
    program's organization for its own frameworks; a shared framework keeps
    its source's title as ``creator`` and names the organization as
    ``publisher``. :func:`framework_from_case` reads it back to an equal
    framework, :func:`rubrics_from_case` to equal rubrics.

    ``framework_id`` is one of :func:`program_frameworks`; another is an
    :class:`~mentorcore.errors.UnknownIdError` listing them.
    """
    frameworks = program_frameworks(program, registry)
    for framework in frameworks:
        if framework.id == framework_id:
            break
    else:
        raise UnknownIdError(
            f"framework of {program.id!r}", framework_id, [f.id for f in frameworks]
        )
    package = _program_package(program, registry, framework, base_uri)
    package["CFDocument"].pop("CFPackageURI", None)
    package["CFDocument"]["caseVersion"] = CASE_VERSION
    for item in package["CFItems"]:
        item.pop("CFDocumentURI", None)
    return package


def program_to_case(
    program: Program, registry: Registry, *, base_uri: str | None = None
) -> dict[str, Any]:
    """Every framework of a program as CASE: one ``CFPackage`` per framework.

    The result is plain JSON-able data::

        {"program": "ulead", "title": "...", "CFPackages": [<CFPackage>, ...]}

    ``CFPackages`` holds the program's own frameworks in order, then the
    shared frameworks it ``uses`` (looked up in ``registry``). A rubric with
    descriptors for a framework's items (Practice 12's stages) goes into that
    framework's package as ``CFRubrics``; a bare rating scale (no framework,
    no descriptors) has no CASE form and is left out. Each package reads
    back with :func:`framework_from_case` and :func:`rubrics_from_case`. A
    program with no framework gives an empty list. Dates and ``creator`` are
    as in :func:`program_package`; ``base_uri`` prefixes every ``uri``.
    """
    return {
        "program": program.id,
        "title": program.title,
        "CFPackages": [
            _program_package(program, registry, framework, base_uri)
            for framework in program_frameworks(program, registry)
        ],
    }
