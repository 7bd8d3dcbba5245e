"""Server arbitration of provisional room bookings (real server, SQLite and PostgreSQL): the
claim stored first wins; the loser hears it on its next pull, with free times of the room."""

from __future__ import annotations

import uuid

import pytest

from liaison_desktop.server import accounts
from liaison_desktop.sync.protocol import Change, Role
from tests.server.support import ThreadedServer
from tests.server.sync_support import change, enrol


@pytest.fixture
def live(app):
    with ThreadedServer(app) as server:
        yield server


@pytest.fixture
def colleagues(db, live):
    org = accounts.create_org(db, "Jeugdhulp Noord").id
    team = accounts.create_team(db, org, "Basisteam").id
    made = [
        enrol(db, live.url, accounts.create_user(db, team, Role.PROFESSIONAL, name).id)
        for name in ("A", "B")
    ]
    yield made
    for laptop in made:
        laptop.close()


ROOM = str(uuid.uuid4())


def booking(start: str, minutes: int, state: str = "provisional", room: str = ROOM) -> tuple:
    r = str(uuid.uuid4())
    changes = [
        change("appointment", r, "room_id", room),
        change("appointment", r, "start", start),
        change("appointment", r, "duration_min", minutes),
        change("appointment", r, "room_state", state),
        change("appointment", r, "kind", "client"),
    ]
    return r, changes


def room_record(laptop) -> list[Change]:
    """Both colleagues' laptops know the shared room (same id): no foreign_record."""
    return [change("room", ROOM, "name", "Spreekkamer 2", laptop.device_id)]


def test_first_stored_claim_wins_and_the_loser_gets_free_times(colleagues):
    a, b = colleagues
    first, a_changes = booking("2026-12-07 10:00:00", 60)
    reply = a.api.push(a.device_id, room_record(a) + a_changes, batch_id="a")
    assert reply.stored == 6 and reply.quarantined == ()
    late, b_changes = booking("2026-12-07 10:30:00", 60)
    elsewhere, other_room = booking("2026-12-07 10:30:00", 60, room=str(uuid.uuid4()))
    reply = b.api.push(b.device_id, room_record(b) + b_changes + other_room, batch_id="b")
    assert reply.stored == 11 and reply.quarantined == ()

    page = b.api.pull(0, bookings=True)
    assert [c.appointment_id for c in page.booking_conflicts] == [late]
    lost = page.booking_conflicts[0]
    assert (lost.room_id, lost.start, lost.end) == (
        ROOM,
        "2026-12-07 10:30:00",
        "2026-12-07 11:30:00",
    )
    assert (lost.taken_from, lost.taken_until) == ("2026-12-07 10:00:00", "2026-12-07 11:00:00")
    starts = [s.start for s in lost.alternatives]
    assert starts == [
        "2026-12-07 08:00:00",
        "2026-12-07 08:15:00",
        "2026-12-07 08:30:00",
        "2026-12-07 08:45:00",
        "2026-12-07 09:00:00",
    ]
    assert page.bookings_confirmed == (elsewhere,)
    # The winner's claim stands.
    page_a = a.api.pull(0, bookings=True)
    assert page_a.booking_conflicts == () and page_a.bookings_confirmed == (first,)
    # Without bookings=1 nothing is arbitrated.
    assert b.api.pull(0).booking_conflicts == ()

    # B moves to a free time: confirmed on the next pull.
    b.api.push(
        b.device_id, [change("appointment", late, "start", "2026-12-07 11:00:00")], batch_id="m"
    )
    page = b.api.pull(0, bookings=True)
    assert page.booking_conflicts == () and set(page.bookings_confirmed) == {late, elsewhere}


def test_a_deleted_or_declined_claim_frees_the_room(colleagues):
    a, b = colleagues
    first, a_changes = booking("2026-12-08 14:00:00", 45)
    a.api.push(a.device_id, a_changes, batch_id="a")
    late, b_changes = booking("2026-12-08 14:15:00", 30)
    b.api.push(b.device_id, b_changes, batch_id="b")
    assert [c.appointment_id for c in b.api.pull(0, bookings=True).booking_conflicts] == [late]
    a.api.push(a.device_id, [change("appointment", first, "room_state", "declined")], batch_id="d")
    assert b.api.pull(0, bookings=True).bookings_confirmed == (late,)
    a.api.push(
        a.device_id, [change("appointment", first, "room_state", "provisional")], batch_id="p"
    )
    assert b.api.pull(0, bookings=True).booking_conflicts != ()
    a.api.push(a.device_id, [change("appointment", first, "_deleted", True)], batch_id="x")
    assert b.api.pull(0, bookings=True).bookings_confirmed == (late,)


def test_alternatives_avoid_every_taken_time_and_a_full_day_has_none(colleagues):
    a, b = colleagues
    # A holds the room 08:00-17:00 and 17:15-18:00, leaving one 15-minute gap.
    _x, morning = booking("2026-12-09 08:00:00", 9 * 60)
    _y, evening = booking("2026-12-09 17:15:00", 45)
    a.api.push(a.device_id, morning + evening, batch_id="a")
    _z, short = booking("2026-12-09 12:00:00", 15)
    _w, long = booking("2026-12-09 12:00:00", 60)
    b.api.push(b.device_id, short + long, batch_id="b")
    conflicts = {c.appointment_id: c for c in b.api.pull(0, bookings=True).booking_conflicts}
    assert [s.start for s in conflicts[_z].alternatives] == ["2026-12-09 17:00:00"]
    assert conflicts[_w].alternatives == ()


def test_unusable_claims_are_ignored(colleagues):
    a, b = colleagues
    r = str(uuid.uuid4())
    a.api.push(
        a.device_id,
        [
            change("appointment", r, "room_id", ROOM),
            change("appointment", r, "start", "not a time"),
            change("appointment", r, "duration_min", 30),
        ],
        batch_id="a",
    )
    mine, changes = booking("2026-12-10 09:00:00", 30)
    b.api.push(b.device_id, changes, batch_id="b")
    page = b.api.pull(0, bookings=True)
    assert page.booking_conflicts == () and page.bookings_confirmed == (mine,)
