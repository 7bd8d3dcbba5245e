"""The laptop's sync engine: pull and merge pages, push the outbox, keep the vault key.

One :func:`sync_once` runs the order of docs/sync-protocol.md: pull every page (decrypt,
merge per field by HLC, keep conflicts, quarantine what is refused; the cursor is stored in
the transaction that applies its page), push the outbox in batches of 1,000 (encrypting
identity and free-text fields with the vault key), and pull again when the server says more
arrived. Every step can be retried after any failure: the server stores a change id once and
applying a page twice changes nothing.

Long work is a plain function with a progress callback and a cancel flag (Orange3's
``TaskState``); the app runs it on a worker thread, never on the GUI thread.

Thread use: one sync at a time per store; it may run on any thread while the app's database
worker keeps writing (each step is its own short transaction).
"""

from __future__ import annotations

import base64
import gc
import json
import logging
import os
import queue
import random
import re
import threading
import time
import uuid
import weakref
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import partial
from typing import Any, Protocol

from liaison_desktop.domain import model as dm
from liaison_desktop.services.api import Changes, Services
from liaison_desktop.store import outbox, repo
from liaison_desktop.store.keys import KdfParams, derive_passphrase_key
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.hlc import HybridClock, Timestamp, skew_warning, wall_ms
from liaison_desktop.sync.merge import Outcome, decide, latest_per_field, valid_hlc
from liaison_desktop.sync.protocol import (
    DELETED_FIELD,
    Change,
    PulledChange,
    PullReply,
    PushReply,
    Vault,
    VaultPut,
    WrappedKey,
)
from liaison_desktop.sync.transport import (
    BadResponse,
    RateLimited,
    ServerClient,
    ServerError,
    ServerUnreachable,
    TransportError,
)

log = logging.getLogger(__name__)

META_DEVICE_ID = "sync.device_id"
META_VAULT_KEY = "sync.vault_key"
META_VAULT_KEY_ID = "sync.vault_key_id"
META_VAULT_PASSPHRASE_WRAPPED = "sync.vault_passphrase_wrapped"  # noqa: S105 - a meta key
META_VAULT_RECOVERY_WRAPPED = "sync.vault_recovery_wrapped"
META_VAULT_RECOVERY_CHECKED = "sync.vault_recovery_checked_at"
# A passphrase wrap made when the passphrase changed, still to be sent to the server.
META_VAULT_PASSPHRASE_PENDING = "sync.vault_passphrase_wrap_pending"  # noqa: S105 - a meta key
META_ROOMS_DECLINED = "sync.rooms_declined"
META_LAST_SYNC = "sync.last_sync_at"
META_LAST_ERROR = "sync.last_error"
META_SKEW_WARNING = "sync.skew_warning"

PUSH_BATCH = 1000
CONFIRM_EVERY = 5
PULL_LIMIT = 5000
PREFETCH_PAGES = 3
APPLY_GROUP_CHANGES = 20_000
BACKOFF_BASE_S = 1.0
BACKOFF_CAP_S = 300.0

RETRYABLE: tuple[type[BaseException], ...] = (
    ServerUnreachable,
    ServerError,
    BadResponse,
    RateLimited,
    TimeoutError,
    ConnectionError,
)


