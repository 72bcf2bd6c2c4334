"""Files kept with a meeting (a scanned sign-in sheet, photos), stored under their SHA-256.

A file is copied into the database's attachments folder — never kept as a link to where it
came from, which is often a USB stick that leaves with its owner.  It is named after its content
(``attachments/ab/ab12….jpg``), so the same photo attached twice is stored once, and a copy
can be checked against the hash recorded when it came in.  The copy is written under a
temporary name, synced, then renamed (like app/fileio.py), so a crash never leaves half a
file under a name the database points to.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import re
import tempfile
from collections.abc import Iterable
from pathlib import Path

from app.config import data_dir
from app.fileio import fsync_directory, make_folder
from app.i18n import _
from app.storage.db import database_path, database_proxy
from app.storage.models import Attachment, Meeting

MAX_SIZE = 50 * 1024 * 1024  # a scanned sheet or a phone photo is a few MB; a video is not
CHUNK = 1024 * 1024
MAX_NAME = 255  # the column's width
# What stored_as may look like: nothing read from a database (or an imported file) can
# point outside the attachments folder.
_STORED = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}(\.[0-9a-z]{1,10})?$")
_SUFFIX = re.compile(r"^\.[0-9a-z]{1,10}$")


class AttachmentError(Exception):
    """A file that cannot be attached; ``errors`` maps a field to its reason."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("\n".join(errors.values()))


def attachments_dir() -> Path:
    """The folder of the open database's files: beside the database file ("safeduty.sqlite3"
    keeps them in "safeduty.sqlite3-attachments"), so they belong to that database alone —
    a demo database never shares (or deletes) the real one's scans — and travel with it."""
    path = database_path()
    if path is None:
        return data_dir() / "attachments"
    return path.with_name(path.name + "-attachments")


def attachment_path(attachment: Attachment) -> Path:
    """Where the stored copy lives (it may be missing if someone removed it by hand)."""
    if not _STORED.match(attachment.stored_as):
        raise AttachmentError(
            {"file": _("The record of {name} is damaged.").format(name=attachment.file_name)}
        )
    return attachments_dir() / attachment.stored_as


def attach(meeting_id: int, source_path: str | os.PathLike[str]) -> Attachment:
    """Copy ``source_path`` into the attachments folder and record it with the meeting.

    Refuses a folder, a missing file and a file over MAX_SIZE with nothing written.  The
    same content attached to the same meeting again returns the record it already has.
    """
    source = Path(source_path)
    if not Meeting.select().where(Meeting.id == meeting_id).exists():
        raise AttachmentError({"meeting": _("This meeting is no longer recorded.")})
    _check_source(source)
    root = attachments_dir()
    make_folder(root)
    staged, sha, size = _copy_in(source, root)
    placed: str | None = None
    try:
        with database_proxy.atomic():
            same = list(Attachment.select().where(Attachment.sha256 == sha).order_by(Attachment.id))
            # Content stored before (perhaps under another suffix) keeps its one file.
            stored_as = (
                same[0].stored_as
                if same and _STORED.match(same[0].stored_as)
                else f"{sha[:2]}/{sha}{_suffix(source)}"
            )
            # Placed (or repaired, if the stored copy was lost or damaged) in every case.
            _place(staged, root / stored_as, sha)
            placed = stored_as
            for existing in same:
                if existing.meeting_id == meeting_id:
                    return existing
            attachment: Attachment = Attachment.create(
                meeting=meeting_id,
                file_name=source.name[-MAX_NAME:],
                stored_as=stored_as,
                sha256=sha,
                size=size,
            )
    except BaseException:
        # A file placed for a record that was then not written belongs to nobody.
        if placed is not None:
            discard_unreferenced([placed])
        raise
    finally:
        with contextlib.suppress(OSError):
            staged.unlink(missing_ok=True)
    return attachment


def verify_attachment(attachment: Attachment) -> bool:
    """Whether the stored copy is there and still has the content recorded (hashed again)."""
    try:
        path = attachment_path(attachment)
        if path.stat().st_size != attachment.size:
            return False
        return _sha256(path) == attachment.sha256
    except (OSError, AttachmentError):
        return False


