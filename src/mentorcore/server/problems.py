"""Errors as RFC 9457 problem details (``application/problem+json``).

Every error the service answers with is a :class:`Problem`: a status, a
short ``title``, a ``detail`` a person can act on and, for bad input, the
same ``path``, ``found`` and ``expected`` as the command line's message,
the path written as a JSON pointer (RFC 6901) into the request body. No
problem ever carries a traceback.
"""

from __future__ import annotations

import re
from typing import Any

from mentorcore.errors import InputError

__all__ = ["PROBLEM_JSON", "Problem", "json_pointer", "problem_from_input_error"]

#: The media type of every error response.
PROBLEM_JSON = "application/problem+json"

_STEP = re.compile(r"\[(\d+)\]|\.?([^.\[\]]+)")


def json_pointer(path: str | None) -> str:
    """A mentorcore path (``people[3].school.state``) as a JSON pointer (RFC 6901).

    >>> json_pointer("people[3].school.state")
    '/people/3/school/state'
    >>> json_pointer("weights.a/b~c")
    '/weights/a~1b~0c'
    >>> json_pointer(None)
    ''
    """
    if not path:
        return ""
    parts = []
    for index, key in _STEP.findall(path):
        token = index or key
        parts.append(token.replace("~", "~0").replace("/", "~1"))
    return "".join("/" + part for part in parts)


class Problem(Exception):
    """An error answer: ``status``, ``title``, ``detail`` and any further members.

    Raised inside a request's handling; the application turns it into the response.
    """

    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        extra: dict[str, Any] | None = None,
        headers: dict[str, str] | None = None,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.title = title
        self.detail = detail
        self.extra = extra or {}
        self.headers = headers or {}

    def to_data(self) -> dict[str, Any]:
        """The problem document (RFC 9457 members first, then ``extra``)."""
        return {
            "type": "about:blank",
            "title": self.title,
            "status": self.status,
            "detail": self.detail,
            **self.extra,
        }


def problem_from_input_error(error: InputError, *, prefix: str = "") -> Problem:
    """A 422 problem for bad input at ``prefix`` + the error's path inside the request body."""
    path = error.path or ""
    if prefix:
        path = (
            prefix
            if not path
            else (f"{prefix}{path}" if path.startswith("[") else f"{prefix}.{path}")
        )
    detail = str(
        InputError(error.problem, path=path or None, found=error.found, expected=error.expected)
    )
    extra: dict[str, Any] = {"path": json_pointer(path)}
    if error.found is not None:
        extra["found"] = repr(error.found)
    if error.expected:
        extra["expected"] = error.expected
    return Problem(422, "Invalid input", detail, extra)
