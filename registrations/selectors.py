"""Reads about registrations and whether an event takes them."""

from datetime import datetime
from typing import NamedTuple

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.db.models import Q, QuerySet
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event, Organization, PrivacyStatement, Question
from registrations.models import Registration

_MANAGE_SALT = "registrations.manage"


def normalize_email(email: str) -> str:
    return email.strip().lower()


def registration_closed_reason(*, event: Event, now: datetime | None = None) -> str | None:
    """Why this event does not take registrations right now, or None if it does."""
    now = now or timezone.now()
    if event.status == Event.Status.CANCELLED:
        return _("This event has been cancelled.")
    if event.status != Event.Status.PUBLISHED:
        return _("This event is not open for registration.")
    if event.ends_at <= now:
        return _("This event has already taken place.")
    if event.registration_opens_at and now < event.registration_opens_at:
        return _("Registration has not opened yet.")
    closes_at = event.registration_closes_at or event.ends_at
    if now >= closes_at:
        return _("Registration for this event has closed.")
    return None


def registration_consent_line(*, organization: Organization) -> str | None:
    """The line the registration form asks to tick, in the active language; None if the
    organization asks for no consent (docs/privacy.md)."""
    if not organization.consent_required:
        return None
    return _(
        "I agree that %(organization)s keeps my name and email to send me this event's details."
    ) % {"organization": organization.name}


def privacy_statement_for(*, organization: Organization, language: str) -> PrivacyStatement | None:
    """The organization's privacy statement in ``language``, else in the site's first language
    that has one (the page says which language it is in)."""
    statements = {
        statement.language: statement for statement in organization.privacy_statements.all()
    }
    if language in statements:
        return statements[language]
    return next(
        (statements[code] for code, _name in settings.LANGUAGES if code in statements), None
    )


_QUESTION_TABLE = Question._meta.db_table
_EVENT_TABLE = Event._meta.db_table
_ORGANIZATION_TABLE = Organization._meta.db_table
# The organization fields the registration form and its answer need, read in the same query.
_ORGANIZATION_FIELDS = ("name", "language", "consent_required", "attendee_privacy")
# What Event.objects.published().annotate(has_questions=Exists(...)).select_related(
# "organization").get(slug=...) asks, in SQL written once: compiling that query was most of
# this read's CPU, and every POST pays for it. Table names from the models, no input: nothing
# here can inject.
_OPEN_EVENT_SQL = (
    f'SELECT "{_EVENT_TABLE}".*, EXISTS (SELECT 1 FROM "{_QUESTION_TABLE}" '  # noqa: S608
    f'WHERE "{_QUESTION_TABLE}"."event_id" = "{_EVENT_TABLE}"."id") AS "has_questions", '
    + ", ".join(
        f'"{_ORGANIZATION_TABLE}"."{name}" AS "organization_{name}"'
        for name in _ORGANIZATION_FIELDS
    )
    + f' FROM "{_EVENT_TABLE}" JOIN "{_ORGANIZATION_TABLE}" '
    f'ON "{_ORGANIZATION_TABLE}"."id" = "{_EVENT_TABLE}"."organization_id" '
    f'WHERE "{_EVENT_TABLE}"."slug" = %s AND "{_EVENT_TABLE}"."status" <> %s'
)


class OpenEvent(NamedTuple):
    event: Event
    questions: list[Question]
    # The organization's setting (Organization.attendee_privacy), read in the same query.
    attendee_privacy: bool


def event_open_for_registration(*, slug: str) -> OpenEvent | None:
    """The public event (published or cancelled, never a draft) and its form's questions.

    Leaner than the event page's read, since every registration pays for it: no speakers or
    co-sponsors, and no second query for the many events that ask no questions.
    """
    found = list(Event.objects.raw(_OPEN_EVENT_SQL, [slug, Event.Status.DRAFT]))
    if not found:
        return None
    event = found[0]
    # The organization as far as the form needs it; any other field loads on access.
    event.organization = Organization.from_db(
        event._state.db,
        ["id", *_ORGANIZATION_FIELDS],
        [
            event.organization_id,
            *(getattr(event, f"organization_{name}") for name in _ORGANIZATION_FIELDS),
        ],
    )
    has_questions: bool = event.has_questions  # type: ignore[attr-defined]
    questions = list(Question.objects.filter(event=event)) if has_questions else []
    return OpenEvent(event, questions, event.organization.attendee_privacy)


