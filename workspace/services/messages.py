"""Organizers writing to an event's registrants: one outbox email per person."""

import uuid
from dataclasses import dataclass

from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Event
from notifications.broadcast import outbox_enqueue_many
from notifications.models import OutboxEmail
from workspace.audit import audit_record
from workspace.models import Message
from workspace.selectors.messages import message_recipients

_RECIPIENT_QUERY_CHUNK = 500


class MessageError(Exception):
    """A message that cannot be sent; the text is shown to the organizer."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


@dataclass(frozen=True)
class MessageSendResult:
    message: Message
    created: bool


def message_send(
    *,
    event: Event,
    sender: User,
    subject: str,
    body: str,
    audience: str,
    search: str = "",
    send_key: uuid.UUID,
) -> MessageSendResult:
    """Queue one email (kind "message") to every registrant the audience and search select.

    All outbox rows, the Message row and the audit entry are written in one transaction and
    handed to the worker only once it commits. ``send_key`` comes from the preview form:
    the same key sent again — a double click, a resubmitted form, even concurrently — returns
    the message already sent and queues nothing.
    """
    existing = _message_with_key(event=event, send_key=send_key)
    if existing is not None:
        return MessageSendResult(message=existing, created=False)
    try:
        with transaction.atomic():
            message = Message.objects.create(
                event=event,
                sender=sender,
                subject=subject,
                body=body,
                audience=audience,
                search=search,
                send_key=send_key,
            )
            recipients = message_recipients(event=event, audience=audience, search=search)
            email_ids = outbox_enqueue_many(
                kind=OutboxEmail.Kind.MESSAGE,
                registrations=recipients.iterator(chunk_size=_RECIPIENT_QUERY_CHUNK),
                context={"subject": subject, "body": body, "message_id": message.pk},
            )
            if not email_ids:
                # Rolls the Message row back too: nothing was sent.
                raise MessageError(_("No registrant matches; nothing was sent."))
            message.recipient_count = len(email_ids)
            message.save(update_fields=["recipient_count"])
            audit_record(
                actor=sender,
                action="message.sent",
                organization=event.organization,
                event=event,
                details={
                    "message_id": message.pk,
                    "subject": subject,
                    "audience": audience,
                    "search": search,
                    "recipients": len(email_ids),
                },
            )
    except IntegrityError:
        # A concurrent submit of the same form won the unique send_key; ours rolled back.
        existing = _message_with_key(event=event, send_key=send_key)
        if existing is None:
            raise
        return MessageSendResult(message=existing, created=False)
    return MessageSendResult(message=message, created=True)


def _message_with_key(*, event: Event, send_key: uuid.UUID) -> Message | None:
    message = Message.objects.filter(send_key=send_key).first()
    if message is not None and message.event_id != event.pk:
        raise MessageError(_("This form was already used for another event; please start again."))
    return message
