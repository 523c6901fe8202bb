"""Turning an outbox row into a MIME message, in the registrant's language and time zone.

Templates follow one convention per kind (``OutboxEmail.Kind``):
``notifications/email/<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html``. Subject and
text are rendered without HTML escaping; the HTML part is escaped as usual.

A row whose context names an invite (``context["invite"]`` = "request" or "cancel", with
``context["sequence"]``) carries it twice, as mail clients expect (DESIGN: Calendar invites):
``multipart/mixed`` → ``multipart/alternative`` (text/plain, text/html,
``text/calendar; method=...``) plus the same .ics attached as ``invite.ics``.
"""

from datetime import datetime
from typing import Any

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _

from events.models import Event
from events.templatetags.event_times import describe_time
from events.timezones import is_valid_time_zone
from notifications.invites import (
    INVITE_CANCEL,
    INVITE_REQUEST,
    METHOD_CANCEL,
    METHOD_REQUEST,
    event_page_url,
    invite_for_registration,
)
from notifications.mime import CalendarInviteEmail, OutboxMessage
from notifications.models import OutboxEmail
from registrations.models import Registration
from registrations.selectors import registration_manage_token, waitlist_position

TEMPLATE_DIR = "notifications/email"


# Only these kinds' templates show the place in line; it costs a query (COUNT) per email.
KINDS_SHOWING_WAITLIST_POSITION = frozenset({OutboxEmail.Kind.WAITLISTED})


def manage_url_for(registration: Registration) -> str:
    token = registration_manage_token(registration)
    return settings.SITE_URL + reverse("registrations:manage", kwargs={"token": token})


def _render_plain(name: str, context: dict[str, Any]) -> str:
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    template = backend.engine.get_template(name)
    return template.render(Context(context, autoescape=False))


def _render_html(name: str, context: dict[str, Any]) -> str:
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    return backend.engine.get_template(name).render(Context(context))


def _when(moment: datetime, registration: Registration | None, event: Event) -> str:
    zone = registration.time_zone if registration else event.time_zone
    if not is_valid_time_zone(zone):
        zone = event.time_zone
    return describe_time(moment, zone, event.time_zone)


def _describe_changes(
    changes: list[dict[str, Any]], registration: Registration | None, event: Event
) -> list[dict[str, str]]:
    """What changed, old → new, as lines a person reads (times in their own zone)."""
    labels = {
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "venue_name": _("Venue"),
        "venue_address": _("Address"),
        "join_url": _("Join link"),
        "kind": _("Format"),
    }
    kinds = dict(Event.Kind.choices)
    described = []
    for change in changes:
        field, old, new = change["field"], change.get("old"), change.get("new")
        if field in {"starts_at", "ends_at"}:
            old_moment, new_moment = parse_datetime(old or ""), parse_datetime(new or "")
            old = _when(old_moment, registration, event) if old_moment else ""
            new = _when(new_moment, registration, event) if new_moment else ""
        elif field == "kind":
            old, new = str(kinds.get(str(old), old)), str(kinds.get(str(new), new))
        elif field == "join_url":
            # The old link is useless and the new one is shown with the joining details.
            old, new = "", _("changed — use the new link below")
        described.append(
            {"label": str(labels.get(field, field)), "old": old or "—", "new": new or "—"}
        )
    return described


def email_context(email: OutboxEmail) -> dict[str, Any]:
    """What every template gets; see docs/notifications.md for the list."""
    registration = email.registration
    event: Event | None = registration.event if registration else None
    context: dict[str, Any] = {
        "email": email,
        "context": email.context,
        "registration": registration,
        "event": event,
        "site_url": settings.SITE_URL,
        "when": "",
        "manage_url": "",
        "event_url": "",
        "show_join_details": False,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "language_code": translation.get_language(),
    }
    if registration is not None and event is not None:
        context.update(
            when=_when(event.starts_at, registration, event),
            manage_url=manage_url_for(registration),
            event_url=event_page_url(event),
            show_join_details=registration.status == Registration.Status.CONFIRMED
            and not event.is_cancelled,
            waitlist_position=waitlist_position(registration)
            if email.kind in KINDS_SHOWING_WAITLIST_POSITION
            else None,
            changes=_describe_changes(email.context.get("changes", []), registration, event),
        )
    return context


def _single_line(text: str) -> str:
    return " ".join(text.split())[:300]


def email_message_build(
    email: OutboxEmail, *, connection: BaseEmailBackend | None = None
) -> OutboxMessage:
    """Render a row into the message to send, with its stable Message-ID."""
    registration = email.registration
    zone = registration.time_zone if registration else settings.TIME_ZONE
    with translation.override(email.language), timezone.override(zone):
        context = email_context(email)
        prefix = f"{TEMPLATE_DIR}/{email.kind}"
        subject = _single_line(_render_plain(f"{prefix}_subject.txt", context))
        context["subject"] = subject
        text = _render_plain(f"{prefix}.txt", context)
        html = _render_html(f"{prefix}.html", context)
        headers = {"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"}
        unsubscribe_url = email.context.get("unsubscribe_url")
        if unsubscribe_url:
            headers["List-Unsubscribe"] = f"<{unsubscribe_url}>"
            headers["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
        invite = email.context.get("invite")
        message: OutboxMessage
        if invite in {INVITE_REQUEST, INVITE_CANCEL} and registration is not None:
            method = METHOD_REQUEST if invite == INVITE_REQUEST else METHOD_CANCEL
            calendar = invite_for_registration(
                registration=registration,
                method=method,
                sequence=int(email.context.get("sequence", 0)),
                manage_url=context["manage_url"],
            )
            message = CalendarInviteEmail(
                subject,
                text,
                to=[email.recipient],
                headers=headers,
                connection=connection,
                calendar=calendar,
                method=method,
            )
            message.attach("invite.ics", calendar, "application/ics")
        else:
            message = OutboxMessage(
                subject, text, to=[email.recipient], headers=headers, connection=connection
            )
        message.attach_alternative(html, "text/html")
    return message
