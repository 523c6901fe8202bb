"""Privacy requests about one registrant: erase them, or hand them their data."""

from typing import Any

from django.db import transaction

from accounts.models import User
from notifications.erasure import outbox_erase_registration
from registrations.models import Registration
from registrations.services import registration_erase
from workspace.audit import audit_record
from workspace.selectors.privacy import registrant_personal_data


def registrant_erase(*, registration: Registration, actor: User) -> Registration:
    """Erase a registrant everywhere Convene keeps them, in one transaction.

    The registration is anonymized in place (see ``registration_erase``), their emails in
    the outbox are scrubbed and unsent ones stopped. The audit entry names the registration
    by id only. Erasing an erased registrant changes nothing and records nothing.
    """
    with transaction.atomic():
        locked = (
            Registration.objects.select_for_update()
            .select_related("event__organization")
            .get(pk=registration.pk)
        )
        if locked.is_erased:
            return locked
        erased = registration_erase_everywhere(registration=locked)
        audit_record(
            actor=actor,
            action="registration.erased",
            organization=locked.event.organization,
            event=locked.event,
            details={"registration_id": erased.pk},
        )
    return erased


def registration_erase_everywhere(*, registration: Registration) -> Registration:
    """Anonymize a locked, not yet erased registration and scrub its emails (no audit entry:
    the caller records one for a person, or one for a whole event's retention)."""
    previous_email = registration.email
    erased = registration_erase(registration=registration)
    outbox_erase_registration(
        registration=erased, previous_email=previous_email, placeholder_email=erased.email
    )
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
