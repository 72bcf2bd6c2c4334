"""Backups through SQLite's online backup API, each verified, attachments included.

A file copy of a live WAL database can miss committed pages; the backup API cannot.  Every
copy is written under a temporary name, checked (quick_check and a readable schema version),
and only then renamed into place.  A backup is one file that SQLite opens like any other
database: the meeting attachments (scans, photos) go inside it, in a table of their own,
each with its SHA-256 — one file to carry on a USB stick, nothing to forget beside it.
"""

from __future__ import annotations

import contextlib
import datetime as dt
import hashlib
import re
import sqlite3
from dataclasses import dataclass
from pathlib import Path

import peewee

from app.config import Settings
from app.errors import os_reason
from app.fileio import atomic_path, make_folder, write_bytes_atomic
from app.i18n import _, sentence
from app.storage.audit import BACKUP_FILES_TABLE
from app.storage.db import database_path, database_proxy, raw_connection
from app.storage.errors import DatabaseDamagedError, StorageError

# The attachments inside a backup file; restored into the attachments folder, then dropped.
FILES_TABLE = BACKUP_FILES_TABLE
_STORED = re.compile(r"^[0-9a-f]{2}/[0-9a-f]{64}(\.[0-9a-z]{1,10})?$")


def _read_only_uri(path: Path) -> str:
    # as_uri() percent-encodes: a folder named "备份#1" must not end the path at "#".
    return f"{path.resolve().as_uri()}?mode=ro"


def open_read_only(path: Path) -> sqlite3.Connection:
    """A database file opened for reading only (a backup, never changed by looking)."""
    if not path.is_file():
        raise StorageError(_("The file does not exist: {path}").format(path=path))
    try:
        return sqlite3.connect(_read_only_uri(path), uri=True)
    except sqlite3.Error as error:
        raise DatabaseDamagedError(
            _("The file cannot be opened as a database: {path}").format(path=path)
        ) from error


def _not_ours(path: Path) -> DatabaseDamagedError:
    return DatabaseDamagedError(
        _("The file is not a SafeDuty database or it is damaged: {path}").format(path=path)
    )


def verify_database_file(path: Path) -> int:
    """Open a database file read-only, run quick_check, return its schema version."""
    connection = open_read_only(path)
    try:
        result = connection.execute("PRAGMA quick_check").fetchall()
        if result != [("ok",)]:
            raise DatabaseDamagedError(
                _("The database {path} failed its check: {problem}").format(
                    path=path, problem=result[0][0]
                )
            )
        row = connection.execute("SELECT version FROM schema_version").fetchone()
        _check_files(connection, path)
    except sqlite3.DatabaseError as error:
        raise _not_ours(path) from error
    finally:
        connection.close()
    if row is None:
        raise _not_ours(path)
    return int(row[0])


def _has_files(connection: sqlite3.Connection) -> bool:
    row = connection.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = ?", (FILES_TABLE,)
    ).fetchone()
    return row is not None


def _check_files(connection: sqlite3.Connection, path: Path) -> None:
    """Every attachment carried by a backup still has the content it was stored with."""
    if not _has_files(connection):
        return
    for sha, data in connection.execute(f"SELECT sha256, data FROM {FILES_TABLE}"):
        if hashlib.sha256(data).hexdigest() != sha:
            raise DatabaseDamagedError(
                _("An attached file inside the backup {path} is damaged.").format(path=path)
            )


@dataclass(frozen=True)
class BackupResult:
    path: Path
    files: int  # attachments carried inside
    missing: tuple[str, ...]  # attachments whose stored copy was missing or changed


def backup_to(target: str | Path, *, verify: bool = True) -> BackupResult:
    """Copy the open database and its attachments to ``target``, verified (``verify`` False
    only to keep a copy of a database already known to be damaged, before replacing it)."""
    target = Path(target)
    source = raw_connection()
    live = database_path()
    if live is not None and target.resolve() == live.resolve():
        raise StorageError(_("A backup cannot be written over the database itself."))
    with atomic_path(target) as tmp:
        destination = sqlite3.connect(tmp)
        try:
            source.backup(destination)
            # A backup is one self-contained file: no WAL beside it.
            destination.execute("PRAGMA journal_mode=DELETE")
            files, missing = _carry_attachments(destination) if verify else (0, [])
        finally:
            destination.close()
        if verify:
            verify_database_file(tmp)
    return BackupResult(target, files, tuple(missing))


