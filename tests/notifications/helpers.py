"""Small helpers shared by the notification tests."""

from email.message import EmailMessage, Message
from typing import Any

from django.core.mail import EmailMessage as DjangoEmailMessage

from events.models import Event
from registrations.models import Registration
from registrations.services import registration_create


def register(event: Event, email: str, **overrides: Any) -> Registration:
    fields: dict[str, Any] = {"name": "Ana", "email": email, "time_zone": "Asia/Tehran"}
    fields.update(overrides)
    return registration_create(event=event, **fields).registration


def mime(message: DjangoEmailMessage) -> Message:
    """The MIME tree Django would put on the wire for this message."""
    return message.message()


def calendar_part(message: Message | EmailMessage) -> str | None:
    """The text/calendar alternative of a message, decoded; None without one."""
    for part in message.walk():
        if part.get_content_type() == "text/calendar":
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    return None


def text_part(message: Message | EmailMessage, subtype: str = "plain") -> str:
    for part in message.walk():
        if part.get_content_type() == f"text/{subtype}" and not part.get_filename():
            payload = part.get_payload(decode=True)
            assert isinstance(payload, bytes)
            return payload.decode(part.get_content_charset() or "utf-8")
    raise AssertionError(f"no text/{subtype} part")
