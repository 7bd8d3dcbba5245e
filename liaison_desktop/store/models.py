"""SQLAlchemy 2.0 typed ORM models of the local store; every record has a UUID key and timestamps."""

from __future__ import annotations

import enum
from datetime import UTC, date, datetime, time

from sqlalchemy import (
    Boolean,
    Date,
    DateTime,
    Enum,
    ForeignKey,
    Index,
    Integer,
    String,
    Text,
    Time,
    TypeDecorator,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import DeclarativeBase, Mapped, mapped_column

from liaison_desktop.domain import model as dm


def utcnow() -> datetime:
    return datetime.now(UTC)


class UTCDateTime(TypeDecorator[datetime]):
    """Timestamps stored as UTC, returned timezone-aware (SQLite has no time zones)."""

    impl = DateTime
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: object) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            raise ValueError("naive datetime given for a UTC column")
        return value.astimezone(UTC).replace(tzinfo=None)

    def process_result_value(self, value: datetime | None, dialect: object) -> datetime | None:
        return None if value is None else value.replace(tzinfo=UTC)


def str_enum(cls: type[enum.Enum]) -> Enum:
    """Store a StrEnum by its value as plain text (no native enum, no CHECK to migrate)."""
    return Enum(
        cls,
        native_enum=False,
        create_constraint=False,
        length=32,
        values_callable=lambda e: [m.value for m in e],
        validate_strings=True,
    )


class Base(DeclarativeBase):
    pass


class Record:
    """Columns every synced record has: a UUID key and created/updated timestamps."""

    id: Mapped[str] = mapped_column(String(36), primary_key=True)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, onupdate=utcnow)


class StoreMeta(Base):
    """Key/value facts about this store: its id, the device id, the professional's id."""

    __tablename__ = "store_meta"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class DeviceSecretRow(Base):
    """Fallback for device secrets when the OS has no keychain (inside the encrypted file)."""

    __tablename__ = "device_secret"
    name: Mapped[str] = mapped_column(String(128), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class ProfessionalRow(Record, Base):
    __tablename__ = "professional"
    name: Mapped[str] = mapped_column(Text)


class PracticeRow(Record, Base):
    __tablename__ = "practice"
    name: Mapped[str] = mapped_column(Text)
    municipality: Mapped[str] = mapped_column(Text, default="")
    colour: Mapped[str] = mapped_column(String(16), default="#4a90d9")


class RoomRow(Record, Base):
    __tablename__ = "room"
    practice_id: Mapped[str] = mapped_column(ForeignKey("practice.id"), index=True)
    name: Mapped[str] = mapped_column(Text)


class ClientRow(Record, Base):
    __tablename__ = "client"
    first_name: Mapped[str] = mapped_column(Text)
    last_name: Mapped[str] = mapped_column(Text)
    date_of_birth: Mapped[date] = mapped_column(Date)
    bsn: Mapped[str | None] = mapped_column(String(9), nullable=True)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practice.id"), index=True)
    municipality: Mapped[str] = mapped_column(Text, default="")
    address: Mapped[str] = mapped_column(Text, default="")
    phone: Mapped[str] = mapped_column(Text, default="")
    # Lower-cased, accent-free "first last bsn" for search-as-you-type.
    search_key: Mapped[str] = mapped_column(Text, default="")
    # The last change anywhere in this client's file: the retention clock starts here.
    file_changed_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow, index=True)
    # Derived and local only (never synced): the caseload's consent badge as computed on some
    # day, valid up to the day before ``badge_until``. NULL means "compute again": every change
    # in the client's file clears it (repo.touch_client_file), and the caseload recomputes the
    # cleared and the expired ones before it reads (repo.refresh_stale_badges).
    consent_badge: Mapped[str | None] = mapped_column(String(16), nullable=True, default=None)
    badge_until: Mapped[date | None] = mapped_column(Date, nullable=True, default=None)

    __table_args__ = (Index("ix_client_badge_until", "badge_until"),)


class GuardianRow(Record, Base):
    __tablename__ = "guardian"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    name: Mapped[str] = mapped_column(Text)
    relation: Mapped[str] = mapped_column(Text, default="ouder")
    has_authority: Mapped[bool] = mapped_column(Boolean, default=True)
    phone: Mapped[str] = mapped_column(Text, default="")
    email: Mapped[str] = mapped_column(Text, default="")


