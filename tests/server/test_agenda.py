"""The team-agenda routes on SQLite and PostgreSQL: who may read and write a team's agenda,
first-wins team keys, idempotent items, removal, the next meeting, and ciphertext only."""

from __future__ import annotations

import os
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from liaison_desktop.server.agenda_models import AgendaEntry
from liaison_desktop.sync import teamkey
from liaison_desktop.sync.protocol import Role
from liaison_desktop.sync.teamkey import ItemContent, MemberKeyPair

QUESTION = "Vader heeft schulden en de huur is achterstallig; wie kan meedenken?"
INITIALS = "Q.Z."


def url(team_id: str, tail: str = "") -> str:
    return f"/api/v1/agenda/teams/{team_id}{tail}"


class Member:
    """One account's side of the protocol, with its own key pair."""

    def __init__(self, world, key: str) -> None:
        self.acc = world[key]
        self.c = world.client
        self.pair = MemberKeyPair.generate()
        self.team_key: bytes | None = None
        self.key_id: str | None = None

    @property
    def team(self) -> str:
        return self.acc.team_id

    def req(self, method: str, path: str, **kw):
        return self.c.request(method, path, headers=self.acc.headers, **kw)

    def upload_key(self) -> None:
        r = self.req("PUT", "/api/v1/agenda/key", json={"public_key": self.pair.public_b64()})
        assert r.status_code == 200, r.text

    def agenda(self, team_id: str | None = None) -> dict:
        r = self.req("GET", url(team_id or self.team))
        assert r.status_code == 200, r.text
        return r.json()

    def make_team_key(self) -> None:
        self.key_id, self.team_key = teamkey.new_team_key()
        wrap = self.wrap_for(self.acc.user_id, self.pair.public_b64())
        r = self.req(
            "PUT",
            url(self.team, "/wraps"),
            json={"key_id": self.key_id, "wraps": [{"user_id": self.acc.user_id, "wrap": wrap}]},
        )
        assert r.status_code == 200, r.text

    def wrap_for(self, user_id: str, public_b64: str) -> dict:
        return teamkey.wrap_team_key(
            public_b64, self.team_key, team_id=self.team, key_id=self.key_id, user_id=user_id
        )

    def wrap_missing(self) -> int:
        members = self.agenda()["members"]
        wraps = [
            {"user_id": m["user_id"], "wrap": self.wrap_for(m["user_id"], m["public_key"])}
            for m in members
            if m["public_key"] and not m["has_wrap"]
        ]
        if not wraps:
            return 0
        r = self.req("PUT", url(self.team, "/wraps"), json={"key_id": self.key_id, "wraps": wraps})
        assert r.status_code == 200, r.text
        return r.json()["stored"]

    def open_key(self) -> None:
        a = self.agenda()
        self.key_id = a["key_id"]
        self.team_key = teamkey.unwrap_team_key(
            self.pair, a["my_wrap"], team_id=self.team, key_id=self.key_id, user_id=self.acc.user_id
        )

    def post(self, question: str = QUESTION, item_id: str | None = None):
        item_id = item_id or str(uuid.uuid4())
        ct = teamkey.encrypt_item(
            self.team_key,
            team_id=self.team,
            item_id=item_id,
            key_id=self.key_id,
            content=ItemContent(INITIALS, question, "De Linde"),
        )
        return self.req(
            "POST",
            url(self.team, "/items"),
            json={"id": item_id, "key_id": self.key_id, "ciphertext": ct},
        )

    def read_items(self) -> list[ItemContent]:
        return [
            teamkey.decrypt_item(
                self.team_key,
                team_id=self.team,
                item_id=i["id"],
                key_id=i["key_id"],
                ciphertext=i["ciphertext"],
            )
            for i in self.agenda()["items"]
        ]


@pytest.fixture
def team(world):
    """In team A1: two professionals and the team leader, each with an uploaded key."""
    world.add_account("pro2A", Role.PROFESSIONAL, "A1")
    world.add_account("proA2", Role.PROFESSIONAL, "A2")  # same org, other team
    members = {k: Member(world, k) for k in ("proA", "pro2A", "leadA")}
    for m in members.values():
        m.upload_key()
    return members


