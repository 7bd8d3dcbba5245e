"""The laptop sync engine against a real server on 127.0.0.1 (SQLite and PostgreSQL).

Two laptops of one user edit the same client offline and sync in either order: identical
state, the losing value kept as a conflict on both and restorable. Tampered or moved
ciphertext is refused on the laptop into its quarantine without blocking the rest.
"""

from __future__ import annotations

import json
import uuid

import pytest

from liaison_desktop.services import sync as syncsvc
from liaison_desktop.store import outbox
from liaison_desktop.sync import fieldcrypt
from liaison_desktop.sync.protocol import Change
from tests.server.conftest import (  # noqa: F401 - fixtures
    app,
    backend,
    db,
    pg_database,
    pg_url,
    settings,
    sqlite_template,
)
from tests.server.support import ThreadedServer
from tests.services.sync_helpers import (
    Clock,
    add_family,
    add_practice,
    laptop,
    pending,
    rename,
    state,
    sync,
)


@pytest.fixture
def live(app):  # noqa: F811
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def user(db):  # noqa: F811
    from tests.services.sync_helpers import new_user

    return new_user(db)


@pytest.fixture
def pair(tmp_path, db, live, user):  # noqa: F811
    clocks = (Clock(), Clock())
    a = laptop(tmp_path, db, live.url, user, "a", clocks[0])
    b = laptop(tmp_path, db, live.url, user, "b", clocks[1])
    yield a, b, clocks
    a.lock()
    b.lock()


def test_a_new_record_reaches_the_other_laptop_and_the_outbox_empties(pair):
    a, b, _ = pair
    practice = add_practice(a)
    client, _g, traj = add_family(a, practice)
    assert pending(a) > 20
    first = sync(a)
    assert first.pushed == pending(a) + first.pushed and pending(a) == 0
    got = sync(b)
    assert got.pulled == first.pushed
    assert state(a) == state(b)
    file = b.open_client(client.id)
    assert file.client.last_name == "Visser" and file.client.bsn == "111222333"
    assert file.trajectories[0].question == "Slaapt slecht sinds de verhuizing."
    assert file.contacts[0].note == "Gesprek over slapen."
    # Derived data was refreshed on the receiving laptop: search and the conversation count.
    assert [c.id for c in b.search_clients("visser")] == [client.id]
    rows = b.caseload()
    assert [(r.client_id, r.conversations) for r in rows] == [(client.id, 1)]
    # Nothing the receiving laptop applied goes back into its outbox.
    assert pending(b) == 0
    again = sync(b)
    assert (again.pulled, again.pushed, again.conflicts) == (0, 0, 0)


@pytest.mark.parametrize("first", ["a", "b"])
def test_two_laptops_edit_one_client_offline_and_converge_with_the_loser_kept(pair, first):
    a, b, clocks = pair
    practice = add_practice(a)
    client, _g, _t = add_family(a, practice)
    sync(a)
    sync(b)
    # Offline on both; b edits later, so b's value wins by HLC whatever the sync order.
    rename(a, client.id, "Visser-Aa")
    clocks[1].offset_ms += 1000
    rename(b, client.id, "Visser-Bee")
    order = [a, b, a, b] if first == "a" else [b, a, b, a]
    summaries = [sync(sv) for sv in order]
    assert sum(s.conflicts for s in summaries) == 1
    assert state(a) == state(b)
    for sv in (a, b):
        assert sv.open_client(client.id).client.last_name == "Visser-Bee"
        kept = syncsvc.conflicts_of(sv, client.id)
        assert [(k.table, k.field, k.value, k.resolved) for k in kept] == [
            ("client", "last_name", "Visser-Aa", False)
        ]
        assert pending(sv) == 0


def test_restoring_a_conflict_is_a_new_change_that_wins_everywhere(pair):
    a, b, clocks = pair
    practice = add_practice(a)
    client, _g, _t = add_family(a, practice)
    sync(a)
    sync(b)
    rename(a, client.id, "Visser-Aa")
    clocks[1].offset_ms += 1000
    rename(b, client.id, "Visser-Bee")
    sync(a)
    sync(b)
    sync(a)
    (kept,) = syncsvc.conflicts_of(a, client.id)
    changes = syncsvc.restore_conflict(a, kept.id)
    assert client.id in changes.client_ids
    assert a.open_client(client.id).client.last_name == "Visser-Aa"
    assert [c.id for c in a.search_clients("visser-aa")] == [client.id]
    sync(a)
    sync(b)
    assert b.open_client(client.id).client.last_name == "Visser-Aa"
    assert [k.resolved for k in syncsvc.conflicts_of(b, client.id)] == [True]
    assert state(a) == state(b)


