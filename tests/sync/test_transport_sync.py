"""The desktop's sync client: gzip request bodies above 1 KiB, gzip answers, faults mapped to
the transport errors (offline stays ``ServerUnreachable``), and the wire types' mirrors."""

from __future__ import annotations

import dataclasses
import gzip
import http.server
import json
import threading
import uuid
from collections.abc import Iterator

import pytest

from liaison_desktop.server import schemas
from liaison_desktop.sync import protocol as p
from liaison_desktop.sync import transport as t
from tests.server.support import free_port


class Recorder(http.server.BaseHTTPRequestHandler):
    """Answers sync routes like a server would, and records what arrived."""

    protocol_version = "HTTP/1.1"
    seen: list[dict] = []
    answer: bytes = b""
    answer_headers: dict[str, str] = {}

    def log_message(self, *args) -> None:
        pass

    def _reply(self) -> None:
        self.send_response(200)
        self.send_header("Content-Type", "application/json")
        for k, v in Recorder.answer_headers.items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(Recorder.answer)))
        self.end_headers()
        self.wfile.write(Recorder.answer)

    def do_POST(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers["Content-Length"]))
        Recorder.seen.append({"path": self.path, "headers": dict(self.headers), "body": body})
        self._reply()

    do_PUT = do_POST  # noqa: N815

    def do_GET(self) -> None:  # noqa: N802
        Recorder.seen.append({"path": self.path, "headers": dict(self.headers), "body": b""})
        self._reply()


@pytest.fixture
def stub() -> Iterator[t.ServerClient]:
    Recorder.seen = []
    server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Recorder)
    threading.Thread(target=server.serve_forever, daemon=True).start()
    client = t.ServerClient(
        t.Transport(f"http://127.0.0.1:{server.server_address[1]}", token="ldt_x")
    )
    yield client
    client.close()
    server.shutdown()
    server.server_close()


PUSH_REPLY = {"stored": 1, "duplicates": 0, "quarantined": [], "server_time_ms": 5}


def changes(n: int) -> list[p.Change]:
    return [
        p.Change(str(uuid.uuid4()), "contact", str(uuid.uuid4()), "duration_min", "45", "h")
        for _ in range(n)
    ]


def test_a_large_push_is_gzipped_and_a_small_one_is_not(stub):
    Recorder.answer, Recorder.answer_headers = json.dumps(PUSH_REPLY).encode(), {}
    reply = stub.push("dev", changes(50), batch_id="b", cursor=3)
    assert reply.stored == 1 and reply.resync is False and reply.quarantined == ()
    big = Recorder.seen[-1]
    assert big["headers"]["Content-Encoding"] == "gzip"
    assert big["headers"]["X-Liaison-Protocol"] == "1"
    assert big["headers"]["Accept-Encoding"] == "gzip"
    sent = json.loads(gzip.decompress(big["body"]))
    assert sent["device_id"] == "dev" and sent["cursor"] == 3 and len(sent["changes"]) == 50
    assert set(sent["changes"][0]) == {"id", "t", "r", "f", "v", "h"}
    stub.push("dev", changes(1), batch_id="c")
    small = Recorder.seen[-1]
    assert "Content-Encoding" not in small["headers"]
    assert json.loads(small["body"])["batch_id"] == "c"


def test_a_gzipped_answer_is_unpacked(stub):
    page = {
        "changes": [
            {"s": i, "id": f"c{i}", "t": "contact", "r": "r", "f": "note", "v": "e1:x", "h": "h"}
            for i in range(1, 101)
        ],
        "next": 100,
        "more": False,
        "server_time_ms": 1,
    }
    Recorder.answer = gzip.compress(json.dumps(page).encode())
    Recorder.answer_headers = {"Content-Encoding": "gzip"}
    reply = stub.pull(0, 100)
    assert [c.s for c in reply.changes] == list(range(1, 101)) and reply.next == 100
    assert reply.changes[0].change == p.Change("c1", "contact", "r", "note", "e1:x", "h")
    assert Recorder.seen[-1]["path"] == "/api/v1/sync/pull?after=0&limit=100"


