"""A push in its own process that SIGKILLs itself at a named checkpoint (run by test_push_crash.py).

    python crash_child.py CONFIG CHECKPOINT|none
"""

from __future__ import annotations

import os
import signal
import sys
from pathlib import Path

from osmbridge.config import load_config
from osmbridge.push.run import push_dataset


def main() -> int:
    config_path, kill_at = Path(sys.argv[1]), sys.argv[2]

    def checkpoint(name: str) -> None:
        if name == kill_at:
            os.kill(os.getpid(), signal.SIGKILL)

    summary = push_dataset(load_config(config_path, os.environ), "test-city", targets=("osm",), checkpoint=checkpoint)
    print(summary.errors or "ok")
    return 0 if summary.ok else 1


if __name__ == "__main__":
    sys.exit(main())