class SyncError(Exception):
    """A sync problem with a Dutch message that is safe to show (no client data)."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class VaultLocked(SyncError):
    """The vault key is not on this laptop yet and the passphrase is needed to get it."""

    def __init__(self) -> None:
        super().__init__(
            "Voor de eerste synchronisatie is de wachtwoordzin nodig om de kluissleutel te "
            "openen of te maken; synchroniseer eenmalig met 'liaison-desktop sync'."
        )


class SyncCancelled(SyncError):
    def __init__(self) -> None:
        super().__init__("De synchronisatie is afgebroken.")


class State(Protocol):
    """What a long sync reports to and asks of its caller (ui.ops.TaskState fits)."""

    def progress(self, done: int, total: int, text: str = "") -> None: ...

    @property
    def cancelled(self) -> bool: ...


class _NoState:
    def progress(self, done: int, total: int, text: str = "") -> None:
        pass

    @property
    def cancelled(self) -> bool:
        return False


@dataclass
class SyncSummary:
    """What one sync did; ``to_json`` is what the CLI prints."""

    pushed: int = 0
    pulled: int = 0
    conflicts: int = 0
    quarantined: int = 0
    resync: bool = False
    skew_warning: str | None = None
    pending: int = 0
    rooms_declined: int = 0
    rooms_confirmed: int = 0
    declined_rooms: list[dict[str, Any]] = field(default_factory=list)
    """Room claims that lost, each with ``alternatives``: free [start, end] times that day."""
    client_ids: set[str] = field(default_factory=set)

    def to_json(self) -> dict[str, Any]:
        return {
            "pushed": self.pushed,
            "pulled": self.pulled,
            "conflicts": self.conflicts,
            "quarantined": self.quarantined,
            "pending": self.pending,
            "resync": self.resync,
            "skew_warning": self.skew_warning,
            "rooms_declined": self.rooms_declined,
            "rooms_confirmed": self.rooms_confirmed,
        }

    @property
    def changes(self) -> Changes:
        """For the views: what the pulled changes touched."""
        if not self.pulled and not self.conflicts and not self.rooms_declined:
            return Changes(access_log=False)
        return Changes(
            clients=True,
            trajectories=True,
            consents=True,
            contacts=True,
            schedule=True,
            practices=True,
            client_ids=frozenset(self.client_ids),
        )


@contextmanager
def _young_gc_only() -> Iterator[None]:
    """No automatic full garbage collections while a sync runs.

    A large pull allocates millions of short-lived objects; Python's automatic collector then
    runs full collections over the whole heap, each holding the GIL (and so stalling the GUI
    thread) for 100 ms and more. Reference counting frees the pages; the loop collects the
    young generations itself after each page.
    """
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


# -- the vault key -----------------------------------------------------------------------


def _vault_context(key_id: str) -> str:
    return f"liaison-vault:v1:{key_id}"


def _kdf_text(kdf: KdfParams) -> str:
    return f"argon2id:m={kdf.memory_kib},t={kdf.iterations},p={kdf.lanes}"


def _parse_kdf(text: str) -> KdfParams:
    try:
        name, params = text.split(":", 1)
        values = dict(p.split("=", 1) for p in params.split(","))
        if name != "argon2id":
            raise ValueError
        return KdfParams(
            memory_kib=int(values["m"]), iterations=int(values["t"]), lanes=int(values["p"])
        )
    except (ValueError, KeyError):
        raise SyncError("De kluissleutel op de server heeft een onbekend formaat.") from None


def local_vault_key(services: Services) -> bytes | None:
    text = services.store.meta(META_VAULT_KEY)
    return bytes.fromhex(text) if text else None


def _passphrase_wrap(vault_key: bytes, key_id: str, passphrase: str, kdf: KdfParams) -> WrappedKey:
    salt = os.urandom(16)
    master = derive_passphrase_key(passphrase, salt, kdf)
    context = _vault_context(key_id)
    blob = fieldcrypt.wrap_with_key(master, vault_key, context=context)
    return WrappedKey.from_blob(
        blob, kdf=_kdf_text(kdf), kdf_salt=base64.b64encode(salt).decode(), context=context
    )


def _recovery_wrap(vault_key: bytes, key_id: str, public_b64: str | None) -> WrappedKey | None:
    if not public_b64:
        return None
    context = _vault_context(key_id)
    blob = fieldcrypt.wrap_for_recipient(
        fieldcrypt.public_key_from_b64(public_b64), vault_key, context=context
    )
    return WrappedKey.from_blob(blob, context=context)


def unwrap_vault(vault: Vault, passphrase: str) -> bytes:
    """The vault key from the server's passphrase wrap (raises SyncError on a wrong one)."""
    wrap = vault.passphrase
    if wrap is None or not vault.key_id:
        raise SyncError("Op de server staat nog geen kluissleutel.")
    kdf = _parse_kdf(wrap.kdf)
    master = derive_passphrase_key(passphrase, base64.b64decode(wrap.kdf_salt), kdf)
    try:
        return fieldcrypt.unwrap_with_key(
            master, wrap.blob(), context=wrap.context or _vault_context(vault.key_id)
        )
    except fieldcrypt.WrongWrappingKey:
        raise SyncError(
            "De kluissleutel op de server opent niet met deze wachtwoordzin. Gebruik de "
            "wachtwoordzin van de laptop waarmee je het eerst synchroniseerde."
        ) from None


RECOVERY_CHECK_S = 3600


def _add_recovery_wrap(services: Services, client: ServerClient, key: bytes, key_id: str) -> None:
    """Once the organisation has a recovery key, upload the vault key wrapped for it (checked
    at most hourly until done; needs no passphrase)."""
    store = services.store
    if store.meta(META_VAULT_RECOVERY_WRAPPED):
        return
    last = store.meta(META_VAULT_RECOVERY_CHECKED)
    if last and time.time() - float(last) < RECOVERY_CHECK_S:
        return
    vault = client.get_vault()
    if vault.recovery is None and vault.recovery_public_key and vault.key_id == key_id:
        client.put_vault(
            VaultPut(key_id, recovery=_recovery_wrap(key, key_id, vault.recovery_public_key))
        )
        store.set_meta(META_VAULT_RECOVERY_WRAPPED, "1")
    elif vault.recovery is not None:
        store.set_meta(META_VAULT_RECOVERY_WRAPPED, "1")
    else:
        store.set_meta(META_VAULT_RECOVERY_CHECKED, str(time.time()))


def rewrap_vault_for_passphrase(
    services: Services, new_passphrase: str, *, kdf: KdfParams | None = None
) -> bool:
    """After a passphrase change: wrap the vault key with the new passphrase now (the only
    moment the passphrase is known) and keep the wrap for the next sync to send, so that a new
    laptop unlocks the vault with the new passphrase. False when there is no vault key yet."""
    key = local_vault_key(services)
    key_id = services.store.meta(META_VAULT_KEY_ID) or ""
    if key is None or not key_id:
        return False
    wrap = _passphrase_wrap(key, key_id, new_passphrase, kdf or KdfParams())
    services.store.set_meta(META_VAULT_PASSPHRASE_PENDING, json.dumps(wrap.to_json()))
    return True


