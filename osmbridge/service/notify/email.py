"""Sending a notification by e-mail over SMTP (STARTTLS when asked, login when a user is configured)."""

from __future__ import annotations

import smtplib
import ssl
from email.message import EmailMessage

from osmbridge.errors import OsmbridgeError
from osmbridge.service.notify.message import Notification
from osmbridge.service_config import NotifyConfig


class NotifyError(OsmbridgeError):
    """A notification could not be delivered."""


def send_email(notify: NotifyConfig, notification: Notification) -> None:
    """Send `notification` to the configured addresses; NotifyError names the server and the problem."""
    email = notify.email
    assert email is not None
    message = EmailMessage()
    message["Subject"] = notification.subject
    message["From"] = email.sender
    message["To"] = ", ".join(email.to)
    message.set_content(notification.text)
    try:
        with smtplib.SMTP(email.host, email.port, timeout=email.timeout_s) as smtp:
            if email.starttls:
                smtp.starttls(context=ssl.create_default_context())
            if email.username:
                smtp.login(email.username, email.password or "")
            smtp.send_message(message)
    except (smtplib.SMTPException, OSError) as error:
        raise NotifyError(f"e-mail through {email.host}:{email.port} failed: {error.__class__.__name__}: {error}. "
                          "Check [notify.email] in config.toml.") from None