def test_a_corrupt_gzip_answer_is_a_bad_response(stub):
    Recorder.answer = b"\x1f\x8b\x08\x00garbage"
    Recorder.answer_headers = {"Content-Encoding": "gzip"}
    with pytest.raises(t.BadResponse):
        stub.pull(0)


def test_an_unknown_encoding_is_a_bad_response(stub):
    Recorder.answer, Recorder.answer_headers = b"{}", {"Content-Encoding": "br"}
    with pytest.raises(t.BadResponse):
        stub.pull(0)


def test_a_gzip_bomb_answer_is_refused(stub):
    stub.transport.max_response_bytes = 1024 * 1024
    Recorder.answer = gzip.compress(b" " * (8 * 1024 * 1024))
    Recorder.answer_headers = {"Content-Encoding": "gzip"}
    with pytest.raises(t.ResponseTooLarge):
        stub.pull(0)


def test_an_answer_of_the_wrong_shape_is_a_bad_response(stub):
    Recorder.answer_headers = {}
    for answer in ({"stored": "1"}, {"changes": [{"s": "1"}], "next": 0, "more": False}):
        Recorder.answer = json.dumps({**answer, "server_time_ms": 1}).encode()
        with pytest.raises(t.BadResponse):
            if "stored" in answer:
                stub.push("dev", [], batch_id="b")
            else:
                stub.pull(0)


def test_offline_is_server_unreachable():
    client = t.ServerClient(t.Transport(f"http://127.0.0.1:{free_port()}", token="ldt_x"))
    with pytest.raises(t.ServerUnreachable):
        client.push("dev", changes(3), batch_id="b")
    with pytest.raises(t.ServerUnreachable):
        client.pull(0)
    with pytest.raises(t.ServerUnreachable):
        client.get_vault()


def test_wire_round_trips():
    reply = p.PullReply(
        (p.PulledChange(3, "c", "client", "r", "bsn", "e1:AAAA", "h"),), 3, False, 9, True
    )
    assert p.PullReply.from_json(json.loads(json.dumps(reply.to_json()))) == reply
    vault = p.Vault("k", p.WrappedKey("a", "n", "c", salt="s", kdf="argon2id"), None, "pub", 4)
    assert p.Vault.from_json(vault.to_json()) == vault
    assert vault.passphrase is not None
    assert vault.passphrase.blob() == {"alg": "a", "nonce": "n", "ct": "c", "salt": "s"}
    push = p.PushReply.from_json(
        {
            "stored": 1,
            "duplicates": 2,
            "quarantined": [{"id": "x", "reason": "malformed"}],
            "server_time_ms": 3,
            "future": True,
        }
    )
    assert push.quarantined == (p.Quarantined("x", "malformed"),) and push.more is False


@pytest.mark.parametrize(
    "data",
    [
        {"id": 1, "t": "client", "r": "r", "f": "f", "v": "v", "h": "h"},
        {"id": "1", "t": "client", "r": "r", "f": "f", "h": "h"},
        ["not", "a", "change"],
    ],
)
def test_a_bad_change_is_a_protocol_error(data):
    with pytest.raises(p.ProtocolError):
        p.Change.from_json(data)
    with pytest.raises(p.ProtocolError):
        p.PulledChange.from_json({"s": 1, **data} if isinstance(data, dict) else data)
    with pytest.raises(p.ProtocolError):
        p.PulledChange.from_json(
            {"s": True, "id": "1", "t": "", "r": "", "f": "", "v": "", "h": ""}
        )


@pytest.mark.parametrize(
    "name",
    [
        "Change",
        "PulledChange",
        "PushRequest",
        "Quarantined",
        "PushReply",
        "PullReply",
        "FreeSlot",
        "BookingConflict",
        "WrappedKey",
        "VaultPut",
        "Vault",
    ],
)
def test_server_models_mirror_the_sync_types(name):
    wire = getattr(p, name)
    model = getattr(schemas, name)
    assert [f.name for f in dataclasses.fields(wire)] == list(model.model_fields)


def test_every_encrypted_field_is_a_synced_field():
    from liaison_desktop.sync.fieldcrypt import ENCRYPTED_FIELDS

    for table, fields in ENCRYPTED_FIELDS.items():
        assert fields <= p.SYNCED_FIELDS[table], table
