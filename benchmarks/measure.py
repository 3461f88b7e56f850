"""Run a command as a child process and measure its wall time and peak memory (ru_maxrss)."""

from __future__ import annotations

import os
import signal
import subprocess
import tempfile
import time
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path


@dataclass(frozen=True, slots=True)
class Measured:
    """What one child process cost and said."""

    wall_s: float
    cpu_s: float  # user + system CPU time of the child: steadier than wall time on a shared machine
    max_rss_bytes: int  # the child's peak resident set size
    returncode: int | None  # None when it was killed at the time limit
    stdout: str
    stderr: str

    @property
    def timed_out(self) -> bool:
        return self.returncode is None


def run_measured(command: Sequence[str], timeout_s: float, cwd: Path | None = None,
                 env: dict[str, str] | None = None) -> Measured:
    """Run `command`, killing it (and its children) after `timeout_s`; return its cost and output."""
    # Output goes to files: a pipe would fill up and stall the child while we poll wait4.
    with open(os.devnull, "rb") as stdin, _scratch() as out, _scratch() as err:
        start = time.perf_counter()
        child = subprocess.Popen(list(command), stdin=stdin, stdout=out, stderr=err, cwd=cwd, env=env,
                                 start_new_session=True)
        returncode: int | None = None
        while True:
            # wait4 gives this child's own rusage, unlike RUSAGE_CHILDREN which sums all children.
            pid, status, usage = os.wait4(child.pid, os.WNOHANG)
            if pid:
                returncode = os.waitstatus_to_exitcode(status)
                break
            if time.perf_counter() - start > timeout_s:
                os.killpg(child.pid, signal.SIGKILL)
                _, _, usage = os.wait4(child.pid, 0)
                break
            time.sleep(0.02)
        wall_s = time.perf_counter() - start
        child.returncode = returncode if returncode is not None else -9  # keep Popen from waiting again
        out.seek(0)
        err.seek(0)
        cpu_s = usage.ru_utime + usage.ru_stime
        return Measured(wall_s, cpu_s, usage.ru_maxrss * 1024, returncode, out.read(), err.read())


def _scratch():  # noqa: ANN202 - a temporary text file
    return tempfile.TemporaryFile(mode="w+", encoding="utf-8", errors="replace")
