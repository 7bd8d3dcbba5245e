"""``liaison-server admin``: each command prints one JSON object; the database is found like
the server finds it (--data-dir, --database-url)."""

from __future__ import annotations

import json
import subprocess

import pytest

from liaison_desktop.server.__main__ import main
from tests.server.support import SERVER_CMD


def admin(capsys, db_args, *args):
    code = main(["admin", *db_args, *args])
    out, err = capsys.readouterr()
    assert code == 0, err
    lines = out.strip().splitlines()
    assert len(lines) == 1, out
    return json.loads(lines[0])


@pytest.fixture
def db_args(tmp_path, database_url):
    args = ["--data-dir", str(tmp_path / "server")]
    return args + (["--database-url", database_url] if database_url else [])


def test_the_whole_account_flow(capsys, db_args):
    org = admin(capsys, db_args, "create-org", "--name", "Jeugdhulp Noord")
    team = admin(capsys, db_args, "create-team", "--org", org["id"], "--name", "Team 1")
    team2 = admin(capsys, db_args, "create-team", "--org", org["id"], "--name", "Team 2")
    user = admin(
        capsys,
        db_args,
        "create-user",
        "--team",
        team["id"],
        "--role",
        "team-leader",
        "--name",
        "Ans",
    )
    assert user["org_id"] == org["id"] and user["role"] == "team-leader"
    member = admin(capsys, db_args, "add-member", "--team", team2["id"], "--user", user["id"])
    assert member["user_id"] == user["id"]
    code = admin(capsys, db_args, "enrolment-code", "--user", user["id"])
    assert code["id"] and len(code["code"]) == 14 and code["expires_at"].endswith("Z")
    users = admin(capsys, db_args, "list-users")["users"]
    assert users[0]["team_ids"] == sorted([team["id"], team2["id"]])
    assert admin(capsys, db_args, "list-devices") == {"devices": []}


def test_errors_go_to_stderr_with_exit_code_2(capsys, db_args):
    assert main(["admin", *db_args, "create-team", "--org", "nope", "--name", "X"]) == 2
    out, err = capsys.readouterr()
    assert out == "" and "bestaat niet" in err
    assert main(["admin", *db_args, "revoke-device", "--device", "nope"]) == 2
    assert main(["admin", *db_args, "create-org", "--name", "   "]) == 2


def test_options_before_admin_work_too(capsys, tmp_path):
    d = str(tmp_path / "srv")
    org = json.loads(
        (main(["--data-dir", d, "admin", "create-org", "--name", "X"]), capsys.readouterr().out)[1]
    )
    assert admin(capsys, ["--data-dir", d], "list-users") == {"users": []}
    assert org["id"]


def test_real_command_line(tmp_path):
    r = subprocess.run(
        [*SERVER_CMD, "admin", "--data-dir", str(tmp_path / "s"), "create-org", "--name", "X"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 0, r.stderr
    assert set(json.loads(r.stdout)) >= {"id", "name"}


def test_settings_errors(capsys, tmp_path):
    assert main(["--data-dir", str(tmp_path), "--tls-cert", str(tmp_path / "x.pem")]) == 2
    assert "tls" in capsys.readouterr().err.lower()
    assert main(["--database-url", "mysql://x/y", "admin", "list-users"]) == 2
