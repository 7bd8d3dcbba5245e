"""The shared wire types: JSON round trips, validation, and the server's mirrors."""

from __future__ import annotations

import dataclasses
from datetime import UTC, datetime

import pytest

from liaison_desktop.server import schemas
from liaison_desktop.sync import protocol as p


def test_round_trip():
    now = datetime(2026, 11, 22, 12, 0, 1, 123000, tzinfo=UTC)
    msg = p.EnrolResponse(
        device_id="d",
        token="ldt_x",
        token_expires_at=now,
        user_id="u",
        user_name="n",
        role=p.Role.TEAM_LEADER,
        org_id="o",
        team_ids=("t1", "t2"),
        server_time=now,
        protocol_version=1,
    )
    data = msg.to_json()
    assert data["role"] == "team-leader" and data["team_ids"] == ["t1", "t2"]
    assert data["server_time"] == "2026-11-22T12:00:01.123Z"
    assert p.EnrolResponse.from_json(data) == msg


def test_defaults_and_unknown_fields():
    assert p.EnrolRequest.from_json({"code": "X", "future_field": 1}) == p.EnrolRequest("X")
    info = p.DeviceInfo.from_json(
        {
            "id": "d",
            "user_id": "u",
            "org_id": "o",
            "name": "",
            "created_at": "2026-01-01T00:00:00Z",
            "expires_at": "2027-01-01T00:00:00+00:00",
        }
    )
    assert info.revoked_at is None and info.expires_at.tzinfo is not None


@pytest.mark.parametrize(
    "data",
    [
        None,
        [],
        {},
        {"code": 5},
        {"code": "x", "protocol_version": "1"},
        {"code": "x", "protocol_version": True},
    ],
)
def test_invalid_messages_raise_protocol_error(data):
    with pytest.raises(p.ProtocolError):
        p.EnrolRequest.from_json(data)


def test_bad_enum_and_time():
    with pytest.raises(p.ProtocolError):
        p.UserInfo.from_json({"id": "u", "org_id": "o", "name": "n", "role": "root"})
    with pytest.raises(p.ProtocolError):
        p.parse_time("2026-01-01T00:00:00")  # no zone
    with pytest.raises(ValueError):
        p.format_time(datetime(2026, 1, 1))


@pytest.mark.parametrize(
    "name",
    [
        "ErrorBody",
        "Health",
        "Ping",
        "EnrolRequest",
        "EnrolResponse",
        "Me",
        "SyncStatus",
        "TeamInfo",
        "UserInfo",
        "DeviceInfo",
    ],
)
def test_server_models_mirror_the_protocol(name):
    wire = getattr(p, name)
    model = getattr(schemas, name)
    assert [f.name for f in dataclasses.fields(wire)] == list(model.model_fields)


def test_protocol_module_is_stdlib_only():
    import ast
    import sys
    from pathlib import Path

    tree = ast.parse(Path(p.__file__).read_text())
    modules = {
        (n.module or "").split(".")[0] if isinstance(n, ast.ImportFrom) else a.name.split(".")[0]
        for n in ast.walk(tree)
        if isinstance(n, ast.Import | ast.ImportFrom)
        for a in n.names
    }
    assert modules <= set(sys.stdlib_module_names) | {"__future__"}, modules
