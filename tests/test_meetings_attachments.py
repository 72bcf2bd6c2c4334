"""Attachments: copied into the data folder under their SHA-256, stored once, checked, removed."""

from __future__ import annotations

import datetime as dt
import hashlib
from pathlib import Path

import pytest

from app import fileio
from app.errors import user_message
from app.meetings import attachments
from app.meetings.attachments import (
    AttachmentError,
    attach,
    attachment_path,
    attachments_dir,
    remove_attachment,
    verify_attachment,
)
from app.meetings.kinds import MeetingKind
from app.meetings.service import MeetingInput, delete_meeting, get_meeting, save_meeting
from app.storage.db import database_path
from app.storage.models import Attachment, Meeting

TODAY = dt.date(2025, 6, 30)
SCAN = b"%PDF-1.4 sign-in sheet " + bytes(range(256)) * 50


def new_meeting(day: int = 10) -> int:
    data = MeetingInput(kind=MeetingKind.OTHER, held_on=dt.date(2025, 6, day), title="村会")
    return save_meeting(data, today=TODAY)


def stored_files() -> list[Path]:
    root = attachments_dir()
    return sorted(p for p in root.rglob("*") if p.is_file()) if root.exists() else []


@pytest.fixture
def scan(tmp_path: Path) -> Path:
    usb = tmp_path / "usb"
    usb.mkdir()
    path = usb / "签到表.PDF"
    path.write_bytes(SCAN)
    return path


def test_a_file_is_copied_in_under_its_hash(scan: Path) -> None:
    mid = new_meeting()
    attachment = attach(mid, scan)
    sha = hashlib.sha256(SCAN).hexdigest()
    assert attachment.sha256 == sha
    assert attachment.size == len(SCAN)
    assert attachment.file_name == "签到表.PDF"
    assert attachment.stored_as == f"{sha[:2]}/{sha}.pdf"
    path = attachment_path(attachment)
    # Beside the database: the files belong to it alone.
    db_file = database_path()
    assert db_file is not None
    assert path == db_file.with_name(db_file.name + "-attachments") / sha[:2] / f"{sha}.pdf"
    assert path.read_bytes() == SCAN
    # Never a link to the USB stick: the copy outlives the original.
    scan.unlink()
    assert verify_attachment(attachment)
    assert [a.file_name for a in get_meeting(mid).attachments] == ["签到表.PDF"]
    # No temporary file is left beside it.
    assert stored_files() == [path]


def test_identical_content_is_stored_once(scan: Path, tmp_path: Path) -> None:
    first, second = new_meeting(10), new_meeting(11)
    a = attach(first, scan)
    assert attach(first, scan).id == a.id  # the same file again: the record it has
    renamed = tmp_path / "photo.jpeg"
    renamed.write_bytes(SCAN)
    b = attach(second, renamed)
    assert b.id != a.id and b.stored_as == a.stored_as and b.file_name == "photo.jpeg"
    assert len(stored_files()) == 1
    assert Attachment.select().count() == 2


def test_verify_detects_tampering_and_loss(scan: Path) -> None:
    attachment = attach(new_meeting(), scan)
    path = attachment_path(attachment)
    path.write_bytes(SCAN[:-1] + b"X")  # same size, other content
    assert not verify_attachment(attachment)
    path.write_bytes(SCAN + b"more")
    assert not verify_attachment(attachment)
    path.unlink()
    assert not verify_attachment(attachment)
    # Attaching the content again repairs the stored copy.
    assert attach(attachment.meeting_id, scan).id == attachment.id
    assert verify_attachment(attachment)
    path.write_bytes(b"damaged")
    attach(new_meeting(12), scan)
    assert verify_attachment(attachment)


def test_a_damaged_record_never_points_outside_the_folder(scan: Path) -> None:
    attachment = attach(new_meeting(), scan)
    attachment.stored_as = "../../etc/passwd"
    assert not verify_attachment(attachment)
    with pytest.raises(AttachmentError):
        attachment_path(attachment)


def test_removing_keeps_the_file_while_another_record_uses_it(scan: Path) -> None:
    a = attach(new_meeting(10), scan)
    b = attach(new_meeting(11), scan)
    path = attachment_path(a)
    remove_attachment(a.id)
    assert path.exists() and Attachment.select().count() == 1
    remove_attachment(b.id)
    assert not path.exists() and not path.parent.exists()
    assert Attachment.select().count() == 0
    remove_attachment(b.id)  # already gone: nothing to do


