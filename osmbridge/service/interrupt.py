"""Stopping a run from outside: SIGINT and SIGTERM alike, or the scheduler shutting down."""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType


class Interrupted(KeyboardInterrupt):
    """A run was asked to stop (a signal, or the scheduler shutting down); it is recorded as interrupted."""

    def __init__(self, reason: str) -> None:
        super().__init__(reason)
        self.reason = reason


class StopRequest:
    """A flag a running pipeline checks between steps; set by a signal handler or by the scheduler."""

    def __init__(self) -> None:
        self._event = threading.Event()
        self.reason = ""

    def set(self, reason: str) -> None:
        self.reason = self.reason or reason
        self._event.set()

    def is_set(self) -> bool:
        return self._event.is_set()

    def wait(self, timeout_s: float) -> bool:
        """Sleep up to `timeout_s`; return True at once when a stop is requested."""
        return self._event.wait(timeout_s)

    def check(self) -> None:
        """Raise Interrupted when a stop was requested."""
        if self._event.is_set():
            raise Interrupted(self.reason)


@contextmanager
def signals_interrupt() -> Iterator[None]:
    """In the main thread: SIGTERM, like SIGINT (Ctrl-C), raises Interrupted where the program is."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        raise Interrupted(signal.Signals(signum).name)

    previous = {number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)


@contextmanager
def signals_request_stop(stop: StopRequest) -> Iterator[None]:
    """In the main thread of a long-running process: SIGTERM and SIGINT set `stop` (threads finish their step)."""

    def handler(signum: int, _frame: FrameType | None) -> None:
        stop.set(signal.Signals(signum).name)

    previous = {number: signal.signal(number, handler) for number in (signal.SIGINT, signal.SIGTERM)}
    try:
        yield
    finally:
        for number, old in previous.items():
            signal.signal(number, old)