def _send_pending_passphrase_wrap(services: Services, client: ServerClient, key_id: str) -> None:
    raw = services.store.meta(META_VAULT_PASSPHRASE_PENDING)
    if not raw:
        return
    wrap = WrappedKey.from_json(json.loads(raw))
    client.put_vault(VaultPut(key_id, passphrase=wrap))
    services.store.set_meta(META_VAULT_PASSPHRASE_PENDING, "")
    services.store.set_meta(META_VAULT_PASSPHRASE_WRAPPED, "1")


def ensure_vault(
    services: Services,
    client: ServerClient,
    passphrase: str | None = None,
    *,
    kdf: KdfParams | None = None,
) -> bytes:
    """The user's vault key: from this store, else from the server (unwrapped with the
    passphrase), else a new one uploaded wrapped by the passphrase and the organisation's
    recovery key. A key made without a passphrase gets its passphrase wrap on the first
    sync that has one."""
    store = services.store
    kdf = kdf or KdfParams()
    key = local_vault_key(services)
    key_id = store.meta(META_VAULT_KEY_ID) or ""
    if key is not None:
        _send_pending_passphrase_wrap(services, client, key_id)
        _add_recovery_wrap(services, client, key, key_id)
        if passphrase and not store.meta(META_VAULT_PASSPHRASE_WRAPPED):
            vault = client.get_vault()
            client.put_vault(
                VaultPut(
                    key_id,
                    passphrase=_passphrase_wrap(key, key_id, passphrase, kdf),
                    recovery=None
                    if vault.recovery
                    else _recovery_wrap(key, key_id, vault.recovery_public_key),
                )
            )
            store.set_meta(META_VAULT_PASSPHRASE_WRAPPED, "1")
        return key
    vault = client.get_vault()
    if vault.key_id:
        if passphrase is None:
            raise VaultLocked()
        key = unwrap_vault(vault, passphrase)
        store.set_meta(META_VAULT_KEY, key.hex())
        store.set_meta(META_VAULT_KEY_ID, vault.key_id)
        store.set_meta(META_VAULT_PASSPHRASE_WRAPPED, "1")
        return key
    if passphrase is None:
        raise VaultLocked()
    key = fieldcrypt.new_vault_key()
    key_id = str(uuid.uuid4())
    client.put_vault(
        VaultPut(
            key_id,
            passphrase=_passphrase_wrap(key, key_id, passphrase, kdf),
            recovery=_recovery_wrap(key, key_id, vault.recovery_public_key),
        )
    )
    store.set_meta(META_VAULT_KEY, key.hex())
    store.set_meta(META_VAULT_KEY_ID, key_id)
    store.set_meta(META_VAULT_PASSPHRASE_WRAPPED, "1")
    if vault.recovery_public_key:
        store.set_meta(META_VAULT_RECOVERY_WRAPPED, "1")
    return key


# -- one sync ----------------------------------------------------------------------------


class _Prefetch:
    """Pages fetched in order on a thread of their own, at most ``PREFETCH_PAGES`` ahead.

    ``pull(after)`` fetches one page; the thread follows each page's ``next`` until the last
    page. A failure reaches the reader in its turn, after the pages fetched before it."""

    def __init__(self, pull: Callable[[int], PullReply], after: int) -> None:
        self._queue: queue.Queue[tuple[PullReply | None, BaseException | None]] = queue.Queue(
            PREFETCH_PAGES
        )
        self._back: list[PullReply] = []
        self._stop = threading.Event()
        self._thread = threading.Thread(
            target=self._run, args=(pull, after), name="liaison-sync-fetch", daemon=True
        )
        self._thread.start()

    def _run(self, pull: Callable[[int], PullReply], after: int) -> None:
        try:
            while not self._stop.is_set():
                page = pull(after)
                self._put((page, None))
                if not page.more or not page.changes:
                    return
                after = page.next
        except BaseException as exc:  # noqa: BLE001 - handed to the reader, raised there
            self._put((None, exc))

    def _put(self, item: tuple[PullReply | None, BaseException | None]) -> None:
        while not self._stop.is_set():
            try:
                self._queue.put(item, timeout=0.1)
                return
            except queue.Full:
                continue

    def ready(self) -> bool:
        return bool(self._back) or not self._queue.empty()

    def get(self) -> PullReply:
        if self._back:
            return self._back.pop()
        page, exc = self._queue.get()
        if exc is not None:
            raise exc
        assert page is not None  # noqa: S101 - a page or a failure, never neither
        return page

    def push_back(self, page: PullReply) -> None:
        self._back.append(page)

    def close(self) -> None:
        self._stop.set()
        while True:  # a put blocked on a full queue sees the stop within 0.1 s
            try:
                self._queue.get_nowait()
            except queue.Empty:
                break
        self._thread.join()


_DEVICE_IDS: weakref.WeakKeyDictionary[Any, str] = weakref.WeakKeyDictionary()


