"""Erasing a person's series registration (privacy requests and retention; docs/privacy.md).

A series registration holds what each session's registration holds (name, email, zone,
answers), so it is erased the same way (``registrations.services.registration_erase``):
anonymized in place, its one email of its own (the welcome with the personal link) scrubbed.
Status, timestamps, language and the consent record stay, as they do for a registration.
The registrations it made in each session are erased by the caller, which knows which of them
are due (docs/design.md, "Apps and layers": this app does not reach into the workspace).
"""

import uuid

from django.db import transaction
from django.utils import timezone

from notifications.erasure import outbox_erase_emails
from notifications.models import OutboxEmail
from registrations.services import ERASED_EMAIL_DOMAIN, ERASED_NAME, ERASED_TIME_ZONE
from series.models import SeriesRegistration


def erased_series_email(series_registration_id: int) -> str:
    """The placeholder address of an erased series registration, unique per row (so the
    one-active-series-registration-per-address constraint holds) and apart from the
    registrations' own placeholders."""
    return f"erased-series-{series_registration_id}@{ERASED_EMAIL_DOMAIN}"


def series_registration_erase(*, series_registration: SeriesRegistration) -> SeriesRegistration:
    """Anonymize a series registration in place and scrub its welcome email; erasing twice
    changes nothing.

    Its status stays; the generator never registers an erased series registration into a
    new session (``series.services.series_generate``). The caller cancels or erases the
    person's registrations in the sessions.
    """
    with transaction.atomic():
        locked = SeriesRegistration.objects.select_for_update().get(pk=series_registration.pk)
        if locked.is_erased:
            return locked
        previous_email = locked.email
        locked.name = ERASED_NAME
        locked.email = locked.email_normalized = erased_series_email(locked.pk)
        locked.time_zone = ERASED_TIME_ZONE
        locked.answers = {}
        # The personal link names the series registration by its public id.
        locked.public_id = uuid.uuid4()
        locked.erased_at = timezone.now()
        locked.save()
        outbox_erase_emails(
            emails=OutboxEmail.objects.filter(
                kind=OutboxEmail.Kind.SERIES, context__series_registration_id=locked.pk
            ),
            previous_email=previous_email,
            placeholder_email=locked.email,
        )
    return locked
