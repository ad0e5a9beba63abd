"""A plug-in that registers data of the wrong shape: a table, not a ``Program``."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from mentorcore.hookspecs import hookimpl


@hookimpl
def register_programs(register: Callable[[Any], None]) -> None:
    """Register a plain table."""
    register({"id": "wrong_shape", "title": "Wrong shape"})