def _carry_attachments(destination: sqlite3.Connection) -> tuple[int, list[str]]:
    """Put the attachments the copy refers to inside it (read from the copy: a consistent set)."""
    from app.meetings.attachments import attachments_dir

    if not destination.execute(
        "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'attachment'"
    ).fetchone():
        return 0, []  # a schema before meetings (the copy made before an upgrade)
    # One stored file per content, however many meetings it is attached to.
    rows = destination.execute(
        "SELECT sha256, MIN(stored_as), MIN(file_name) FROM attachment GROUP BY sha256"
    ).fetchall()
    if not rows:
        return 0, []
    root = attachments_dir()
    # A copy of a copy not yet unpacked carries the table already: written afresh.
    destination.execute(f"DROP TABLE IF EXISTS {FILES_TABLE}")
    destination.execute(
        f"CREATE TABLE {FILES_TABLE} (sha256 TEXT PRIMARY KEY, stored_as TEXT NOT NULL,"
        " data BLOB NOT NULL)"
    )
    carried, missing = 0, []
    for sha, stored_as, file_name in rows:
        data = _read_stored(root, stored_as)
        if data is None or hashlib.sha256(data).hexdigest() != sha:
            if _still_attached(sha):  # not just deleted by the clerk while this copy ran
                missing.append(file_name)
            continue
        destination.execute(f"INSERT INTO {FILES_TABLE} VALUES (?, ?, ?)", (sha, stored_as, data))
        carried += 1
    destination.commit()
    return carried, missing


def _still_attached(sha: str) -> bool:
    from app.storage.models import Attachment

    return bool(Attachment.select().where(Attachment.sha256 == sha).exists())


def _read_stored(root: Path, stored_as: str) -> bytes | None:
    if not _STORED.match(stored_as):
        return None
    try:
        return (root / stored_as).read_bytes()
    except OSError:
        return None


# ---------------------------------------------------------------------------- where and when

# "safeduty-3f9a1c2e-auto-20261124-093000.sqlite3": the database's file name, its identity
# (two databases of one name keep separate series in a shared folder), why, when, and a
# number when two copies fall in one second.  Copies made before a database had an identity
# (the one taken before upgrading to schema 4) go by the file name alone.
_NAME = re.compile(
    r"^(?P<stem>.+?)(?:-(?P<ident>[0-9a-f]{8}))?"
    r"-(?P<reason>auto|manual|before-restore|before-upgrade-v\d+)"
    r"-(?P<stamp>\d{8}-\d{6})(?:-\d+)?\.sqlite3$"
)
AUTO = "auto"
_IDENTITY = "database_id"


def _stem() -> str:
    path = database_path()
    return path.stem if path is not None else "safeduty"


def database_identity() -> str:
    """Eight hex digits naming this database's backups ("" before schema 4 gave it one).

    Kept in the file itself, so a restored database continues its own series."""
    return _full_identity()[:8]


def new_identity(identity: str | None = None) -> None:
    """Give a new (or newly upgraded) database its identity; with ``identity``, keep that one
    (a restored backup goes on with the series of the database it replaced)."""
    import uuid  # here: only a new database needs it, and it is slow to import

    from app.storage.models import Housekeeping

    if identity is None:
        Housekeeping.insert(key=_IDENTITY, value=uuid.uuid4().hex).on_conflict_ignore().execute()
    else:
        Housekeeping.insert(key=_IDENTITY, value=identity).on_conflict(
            conflict_target=[Housekeeping.key], update={Housekeeping.value: identity}
        ).execute()


def _full_identity() -> str:
    from app.storage.models import Housekeeping

    try:
        row = Housekeeping.get_or_none(Housekeeping.key == _IDENTITY)
    except peewee.DatabaseError:
        return ""
    return row.value if row else ""


def default_backup_name(reason: str, when: dt.datetime | None = None) -> str:
    stamp = (when or dt.datetime.now()).strftime("%Y%m%d-%H%M%S")
    identity = database_identity()
    middle = f"-{identity}" if identity else ""
    return f"{_stem()}{middle}-{reason}-{stamp}.sqlite3"


def new_backup_path(folder: Path, reason: str, when: dt.datetime | None = None) -> Path:
    """A name in ``folder`` no backup has yet: a second copy within the same second (two
    restores in a row) must never replace the first."""
    path = folder / default_backup_name(reason, when)
    number = 2
    while path.exists():
        path = path.with_name(f"{default_backup_name(reason, when)[:-8]}-{number}.sqlite3")
        number += 1
    return path


def default_backups_folder() -> Path:
    path = database_path()
    # Resolved: shown in the settings, it must say where, whatever folder the program was
    # started from.
    return (path.resolve().parent if path is not None else Path.cwd()) / "backups"


