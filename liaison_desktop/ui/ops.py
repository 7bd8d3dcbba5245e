"""Background operations: one serial database worker; results come back on the GUI thread.

Widgets never touch the database. They call ``ops.run(fn, success=..., failure=...)`` where
``fn(services, state)`` runs on the worker thread with the unlocked Services, and the callbacks
run on the GUI thread (Anki's CollectionOp/QueryOp and taskman pattern). Long work reports
progress through ``state.progress(done, total, text)`` and checks ``state.cancelled``
(Orange3's TaskState).

Unlocking and locking go through the same queue: ``ops.open(fn)`` runs ``fn(state)`` (the
key derivation) on the worker and installs the Services it returns; ``ops.close()`` lets the
queued operations finish, then drops and locks the Services. Results of operations that were
queued before a ``close()`` are discarded on the GUI thread, so nothing of a client reaches a
widget after locking.
"""

from __future__ import annotations

import logging
import queue
import sys
import threading
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QObject, Signal

if TYPE_CHECKING:
    from liaison_desktop.services.api import Services

log = logging.getLogger(__name__)

# Not imported here: services.api pulls in SQLAlchemy and the store (about half a second),
# which the unlock screen does not need. A Result or Changes can only exist once it is loaded.
_SERVICES_API = "liaison_desktop.services.api"


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
    kind: str = "run"  # "run" | "open" | "close"
    epoch: int = 0

    def cancel(self) -> None:
        self._cancel.set()


_STOP = object()
_RUN, _OPEN, _CLOSE = "run", "open", "close"


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
        self._epoch = 0  # bumped by close(); results of older operations are discarded
        self._sig_done.connect(self._on_done)
        self._sig_progress.connect(self._on_progress)
        self._thread = threading.Thread(target=self._loop, name="liaison-db", daemon=True)
        self._thread.start()

    # -- GUI thread ----------------------------------------------------------------------

    @property
    def services(self) -> Services | None:
        return self._services

    def set_services(self, services: Services | None) -> None:
        """Swap the services directly (tests, benchmarks); the app uses ``open`` and ``close``.

        Unlike ``close`` this neither waits for queued operations nor locks the old Services.
        """
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
        return self._enqueue(Task(fn, success, failure, progress, self))

    def open(
        self,
        fn: Callable[[TaskState], Services],
        *,
        success: Callable[[Services], None] | None = None,
        failure: Callable[[BaseException], None] | None = None,
        progress: Callable[[int, int, str], None] | None = None,
    ) -> Task:
        """Queue ``fn(state)`` (unlocking or creating a store) and install the Services it returns.

        The Services are installed on the worker thread before the next queued operation
        runs, so operations queued right after ``open`` see them.
        """
        return self._enqueue(
            Task(lambda _s, state: fn(state), success, failure, progress, self, kind=_OPEN)
        )

    def close(self, done: Callable[[Any], None] | None = None) -> Task:
        """Lock: queued operations still run, then the Services are dropped and locked.

        Results of operations queued before this call are discarded (their callbacks do not
        run), so no client data reaches a widget after locking. ``done`` runs on the GUI
        thread once the key has been dropped.
        """
        self._epoch += 1
        return self._enqueue(Task(lambda _s, _state: None, done, None, None, self, kind=_CLOSE))

    def _enqueue(self, task: Task) -> Task:
        task.epoch = self._epoch
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
            if task.epoch != self._epoch:
                # Queued before the app locked: the widget that asked is cleared already.
                log.debug("result of an operation from before locking discarded")
                return
            if exc is not None:
                if task.failure is not None:
                    task.failure(exc)
                else:
                    log.error("operation failed: %s", type(exc).__name__)
                    self.sig_error.emit(exc)
                return
            changes = _changes_of(result)
            if changes is not None:
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
                if task.kind == _CLOSE:
                    # Dropped only once locked: ``services is None`` means the key is gone.
                    try:
                        if services is not None:
                            services.lock()
                    finally:
                        self._services = None
                elif task._cancel.is_set():
                    raise CancelledError()
                elif task.kind == _OPEN:
                    if services is not None:  # never keep two keys in memory
                        self._services = None
                        services.lock()
                    result = task.fn(None, TaskState(task))  # type: ignore[arg-type]
                    self._services = result
                elif services is None:
                    raise LockedError()
                else:
                    result = task.fn(services, TaskState(task))
            except BaseException as exc:  # noqa: BLE001 - every error goes back to the GUI
                error = exc
            self._sig_done.emit(task, result, error)


def _changes_of(result: Any) -> Any:
    """The :class:`Changes` an operation returned (itself or inside a :class:`Result`), else None."""
    api = sys.modules.get(_SERVICES_API)
    if api is None or result is None:
        return None
    changes = result.changes if isinstance(result, api.Result) else result
    return changes if isinstance(changes, api.Changes) else None


class LockedError(Exception):
    """An operation was queued while the app was locked."""

    def __init__(self) -> None:
        super().__init__("De gegevens zijn vergrendeld.")


class CancelledError(Exception):
    """The operation was cancelled before it started."""

    def __init__(self) -> None:
        super().__init__("Geannuleerd.")
