"""Turning an outbox row into a MIME message, in the registrant's language and time zone.

Templates follow one convention per kind (``OutboxEmail.Kind``):
``notifications/email/<kind>_subject.txt``, ``<kind>.txt`` and ``<kind>.html``. Subject and
text are rendered without HTML escaping; the HTML part is escaped as usual.

A row whose context names an invite (``context["invite"]`` = "request" or "cancel", with
``context["sequence"]``) carries it twice, as mail clients expect (docs/design.md, "Calendar
invites"):
``multipart/mixed`` → ``multipart/alternative`` (text/plain, text/html,
``text/calendar; method=...``) plus the same .ics attached as ``invite.ics``.

Kinds in ``KINDS_WITH_STORED_CONTENT`` (account and invitation emails) are not rendered here:
they were rendered when written, and ``email_message_build`` sends their stored subject and
bodies as they are.

A batch renders many emails about the same event: what they have in common (times in each
zone, the event's page) is made once per batch, in a ``SharedParts`` the sender passes along.
"""

from collections.abc import Callable, Hashable
from datetime import datetime
from functools import partial
from typing import Any, TypeVar

from django.conf import settings
from django.core.mail.backends.base import BaseEmailBackend
from django.template import Context, engines
from django.template.backends.django import DjangoTemplates
from django.utils import timezone, translation
from django.utils.dateparse import parse_datetime
from django.utils.translation import gettext as _
from django.utils.translation import pgettext

from events.models import Event
from events.selectors import (
    EventInLanguage,
    event_cohost_names,
    event_hosted_by,
    event_in_language,
)
from events.time_display import active_calendar, describe_time
from events.timezones import is_valid_time_zone
from notifications.invites import (
    INVITE_CANCEL,
    INVITE_REQUEST,
    METHOD_CANCEL,
    METHOD_REQUEST,
    event_page_url,
    invite_for_registration,
)
from notifications.mail_merge import (
    MergedParts,
    context_with_markers,
    fill,
    has_markers,
    reader_values,
    variant_key,
)
from notifications.mime import CalendarInviteEmail, OutboxMessage
from notifications.models import KINDS_WITH_STORED_CONTENT, OutboxEmail
from registrations.models import Registration
from registrations.selectors import (
    registration_manage_token,
    token_link_affixes,
    waitlist_position,
)

TEMPLATE_DIR = "notifications/email"


# Only these kinds' templates show the place in line; it costs a query (COUNT) per email.
KINDS_SHOWING_WAITLIST_POSITION = frozenset({OutboxEmail.Kind.WAITLISTED})

T = TypeVar("T")


class SharedParts:
    """What many emails of one batch have in common, each part made once per batch.

    A part's key names everything the part depends on (the event, the language, the reader's
    zone, ...), so two emails share a part only when it would come out the same for both. Use
    one per batch and drop it afterwards: the event may have changed by the next batch.
    """

    def __init__(self) -> None:
        self._parts: dict[tuple[Hashable, ...], Any] = {}

    def get(self, key: tuple[Hashable, ...], make: Callable[[], T]) -> T:
        try:
            part: T = self._parts[key]
        except KeyError:
            part = self._parts[key] = make()
        return part


def _manage_url(shared: SharedParts, registration: Registration) -> str:
    """The absolute manage link, its route resolved once per batch."""
    before, after = shared.get(
        ("manage_url_affixes",), lambda: token_link_affixes("registrations:manage")
    )
    return before + registration_manage_token(registration) + after


def _render(name: str, context: dict[str, Any], *, autoescape: bool) -> str:
    backend = engines["django"]
    assert isinstance(backend, DjangoTemplates)
    return backend.engine.get_template(name).render(Context(context, autoescape=autoescape))


def _render_plain(name: str, context: dict[str, Any]) -> str:
    return _render(name, context, autoescape=False)


def _render_html(name: str, context: dict[str, Any]) -> str:
    return _render(name, context, autoescape=True)


def _reader_zone(registration: Registration | None, event: Event) -> str:
    zone = registration.time_zone if registration else event.time_zone
    return zone if is_valid_time_zone(zone) else event.time_zone


