"""The machine refuses: a folder or binary file as config, read-only or full output folders, a full disk
under SQLite. Each gives one line naming the path and the fix, exit 1, and leaves nothing half-written.

The CLI runs in a subprocess, as cron would run it. Full and read-only folders are small tmpfs mounts
when the tests run as root (CI does); otherwise read-only is a mode and "full" is RLIMIT_FSIZE.
"""

from __future__ import annotations

import os
import resource
import shutil
import signal
import subprocess
import sys
from pathlib import Path

import pytest

from shared_data import ROOT

ROOT_USER = os.geteuid() == 0


def osmbridge(*args: str, file_size_limit: int | None = None) -> subprocess.CompletedProcess[str]:
    """Run the CLI quietly in a subprocess, optionally with a file size limit standing for a full disk."""

    def limit() -> None:
        if file_size_limit is not None:
            # Past the limit a write fails with EFBIG instead of killing the process.
            signal.signal(signal.SIGXFSZ, signal.SIG_IGN)
            resource.setrlimit(resource.RLIMIT_FSIZE, (file_size_limit, file_size_limit))

    env = {k: v for k, v in os.environ.items() if k != "OSMBRIDGE_STORE_URL"}
    return subprocess.run([sys.executable, "-m", "osmbridge.cli", "-q", *args], capture_output=True, text=True,
                          cwd=ROOT, env=env, preexec_fn=limit, timeout=300)


def assert_one_line_failure(done: subprocess.CompletedProcess[str], *words: str) -> str:
    assert done.returncode != 0
    assert "Traceback" not in done.stderr
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    for word in words:
        assert word in lines[0], lines[0]
    return lines[0]


def _mount_tmpfs(path: Path, options: str) -> bool:
    path.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", options, "tmpfs", str(path)], capture_output=True)
    return done.returncode == 0


def _unmount(path: Path) -> None:
    subprocess.run(["umount", "-l", str(path)], capture_output=True)


