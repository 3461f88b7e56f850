"""One push per dataset at a time, on SQLite and PostgreSQL; the lock dies with its process."""

from __future__ import annotations

import signal
import subprocess
import sys
import time

import pytest

from osmbridge.store import Store
from postgres import scratch_schema
from osmbridge.store.push_lock import PushBusy, push_lock


@pytest.fixture(params=["sqlite", "postgresql"])
def store(request, tmp_path):
    if request.param == "sqlite":
        opened = Store(f"sqlite:///{tmp_path / 'state.sqlite'}")
        yield opened
        opened.close()
        return
    with scratch_schema() as url:
        opened = Store(url)
        yield opened
        opened.close()


def test_a_second_push_of_the_same_dataset_is_refused(store):
    with push_lock(store.engine, "libs"):
        with pytest.raises(PushBusy, match="another `osmbridge push` of 'libs'"), push_lock(store.engine, "libs"):
            pass
        with push_lock(store.engine, "parks"):  # another dataset: fine
            pass
    with push_lock(store.engine, "libs"):  # released
        pass


def test_a_killed_holder_releases_the_lock(store, tmp_path):
    url = store.engine.url.render_as_string(hide_password=False)
    ready = tmp_path / "ready"
    holder = subprocess.Popen([sys.executable, "-c", (
        "import sys, time, pathlib\n"
        "from osmbridge.store import Store\n"
        "from osmbridge.store.push_lock import push_lock\n"
        f"store = Store({url!r})\n"
        "with push_lock(store.engine, 'libs'):\n"
        f"    pathlib.Path({str(ready)!r}).write_text('x')\n"
        "    time.sleep(60)\n")])
    try:
        deadline = time.monotonic() + 60
        while not ready.exists():
            assert time.monotonic() < deadline and holder.poll() is None
            time.sleep(0.1)
        with pytest.raises(PushBusy), push_lock(store.engine, "libs"):
            pass
    finally:
        holder.send_signal(signal.SIGKILL)
        holder.wait()
    deadline = time.monotonic() + 10
    while True:
        try:
            with push_lock(store.engine, "libs"):
                break
        except PushBusy:
            assert time.monotonic() < deadline  # the server notices the dropped connection quickly
            time.sleep(0.2)