def registration_active_for_email(*, event: Event, email: str) -> Registration | None:
    return (
        Registration.objects.filter(event=event, email_normalized=normalize_email(email))
        .exclude(status=Registration.Status.CANCELLED)
        .first()
    )


def registration_signed_token(registration: Registration, *, salt: str) -> str:
    """A signed, unguessable token naming exactly one registration, for one purpose (salt)."""
    return signing.Signer(salt=salt).sign(str(registration.public_id))


def token_link_affixes(view_name: str) -> tuple[str, str]:
    """A token link's absolute URL before and after the token, for many links at once.

    ``before + token + after`` is ``SITE_URL + reverse(view_name, kwargs={"token": token})``:
    resolving the route once per batch instead of per email, where reversing cost more than
    the rest of building the link. Signed tokens need no quoting in a path.
    """
    marker = "token-marker"
    before, after = (settings.SITE_URL + reverse(view_name, kwargs={"token": marker})).split(marker)
    return before, after


def registration_from_signed_token(token: str, *, salt: str) -> Registration | None:
    """The registration a token signed with this salt names; None if tampered or gone."""
    try:
        public_id = signing.Signer(salt=salt).unsign(token)
    except signing.BadSignature:
        return None
    try:
        return Registration.objects.select_related("event").get(public_id=public_id)
    except (Registration.DoesNotExist, ValidationError):
        return None


def registration_manage_token(registration: Registration) -> str:
    """The token in a registrant's personal manage link."""
    return registration_signed_token(registration, salt=_MANAGE_SALT)


def registration_from_manage_token(token: str) -> Registration | None:
    return registration_from_signed_token(token, salt=_MANAGE_SALT)


def waitlist_position(registration: Registration) -> int | None:
    """1 for the next person to be promoted; None unless waitlisted."""
    if registration.status != Registration.Status.WAITLISTED:
        return None
    ahead = Registration.objects.filter(
        event_id=registration.event_id,
        status=Registration.Status.WAITLISTED,
        created_at__lt=registration.created_at,
    ).count()
    return ahead + 1


def registrations_for_emails(emails: list[str]) -> QuerySet[Registration]:
    """Every registration made with one of these (verified) addresses, newest event first."""
    normalized = {normalize_email(email) for email in emails}
    return (
        Registration.objects.filter(email_normalized__in=normalized)
        .select_related("event__organization")
        .prefetch_related("event__translations")
        .order_by("-event__starts_at", "-created_at")
    )


# Orderings the attendee list and exports offer, by the name used in URLs.
REGISTRATION_ORDERINGS = {
    "name": ("name", "id"),
    "-name": ("-name", "-id"),
    "email": ("email_normalized", "id"),
    "registered": ("created_at", "id"),
    "-registered": ("-created_at", "-id"),
    "status": ("status", "created_at", "id"),
}


def registration_list(
    *,
    event: Event,
    search: str = "",
    status: str = "",
    ordering: str = "registered",
) -> QuerySet[Registration]:
    """One event's registrations filtered as the attendees page and exports filter them.

    ``search`` matches name or email (case-insensitive substring); ``status`` is one of
    Registration.Status or empty for all; unknown orderings fall back to registration time.
    """
    registrations = Registration.objects.filter(event=event)
    search = search.strip()
    if search:
        registrations = registrations.filter(
            Q(name__icontains=search) | Q(email_normalized__icontains=search.lower())
        )
    if status in Registration.Status.values:
        registrations = registrations.filter(status=status)
    return registrations.order_by(
        *REGISTRATION_ORDERINGS.get(ordering, REGISTRATION_ORDERINGS["registered"])
    )