def _device_id(store: Any) -> str:
    """The store's device id ("" before enrolment). Set once at enrolment and never changed,
    so it is read from the store once per opened store, not at every sync."""
    known = _DEVICE_IDS.get(store)
    if known is None:
        known = store.meta(META_DEVICE_ID) or ""
        if known:
            _DEVICE_IDS[store] = known
    return known


@dataclass(slots=True)
class _Start:
    """What a sync reads before its first request, in one read transaction."""

    pending: int
    cursor: int
    provisional: bool
    batch: list[outbox.OutboxChange] | None
    """The whole outbox when it fits one push and no room claim waits, else None."""

    @classmethod
    def read(cls, s: Any, push_batch: int) -> _Start:
        pending = outbox.pending_count(s)
        provisional = outbox.has_provisional_rooms(s)
        batch = None
        if 0 < pending <= push_batch and not provisional:
            batch = outbox.pending_batch(s, push_batch)
        return cls(pending, outbox.cursor(s), provisional, batch)


class SyncEngine:
    """One sync of one store with the server (create per sync; cheap)."""

    def __init__(
        self,
        services: Services,
        client: ServerClient,
        *,
        vault_key: bytes,
        wall: Callable[[], int] = wall_ms,
        push_batch: int = PUSH_BATCH,
        pull_limit: int = PULL_LIMIT,
        state: State | None = None,
        prefetch: bool = False,
    ) -> None:
        self.services = services
        self.store = services.store
        self.client = client
        self.key = vault_key
        self.wall = wall
        self.push_batch = push_batch
        self.pull_limit = pull_limit
        self.state: State = state or _NoState()
        self.device_id = _device_id(self.store)
        if not self.device_id:
            raise SyncError("Deze laptop is nog niet aangemeld bij de server.")
        self.summary = SyncSummary()
        self._claims_pushed = False
        self._unconfirmed: list[tuple[list[outbox.OutboxChange], PushReply]] = []
        # Set when a conditional push showed nothing new after the cursor: the cursor to store.
        self._cursor_after_push: int | None = None
        self.prefetch = prefetch
        self._client2: ServerClient | None = None

    def run(self) -> SyncSummary:
        with _young_gc_only():
            with self.store.session() as s:
                start = _Start.read(s, self.push_batch)
            if self._push_first(start):
                more = False  # nothing of other devices waited: no pull needed
            else:
                more = self.pull_all(start)
                # What this sync pushes is the outbox as it was when it started (in the app
                # no local change commits during a sync: both run on the database worker).
                if start.pending:
                    more = self.push_all() or more
            if more or self._claims_pushed:
                # Others' changes arrived meanwhile, or the server can now arbitrate the
                # room claims just pushed: the answer comes with this sync, not the next.
                self._flush_confirmations()
                self.pull_all()
            if self.summary.rooms_declined or self.summary.rooms_confirmed:
                self._flush_confirmations()
                self.push_all()  # the verdicts are local changes too: send them now
            # One small transaction for the last confirmations and the bookkeeping. It need
            # not survive a power cut: lost, the changes are sent again (the server ignores
            # them) or pulled again (applying is idempotent). A local quarantine entry must.
            durable = any(reply.quarantined for _batch, reply in self._unconfirmed)
            with self.store.write(durable=durable) as s:
                self._store_confirmations(s)
                self.summary.pending = outbox.pending_count(s)
                outbox.set_meta_values(
                    s,
                    {
                        META_LAST_SYNC: datetime.now(UTC).isoformat(timespec="seconds"),
                        META_SKEW_WARNING: self.summary.skew_warning or "",
                        META_LAST_ERROR: "",
                    },
                )
        return self.summary

    def _push_first(self, start: _Start) -> bool:
        """A few local changes: push them in one conditional request that the server stores
        only when no other device's change waits after our cursor. Stored: nothing was missed,
        so the cursor moves to the server's head and no pull is needed (one round trip).
        Not stored: False, and the normal order (pull first, then push) follows, so that a
        local value that loses still becomes a visible conflict."""
        batch, total, cursor = start.batch, start.pending, start.cursor
        if batch is None or len(batch) != total:
            # None: many changes, or room claims the pull must arbitrate; a shorter batch:
            # rows of a transaction not yet stamped. Either way: the normal order.
            return False
        self._check()
        reply = self.client.push(
            self.device_id,
            [self._wire(c) for c in batch],
            batch_id=str(uuid.uuid4()),
            cursor=cursor,
            only_if_current=True,
        )
        if reply.conditional and reply.not_current:
            return False
        self._unconfirmed.append((batch, reply))
        if not reply.conditional:
            return False  # an older server stored it anyway: the pull that follows catches up
        self._cursor_after_push = reply.head
        self.state.progress(len(batch), total, "versturen")
        return True

    def _flush_confirmations(self) -> None:
        """Write the confirmations and a cursor moved by a push now (a pull follows)."""
        if self._unconfirmed or self._cursor_after_push is not None:
            with self.store.write() as s:
                self._store_confirmations(s)

    def _store_confirmations(self, s: Any) -> None:
        """The cursor a push moved, then the confirmations (a resync among them resets the
        cursor to 0 after it), in the caller's transaction."""
        if self._cursor_after_push is not None:
            outbox.set_cursor(s, self._cursor_after_push)
            self._cursor_after_push = None
        if self._unconfirmed:
            self._confirm(self._unconfirmed, s)
            self._unconfirmed = []

    def _check(self) -> None:
        if self.state.cancelled:
            raise SyncCancelled()

    def _skew(self, server_ms: int) -> None:
        warning = skew_warning(server_ms, self.wall())
        if warning:
            self.summary.skew_warning = warning

    # -- pull

    def pull_all(self, start: _Start | None = None) -> bool:
        """Pull every page after the stored cursor; returns False (nothing more to pull).

        ``start``: the cursor and room claims as ``run`` just read them (else read here).
        With ``prefetch`` the pages after the first are fetched on a second connection and
        thread, up to ``PREFETCH_PAGES`` ahead, while the ones fetched are applied (the
        server's time overlaps the work here); the pages that have arrived by then are
        applied together, in one transaction of at most ``APPLY_GROUP_CHANGES`` changes.
        """
        if start is None:
            with self.store.session() as s:
                after = outbox.cursor(s)
                bookings = outbox.has_provisional_rooms(s)
        else:
            after, bookings = start.cursor, start.provisional
        # bookings: ask the server to arbitrate shared rooms only while a claim waits for it.
        restarted = False
        ahead: _Prefetch | None = None
        try:
            while True:
                self._check()
                if ahead is not None:
                    page = ahead.get()
                else:
                    page = self.client.pull(after, self.pull_limit, bookings=bookings)
                if page.resync and not restarted and after != 0:
                    # The server asks for everything again: applying is idempotent.
                    restarted = True
                    self.summary.resync = True
                    after = 0
                    if ahead is not None:
                        ahead.close()
                        ahead = None
                    with self.store.write() as s:
                        outbox.set_cursor(s, 0)
                    continue
                if self.prefetch and ahead is None and page.more and page.changes:
                    fetch = partial(
                        self._second_client().pull, limit=self.pull_limit, bookings=bookings
                    )
                    ahead = _Prefetch(fetch, page.next)
                group = [page]
                size = len(page.changes)
                while (
                    ahead is not None
                    and group[-1].more
                    and group[-1].changes
                    and size < APPLY_GROUP_CHANGES
                    and ahead.ready()
                ):
                    following = ahead.get()
                    if following.resync and not restarted:
                        ahead.push_back(following)  # the loop above decides on it
                        break
                    group.append(following)
                    size += len(following.changes)
                last = group[-1]
                for each in group:
                    if bookings and not each.more:
                        self._bookings(each)
                    self._skew(each.server_time_ms)
                if size or last.next != after:
                    self.apply_pages(group)
                after = last.next
                done = not last.more or not last.changes
                del page, group, each, last
                gc.collect(1)  # the young generations only: a few ms, never the whole heap
                self.state.progress(self.summary.pulled, 0, "ophalen")
                if done:
                    return False
        finally:
            if ahead is not None:
                ahead.close()

    def _second_client(self) -> ServerClient:
        if self._client2 is None:
            import copy

            transport = copy.copy(self.client.transport)
            transport._conn = None  # its own connection, same address, token and TLS
            self._client2 = ServerClient(transport)
        return self._client2

    def close(self) -> None:
        if self._client2 is not None:
            self._client2.close()
            self._client2 = None

    def _bookings(self, page: PullReply) -> None:
        """Room claims the server arbitrated: the loser's appointment is declined (a local
        change, synced on), with the room's free times that day kept for the user."""
        if not page.booking_conflicts and not page.bookings_confirmed:
            return
        lost = [
            {
                "appointment_id": c.appointment_id,
                "room_id": c.room_id,
                "start": c.start,
                "end": c.end,
                "alternatives": [[a.start, a.end] for a in c.alternatives],
            }
            for c in page.booking_conflicts
        ]
        with self.store.write() as s:
            declined = outbox.set_room_states(
                s, [c["appointment_id"] for c in lost], dm.RoomBookingState.DECLINED.value
            )
            confirmed = outbox.set_room_states(
                s, list(page.bookings_confirmed), dm.RoomBookingState.CONFIRMED.value
            )
            if lost:
                outbox.set_meta_values(s, {META_ROOMS_DECLINED: json.dumps(lost)})
        self.summary.rooms_declined += declined
        self.summary.rooms_confirmed += confirmed
        self.summary.declined_rooms.extend(lost)

    def apply_pages(self, pages: list[PullReply]) -> None:
        """Apply consecutive pages and store the last one's cursor, in one transaction (one
        commit writes each changed database page once, however many pulled pages touch it).
        They merge as one: per field only the newest value counts, as applying them in turn
        would leave it."""
        with self.store.write() as s:
            if len(pages) == 1:
                self._apply(s, pages[0].changes)
            else:
                self._apply(s, [c for p in pages for c in p.changes])
            outbox.set_cursor(s, pages[-1].next)

    def _apply(self, s: Any, changes: Iterable[PulledChange]) -> None:
        decrypt = fieldcrypt.FieldDecrypter(self.key)
        decoded: list[tuple[tuple[str, str, str], str, object]] = []
        quarantined = 0
        known_fields, encrypted = _APPLY_FIELDS, _ENCRYPTED
        hlc_ok: dict[str, bool] = {}  # the fields of one transaction share their HLC
        loads, constants, plain = json.loads, _JSON_CONSTANTS, _PLAIN_JSON_STRING.fullmatch
        for ch in changes:
            t, f, h = ch.t, ch.f, ch.h
            if (t, f) not in known_fields:
                continue  # a newer laptop's field: ignored here, kept on the server
            reason = None
            text = ch.v
            ok = hlc_ok.get(h)
            if ok is None:
                ok = hlc_ok[h] = valid_hlc(h)
            if not ok:
                reason = "malformed"
            elif (t, f) in encrypted:
                try:
                    text = decrypt(t, ch.r, f, text)
                except fieldcrypt.TamperedValue:
                    reason = "tampered"
            value: Any = None
            if reason is None:
                # Most values are true/false/null or a string without escapes: read those
                # directly (json.loads would give the same), the rest by json.loads.
                if text in constants:
                    value = constants[text]
                elif plain(text):
                    value = text[1:-1]
                else:
                    try:
                        value = loads(text)
                    except ValueError:
                        reason = "malformed"
            if reason is not None:
                outbox.quarantine(
                    s,
                    change_id=ch.id,
                    origin="pull",
                    table=t,
                    rid=ch.r,
                    field=f,
                    value=ch.v,
                    hlc=h,
                    reason=reason,
                )
                quarantined += 1
                log.warning("pulled change refused: %s (%s.%s)", reason, t, f)
                continue
            decoded.append(((t, ch.r, f), h, (text, value)))
        self.summary.quarantined += quarantined
        if not decoded:
            return
        latest = latest_per_field(decoded)
        self.summary.pulled += len(decoded)
        rids = {k[1] for k in latest}
        clocks = outbox.record_clocks(s, rids)
        local = outbox.flat_clocks(clocks)
        pending = outbox.pending_values(s, rids)
        records: dict[tuple[str, str], dict[str, tuple[Any, str]]] = {}
        deletes: list[tuple[str, str]] = []
        new_hlcs: list[tuple[tuple[str, str, str], str]] = []
        conflicts: list[dict[str, Any]] = []
        newest = ""
        kind = outbox.KIND
        for k, (h, payload) in latest.items():
            t, rid, f = k
            if h > newest:
                newest = h
            text, value = payload  # type: ignore[misc]
            if f == DELETED_FIELD:
                if local.get(k) is None or h > local[k]:
                    deletes.append((t, rid))
                    new_hlcs.append((k, h))
                continue
            if (t, rid, DELETED_FIELD) in local:
                continue  # the record was deleted: later field changes do not revive it
            p = pending.get(k)
            if p is None and k not in local:
                # Never seen here and nothing local waits: decide() would say APPLY.
                if value is not None and kind.get((t, f)) == "bool":
                    value = 1 if value else 0
                records.setdefault((t, rid), {})[f] = (value, h)
                new_hlcs.append((k, h))
                continue
            d = decide(
                h,
                local.get(k),
                local_pending=p is not None,
                same_value=p is not None and p.value == text,
                derived=(t, f) in outbox.DERIVED,
            )
            if d.applies:
                if value is not None and kind.get((t, f)) == "bool":
                    value = 1 if value else 0
                records.setdefault((t, rid), {})[f] = (value, h)
                new_hlcs.append((k, h))
            if d.outcome is Outcome.APPLY_LOCAL_LOST and p is not None:
                conflicts.append(
                    dict(table=t, rid=rid, field=f, value=p.value, loser_hlc=p.hlc, winner_hlc=h)
                )
            elif d.outcome is Outcome.SKIP_REMOTE_LOST and p is not None:
                conflicts.append(
                    dict(table=t, rid=rid, field=f, value=text, loser_hlc=h, winner_hlc=p.hlc)
                )
        with outbox.applying(s):
            report = outbox.apply_records(s, records, deletes)
            outbox.set_field_hlcs(s, new_hlcs, known=clocks)
            if report.trajectory_ids:
                repo.refresh_conversation_counts(s, report.trajectory_ids)
            # repo.touch_client_file for many clients at once (retention clock, badge cleared).
            outbox.touch_clients(s, report.client_ids)
            if report.client_ids:
                repo.refresh_client_badges(s, report.client_ids)
        for c in conflicts:
            client_id = outbox.client_of(s, c["table"], c["rid"])
            if outbox.record_conflict(s, client_id=client_id, **c):
                self.summary.conflicts += 1
                if client_id:
                    report.client_ids.add(client_id)
        self.summary.client_ids |= report.client_ids
        if newest:
            self._observe(s, newest)

    def _observe(self, s: Any, remote: str) -> None:
        last = outbox.last_hlc(s)
        node = outbox.node_of(s)
        clock = HybridClock(node, last=Timestamp.decode(last) if last else None, clock=self.wall)
        clock.observe(Timestamp.decode(remote))
        outbox.persist_hlc(s, clock.last.encode())

    # -- push

    def _wire(self, c: outbox.OutboxChange) -> Change:
        v = c.value
        if c.table == "appointment" and c.field in ("room_id", "start", "duration_min"):
            self._claims_pushed = True
        if fieldcrypt.is_encrypted_field(c.table, c.field):
            v = fieldcrypt.encrypt_field(self.key, c.table, c.record_id, c.field, v)
        return Change(c.change_id, c.table, c.record_id, c.field, v, c.hlc)

    def push_all(self) -> bool:
        """Push the outbox in batches; returns whether other devices' changes wait.

        Confirmations are written a few batches at a time (one commit, one fsync): a
        confirmation lost in a crash only means those changes are sent again, which the
        server ignores.

        A reply without ``more`` says that up to its ``head`` the stream holds only this
        device's changes after the cursor sent, so the next batch is sent with that head as
        its cursor: the server then checks from there instead of going over everything this
        sync pushed so far (quadratic in the number of batches of a first push). Without
        ``more`` (and without a resync) to the end, run() stores that head as the cursor:
        the next pull starts after this device's own changes.
        """
        more = False
        total = 0  # counted with the first batch (for the progress shown)
        after = 0
        sent_cursor: int | None = None  # the head of the last reply while nothing else waits
        resync = False
        confirmed: list[tuple[list[outbox.OutboxChange], PushReply]] = []
        finished = False
        try:
            while True:
                self._check()
                with self.store.session() as s:
                    batch = outbox.pending_batch(s, self.push_batch, after)
                    if batch:
                        cursor = outbox.cursor(s) if sent_cursor is None else sent_cursor
                        total = total or outbox.pending_count(s)
                if not batch:
                    finished = True
                    if sent_cursor is not None and not more and not resync:
                        self._cursor_after_push = sent_cursor
                    # run() writes these with its bookkeeping, in one commit.
                    self._unconfirmed.extend(confirmed)
                    confirmed = []
                    return more
                reply = self.client.push(
                    self.device_id,
                    [self._wire(c) for c in batch],
                    batch_id=str(uuid.uuid4()),
                    cursor=cursor,
                )
                confirmed.append((batch, reply))
                if len(confirmed) >= CONFIRM_EVERY:
                    self._confirm(confirmed)
                    confirmed = []
                after = batch[-1].seq
                more = more or reply.more
                resync = resync or reply.resync
                if not more and reply.head > 0 and reply.head >= cursor:
                    sent_cursor = reply.head
                self.state.progress(self.summary.pushed, total, "versturen")
        finally:
            if confirmed and not finished:
                self._confirm(confirmed)

    def _confirm(
        self, done: list[tuple[list[outbox.OutboxChange], PushReply]], s: Any = None
    ) -> None:
        if s is None:
            with self.store.write() as session:
                self._confirm(done, session)
            return
        for batch, reply in done:
            self._skew(reply.server_time_ms)
            refused = {q.id: q.reason for q in reply.quarantined}
            for c in batch:
                reason = refused.get(c.change_id)
                if reason is not None:
                    outbox.quarantine(
                        s,
                        change_id=c.change_id,
                        origin="push",
                        table=c.table,
                        rid=c.record_id,
                        field=c.field,
                        value=c.value,
                        hlc=c.hlc,
                        reason=reason[:64],
                    )
            outbox.remove(s, [c.change_id for c in batch])
            if reply.resync:
                self.summary.resync = True
                outbox.set_cursor(s, 0)
            self.summary.pushed += len(batch) - len(refused)
            self.summary.quarantined += len(refused)


