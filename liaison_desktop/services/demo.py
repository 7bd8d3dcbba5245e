"""Realistic synthetic Dutch demo data (Faker nl_NL) for demos, training, tests and benchmarks."""

from __future__ import annotations

import random
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import date, datetime, time, timedelta
from typing import Any

from faker import Faker
from stdnum.nl import bsn as stdnum_bsn

from liaison_desktop.domain import model as dm
from liaison_desktop.domain.conversations import counts_by_default
from liaison_desktop.domain.schedule import PlannedPartDay, ScheduleSettings, expand, week_start
from liaison_desktop.services.api import Services
from liaison_desktop.services.schedule import ScheduleService

PRACTICES = [
    ("Huisartsenpraktijk De Linde", "Leeuwarden", "#2e7d32"),
    ("Gezondheidscentrum Noorderhaven", "Leeuwarden", "#1565c0"),
    ("Huisartsen Aan de Vaart", "Smallingerland", "#ef6c00"),
    ("Praktijk Het Wad", "Noardeast-Fryslân", "#6a1b9a"),
]

NOTES = [
    "Kennismaking; hulpvraag besproken en doelen opgesteld.",
    "Slaapdagboek doorgenomen, vaste bedtijden afgesproken.",
    "Psycho-educatie over angst gegeven; oefeningen meegegeven.",
    "Ouders geven aan dat de situatie thuis rustiger is.",
    "Afstemming met school over ondersteuning in de klas.",
    "Opvoedvragen besproken; positieve aandacht geoefend.",
    "Gesprek over middelengebruik en afspraken thuis.",
    "Evaluatie: doelen grotendeels behaald.",
    "Overleg met huisarts over verwijzing naar jeugd-ggz.",
    "Zorgen over schulden in het gezin; basisteam ingeschakeld met toestemming.",
]

QUESTIONS = {
    dm.RequestCategory.SLEEP: "Slaapt slecht, ligt lang wakker.",
    dm.RequestCategory.BEHAVIOUR: "Druk gedrag thuis en op school.",
    dm.RequestCategory.ANXIETY_MOOD: "Somber en angstig sinds de overstap naar het voortgezet onderwijs.",
    dm.RequestCategory.PARENTING: "Ouders lopen vast in de opvoeding.",
    dm.RequestCategory.SUBSTANCE_USE: "Ouders maken zich zorgen over blowen.",
    dm.RequestCategory.SCHOOL: "Wil niet naar school, veel verzuim.",
    dm.RequestCategory.OTHER: "Vragen na een scheiding.",
}

PART_DAY_TIMES = {
    dm.PartOfDay.MORNING: (time(8, 30), time(12, 30)),
    dm.PartOfDay.AFTERNOON: (time(13, 0), time(17, 0)),
    dm.PartOfDay.EVENING: (time(18, 0), time(21, 0)),
}
# Each practice keeps its own hours (index as in PRACTICES): (morning, afternoon).
PRACTICE_HOURS = [
    ((time(8, 30), time(12, 30)), (time(13, 0), time(17, 0))),
    ((time(8, 0), time(12, 0)), (time(13, 30), time(17, 0))),
    ((time(9, 0), time(12, 30)), (time(13, 0), time(16, 30))),
    ((time(8, 30), time(12, 0)), (time(13, 15), time(17, 0))),
]
# Minutes of travel between the practices (by index); a schedule setting.
TRAVEL_MINUTES = {(0, 1): 10, (0, 2): 35, (0, 3): 50, (1, 2): 35, (1, 3): 45, (2, 3): 60}
CONVERSATION_MIN = 45
SLOT_GRID_MIN = 60  # a conversation plus time for notes
SCHEDULE_WEEKS = 4  # client appointments from this week's Monday on


@dataclass(frozen=True)
class DemoReport:
    clients: int
    trajectories: int
    consents: int
    contacts: int
    appointments: int


def valid_bsn(rng: random.Random) -> str:
    """A random number that passes the 11-check (synthetic; not a real person's)."""
    while True:
        body = f"{rng.randrange(10_000_000, 99_999_999):08d}"
        for d in range(10):
            candidate = body + str(d)
            if stdnum_bsn.is_valid(candidate):
                return candidate