def test_a_deleted_record_is_deleted_on_the_other_laptop(pair):
    a, b, _ = pair
    practice = add_practice(a)
    client, _g, _t = add_family(a, practice)
    sync(a)
    sync(b)
    a.destroy_client(client.id, confirmed=True)
    sync(a)
    sync(b)
    assert b.counts()["clients"] == 0 and b.counts()["contacts"] == 0
    assert state(a) == state(b)


def _rogue_push(live, user_db, user, changes):
    """Another device of the same user (or someone at the server) pushes crafted changes."""
    from tests.server.sync_support import enrol

    rogue = enrol(user_db, live.url, user, "rogue")
    try:
        reply = rogue.api.push(rogue.device_id, changes, batch_id=str(uuid.uuid4()))
    finally:
        rogue.close()
    return reply


def test_tampered_and_moved_ciphertext_is_refused_on_the_laptop(pair, live, db, user):  # noqa: F811
    a, b, _ = pair
    practice = add_practice(a)
    one, _g, _t = add_family(a, practice, "Sanne", "Visser")
    two, _g2, _t2 = add_family(a, practice, "Daan", "Bakker")
    sync(a)
    sync(b)
    key = syncsvc.local_vault_key(a)
    assert key is not None and syncsvc.local_vault_key(b) == key
    h = outbox.next_hlc("", "rogue", Clock(10_000)())
    good = fieldcrypt.encrypt_field(key, "client", one.id, "last_name", json.dumps("Visser-Nieuw"))
    moved = fieldcrypt.encrypt_field(key, "client", two.id, "last_name", json.dumps("Bakker"))
    flipped = bytearray(good.encode())
    flipped[-3] = ord("A") if flipped[-3] != ord("A") else ord("B")
    crafted = [
        # Daan's encrypted name moved onto Sanne's record: refused (associated data).
        Change(str(uuid.uuid4()), "client", one.id, "last_name", moved, h),
        # A ciphertext changed in one character: refused (authentication tag).
        Change(str(uuid.uuid4()), "client", one.id, "first_name", flipped.decode(), h),
        # A clear overview field in the same page still applies.
        Change(str(uuid.uuid4()), "client", one.id, "municipality", '"Dokkum"', h),
    ]
    reply = _rogue_push(live, db, user, crafted)
    assert reply.stored == 3
    got = sync(b)
    assert got.quarantined == 2
    c = b.open_client(one.id).client
    assert (c.first_name, c.last_name, c.municipality) == ("Sanne", "Visser", "Dokkum")
    with b.store.session() as s:
        refused = outbox.quarantined(s)
    assert sorted((q["field"], q["reason"], q["origin"]) for q in refused) == [
        ("first_name", "tampered", "pull"),
        ("last_name", "tampered", "pull"),
    ]
    # The quarantine's reasons and the error texts carry no name.
    assert "Bakker" not in json.dumps(refused)


DAY_MS = 86_400_000


def test_clocks_a_day_off_warn_and_the_hlc_never_runs_backwards(tmp_path, db, live, user):  # noqa: F811
    ahead, behind = Clock(DAY_MS), Clock(-DAY_MS)
    a = laptop(tmp_path, db, live.url, user, "ahead", ahead)
    b = laptop(tmp_path, db, live.url, user, "behind", behind)
    try:
        practice = add_practice(a)
        client, _g, _t = add_family(a, practice)
        got = sync(a, ahead)
        assert got.skew_warning and "voor" in got.skew_warning
        with a.store.session() as s:
            a_hlc = outbox.last_hlc(s)
        seen = sync(b, behind)
        assert seen.skew_warning and "achter" in seen.skew_warning
        # b observed a's timestamps a day ahead: its next edit sorts after them, although its
        # own wall clock is two days behind a's.
        rename(b, client.id, "Visser-Later")
        with b.store.session() as s:
            (mine,) = [c for c in outbox.pending_batch(s, 100) if c.field == "last_name"]
        assert mine.hlc > a_hlc
        sync(b, behind)
        sync(a, ahead)
        assert a.open_client(client.id).client.last_name == "Visser-Later"
        # Both offline, both edit: whatever the clocks, they converge and keep the loser.
        rename(a, client.id, "Van A")
        rename(b, client.id, "Van B")
        for sv, clock in ((a, ahead), (b, behind), (a, ahead), (b, behind)):
            sync(sv, clock)
        assert state(a) == state(b)
        kept = {k.value for k in syncsvc.conflicts_of(a, client.id)}
        assert len(kept) == 1 and kept <= {"Van A", "Van B"}
        assert a.store.meta(syncsvc.META_SKEW_WARNING)
    finally:
        a.lock()
        b.lock()