_JSON_CONSTANTS: dict[str, Any] = {"true": True, "false": False, "null": None}
_PLAIN_JSON_STRING = re.compile(r'"[^"\\\x00-\x1f]*"')
"""A JSON string without escapes (its value is the text between the quotes)."""

# What a pulled change may name: a synced column, a virtual field, or a table's tombstone.
_APPLY_FIELDS: frozenset[tuple[str, str]] = frozenset(
    set(outbox.KIND) | set(outbox.VIRTUAL) | {(t, DELETED_FIELD) for t in outbox.SYNCED_COLUMNS}
)
_ENCRYPTED: frozenset[tuple[str, str]] = frozenset(
    (t, f) for t, fields in fieldcrypt.ENCRYPTED_FIELDS.items() for f in fields
)


def sync_once(
    services: Services,
    client: ServerClient,
    *,
    passphrase: str | None = None,
    state: State | None = None,
    wall: Callable[[], int] = wall_ms,
    vault_kdf: KdfParams | None = None,
    push_batch: int = PUSH_BATCH,
    pull_limit: int = PULL_LIMIT,
    prefetch: bool = True,
) -> SyncSummary:
    """One sync (no retries): vault key, pull, push, pull. Transport errors propagate."""
    key = ensure_vault(services, client, passphrase, kdf=vault_kdf)
    engine = SyncEngine(
        services,
        client,
        vault_key=key,
        wall=wall,
        push_batch=push_batch,
        pull_limit=pull_limit,
        state=state,
        prefetch=prefetch,
    )
    try:
        return engine.run()
    except TransportError as exc:
        services.store.set_meta(META_LAST_ERROR, type(exc).__name__)
        raise
    finally:
        engine.close()


