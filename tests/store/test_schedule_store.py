"""Migration 0002 on a store with data, and the schedule queries."""

from __future__ import annotations

from datetime import date, datetime, time

import sqlalchemy as sa
from alembic import command
from sqlalchemy.orm import Session

from liaison_desktop.domain import model as dm
from liaison_desktop.store import repo, schedule_repo
from liaison_desktop.store.migrate import alembic_config, current_revision
from liaison_desktop.store.migrations import HEAD

X = dm.ScheduleExceptionKind


def test_upgrade_from_0001_keeps_appointments_and_makes_them_provisional():
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "0001")
        stamp = "2026-11-01 10:00:00.000000"
        conn.execute(
            sa.text(
                "INSERT INTO practice (id, name, municipality, colour, created_at, updated_at) "
                "VALUES ('p1', 'De Linde', '', '#2e7d32', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            sa.text(
                "INSERT INTO appointment (id, practice_id, start, duration_min, kind, title, "
                "created_at, updated_at) VALUES ('a1', 'p1', '2026-11-23 09:00:00.000000', 45, "
                "'admin', 'Verslag', :t, :t)"
            ),
            {"t": stamp},
        )
        conn.execute(
            sa.text(
                "INSERT INTO part_day (id, practice_id, weekday, part, start_time, end_time, "
                "valid_from, created_at, updated_at) VALUES ('d1', 'p1', 0, 'morning', "
                "'08:30:00.000000', '12:30:00.000000', '2026-01-01', :t, :t)"
            ),
            {"t": stamp},
        )
        command.upgrade(alembic_config(conn), "0002")
        assert current_revision(conn) == "0002"
        command.upgrade(alembic_config(conn), "head")
        assert current_revision(conn) == HEAD
    with Session(engine) as s:
        (a,) = schedule_repo.appointments_between(s, datetime(2026, 11, 23), datetime(2026, 11, 24))
        assert a.room_state is dm.RoomBookingState.PROVISIONAL and a.conflict_reason == ""
        assert a.start == datetime(2026, 11, 23, 9, 0)
        (p,) = schedule_repo.patterns(s, date(2026, 11, 1), date(2026, 11, 30))
        assert p.room_state is dm.RoomBookingState.PROVISIONAL and p.max_appointments is None
        # Blocks away from a practice are now possible.
        repo.insert(
            s, dm.Appointment(None, datetime(2026, 11, 24, 13), 90, dm.AppointmentKind.TEAM_MEETING)
        )
        s.commit()
    with engine.begin() as conn:
        command.downgrade(alembic_config(conn), "0001")  # the way back works too
        command.upgrade(alembic_config(conn), "head")


def test_schedule_queries_pick_what_touches_the_period():
    engine = sa.create_engine("sqlite://")
    with engine.begin() as conn:
        command.upgrade(alembic_config(conn), "head")
    with Session(engine) as s:
        practice = dm.Practice("De Linde")
        repo.insert(s, practice)
        old = dm.PartDay(
            practice.id,
            0,
            dm.PartOfDay.MORNING,
            time(9),
            time(12),
            date(2025, 1, 1),
            date(2025, 12, 31),
        )
        current = dm.PartDay(
            practice.id, 1, dm.PartOfDay.MORNING, time(9), time(12), date(2026, 1, 1)
        )
        for p in (old, current):
            repo.insert(s, p)
        exceptions = [
            dm.ScheduleException(X.LEAVE, date(2026, 10, 28), end_day=date(2026, 11, 3)),
            dm.ScheduleException(
                X.SWAP, date(2026, 10, 27), part_day_id=current.id, new_day=date(2026, 11, 5)
            ),
            dm.ScheduleException(X.CANCELLED, date(2026, 12, 1), part_day_id=current.id),
        ]
        for e in exceptions:
            repo.insert(s, e)
        s.commit()
        first, last = date(2026, 11, 1), date(2026, 11, 30)
        assert [p.id for p in schedule_repo.patterns(s, first, last)] == [current.id]
        got = {e.kind for e in schedule_repo.exceptions(s, first, last)}
        assert got == {X.LEAVE, X.SWAP}  # leave reaching in, swap moving into the period
        assert schedule_repo.delete_record(s, dm.ScheduleException, exceptions[2].id)
        assert not schedule_repo.delete_record(s, dm.ScheduleException, exceptions[2].id)
