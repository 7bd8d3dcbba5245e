"""The outbox in the store: every local change recorded in its own transaction, per field, with
an HLC that never runs backwards (also across restarts and a wall clock set back a day)."""

from __future__ import annotations

import dataclasses
import json
from datetime import date

import pytest
from hypothesis import given
from hypothesis import strategies as st
from sqlalchemy.orm import Session

from liaison_desktop.domain import model as dm
from liaison_desktop.services import workspace
from liaison_desktop.store import outbox, repo
from liaison_desktop.sync.hlc import HybridClock, Timestamp
from liaison_desktop.sync.protocol import SYNCED_FIELDS
from tests.conftest import PASSPHRASE
from tests.services.sync_helpers import TODAY, add_family, add_practice

DAY_MS = 86_400_000


def rows(sv) -> list[tuple[str, str, str, str, str | None]]:
    with sv.store.session() as s:
        return [
            tuple(r)
            for r in s.connection().exec_driver_sql(
                "SELECT tbl, record_id, field, value, hlc FROM sync_outbox ORDER BY seq"
            )
        ]


def test_the_synced_columns_match_the_migration_the_models_and_the_wire():
    import importlib

    mig = importlib.import_module("liaison_desktop.store.migrations.versions.0004_sync_outbox")
    assert mig.SYNCED == outbox.SYNCED_COLUMNS
    from liaison_desktop.store.models import Base

    for table, cols in outbox.SYNCED_COLUMNS.items():
        columns = Base.metadata.tables[table].columns
        for col, _kind in cols:
            assert col in columns, (table, col)
            assert col in SYNCED_FIELDS[table], (table, col)
    assert "age_band" in SYNCED_FIELDS["trajectory"]


def test_a_new_client_records_every_field_with_one_hlc_and_json_values(services):
    practice = services.practices()[0]
    before = len(rows(services))
    client, guardians, traj = add_family(services, practice)
    new = rows(services)[before:]
    by = {(t, f): (v, h) for t, r, f, v, h in new if r == client.id}
    assert json.loads(by[("client", "last_name")][0]) == "Visser"
    assert json.loads(by[("client", "date_of_birth")][0]) == "2015-03-01"
    assert json.loads(by[("client", "bsn")][0]) == "111222333"
    g = {f: json.loads(v) for t, r, f, v, h in new if r == guardians[0].id}
    assert g["has_authority"] is True
    t = {f: json.loads(v) for tb, r, f, v, h in new if r == traj.id}
    assert t["age_band"] == "4-11" and t["conversation_count"] == 1
    assert all(h is not None for *_x, h in new)
    # Local-only columns never enter the outbox.
    assert not {f for _t, _r, f, _v, _h in new} & {"search_key", "file_changed_at", "consent_badge"}


def test_an_update_records_only_what_changed_and_replaces_an_unpushed_change(services):
    practice = services.practices()[0]
    client, _g, _t = add_family(services, practice)
    with services.store.write() as s:
        s.connection().exec_driver_sql("DELETE FROM sync_outbox")
    services.update_client(dataclasses.replace(client, last_name="Visser-de Boer"))
    services.update_client(dataclasses.replace(client, last_name="De Boer"))
    got = rows(services)
    assert [(t, f, json.loads(v)) for t, _r, f, v, _h in got] == [
        ("client", "last_name", "De Boer")
    ]


def test_a_rolled_back_change_leaves_no_outbox_row(services):
    practice = services.practices()[0]
    before = rows(services)
    with pytest.raises(RuntimeError):
        with services.store.write() as s:
            repo.insert(s, dm.Client("Noor", "Test", date(2014, 1, 1), practice.id))
            raise RuntimeError("boom")
    assert rows(services) == before


def test_a_delete_is_a_tombstone_and_cascades_are_recorded_too(services):
    practice = services.practices()[0]
    client, guardians, traj = add_family(services, practice)
    services.destroy_client(client.id, confirmed=True)
    tombs = {(t, r) for t, r, f, v, _h in rows(services) if f == "_deleted"}
    assert ("client", client.id) in tombs and ("trajectory", traj.id) in tombs
    assert ("guardian", guardians[0].id) in tombs


def test_bulk_import_and_recount_are_captured(services):
    from liaison_desktop.services import demo

    before = len(rows(services))
    report = demo.generate(services, 5, seed=3)
    new = rows(services)[before:]
    assert sum(1 for t, _r, f, _v, _h in new if t == "client" and f == "last_name") == 5
    counts = [json.loads(v) for t, _r, f, v, _h in new if f == "conversation_count"]
    assert len(counts) == report.trajectories and sum(counts) > 0


def test_a_birth_date_change_updates_the_age_band_of_the_trajectories(services):
    practice = services.practices()[0]
    client, _g, traj = add_family(services, practice)
    services.update_client(dataclasses.replace(client, date_of_birth=date(2012, 1, 1)))
    bands = [json.loads(v) for t, r, f, v, _h in rows(services) if f == "age_band"]
    assert bands[-1] == "12-15"