def test_a_child_before_its_parent_and_a_record_split_over_pages_wait_in_the_stash(
    pair,
    live,
    db,  # noqa: F811
    user,
):
    a, b, _ = pair
    add_practice(a)
    sync(a)
    sync(b)
    key = syncsvc.local_vault_key(a)
    client_id, guardian_id = str(uuid.uuid4()), str(uuid.uuid4())
    node = "rogue-device"
    t0 = Clock(5000)()

    def ch(t, r, f, value, i):
        text = json.dumps(value)
        if fieldcrypt.is_encrypted_field(t, f):
            text = fieldcrypt.encrypt_field(key, t, r, f, text)
        return Change(str(uuid.uuid4()), t, r, f, text, outbox.next_hlc("", node, t0 + i))

    guardian = [
        ch("guardian", guardian_id, f, v, i)
        for i, (f, v) in enumerate(
            [
                ("client_id", client_id),
                ("name", "Ouder Eerst"),
                ("relation", "moeder"),
                ("has_authority", True),
            ]
        )
    ]
    _rogue_push(live, db, user, guardian)
    got = sync(b)
    assert got.pulled == 4 and b.counts()["clients"] == 0
    with b.store.session() as s:
        waiting = s.connection().exec_driver_sql("SELECT DISTINCT tbl, record_id FROM sync_stash")
        waiting = [tuple(w) for w in waiting]
    assert waiting == [("guardian", guardian_id)]  # the guardian waits for its client
    practice_id = b.practices()[0].id
    client = [
        ch("client", client_id, f, v, 10 + i)
        for i, (f, v) in enumerate(
            [
                ("first_name", "Kind"),
                ("last_name", "Later"),
                ("date_of_birth", "2016-05-04"),
                ("practice_id", practice_id),
            ]
        )
    ]
    _rogue_push(live, db, user, client)
    sync(b, pull_limit=2)  # the client's fields arrive over two pages
    file = b.open_client(client_id)
    assert file.client.last_name == "Later"
    assert [g.name for g in file.guardians] == ["Ouder Eerst"]
    with b.store.session() as s:
        assert s.connection().exec_driver_sql("SELECT count(*) FROM sync_stash").scalar() == 0


def test_the_vault_key_is_wrapped_for_the_organisations_recovery_key(tmp_path, db, live):  # noqa: F811
    from liaison_desktop.server import accounts, sync_service
    from liaison_desktop.sync.protocol import Role
    from tests.services.sync_helpers import client_of

    org = accounts.create_org(db, "Jeugdhulp Zuid").id
    team = accounts.create_team(db, org, "Basisteam West").id
    user = accounts.create_user(db, team, Role.PROFESSIONAL, "Fatima").id
    a = laptop(tmp_path, db, live.url, user, "a")
    try:
        sync(a)  # the vault key is made; the organisation has no recovery key yet
        with client_of(a) as c:
            assert c.get_vault().recovery is None
        recovery = fieldcrypt.OrgRecoveryKeyPair.generate()
        sync_service.set_recovery_key(db, org, recovery.public_b64())
        sync(a)  # the next sync wraps the key for it (no passphrase needed)
        with client_of(a) as c:
            vault = c.get_vault()
        assert vault.recovery is not None
        key = fieldcrypt.unwrap_as_recipient(
            recovery.private_key, vault.recovery.blob(), context=vault.recovery.context
        )
        assert key == syncsvc.local_vault_key(a)
        # functioneel beheer can now read a departed colleague's caseload from the server.
        with pytest.raises(fieldcrypt.WrongWrappingKey):
            fieldcrypt.unwrap_as_recipient(
                fieldcrypt.OrgRecoveryKeyPair.generate().private_key,
                vault.recovery.blob(),
                context=vault.recovery.context,
            )
    finally:
        a.lock()