def test_members_and_the_team_leader_read_what_one_member_posted(team):
    a, b, lead = team["proA"], team["pro2A"], team["leadA"]
    a.make_team_key()
    r = a.post()
    assert r.status_code == 201, r.text
    assert r.json()["author_name"] == "Gebruiker proA"
    # The others have no wrap yet; the next member who holds the key wraps it for them.
    listing = {m["user_id"]: m for m in a.agenda()["members"]}
    assert not listing[b.acc.user_id]["has_wrap"] and listing[a.acc.user_id]["has_wrap"]
    assert b.agenda()["my_wrap"] is None
    assert a.wrap_missing() == 2
    assert a.wrap_missing() == 0  # nothing left to wrap
    for reader in (b, lead):
        reader.open_key()
        assert reader.read_items() == [ItemContent(INITIALS, QUESTION, "De Linde")]
    assert b.post("Tweede vraag").status_code == 201
    assert [i.question for i in a.read_items()] == [QUESTION, "Tweede vraag"]


def test_only_members_and_the_team_leader_of_the_team(world, team):
    team["proA"].make_team_key()
    assert team["proA"].post().status_code == 201
    a1 = world.teams["A1"]
    for outsider in ("proA2", "proB", "leadB", "adminA"):
        r = world.client.get(url(a1), headers=world[outsider].headers)
        assert r.status_code == 403, outsider
        r = world.client.post(
            url(a1, "/items"),
            headers=world[outsider].headers,
            json={"id": str(uuid.uuid4()), "key_id": team["proA"].key_id, "ciphertext": "a1:AAAA"},
        )
        assert r.status_code == 403, outsider
    assert world.client.get(url(a1)).status_code == 401
    # The admin has no agenda key route either.
    r = world.client.put(
        "/api/v1/agenda/key",
        headers=world["adminA"].headers,
        json={"public_key": MemberKeyPair.generate().public_b64()},
    )
    assert r.status_code == 403


def test_team_keys_and_member_keys_are_first_wins(world, team):
    a, b = team["proA"], team["pro2A"]
    # A second public key for the same user: refused, the first stays.
    r = a.req(
        "PUT", "/api/v1/agenda/key", json={"public_key": MemberKeyPair.generate().public_b64()}
    )
    assert r.status_code == 409 and r.json()["error"] == "agenda_key_conflict"
    r = a.req("GET", "/api/v1/agenda/key")
    assert r.json()["public_key"] == a.pair.public_b64()
    a.make_team_key()
    # A member racing with another team key: refused (409), and must not be able to wrap.
    b.key_id, b.team_key = teamkey.new_team_key()
    r = b.req(
        "PUT",
        url(b.team, "/wraps"),
        json={
            "key_id": b.key_id,
            "wraps": [
                {"user_id": b.acc.user_id, "wrap": b.wrap_for(b.acc.user_id, b.pair.public_b64())}
            ],
        },
    )
    assert r.status_code == 409
    # Same key id but without holding a wrap: forbidden (cannot know the key).
    r = b.req(
        "PUT",
        url(b.team, "/wraps"),
        json={
            "key_id": a.key_id,
            "wraps": [
                {"user_id": b.acc.user_id, "wrap": b.wrap_for(b.acc.user_id, b.pair.public_b64())}
            ],
        },
    )
    assert r.status_code == 403
    # An item under another key is refused.
    assert b.post().status_code == 409
    # Wrapping for someone outside the team is refused.
    outsider = world["proA2"]
    world.client.put(
        "/api/v1/agenda/key",
        headers=outsider.headers,
        json={"public_key": MemberKeyPair.generate().public_b64()},
    )
    r = a.req(
        "PUT",
        url(a.team, "/wraps"),
        json={
            "key_id": a.key_id,
            "wraps": [
                {
                    "user_id": outsider.user_id,
                    "wrap": a.wrap_for(outsider.user_id, a.pair.public_b64()),
                }
            ],
        },
    )
    assert r.status_code == 422


@pytest.mark.parametrize(
    "body",
    [
        {"public_key": "not base64 !!"},
        {"public_key": "AAAA"},
        {"public_key": MemberKeyPair.generate().public_b64(), "private_escrow": "clear text"},
        {},
    ],
)
def test_bad_key_bodies_are_422(team, body):
    r = team["proA"].req("PUT", "/api/v1/agenda/key", json=body)
    assert r.status_code == 422


def test_items_are_idempotent_and_bad_items_refused(team):
    a = team["proA"]
    a.make_team_key()
    item_id = str(uuid.uuid4())
    first = a.post(item_id=item_id)
    assert first.status_code == 201
    again = a.req(
        "POST",
        url(a.team, "/items"),
        json={"id": item_id, "key_id": a.key_id, "ciphertext": first.json()["ciphertext"]},
    )
    assert again.status_code == 200 and again.json()["id"] == item_id
    assert a.post(item_id=item_id).status_code == 409  # another ciphertext under the same id
    for bad in ("clear question", "a1:" + "A" * (teamkey.MAX_CIPHERTEXT_CHARS + 1), ""):
        r = a.req(
            "POST",
            url(a.team, "/items"),
            json={"id": str(uuid.uuid4()), "key_id": a.key_id, "ciphertext": bad},
        )
        assert r.status_code == 422, bad
    assert len(a.agenda()["items"]) == 1


