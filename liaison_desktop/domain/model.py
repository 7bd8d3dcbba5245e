"""The domain's types: plain dataclasses and string enums, shared by every layer."""

from __future__ import annotations

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, time
from enum import StrEnum


def new_id() -> str:
    """A new record id (UUID4 as 36-character text); every record has one."""
    return str(uuid.uuid4())


class RequestCategory(StrEnum):
    """Hulpvraag."""

    SLEEP = "sleep"
    BEHAVIOUR = "behaviour"
    ANXIETY_MOOD = "anxiety_mood"
    PARENTING = "parenting"
    SUBSTANCE_USE = "substance_use"
    SCHOOL = "school"
    OTHER = "other"


class TrajectoryStatus(StrEnum):
    """Where a trajectory stands: referred (waiting for a first conversation), active, on hold, closed."""

    REFERRED = "referred"
    ACTIVE = "active"
    ON_HOLD = "on_hold"
    CLOSED = "closed"


class Outcome(StrEnum):
    """How a trajectory ended, for monitoring."""

    CLOSED_NO_FOLLOW_UP = "closed_no_follow_up"
    NEIGHBOURHOOD_TEAM = "neighbourhood_team"
    ADVISED_SPECIALISED_CARE = "advised_specialised_care"
    REFERRED_ELSEWHERE = "referred_elsewhere"
    DROPPED_OUT = "dropped_out"


class ConsentScope(StrEnum):
    """What a consent allows."""

    NEIGHBOURHOOD_TEAM = "neighbourhood_team"  # bespreken in het basisteam
    SHARE_WITH_GP = "share_with_gp"  # terugkoppelen aan de huisarts
    CONTACT_SCHOOL = "contact_school"  # contact met school
    EXPORT = "export"  # gegevens meegeven aan een ander (export)


class ConsentMethod(StrEnum):
    SPOKEN = "spoken"
    WRITTEN = "written"


class ContactType(StrEnum):
    """Kind of contact; the first three are conversations that count toward the five."""

    CONVERSATION_CHILD = "conversation_child"
    CONVERSATION_PARENTS = "conversation_parents"
    CONVERSATION_FAMILY = "conversation_family"
    PHONE = "phone"
    GP_CONSULTATION = "gp_consultation"
    TEAM_MEETING = "team_meeting"
    OTHER_PROFESSIONAL = "other_professional"


class Participant(StrEnum):
    CHILD = "child"
    PARENT = "parent"
    GP = "gp"
    NEIGHBOURHOOD_TEAM = "neighbourhood_team"
    SCHOOL = "school"
    OTHER = "other"


class PartOfDay(StrEnum):
    """Dagdeel."""

    MORNING = "morning"
    AFTERNOON = "afternoon"
    EVENING = "evening"


class AppointmentKind(StrEnum):
    CONVERSATION = "conversation"  # with a client
    GP_CONSULTATION = "gp_consultation"
    TEAM_MEETING = "team_meeting"
    TRAVEL = "travel"
    ADMIN = "admin"


class RoomBookingState(StrEnum):
    """Whether the central endpoint has confirmed a room claim (rooms are shared with colleagues).

    A claim starts provisional; the sync engine sets confirmed or declined. Changing the room
    or the time makes it provisional again.
    """

    PROVISIONAL = "provisional"
    CONFIRMED = "confirmed"
    DECLINED = "declined"


class ScheduleExceptionKind(StrEnum):
    """An exception to the weekly pattern."""

    LEAVE = "leave"  # verlof: no part-days from ``day`` to ``end_day``
    CANCELLED = "cancelled"  # one occurrence of a part-day does not take place
    SWAP = "swap"  # one occurrence moves to another day and/or time
    EXTRA = "extra"  # an extra part-day


class AccessAction(StrEnum):
    """What an access-log entry records (NEN 7513 style)."""

    OPEN = "open"
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    EXPORT = "export"
    DESTROY = "destroy"


@dataclass(slots=True)
class Practice:
    name: str
    municipality: str = ""
    colour: str = "#4a90d9"
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Room:
    practice_id: str
    name: str
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Professional:
    """The user of this laptop."""

    name: str
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Client:
    """The child or young person (jeugdige)."""

    first_name: str
    last_name: str
    date_of_birth: date
    practice_id: str
    bsn: str | None = None
    municipality: str = ""
    address: str = ""
    phone: str = ""
    id: str = field(default_factory=new_id)

    @property
    def full_name(self) -> str:
        return f"{self.first_name} {self.last_name}".strip()


@dataclass(slots=True)
class Guardian:
    """A parent or carer; only one with parental authority (gezag) can consent."""

    client_id: str
    name: str
    relation: str = "ouder"
    has_authority: bool = True
    phone: str = ""
    email: str = ""
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Trajectory:
    """One episode of help, from GP referral to close."""

    client_id: str
    practice_id: str
    referred_on: date
    request_category: RequestCategory
    question: str = ""
    status: TrajectoryStatus = TrajectoryStatus.REFERRED
    outcome: Outcome | None = None
    closed_on: date | None = None
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Consent:
    """A consent for one scope, given by the child and/or guardians, possibly withdrawn."""

    client_id: str
    scope: ConsentScope
    given_on: date
    method: ConsentMethod
    given_by_child: bool = False
    guardian_ids: tuple[str, ...] = ()
    withdrawn_on: date | None = None
    note: str = ""
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Contact:
    """A logged conversation or consultation."""

    client_id: str
    trajectory_id: str
    type: ContactType
    start: datetime
    duration_min: int
    practice_id: str
    participants: tuple[Participant, ...] = ()
    note: str = ""
    counts_as_conversation: bool = True
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class PartDay:
    """A recurring weekly part-day at a practice (weekday 0 = Monday)."""

    practice_id: str
    weekday: int
    part: PartOfDay
    start_time: time
    end_time: time
    valid_from: date
    valid_to: date | None = None
    room_id: str | None = None
    # At most this many appointments fit in one occurrence (None: as many as the time allows).
    max_appointments: int | None = None
    room_state: RoomBookingState = RoomBookingState.PROVISIONAL
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class ScheduleException:
    """A one-off change to the weekly pattern: leave, a cancelled, swapped or extra part-day.

    ``day`` is the day it applies to (the first day of leave). Leave ends on ``end_day``
    (inclusive). Cancelled and swap name the pattern (``part_day_id``) whose occurrence on
    ``day`` changes; a swap moves it to ``new_day`` (default the same day) and/or other
    times. An extra part-day needs a practice, part and times.
    """

    kind: ScheduleExceptionKind
    day: date
    end_day: date | None = None
    part_day_id: str | None = None
    practice_id: str | None = None
    part: PartOfDay | None = None
    new_day: date | None = None
    start_time: time | None = None
    end_time: time | None = None
    room_id: str | None = None
    room_state: RoomBookingState = RoomBookingState.PROVISIONAL
    note: str = ""
    id: str = field(default_factory=new_id)


@dataclass(slots=True)
class Appointment:
    """A planned conversation or a block without a client (client_id None).

    ``practice_id`` is None for a block away from the practices (a neighbourhood-team meeting
    at the municipality, admin at home). ``conflict_reason`` keeps why the professional went
    ahead although the schedule showed a conflict.
    """

    practice_id: str | None
    start: datetime
    duration_min: int
    kind: AppointmentKind
    client_id: str | None = None
    room_id: str | None = None
    title: str = ""
    room_state: RoomBookingState = RoomBookingState.PROVISIONAL
    conflict_reason: str = ""
    id: str = field(default_factory=new_id)
