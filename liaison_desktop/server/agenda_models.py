"""SQLAlchemy models of the neighbourhood-team agenda: member keys, team keys, meetings, items.

The server stores only public keys, wrapped keys and item ciphertext; it holds no key that
opens any of them (docs/agenda.md). Consent is not visible here: the laptop that posted an
item removes it when the client's consent is withdrawn.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from liaison_desktop.server.models import ID, Base, UTCDateTime, new_id, utcnow

KEY_TEXT = String(64)


class AgendaUserKey(Base):
    """A user's agenda public key, and the private key escrowed under their vault key."""

    __tablename__ = "agenda_user_keys"

    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), primary_key=True)
    public_key: Mapped[str] = mapped_column(KEY_TEXT)
    private_escrow: Mapped[str] = mapped_column(Text, default="")
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaTeam(Base):
    """Per team: the id of the team key (null until a member made one) and the next meeting."""

    __tablename__ = "agenda_teams"

    team_id: Mapped[str] = mapped_column(ID, ForeignKey("teams.id"), primary_key=True)
    key_id: Mapped[str | None] = mapped_column(ID, default=None)
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    updated_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaTeamKeyWrap(Base):
    """The team key wrapped for one member (a WrappedKey as JSON); first wrap wins."""

    __tablename__ = "agenda_team_key_wraps"

    team_id: Mapped[str] = mapped_column(ID, ForeignKey("teams.id"), primary_key=True)
    user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"), primary_key=True)
    key_id: Mapped[str] = mapped_column(ID)
    wrap: Mapped[str] = mapped_column(Text)
    wrapped_by: Mapped[str] = mapped_column(ID)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)


class AgendaEntry(Base):
    """One agenda item: ciphertext only. Deleted outright when it is taken off the agenda."""

    __tablename__ = "agenda_items"
    __table_args__ = (Index("ix_agenda_items_team_id_created_at", "team_id", "created_at"),)

    id: Mapped[str] = mapped_column(ID, primary_key=True, default=new_id)
    team_id: Mapped[str] = mapped_column(ID, ForeignKey("teams.id"))
    author_user_id: Mapped[str] = mapped_column(ID, ForeignKey("users.id"))
    key_id: Mapped[str] = mapped_column(ID)
    ciphertext: Mapped[str] = mapped_column(Text)
    author_ref: Mapped[str] = mapped_column(Text, default="")
    meeting_at: Mapped[datetime | None] = mapped_column(UTCDateTime, default=None)
    created_at: Mapped[datetime] = mapped_column(UTCDateTime, default=utcnow)
