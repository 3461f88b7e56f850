"""SIGKILL at each step of an upload, then a restart: every accepted change is in OSM exactly once.

The push runs in a subprocess that kills itself (SIGKILL: no cleanup, no finally) at a checkpoint; the
emulator and the state store outlive it. A second process then pushes again from the same store.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from emulators.osm_api import USER
from osmbridge.push.osm_push import CHECKPOINTS
from osmbridge.store import Store
from osmbridge.store.journal import PushJournal
from push.conftest import TOKEN
from push.project_fixtures import write_project
from push.push_fixtures import CREATED_TAGS, DATASET, EXPECTED_TAGS, town_items

CHILD = Path(__file__).with_name("crash_child.py")
ROOT = Path(__file__).resolve().parents[2]


def run_child(config: Path, kill_at: str) -> subprocess.CompletedProcess[str]:
    environment = dict(os.environ, OSMBRIDGE_OSM_TOKEN=TOKEN,
                       PYTHONPATH=os.pathsep.join([str(ROOT / "tests"), str(ROOT)]))
    return subprocess.run([sys.executable, str(CHILD), str(config), kill_at], env=environment, text=True,
                          capture_output=True, timeout=120)


@pytest.mark.parametrize("kill_at", CHECKPOINTS)
def test_a_push_killed_at_any_step_and_restarted_applies_each_change_once(tmp_path, api, kill_at):
    config = write_project(tmp_path, api.url)
    killed = run_child(config, kill_at)
    assert killed.returncode == -signal.SIGKILL, killed.stderr
    restarted = run_child(config, "none")
    assert restarted.returncode == 0, restarted.stdout + restarted.stderr

    for key, tags in EXPECTED_TAGS.items():
        assert api.element(key).tags == tags, key
        assert [v.version for v in api.history(key) if v.user == USER] == [2], key
    assert len([v for v in api.elements("n") if v.tags == CREATED_TAGS]) == 1
    mine = [c for c in api.changesets if c.user == USER]
    assert sum(len(c.changes) for c in mine) == len(EXPECTED_TAGS) + 1
    assert not any(c.open for c in mine)  # even one opened just before the kill, empty, is closed

    store = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
    try:
        assert store.accepted_items(DATASET, "to_osm") == []
        for difference, _ in town_items():
            assert store.review_item(difference.id).decision.state == "pushed", difference.id
        journal = PushJournal(store.engine)
        assert journal.unfinished(DATASET) == []
        assert [e.state for e in journal.entries(DATASET)].count("done") == 1
    finally:
        store.close()


def test_a_third_run_after_recovery_changes_nothing(tmp_path, api):
    config = write_project(tmp_path, api.url)
    assert run_child(config, "after_upload").returncode == -signal.SIGKILL
    assert run_child(config, "none").returncode == 0
    writes = len(api.writes)
    assert run_child(config, "none").returncode == 0
    assert len(api.writes) == writes
