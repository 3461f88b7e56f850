"""Slows password guessing: after a few failures for one user name or one address, logins wait."""

from __future__ import annotations

import time
from collections import defaultdict, deque
from collections.abc import Callable


class LoginLimit:
    """At most `failures` failed logins per key (user name, client address) within `window_s`."""

    def __init__(self, failures: int = 5, window_s: float = 900.0,
                 clock: Callable[[], float] = time.monotonic) -> None:
        self.failures, self.window_s, self.clock = failures, window_s, clock
        self._seen: dict[str, deque[float]] = defaultdict(deque)

    def blocked(self, *keys: str) -> bool:
        """Return whether any of `keys` has used up its failures."""
        return any(len(self._recent(key)) >= self.failures for key in keys)

    def failed(self, *keys: str) -> None:
        now = self.clock()
        for key in keys:
            self._recent(key).append(now)

    def succeeded(self, *keys: str) -> None:
        for key in keys:
            self._seen.pop(key, None)

    def _recent(self, key: str) -> deque[float]:
        attempts = self._seen[key]
        while attempts and attempts[0] <= self.clock() - self.window_s:
            attempts.popleft()
        return attempts