def test_removal_by_the_author_or_the_team_leader_only(world, team):
    a, b, lead = team["proA"], team["pro2A"], team["leadA"]
    a.make_team_key()
    first = a.post().json()["id"]
    second = a.post("Nog een vraag").json()["id"]
    assert b.req("DELETE", url(a.team, f"/items/{first}")).status_code == 403
    r = world.client.delete(url(a.team, f"/items/{first}"), headers=world["proB"].headers)
    assert r.status_code == 403
    assert a.req("DELETE", url(a.team, f"/items/{first}")).status_code == 204
    assert a.req("DELETE", url(a.team, f"/items/{first}")).status_code == 404
    assert lead.req("DELETE", url(a.team, f"/items/{second}")).status_code == 204
    assert a.agenda()["items"] == []
    with world.db.read() as s:
        assert s.query(AgendaEntry).count() == 0  # deleted, not flagged


def test_the_next_meeting_set_by_the_team_leader(team):
    a, lead = team["proA"], team["leadA"]
    a.make_team_key()
    undated = a.post("Zonder datum").json()
    assert undated["meeting_at"] is None
    soon = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    later = soon + timedelta(days=7)
    body = {"meeting_at": soon.isoformat()}
    assert a.req("PUT", url(a.team, "/meeting"), json=body).status_code == 403
    assert lead.req("PUT", url(a.team, "/meeting"), json=body).status_code == 200
    dated = a.post("Voor het overleg").json()
    assert datetime.fromisoformat(dated["meeting_at"].replace("Z", "+00:00")) == soon
    agenda = a.agenda()
    assert datetime.fromisoformat(agenda["meeting_at"].replace("Z", "+00:00")) == soon
    assert {i["id"] for i in agenda["items"]} == {undated["id"], dated["id"]}
    # After the meeting the leader sets the next one: what was on the last one drops off,
    # items put on "the next meeting" stay.
    r = lead.req("PUT", url(a.team, "/meeting"), json={"meeting_at": later.isoformat()})
    assert r.status_code == 200
    assert [i["id"] for i in a.agenda()["items"]] == [undated["id"]]


def test_the_database_holds_the_question_only_as_ciphertext(world, team, backend):
    a, b = team["proA"], team["pro2A"]
    a.make_team_key()
    a.wrap_missing()
    for _ in range(5):
        assert a.post().status_code == 201
    b.open_key()
    assert b.read_items()[0].question == QUESTION
    words = [QUESTION, "schulden", "achterstallig", INITIALS, "De Linde"]
    db = world.db
    if backend == "sqlite":
        db.dispose()
        path = db.url.database
        blob = b""
        for suffix in ("", "-wal", "-shm", "-journal"):
            if os.path.exists(path + suffix):
                with open(path + suffix, "rb") as fh:
                    blob += fh.read()
        assert b"Gebruiker proA" in blob  # sanity: clear text is found when there
        for word in words:
            for encoding in ("utf-8", "utf-16-le"):
                assert word.encode(encoding) not in blob, word
    else:
        tables = [t for t in AgendaEntry.metadata.sorted_tables if t.name.startswith("agenda_")]
        with db.connect() as conn:
            dump = "\n".join(
                str(row[0])
                for t in tables
                for row in conn.execute(text(f"SELECT CAST(x AS text) FROM {t.name} AS x"))
            )
        assert "a1:" in dump  # sanity: the items are there
        for word in words:
            assert word not in dump, word


def test_the_author_reference_goes_back_to_the_author_only(team):
    a, b = team["proA"], team["pro2A"]
    a.make_team_key()
    a.wrap_missing()
    item_id = str(uuid.uuid4())
    ct = teamkey.encrypt_item(
        a.team_key,
        team_id=a.team,
        item_id=item_id,
        key_id=a.key_id,
        content=ItemContent(INITIALS, QUESTION),
    )
    for bad in ("client-123", "e1:" + "A" * 600):
        r = a.req(
            "POST",
            url(a.team, "/items"),
            json={"id": item_id, "key_id": a.key_id, "ciphertext": ct, "author_ref": bad},
        )
        assert r.status_code == 422, bad
    ref = "e1:" + "B" * 40
    body = {"id": item_id, "key_id": a.key_id, "ciphertext": ct, "author_ref": ref}
    assert a.req("POST", url(a.team, "/items"), json=body).status_code == 201
    assert [i["author_ref"] for i in a.agenda()["items"]] == [ref]
    assert [i["author_ref"] for i in b.agenda()["items"]] == [""]
