"""Organizations on their own: create one, edit its settings, rename it without breaking links.

Who may create one is ``settings.ORGANIZATION_CREATION`` (docs/design.md, "Organizations"):
``open`` makes it at once, ``approval`` makes it waiting for a site admin, ``closed``
refuses. The creator becomes its owner in the same transaction.
"""

from collections.abc import Iterator
from contextlib import contextmanager
from functools import partial
from typing import Any

from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.db import IntegrityError, transaction
from django.utils.translation import gettext as _

from accounts.models import User
from events.logos import PreparedLogo
from events.models import Membership, Organization, OrganizationSlugRedirect
from workspace.audit import audit_record

# What an owner edits in the workspace; the same fields the creation form asks for. The logo
# comes separately, already checked and re-encoded (events/logos.py).
ORGANIZATION_FIELDS = (
    "name",
    "slug",
    "contact_email",
    "description",
    "time_zone",
    "language",
)


class OrganizationCreationRefused(Exception):
    """This person may not create an organization; the text is shown to them."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def organization_creation_refusal(user: User) -> str | None:
    """Why ``user`` may not create an organization now, or None if they may."""
    if settings.ORGANIZATION_CREATION == "closed":
        return _("New organizations are created by the site's administrators; ask them.")
    verified = EmailAddress.objects.filter(
        user=user, email__iexact=user.email, verified=True
    ).exists()
    if not verified:
        return _("Confirm your email address first: open the link we emailed you.")
    return None


def _slug_taken_by_another(slug: str, organization: Organization) -> bool:
    """A slug another organization had before a rename still leads there, so it stays taken."""
    return (
        OrganizationSlugRedirect.objects.filter(old_slug=slug)
        .exclude(organization_id=organization.pk)
        .exists()
    )


def _save_checked(organization: Organization) -> None:
    if organization.slug and _slug_taken_by_another(organization.slug, organization):
        raise ValidationError({"slug": _("This address is taken; choose another.")})
    organization.full_clean()
    try:
        with transaction.atomic():
            organization.save()
    except IntegrityError as error:
        # Another request took the slug between the check and the save.
        raise ValidationError({"slug": _("This address is taken; choose another.")}) from error


@contextmanager
def _logo_files() -> Iterator[list[str]]:
    """Collects the logo files a change writes, and deletes them again if it fails.

    Files are not transactional: a change that rolls back must not leave its new logo behind.
    """
    written: list[str] = []
    try:
        yield written
    except BaseException:
        for name in written:
            default_storage.delete(name)
        raise


def _logo_set(organization: Organization, logo: PreparedLogo | None, written: list[str]) -> bool:
    """Give ``organization`` this logo (None: none) in the current transaction; False if
    nothing changes. The file it had is deleted once the change commits.

    Setting or removing a logo also drops the link given before uploads existed.
    """
    old_name = organization.logo.name or ""
    new_name = logo.storage_name(organization.pk) if logo is not None else ""
    if new_name == old_name and not organization.logo_url:
        return False
    if logo is not None and not default_storage.exists(new_name):
        new_name = default_storage.save(new_name, ContentFile(logo.content))
        written.append(new_name)
    organization.logo.name = new_name
    organization.logo_url = ""
    organization.save(update_fields=["logo", "logo_url", "updated_at"])
    if old_name and old_name != new_name:
        transaction.on_commit(partial(default_storage.delete, old_name))
    return True


def organization_create(
    *, creator: User, logo: PreparedLogo | None = None, **fields: Any
) -> Organization:
    """Create an organization with ``creator`` as its owner, with ``logo`` if given.

    Raises ``OrganizationCreationRefused`` when the setting or an unconfirmed address stops
    them, ``ValidationError`` (by field) for a slug that is reserved or taken.
    """
    refusal = organization_creation_refusal(creator)
    if refusal is not None:
        raise OrganizationCreationRefused(refusal)
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Not an organization setting: {sorted(unknown)}")
    waits = settings.ORGANIZATION_CREATION == "approval"
    organization = Organization(
        **fields, status=Organization.Status.PENDING if waits else Organization.Status.ACTIVE
    )
    with _logo_files() as written, transaction.atomic():
        _save_checked(organization)
        Membership.objects.create(
            organization=organization, user=creator, role=Membership.Role.OWNER
        )
        if logo is not None:
            _logo_set(organization, logo, written)
        audit_record(
            actor=creator,
            action="organization.created",
            organization=organization,
            details={"slug": organization.slug, "status": organization.status},
        )
    return organization


def organization_update(
    *,
    actor: User,
    organization: Organization,
    attendee_privacy: bool | None = None,
    logo: PreparedLogo | None = None,
    remove_logo: bool = False,
    **fields: Any,
) -> Organization:
    """Change an organization's settings. A new slug keeps the old one as a redirect.

    ``attendee_privacy`` (None: unchanged) goes through ``organization_set_attendee_privacy``
    in the same transaction, so it keeps its own audit entry. ``logo`` replaces the logo,
    ``remove_logo`` takes it away; the replaced file is deleted once the change commits.
    """
    unknown = set(fields) - set(ORGANIZATION_FIELDS)
    if unknown:
        raise TypeError(f"Not an organization setting: {sorted(unknown)}")
    with _logo_files() as written, transaction.atomic():
        if attendee_privacy is not None:
            organization_set_attendee_privacy(
                organization=organization, enabled=attendee_privacy, actor=actor
            )
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        changed: dict[str, object] = {
            name: value for name, value in fields.items() if getattr(locked, name) != value
        }
        old_slug = locked.slug
        if (logo is not None or remove_logo) and _logo_set(locked, logo, written):
            changed["logo"] = locked.logo.name
        for name, value in changed.items():
            if name != "logo":
                setattr(locked, name, value)
        if not changed:
            return locked
        _save_checked(locked)
        if "slug" in changed:
            # Renaming back to an old slug makes it live again rather than a redirect.
            OrganizationSlugRedirect.objects.filter(old_slug=locked.slug).delete()
            OrganizationSlugRedirect.objects.create(old_slug=old_slug, organization=locked)
        audit_record(
            actor=actor,
            action="organization.changed",
            organization=locked,
            details={"fields": sorted(changed)},
        )
    return locked


def organization_set_attendee_privacy(
    *, organization: Organization, enabled: bool, actor: User
) -> Organization:
    """Turn attendee privacy on or off (README: Attendee privacy); recorded in the audit log."""
    with transaction.atomic():
        locked = Organization.objects.select_for_update().get(pk=organization.pk)
        if locked.attendee_privacy == enabled:
            return locked
        locked.attendee_privacy = enabled
        locked.save(update_fields=["attendee_privacy"])
        audit_record(
            actor=actor,
            action="organization.privacy_changed",
            organization=locked,
            details={"attendee_privacy": enabled},
        )
    return locked