def backups_folder() -> Path:
    """Where the program keeps its backups: the folder chosen in the settings (a second disk),
    else "backups" beside the database; created when first needed."""
    chosen = Settings.load().backup_folder
    folder = Path(chosen) if chosen else default_backups_folder()
    try:
        folder.mkdir(parents=True, exist_ok=True)
    except OSError as error:
        raise StorageError(
            _("The backup folder {folder} cannot be used: {reason}").format(
                folder=folder, reason=os_reason(error)
            )
        ) from error
    return folder


def _backup_places() -> list[Path]:
    places = []
    with contextlib.suppress(StorageError):
        places.append(backups_folder())
    default = default_backups_folder()
    if default.is_dir() and default not in places:
        places.append(default)
    return places


@dataclass(frozen=True)
class BackupFile:
    path: Path
    reason: str
    taken: dt.datetime


def list_backups(folder: Path | None = None) -> list[BackupFile]:
    """This database's backups in the folder, newest first (files of other databases skipped)."""
    folder = folder or backups_folder()
    stem, identity = _stem(), database_identity()
    found = []
    for path in folder.glob("*.sqlite3"):
        match = _NAME.match(path.name)
        if match is None or match["stem"] != stem:
            continue
        if match["ident"] and identity and match["ident"] != identity:
            continue  # another database of the same name
        taken = dt.datetime.strptime(match["stamp"], "%Y%m%d-%H%M%S")
        found.append(BackupFile(path, match["reason"], taken))
    # Newest first; within one second, the later copy (the longer name) first.
    found.sort(
        key=lambda backup: (backup.taken, len(backup.path.name), backup.path.name), reverse=True
    )
    return found


def newest_good_backup(folder: Path | None = None) -> BackupFile | None:
    """The newest backup that opens, passes quick_check and this program can read: in the
    backup folder and, if another was chosen (a USB stick that may be unplugged), beside the
    database too, where the copies made before the choice still are."""
    from app.storage.migrations import CURRENT_VERSION

    candidates: list[BackupFile] = []
    for place in [folder] if folder is not None else _backup_places():
        with contextlib.suppress(StorageError, OSError):
            candidates.extend(list_backups(place))
    candidates.sort(key=lambda backup: backup.taken, reverse=True)
    for backup in candidates:
        try:
            if verify_database_file(backup.path) <= CURRENT_VERSION:
                return backup
        except StorageError:
            continue
    return None


# ---------------------------------------------------------------------------- restore


def verify_restorable(source_file: Path) -> None:
    """A backup this program can restore: sound, SafeDuty's, not from a newer version."""
    from app.storage.migrations import CURRENT_VERSION

    version = verify_database_file(source_file)
    if version > CURRENT_VERSION:
        raise StorageError(
            _(
                "The backup was written by a newer SafeDuty (schema {found}); this version "
                "reads up to {supported}."
            ).format(found=version, supported=CURRENT_VERSION)
        )


def restore_from(source_file: str | Path) -> Path:
    """Replace the open database's content and attachments with a verified backup file.

    The current content is backed up first (the returned path), so a restore can be undone.
    The database is then opened again (an older backup is upgraded), a full integrity check
    is run, and the restore is entered in the audit trail.
    """
    from app.storage.migrations import close_database, open_database

    source_file = Path(source_file)
    busy = getattr(database_proxy.obj, "busy_message", "")
    if busy:
        raise StorageError(busy)
    if getattr(database_proxy.obj, "read_only", False):
        # The backup API writes pages past "query_only": refused here, not by SQLite.
        raise StorageError(_("The database is open read-only; it cannot be restored now."))
    live = database_path()
    if live is not None and source_file.resolve() == live.resolve():
        raise StorageError(_("The database cannot be restored from itself."))
    verify_restorable(source_file)
    safety_copy = _safety_copy()
    identity = _full_identity()
    source = open_read_only(source_file)
    try:
        # One step: records and the attachments they carry arrive together.
        source.backup(raw_connection())
    finally:
        source.close()
    url = str(database_proxy.obj.database)
    close_database()
    try:
        open_database(url)  # unpacks the attachments (also after a crash right here), upgrades
        _after_restore(source_file, identity)
    except Exception as error:
        # The data is already the backup's: say so, keep the database open (recording), and
        # name where the previous content is.
        if database_proxy.obj is None or database_proxy.obj.is_closed():
            with contextlib.suppress(Exception):
                open_database(url)
        raise RestoreIncomplete(
            _(
                "The data was replaced by the backup, but the restore could not be finished: "
                "{reason} The previous content is kept in {copy}."
            ).format(reason=sentence(_reason(error)), copy=safety_copy)
        ) from error
    return safety_copy