def backoff_delay(failures: int, *, rng: random.Random | None = None) -> float:
    """Seconds before retry number ``failures`` (1 s doubling to 5 min, with full jitter
    on the upper half so that many laptops do not retry in step)."""
    if failures <= 0:
        return 0.0
    ceiling = min(BACKOFF_CAP_S, BACKOFF_BASE_S * 2 ** (failures - 1))
    r = (rng or random).random()
    return ceiling / 2 + r * ceiling / 2


def sync_with_retry(
    services: Services,
    client_factory: Callable[[], ServerClient],
    *,
    attempts: int = 5,
    sleep: Callable[[float], None] = time.sleep,
    delay: Callable[[int], float] = backoff_delay,
    **kwargs: Any,
) -> SyncSummary:
    """:func:`sync_once` retried after retryable failures (offline, server trouble) with
    exponential backoff; every retry resumes where the failed one stopped. The summary
    adds up the attempts."""
    total = SyncSummary()
    last: BaseException | None = None
    for attempt in range(1, attempts + 1):
        client = client_factory()
        try:
            with client:
                part = sync_once(services, client, **kwargs)
            _add(total, part)
            total.pending, total.skew_warning = part.pending, part.skew_warning
            return total
        except RETRYABLE as exc:
            last = exc
            log.info("sync attempt %d failed: %s", attempt, type(exc).__name__)
            if attempt < attempts:
                sleep(delay(attempt))
    assert last is not None
    raise last


