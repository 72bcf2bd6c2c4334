"""Failures sorted by whose fault they are, for the command line and the GUI alike.

What the user can act on (bad input, a full disk, a locked or damaged database, a file that
cannot be written) becomes one calm, translated sentence.  Anything else is a bug: it is
written to a crash log and reported as such, never shown as a raw traceback.
"""

from __future__ import annotations

import datetime as dt
import errno
import sqlite3
from pathlib import Path

from app.config import data_dir
from app.fileio import write_text_atomic
from app.i18n import _


def user_message(error: BaseException) -> str | None:
    """The message for an error the user can act on; None for a bug."""
    # Imported here: these modules are heavier than this one and not always loaded.
    import peewee

    from app.io.errors import InterchangeError
    from app.meetings.attachments import AttachmentError
    from app.meetings.service import MeetingError
    from app.obligations.periods import PeriodError
    from app.obligations.rules import RuleError
    from app.org.units import UnitError
    from app.prints.errors import FontError
    from app.responsibility.assignments import AssignmentError
    from app.responsibility.duties import DutyError
    from app.roster.service import RosterError
    from app.storage.db import database_path, database_proxy
    from app.storage.errors import StorageError, explain_sqlite_error

    if isinstance(
        error,
        StorageError
        | RosterError
        | InterchangeError
        | FontError
        | UnitError
        | AssignmentError
        | DutyError
        | MeetingError
        | AttachmentError
        | RuleError
        | PeriodError,
    ):
        return str(error)
    if isinstance(error, peewee.DatabaseError | sqlite3.Error):
        busy = getattr(database_proxy.obj, "busy_message", "")
        if busy and "readonly" in str(error).lower():
            # Opened read-only because another program is writing: say whose it is.
            return _("{busy} Nothing can be changed here until it is closed.").format(busy=busy)
        path = database_path()
        explained = explain_sqlite_error(error, str(path) if path else "")
        return str(explained) if explained is not None else None
    if isinstance(error, OSError):
        return _("Cannot use the file {file}: {reason}").format(
            file=error.filename or "", reason=os_reason(error)
        )
    return None


def os_reason(error: OSError) -> str:
    """Why a file could not be used, in the user's language where the reason is common."""
    reasons = {
        errno.ENOENT: _("the file or its folder does not exist"),
        errno.EACCES: _("no permission to use it (is it open in another program?)"),
        errno.EPERM: _("no permission to use it (is it open in another program?)"),
        errno.EROFS: _("the disk is read-only"),
        errno.ENOSPC: _("the disk is full"),
        errno.EISDIR: _("it is a folder, not a file"),
        errno.ENOTDIR: _("part of the path is a file, not a folder"),
        errno.EEXIST: _("part of the path is a file, not a folder"),
    }
    return reasons.get(error.errno or 0, error.strerror or str(error))


def write_crash_log(text: str) -> Path | None:
    """The traceback of a bug, kept for the report; None if even that cannot be written."""
    path = data_dir() / "logs" / f"crash-{dt.datetime.now():%Y%m%d-%H%M%S-%f}.log"
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        write_text_atomic(path, text)
    except OSError:
        return None
    return path
