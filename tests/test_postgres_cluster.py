"""Where the tests find a server: the throwaway cluster used when no server answers."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from leadcli.store.db import Store
from tests.conftest import throwaway_cluster


def test_a_throwaway_cluster_serves_a_store_and_is_gone_after(isolated_home) -> None:
    started = throwaway_cluster()
    if isinstance(started, str):
        if shutil.which("initdb") or list(Path("/usr/lib/postgresql").glob("*/bin/initdb")):
            pytest.fail(f"initdb is installed but {started}", pytrace=False)
        pytest.skip(started)
    url, stop = started
    try:
        from leadcli.services.admin import apply_setup
        from leadcli.store.team import Team

        apply_setup(url, Team())  # the whole set-up, as `leadcli admin setup --apply` runs it
        with Store.open(isolated_home, url=url) as store:
            assert store.user == "postgres"
            assert store.interviews.summaries() == ([], 0)
            folder = Path(store.connection.execute("SHOW data_directory").fetchone()[0]).parent
            if os.geteuid() == 0:  # the server refuses root: it ran as another user
                assert folder.stat().st_uid != 0
    finally:
        stop()
    assert not folder.exists()