def _describe_time(shared: SharedParts, moment: datetime, zone: str, event_zone: str) -> str:
    """``describe_time`` in the active language and calendar, once per batch for each moment
    and zones (a Solar Hijri date costs a conversion; the batch makes it once)."""
    key = ("time", moment, zone, event_zone, translation.get_language(), active_calendar())
    return shared.get(key, lambda: describe_time(moment, zone, event_zone))


def _start_times(shared: SharedParts, event: Event, zone: str) -> tuple[str, str]:
    """The start in the reader's zone with and without the event's zone beside it: one
    look-up per email for both (the key's language and calendar cost more than the rest)."""
    key = ("start", event.starts_at, zone, event.time_zone, translation.get_language())
    return shared.get(
        (*key, active_calendar()),
        lambda: (
            describe_time(event.starts_at, zone, event.time_zone),
            describe_time(event.starts_at, zone, zone),
        ),
    )


def _when(
    moment: datetime, registration: Registration | None, event: Event, shared: SharedParts
) -> str:
    """The moment in the reader's zone, with the event's zone beside it when different."""
    return _describe_time(shared, moment, _reader_zone(registration, event), event.time_zone)


def _event_details(
    shared: SharedParts,
    event: EventInLanguage,
    when: str,
    event_url: str,
    show_join: bool,
    *,
    html: bool,
) -> str:
    """The event box (title, time, place, how to join) in the active language.

    It is rendered from these values alone, so it is the same for every reader with the same
    language, time text and access to the join details: once per batch for each.
    """
    name = f"{TEMPLATE_DIR}/includes/event_details.{'html' if html else 'txt'}"
    language = translation.get_language()

    def render() -> str:
        context = {
            "event": event,
            "hosted_by": _hosted_by(shared, event, language),
            "when": when,
            "event_url": event_url,
            "show_join_details": show_join,
        }
        return _render(name, context, autoescape=html)

    key = (name, event.pk, language, when, event_url, show_join)
    return shared.get(key, render)


def _hosted_by(shared: SharedParts, event: EventInLanguage, language: str | None) -> str:
    """ "A and B" for a co-hosted event: the co-hosts' names read once per batch for each
    event, not once per variant and format (a query each), joined once for each language."""
    names = shared.get(("cohost_names", event.pk), lambda: event_cohost_names(event))
    return shared.get(("hosted_by", event.pk, language), lambda: event_hosted_by(event, names))


def _event_in_language(shared: SharedParts, event: Event) -> EventInLanguage:
    """The organizer's text in the active language (the email's) where they wrote it: once
    per batch for each language (docs/design.md, "Languages")."""
    language = translation.get_language()
    return shared.get(
        ("event_in_language", event.pk, language),
        lambda: event_in_language(event, language=language),
    )


def _describe_changes(
    changes: list[dict[str, Any]],
    registration: Registration | None,
    event: Event,
    shared: SharedParts,
) -> list[dict[str, str]]:
    """What changed, old → new, as lines a person reads (times in their own zone)."""
    if not changes:  # every kind but event_updated: skip translating the labels
        return []
    labels = {
        "starts_at": _("Starts"),
        "ends_at": _("Ends"),
        "venue_name": _("Venue"),
        "venue_address": _("Address"),
        "join_url": _("Join link"),
        # Not the file format of an export: Persian needs another word (docs/i18n.md).
        "kind": pgettext("event kind", "Format"),
    }
    kinds = dict(Event.Kind.choices)
    described = []
    for change in changes:
        field, old, new = change["field"], change.get("old"), change.get("new")
        if field in {"starts_at", "ends_at"}:
            old_moment, new_moment = parse_datetime(old or ""), parse_datetime(new or "")
            old = _when(old_moment, registration, event, shared) if old_moment else ""
            new = _when(new_moment, registration, event, shared) if new_moment else ""
        elif field == "kind":
            old, new = str(kinds.get(str(old), old)), str(kinds.get(str(new), new))
        elif field == "join_url":
            # The old link is useless and the new one is shown with the joining details.
            old, new = "", _("changed — use the new link below")
        described.append(
            {"label": str(labels.get(field, field)), "old": old or "—", "new": new or "—"}
        )
    return described


