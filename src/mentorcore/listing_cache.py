# ruff: noqa: PTH100, PTH103, PTH105, PTH107, PTH110, PTH111, PTH113, PTH116, PTH118, PTH119, PTH120, PTH123, PTH208
# (os.path, not pathlib: this module runs on the start-up path of every
# ``mentorcore programs``, and pathlib's imports alone cost more than the rest.)
"""A cache of ``mentorcore programs``' listing, so listing programs loads no plug-in.

Listing the installed programs needs only their ids, titles and plug-ins,
but finding them out means importing every plug-in and reading every data
file. The listing a full load produced is kept as JSON in the user's cache
directory (``$MENTORCORE_CACHE_DIR``, else ``$XDG_CACHE_HOME/mentorcore``,
else ``~/.cache/mentorcore``; ``MENTORCORE_CACHE_DIR=off`` turns the cache
off), keyed by:

* the interpreter, mentorcore's version and ``MENTORCORE_PLUGINS``;
* every distribution installed on ``sys.path`` (the ``.dist-info``
  folders, their versions in their names, and when they and their entry
  points were written: installing, upgrading or removing anything changes
  it), and the names of the modules and regular packages on it (one may
  shadow another);
* the files of the core and of every plug-in package: the contents of data
  files (``program.toml``), the size and time of Python files (as Python's
  own bytecode cache does).

Anything else changed and the listing is computed again. A load with a
failure is never cached (the fault may be passing). The cache holds plain
JSON data, read with :func:`json.loads`: nothing in it is ever executed.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable, Mapping

# Not ``from typing import ...``: typing's import is a large share of this start-up path.
TYPE_CHECKING = False
if TYPE_CHECKING:
    from typing import Any

__all__ = ["CACHE_ENV", "cache_dir", "read_listing", "write_listing"]

#: Environment variable naming the cache directory (``off``: no cache).
CACHE_ENV = "MENTORCORE_CACHE_DIR"

_FORMAT = 1
#: Entries kept in the cache folder (one per environment seen); older ones are removed.
_KEEP = 8
_METADATA = (".dist-info", ".egg-info", ".egg-link", ".pth")
#: Files whose size and modification time stand for their content.
_CODE = (".py", ".pyi", ".so", ".pyd")


def cache_dir() -> str | None:
    """The cache directory, or ``None`` when the cache is off."""
    chosen = os.environ.get(CACHE_ENV)
    if chosen is not None:
        return None if chosen.strip().lower() in ("", "off", "none", "0") else chosen
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "mentorcore")


def _hasher() -> Any:
    try:  # hashlib's own BLAKE2, without hashlib loading OpenSSL (a third of this path's time)
        from _blake2 import blake2b
    except ImportError:  # pragma: no cover - an interpreter built without it
        from hashlib import blake2b
    return blake2b(digest_size=16)


def _environment() -> str:
    """The digest of the interpreter, the selection and every distribution on ``sys.path``."""
    from mentorcore import __version__

    digest = _hasher()
    parts = [str(_FORMAT), sys.version, sys.executable, __version__]
    parts.append(os.environ.get("MENTORCORE_PLUGINS", "\0"))
    for entry in sys.path:
        parts.append(f"\0{entry}")
        try:
            names = sorted(os.listdir(entry or "."))
        except OSError:
            try:  # a zip archive on the path: its size and time stand for its content
                stat = os.stat(entry)
                parts.append(f"{stat.st_size}:{stat.st_mtime_ns}")
            except OSError:
                pass
            continue
        for name in names:
            if not name.endswith(_METADATA):
                # A module or regular package here may shadow another; other files
                # (a command's output in the current folder) change nothing.
                if name.endswith(_CODE) or (
                    "." not in name
                    and os.path.exists(os.path.join(entry or ".", name, "__init__.py"))
                ):
                    parts.append(name)
                continue
            path = os.path.join(entry or ".", name)
            try:
                stamp = os.stat(path).st_mtime_ns
                points = os.stat(os.path.join(path, "entry_points.txt")).st_mtime_ns
            except OSError:
                points = 0
            parts.append(f"{name}:{stamp}:{points}")
    digest.update("\n".join(parts).encode("utf-8", "surrogateescape"))
    return str(digest.hexdigest())


def _files(roots: Iterable[str]) -> str:
    """The digest of every file under ``roots``: data by content, code by size and time."""
    digest = _hasher()
    for root in roots:
        digest.update(f"\0{root}".encode("utf-8", "surrogateescape"))
        if os.path.isfile(root):  # a plug-in that is one module
            walked: Iterable[tuple[str, list[str], list[str]]] = [
                (os.path.dirname(root), [], [os.path.basename(root)])
            ]
        else:
            walked = os.walk(root)
        for folder, folders, files in walked:
            folders[:] = sorted(f for f in folders if f != "__pycache__")
            for name in sorted(files):
                path = os.path.join(folder, name)
                try:
                    if name.endswith(_CODE):
                        stat = os.stat(path)
                        digest.update(f"{path}:{stat.st_size}:{stat.st_mtime_ns}".encode())
                    else:
                        with open(path, "rb") as handle:
                            digest.update(path.encode("utf-8", "surrogateescape"))
                            digest.update(handle.read())
                except OSError:
                    digest.update(f"{path}:missing".encode())
    return str(digest.hexdigest())


def _path(directory: str, environment: str) -> str:
    return os.path.join(directory, f"programs-{environment}.json")


def read_listing() -> dict[str, Any] | None:
    """The cached listing (``mentorcore programs --json``'s data); ``None`` if stale or absent."""
    directory = cache_dir()
    if directory is None:
        return None
    try:
        with open(_path(directory, _environment()), encoding="utf-8") as handle:
            entry = json.load(handle)
    except (OSError, ValueError):
        return None
    if not isinstance(entry, dict) or entry.get("format") != _FORMAT:
        return None
    roots, listing = entry.get("roots"), entry.get("listing")
    if not isinstance(roots, list) or not all(isinstance(r, str) for r in roots):
        return None
    if not isinstance(listing, dict) or entry.get("files") != _files(roots):
        return None
    return listing


def _roots(plugins: Iterable[str]) -> list[str]:
    """The package folders of the core and of the installed plug-ins named ``plugins``."""
    import importlib.metadata
    import importlib.util

    import mentorcore

    roots = [os.path.dirname(os.path.abspath(mentorcore.__file__ or ""))]
    wanted = set(plugins)
    for entry_point in importlib.metadata.entry_points(group="mentorcore"):
        if entry_point.name not in wanted:
            continue
        top = entry_point.module.split(".")[0]
        spec = importlib.util.find_spec(top)
        if spec is None:
            continue
        for location in spec.submodule_search_locations or ():
            roots.append(os.path.abspath(location))
        if spec.origin and not spec.submodule_search_locations:
            roots.append(os.path.abspath(spec.origin))
    return sorted(set(roots))


def write_listing(listing: Mapping[str, Any], plugins: Iterable[str]) -> None:
    """Keep ``listing`` (plain JSON data) for the next ``mentorcore programs``.

    ``plugins`` are the installed plug-ins it came from (their package
    folders key the entry). A cache that cannot be written is skipped.
    """
    directory = cache_dir()
    if directory is None:
        return
    roots = _roots(plugins)
    entry = {
        "format": _FORMAT,
        "roots": roots,
        "files": _files(roots),
        "listing": listing,
    }
    path = _path(directory, _environment())
    try:
        os.makedirs(directory, exist_ok=True)
        temporary = f"{path}.{os.getpid()}.tmp"
        with open(temporary, "w", encoding="utf-8") as handle:
            json.dump(entry, handle, ensure_ascii=False)
        os.replace(temporary, path)
    except OSError:
        return
    _prune(directory)


def _prune(directory: str) -> None:
    """Remove all but the :data:`_KEEP` most recent entries (each install makes a new one)."""
    try:
        entries = [
            os.path.join(directory, name)
            for name in os.listdir(directory)
            if name.startswith("programs-") and name.endswith(".json")
        ]
        entries.sort(key=os.path.getmtime, reverse=True)
        for stale in entries[_KEEP:]:
            os.remove(stale)
    except OSError:
        return