def _add(total: SyncSummary, part: SyncSummary) -> None:
    total.rooms_declined += part.rooms_declined
    total.rooms_confirmed += part.rooms_confirmed
    total.declined_rooms.extend(part.declined_rooms)
    total.pushed += part.pushed
    total.pulled += part.pulled
    total.conflicts += part.conflicts
    total.quarantined += part.quarantined
    total.resync = total.resync or part.resync
    total.client_ids |= part.client_ids


# -- what the app shows ------------------------------------------------------------------


@dataclass(frozen=True)
class SyncStatus:
    """For the status indicator: read on the database worker."""

    enrolled: bool
    pending: int
    last_sync_at: str | None
    last_error: str | None
    skew_warning: str | None
    quarantined: int


def status(services: Services) -> SyncStatus:
    store = services.store
    with store.session() as s:
        pending = outbox.pending_count(s)
        quarantined = outbox.quarantine_count(s)
    return SyncStatus(
        enrolled=bool(store.meta("sync.server_url")) and not store.meta("sync.revoked_at"),
        pending=pending,
        last_sync_at=store.meta(META_LAST_SYNC) or None,
        last_error=store.meta(META_LAST_ERROR) or None,
        skew_warning=store.meta(META_SKEW_WARNING) or None,
        quarantined=quarantined,
    )


