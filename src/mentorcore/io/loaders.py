"""File loaders: people, engagements and programs, from TOML, JSON or CSV.

TOML is read with :mod:`tomllib` (floats as :class:`~decimal.Decimal`),
JSON with :mod:`json` (the same shape as TOML). Every fault becomes an
:class:`~mentorcore.errors.InputError` naming the file and the path inside
it. Nothing read is executed.
"""

from __future__ import annotations

import csv
import json
import re
import tomllib
from collections.abc import Iterable, Iterator, Mapping
from decimal import Decimal
from pathlib import Path
from typing import Any, TextIO, TypeVar

from attrs import frozen

from mentorcore.engagements import Engagement
from mentorcore.errors import Described, InputError, UnknownIdError
from mentorcore.io.converter import structure
from mentorcore.io.sources import (
    STDIN,
    display_name,
    file_format,
    open_text,
    read_text,
    sniff_format,
)
from mentorcore.people import Leader, Mentor
from mentorcore.programs import Program

__all__ = [
    "PEOPLE_CSV_COLUMNS",
    "People",
    "load_engagement",
    "load_people",
    "load_program",
    "load_resource",
    "people_from_data",
    "person_from_row",
    "read_csv_people",
    "read_data",
]


class _DuplicateKey(ValueError):
    """A JSON object with the same key twice (raised from the object hook)."""


def _unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
    data: dict[str, Any] = {}
    for key, value in pairs:
        if key in data:
            raise _DuplicateKey(key)
        data[key] = value
    return data


def _json_int(text: str) -> int:
    if len(text.lstrip("-")) > _MAX_INT_DIGITS:
        raise InputError(
            found=Described(f"a whole number of {len(text.lstrip('-')):,} digits"),
            expected=f"at most {_MAX_INT_DIGITS:,} digits",
        )
    return int(text)


_DATA_FORMATS = ("toml", "json")

#: The longest integer read from a file (Python's own limit on converting text).
_MAX_INT_DIGITS = 4300


def _parse_json(text: str, name: str) -> Any:
    try:
        return json.loads(
            text,
            parse_float=Decimal,
            parse_int=_json_int,
            # NaN and Infinity read as TOML's nan and inf do, and are refused at their path.
            parse_constant=Decimal,
            object_pairs_hook=_unique_keys,
        )
    except json.JSONDecodeError as exc:
        raise InputError(
            f"not valid JSON: {exc.msg} at line {exc.lineno}, column {exc.colno}", file=name
        ) from None
    except _DuplicateKey as exc:
        raise InputError(
            file=name,
            found=Described(f"the key {exc.args[0]!r} twice in one object"),
            expected="each key once",
        ) from None
    except InputError as exc:
        raise exc.located(file=name) from None
    except RecursionError:
        raise InputError("not valid JSON: nested too deeply", file=name) from None


def _parse_toml(text: str, name: str) -> dict[str, Any]:
    try:
        return tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        # tomllib refuses a key or a table declared twice here, with its line.
        raise InputError(f"not valid TOML: {exc}", file=name) from None
    except RecursionError:
        raise InputError("not valid TOML: nested too deeply", file=name) from None
    except ValueError:  # an integer longer than Python converts (4300 digits)
        raise InputError(
            found=Described("a whole number too long to read"),
            expected=f"at most {_MAX_INT_DIGITS:,} digits",
            file=name,
        ) from None


def read_data(
    path: str | Path, text: str | None = None, format: str | None = None
) -> dict[str, Any]:
    """Read a TOML or JSON file (by its suffix, or ``format``) into plain data.

    ``path`` may be ``-`` for standard input (format from ``format`` or the
    content). Only a regular file is read, within the size limit of
    :mod:`mentorcore.io.sources`. ``text`` gives the content directly
    (``path`` then only names it). A key given twice (JSON or TOML), NaN,
    infinity or an integer too long to convert is an input error.
    """
    name = display_name(path)
    if text is None:
        fmt = file_format(path, format, _DATA_FORMATS)
        text = read_text(path)
    else:
        text = text.removeprefix("\ufeff")
        given = sniff_format(text) if format is None and str(path) == STDIN else format
        fmt = file_format(path, given, _DATA_FORMATS)
    if fmt == "json":
        data = _parse_json(text, name)
        if not isinstance(data, dict):
            raise InputError(
                found=type(data).__name__, expected="a JSON object at the top", file=name
            )
        return data
    if "\x00" in text:
        # TOML refuses it too, but as an invalid character; say which.
        line = text.count("\n", 0, text.index("\x00")) + 1
        raise InputError(
            found="a NUL byte", expected="text without NUL bytes", file=f"{name}:line {line}"
        )
    return _parse_toml(text, name)


