"""Background work as small operation objects (Anki's ``operations`` and ``taskman``).

    Op(page, lambda: plan_import(path, day)).success(show_plan).failure(show_problems).run()

``fn`` runs on a worker thread and must never touch a widget; its result (or the exception it
raised) comes back to the GUI thread by a queued signal, where the callbacks run.  All work
goes through one worker thread, so database writes are serialised.  Each job opens its own
database connection (peewee keeps one per thread) and closes it when done.

A progress dialog appears only when the work takes longer than ``PROGRESS_DELAY_MS``; quick
work never flashes one.

The data-safety work (the checks at start, automatic backups) reads for seconds on a large
database; it goes through a second worker of its own (``lane=CHECKS``), so it neither waits
behind the clerk's work nor holds it up.  SQLite's WAL lets it read while the other writes.
"""

from __future__ import annotations

import contextlib
import time
from collections.abc import Callable
from typing import Any

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, QRunnable, Qt, QThreadPool, QTimer, Signal
from PySide6.QtWidgets import QProgressDialog, QWidget

from app.storage.db import database_proxy

PROGRESS_DELAY_MS = 600

WORK = "work"
CHECKS = "checks"

_pools: dict[str, QThreadPool] = {}
_active: set[Op] = set()


def _thread_pool(lane: str = WORK) -> QThreadPool:
    if lane not in _pools:
        pool = QThreadPool()
        # One worker a lane: the clerk's database writes never race each other.
        pool.setMaxThreadCount(1)
        _pools[lane] = pool
    return _pools[lane]


def busy() -> bool:
    """Whether any of the clerk's operations is still running (or its result not yet
    delivered); the data-safety checks in their own lane do not count."""
    return any(op.lane == WORK for op in _active)


def idle() -> bool:
    """Whether no operation at all is running, in any lane."""
    return not _active


def wait_for_workers(timeout_ms: int = -1) -> bool:
    """Block until the worker threads have finished their jobs (at exit, before closing the
    database)."""
    return all(pool.waitForDone(timeout_ms) for pool in _pools.values())


def wait_for_idle(timeout_ms: int = 10000) -> bool:
    """Process events until every operation has finished; False on timeout."""
    deadline = time.monotonic() + timeout_ms / 1000
    while _active and time.monotonic() < deadline:
        QCoreApplication.processEvents()
        time.sleep(0.005)
    QCoreApplication.processEvents()
    return not _active


class _Job(QRunnable):
    def __init__(self, op: Op, fn: Callable[[], Any], uses_database: bool):
        super().__init__()
        self.setAutoDelete(True)
        self._op = op
        self._fn = fn
        self._uses_database = uses_database

    def run(self) -> None:
        try:
            result = self._call()
        except BaseException as error:  # handed to the GUI thread, which decides
            self._emit(self._op._failed, error)
        else:
            self._emit(self._op._done, result)

    @staticmethod
    def _emit(signal: Any, value: object) -> None:
        # At shutdown the operation object may be gone already: then nobody waits.
        with contextlib.suppress(RuntimeError):
            signal.emit(value)

    def _call(self) -> Any:
        if not self._uses_database:
            return self._fn()
        database_proxy.connect(reuse_if_open=True)
        try:
            return self._fn()
        finally:
            # This thread's own connection; the GUI thread's stays open.
            if not database_proxy.is_closed():
                database_proxy.close()


class Op(QObject):
    """One piece of background work with its success and failure callbacks."""

    finished = Signal()  # after the callbacks, whatever the outcome
    _done = Signal(object)
    _failed = Signal(object)

    def __init__(
        self,
        parent: QWidget | None,
        fn: Callable[[], Any],
        *,
        label: str = "",
        uses_database: bool = True,
        lane: str = WORK,
    ):
        # No Qt parent: the operation must outlive a widget closed while it runs.
        super().__init__(None)
        self.lane = lane
        self._parent = parent
        self._fn = fn
        self._label = label
        self._uses_database = uses_database
        self._on_success: Callable[[Any], None] | None = None
        self._on_failure: Callable[[BaseException], None] | None = None
        self._progress: QProgressDialog | None = None
        self._started = False
        self._running = False
        self._done.connect(self._deliver_result, Qt.ConnectionType.QueuedConnection)
        self._failed.connect(self._deliver_error, Qt.ConnectionType.QueuedConnection)

    def success(self, callback: Callable[[Any], None]) -> Op:
        self._on_success = callback
        return self

    def failure(self, callback: Callable[[BaseException], None]) -> Op:
        self._on_failure = callback
        return self

    def run(self) -> Op:
        if self._started:
            raise RuntimeError("an operation runs once")
        self._started = True
        self._running = True
        _active.add(self)
        QTimer.singleShot(PROGRESS_DELAY_MS, self._show_progress)
        _thread_pool(self.lane).start(_Job(self, self._fn, self._uses_database))
        return self

    @property
    def running(self) -> bool:
        return self._running

    # ---------------------------------------------------------------- in the GUI thread

    def _parent_alive(self) -> bool:
        return self._parent is not None and shiboken6.isValid(self._parent)

    def _show_progress(self) -> None:
        if not self._running or not self._parent_alive():
            return
        dialog = QProgressDialog(self._label, "", 0, 0, self._parent)
        dialog.setCancelButton(None)
        dialog.setWindowModality(Qt.WindowModality.WindowModal)
        dialog.setMinimumDuration(0)
        dialog.setWindowTitle(self._label)
        dialog.show()
        self._progress = dialog

    def _close_progress(self) -> None:
        if self._progress is not None and shiboken6.isValid(self._progress):
            self._progress.close()
            self._progress.deleteLater()
        self._progress = None

    def _deliver_result(self, result: object) -> None:
        self._finish(lambda: self._on_success(result) if self._on_success else None)

    def _deliver_error(self, error: BaseException) -> None:
        def report() -> None:
            if self._on_failure is not None:
                self._on_failure(error)
                return
            from ui.errors import show_error

            show_error(self._parent if self._parent_alive() else None, error)

        self._finish(report)

    def _finish(self, callback: Callable[[], None]) -> None:
        self._running = False
        self._close_progress()
        try:
            if self._parent is None or self._parent_alive():
                callback()
        finally:
            _active.discard(self)
            self.finished.emit()
