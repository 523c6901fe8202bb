"""Privacy requests about one registrant: erase them, or hand them their data."""

from typing import Any

from django.db import transaction

from accounts.models import User
from notifications.erasure import outbox_erase_registration
from registrations.models import Registration
from registrations.services import registration_erase
from series.erasure import series_registration_erase
from series.models import SeriesRegistration
from series.selectors import series_registrations_of_registrant
from series.services import series_registration_leave
from webhooks.erasure import webhook_deliveries_erase_registration
from workspace.audit import audit_record
from workspace.selectors.privacy import registrant_personal_data


def registrant_erase(*, registration: Registration, actor: User) -> Registration:
    """Erase a registrant everywhere Convene keeps them, in one transaction.

    The registration is anonymized in place (see ``registration_erase``), their emails in
    the outbox are scrubbed and unsent ones stopped. The audit entry names the registration
    by id only. Erasing an erased registrant changes nothing and records nothing.

    When the event is a session of a series the person registered for as a whole
    (docs/series.md, "Privacy"), that series registration holds the same data and would put
    it into every session generated later: the person leaves the series (their future
    sessions are cancelled, so the seats go to the waitlists), then the series registration
    and their registrations in every session of the series are erased too.
    """
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update()
            .select_related("event__organization")
            .get(pk=registration.pk)
        )
        if locked.is_erased:
            return locked
        members = list(
            series_registrations_of_registrant(
                event_id=locked.event_id, email_normalized=locked.email_normalized
            )
        )
        for member in members:
            series_registration_leave(series_registration=member)
        if members:
            locked.refresh_from_db()  # leaving may have cancelled it
        erased = registration_erase_everywhere(registration=locked)
        audit_record(
            actor=actor,
            action="registration.erased",
            organization=locked.event.organization,
            event=locked.event,
            details={"registration_id": erased.pk},
        )
        for member in members:
            _series_registrant_erase(member=member, actor=actor)
    return erased


def _series_registrant_erase(*, member: SeriesRegistration, actor: User) -> None:
    """Erase a series registration and the person's registrations in its sessions."""
    sessions = (
        Registration.objects.select_for_update()
        .filter(
            event__series_session__series=member.series,
            email_normalized=member.email_normalized,
            erased_at__isnull=True,
        )
        .order_by("pk")
    )
    erased_sessions = [registration_erase_everywhere(registration=row).pk for row in sessions]
    series_registration_erase(series_registration=member)
    audit_record(
        actor=actor,
        action="series_registration.erased",
        organization=member.series.organization,
        details={
            "series_id": member.series_id,
            "series_registration_id": member.pk,
            "registration_ids": erased_sessions,
        },
    )


def registration_erase_everywhere(*, registration: Registration) -> Registration:
    """Anonymize a locked, not yet erased registration and scrub its emails and webhook
    deliveries (no audit entry: the caller records one for a person, or one for a whole
    event's retention)."""
    previous_email, previous_public_id = registration.email, registration.public_id
    erased = registration_erase(registration=registration)
    outbox_erase_registration(
        registration=erased, previous_email=previous_email, placeholder_email=erased.email
    )
    webhook_deliveries_erase_registration(public_id=previous_public_id)
    return erased


def registrant_data_export(*, registration: Registration, actor: User) -> dict[str, Any]:
    """Everything held about one registrant, for a data-access request; the export is audited."""
    with transaction.atomic():
        data = registrant_personal_data(registration)
        audit_record(
            actor=actor,
            action="registration.exported",
            organization=registration.event.organization,
            event=registration.event,
            details={"registration_id": registration.pk},
        )
    return data
