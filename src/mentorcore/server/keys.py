"""API keys: who may call the HTTP service, as which audience, for which programs.

A keys file is TOML, one ``[[keys]]`` table per caller::

    [[keys]]
    name = "district-hr"                     # optional: a label for the key's owner
    sha256 = "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
    audience = "program"                     # leader, mentor, sponsor or program
    programs = ["ipa"]                       # optional: only these programs

The file holds the SHA-256 hex digest of each key, never the key itself: a
caller sends ``Authorization: Bearer KEY`` and the service compares the
digest of what it received with every digest on file, in constant time.
"""

from __future__ import annotations

import hashlib
import hmac
import re
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

from attrs import frozen

from mentorcore.audience import Audience, audience_of
from mentorcore.errors import Described, InputError

__all__ = ["ApiKey", "KeyRing", "digest_of", "keys_from_data", "load_keys"]

_HEX_DIGEST = re.compile(r"[0-9a-f]{64}")
_FIELDS = {"name", "sha256", "audience", "programs"}


def digest_of(key: str) -> str:
    """The SHA-256 hex digest of ``key``, as a keys file records it.

    >>> digest_of("test")
    '9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08'
    """
    return hashlib.sha256(key.encode("utf-8")).hexdigest()


@frozen
class ApiKey:
    """One caller's key: its digest, its audience, and the programs it may use."""

    #: The SHA-256 hex digest of the key.
    sha256: str
    #: The audience every answer to this key is written for, at most.
    audience: Audience
    #: The program ids this key may use; ``None`` for every program.
    programs: frozenset[str] | None = None
    #: A label for the key's owner (never the key).
    name: str | None = None

    def allows_program(self, program_id: str) -> bool:
        """Whether this key may use ``program_id``."""
        return self.programs is None or program_id in self.programs

    @property
    def label(self) -> str:
        """The key's name, or the first characters of its digest."""
        return self.name or f"key {self.sha256[:8]}"


@frozen
class KeyRing:
    """Every key of a keys file; :meth:`find` looks one up in constant time."""

    keys: tuple[ApiKey, ...]

    def find(self, presented: str) -> ApiKey | None:
        """The key whose digest is that of ``presented``, or ``None``.

        Every digest on file is compared (with :func:`hmac.compare_digest`),
        so the time taken says nothing about which keys exist.
        """
        wanted = digest_of(presented).encode("ascii")
        found = None
        for key in self.keys:
            if hmac.compare_digest(wanted, key.sha256.encode("ascii")):
                found = key
        return found


def _text_list(value: Any, file: str, path: str) -> frozenset[str]:
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise InputError(file=file, path=path, found=value, expected="a list of program ids")
    return frozenset(value)


def keys_from_data(
    data: Mapping[str, Any], file: str = "<keys>", known_programs: Iterable[str] | None = None
) -> KeyRing:
    """Read the content of a keys file; ``known_programs`` checks each ``programs`` entry."""
    extra = sorted(set(data) - {"keys"})
    if extra:
        raise InputError(
            file=file,
            path=extra[0],
            found=Described(f"unexpected key {extra[0]!r}"),
            expected="keys",
        )
    entries = data.get("keys")
    if not isinstance(entries, list) or not entries:
        raise InputError(
            file=file, path="keys", found=entries, expected="one or more [[keys]] tables"
        )
    known = set(known_programs) if known_programs is not None else None
    keys: list[ApiKey] = []
    seen: dict[str, int] = {}
    for index, entry in enumerate(entries):
        where = f"keys[{index}]"
        if not isinstance(entry, Mapping):
            raise InputError(file=file, path=where, found=entry, expected="a table")
        unknown = sorted(set(entry) - _FIELDS)
        if unknown:
            raise InputError(
                file=file,
                path=f"{where}.{unknown[0]}",
                found=Described(f"unexpected key {unknown[0]!r}"),
                expected="one of " + ", ".join(sorted(_FIELDS)),
            )
        digest = entry.get("sha256")
        if not isinstance(digest, str) or not _HEX_DIGEST.fullmatch(digest):
            raise InputError(
                file=file,
                path=f"{where}.sha256",
                found=Described("no sha256") if digest is None else digest,
                expected="the key's SHA-256 digest as 64 lowercase hex digits",
            )
        if digest in seen:
            raise InputError(
                file=file,
                path=f"{where}.sha256",
                found=Described(f"the digest of keys[{seen[digest]}] again"),
                expected="one entry per key",
            )
        seen[digest] = index
        if "audience" not in entry:
            raise InputError("missing required field 'audience'", file=file, path=where)
        try:
            audience = audience_of(entry["audience"], f"{where}.audience")
        except InputError as exc:
            raise exc.located(file=file) from None
        programs = None
        if "programs" in entry:
            programs = _text_list(entry["programs"], file, f"{where}.programs")
            for program in sorted(programs - known if known is not None else set()):
                raise InputError(
                    file=file,
                    path=f"{where}.programs",
                    found=program,
                    expected="the id of an installed program (see mentorcore programs)",
                )
        name = entry.get("name")
        if name is not None and not isinstance(name, str):
            raise InputError(file=file, path=f"{where}.name", found=name, expected="text")
        keys.append(ApiKey(sha256=digest, audience=audience, programs=programs, name=name))
    return KeyRing(tuple(keys))


def load_keys(path: str | Path, known_programs: Iterable[str] | None = None) -> KeyRing:
    """Read a keys file (TOML)."""
    from mentorcore.io.loaders import read_data

    return keys_from_data(read_data(path), str(path), known_programs)
