"""What Convene holds about one registrant, gathered for a data-access request."""

from datetime import UTC, datetime
from typing import Any
from urllib.parse import urlsplit

from django.utils import timezone

from notifications.models import OutboxEmail
from registrations.models import Registration
from series.models import SeriesRegistration
from series.selectors import series_registrations_of_registrant
from webhooks.selectors import deliveries_about_registration


def _instant(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat() if moment else None


def registrant_personal_data(registration: Registration) -> dict[str, Any]:
    """The registration's fields, its answers under their question labels, the emails sent
    to the person, the webhook messages that carried their data and their registrations for
    a whole series; every instant in UTC (ISO 8601)."""
    event = registration.event
    labels = {str(question.pk): question.label for question in event.questions.all()}
    answers = [
        {"question": labels.get(key, f"Question {key} (no longer asked)"), "answer": value}
        for key, value in registration.answers.items()
    ]
    emails = [
        _email(email)
        for email in OutboxEmail.objects.filter(registration=registration).order_by(
            "created_at", "id"
        )
    ]
    # Copies sent to the organization's own systems (docs/privacy.md): where, what, when.
    # The host only: a receiver's path may hold its own key.
    webhooks = [
        {
            "endpoint_host": urlsplit(delivery.endpoint.url).hostname or "",
            "event_type": delivery.event_type,
            "status": delivery.status,
            "created_at": _instant(delivery.created_at),
            "delivered_at": _instant(delivery.delivered_at),
        }
        for delivery in deliveries_about_registration(registration.public_id)
    ]
    return {
        "exported_at": _instant(timezone.now()),
        "event": {
            "id": event.pk,
            "title": event.title,
            "organization": event.organization.name,
            "starts_at": _instant(event.starts_at),
            "time_zone": event.time_zone,
        },
        "registration": {
            "id": registration.pk,
            "name": registration.name,
            "email": registration.email,
            "time_zone": registration.time_zone,
            "language": registration.language,
            "status": registration.status,
            "created_at": _instant(registration.created_at),
            "confirmed_at": _instant(registration.confirmed_at),
            "cancelled_at": _instant(registration.cancelled_at),
            "checked_in_at": _instant(registration.checked_in_at),
            "attended": registration.attended,
            "attended_minutes": registration.attended_minutes,
            "erased_at": _instant(registration.erased_at),
        },
        "answers": answers,
        "emails": emails,
        "webhooks": webhooks,
        "series_registrations": [
            _series_registration(member)
            for member in series_registrations_of_registrant(
                event_id=event.pk, email_normalized=registration.email_normalized
            ).prefetch_related("series__questions")
        ],
    }


def _email(email: OutboxEmail) -> dict[str, Any]:
    return {
        "kind": email.kind,
        "description": str(email.get_kind_display()),
        "subject": email.subject,
        "recipient": email.recipient,
        "status": email.status,
        "created_at": _instant(email.created_at),
        "sent_at": _instant(email.sent_at),
    }


def _series_registration(member: SeriesRegistration) -> dict[str, Any]:
    """A registration for every session of the event's series (docs/series.md, "Privacy"):
    its fields, its answers under the series' question labels, its own email."""
    labels = {str(question.pk): question.label for question in member.series.questions.all()}
    emails = OutboxEmail.objects.filter(
        kind=OutboxEmail.Kind.SERIES, context__series_registration_id=member.pk
    ).order_by("created_at", "id")
    return {
        "id": member.pk,
        "series": {"id": member.series_id, "title": member.series.title},
        "name": member.name,
        "email": member.email,
        "time_zone": member.time_zone,
        "language": member.language,
        "status": member.status,
        "created_at": _instant(member.created_at),
        "left_at": _instant(member.left_at),
        "consent_text": member.consent_text,
        "answers": [
            {"question": labels.get(key, f"Question {key} (no longer asked)"), "answer": value}
            for key, value in member.answers.items()
        ],
        "emails": [_email(email) for email in emails],
    }
