"""The narrow hook through which a scheduled run pushes what reviewers accepted.

The push stage (`osmbridge.push`) provides `push_accepted(config, dataset) -> int` (the number of
changes pushed); until it exists this hook does nothing and says so once in the log.
"""

from __future__ import annotations

import importlib
import logging

from osmbridge.config import Config

log = logging.getLogger(__name__)


def push_accepted(config: Config, dataset: str) -> int | None:
    """Push the accepted changes of `dataset`; None when no push stage is installed."""
    try:
        push = importlib.import_module("osmbridge.push")
    except ModuleNotFoundError as error:
        if error.name not in ("osmbridge.push",):
            raise
        log.warning("%s: push asked for, but this osmbridge has no push stage yet: nothing pushed", dataset)
        return None
    function = getattr(push, "push_accepted", None)
    if function is None:
        log.warning("%s: osmbridge.push has no push_accepted(config, dataset): nothing pushed", dataset)
        return None
    return int(function(config, dataset))