@frozen
class People:
    """The leaders and mentors of a people file, in file order."""

    leaders: tuple[Leader, ...] = ()
    mentors: tuple[Mentor, ...] = ()

    def __iter__(self) -> Iterator[Leader | Mentor]:
        yield from self.leaders
        yield from self.mentors

    def person(self, person_id: str) -> Leader | Mentor:
        """The leader or mentor with ``person_id``."""
        for person in self:
            if person.id == person_id:
                return person
        raise UnknownIdError("person", person_id, [p.id for p in self])


def people_from_data(data: Mapping[str, Any], file: str | None = None) -> People:
    """Structure the content of a people file: arrays ``leaders`` and ``mentors``."""
    extra = sorted(set(data) - {"leaders", "mentors"})
    if extra:
        raise InputError(
            file=file,
            path=extra[0],
            found=Described(f"unexpected key {extra[0]!r}"),
            expected="leaders or mentors",
        )
    leaders = structure(data.get("leaders", []), tuple[Leader, ...], file=file, path="leaders")
    mentors = structure(data.get("mentors", []), tuple[Mentor, ...], file=file, path="mentors")
    seen: dict[str, str] = {}
    for group, people in (("leaders", leaders), ("mentors", mentors)):
        for index, person in enumerate(people):
            where = f"{group}[{index}].id"
            if person.id in seen:
                raise InputError(
                    file=file,
                    path=where,
                    found=Described(f"{person.id!r} again (first at {seen[person.id]})"),
                    expected="a unique id",
                )
            seen[person.id] = where
    return People(leaders, mentors)


#: The columns of a people CSV file. ``kind`` is ``leader`` (default) or
#: ``mentor``; list columns (``memberships``, ``goals`` …) separate values
#: with ``;``; ``school_*`` columns fill the school; ``latitude`` and
#: ``longitude`` the location. Empty cells are absent values.
PEOPLE_CSV_COLUMNS: dict[str, str] = {
    "kind": "leader or mentor (default leader)",
    "id": "the person's id",
    "name": "the person's name",
    "role": "principal, assistant_principal, … (see Role)",
    "role_started": "date the role started, YYYY-MM-DD",
    "first_time_in_role": "true or false",
    "memberships": "organization ids, separated by ;",
    "school_name": "school name",
    "school_state": "two-letter state code",
    "school_sector": "public, charter or private",
    "school_level": "elementary, middle, high …",
    "school_context": "urban, suburban, rural …",
    "school_district": "district name",
    "school_id": "school id",
    "region": "region name",
    "latitude": "degrees",
    "longitude": "degrees",
    "goals": "professional goal areas, separated by ;",
    "interpersonal_style": "a style word",
    "learning_needs": "separated by ;",
    "gender": "sensitive, optional",
    "race": "sensitive, optional",
    "prefer_same": "gender;race (leaders)",
    "supervisor": "the supervisor's id (leaders)",
    "capacity": "whole number (mentors)",
    "credentials": "separated by ; (mentors)",
    "years_as_leader": "whole number (mentors)",
    "years_as_principal": "whole number (mentors)",
    "expertise": "separated by ; (mentors)",
    "approaches": "separated by ; (mentors)",
    "attestations": "separated by ; (mentors)",
}

_LIST_COLUMNS = {
    "memberships",
    "goals",
    "learning_needs",
    "prefer_same",
    "credentials",
    "expertise",
    "approaches",
    "attestations",
}
_INT_COLUMNS = {"capacity", "years_as_leader", "years_as_principal"}
_BOOL = {"true": True, "false": False, "yes": True, "no": False, "1": True, "0": False}


def person_from_row(row: Mapping[str, str | None], where: str) -> Leader | Mentor:
    """One person from a row of people columns (:data:`PEOPLE_CSV_COLUMNS`) given as text.

    The CSV reader and :mod:`mentorcore.tables` both read rows through it,
    so a bad cell gives the same error either way; ``where`` names the file
    and the row (``people.csv:line 418``) and the error adds the column.
    """
    kind, record = _csv_row(row, where)
    cls: type[Leader | Mentor] = Mentor if kind == "mentor" else Leader
    try:
        return structure(record, cls)
    except InputError as exc:
        raise _csv_error(exc, where) from None