def test_two_colleagues_claim_one_room_and_the_later_claim_hears_it_with_alternatives(
    tmp_path,
    db,  # noqa: F811
    live,
):
    from datetime import datetime

    from liaison_desktop.domain import model as dm
    from tests.services.sync_helpers import new_user

    # Two professionals at one practice share its room (the same record ids on both laptops).
    practice = dm.Practice(name="Huisartsenpraktijk De Linde", id=str(uuid.uuid4()))
    room = dm.Room(practice.id, "Spreekkamer 3", id=str(uuid.uuid4()))
    first = laptop(tmp_path, db, live.url, new_user(db, "Fatima"), "fatima")
    second = laptop(tmp_path, db, live.url, new_user(db, "Joost"), "joost")
    try:
        claims = {}
        for sv in (first, second):
            sv.add_practice(practice)
            sv.add_room(room)
            claim = dm.Appointment(
                practice.id,
                datetime(2026, 12, 7, 10, 0),
                60,
                dm.AppointmentKind.CONVERSATION,
                room_id=room.id,
            )
            sv.add_appointment(claim)
            claims[sv] = claim
        # The first claim stands: confirmed in the same sync that pushed it.
        assert sync(first).rooms_confirmed == 1
        got = sync(second)  # the later claim on the same room and hour loses
        assert got.rooms_declined == 1
        (lost,) = got.declined_rooms
        assert lost["appointment_id"] == claims[second].id and lost["alternatives"]
        assert all(a[0] != "2026-12-07 10:00:00" for a in lost["alternatives"])
        with second.store.session() as s:
            state = (
                s.connection()
                .exec_driver_sql(
                    "SELECT room_state FROM appointment WHERE id = ?", (claims[second].id,)
                )
                .scalar()
            )
        assert state == "declined"
        again = sync(first)
        assert (again.rooms_confirmed, again.rooms_declined) == (0, 0)
        assert sync(second).rooms_declined == 0  # told once; the decline itself was synced
    finally:
        first.lock()
        second.lock()


def test_pages_fetched_ahead_on_a_second_connection_apply_in_order(pair):
    a, b, _ = pair
    practice = add_practice(a)
    for i in range(12):
        add_family(a, practice, "Kind", f"Vooruit{i}")
    sync(a)
    got = sync(b, pull_limit=37, prefetch=True)
    assert got.pulled > 37 * 5
    assert state(a) == state(b) and pending(b) == 0
    assert sync(b, prefetch=True).pulled == 0


def test_pages_that_arrived_together_apply_in_one_transaction_newest_value_winning(
    pair, monkeypatch
):
    import time

    a, b, clocks = pair
    practice = add_practice(a)
    families = [add_family(a, practice, "Kind", f"Samen{i}") for i in range(10)]
    sync(a)
    for i, (client, _g, _t) in enumerate(families):
        rename(a, client.id, f"Eerste{i}")
    sync(a)
    for i, (client, _g, _t) in enumerate(families):
        rename(a, client.id, f"Laatste{i}")  # a second version of the same fields, later
    sync(a)
    groups: list[int] = []
    original = syncsvc.SyncEngine.apply_pages

    def slow_apply(self, pages):  # noqa: ANN001
        groups.append(len(pages))
        time.sleep(0.05)  # the fetcher gets ahead, so later pages arrive together
        return original(self, pages)

    monkeypatch.setattr(syncsvc.SyncEngine, "apply_pages", slow_apply)
    got = sync(b, pull_limit=25, prefetch=True)
    assert max(groups) > 1 and sum(groups) < got.pulled / 25 + 1
    assert state(a) == state(b) and pending(b) == 0
    names = {c.last_name for c in b.search_clients("", limit=50)}
    assert {f"Laatste{i}" for i in range(10)} <= names
    assert not names & {f"Eerste{i}" for i in range(10)}
    assert got.conflicts == 0


def _requests_of_one_sync(sv, clock):
    """One sync of ``sv`` with the real client, recording the requests it made."""
    from tests.conftest import FAST_KDF, PASSPHRASE
    from tests.services.sync_helpers import client_of

    made: list[tuple[str, str]] = []
    with client_of(sv) as c:
        real = c.transport.request

        def recording(method, path, *args, **kwargs):
            path = path.split("?")[0]
            if path.endswith(("/sync/push", "/sync/pull")):  # the exchange, not the vault check
                made.append((method, path))
            return real(method, path, *args, **kwargs)

        c.transport.request = recording
        summary = syncsvc.sync_once(
            sv, c, passphrase=PASSPHRASE, vault_kdf=FAST_KDF, wall=clock, prefetch=False
        )
    return made, summary


