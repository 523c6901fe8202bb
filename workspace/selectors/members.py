"""Reads for an organization's members and invitations, scoped to the signed-in member."""

import uuid
from collections.abc import Iterable
from dataclasses import dataclass

from django.core import signing
from django.db.models import QuerySet

from accounts.models import User
from events.models import Membership, Organization
from notifications.models import OutboxEmail
from workspace.models import Invitation

_INVITATION_SALT = "workspace.invitation"


def membership_of(user: User, organization: Organization) -> Membership | None:
    return Membership.objects.filter(organization=organization, user=user).first()


def is_owner(user: User, organization: Organization) -> bool:
    return Membership.objects.filter(
        organization=organization, user=user, role=Membership.Role.OWNER
    ).exists()


def members_of(organization: Organization) -> QuerySet[Membership]:
    """Owners first, then organizers, each by email."""
    return (
        Membership.objects.filter(organization=organization)
        .select_related("user")
        .order_by("-role", "user__email")
    )


def open_invitations(organization: Organization) -> QuerySet[Invitation]:
    return Invitation.objects.filter(
        organization=organization, accepted_at__isnull=True, revoked_at__isnull=True
    ).select_related("invited_by")


@dataclass(frozen=True)
class InvitationWithEmail:
    invitation: Invitation
    # Its latest invitation email (renewing sends a new one); None if there is none.
    email: OutboxEmail | None


def invitation_emails(invitation_ids: Iterable[int]) -> QuerySet[OutboxEmail]:
    """The outbox rows of these invitations' emails, newest first."""
    return OutboxEmail.objects.filter(
        kind=OutboxEmail.Kind.INVITATION, context__invitation_id__in=list(invitation_ids)
    ).order_by("-id")


def open_invitations_with_emails(organization: Organization) -> list[InvitationWithEmail]:
    """Open invitations, each with how its latest email fared: owners see a refused address."""
    invitations = list(open_invitations(organization))
    latest: dict[int, OutboxEmail] = {}
    emails = invitation_emails(invitation.pk for invitation in invitations)
    for email in emails.defer("text_body", "html_body"):
        latest.setdefault(int(email.context["invitation_id"]), email)
    return [
        InvitationWithEmail(invitation, latest.get(invitation.pk)) for invitation in invitations
    ]


def invitation_token(invitation: Invitation) -> str:
    """The signed token of an invitation link; a renewed invitation gets a new one."""
    return signing.Signer(salt=_INVITATION_SALT).sign(str(invitation.key))


def invitation_from_token(token: str) -> Invitation | None:
    """The invitation a link names (accepted, revoked or expired ones too), or None."""
    try:
        key = uuid.UUID(signing.Signer(salt=_INVITATION_SALT).unsign(token))
    except (signing.BadSignature, ValueError):
        return None
    return Invitation.objects.select_related("organization", "invited_by").filter(key=key).first()
