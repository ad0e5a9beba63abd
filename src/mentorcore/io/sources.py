"""Opening input files safely: regular files and standard input only, bounded in size.

Every loader reads through this module, so every command refuses the same
things in the same words:

* ``-`` is standard input, for every file argument; its format is the one
  given (``--format``) or recognised from the content (:func:`sniff_format`).
* Only regular files are read. A FIFO, a device (``/dev/zero``), a directory
  or a socket is refused at once, from :func:`os.stat`, before it is opened;
  the file is then opened without blocking and checked again, so that a file
  swapped for a FIFO in between cannot hang the reader.
* A TOML or JSON file larger than the limit is refused before it is read
  whole. The limit is :data:`DEFAULT_MAX_FILE_BYTES` unless the environment
  variable :data:`MAX_FILE_BYTES_ENV` (``MENTORCORE_MAX_FILE_BYTES``) or the
  command line's ``--max-file-size`` says otherwise. CSV is read a row at a
  time and Parquet a batch at a time (through :func:`open_binary`): neither
  has a limit.
* Text is UTF-8; a byte-order mark (as spreadsheets write "CSV UTF-8") is
  accepted and dropped; a NUL byte is an input error naming its line.
"""

from __future__ import annotations

import contextlib
import io
import os
import re
import stat
import sys
from collections.abc import Iterator
from contextvars import ContextVar
from pathlib import Path
from typing import BinaryIO, TextIO

from mentorcore.errors import Described, InputError

__all__ = [
    "DEFAULT_MAX_FILE_BYTES",
    "FORMATS",
    "MAX_FILE_BYTES_ENV",
    "STDIN",
    "display_name",
    "file_format",
    "max_file_bytes",
    "max_file_bytes_limit",
    "open_binary",
    "open_text",
    "parse_size",
    "read_text",
    "sniff_format",
]

#: The file argument meaning standard input.
STDIN = "-"
#: How standard input is named in error messages.
STDIN_NAME = "<stdin>"
#: The input formats, by the name ``--format`` takes.
FORMATS = ("toml", "json", "csv")
#: The size limit of a TOML or JSON file read whole: 64 MiB.
DEFAULT_MAX_FILE_BYTES = 64 * 1024 * 1024
#: The environment variable that sets the limit (bytes, or with K, M, G).
MAX_FILE_BYTES_ENV = "MENTORCORE_MAX_FILE_BYTES"

_override: ContextVar[int | None] = ContextVar("mentorcore_max_file_bytes", default=None)
_SIZE = re.compile(r"\s*(\d{1,15})\s*([kmg]i?b?|b)?\s*", re.IGNORECASE)
_UNITS = {"": 1, "b": 1, "k": 1024, "m": 1024**2, "g": 1024**3}


def parse_size(text: str, where: str = MAX_FILE_BYTES_ENV) -> int:
    """``"500000"``, ``"64M"``, ``"1G"`` (powers of 1024) as a number of bytes.

    >>> parse_size("2K")
    2048
    """
    match = _SIZE.fullmatch(text)
    if not match:
        raise InputError(
            path=where, found=text, expected="a size in bytes, or with K, M or G, such as 64M"
        )
    unit = (match.group(2) or "").lower()[:1]
    return int(match.group(1)) * _UNITS[unit]


def max_file_bytes() -> int:
    """The size limit in force: ``--max-file-size``, else the environment, else the default."""
    chosen = _override.get()
    if chosen is not None:
        return chosen
    text = os.environ.get(MAX_FILE_BYTES_ENV)
    if text:
        return parse_size(text)
    return DEFAULT_MAX_FILE_BYTES


@contextlib.contextmanager
def max_file_bytes_limit(limit: int | None) -> Iterator[None]:
    """Within the block, the size limit is ``limit`` (``None`` leaves it as it is)."""
    token = _override.set(limit if limit is not None else _override.get())
    try:
        yield
    finally:
        _override.reset(token)


def display_name(path: str | Path) -> str:
    """How a file argument is named in messages: ``<stdin>`` for ``-``."""
    return STDIN_NAME if str(path) == STDIN else str(path)


def _kind(mode: int) -> str:
    if stat.S_ISDIR(mode):
        return "a directory"
    if stat.S_ISFIFO(mode):
        return "a FIFO (named pipe)"
    if stat.S_ISSOCK(mode):
        return "a socket"
    if stat.S_ISCHR(mode) or stat.S_ISBLK(mode):
        return "a device"
    return "not a regular file"


def _refuse(mode: int, name: str) -> InputError:
    return InputError(
        found=Described(_kind(mode)), expected="a regular file (or - for standard input)", file=name
    )


def _open_regular(path: str | Path) -> tuple[BinaryIO, int]:
    """Open a regular file for reading in binary; returns it and its size."""
    name = str(path)
    try:
        before = Path(path).stat()  # follows symlinks: a .csv link to /dev/zero is a device
    except FileNotFoundError:
        raise InputError("no such file", file=name) from None
    except (OSError, ValueError) as exc:
        raise InputError(f"cannot read the file: {exc}", file=name) from None
    if not stat.S_ISREG(before.st_mode):
        raise _refuse(before.st_mode, name)
    flags = os.O_RDONLY | getattr(os, "O_NONBLOCK", 0) | getattr(os, "O_BINARY", 0)
    try:
        fd = os.open(path, flags)
    except OSError as exc:
        raise InputError(f"cannot read the file: {exc}", file=name) from None
    try:
        after = os.fstat(fd)
        if not stat.S_ISREG(after.st_mode):
            raise _refuse(after.st_mode, name)
        if hasattr(os, "set_blocking"):
            os.set_blocking(fd, True)
        return os.fdopen(fd, "rb"), after.st_size
    except BaseException:
        os.close(fd)
        raise