# -- conflicts in the client file --------------------------------------------------------


@dataclass(frozen=True)
class ConflictItem:
    id: str
    table: str
    record_id: str
    field: str
    value: Any
    lost_at: datetime
    resolved: bool


def conflicts_of(services: Services, client_id: str) -> list[ConflictItem]:
    """The kept losing values of a client's file, newest first."""
    with services.store.session() as s:
        rows = outbox.conflicts_for(s, client_id)
    out = []
    for cid, t, rid, f, v, h, resolved in rows:
        try:
            value = json.loads(v)
        except ValueError:
            value = v
        lost = datetime.fromtimestamp(Timestamp.decode(h).wall / 1000, UTC)
        out.append(ConflictItem(cid, t, rid, f, value, lost, bool(resolved)))
    return out


def restore_conflict(services: Services, conflict_id: str) -> Changes:
    """Make a kept losing value current again: a new local change (synced like any other)."""
    with services.store.write() as s:
        row = outbox.get_conflict(s, conflict_id)
        if row is None:
            raise SyncError("Dit conflict bestaat niet (meer).")
        t, rid, f, v, client_id = row
        if not outbox.write_field(s, t, rid, f, v):
            raise SyncError("Het gegeven waar dit conflict bij hoort bestaat niet meer.")
        outbox.resolve_conflict(s, conflict_id)
        if client_id:
            repo.touch_client_file(s, client_id)
            services._log(s, dm.AccessAction.UPDATE, t, client_id, rid)
    ids = frozenset({client_id}) if client_id else frozenset()
    return Changes(clients=True, trajectories=True, consents=True, contacts=True, client_ids=ids)


def setup_vault(data_dir: Any, passphrase: str) -> None:
    """Open the store and fetch (or create) the vault key with the passphrase (after enroll)."""
    from liaison_desktop.services import enrolment, workspace

    services = workspace.open_workspace(data_dir, passphrase)
    try:
        with enrolment.server_client(services) as client:
            ensure_vault(services, client, passphrase)
    finally:
        services.lock()