class RestoreIncomplete(StorageError):
    """The database holds the backup's data, but a step after the copy failed."""


def _reason(error: BaseException) -> str:
    from app.errors import user_message

    return user_message(error) or str(error)


def _after_restore(source_file: Path, identity: str) -> None:
    """What every restore ends with: the full check, the identity of the database it
    replaced (its backup series goes on), and an entry in the audit trail."""
    from app.storage.health import note_full_check

    problems = integrity_problems()
    if problems:
        raise DatabaseDamagedError(
            _("The restored database failed its integrity check: {problem}").format(
                problem=problems[0]
            )
        )
    if identity:
        new_identity(identity)
    note_restore(source_file)
    note_full_check()


def recover_damaged(url: str, database: Path, source_file: Path) -> Path:
    """Put ``source_file`` in the place of a database too damaged to open, open it, check it
    in full and enter the restore; where the damaged file was kept."""
    from app.storage.migrations import open_database

    aside = replace_damaged(database, source_file)
    open_database(url)
    _after_restore(source_file, "")
    return aside


def note_restore(source_file: Path) -> None:
    """Enter in the audit trail that the database was replaced by ``source_file``."""
    from app.storage import audit

    with database_proxy.atomic():
        audit.record_restore(raw_connection(), source_file.name)


def _safety_copy() -> Path:
    """The current content, kept before a restore replaces it; a damaged database is kept
    too (unverified, under a name never offered as a good backup)."""
    folder = backups_folder()
    try:
        return backup_to(new_backup_path(folder, "before-restore")).path
    except DatabaseDamagedError:
        return backup_to(new_backup_path(folder, "damaged"), verify=False).path


def replace_damaged(database: Path, source_file: Path) -> Path:
    """Put a backup in the place of a database file too damaged to open; the damaged file
    (and its journal files) are moved aside, never deleted.  Returns where it went."""
    verify_restorable(source_file)
    stamp = dt.datetime.now().strftime("%Y%m%d-%H%M%S")
    aside = database.with_name(f"{database.stem}-damaged-{stamp}{database.suffix}")
    # The journal files first, the database last: a stale WAL left under the live name would
    # be replayed into whatever file takes that name next.
    for suffix in ("-wal", "-shm", ""):
        current = database.with_name(database.name + suffix)
        if current.exists():
            current.replace(aside.with_name(aside.name + suffix))
    source = open_read_only(source_file)
    try:
        # The copy keeps its attachments inside; opening it unpacks them.
        with atomic_path(database) as tmp:
            destination = sqlite3.connect(tmp)
            try:
                source.backup(destination)
            finally:
                destination.close()
    finally:
        source.close()
    return aside


def unpack_backup_files(connection: sqlite3.Connection) -> None:
    """A database that is a backup copy (restored, or opened directly) carries its
    attachments inside: put them in its attachments folder, then drop them from the file."""
    if not _has_files(connection):
        return
    try:
        _place_files(connection)
    except OSError:
        # A full disk or a folder that cannot be written: the files stay inside the database
        # and are placed when it is next opened; until then the check lists them as missing.
        return
    connection.execute(f"DROP TABLE {FILES_TABLE}")


def _place_files(source: sqlite3.Connection) -> None:
    """Write the backup's attachments into the attachments folder (before the records that
    point to them arrive), keeping any copy already there with the right content."""
    from app.meetings.attachments import attachments_dir

    root = attachments_dir()
    for sha, stored_as, data in source.execute(
        f"SELECT sha256, stored_as, data FROM {FILES_TABLE}"
    ):
        if not _STORED.match(stored_as):
            continue  # never a path outside the folder, whatever a file says
        target = root / stored_as
        current = _read_stored(root, stored_as)
        if current is not None and hashlib.sha256(current).hexdigest() == sha:
            continue
        make_folder(target.parent)
        write_bytes_atomic(target, data)


def integrity_problems() -> list[str]:
    """The full integrity_check of the open database: an empty list when all is well."""
    return check_rows(raw_connection().execute("PRAGMA integrity_check").fetchall())


def check_rows(rows: list[tuple[object, ...]]) -> list[str]:
    """SQLite's check result as one finding a line: a damaged page comes as one row of many
    lines under a "*** in database main ***" heading."""
    lines = [
        line.strip()
        for (row,) in rows
        for line in str(row).splitlines()
        if line.strip() and not line.startswith("***")
    ]
    return [] if lines == ["ok"] else lines
