"""The access log: append-only in the database, hash-chained, and the first broken link reported."""

from __future__ import annotations

import pytest
from sqlalchemy import text
from sqlalchemy.exc import IntegrityError

from liaison_desktop.store import accesslog


def fill(store, n=5):
    with store.write() as s:
        for i in range(n):
            accesslog.append(
                s,
                actor_id="prof",
                on_behalf_of="prof",
                device_id="dev",
                action="open",
                object_type="client",
                client_id=f"client-{i}",
                object_id=f"client-{i}",
            )


def raw_update(store, sql):
    """Bypass the append-only triggers the way an attacker with the key would."""
    with store.engine.connect() as conn:
        conn.exec_driver_sql("DROP TRIGGER access_log_no_update")
        conn.exec_driver_sql("DROP TRIGGER access_log_no_delete")
        conn.exec_driver_sql(sql)
        conn.commit()


def test_entries_chain_and_verify(services):
    store = services.store
    fill(store)
    with store.session() as s:
        report = accesslog.verify(s)
        entries = list(accesslog.entries(s))
    assert report.ok and report.checked == len(entries)
    assert all(b.prev_hash == a.hash for a, b in zip(entries, entries[1:], strict=False))


@pytest.mark.parametrize(
    "sql",
    ["UPDATE access_log SET action = 'x' WHERE seq = 3", "DELETE FROM access_log WHERE seq = 3"],
)
def test_database_refuses_to_change_the_log(services, sql):
    fill(services.store)
    with pytest.raises(IntegrityError, match="append-only"), services.store.write() as s:
        s.execute(text(sql))


def test_a_changed_entry_is_reported_first(services):
    store = services.store
    fill(store, 8)
    raw_update(store, "UPDATE access_log SET client_id = 'someone-else' WHERE seq = 5")
    report = services.verify_access_log()
    assert not report.ok and report.first_broken_seq == 5


def test_a_removed_entry_is_reported(services):
    store = services.store
    fill(store, 8)
    raw_update(store, "DELETE FROM access_log WHERE seq = 4")
    report = services.verify_access_log()
    assert not report.ok and report.first_broken_seq == 5


def test_a_rehashed_entry_still_breaks_the_next_link(services):
    store = services.store
    fill(store, 8)
    # Change entry 3 and recompute its own hash: entry 4 no longer points at it.
    with store.session() as s:
        e3 = next(e for e in accesslog.entries(s) if e.seq == 3)
    from liaison_desktop.domain.accesslog import HASHED_FIELDS, entry_hash

    values = {n: getattr(e3, n) for n in HASHED_FIELDS} | {"action": "export"}
    raw_update(
        store,
        f"UPDATE access_log SET action='export', hash='{entry_hash(values)}' WHERE seq = 3",
    )
    report = services.verify_access_log()
    assert not report.ok and report.first_broken_seq == 4
