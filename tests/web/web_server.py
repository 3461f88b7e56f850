"""`osmbridge serve` in a child process on 127.0.0.1 and a free port, for the browser tests."""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import requests

SECRET_KEY = "browser-test-secret-" + "s" * 40


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


@dataclass(frozen=True)
class Server:
    url: str
    log: Path  # the server's stdout and stderr (access log and application log)

    def log_text(self) -> str:
        return self.log.read_text(encoding="utf-8", errors="replace")


@contextmanager
def running_server(config: Path, port: int, log: Path, timeout_s: float = 60.0) -> Iterator[Server]:
    """Start `osmbridge serve`, wait until it answers, stop it (this process only) afterwards."""
    env = {**os.environ, "OSMBRIDGE_SECRET_KEY": SECRET_KEY}
    env.pop("OSMBRIDGE_STORE_URL", None)
    with open(log, "wb") as output:
        process = subprocess.Popen([sys.executable, "-m", "osmbridge.cli", "serve", "--config", str(config),
                                    "--host", "127.0.0.1", "--port", str(port)],
                                   stdout=output, stderr=subprocess.STDOUT, env=env)
        url = f"http://127.0.0.1:{port}"
        try:
            deadline = time.monotonic() + timeout_s
            while True:
                if process.poll() is not None:
                    raise RuntimeError(f"osmbridge serve exited with {process.returncode}: {log.read_text()}")
                try:
                    if requests.get(f"{url}/login", timeout=2).status_code == 200:
                        break
                except requests.ConnectionError:
                    pass
                if time.monotonic() > deadline:
                    raise RuntimeError(f"osmbridge serve did not answer in {timeout_s} s: {log.read_text()}")
                time.sleep(0.2)
            yield Server(url=url, log=log)
        finally:
            process.terminate()
            try:
                process.wait(timeout=15)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