def email_context(email: OutboxEmail, shared: SharedParts | None = None) -> dict[str, Any]:
    """What every template gets; see docs/notifications.md for the list."""
    shared = shared if shared is not None else SharedParts()
    registration = email.registration
    event: Event | None = registration.event if registration else None
    shown = _event_in_language(shared, event) if event is not None else None
    context: dict[str, Any] = {
        "email": email,
        "context": email.context,
        "registration": registration,
        "event": shown,
        "site_url": settings.SITE_URL,
        "when": "",
        "start_local": "",
        "manage_url": "",
        "event_url": "",
        "show_join_details": False,
        "text_direction": "rtl" if translation.get_language_bidi() else "ltr",
        "language_code": translation.get_language(),
    }
    if registration is not None and event is not None and shown is not None:
        zone = _reader_zone(registration, event)
        when, start_local = _start_times(shared, event, zone)
        event_url = shared.get(("event_url", event.pk, event.slug), lambda: event_page_url(event))
        show_join = registration.status == Registration.Status.CONFIRMED and not event.is_cancelled
        # Templates call these when they show the box (rendered once per batch).
        details = partial(_event_details, shared, shown, when, event_url, show_join)
        context.update(
            when=when,
            start_local=start_local,
            manage_url=_manage_url(shared, registration),
            event_url=event_url,
            show_join_details=show_join,
            event_details_text=partial(details, html=False),
            event_details_html=partial(details, html=True),
            waitlist_position=waitlist_position(registration)
            if email.kind in KINDS_SHOWING_WAITLIST_POSITION
            else None,
            changes=_describe_changes(
                email.context.get("changes", []), registration, event, shared
            ),
        )
    return context


def _single_line(text: str) -> str:
    return " ".join(text.split())[:300]


class StoredContentGone(Exception):
    """A row rendered when written has no body any more: it was final once (and requeued)."""


def _stored_message_build(
    email: OutboxEmail, *, connection: BaseEmailBackend | None
) -> OutboxMessage:
    """The message of a row whose content was rendered when it was written."""
    if not (email.text_body or email.html_body):
        raise StoredContentGone(
            "its content was dropped when it was final (it may have held a sign-in code or "
            "link); the person can ask for a new email"
        )
    headers = {"Message-ID": email.message_id, "Auto-Submitted": "auto-generated"}
    message = OutboxMessage(
        email.subject,
        email.text_body or email.html_body,
        to=[email.recipient],
        headers=headers,
        connection=connection,
    )
    if not email.text_body:
        message.content_subtype = "html"
    elif email.html_body:
        message.attach_alternative(email.html_body, "text/html")
    return message


def _render_parts(kind: str, context: dict[str, Any]) -> tuple[str, str, str]:
    """Subject, text and HTML of one email, rendered from its own context."""
    prefix = f"{TEMPLATE_DIR}/{kind}"
    subject = _single_line(_render_plain(f"{prefix}_subject.txt", context))
    context["subject"] = subject
    return subject, _render_plain(f"{prefix}.txt", context), _render_html(f"{prefix}.html", context)


def _render_variant(kind: str, context: dict[str, Any]) -> MergedParts | None:
    """A variant's parts with markers for the reader's values; None if the subject names them."""
    subject, text, html = _render_parts(kind, context_with_markers(context))
    return None if has_markers(subject) else MergedParts(subject, text, html)


def _render_parts_merged(
    email: OutboxEmail, context: dict[str, Any], shared: SharedParts
) -> tuple[str, str, str]:
    """The same as ``_render_parts``, rendering once per variant of the batch (mail_merge)."""
    key = variant_key(email.kind, email.language, context)
    parts = shared.get(key, lambda: _render_variant(email.kind, context))
    if parts is None:
        return _render_parts(email.kind, context)
    return fill(parts, reader_values(context))


def email_message_build(
    email: OutboxEmail,
    *,
    connection: BaseEmailBackend | None = None,
    shared: SharedParts | None = None,
) -> OutboxMessage:
    """Render a row into the message to send, with its stable Message-ID.

    Pass the batch's ``shared`` parts when rendering many rows; alone, a row makes its own.
    """
    if email.kind in KINDS_WITH_STORED_CONTENT:
        return _stored_message_build(email, connection=connection)
    registration = email.registration
    zone = registration.time_zone if registration else settings.TIME_ZONE
    with translation.override(email.language), timezone.override(zone):
        context = email_context(email, shared)
        if shared is None:
            subject, text, html = _render_parts(email.kind, context)
        else:
            subject, text, html = _render_parts_merged(email, context, shared)
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
                shown=context["event"],
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
