"""Posting a notification as JSON to a webhook."""

from __future__ import annotations

import requests

from osmbridge import __version__
from osmbridge.errors import OsmbridgeError
from osmbridge.service.notify.message import Notification
from osmbridge.service_config import NotifyConfig


class WebhookError(OsmbridgeError):
    """The webhook did not take the notification."""


def post_webhook(notify: NotifyConfig, notification: Notification) -> None:
    """POST the notification's JSON payload; WebhookError (the URL hidden: it often holds a token) otherwise."""
    webhook = notify.webhook
    assert webhook is not None
    try:
        response = requests.post(webhook.url, json=dict(notification.payload), timeout=webhook.timeout_s,
                                 headers={"User-Agent": f"osmbridge/{__version__}"})
    except requests.RequestException as error:
        raise WebhookError(f"the webhook of [notify.webhook] failed: {error.__class__.__name__}") from None
    if response.status_code >= 300:
        raise WebhookError(f"the webhook of [notify.webhook] answered HTTP {response.status_code} {response.reason}")