class TrajectoryRow(Record, Base):
    __tablename__ = "trajectory"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practice.id"))
    referred_on: Mapped[date] = mapped_column(Date)
    request_category: Mapped[dm.RequestCategory] = mapped_column(str_enum(dm.RequestCategory))
    question: Mapped[str] = mapped_column(Text, default="")
    status: Mapped[dm.TrajectoryStatus] = mapped_column(str_enum(dm.TrajectoryStatus))
    outcome: Mapped[dm.Outcome | None] = mapped_column(str_enum(dm.Outcome), nullable=True)
    closed_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    # Kept up to date by the services layer on every contact change, so that the caseload
    # needs no aggregate over the contact table.
    conversation_count: Mapped[int] = mapped_column(Integer, default=0)
    first_contact_on: Mapped[date | None] = mapped_column(Date, nullable=True)

    __table_args__ = (
        Index("ix_trajectory_status", "status", "practice_id"),
        # The caseload's order (longest waiting first): a page walks this index and stops.
        Index("ix_trajectory_referred", "referred_on", "id"),
    )


class ConsentRow(Record, Base):
    __tablename__ = "consent"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"), index=True)
    scope: Mapped[dm.ConsentScope] = mapped_column(str_enum(dm.ConsentScope))
    given_on: Mapped[date] = mapped_column(Date)
    method: Mapped[dm.ConsentMethod] = mapped_column(str_enum(dm.ConsentMethod))
    given_by_child: Mapped[bool] = mapped_column(Boolean, default=False)
    guardian_ids: Mapped[str] = mapped_column(Text, default="")  # space-separated UUIDs
    withdrawn_on: Mapped[date | None] = mapped_column(Date, nullable=True)
    note: Mapped[str] = mapped_column(Text, default="")


class ContactRow(Record, Base):
    __tablename__ = "contact"
    client_id: Mapped[str] = mapped_column(ForeignKey("client.id", ondelete="CASCADE"))
    trajectory_id: Mapped[str] = mapped_column(
        ForeignKey("trajectory.id", ondelete="CASCADE"), index=True
    )
    type: Mapped[dm.ContactType] = mapped_column(str_enum(dm.ContactType))
    start: Mapped[datetime] = mapped_column(DateTime)  # local wall-clock time, naive
    duration_min: Mapped[int] = mapped_column(Integer)
    practice_id: Mapped[str] = mapped_column(ForeignKey("practice.id"))
    participants: Mapped[str] = mapped_column(Text, default="")  # space-separated values
    note: Mapped[str] = mapped_column(Text, default="")
    counts_as_conversation: Mapped[bool] = mapped_column(Boolean, default=True)

    __table_args__ = (Index("ix_contact_client_start", "client_id", "start"),)


class PartDayRow(Record, Base):
    __tablename__ = "part_day"
    practice_id: Mapped[str] = mapped_column(ForeignKey("practice.id"), index=True)
    weekday: Mapped[int] = mapped_column(Integer)
    part: Mapped[dm.PartOfDay] = mapped_column(str_enum(dm.PartOfDay))
    start_time: Mapped[time] = mapped_column(Time)
    end_time: Mapped[time] = mapped_column(Time)
    valid_from: Mapped[date] = mapped_column(Date)
    valid_to: Mapped[date | None] = mapped_column(Date, nullable=True)
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"), nullable=True)
    max_appointments: Mapped[int | None] = mapped_column(Integer, nullable=True)
    room_state: Mapped[dm.RoomBookingState] = mapped_column(
        str_enum(dm.RoomBookingState), default=dm.RoomBookingState.PROVISIONAL
    )


class ScheduleExceptionRow(Record, Base):
    """Leave, a cancelled, swapped or extra part-day (see dm.ScheduleException)."""

    __tablename__ = "schedule_exception"
    kind: Mapped[dm.ScheduleExceptionKind] = mapped_column(str_enum(dm.ScheduleExceptionKind))
    day: Mapped[date] = mapped_column(Date, index=True)
    end_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    part_day_id: Mapped[str | None] = mapped_column(
        ForeignKey("part_day.id", ondelete="CASCADE"), nullable=True
    )
    practice_id: Mapped[str | None] = mapped_column(ForeignKey("practice.id"), nullable=True)
    part: Mapped[dm.PartOfDay | None] = mapped_column(str_enum(dm.PartOfDay), nullable=True)
    new_day: Mapped[date | None] = mapped_column(Date, nullable=True)
    start_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    end_time: Mapped[time | None] = mapped_column(Time, nullable=True)
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"), nullable=True)
    room_state: Mapped[dm.RoomBookingState] = mapped_column(
        str_enum(dm.RoomBookingState), default=dm.RoomBookingState.PROVISIONAL
    )
    note: Mapped[str] = mapped_column(Text, default="")