def _csv_row(row: Mapping[str, str | None], where: str) -> tuple[str, dict[str, Any]]:
    record: dict[str, Any] = {}
    school: dict[str, Any] = {}
    location: dict[str, Any] = {}
    kind = (row.get("kind") or "leader").strip()
    if kind not in ("leader", "mentor"):
        raise InputError(file=where, path="column kind", found=kind, expected="leader or mentor")
    for column, raw in row.items():
        if raw is None:
            continue
        if "\x00" in raw:
            raise InputError(
                file=where,
                path=f"column {column}",
                found="a NUL byte",
                expected="text without NUL bytes",
            )
        if column == "kind":
            continue
        value = raw.strip()
        if value == "":
            continue
        if column in _LIST_COLUMNS:
            record[column] = [v.strip() for v in value.split(";") if v.strip()]
        elif column in _INT_COLUMNS:
            try:
                record[column] = int(value)
            except ValueError:
                raise InputError(
                    file=where, path=f"column {column}", found=value, expected="a whole number"
                ) from None
        elif column == "first_time_in_role":
            if value.lower() not in _BOOL:
                raise InputError(
                    file=where, path=f"column {column}", found=value, expected="true or false"
                )
            record[column] = _BOOL[value.lower()]
        elif column in ("latitude", "longitude"):
            try:
                location[column] = Decimal(value)
            except ArithmeticError:
                raise InputError(
                    file=where, path=f"column {column}", found=value, expected="a number"
                ) from None
        elif column.startswith("school_"):
            school[column.removeprefix("school_")] = value
        else:
            record[column] = value
    if school:
        record["school"] = school
    if location:
        record["location"] = location
    return kind, record


_CSV_PATHS = {"school": "school_", "location": ""}


def _csv_error(error: InputError, where: str) -> InputError:
    path = error.path or ""
    head = path.split("[", 1)[0].split(".", 1)
    column = head[0]
    if column in _CSV_PATHS and len(head) > 1:
        column = _CSV_PATHS[column] + head[1].split(".")[0]
    column = column.split("[")[0]
    problem = error.problem
    if problem.startswith("missing required field") and column:
        # The field's name inside the table ('state') is not the column's.
        when = ""
        if column.startswith("school_"):
            when = " when a row has a school"
        elif column in ("latitude", "longitude"):
            when = " with the other coordinate"
        problem = f"no value, and one is required{when}"
    return InputError(
        problem,
        file=where,
        path=f"column {column}" if column else None,
        found=error.found,
        expected=error.expected,
    )


def read_csv_people(path: str | Path, text: str | None = None) -> People:
    """Read people from a CSV file with a header row (see :data:`PEOPLE_CSV_COLUMNS`).

    An error names the file, the line and the column:
    ``people.csv:line 418: column school_sector: found 'parochial',
    expected one of public, charter, private``.
    """
    return People(*_split(iter_csv_people(path, text)))


def _split(people: Iterable[Leader | Mentor]) -> tuple[tuple[Leader, ...], tuple[Mentor, ...]]:
    leaders: list[Leader] = []
    mentors: list[Mentor] = []
    for person in people:
        (mentors if isinstance(person, Mentor) else leaders).append(person)  # type: ignore[arg-type]
    return tuple(leaders), tuple(mentors)


_LINE_BREAK = re.compile(r"\r\n|\r|\n")


def _first_line(row: Mapping[Any, Any], last_line: int) -> int:
    """The line a CSV record starts on: ``line_num`` is where it ends, after any
    line breaks inside quoted cells."""
    cells: list[Any] = []
    for value in row.values():
        cells.extend(value if isinstance(value, list) else [value])
    return last_line - sum(len(_LINE_BREAK.findall(c)) for c in cells if isinstance(c, str))


def iter_csv_people(path: str | Path, text: str | None = None) -> Iterator[Leader | Mentor]:
    """Stream the people of a CSV file one row at a time (for large files).

    ``path`` may be ``-`` for standard input. Spreadsheet exports read as
    written: a UTF-8 byte-order mark, CRLF line ends and quoted cells with
    line breaks. A column named twice or a NUL byte in a cell is an input
    error. There is no size limit: the file is never held whole.
    """
    name = display_name(path)
    handle: TextIO
    if text is None:
        handle = open_text(path)
    else:
        import io

        handle = io.StringIO(text.removeprefix("\ufeff"), newline="")
    with handle:
        reader = csv.DictReader(handle)
        try:
            # Reading the header can fail too (bad quoting, bytes that are not UTF-8).
            header = reader.fieldnames or []
            unknown = [c for c in header if c not in PEOPLE_CSV_COLUMNS]
            if not header:
                raise InputError("empty file: expected a header row", file=name)
            for column in header:
                if "\x00" in column:
                    raise InputError(
                        file=f"{name}:line 1", found="a NUL byte", expected="a header row of names"
                    )
            twice = sorted({c for c in header if header.count(c) > 1})
            if twice:
                raise InputError(
                    file=f"{name}:line 1",
                    path=f"column {twice[0]}",
                    found=Described(f"the column {twice[0]!r} twice"),
                    expected="each column once",
                )
            if unknown:
                raise InputError(
                    file=f"{name}:line 1",
                    path=f"column {unknown[0]}",
                    found=Described(f"unknown column {unknown[0]!r}"),
                    expected="one of " + ", ".join(PEOPLE_CSV_COLUMNS),
                )
            seen: set[str] = set()
            previous = reader.line_num
            for row in reader:
                end = reader.line_num
                # A record on one line right after the last: it starts where it ends.
                line = end if end - previous == 1 else _first_line(row, end)
                previous = end
                if None in row:
                    raise InputError(
                        file=f"{name}:line {line}",
                        found=Described("more cells than columns"),
                        expected=f"{len(header)} cells",
                    )
                person = person_from_row(row, f"{name}:line {line}")
                if person.id in seen:
                    raise InputError(
                        file=f"{name}:line {line}",
                        path="column id",
                        found=Described(f"{person.id!r} again"),
                        expected="a unique id",
                    )
                seen.add(person.id)
                yield person
        except csv.Error as exc:
            raise InputError(
                f"not valid CSV: {exc}", file=f"{name}:line {reader.line_num}"
            ) from None
        except UnicodeDecodeError as exc:
            raise InputError(f"not UTF-8 text: {exc}", file=name) from None


