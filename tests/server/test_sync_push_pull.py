"""Sync push and pull against a real server on 127.0.0.1, on SQLite and on PostgreSQL.

Exactly once under retries, unique increasing seq, paging that never skips or repeats, two
devices pushing while a third pulls, field state by last-writer-wins, the pull cursor past a
device's own changes.
"""

from __future__ import annotations

import threading
import uuid

import pytest
from sqlalchemy import func, select

from liaison_desktop.server import accounts
from liaison_desktop.server.routes.sync import INLINE_PULL_ROWS
from liaison_desktop.server.sync_models import SyncChange, SyncField, SyncStream
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.protocol import Role
from tests.server.support import ThreadedServer
from tests.server.sync_support import change, chunks, client_record, enrol, hlc, pull_all


@pytest.fixture
def live(app):
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def team(db):
    org = accounts.create_org(db, "Jeugdhulp Noord").id
    return accounts.create_team(db, org, "Basisteam Oost").id


@pytest.fixture
def user(db, team):
    return accounts.create_user(db, team, Role.PROFESSIONAL, "Fatima").id


@pytest.fixture
def laptops(db, live, user):
    made = [enrol(db, live.url, user, f"laptop {i}") for i in range(3)]
    yield made
    for laptop in made:
        laptop.close()


def batch_of(n: int, node: str) -> list:
    key = fieldcrypt.new_vault_key()
    out: list = []
    while len(out) < n:
        out.extend(client_record(key, "Sanne", "de Vries", node))
    return out[:n]


def test_a_batch_sent_three_times_is_stored_once(db, laptops):
    a, b, _ = laptops
    batch = batch_of(250, a.device_id)
    replies = [a.api.push(a.device_id, batch, batch_id="b1") for _ in range(3)]
    assert (replies[0].stored, replies[0].duplicates) == (250, 0)
    for again in replies[1:]:
        assert (again.stored, again.duplicates, again.quarantined) == (0, 250, ())
        assert again.head == replies[0].head == 250
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(SyncChange)).scalar() == 250
        seqs = s.execute(select(SyncChange.seq).order_by(SyncChange.seq)).scalars().all()
        assert seqs == list(range(1, 251))
        assert s.execute(select(SyncStream.last_seq)).scalar() == 250
    got, cursor = pull_all(b)
    assert [c.id for c in got] == [c.id for c in batch] and cursor == 250
    assert [c.s for c in got] == list(range(1, 251))
    # The same change twice within one batch counts once.
    one = change("trajectory", str(uuid.uuid4()), "status", "open", a.device_id)
    reply = a.api.push(a.device_id, [one, one], batch_id="b2")
    assert (reply.stored, reply.duplicates) == (1, 1)


@pytest.mark.parametrize("limit", [1, 7, 5000])
def test_paging_never_skips_or_repeats(laptops, limit):
    a, b, _ = laptops
    n = 60 if limit == 1 else 523
    batch = batch_of(n, a.device_id)
    for part in chunks(batch, 100):
        a.api.push(a.device_id, part, batch_id=str(uuid.uuid4()))
    got, cursor = pull_all(b, limit=limit)
    assert [c.id for c in got] == [c.id for c in batch]
    seqs = [c.s for c in got]
    assert seqs == sorted(set(seqs)) and cursor == seqs[-1]
    # The values come back as sent, ciphertext included.
    assert {c.id: c.v for c in got} == {c.id: c.v for c in batch}
    # Nothing more after the cursor; a device never gets its own changes back.
    again = b.api.pull(cursor, limit)
    assert again.changes == () and not again.more and again.next == cursor
    own, own_cursor = pull_all(a)
    assert own == [] and own_cursor == cursor


@pytest.mark.parametrize("limit", [INLINE_PULL_ROWS, INLINE_PULL_ROWS + 1, 5000])
def test_a_page_from_the_middle_is_whole_beyond_the_rows_read_on_the_event_loop(laptops, limit):
    """A pull after the start reads at most INLINE_PULL_ROWS on the event loop (SQLite); a
    bigger page is read again on a worker thread and comes back whole, in order."""
    a, b, _ = laptops
    batch = batch_of(INLINE_PULL_ROWS * 3, a.device_id)
    a.api.push(a.device_id, batch, batch_id=str(uuid.uuid4()))
    page = b.api.pull(1, limit)
    want = batch[1 : 1 + limit]
    assert [c.id for c in page.changes] == [c.id for c in want]
    assert [c.s for c in page.changes] == list(range(2, 2 + len(want)))
    assert page.more == (limit < len(batch) - 1)
    assert page.next == (page.changes[-1].s if page.more else len(batch))


def test_the_cursor_moves_past_own_changes_only(laptops):
    a, b, c = laptops
    first = a.api.push(a.device_id, batch_of(5, a.device_id), batch_id="x")
    assert first.head == 5
    mine = b.api.push(b.device_id, batch_of(5, b.device_id), batch_id="y", cursor=0)
    assert mine.more  # a's changes wait for b
    got, cursor = pull_all(b)
    assert len(got) == 5 and {g.s for g in got} == set(range(1, 6)) and cursor == 10
    later = b.api.push(b.device_id, batch_of(3, b.device_id), batch_id="z", cursor=cursor)
    assert not later.more and later.head == 13
    got_c, cursor_c = pull_all(c, limit=4)
    assert len(got_c) == 13 and cursor_c == 13