class AppointmentRow(Record, Base):
    __tablename__ = "appointment"
    # None for a block away from the practices (team meeting at the municipality, admin).
    practice_id: Mapped[str | None] = mapped_column(ForeignKey("practice.id"), nullable=True)
    start: Mapped[datetime] = mapped_column(DateTime, index=True)  # local wall-clock time
    duration_min: Mapped[int] = mapped_column(Integer)
    kind: Mapped[dm.AppointmentKind] = mapped_column(str_enum(dm.AppointmentKind))
    client_id: Mapped[str | None] = mapped_column(
        ForeignKey("client.id", ondelete="CASCADE"), nullable=True
    )
    room_id: Mapped[str | None] = mapped_column(ForeignKey("room.id"), nullable=True)
    title: Mapped[str] = mapped_column(Text, default="")
    room_state: Mapped[dm.RoomBookingState] = mapped_column(
        str_enum(dm.RoomBookingState), default=dm.RoomBookingState.PROVISIONAL
    )
    # Why the professional went ahead although the schedule showed a conflict.
    conflict_reason: Mapped[str] = mapped_column(Text, default="")

    __table_args__ = (Index("ix_appointment_client_start", "client_id", "start"),)


class AccessLogRow(Base):
    """Append-only (triggers refuse UPDATE and DELETE); each entry hashes the previous one."""

    __tablename__ = "access_log"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True, autoincrement=False)
    id: Mapped[str] = mapped_column(String(36), unique=True)
    at: Mapped[str] = mapped_column(String(32))
    actor_id: Mapped[str] = mapped_column(String(36))
    on_behalf_of: Mapped[str] = mapped_column(String(64))
    client_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    action: Mapped[str] = mapped_column(String(16))
    object_type: Mapped[str] = mapped_column(String(32))
    object_id: Mapped[str | None] = mapped_column(String(36), nullable=True)
    device_id: Mapped[str] = mapped_column(String(36))
    prev_hash: Mapped[str] = mapped_column(String(64))
    hash: Mapped[str] = mapped_column(String(64))


# -- sync (docs/sync-protocol.md; migration 0004 adds the capture triggers) -----------------


class ConflictRow(Record, Base):
    """A losing value kept for the user (itself synced); ``value`` is its JSON text."""

    __tablename__ = "conflict"
    record_table: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(80))
    winner_hlc: Mapped[str] = mapped_column(String(80))
    client_id: Mapped[str | None] = mapped_column(String(36), nullable=True, index=True)
    resolved_at: Mapped[str | None] = mapped_column(String(32), nullable=True)


class SyncOutboxRow(Base):
    """One local field change not yet confirmed by the server (written by triggers)."""

    __tablename__ = "sync_outbox"
    seq: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(36), unique=True)
    tbl: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str | None] = mapped_column(String(80), nullable=True)

    __table_args__ = (
        UniqueConstraint("tbl", "record_id", "field", name="uq_sync_outbox_field"),
        Index("ix_sync_outbox_unstamped", "seq", sqlite_where=text("hlc IS NULL")),
        {"sqlite_autoincrement": True},
    )


class SyncClockRow(Base):
    """The HLCs of a synced record's current field values (LWW merge), one row per record:
    ``clocks`` is ``{"<hlc>": ["field", ...]}`` (store/outbox.py reads and writes it)."""

    __tablename__ = "sync_clock"
    __table_args__ = {"sqlite_with_rowid": False}
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tbl: Mapped[str] = mapped_column(String(32), primary_key=True)
    clocks: Mapped[str] = mapped_column(Text)


class SyncCtlRow(Base):
    """One row: capture switch (``applying``), the persisted HLC, the pull cursor."""

    __tablename__ = "sync_ctl"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    applying: Mapped[int] = mapped_column(Integer)
    last_hlc: Mapped[str] = mapped_column(String(80))
    cursor: Mapped[int] = mapped_column(Integer)


class SyncStashRow(Base):
    """Pulled fields of a record that cannot be inserted yet (incomplete, or parent missing)."""

    __tablename__ = "sync_stash"
    record_id: Mapped[str] = mapped_column(String(36), primary_key=True)
    tbl: Mapped[str] = mapped_column(String(32), primary_key=True)
    field: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(80))


class SyncQuarantineRow(Base):
    """A change refused by the server (``origin`` "push") or on this laptop ("pull")."""

    __tablename__ = "sync_quarantine"
    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    change_id: Mapped[str] = mapped_column(String(36))
    origin: Mapped[str] = mapped_column(String(8))
    tbl: Mapped[str] = mapped_column(String(32))
    record_id: Mapped[str] = mapped_column(String(36))
    field: Mapped[str] = mapped_column(String(64))
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(String(80))
    reason: Mapped[str] = mapped_column(String(64))
    at: Mapped[str] = mapped_column(String(32))


# The outbox's commit hook (HLC stamping) must be active wherever the store is written.
from liaison_desktop.store import outbox as _outbox  # noqa: E402, F401
