"""The suppression threshold is a server setting: a higher one hides more, everywhere."""

from __future__ import annotations

import pytest

from liaison_desktop.server.settings import Settings, SettingsError
from tests.server.test_overview_routes import YEAR, live, org, people, pushed, values  # noqa: F401


@pytest.fixture
def settings(tmp_path) -> Settings:
    return Settings(data_dir=tmp_path / "server", auth_cache_seconds=5.0, overview_threshold=25)


def test_a_higher_threshold_is_applied_and_reported(people, pushed, org):  # noqa: F811
    reply = people["lead1"].api.overview(
        f"{YEAR}-01-01", f"{YEAR}-12-31", "month", team_id=org["team1"]
    )
    assert reply.threshold == 25
    shown = 0
    for row in reply.rows:
        for name, value in values(reply, row).items():
            if value is not None and name.startswith(
                ("referrals", "closed", "waiting_count", "waiting.")
            ):
                assert int(value) >= 25, (row.scope_kind, row.period, name, value)
                shown += 1
    assert shown > 0


def test_a_threshold_below_two_is_refused():
    with pytest.raises(SettingsError):
        Settings(overview_threshold=1).check()
    assert Settings.from_env({"LIAISON_SERVER_OVERVIEW_THRESHOLD": "10"}).overview_threshold == 10
