"""The README's command examples run as written, on the demo folder the README creates first."""

from __future__ import annotations

import re
import shlex
import subprocess
from pathlib import Path

import pytest

from osmbridge.cli import main

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")


def _block_after(heading: str) -> list[str]:
    section = README[README.index(heading):]
    block = re.search(r"```sh\n(.*?)```", section, re.S).group(1)
    return [line for line in block.splitlines() if line.startswith("osmbridge ")]


def test_quick_start_activates_the_venv_and_the_demo_folder_is_ignored() -> None:
    quick = README[:README.index("## What it does")]
    assert ". .venv/bin/activate" in quick
    assert "osmbridge demo --out osmbridge-demo" in quick and "two syncs" in quick
    ignored = subprocess.run(["git", "check-ignore", "-q", "osmbridge-demo/report.html"], cwd=ROOT)
    assert ignored.returncode == 0


def test_every_command_example_runs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                    capsys: pytest.CaptureFixture[str]) -> None:
    monkeypatch.chdir(tmp_path)
    monkeypatch.delenv("OSMBRIDGE_STORE_URL", raising=False)
    assert main(["-q", "demo", "--out", "osmbridge-demo"]) == 0
    commands = _block_after("## Commands")
    assert len(commands) >= 8
    for command in commands:
        argv = shlex.split(command)[1:]
        assert main(["-q", *argv]) == 0, f"{command}\n{capsys.readouterr().err}"
    assert (tmp_path / "osmbridge-demo" / "matches.csv").is_file()
    assert (tmp_path / "osmbridge-demo" / "reports" / "party" / "bourg-sur-lune" / "party.html").is_file()