def test_two_devices_push_while_a_third_pulls(laptops):
    """Interleaved pushes of one user's two devices never let a concurrent puller skip."""
    a, b, c = laptops
    batches = {lap.device_id: list(chunks(batch_of(1200, lap.device_id), 40)) for lap in (a, b)}
    errors: list[BaseException] = []
    done = threading.Event()

    def pusher(lap) -> None:
        try:
            for i, part in enumerate(batches[lap.device_id]):
                lap.api.push(lap.device_id, part, batch_id=f"{lap.device_id}-{i}")
        except BaseException as exc:  # pragma: no cover - reported below
            errors.append(exc)

    seen: list = []
    cursor = 0

    def puller() -> None:
        nonlocal cursor
        try:
            while True:
                finished = done.is_set()
                page = c.api.pull(cursor, 25)
                seen.extend(page.changes)
                cursor = page.next
                if finished and not page.more:
                    return
        except BaseException as exc:  # pragma: no cover
            errors.append(exc)

    threads = [threading.Thread(target=pusher, args=(lap,)) for lap in (a, b)]
    reader = threading.Thread(target=puller)
    reader.start()
    for t in threads:
        t.start()
    for t in threads:
        t.join(120)
    done.set()
    reader.join(120)
    assert not errors, errors
    sent = {ch.id for parts in batches.values() for part in parts for ch in part}
    ids = [ch.id for ch in seen]
    assert len(ids) == len(set(ids)) == len(sent) == 2400
    assert set(ids) == sent
    assert [ch.s for ch in seen] == sorted(ch.s for ch in seen)
    assert cursor == 2400


def test_field_state_is_last_writer_wins_by_hlc(db, laptops, user):
    a, b, _ = laptops
    r = str(uuid.uuid4())
    newer = change("trajectory", r, "status", "closed", h=hlc(b.device_id, wall=2_000))
    older = change("trajectory", r, "status", "open", h=hlc(a.device_id, wall=1_000))
    same_wall = change("trajectory", r, "outcome", "x", h=hlc("node-a", wall=3_000))
    tie_later_node = change("trajectory", r, "outcome", "y", h=hlc("node-b", wall=3_000))
    b.api.push(b.device_id, [newer, tie_later_node], batch_id="1")
    a.api.push(a.device_id, [older, same_wall], batch_id="2")  # both lose, both stored
    with db.read() as s:
        state = {
            row.field: (row.value, row.hlc)
            for row in s.execute(
                select(SyncField).where(SyncField.user_id == user, SyncField.record_id == r)
            ).scalars()
        }
        assert s.execute(select(func.count()).select_from(SyncChange)).scalar() == 4
    assert state["status"] == ('"closed"', newer.h)
    assert state["outcome"] == ('"y"', tie_later_node.h)
    # Within one batch the newest of two values for one field wins, whatever the order.
    r2 = str(uuid.uuid4())
    late = change("trajectory", r2, "status", "closed", h=hlc("n", wall=9_000))
    early = change("trajectory", r2, "status", "open", h=hlc("n", wall=8_000))
    a.api.push(a.device_id, [late, early], batch_id="3")
    with db.read() as s:
        value = s.execute(select(SyncField.value).where(SyncField.record_id == r2)).scalar()
    assert value == '"closed"'


def test_a_professional_of_another_organisation_sees_nothing(db, live, laptops):
    a, _, _ = laptops
    a.api.push(a.device_id, batch_of(10, a.device_id), batch_id="1")
    org = accounts.create_org(db, "Ander").id
    team = accounts.create_team(db, org, "Team").id
    other = enrol(db, live.url, accounts.create_user(db, team, Role.PROFESSIONAL, "Piet").id)
    try:
        page = other.api.pull(0)
        assert page.changes == () and page.next == 0
    finally:
        other.close()


def test_a_conditional_push_stores_nothing_while_another_devices_change_waits(db, laptops):
    """``only_if_current``: stored only when no other device's change waits after the cursor
    (then the laptop may skip its pull); otherwise nothing at all is stored, not even the
    quarantine of a bad change in the batch, and the laptop pulls first."""
    a, b, _ = laptops
    first = batch_of(5, a.device_id)
    assert a.api.push(a.device_id, first, batch_id="a1").head == 5
    mine = batch_of(3, b.device_id)
    bad = change("client", str(uuid.uuid4()), "last_name", "Jansen", b.device_id)  # clear text
    stale = b.api.push(b.device_id, [*mine, bad], batch_id="b1", cursor=0, only_if_current=True)
    assert stale.conditional and stale.not_current and stale.more
    assert (stale.stored, stale.quarantined, stale.head) == (0, (), 5)
    with db.read() as s:
        assert s.execute(select(func.count()).select_from(SyncChange)).scalar() == 5
    # Its own earlier changes never count: after pulling up to 5 the push goes through.
    got, cursor = pull_all(b)
    assert len(got) == 5 and cursor == 5
    ok = b.api.push(b.device_id, mine, batch_id="b2", cursor=cursor, only_if_current=True)
    assert ok.conditional and not ok.not_current and not ok.more
    assert (ok.stored, ok.head) == (3, 8)
    again = b.api.push(
        b.device_id, batch_of(2, b.device_id), batch_id="b3", cursor=5, only_if_current=True
    )
    assert not again.not_current and again.head == 10  # 6-8 are b's own
    # Without the flag the push stores as before and only reports ``more``.
    plain = b.api.push(b.device_id, batch_of(1, b.device_id), batch_id="b4", cursor=0)
    assert not plain.conditional and plain.stored == 1 and plain.more