def remove_attachment(attachment_id: int) -> None:
    """Delete the record; the stored file too once no other record refers to it."""
    with database_proxy.atomic():
        attachment = Attachment.get_or_none(Attachment.id == attachment_id)
        if attachment is None:
            return
        stored_as = attachment.stored_as
        attachment.delete_instance()
    discard_unreferenced([stored_as])


def discard_unreferenced(stored_names: Iterable[str]) -> None:
    """Remove stored files that no record refers to any more (after the rows are gone).

    A file that cannot be removed now (open in a viewer on Windows) stays: a spare file
    costs disk space, a missing one would lose a record's scan.
    """
    root = attachments_dir()
    for name in set(stored_names):
        if not _STORED.match(name):
            continue
        if Attachment.select().where(Attachment.stored_as == name).exists():
            continue
        path = root / name
        with contextlib.suppress(OSError):
            path.unlink()
        with contextlib.suppress(OSError):
            path.parent.rmdir()  # only when empty


# ---------------------------------------------------------------------------- the copy


def _check_source(source: Path) -> None:
    try:
        info = source.stat()
    except FileNotFoundError:
        raise AttachmentError(
            {"file": _("The file {file} does not exist.").format(file=source)}
        ) from None
    if source.is_dir():
        raise AttachmentError({"file": _("{file} is a folder; choose a file.").format(file=source)})
    if info.st_size > MAX_SIZE:
        raise AttachmentError({"file": _too_large(source)})


def _too_large(source: Path) -> str:
    return _("{file} is larger than {limit} MB; attach a smaller scan or photo.").format(
        file=source, limit=MAX_SIZE // (1024 * 1024)
    )


def _suffix(source: Path) -> str:
    # Kept so the stored copy opens in the right program; anything odd is dropped.
    suffix = source.suffix.lower()
    return suffix if _SUFFIX.match(suffix) else ""


def _copy_in(source: Path, root: Path) -> tuple[Path, str, int]:
    """Copy ``source`` to a temporary file in ``root``, hashing as it goes; synced."""
    digest = hashlib.sha256()
    size = 0
    fd, name = tempfile.mkstemp(prefix=".incoming-", suffix=".tmp", dir=root)
    staged = Path(name)
    try:
        with os.fdopen(fd, "wb") as out, source.open("rb") as inp:
            while block := inp.read(CHUNK):
                size += len(block)
                # The size was checked before; a file still growing is refused here.
                if size > MAX_SIZE:
                    raise AttachmentError({"file": _too_large(source)})
                digest.update(block)
                out.write(block)
            out.flush()
            os.fsync(out.fileno())
    except BaseException:
        with contextlib.suppress(OSError):
            staged.unlink()
        raise
    return staged, digest.hexdigest(), size


def _place(staged: Path, target: Path, sha: str) -> None:
    """Move the staged copy to ``target``, unless an intact copy is already there."""
    if target.is_file() and _sha256(target) == sha:
        staged.unlink()
        return
    # Missing or damaged: the fresh copy takes its place.
    make_folder(target.parent)
    os.replace(staged, target)
    fsync_directory(target.parent)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as fp:
        while block := fp.read(CHUNK):
            digest.update(block)
    return digest.hexdigest()


def damaged_attachments() -> list[Attachment]:
    """Attachments whose kept copy is missing or no longer has its SHA-256 (``check``).

    Hashing every scan takes a while beside the clerk's work: one deleted meanwhile (its
    file removed with it) is not reported, only those whose record is still there."""
    suspects = [
        row for row in Attachment.select().order_by(Attachment.id) if not verify_attachment(row)
    ]
    if not suspects:
        return []
    still = {
        number
        for (number,) in Attachment.select(Attachment.id)
        .where(Attachment.id.in_([row.id for row in suspects]))
        .tuples()
    }
    return [row for row in suspects if row.id in still]
