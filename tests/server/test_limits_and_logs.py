"""Request size limits, the error shape, and logs that carry ids but no personal data."""

from __future__ import annotations

import json
import logging

import pytest

from liaison_desktop.server import accounts
from liaison_desktop.server.logconfig import JsonFormatter
from liaison_desktop.server.settings import Settings
from liaison_desktop.sync.protocol import Role


@pytest.fixture
def settings(tmp_path):
    return Settings(data_dir=tmp_path / "server", max_body_mb=0.01)  # about 10 kB


def test_body_over_the_limit_by_content_length_is_413(client):
    r = client.post(
        "/api/v1/enrol", content=b"x" * 20_000, headers={"Content-Type": "application/json"}
    )
    assert r.status_code == 413
    assert r.json()["error"] == "body_too_large"


def test_streamed_body_over_the_limit_is_413(client):
    def chunks():
        for _ in range(40):
            yield b" " * 1000

    r = client.post("/api/v1/enrol", content=chunks(), headers={"Content-Type": "application/json"})
    assert r.status_code == 413


def test_body_under_the_limit_reaches_validation(client):
    r = client.post(
        "/api/v1/enrol",
        content=b"[" + b"1," * 3000 + b"1]",
        headers={"Content-Type": "application/json"},
    )
    assert r.status_code == 422
    assert r.json()["error"] == "invalid_request"


def test_validation_errors_do_not_echo_the_input(client):
    secret = "Fatima de Vries 123456782"
    r = client.post("/api/v1/enrol", json={"code": secret * 5})
    assert r.status_code == 422
    assert secret not in r.text


def test_unknown_route_and_method_use_the_error_shape(client):
    r = client.get("/api/v1/nothing-here")
    assert r.status_code == 404 and r.json()["error"] == "not_found"
    r = client.delete("/api/v1/health")
    assert r.status_code == 405 and r.json()["error"] == "method_not_allowed"


def test_health_needs_no_token_and_reveals_no_data(client):
    r = client.get("/api/v1/health")
    assert r.status_code == 200
    assert set(r.json()) == {"status", "version", "protocol_version", "min_protocol_version"}


def test_logs_have_ids_but_no_names_codes_or_tokens(client, db, caplog):
    caplog.set_level(logging.DEBUG, logger="liaison_desktop")
    org = accounts.create_org(db, "Jeugdteam Zuidwest")
    team = accounts.create_team(db, org.id, "Team Kinderdijk")
    user = accounts.create_user(db, team.id, Role.PROFESSIONAL, "Fatima de Vries")
    code = accounts.issue_enrolment_code(db, user.id).code
    client.post("/api/v1/enrol", json={"code": "WRONG-CODE-0000"})
    token = client.post("/api/v1/enrol", json={"code": code}).json()["token"]
    client.get("/api/v1/me", headers={"Authorization": f"Bearer {token}"})
    formatter = JsonFormatter()
    lines = [formatter.format(r) for r in caplog.records]
    assert lines, "expected log lines"
    text = "\n".join(lines)
    for secret in (
        "Fatima",
        "Vries",
        "Zuidwest",
        "Kinderdijk",
        code,
        token,
        token[4:20],
        "WRONG-CODE",
    ):
        assert secret not in text, secret
    assert user.id in text  # ids are logged
    for line in lines:
        json.loads(line)
    access = [json.loads(x) for x in lines if '"request"' in x]
    assert any(a["route"] == "/api/v1/me" and a["status"] == 200 for a in access)


def test_json_formatter_keeps_exception_type_not_text():
    formatter = JsonFormatter()
    try:
        raise ValueError("naam: Fatima de Vries")
    except ValueError:
        import sys

        record = logging.LogRecord("x", logging.ERROR, __file__, 1, "failed", None, sys.exc_info())
    out = json.loads(formatter.format(record))
    assert out["exc_type"] == "ValueError" and "Fatima" not in json.dumps(out)
