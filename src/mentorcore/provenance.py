"""Where a fact comes from, and which values are defaults rather than an organization's rule.

Every value a plug-in ships (a price, a list of free school years, a
requirement, a framework) carries a :class:`Source`: the seed file and line
it is quoted from, or a public document's title and address, so the docs can
show a reader where each number comes from. A value no source sets is a
:class:`Source` with ``default=True``; every decision, quote or finding that
rests on one carries a :class:`Default` naming it, and its text says so
(:data:`DEFAULT_MARK`).
"""

from __future__ import annotations

from collections.abc import Iterable

from attrs import frozen

__all__ = [
    "DEFAULT_MARK",
    "Default",
    "Source",
    "defaults_of",
    "marked",
    "said_once",
    "unique_defaults",
]

#: How human text marks a value that rests on a default ("… (default of this
#: plug-in, not the organization's rule: the note)").
DEFAULT_MARK = "default of this plug-in, not the organization's rule"


@frozen(kw_only=True)
class Source:
    """A citation: a document ``title``, optional ``url``, and a ``quote`` or ``note``.

    ``default=True`` marks a value that no source sets: a documented,
    configurable default chosen by mentorcore or a plug-in, not an
    organization's rule.
    """

    title: str = ""
    url: str | None = None
    quote: str | None = None
    note: str | None = None
    default: bool = False

    def __str__(self) -> str:
        if self.default:
            return f"configurable default ({self.note})" if self.note else "configurable default"
        parts = [self.title or "unnamed source"]
        if self.url:
            parts.append(f"<{self.url}>")
        if self.quote:
            parts.append(f'"{self.quote}"')
        return " ".join(parts)


@frozen(kw_only=True)
class Default:
    """A default of a plug-in that a result rests on: ``what`` it is and the plug-in's ``note``.

    ``what`` names the value in words ("outcome 'not_eligible' (Not eligible
    for IPA mentoring)", "requirement 'onsite_focus' …", "fact …").
    """

    what: str
    note: str

    def words(self) -> str:
        """The default as human text marks it: ``(default of this plug-in, …: note)``."""
        note = self.note.rstrip(". ")
        return f"({DEFAULT_MARK}: {note})" if note else f"({DEFAULT_MARK})"


def defaults_of(source: Source | None, what: str) -> tuple[Default, ...]:
    """``(Default(what, note),)`` when ``source`` is marked as a default, else ``()``."""
    if source is None or not source.default:
        return ()
    return (Default(what=what, note=source.note or ""),)


def unique_defaults(groups: Iterable[Iterable[Default]]) -> tuple[Default, ...]:
    """The defaults of ``groups`` in order, each once."""
    seen: dict[Default, None] = {}
    for group in groups:
        for default in group:
            seen.setdefault(default, None)
    return tuple(seen)


def said_once(text: str, defaults: Iterable[Default]) -> str:
    """``text`` with each default's note given at its first mark only.

    A later mark of the same default reads ``(default of this plug-in, as
    above)``, so an explanation that rests on one reading in four checks
    says the reading once.

    >>> d = Default(what="fact 'x'", note="our reading")
    >>> text = said_once(f"a {d.words()}; b {d.words()}.", [d])
    >>> text.count("our reading"), text.endswith("b (default of this plug-in, as above).")
    (1, True)
    """
    for default in unique_defaults([defaults]):
        words = default.words()
        first = text.find(words)
        if first < 0:
            continue
        start = first + len(words)
        text = text[:start] + text[start:].replace(words, "(default of this plug-in, as above)")
    return text


def marked(text: str, defaults: Iterable[Default]) -> str:
    """``text`` with the mark of each default after it (``text`` alone when there are none)."""
    marks = " ".join(d.words() for d in defaults)
    return f"{text} {marks}" if marks else text
