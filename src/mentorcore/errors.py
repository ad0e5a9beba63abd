"""The exceptions mentorcore raises.

Every error the library raises on purpose is a :class:`MentorcoreError`, so a
caller can catch one type and show its message to a person. The subclasses
say what went wrong:

* :class:`InputError`: a file or a value does not have the expected shape;
  it names the file, the path inside it, what was found and what was expected.
* :class:`UnknownIdError`: an id (program, kind, fact, item, person) is not known.
* :class:`PluginError`: a plug-in could not be loaded or contributed bad data.
* :class:`MissingExtraError`: a feature needs an optional extra that is not installed.
* :class:`RuleError`: a rule could not be evaluated, for example a dated
  parameter has no value in force on the date asked
  (:class:`NoValueInForce`).
* :class:`PluginFactError`: a plug-in's fact raised or returned the wrong type
  while a rule was evaluated for a person; it is both a :class:`PluginError`
  (naming the plug-in) and a :class:`RuleError` (naming the fact and person).
"""

from __future__ import annotations

from collections.abc import Iterable

__all__ = [
    "SHOWN_CHARS",
    "SHOWN_IDS",
    "ConflictError",
    "Described",
    "InputError",
    "MentorcoreError",
    "MissingExtraError",
    "NoValueInForce",
    "PluginError",
    "PluginFactError",
    "RuleError",
    "UnknownIdError",
    "few",
    "missing_field",
    "shorten",
]


class Described(str):
    """Text describing what was found, shown as is rather than quoted as a value.

    >>> str(InputError(found=Described("two ids 'a'"), expected="unique ids"))
    "found two ids 'a', expected unique ids"
    """

    def __repr__(self) -> str:
        return str(self)


#: How many ids a message lists before it gives the count of the rest.
SHOWN_IDS = 10
#: How many characters of a value a message shows before it gives the length.
SHOWN_CHARS = 80


def few(ids: Iterable[str], shown: int = SHOWN_IDS) -> str:
    """The first ``shown`` ids, and how many more there are.

    >>> few([f"p{n}" for n in range(200_000)], 3)
    'p0, p1, p2 … and 199,997 more (200,000 in all)'
    """
    items = list(ids)
    head = ", ".join(shorten(i) for i in items[:shown])
    rest = len(items) - shown
    return f"{head} … and {rest:,} more ({len(items):,} in all)" if rest > 0 else head


def shorten(text: str, limit: int = SHOWN_CHARS) -> str:
    """``text`` cut to ``limit`` characters, saying how long it was.

    >>> shorten("9" * 5000, 10)
    '9999999999… (5,000 characters)'
    """
    if len(text) <= limit:
        return text
    return f"{text[:limit]}… ({len(text):,} characters)"


class MentorcoreError(Exception):
    """Base class of every error mentorcore raises on purpose."""


class InputError(MentorcoreError, ValueError):
    """Input data does not have the expected shape.

    The message reads ``FILE: PATH: found FOUND, expected EXPECTED`` (parts
    left out when unknown), for example::

        people.toml: leaders[3].school.state: found 'Illinois', expected a two-letter state code

    Args:
        problem: what is wrong, in words (used when ``found``/``expected`` do not say it).
        file: the file the input came from, if any.
        path: where inside the file, as ``leaders[3].school.state``.
        found: what was found, shown with ``repr`` unless it is already a string description.
        expected: what was expected.
    """

    def __init__(
        self,
        problem: str = "",
        *,
        file: str | None = None,
        path: str | None = None,
        found: object = None,
        expected: str | None = None,
    ) -> None:
        self.file = file
        self.path = path
        self.found = found
        self.expected = expected
        self.problem = problem
        super().__init__(self._render())

    def _render(self) -> str:
        where = ": ".join(part for part in (self.file, self.path) if part)
        what = self.problem
        if not what:
            pieces = []
            if self.found is not None:
                pieces.append(f"found {shorten(repr(self.found))}")
            if self.expected:
                pieces.append(f"expected {self.expected}")
            what = ", ".join(pieces) or "invalid input"
        return f"{where}: {what}" if where else what

    def located(self, *, file: str | None = None, prefix: str | None = None) -> InputError:
        """Return a copy of this error placed in ``file`` and under the path ``prefix``."""
        path = self.path
        if prefix:
            if not path:
                path = prefix
            elif path.startswith("["):
                path = f"{prefix}{path}"
            else:
                path = f"{prefix}.{path}"
        return InputError(
            self.problem,
            file=file or self.file,
            path=path,
            found=self.found,
            expected=self.expected,
        )