def test_a_few_changes_with_nothing_new_on_the_server_take_one_round_trip(pair):
    """The conditional push: stored because nothing of the other laptop waited, so the cursor
    moves to the server's head without a pull; when the other laptop did change something,
    nothing is stored, the pull comes first and a losing local value is kept as a conflict."""
    from tests.services.sync_helpers import client_of

    a, b, clocks = pair
    practice = add_practice(a)
    client, _g, _t = add_family(a, practice)
    sync(a)
    sync(b)
    rename(a, client.id, "Visser-Een")
    made, summary = _requests_of_one_sync(a, clocks[0])
    assert [p for _m, p in made if "/sync/" in p] == ["/api/v1/sync/push"]
    assert summary.pushed == 1 and pending(a) == 0
    # The cursor moved to the head: a's own change is not fetched back, b's next one is.
    rename(b, client.id, "Visser-Twee")
    with client_of(a) as c:
        assert c.pull(0, 5000).changes == ()  # a's own changes only, so far
    sync(b)  # b had not seen "Visser-Een": b's later value wins, "Visser-Een" kept as conflict
    made, summary = _requests_of_one_sync(a, clocks[0])
    assert [p for _m, p in made if "/sync/" in p] == ["/api/v1/sync/pull"]
    assert summary.pulled >= 1 and pending(a) == 0
    assert a.open_client(client.id).client.last_name == "Visser-Twee"

    # Both edit offline; b's edit is later and reaches the server first.
    rename(a, client.id, "Visser-Drie")
    clocks[1].offset_ms += 1000
    rename(b, client.id, "Visser-Vier")
    sync(b)
    made, summary = _requests_of_one_sync(a, clocks[0])
    paths = [p for _m, p in made if "/sync/" in p]
    assert paths[:3] == ["/api/v1/sync/push", "/api/v1/sync/pull", "/api/v1/sync/push"]
    assert summary.conflicts == 1 and pending(a) == 0
    assert a.open_client(client.id).client.last_name == "Visser-Vier"
    kept = syncsvc.conflicts_of(a, client.id)
    assert ("last_name", "Visser-Drie") in [(k.field, k.value) for k in kept if not k.resolved]
    sync(b)
    assert state(a) == state(b)


def test_an_empty_sync_is_one_pull_and_its_bookkeeping_skips_the_fsync(pair):
    """Nothing to send and nothing new: one request, and the last commit (time of the sync)
    without its fsync. A sync whose push brought a refusal into the local quarantine keeps
    the fsync: that trace must survive a power cut."""
    a, b, clocks = pair
    practice = add_practice(a)
    add_family(a, practice)
    sync(a)
    sync(b)
    commits: list[bool] = []
    real_write = a.store.write

    def recording(*args, **kwargs):
        commits.append(kwargs.get("durable", True))
        return real_write(*args, **kwargs)

    a.store.write = recording
    try:
        made, summary = _requests_of_one_sync(a, clocks[0])
        assert made == [("GET", "/api/v1/sync/pull")]
        assert (summary.pushed, summary.pulled, summary.pending) == (0, 0, 0)
        assert commits[-1] is False
        before = syncsvc.status(a).last_sync_at
        assert before
        # A change the server refuses (a field it does not know): quarantined on both sides.
        with real_write() as s:
            s.connection().exec_driver_sql(
                "INSERT INTO sync_outbox (change_id, tbl, record_id, field, value, hlc) "
                "VALUES (?, 'client', ?, 'no_such_field', '\"x\"', ?)",
                (str(uuid.uuid4()), str(uuid.uuid4()), outbox.next_hlc("", "a", clocks[0]())),
            )
        commits.clear()
        made, summary = _requests_of_one_sync(a, clocks[0])
        assert summary.quarantined == 1 and summary.pending == 0
        assert commits[-1] is True
        with a.store.session() as s:
            assert [q["field"] for q in outbox.quarantined(s)] == ["no_such_field"]
    finally:
        a.store.write = real_write


