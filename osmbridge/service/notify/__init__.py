"""Telling people about a run with new review items or errors: e-mail (SMTP) and/or a webhook (JSON POST)."""

from __future__ import annotations

import logging
from typing import TYPE_CHECKING

from osmbridge.errors import OsmbridgeError
from osmbridge.redact import redact
from osmbridge.service.notify.email import send_email
from osmbridge.service.notify.message import Notification, build_notification
from osmbridge.service.notify.webhook import post_webhook

if TYPE_CHECKING:
    from osmbridge.config import Config
    from osmbridge.pipeline import RunSummary

log = logging.getLogger(__name__)

__all__ = ["Notification", "build_notification", "notify_run"]


def notify_run(config: Config, summary: RunSummary) -> Notification | None:
    """Send the run's notification when it has new review items or errors; return what was sent.

    A delivery that fails is logged, never raised: the run itself went as it went.
    """
    if not config.notify.enabled:
        return None
    from osmbridge.store import Store

    store = Store(config.store_url)
    try:
        new_items = {o.dataset: store.new_differences(summary.run_id, o.dataset) for o in summary.outcomes if o.ok}
    finally:
        store.close()
    notification = build_notification(config, summary, new_items)
    if notification is None:
        return None
    for channel, send in (("e-mail", send_email if config.notify.email else None),
                          ("webhook", post_webhook if config.notify.webhook else None)):
        if send is None:
            continue
        try:
            send(config.notify, notification)
            log.info("run %d: notification sent by %s", summary.run_id, channel)
        except OsmbridgeError as error:
            log.warning("run %d: the %s notification failed: %s", summary.run_id, channel, redact(str(error)))
    return notification
