"""A plug-in that fails while it is imported (a dependency it needs is missing)."""

from __future__ import annotations

import mentorcore_dependency_that_is_not_installed  # type: ignore[import-not-found]  # noqa: F401
