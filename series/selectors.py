"""Reads about series: the public page, a series registration's personal link, a person's
series registrations."""

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import QuerySet
from django.urls import reverse

from series.models import Series, SeriesRegistration

_SERIES_LINK_SALT = "series.registration"


def series_public(*, slug: str) -> Series | None:
    return Series.objects.select_related("organization").filter(slug=slug).first()


def series_registration_token(series_registration: SeriesRegistration) -> str:
    """The token in the personal link that shows a series registration and leaves it."""
    return signing.Signer(salt=_SERIES_LINK_SALT).sign(str(series_registration.public_id))


def series_registration_url(series_registration: SeriesRegistration) -> str:
    token = series_registration_token(series_registration)
    return settings.SITE_URL + reverse("series:manage", kwargs={"token": token})


def series_registration_from_token(token: str) -> SeriesRegistration | None:
    """The series registration a token names; None if tampered or gone."""
    try:
        public_id = signing.Signer(salt=_SERIES_LINK_SALT).unsign(token)
    except signing.BadSignature:
        return None
    try:
        return SeriesRegistration.objects.select_related("series").get(public_id=public_id)
    except (SeriesRegistration.DoesNotExist, ValidationError):
        return None


def series_registrations_of_registrant(
    *, event_id: int, email_normalized: str
) -> QuerySet[SeriesRegistration]:
    """The series registrations, not yet erased, of the address registered for ``event``
    when the event is a session of a series (none otherwise)."""
    return SeriesRegistration.objects.filter(
        series__sessions__event_id=event_id,
        email_normalized=email_normalized,
        erased_at__isnull=True,
    ).select_related("series")
