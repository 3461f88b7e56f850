"""deploy/: the crontab line and the systemd units run real osmbridge commands, and systemd accepts the units."""

from __future__ import annotations

import shlex
import shutil
import subprocess
from pathlib import Path

import pytest

from osmbridge.cli import build_parser
from osmbridge.schedule.triggers import cron_trigger

DEPLOY = Path(__file__).resolve().parent.parent / "deploy"
BINARY = "/opt/osmbridge/.venv/bin/osmbridge"


def osmbridge_args(command_line: str) -> list[str]:
    words = shlex.split(command_line)
    return words[words.index(BINARY) + 1:]


def test_the_crontab_line_is_a_valid_schedule_of_a_valid_command() -> None:
    [line] = [line for line in (DEPLOY / "crontab.example").read_text().splitlines()
              if line and not line.startswith("#") and "=" not in line.split()[0]]
    cron_trigger(" ".join(line.split()[:5]), "UTC")
    args = build_parser().parse_args(osmbridge_args(line.split(" ", 5)[5].split("&&")[-1]))
    assert args.command == "run" and args.quiet


@pytest.mark.parametrize(("unit", "command"), [("osmbridge-run.service", "run"),
                                               ("osmbridge-schedule.service", "schedule")])
def test_units_start_the_right_command(unit: str, command: str) -> None:
    [exec_start] = [line for line in (DEPLOY / unit).read_text().splitlines() if line.startswith("ExecStart=")]
    args = build_parser().parse_args(osmbridge_args(exec_start.removeprefix("ExecStart=")))
    assert args.command == command and args.config == Path("/etc/osmbridge/config.toml")


def test_systemd_accepts_the_units(tmp_path: Path) -> None:
    if shutil.which("systemd-analyze") is None:
        pytest.skip("systemd-analyze is not installed")
    for unit in ("osmbridge-run.service", "osmbridge-run.timer", "osmbridge-schedule.service"):
        (tmp_path / unit).write_text((DEPLOY / unit).read_text().replace(BINARY, "/bin/true"))
    result = subprocess.run(["systemd-analyze", "verify", *sorted(str(p) for p in tmp_path.iterdir())],
                            capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert "osmbridge" not in result.stderr, result.stderr
