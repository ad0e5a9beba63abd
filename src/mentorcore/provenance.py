"""Where a fact comes from.

Every value a plug-in ships (a price, a list of free school years, a
requirement, a framework) carries a :class:`Source`: the seed file and line
it is quoted from, or a public document's title and address, so the docs can
show a reader where each number comes from.
"""

from __future__ import annotations

from attrs import frozen

__all__ = ["Source"]


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