def _birthday(dob: date, years: int) -> date:
    try:
        return dob.replace(year=dob.year + years)
    except ValueError:  # Feb 29
        return date(dob.year + years, 3, 1)


def _age(dob: date, day: date) -> int:
    return day.year - dob.year - ((day.month, day.day) < (dob.month, dob.day))


class DemoGenerator:
    """Generates practices, clients and their files; deterministic for a given seed."""

    def __init__(self, seed: int = 7, today: date | None = None) -> None:
        self.rng = random.Random(seed)
        self.fake = Faker("nl_NL")
        self.fake.seed_instance(seed)
        self.today = today or date.today()

        # Free conversation slots per practice, filled as client files are generated.
        self._slots: dict[str, list[tuple[datetime, str | None]]] = {}

    def practices(self) -> tuple[list[dm.Practice], list[dm.Room], list[dm.PartDay]]:
        practices, rooms, part_days = [], [], []
        for i, (name, municipality, colour) in enumerate(PRACTICES):
            p = dm.Practice(name=name, municipality=municipality, colour=colour)
            practices.append(p)
            prac_rooms = [
                dm.Room(practice_id=p.id, name=n) for n in ("Spreekkamer 2", "Groepsruimte")
            ]
            rooms.extend(prac_rooms)
            hours = PRACTICE_HOURS[i % len(PRACTICE_HOURS)]
            for weekday, part, (start, end) in (
                (i % 5, dm.PartOfDay.MORNING, hours[0]),
                ((i + 2) % 5, dm.PartOfDay.AFTERNOON, hours[1]),
            ):
                part_days.append(
                    dm.PartDay(
                        practice_id=p.id,
                        weekday=weekday,
                        part=part,
                        start_time=start,
                        end_time=end,
                        valid_from=self.today - timedelta(days=365),
                        room_id=prac_rooms[0].id,
                        # The newest practice's room is still waiting for the central agenda.
                        room_state=dm.RoomBookingState.PROVISIONAL
                        if i == len(PRACTICES) - 1
                        else dm.RoomBookingState.CONFIRMED,
                    )
                )
        return practices, rooms, part_days

    # -- the week schedule -------------------------------------------------------------------

    def schedule_settings(self, practices: list[dm.Practice]) -> ScheduleSettings:
        settings = ScheduleSettings(conversation_min=CONVERSATION_MIN)
        for (a, b), minutes in TRAVEL_MINUTES.items():
            if a < len(practices) and b < len(practices):
                settings = settings.with_travel(practices[a].id, practices[b].id, minutes)
        return settings

    def schedule_exceptions(self, practices: list[dm.Practice]) -> list[dm.ScheduleException]:
        """A day of leave in three weeks and an extra part-day next week."""
        monday = week_start(self.today)
        out = [
            dm.ScheduleException(
                kind=dm.ScheduleExceptionKind.LEAVE,
                day=monday + timedelta(days=18),
                end_day=monday + timedelta(days=18),
                note="Verlof",
            )
        ]
        if len(practices) > 1:
            out.append(
                dm.ScheduleException(
                    kind=dm.ScheduleExceptionKind.EXTRA,
                    day=monday + timedelta(days=11),
                    practice_id=practices[1].id,
                    part=dm.PartOfDay.MORNING,
                    start_time=time(9, 0),
                    end_time=time(12, 0),
                    note="Extra dagdeel voor de wachtlijst",
                )
            )
        return out

    def schedule_blocks(
        self, practices: list[dm.Practice], planned: list[PlannedPartDay]
    ) -> list[dm.Appointment]:
        """GP consultations, team meetings, admin, and a few conflicts in the current week.

        Also fills the pool of conversation slots that client files take from.
        """
        K = dm.AppointmentKind
        blocks: list[dm.Appointment] = []
        for p in planned:
            if p.part is dm.PartOfDay.MORNING:
                blocks.append(
                    dm.Appointment(
                        practice_id=p.practice_id,
                        start=p.start,
                        duration_min=15,
                        kind=K.GP_CONSULTATION,
                        room_id=p.room_id,
                        title="Overleg huisarts",
                        room_state=p.room_state,
                    )
                )
            # The first quarter of every part-day stays free (GP consultation, settling in).
            start = p.start + timedelta(minutes=15)
            pool = self._slots.setdefault(p.practice_id, [])
            while start + timedelta(minutes=CONVERSATION_MIN) <= p.end:
                if self.rng.random() < 0.8:  # some time stays free for new referrals
                    pool.append((start, p.room_id))
                start += timedelta(minutes=SLOT_GRID_MIN)
        monday = week_start(self.today)
        for week in range(SCHEDULE_WEEKS):
            tuesday = monday + timedelta(days=7 * week + 1)
            friday = monday + timedelta(days=7 * week + 4)
            blocks.append(
                dm.Appointment(
                    None,
                    datetime.combine(tuesday, time(13, 30)),
                    90,
                    K.TEAM_MEETING,
                    title="Casusoverleg basisteam",
                )
            )
            blocks.append(
                dm.Appointment(
                    None, datetime.combine(friday, time(9, 0)), 90, K.ADMIN, title="Verslaglegging"
                )
            )
        extra = self._demo_conflicts(practices, planned, monday)
        for block in extra:
            if block.practice_id is not None:  # keep the intended conflicts the only ones
                end = block.start + timedelta(minutes=block.duration_min)
                self._slots[block.practice_id] = [
                    (t, r)
                    for t, r in self._slots.get(block.practice_id, [])
                    if not (t < end and block.start < t + timedelta(minutes=CONVERSATION_MIN))
                ]
        return blocks + extra

    def _demo_conflicts(
        self, practices: list[dm.Practice], planned: list[PlannedPartDay], monday: date
    ) -> list[dm.Appointment]:
        """Three conflicts this week, one of them accepted with a reason."""
        K = dm.AppointmentKind
        week = [p for p in planned if monday <= p.day < monday + timedelta(days=5)]
        out: list[dm.Appointment] = []
        mornings = [p for p in week if p.part is dm.PartOfDay.MORNING]
        if mornings:
            # A phone call planned over the GP consultation: overlap.
            m = mornings[min(2, len(mornings) - 1)]
            out.append(
                dm.Appointment(None, m.start, 30, K.ADMIN, title="Telefonisch overleg school")
            )
        if len(mornings) > 1:
            # A GP consultation after the part-day ended: outside the part-day.
            m = mornings[1]
            out.append(
                dm.Appointment(
                    m.practice_id,
                    datetime.combine(m.day, time(16, 0)),
                    30,
                    K.GP_CONSULTATION,
                    room_id=m.room_id,
                    title="Overleg huisarts",
                )
            )
        by_day: dict[date, list[PlannedPartDay]] = {}
        for p in week:
            by_day.setdefault(p.day, []).append(p)
        for parts in by_day.values():
            if len(parts) < 2 or parts[0].practice_id == parts[1].practice_id:
                continue
            # Staying late at the first practice and starting on time at the next leaves
            # too little time to travel; the late one was planned anyway, with a reason.
            a, b = parts[0], parts[1]
            out.append(
                dm.Appointment(
                    a.practice_id,
                    a.end - timedelta(minutes=30),
                    30,
                    K.GP_CONSULTATION,
                    room_id=a.room_id,
                    title="Overleg huisarts",
                    room_state=dm.RoomBookingState.CONFIRMED,
                    conflict_reason="Huisarts kon alleen aan het eind van de ochtend.",
                )
            )
            out.append(
                dm.Appointment(
                    b.practice_id,
                    b.start,
                    15,
                    K.GP_CONSULTATION,
                    room_id=b.room_id,
                    title="Overleg huisarts",
                    room_state=b.room_state,
                )
            )
            break
        return out

    def _place(self, practice_id: str) -> tuple[datetime, str | None] | None:
        """Take a free conversation slot at the practice (None when the schedule is full)."""
        slots = self._slots.get(practice_id)
        if not slots:
            return None
        return slots.pop(self.rng.randrange(len(slots)))

    def client_file(self, practice: dm.Practice, rooms: list[dm.Room]) -> Iterator[Any]:
        """One client with guardians, trajectories, consents, contacts and appointments."""
        rng, fake, today = self.rng, self.fake, self.today
        age_days = rng.randrange(365 * 1, 365 * 18)
        dob = today - timedelta(days=age_days)
        last_name = fake.last_name()
        client = dm.Client(
            first_name=fake.first_name(),
            last_name=last_name,
            date_of_birth=dob,
            practice_id=practice.id,
            bsn=valid_bsn(rng) if rng.random() < 0.7 else None,
            municipality=practice.municipality,
            address=fake.street_address(),
            phone=fake.phone_number(),
        )
        yield client
        guardians = [
            dm.Guardian(
                client_id=client.id,
                name=f"{fake.first_name_female()} {last_name}",
                relation="moeder",
                has_authority=True,
                phone=fake.phone_number(),
                email=fake.email(),
            )
        ]
        if rng.random() < 0.6:
            guardians.append(
                dm.Guardian(
                    client_id=client.id,
                    name=f"{fake.first_name_male()} {fake.last_name()}",
                    relation="vader",
                    has_authority=rng.random() < 0.85,
                    phone=fake.phone_number(),
                )
            )
        yield from guardians

        referred_on = today - timedelta(days=rng.randrange(0, 400))
        if referred_on < dob:
            referred_on = dob + timedelta(days=30)
        status = rng.choices(list(dm.TrajectoryStatus), weights=[15, 45, 5, 35])[0]
        category = rng.choice(list(dm.RequestCategory))
        n_conv = {
            dm.TrajectoryStatus.REFERRED: 0,
            dm.TrajectoryStatus.ACTIVE: rng.randrange(1, 6),
            dm.TrajectoryStatus.ON_HOLD: rng.randrange(1, 4),
            dm.TrajectoryStatus.CLOSED: rng.randrange(1, 7),
        }[status]
        first = referred_on + timedelta(days=rng.randrange(3, 40))
        contact_days = [first + timedelta(days=14 * k) for k in range(n_conv)]
        contact_days = [d for d in contact_days if d <= today] or (
            [first] if n_conv and first <= today else []
        )
        if status is not dm.TrajectoryStatus.REFERRED and not contact_days:
            status = dm.TrajectoryStatus.REFERRED
        outcome = closed_on = None
        if status is dm.TrajectoryStatus.CLOSED:
            outcome = rng.choices(list(dm.Outcome), weights=[45, 20, 15, 10, 10])[0]
            closed_on = min(today, contact_days[-1] + timedelta(days=rng.randrange(0, 10)))
        traj = dm.Trajectory(
            client_id=client.id,
            practice_id=practice.id,
            referred_on=referred_on,
            request_category=category,
            question=QUESTIONS[category],
            status=status,
            outcome=outcome,
            closed_on=closed_on,
        )
        yield traj

        # Consents: most clients have some, given by whoever the age rule asked for then.
        authority = [g for g in guardians if g.has_authority]
        for scope in dm.ConsentScope:
            if rng.random() > 0.45:
                continue
            given_on = min(today, referred_on + timedelta(days=rng.randrange(0, 30)))
            if rng.random() < 0.1:  # given long ago: may have lapsed at 12 or 16
                given_on = max(dob + timedelta(days=30), given_on - timedelta(days=900))
            age = _age(dob, given_on)
            withdrawn = None
            if rng.random() < 0.08:
                withdrawn = min(today, given_on + timedelta(days=rng.randrange(1, 60)))
            yield dm.Consent(
                client_id=client.id,
                scope=scope,
                given_on=given_on,
                method=rng.choice(list(dm.ConsentMethod)),
                given_by_child=age >= 12,
                guardian_ids=tuple(g.id for g in authority) if age < 16 else (),
                withdrawn_on=withdrawn,
            )

        for d in contact_days:
            ctype = rng.choice(
                [
                    dm.ContactType.CONVERSATION_CHILD,
                    dm.ContactType.CONVERSATION_PARENTS,
                    dm.ContactType.CONVERSATION_FAMILY,
                    dm.ContactType.CONVERSATION_FAMILY,
                ]
            )
            participants = {
                dm.ContactType.CONVERSATION_CHILD: (dm.Participant.CHILD,),
                dm.ContactType.CONVERSATION_PARENTS: (dm.Participant.PARENT,),
                dm.ContactType.CONVERSATION_FAMILY: (dm.Participant.CHILD, dm.Participant.PARENT),
            }[ctype]
            yield dm.Contact(
                client_id=client.id,
                trajectory_id=traj.id,
                type=ctype,
                start=datetime.combine(d, time(9 + rng.randrange(0, 7), rng.choice((0, 30)))),
                duration_min=rng.choice((30, 45, 60)),
                practice_id=practice.id,
                participants=participants,
                note=rng.choice(NOTES),
                counts_as_conversation=counts_by_default(ctype),
            )
        if rng.random() < 0.15 and contact_days:
            yield dm.Contact(
                client_id=client.id,
                trajectory_id=traj.id,
                type=dm.ContactType.GP_CONSULTATION,
                start=datetime.combine(contact_days[0], time(12, 30)),
                duration_min=15,
                practice_id=practice.id,
                participants=(dm.Participant.GP,),
                note="Afstemming met de huisarts.",
                counts_as_conversation=False,
            )
        if (
            status in (dm.TrajectoryStatus.ACTIVE, dm.TrajectoryStatus.REFERRED)
            and rng.random() < 0.7
        ):
            yield from self._client_appointment(client.id, practice, rooms)

    def _client_appointment(
        self, client_id: str, practice: dm.Practice, rooms: list[dm.Room]
    ) -> Iterator[dm.Appointment]:
        """The next conversation: in a free slot of a part-day when the practice has those."""
        rng = self.rng
        if practice.id in self._slots:
            placed = self._place(practice.id)
            if placed is None:
                return  # this practice's schedule is full: the client waits
            start, room_id = placed
            state = rng.choices(
                [dm.RoomBookingState.CONFIRMED, dm.RoomBookingState.PROVISIONAL], [3, 1]
            )[0]
        else:  # a store without part-days (tests): any working hour in the next weeks
            day = self.today + timedelta(days=rng.randrange(1, 21))
            start = datetime.combine(day, time(9 + rng.randrange(0, 7), rng.choice((0, 30))))
            room_id = rooms[0].id if rooms else None
            state = dm.RoomBookingState.PROVISIONAL
        yield dm.Appointment(
            practice_id=practice.id,
            start=start,
            duration_min=CONVERSATION_MIN,
            kind=dm.AppointmentKind.CONVERSATION,
            client_id=client_id,
            room_id=room_id,
            room_state=state,
        )