@pytest.fixture(scope="module")
def demo_base(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A demo town after its two syncs: config, data, state and two report runs."""
    base = tmp_path_factory.mktemp("os-errors") / "town"
    done = osmbridge("demo", "--out", str(base))
    assert done.returncode == 0, done.stderr
    return base


@pytest.fixture
def town(demo_base: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "town"
    shutil.copytree(demo_base, copy, symlinks=True)
    return copy


def _snapshot(reports: Path) -> tuple[list[str], str]:
    """Every path under the dataset's reports folder, and where `latest` points."""
    folder = reports / "demo-equipements"
    names = sorted(str(p.relative_to(reports)) for p in reports.rglob("*")) if reports.exists() else []
    latest = os.readlink(folder / "latest") if (folder / "latest").is_symlink() else ""
    return names, latest


def test_config_that_is_a_folder(tmp_path: Path) -> None:
    line = assert_one_line_failure(osmbridge("run", "--config", str(tmp_path)), str(tmp_path), "folder", "--config")
    assert "key '-'" not in line


def test_config_that_is_a_binary_file(tmp_path: Path) -> None:
    binary = tmp_path / "config.toml"
    binary.write_bytes(bytes(range(256)) * 4)
    line = assert_one_line_failure(osmbridge("run", "--config", str(binary)), str(binary), "not a text file")
    assert "key '-'" not in line


def _read_only(folder: Path) -> None:
    """Make `folder` read-only for this process: a read-only tmpfs as root, a mode otherwise."""
    if ROOT_USER:
        keep = folder.with_name(folder.name + ".kept")
        shutil.move(folder, keep)
        if not _mount_tmpfs(folder, "size=16m"):  # two datasets, two runs each
            pytest.fail("root but mount -t tmpfs failed: cannot make a read-only folder")
        shutil.copytree(keep, folder, symlinks=True, dirs_exist_ok=True)
        subprocess.run(["mount", "-o", "remount,ro", str(folder)], check=True)
    else:
        for path in [folder, *folder.rglob("*")]:
            if path.is_dir() and not path.is_symlink():
                path.chmod(0o555)


def test_read_only_reports_folder(town: Path) -> None:
    reports = town / "reports"
    _read_only(reports)
    try:
        before = _snapshot(reports)
        done = osmbridge("run", "--config", str(town / "config.toml"), "--dataset", "demo-equipements")
        assert_one_line_failure(done, str(reports / "demo-equipements"), "cannot write", "[reports] directory")
        assert _snapshot(reports) == before
    finally:
        if ROOT_USER:
            _unmount(reports)


def test_full_reports_folder(town: Path) -> None:
    reports = town / "reports"
    if ROOT_USER:
        # The earlier runs on a disk with about 200 kB left: less than one report.html.
        kept = town / "reports.kept"
        shutil.move(reports, kept)
        used_kb = sum(p.stat().st_size for p in kept.rglob("*") if p.is_file()) // 1024
        assert _mount_tmpfs(reports, f"size={used_kb + 260}k"), "root but mount -t tmpfs failed"
        shutil.copytree(kept, reports, symlinks=True, dirs_exist_ok=True)
        limit = None
    else:
        limit = 200_000  # report.html is bigger: its write fails as on a full disk
    try:
        before = _snapshot(reports)
        done = osmbridge("run", "--config", str(town / "config.toml"), "--dataset", "demo-equipements",
                         file_size_limit=limit)
        assert_one_line_failure(done, str(reports / "demo-equipements"), "no space left", "Free some space")
        assert _snapshot(reports) == before  # no run folder, no staging folder, `latest` unchanged
    finally:
        if ROOT_USER:
            _unmount(reports)


def test_full_disk_under_sqlite(town: Path) -> None:
    reports = town / "reports"
    state = town / "state.sqlite"
    before = _snapshot(reports)
    disk = town / "state-disk"
    if ROOT_USER:
        # The state file on a small disk with no room left to grow.
        if not _mount_tmpfs(disk, "size=2m"):
            pytest.fail("root but mount -t tmpfs failed")
        shutil.copy(state, disk / "state.sqlite")
        filler = os.open(disk / "filler", os.O_WRONLY | os.O_CREAT)
        try:
            while True:
                os.write(filler, b"\0" * 4096)
        except OSError:
            pass
        finally:
            os.close(filler)
        config = town / "config.toml"
        config.write_text(config.read_text(encoding="utf-8").replace(
            'url = "sqlite:///state.sqlite"', 'url = "sqlite:///state-disk/state.sqlite"'), encoding="utf-8")
        limit = None
        shown = disk / "state.sqlite"
    else:
        limit = state.stat().st_size  # any growth of the database fails
        shown = state
    try:
        done = osmbridge("run", "--config", str(town / "config.toml"), file_size_limit=limit)
        assert_one_line_failure(done, str(shown), "state store", "cannot be written", "Free some disk space")
        assert _snapshot(reports) == before
    finally:
        if ROOT_USER:
            _unmount(disk)


def test_read_only_out_folder_for_demo_and_party(town: Path, tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    _read_only(locked)
    try:
        done = osmbridge("demo", "--out", str(locked / "demo"))
        assert_one_line_failure(done, str(locked / "demo"), "--out")
        done = osmbridge("party", "--config", str(town / "config.toml"), "--area", "Bourg-sur-Lune",
                         "--neighbourhoods", str(town / "neighbourhoods.geojson"), "--out", str(locked / "party"))
        assert done.returncode != 0 and "Traceback" not in done.stderr
        assert done.stderr.strip().splitlines()[-1].startswith("osmbridge: error: ")
        assert str(locked / "party") in done.stderr and "--out" in done.stderr
        assert list(locked.iterdir()) == []
    finally:
        if ROOT_USER:
            _unmount(locked)
