"""Background operations: one serial database worker; results come back on the GUI thread.

Widgets never touch the database. They call ``ops.run(fn, success=..., failure=...)`` where
``fn(services, state)`` runs on the worker thread with the unlocked Services, and the callbacks
run on the GUI thread (Anki's CollectionOp/QueryOp and taskman pattern). Long work reports
progress through ``state.progress(done, total, text)`` and checks ``state.cancelled``
(Orange3's TaskState).
"""

from __future__ import annotations

import logging
import queue
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from PySide6.QtCore import QObject, Signal

from liaison_desktop.services.api import Changes, Result, Services

log = logging.getLogger(__name__)


class TaskState:
    """Handed to a running operation: report progress, see whether it was cancelled.

    May be called from the worker thread only.
    """

    def __init__(self, task: Task) -> None:
        self._task = task

    def progress(self, done: int, total: int, text: str = "") -> None:
        self._task._ops._sig_progress.emit(self._task, done, total, text)

    @property
    def cancelled(self) -> bool:
        return self._task._cancel.is_set()


@dataclass(eq=False)
class Task:
    """A queued operation; ``cancel()`` asks it to stop (it checks ``state.cancelled``)."""

    fn: Callable[[Services, TaskState], Any]
    success: Callable[[Any], None] | None
    failure: Callable[[BaseException], None] | None
    progress: Callable[[int, int, str], None] | None
    _ops: Ops
    _cancel: threading.Event = field(default_factory=threading.Event)
    done: bool = False

    def cancel(self) -> None:
        self._cancel.set()


_STOP = object()


class Ops(QObject):
    """The serial database worker. Create on the GUI thread; call ``run`` from the GUI thread."""

    sig_changes = Signal(object)
    """Emitted on the GUI thread with a :class:`Changes` after an operation that changed data."""

    sig_busy = Signal(bool)
    """Emitted on the GUI thread when the worker starts (True) or finishes (False) a queue."""

    sig_error = Signal(object)
    """Emitted on the GUI thread for an unexpected error of an operation without a failure handler."""

    _sig_done = Signal(object, object, object)  # task, result, exception
    _sig_progress = Signal(object, int, int, str)

    def __init__(self, services: Services | None = None, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self._services = services
        self._queue: queue.Queue[Any] = queue.Queue()
        self._pending = 0
        self._sig_done.connect(self._on_done)
        self._sig_progress.connect(self._on_progress)
        self._thread = threading.Thread(target=self._loop, name="liaison-db", daemon=True)
        self._thread.start()

    # -- GUI thread ----------------------------------------------------------------------

    @property
    def services(self) -> Services | None:
        return self._services

    def set_services(self, services: Services | None) -> None:
        """Swap the unlocked services (after unlock) or drop them (when locking)."""
        self._services = services

    @property
    def busy(self) -> bool:
        return self._pending > 0

    def run(
        self,
        fn: Callable[[Services, TaskState], Any],
        *,
        success: Callable[[Any], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        """Queue ``fn(services, state)`` on the worker; callbacks run on the GUI thread.

        When ``fn`` returns a :class:`Result` or :class:`Changes`, ``sig_changes`` is emitted
        before ``success`` runs.
        """
        task = Task(fn, success, failure, progress, self)
        self._pending += 1
        if self._pending == 1:
            self.sig_busy.emit(True)
        self._queue.put(task)
        return task

    def run_blocking(self, fn: Callable[[Services, TaskState], Any], timeout: float = 30.0) -> Any:
        """Run on the worker and wait (tests, shutdown); raises what ``fn`` raised."""
        box: dict[str, Any] = {}
        ev = threading.Event()

        def wrapped(services: Services, state: TaskState) -> None:
            try:
                box["value"] = fn(services, state)
            except BaseException as exc:  # noqa: BLE001 - handed back to the caller
                box["error"] = exc
            finally:
                ev.set()

        self.run(wrapped)
        if not ev.wait(timeout):
            raise TimeoutError("database worker did not answer")
        if "error" in box:
            raise box["error"]
        return box.get("value")

    def shutdown(self, timeout: float = 5.0) -> None:
        """Stop the worker after the queued operations (call before the services are locked)."""
        self._queue.put(_STOP)
        self._thread.join(timeout)

    def _on_done(self, task: Task, result: Any, exc: BaseException | None) -> None:
        task.done = True
        self._pending -= 1
        try:
            if exc is not None:
                if task.failure is not None:
                    task.failure(exc)
                else:
                    log.error("operation failed: %s", type(exc).__name__)
                    self.sig_error.emit(exc)
                return
            changes = result.changes if isinstance(result, Result) else result
            if isinstance(changes, Changes):
                self.sig_changes.emit(changes)
            if task.success is not None:
                task.success(result)
        finally:
            if self._pending == 0:
                self.sig_busy.emit(False)

    def _on_progress(self, task: Task, done: int, total: int, text: str) -> None:
        if task.progress is not None:
            task.progress(done, total, text)

    # -- worker thread -------------------------------------------------------------------

    def _loop(self) -> None:
        while True:
            task = self._queue.get()
            if task is _STOP:
                return
            result: Any = None
            error: BaseException | None = None
            services = self._services
            try:
                if task._cancel.is_set():
                    raise CancelledError()
                if services is None:
                    raise LockedError()
                result = task.fn(services, TaskState(task))
            except BaseException as exc:  # noqa: BLE001 - every error goes back to the GUI
                error = exc
            self._sig_done.emit(task, result, error)


class LockedError(Exception):
    """An operation was queued while the app was locked."""

    def __init__(self) -> None:
        super().__init__("De gegevens zijn vergrendeld.")


class CancelledError(Exception):
    """The operation was cancelled before it started."""

    def __init__(self) -> None:
        super().__init__("Geannuleerd.")
