"""SQLAlchemy models of the sync tables: the change stream, current field state, quarantine,
per-device sync state, vault-key wraps and the organisations' recovery public keys.

Values of encrypted fields arrive as ``e1:`` ciphertext and are stored as such; the server
never holds a key to them. A quarantined change is stored without its value (it may be a
clear value that should never have left the laptop).
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import BigInteger, Boolean, ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liaison_desktop.server.models import ID, Base, UTCDateTime, utcnow

HLC = String(80)
NAME = String(64)


class SyncStream(Base):
    """One row per user: the head of the user's change stream.

    A push locks this row first (SELECT ... FOR UPDATE on PostgreSQL; the write lock on
    SQLite), so pushes of one user are serialised and ``seq`` order is commit order.
    """

    __tablename__ = "sync_streams"

    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), primary_key=True)
    last_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncChange(Base):
    """Every stored change, exactly once by its change id; ``seq`` is unique per user."""

    __tablename__ = "sync_changes"
    __table_args__ = (Index("uq_sync_changes_user_id_seq", "user_id", "seq", unique=True),)

    change_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    seq: Mapped[int] = mapped_column(BigInteger)
    device_id: Mapped[str] = mapped_column(ID)
    table_name: Mapped[str] = mapped_column(NAME)
    record_id: Mapped[str] = mapped_column(ID)
    field: Mapped[str] = mapped_column(NAME)
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(HLC)
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncRecord(Base):
    """Which user a record id belongs to (the first pusher); others' changes are refused."""

    __tablename__ = "sync_records"

    table_name: Mapped[str] = mapped_column(NAME, primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), index=True)


class SyncField(Base):
    """The current value of every field, last writer wins by HLC text order.

    Updated in the push transaction. Overviews read the clear fields from here.
    """

    __tablename__ = "sync_fields"
    __table_args__ = (Index("ix_sync_fields_table_name_record_id", "table_name", "record_id"),)

    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), primary_key=True)
    table_name: Mapped[str] = mapped_column(NAME, primary_key=True)
    record_id: Mapped[str] = mapped_column(ID, primary_key=True)
    field: Mapped[str] = mapped_column(NAME, primary_key=True)
    value: Mapped[str] = mapped_column(Text)
    hlc: Mapped[str] = mapped_column(HLC)
    seq: Mapped[int] = mapped_column(BigInteger)


class SyncQuarantine(Base):
    """A refused change with its reason; its value is deliberately not kept."""

    __tablename__ = "sync_quarantine"

    change_id: Mapped[str] = mapped_column(String(100), primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), index=True)
    device_id: Mapped[str] = mapped_column(ID)
    reason: Mapped[str] = mapped_column(String(32))
    table_name: Mapped[str] = mapped_column(NAME, default="")
    record_id: Mapped[str] = mapped_column(String(100), default="")
    field: Mapped[str] = mapped_column(NAME, default="")
    hlc: Mapped[str] = mapped_column(String(100), default="")
    received_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class SyncDeviceState(Base):
    """Per device: whether IT asked it to resync in full, and when it last pushed/pulled."""

    __tablename__ = "sync_device_state"

    device_id: Mapped[str] = mapped_column(ID, ForeignKey("devices.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), index=True)
    resync: Mapped[bool] = mapped_column(Boolean, default=False)
    last_push_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    last_pull_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    pulled_seq: Mapped[int] = mapped_column(BigInteger, default=0)


class SyncVault(Base):
    """A user's vault key, wrapped by the passphrase key and by the org's recovery key."""

    __tablename__ = "sync_vaults"

    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), primary_key=True)
    key_id: Mapped[str] = mapped_column(String(100))
    passphrase_wrap: Mapped[str | None] = mapped_column(Text, default=None)
    recovery_wrap: Mapped[str | None] = mapped_column(Text, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class OrgRecoveryKey(Base):
    """The organisation's recovery public key (X25519, raw, base64), set by IT."""

    __tablename__ = "sync_org_keys"

    org_id: Mapped[str] = mapped_column(ID, ForeignKey("organisations.id"), primary_key=True)
    recovery_public_key: Mapped[str] = mapped_column(String(64))
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