def test_next_hlc_is_the_clock_rule_of_sync_hlc():
    clock = HybridClock("n1", clock=lambda: 1000)
    last = ""
    for physical in (1000, 1000, 999, 1500, 1200):
        clock._clock = lambda p=physical: p  # type: ignore[method-assign]
        expected = clock.now().encode()
        last = outbox.next_hlc(last, "n1", physical)
        assert last == expected


def test_the_hlc_never_runs_backwards_across_a_restart_with_the_clock_set_back(data_dir, practices):
    sv, _ = workspace.create_workspace(data_dir, PASSPHRASE, "Fatima", practices)
    sv.today = lambda: TODAY
    practice = add_practice(sv)
    client, _g, _t = add_family(sv, practice)
    last = max(h for *_x, h in rows(sv))
    sv.lock()
    again = workspace.open_workspace(data_dir, PASSPHRASE)
    again.today = lambda: TODAY
    import time

    outbox.set_wall_clock(again.store.engine, lambda: time.time_ns() // 1_000_000 - DAY_MS)
    again.update_client(dataclasses.replace(client, last_name="Later"))
    (newest,) = [r for r in rows(again) if r[1] == client.id and r[2] == "last_name"]
    assert json.loads(newest[3]) == "Later" and newest[4] > last
    assert Timestamp.decode(newest[4]).wall >= Timestamp.decode(last).wall
    again.lock()


def test_the_practices_made_at_set_up_are_in_the_outbox(services):
    # Set-up (profile and practices) runs through the same triggers as every later change.
    names = [json.loads(v) for t, _r, f, v, _h in rows(services) if t == "practice" and f == "name"]
    assert sorted(names) == sorted(p.name for p in services.practices())


def test_a_commit_stamps_the_clocks_of_exactly_the_changed_fields(services):
    practice = services.practices()[0]
    client, _g, _t = add_family(services, practice)
    with services.store.session() as s:
        first = outbox.field_hlcs(s, [client.id])
        (row,) = s.connection().exec_driver_sql(
            "SELECT clocks FROM sync_clock WHERE record_id = ?", (client.id,)
        )
    # One transaction, one HLC: the record's row groups every field under it.
    assert len(json.loads(row[0])) == 1
    assert {f for (_t, _r, f) in first} >= {"first_name", "last_name", "bsn", "municipality"}
    services.update_client(dataclasses.replace(client, municipality="Zaanstad"))
    with services.store.session() as s:
        after = outbox.field_hlcs(s, [client.id])
        (h,) = [
            c.hlc
            for c in outbox.pending_batch(s, 10_000)
            if (c.record_id, c.field) == (client.id, "municipality")
        ]
    assert after[("client", client.id, "municipality")] == h
    assert h > first[("client", client.id, "municipality")]
    unchanged = {k: v for k, v in after.items() if k[2] != "municipality"}
    assert unchanged == {k: v for k, v in first.items() if k[2] != "municipality"}


def test_migration_0005_keeps_every_field_clock_and_the_way_back_too():
    import sqlalchemy as sa
    from alembic import command

    from liaison_desktop.store.migrate import alembic_config

    engine = sa.create_engine("sqlite://")
    clocks = {
        ("client", "c1", "first_name"): "001796164184574-00000-node-a",
        ("client", "c1", "bsn"): "001796164184574-00000-node-a",
        ("client", "c1", "municipality"): "001796164199999-00003-node-b",
        ("client", "c2", "_deleted"): "001796164200000-00000-node-b",
        ("contact", "c1", "note"): "001796164184575-00001-node-a",
    }
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0004")
        conn.execute(
            sa.text("INSERT INTO sync_field (tbl, record_id, field, hlc) VALUES (:t, :r, :f, :h)"),
            [dict(t=t, r=r, f=f, h=h) for (t, r, f), h in clocks.items()],
        )
        command.upgrade(alembic_config(conn), "0005")
    with Session(engine) as s:
        assert outbox.field_hlcs(s, ["c1", "c2"]) == clocks
        n = s.connection().exec_driver_sql("SELECT count(*) FROM sync_clock").scalar()
        assert n == 3  # one row per record
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0004")
        back = conn.execute(sa.text("SELECT tbl, record_id, field, hlc FROM sync_field")).all()
    assert {(t, r, f): h for t, r, f, h in back} == clocks


@given(st.text(alphabet=st.sampled_from(['"', "\\", "a", "é", "\x00", "\x1f", " ", "u", "0"])))
def test_pulled_values_read_directly_are_what_json_would_read(inner):
    """The shortcut for plain JSON strings and constants in applying pulled values: only
    text json.loads reads the same way takes it."""
    from liaison_desktop.services.sync import _JSON_CONSTANTS, _PLAIN_JSON_STRING

    for text in (f'"{inner}"', inner):
        if _PLAIN_JSON_STRING.fullmatch(text):
            assert json.loads(text) == text[1:-1]
    for text, value in _JSON_CONSTANTS.items():
        assert json.loads(text) is value
