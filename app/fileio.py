"""Writing files so that a crash never leaves half a file under the real name.

Everything the program writes (exports, prints, backups, settings) goes to a temporary name
in the same folder, is flushed and fsynced, then renamed over the target in one step.
"""

from __future__ import annotations

import contextlib
import os
import tempfile
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import IO


@contextlib.contextmanager
def atomic_path(target: str | os.PathLike[str]) -> Iterator[Path]:
    """Yield a temporary path beside ``target``; on success it replaces ``target`` atomically.

    The caller writes the temporary file by any means (a library that takes a file name);
    on an exception the temporary file is removed and ``target`` is left untouched.
    """
    target = Path(target)
    # The folder must exist: a mistyped folder is the user's to fix, not to create.  Errors
    # name the real target, never the temporary file the user has not heard of.
    try:
        fd, tmp_name = tempfile.mkstemp(prefix=f".{target.name}.", suffix=".tmp", dir=target.parent)
    except OSError as error:
        raise OSError(error.errno, error.strerror, str(target)) from error
    os.close(fd)
    tmp = Path(tmp_name)
    # mkstemp makes the file private (0600); a document should get the usual permissions.
    os.chmod(tmp, 0o666 & ~_UMASK)
    try:
        yield tmp
        with open(tmp, "rb+") as fp:
            os.fsync(fp.fileno())
        try:
            os.replace(tmp, target)
        except OSError as error:  # e.g. the file is open in Excel or WPS on Windows
            raise OSError(error.errno, error.strerror, str(target)) from error
        fsync_directory(target.parent)
    except BaseException:
        with contextlib.suppress(OSError):
            tmp.unlink()
        raise


def write_atomic(target: str | os.PathLike[str], writer: Callable[[IO[bytes]], None]) -> None:
    """Write ``target`` through ``writer(binary_file)`` under a temporary name, then rename."""
    with atomic_path(target) as tmp, open(tmp, "wb") as fp:
        writer(fp)


def write_bytes_atomic(target: str | os.PathLike[str], data: bytes) -> None:
    with atomic_path(target) as tmp:
        tmp.write_bytes(data)


def write_text_atomic(target: str | os.PathLike[str], text: str, encoding: str = "utf-8") -> None:
    write_bytes_atomic(target, text.encode(encoding))


def _read_umask() -> int:
    # Read once at start-up: os.umask can only be read by setting it, which is not thread-safe.
    mask = os.umask(0)
    os.umask(mask)
    return mask


_UMASK = _read_umask()


def fsync_directory(folder: Path) -> None:
    """Make a rename into ``folder`` durable (POSIX; Windows cannot open a folder this way)."""
    if os.name != "posix":
        return
    fd = os.open(folder, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def make_folder(folder: Path) -> None:
    """Create ``folder`` if needed, its entry in the parent synced like the files in it: else
    a power cut could lose a new folder, with the file in it, after the row pointing to that
    file was committed."""
    if folder.is_dir():
        return
    make_folder(folder.parent)
    folder.mkdir(exist_ok=True)
    fsync_directory(folder.parent)