def test_deleting_a_meeting_removes_files_no_one_else_uses(scan: Path, tmp_path: Path) -> None:
    photo = tmp_path / "现场.jpg"
    photo.write_bytes(b"\xff\xd8 a photo")
    shared_meeting, own_meeting = new_meeting(10), new_meeting(11)
    attach(shared_meeting, scan)
    shared = attach(own_meeting, scan)
    own = attach(own_meeting, photo)
    own_path = attachment_path(own)
    delete_meeting(own_meeting)
    assert not own_path.exists()
    assert attachment_path(shared).exists()
    assert Attachment.select().count() == 1


def refused(meeting_id: int, source: Path) -> str:
    rows = Attachment.select().count()
    with pytest.raises(AttachmentError) as caught:
        attach(meeting_id, source)
    assert Attachment.select().count() == rows
    assert stored_files() == []
    message = user_message(caught.value)
    assert message == str(caught.value)
    return message


def test_folders_missing_and_oversized_files_are_refused(
    tmp_path: Path, scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    mid = new_meeting()
    assert str(tmp_path) in refused(mid, tmp_path)
    assert "nope.pdf" in refused(mid, tmp_path / "nope.pdf")
    big = tmp_path / "big.tif"
    big.write_bytes(b"\0" * (1024 * 1024 + 1))
    with monkeypatch.context() as patch:
        patch.setattr(attachments, "MAX_SIZE", 1024 * 1024)
        assert "1" in refused(mid, big)
        # A file that grows past the limit while it is copied: refused, nothing left behind.
        patch.setattr(attachments, "_check_source", lambda source: None)
        assert "big.tif" in refused(mid, big)
    assert refused(12345, scan)  # no such meeting


def test_a_failed_record_leaves_no_file(scan: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    mid = new_meeting()

    def fail(**fields: object) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(Attachment, "create", fail)
    with pytest.raises(OSError):
        attach(mid, scan)
    assert stored_files() == []
    assert Attachment.select().count() == 0


def test_new_folders_reach_the_disk_with_the_file(
    scan: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # A power cut (not a kill) can lose a new folder whose entry in its parent was never
    # synced, and the committed row would point to a file that is gone.
    synced: list[Path] = []
    monkeypatch.setattr(attachments, "fsync_directory", lambda folder: synced.append(folder))
    monkeypatch.setattr(fileio, "fsync_directory", lambda folder: synced.append(folder))
    path = attachment_path(attach(new_meeting(), scan))
    root = attachments_dir()
    assert path.parent.parent == root
    assert {root.parent, root, path.parent} <= set(synced)


def test_two_databases_never_share_or_delete_each_other_s_files(tmp_path: Path) -> None:
    from app.meetings.service import delete_meeting
    from app.storage.migrations import close_database, open_database

    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\xff\xd8 the same scanned sign-in sheet")
    kept = []
    for name in ("demo.sqlite3", "real.sqlite3"):
        close_database()
        open_database(str(tmp_path / name))
        meeting = Meeting.create(kind="other", held_on=dt.date(2026, 3, 1))
        kept.append((name, meeting.id, attach(meeting.id, scan).id))
    close_database()
    open_database(str(tmp_path / "demo.sqlite3"))
    delete_meeting(kept[0][1])
    close_database()
    open_database(str(tmp_path / "real.sqlite3"))
    assert verify_attachment(Attachment.get_by_id(kept[1][2]))


def test_check_reports_an_attachment_whose_copy_was_removed(tmp_path: Path, capsys) -> None:
    from app.cli import main

    scan = tmp_path / "scan.jpg"
    scan.write_bytes(b"\\xff\\xd8 a scanned sheet")
    meeting = Meeting.create(kind="other", held_on=dt.date(2026, 3, 1))
    row = attach(meeting.id, scan)
    db = database_path()
    assert main(["--db", str(db), "check"]) == 0
    attachment_path(row).unlink()
    assert main(["--db", str(db), "check"]) == 1
    assert "scan.jpg" in capsys.readouterr().err
