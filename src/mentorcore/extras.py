"""Optional extras: which feature needs which installed packages, and how to get them.

A command that needs an extra calls :func:`require` before it imports the
extra's packages, so that a missing one is an instruction
(``pip install 'mentorcore[matching]'``) and exit status 2, never a
``ModuleNotFoundError``.
"""

from __future__ import annotations

import importlib.util

from mentorcore.errors import MissingExtraError

__all__ = ["EXTRAS", "require"]

#: Each optional extra of the ``mentorcore`` distribution and the modules it provides.
EXTRAS: dict[str, tuple[str, ...]] = {
    "matching": ("numpy", "scipy"),
    "completion": ("argcomplete",),
    "tables": ("pyarrow", "pandas"),
    "calendar": ("icalendar",),
    "credentials": ("joserfc",),
}


def _missing(module: str) -> bool:
    try:
        return importlib.util.find_spec(module) is None
    except (ImportError, ValueError):
        return True


def require(extra: str, feature: str) -> None:
    """Raise :class:`~mentorcore.errors.MissingExtraError` unless ``extra`` is installed.

    ``feature`` says what needs it, e.g. ``"mentorcore match"``.
    """
    missing = [module for module in EXTRAS[extra] if _missing(module)]
    if missing:
        raise MissingExtraError(extra, feature, missing)
