"""Opening a database: create it, or bring its schema up to date, or refuse it.

The schema version lives in one row.  Upgrades are an ordered chain (``if version < N``), each
step in its own transaction, after a verified backup copy of the file as it was.  A database
written by a newer program is refused rather than damaged.
"""

from __future__ import annotations

from collections.abc import Callable

import peewee

from app import __version__
from app.i18n import _
from app.storage import audit
from app.storage.bulk import chunks
from app.storage.db import SafeDutyDatabase, database_proxy, make_database, wrap_errors
from app.storage.errors import NewerDatabaseError, StorageError
from app.storage.models import (
    ALL_MODELS,
    Assignment,
    Attachment,
    Attendance,
    AuditEntry,
    Duty,
    FollowUp,
    Housekeeping,
    MatrixEntry,
    MatrixRow,
    Meeting,
    ObligationRule,
    Post,
    SchemaVersion,
    Unit,
)

CURRENT_VERSION = 4


def _to_version_2(db: peewee.Database) -> None:
    """The responsibility system: duties, assignments, the matrix; enterprises' industry and
    supervising department."""
    from playhouse.migrate import SchemaMigrator, migrate

    migrator = SchemaMigrator.from_database(db)
    migrate(
        migrator.add_column(Unit._meta.table_name, "industry_id", Unit.industry),
        migrator.add_column(Unit._meta.table_name, "supervisor_id", Unit.supervisor),
    )
    db.create_tables([Duty, Assignment, MatrixRow, MatrixEntry])
    install_default_duties()
    _infer_post_kinds()


def _infer_post_kinds() -> None:
    """Version 1 recorded the titles clerks typed or imported without their kind: read it from
    the title now, since duty lists and the matrix attach to kinds."""
    from app.org.kinds import PostKind, UnitKind, infer_post_kind

    unit_kinds = dict(Unit.select(Unit.id, Unit.kind).tuples())
    query = Post.select(Post.id, Post.title, Post.unit).where(Post.kind == PostKind.OTHER.value)
    kinds: dict[str, list[int]] = {}
    for post_id, title, unit_id in query.tuples():
        unit_kind = UnitKind(unit_kinds[unit_id]) if unit_id in unit_kinds else None
        kind = infer_post_kind(title, unit_kind)
        if kind != PostKind.OTHER:
            kinds.setdefault(kind.value, []).append(post_id)
    for kind, ids in kinds.items():
        for chunk in chunks(ids):
            Post.update(kind=kind).where(Post.id.in_(chunk)).execute()


def install_default_duties() -> None:
    """A new or upgraded database starts with the built-in duty lists, which a township adapts."""
    # Imported here: the built-in texts belong to the responsibility area, not to storage.
    from app.responsibility.duties import install_defaults

    install_defaults()


def _to_version_3(db: peewee.Database) -> None:
    """Meetings with their attendance, follow-up items and attachments; obligation rules."""
    db.create_tables([Meeting, Attendance, FollowUp, Attachment, ObligationRule])
    install_default_rules()


def install_default_rules() -> None:
    """A new or upgraded database starts with the obligations of DOMAIN.md's defaults."""
    from app.obligations.rules import install_defaults

    install_defaults()


def _to_version_4(db: peewee.Database) -> None:
    """The audit trail: it begins with every record as the upgrade found it."""
    from app.storage.backup import new_identity

    db.create_tables([AuditEntry, Housekeeping])
    new_identity()
    with audit.recording_source("upgrade"):
        audit.record_baseline(db.connection())


# version N -> the step that turns a version N-1 database into version N.  Version 1 is the
# first released schema (the roster); a new database is created directly from the models.
MIGRATIONS: dict[int, Callable[[peewee.Database], None]] = {
    2: _to_version_2,
    3: _to_version_3,
    4: _to_version_4,
}


def open_database(url: str, *, create: bool = True, read_only: bool = False) -> peewee.Database:
    """Open (and if needed create or upgrade) the database at ``url``; bind every model to it.

    ``read_only``: the file is not changed at all (another program is writing it), so a
    database that would need creating or upgrading is refused.
    """
    db = make_database(url, create=create and not read_only)
    database_proxy.initialize(db)
    try:
        db.connect(reuse_if_open=True)
        if read_only:
            _check_readable(db)
            _enter_read_only(db)
        else:
            _prepare_schema(db, create=create)
            _restart_a_removed_trail(db)
            _start_recording(db)
            _unpack_carried_files(db)
    except StorageError:
        db.close()
        raise
    except peewee.DatabaseError as error:
        db.close()
        explained = wrap_errors(error)
        if explained is error:
            raise
        raise explained from error
    return db