def test_a_push_in_batches_moves_its_cursor_past_its_own_changes_only(pair, monkeypatch):
    """Each batch after the first is sent with the head of the reply before it (the server
    checks for other devices' changes from there, not from the start of this sync), and
    the stored cursor ends at the head. When the other laptop's change slips in between,
    the cursor stays before it from then on and the change is pulled in the same sync."""
    from liaison_desktop.sync.transport import ServerClient
    from tests.services.sync_helpers import client_of

    a, b, _clocks = pair
    a_device = a.store.meta(syncsvc.META_DEVICE_ID)
    practice = add_practice(a)
    for i in range(3):
        add_family(a, practice, f"Kind{i}", f"Gezin{i}")
    sync(b)
    sent: list[tuple[int | None, int, bool]] = []  # a's pushes: (cursor sent, head, more)
    before_second_batch = []  # run on a's second push, before it is sent
    real_push = ServerClient.push

    def recording(self, device_id, changes, **kw):
        if device_id == a_device:
            if len(sent) == 1 and before_second_batch:
                before_second_batch.pop()()
            reply = real_push(self, device_id, changes, **kw)
            sent.append((kw.get("cursor"), reply.head, reply.more))
            return reply
        return real_push(self, device_id, changes, **kw)

    monkeypatch.setattr(ServerClient, "push", recording)
    summary = sync(a, push_batch=10)
    assert summary.pushed > 30 and pending(a) == 0 and len(sent) >= 4
    for (_cursor, head, more), (next_cursor, _h, _m) in zip(sent, sent[1:], strict=False):
        assert not more and next_cursor == head
    with a.store.session() as s:
        cursor = outbox.cursor(s)
    assert cursor == sent[-1][1]
    with client_of(a) as c:  # nothing of a's own is gone over again
        page = c.pull(cursor, 5000)
    assert page.changes == () and page.next == cursor

    # b renames a client after a's first batch: a's next batches keep the cursor before it.
    sync(b)
    client = a.search_clients("Kind1", limit=1)[0]
    for i in range(3):
        add_family(a, practice, f"Later{i}", f"Gezin{i}")
    sent.clear()

    def b_changes_something() -> None:
        rename(b, client.id, "Gezin1-Nieuw")
        sync(b)

    before_second_batch.append(b_changes_something)
    summary = sync(a, push_batch=10)
    assert not before_second_batch and len(sent) >= 3
    assert sent[1][2]  # the second batch's reply: another device's change waits
    assert sent[1][0] == sent[0][1]  # sent after the first, clean batch: its head
    assert all(c == sent[1][0] for c, _h, _m in sent[2:])  # from then on: no further
    assert summary.pulled >= 1 and pending(a) == 0
    assert a.open_client(client.id).client.last_name == "Gezin1-Nieuw"
    sync(b)
    assert state(a) == state(b)


def test_pulled_clients_get_the_consent_badge_of_the_laptop_that_gave_the_consent(pair):
    """Applying pages clears and computes again the stored badge of the clients they touch:
    the same badge as on the laptop that registered the consent, however the client's
    records were split over pages."""
    from liaison_desktop.domain import model as dm
    from tests.services.sync_helpers import TODAY

    a, b, _ = pair
    practice = add_practice(a)
    made = []
    for i in range(4):
        client, guardians, _t = add_family(a, practice, f"Kind{i}", f"Gezin{i}")
        made.append(client.id)
        if i % 2 == 0:
            a.register_consent(
                dm.Consent(
                    client_id=client.id,
                    scope=dm.ConsentScope.NEIGHBOURHOOD_TEAM,
                    given_on=TODAY,
                    method=dm.ConsentMethod.SPOKEN,
                    guardian_ids=(guardians[0].id,),
                )
            )

    def badges(sv):
        with sv.store.session() as s:
            rows = s.connection().exec_driver_sql(
                "SELECT id, consent_badge, badge_until FROM client ORDER BY id"
            )
            return [tuple(r) for r in rows]

    sync(a)
    from liaison_desktop.store import repo

    with a.store.write() as s:  # what the badges should be, computed on a
        repo.refresh_client_badges(s, made)
    sync(b, pull_limit=7)  # a client's records over several pages
    got = badges(b)
    assert got == badges(a)
    assert len(got) == 4 and all(badge is not None for _id, badge, _u in got)
    assert len({badge for _id, badge, _u in got}) == 2  # with and without the consent
