"""Files the program writes appear whole under their real name, or not at all."""

from __future__ import annotations

import os
import stat
from pathlib import Path

import pytest

from app.fileio import atomic_path, write_bytes_atomic


def test_written_file_replaces_the_old_one_whole(tmp_path: Path) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    target = tmp_path / "out.pdf"
    target.write_bytes(b"old")
    write_bytes_atomic(target, b"new content")
    assert target.read_bytes() == b"new content"
    assert [p.name for p in tmp_path.iterdir()] == ["out.pdf"]


def test_failure_midway_leaves_the_old_file_and_no_temporary(tmp_path: Path) -> None:
    tmp_path = tmp_path / "exports"
    tmp_path.mkdir()
    target = tmp_path / "out.xlsx"
    target.write_bytes(b"old")
    with pytest.raises(RuntimeError), atomic_path(target) as tmp:
        tmp.write_bytes(b"half")
        raise RuntimeError("crash while writing")
    assert target.read_bytes() == b"old"
    assert [p.name for p in tmp_path.iterdir()] == ["out.xlsx"]


@pytest.mark.skipif(os.name != "posix", reason="POSIX permissions")
def test_written_files_get_ordinary_permissions(tmp_path: Path) -> None:
    old = os.umask(0o022)
    try:
        target = tmp_path / "shared.csv"
        write_bytes_atomic(target, b"x")
    finally:
        os.umask(old)
    # Readable by others like any document the user saves, not private like a temp file.
    assert stat.S_IMODE(target.stat().st_mode) & 0o044 == 0o044


def test_a_missing_folder_is_reported_with_the_real_name_and_not_created(tmp_path: Path) -> None:
    from app.errors import user_message

    target = tmp_path / "no-such-folder" / "roster.pdf"
    with pytest.raises(OSError) as caught:
        write_bytes_atomic(target, b"%PDF")
    assert caught.value.filename == str(target)
    assert not target.parent.exists()
    message = user_message(caught.value)
    assert message is not None and "roster.pdf" in message and ".tmp" not in message


def test_the_domain_s_refusals_are_messages_for_the_user_not_bugs() -> None:
    from app.errors import user_message
    from app.meetings.service import MeetingError
    from app.obligations.rules import RuleError
    from app.org.units import UnitError
    from app.responsibility.assignments import AssignmentError
    from app.responsibility.duties import DutyError
    from app.roster.service import RosterError

    for error in (
        MeetingError({"held_on": "日期有误"}),
        RuleError({"at_least": "至少为1"}),
        UnitError({"name": "名称已存在"}),
        AssignmentError("区域已不存在"),
        DutyError({2: "职责为空"}),
        RosterError({"name": "请输入姓名"}),
    ):
        message = user_message(error)
        assert message and message == str(error)
    assert user_message(KeyError("bug")) is None