def generate(
    services: Services,
    n_clients: int,
    *,
    seed: int = 7,
    today: date | None = None,
    batch: int = 2000,
    progress: Callable[[int, int], None] | None = None,
) -> DemoReport:
    """Fill the store with practices (when it has none) and ``n_clients`` client files."""
    gen = DemoGenerator(seed, today)
    practices = services.practices()
    rooms_by_practice: dict[str, list[dm.Room]] = {}
    if not practices:
        practices, rooms, part_days = gen.practices()
        services.import_bulk([*practices, *rooms, *part_days])
        _demo_schedule(services, gen, practices, part_days)
    for r in services.rooms():
        rooms_by_practice.setdefault(r.practice_id, []).append(r)
    counts = dict.fromkeys(("clients", "trajectories", "consents", "contacts", "appointments"), 0)
    key_of = {
        dm.Client: "clients",
        dm.Trajectory: "trajectories",
        dm.Consent: "consents",
        dm.Contact: "contacts",
        dm.Appointment: "appointments",
    }
    done = 0
    while done < n_clients:
        chunk: list[Any] = []
        for _ in range(min(batch, n_clients - done)):
            practice = gen.rng.choice(practices)
            for obj in gen.client_file(practice, rooms_by_practice.get(practice.id, [])):
                chunk.append(obj)
                k = key_of.get(type(obj))
                if k:
                    counts[k] += 1
            done += 1
        services.import_bulk(chunk)
        if progress:
            progress(done, n_clients)
    return DemoReport(**counts)


def _demo_schedule(
    services: Services,
    gen: DemoGenerator,
    practices: list[dm.Practice],
    part_days: list[dm.PartDay],
) -> None:
    """Travel times, leave, an extra part-day and the blocks of the coming weeks."""
    schedule = ScheduleService(services)
    schedule.save_settings(gen.schedule_settings(practices))
    exceptions = gen.schedule_exceptions(practices)
    for e in exceptions:
        schedule.add_exception(e)
    first = week_start(gen.today)
    last = first + timedelta(weeks=SCHEDULE_WEEKS) - timedelta(days=1)
    planned = expand(part_days, exceptions, first, last)
    services.import_bulk(gen.schedule_blocks(practices, planned))