def _stdin_bytes() -> BinaryIO:
    stream = getattr(sys.stdin, "buffer", None)
    if stream is None:  # a text stream put in place of stdin (tests): its text as bytes
        return io.BytesIO(sys.stdin.read().encode("utf-8"))
    return stream  # type: ignore[no-any-return]


def _check_nul(text: str, name: str) -> None:
    index = text.find("\x00")
    if index >= 0:
        line = text.count("\n", 0, index) + 1
        raise InputError(
            found="a NUL byte", expected="text without NUL bytes", file=f"{name}:line {line}"
        )


def _decode(data: bytes, name: str) -> str:
    try:
        text = data.decode("utf-8-sig")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise InputError(
            f"not UTF-8 text: byte {data[exc.start]:#04x} at line {line}", file=name
        ) from None
    _check_nul(text, name)
    return text


def read_text(path: str | Path) -> str:
    """The whole text of a file (``-``: standard input), within the size limit.

    Refuses a special file at once and a file over :func:`max_file_bytes`
    before reading it; drops a byte-order mark; refuses a NUL byte.
    """
    name = display_name(path)
    limit = max_file_bytes()
    if str(path) == STDIN:
        data = _stdin_bytes().read(limit + 1)
    else:
        handle, size = _open_regular(path)
        with handle:
            if size > limit:
                raise _too_large(name, size, limit)
            try:
                data = handle.read(limit + 1)  # the file may have grown since
            except OSError as exc:
                raise InputError(f"cannot read the file: {exc}", file=name) from None
    if len(data) > limit:
        raise _too_large(name, limit, limit, at_least=True)
    return _decode(data, name)


def _too_large(name: str, size: int, limit: int, *, at_least: bool = False) -> InputError:
    more = "more than " if at_least else ""
    return InputError(
        found=Described(f"{more}{size:,} bytes"),
        expected=f"at most {limit:,} bytes (set {MAX_FILE_BYTES_ENV} or --max-file-size "
        "to read a larger file; CSV has no limit)",
        file=name,
    )


def open_text(path: str | Path) -> TextIO:
    """Open a file (``-``: standard input) as UTF-8 text for streaming, with no size limit.

    For CSV: newlines are left to the reader (``newline=""``), a byte-order
    mark is dropped. (The CSV reader refuses a NUL character in a cell, naming
    its line and column.)
    """
    if str(path) == STDIN:
        return _StdinText(_stdin_bytes(), encoding="utf-8-sig", newline="")
    return io.TextIOWrapper(_open_regular(path)[0], encoding="utf-8-sig", newline="")


def open_binary(path: str | Path) -> BinaryIO:
    """Open a regular file for reading in binary, for a reader that takes a file object.

    Refuses what :func:`open_text` refuses (a missing file, a FIFO, a device,
    a directory, a socket), in the same words, before anything blocks; no
    size limit. Parquet people files are read through it (pyarrow reads the
    handle it returns). ``-`` is not standard input here: such a reader needs
    to seek.
    """
    return _open_regular(path)[0]


class _StdinText(io.TextIOWrapper):
    """Standard input as text; closing it leaves standard input open (detached)."""

    _let_go = False

    def close(self) -> None:
        if not self._let_go:
            self._let_go = True
            self.detach()


_TOML_START = re.compile(r"""(\[|[A-Za-z0-9_"'-][A-Za-z0-9_."' -]*=)""")


def sniff_format(head: str) -> str:
    """Recognise ``toml``, ``json`` or ``csv`` from the start of a file's text.

    JSON starts with ``{``; TOML with a table header or ``key =`` (comments
    and blank lines skipped); anything else is read as CSV.

    >>> [sniff_format(t) for t in ('{"leaders": []}', "# people\\n[[leaders]]", "id,name")]
    ['json', 'toml', 'csv']
    """
    for line in head.lstrip("\ufeff").splitlines():
        stripped = line.strip()
        if not stripped or stripped.startswith("#"):
            continue
        if stripped.startswith("{"):
            return "json"
        if _TOML_START.match(stripped):
            return "toml"
        return "csv"
    return "toml"


def file_format(
    path: str | Path, given: str | None = None, allowed: tuple[str, ...] = FORMATS
) -> str:
    """The format of a file argument: ``given``, else its suffix (``-``: its content).

    A file without a known suffix is read as TOML, as before. For standard
    input, the content is peeked at without being consumed.
    """
    name = display_name(path)
    if given is not None:
        fmt = given.lower()
    elif str(path) == STDIN:
        fmt = sniff_format(_peek_stdin())
    else:
        suffix = Path(path).suffix.lower().lstrip(".")
        fmt = suffix or "toml"
    if fmt not in allowed:
        names = [f".{a}" for a in allowed]
        shown = " or ".join([", ".join(names[:-1]), names[-1]]) if len(names) > 1 else names[0]
        raise InputError(found=fmt if given else f".{fmt}", expected=f"a {shown} file", file=name)
    return fmt


def _peek_stdin() -> str:
    stream = getattr(sys.stdin, "buffer", None)
    peek = getattr(stream, "peek", None)
    if peek is None:
        # A text stream in place of stdin: read it all and put it back.
        text = sys.stdin.read()
        sys.stdin = io.TextIOWrapper(io.BufferedReader(io.BytesIO(text.encode("utf-8"))))
        return text[:4096]
    head: bytes = peek(4096)[:4096]
    return head.decode("utf-8", errors="replace")