def missing_field(
    name: str, expected: str | None, *, file: str | None = None, path: str | None = None
) -> InputError:
    """The error for a required field that is absent.

    Its message is ``missing required field 'name'``; it also carries
    ``found`` "nothing" and ``expected`` what the field holds, as other input
    errors do (the HTTP service's problems give both as members).

    >>> error = missing_field("hours", "a whole number")
    >>> str(error), error.path, error.found, error.expected
    ("hours: missing required field 'hours'", 'hours', nothing, 'a whole number')
    """
    return InputError(
        f"missing required field {name!r}",
        file=file,
        path=path or name,
        found=Described("nothing"),
        expected=expected,
    )


class UnknownIdError(MentorcoreError, LookupError):
    """An id was looked up and is not known.

    The message names the kind of thing, the id and the ids that are known.
    """

    def __init__(self, what: str, ident: str, known: Iterable[str] = (), hint: str = "") -> None:
        self.what = what
        self.ident = ident
        self.known = tuple(sorted(known))
        listing = few(self.known) if self.known else "none"
        message = f"unknown {what} {shorten(repr(ident))}; known: {listing}"
        if hint:
            message = f"{message}. {hint}"
        super().__init__(message)


class PluginError(MentorcoreError):
    """A plug-in failed to load or contributed data that does not validate."""

    def __init__(self, plugin: str, reason: str) -> None:
        self.plugin = plugin
        self.reason = reason
        super().__init__(f"plug-in {plugin!r}: {reason}")


class ConflictError(MentorcoreError, LookupError):
    """An id that two or more plug-ins claim: none of them is used until one is chosen.

    The message names the claimants' distributions and how to choose
    (``MENTORCORE_PLUGINS``).
    """


class MissingExtraError(MentorcoreError, ImportError):
    """A feature needs an optional extra that is not installed; the message says how
    to install it."""

    def __init__(self, extra: str, feature: str, missing: Iterable[str]) -> None:
        self.extra = extra
        self.feature = feature
        self.missing = tuple(missing)
        super().__init__(
            f"{feature} needs the {extra!r} extra (not installed: {', '.join(self.missing)}); "
            f"install it with: pip install 'mentorcore[{extra}]'"
        )


class RuleError(MentorcoreError):
    """A rule could not be evaluated."""


class PluginFactError(PluginError, RuleError):
    """A plug-in's fact failed for a person while a rule was evaluated.

    It is a :class:`PluginError` (``plugin`` names the plug-in; the message
    names the fact, the person and the date, then gives the plug-in's
    error, which names the plug-in) and a :class:`RuleError` (the rule could not be
    evaluated), so code catching either catches it. ``fact`` and ``person``
    are the ids of the fact and of the person it failed for. In a bulk
    stream's ``error`` key it is reported as the kind ``RuleError``, as every
    rule that could not be evaluated is; the message names the plug-in.
    """

    def __init__(self, cause: PluginError, fact: str, person: str, where: str) -> None:
        self.plugin = cause.plugin
        self.reason = cause.reason
        self.fact = fact
        self.person = person
        # ``where`` (the fact, person and date), then the plug-in's own error
        MentorcoreError.__init__(self, f"{where}: {cause}")


class NoValueInForce(RuleError, LookupError):
    """A dated parameter has no value in force on the date asked.

    It never falls back to the nearest value: the message names the
    parameter, the date and the periods for which values are known.
    """

    def __init__(self, parameter: str, on: object, periods: Iterable[str]) -> None:
        self.parameter = parameter
        self.on = on
        self.periods = tuple(periods)
        known = "; ".join(self.periods) if self.periods else "none"
        super().__init__(
            f"parameter {parameter!r} has no value in force on {on}; known periods: {known}"
        )