def load_people(path: str | Path, format: str | None = None) -> People:
    """Load a people file (TOML, JSON, CSV or Parquet by suffix, or ``format``;
    ``-``: standard input)."""
    if format is None and Path(path).suffix.lower() == ".parquet":
        from mentorcore.tables import iter_table_people, read_people_batches

        return People(*_split(iter_table_people(read_people_batches(path), name=str(path))))
    if file_format(path, format) == "csv":
        return read_csv_people(path)
    return people_from_data(read_data(path, format=format), display_name(path))


def _resolve(
    value: Any, key: str, cls: type[Leader | Mentor], people: People | None, file: str
) -> Leader | Mentor:
    if isinstance(value, str):
        if people is None:
            raise InputError(
                file=file,
                path=key,
                found=value,
                expected="an inline table, or an id with a people file given (--people)",
            )
        try:
            person = people.person(value)
        except UnknownIdError as exc:
            raise InputError(
                file=file, path=key, found=value, expected=f"a person id of the people file ({exc})"
            ) from None
        if not isinstance(person, cls):
            raise InputError(
                file=file,
                path=key,
                found=Described(f"{value!r}, a {type(person).__name__.lower()}"),
                expected=f"a {cls.__name__.lower()}",
            )
        return person
    return structure(value, cls, file=file, path=key)


def engagement_from_data(
    data: Mapping[str, Any], file: str = "<engagement>", people: People | None = None
) -> Engagement:
    """Structure the content of an engagement file, resolving ``leader``/``mentor`` ids."""
    if not isinstance(data, Mapping):
        raise InputError(file=file, found=data, expected="a table")
    body = dict(data)
    for key in ("leader", "mentor"):
        if key not in body:
            raise InputError(f"missing required field {key!r}", file=file, path=key)
    body["leader"] = _resolve(body["leader"], "leader", Leader, people, file)
    body["mentor"] = _resolve(body["mentor"], "mentor", Mentor, people, file)
    leader, mentor = body.pop("leader"), body.pop("mentor")
    body.setdefault("events", [])
    placeholder = {"id": "x", "name": "x", "role": "other", "role_started": "2000-01-01"}
    engagement = structure(
        {**body, "leader": placeholder, "mentor": {**placeholder}}, Engagement, file=file
    )
    from attrs import evolve

    return evolve(engagement, leader=leader, mentor=mentor)


def load_engagement(
    path: str | Path, people: People | None = None, format: str | None = None
) -> Engagement:
    """Load an engagement file (TOML or JSON; ``-``: standard input); ids resolve
    against ``people``."""
    return engagement_from_data(read_data(path, format=format), display_name(path), people)


def load_program(path: str | Path, text: str | None = None) -> Program:
    """Load a program data file (TOML or JSON)."""
    return structure(read_data(path, text), Program, file=str(path))


T = TypeVar("T")


def load_resource(package: str, name: str, cls: type[T]) -> T:
    """Read a data file shipped inside an installed package and structure it as ``cls``.

    How a plug-in reads its own model, e.g.
    ``load_resource("mentorcore_ipa", "program.toml", Program)``; errors name
    the file as ``mentorcore_ipa/program.toml``.
    """
    from importlib.resources import files

    label = f"{package}/{name}"
    try:
        text = files(package).joinpath(name).read_text(encoding="utf-8")
    except (ModuleNotFoundError, OSError) as exc:
        raise InputError(f"cannot read the packaged file: {exc}", file=label) from None
    return structure(read_data(label, text), cls, file=label)