def close_database() -> None:
    db = database_proxy.obj
    if db is not None and not db.is_closed():
        db.close()


def _start_recording(db: SafeDutyDatabase) -> None:
    """From here on every change is entered in the audit trail, on every connection."""
    db.recording = True
    audit.install_triggers(db.connection())


def _unpack_carried_files(db: SafeDutyDatabase) -> None:
    """A backup copy opened as the database carries its attachments inside: unpack them."""
    if db.table_exists(audit.BACKUP_FILES_TABLE):
        # Imported here, as below: opening a database does not need the backups module.
        from app.storage.backup import unpack_backup_files

        unpack_backup_files(db.connection())


def _restart_a_removed_trail(db: SafeDutyDatabase) -> None:
    """A trail removed outside the program begins again from the records as they are, its
    first entries marked so that every check reports the removal."""
    if db.table_exists(AuditEntry._meta.table_name):
        return
    with db.atomic():
        db.create_tables([AuditEntry])
        # Imported here: the checks are not needed to open a database.
        from app.storage.health import CHAIN_VERIFIED

        Housekeeping.delete().where(Housekeeping.key == CHAIN_VERIFIED).execute()
        with audit.recording_source(audit.TRAIL_RESTARTED):
            audit.record_baseline(db.connection())


def _enter_read_only(db: SafeDutyDatabase) -> None:
    db.read_only = True
    db.connection().execute("PRAGMA query_only = 1")


def _check_readable(db: peewee.Database) -> None:
    version = schema_version(db)
    if version is None:
        raise StorageError(_("The database is empty: {path}").format(path=db.database))
    if version > CURRENT_VERSION:
        raise _newer(version)
    if version < CURRENT_VERSION:
        raise StorageError(
            _(
                "This database must be upgraded before it can be read, and another program "
                "is using it; close the other program first: {path}"
            ).format(path=db.database)
        )


def _newer(version: int) -> NewerDatabaseError:
    return NewerDatabaseError(
        _(
            "This database was written by a newer SafeDuty (schema {found}); this version "
            "reads up to {supported}. Please install the newer program."
        ).format(found=version, supported=CURRENT_VERSION)
    )


def schema_version(db: peewee.Database) -> int | None:
    if not db.table_exists(SchemaVersion._meta.table_name):
        return None
    row = SchemaVersion.select().order_by(SchemaVersion.id.desc()).first()
    return row.version if row else None


def _prepare_schema(db: SafeDutyDatabase, *, create: bool) -> None:
    version = schema_version(db)
    if version is None:
        if db.get_tables():
            raise StorageError(
                _("This file is a database of another program, not of SafeDuty: {path}").format(
                    path=db.database
                )
            )
        if not create:
            raise StorageError(_("The database is empty: {path}").format(path=db.database))
        with db.atomic():
            db.create_tables(ALL_MODELS)
            SchemaVersion.create(version=CURRENT_VERSION, written_by=__version__)
            from app.storage.backup import new_identity

            new_identity()
            # The built-in duty lists and rules are the trail's first entries.
            _start_recording(db)
            install_default_duties()
            install_default_rules()
        return
    if version > CURRENT_VERSION:
        raise _newer(version)
    if version < CURRENT_VERSION:
        # Steps run before the triggers exist.  A step after 4 that edits rows must enter its
        # changes itself (audit.append_entries); one that adds or drops a column changes how
        # every record of that table reads, so it must enter each of them again (action
        # "baseline", source "upgrade"), or the next check reports them all as changed.
        from app.storage.backup import backup_to, backups_folder, new_backup_path

        backup_to(new_backup_path(backups_folder(), f"before-upgrade-v{version}"))
        for step in range(version + 1, CURRENT_VERSION + 1):
            with db.atomic():
                MIGRATIONS[step](db)
                SchemaVersion.update(version=step, written_by=__version__).execute()
