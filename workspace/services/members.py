"""Who belongs to an organization: invitations, joining and removal. Owners decide."""

import uuid
from dataclasses import dataclass
from datetime import timedelta

from allauth.account.models import EmailAddress
from django.conf import settings
from django.db import IntegrityError, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone, translation
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import Membership, Organization
from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue_rendered, outbox_withdraw_queued
from workspace.audit import audit_record
from workspace.models import Invitation
from workspace.selectors.members import invitation_emails, invitation_token

INVITATION_LIFETIME = timedelta(days=14)


class MembershipError(Exception):
    """A membership change that cannot be made; the text is shown to the person."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class InvitationUnusable(MembershipError):
    """Accepted, revoked or expired: the link no longer works."""


@dataclass(frozen=True)
class InviteResult:
    """Exactly one is set: the membership of someone who already had an account, or the
    invitation emailed to someone who has none yet."""

    membership: Membership | None = None
    invitation: Invitation | None = None


def member_invite(
    *, organization: Organization, email: str, role: str, invited_by: User, language: str = "en"
) -> InviteResult:
    """Add the person with this address, or invite them by email if they have no account.

    Inviting an address again renews its open invitation (new link, new expiry) and sends
    it again; the previous link stops working, and its email is withdrawn if still unsent.
    The email is an outbox row written in this transaction (docs/design.md, "The outbox").
    """
    email = email.strip()
    normalized = email.lower()
    try:
        with transaction.atomic():
            user = User.objects.filter(email__iexact=normalized).first()
            if user is not None:
                membership = _membership_add(
                    organization=organization, user=user, role=role, actor=invited_by
                )
                member_added_email_send(
                    membership=membership, added_by=invited_by, language=language
                )
                return InviteResult(membership=membership)
            invitation = (
                Invitation.objects.select_for_update()
                .filter(
                    organization=organization,
                    email_normalized=normalized,
                    accepted_at__isnull=True,
                    revoked_at__isnull=True,
                )
                .first()
            ) or Invitation(organization=organization, email_normalized=normalized)
            invitation.email = email
            invitation.role = role
            invitation.invited_by = invited_by
            invitation.key = uuid.uuid4()
            invitation.expires_at = timezone.now() + INVITATION_LIFETIME
            invitation.save()
            audit_record(
                actor=invited_by,
                action="member.invited",
                organization=organization,
                details={"invitation_id": invitation.pk, "email": email, "role": role},
            )
            # A renewed invitation's unsent email carries the old link, which no longer works.
            outbox_withdraw_queued(
                emails=invitation_emails([invitation.pk]),
                reason="Not sent: the invitation was renewed; a newer email has the link.",
            )
            invitation_email_send(invitation=invitation, language=language)
    except IntegrityError as error:
        # Two owners invited the same address at the same moment; one invitation stands.
        raise MembershipError(
            _("This address was invited a moment ago; reload the page to see it.")
        ) from error
    return InviteResult(invitation=invitation)


def _membership_add(
    *, organization: Organization, user: User, role: str, actor: User | None
) -> Membership:
    membership, created = Membership.objects.get_or_create(
        organization=organization, user=user, defaults={"role": role}
    )
    if not created:
        raise MembershipError(_("%(email)s is already a member.") % {"email": user.email})
    audit_record(
        actor=actor,
        action="member.added",
        organization=organization,
        details={"user_id": user.pk, "email": user.email, "role": role},
    )
    return membership


def invitation_email_send(*, invitation: Invitation, language: str) -> OutboxEmail:
    """Write the invitation email to the outbox, in the caller's transaction.

    Rendered now, in ``language`` (the inviting owner's), because the link is only known
    here; the worker sends it with retries, and the members page shows how it fared (a
    refused address shows there with the server's answer).
    """
    accept_url = settings.SITE_URL + reverse(
        "workspace:invitation_accept", kwargs={"token": invitation_token(invitation)}
    )
    context = {"invitation": invitation, "accept_url": accept_url}
    with translation.override(language):
        subject = render_to_string("workspace/members/invitation_email_subject.txt", context)
        text = render_to_string("workspace/members/invitation_email.txt", context)
        html = render_to_string("workspace/members/invitation_email.html", context)
    return outbox_enqueue_rendered(
        kind=OutboxEmail.Kind.INVITATION,
        recipient=invitation.email,
        subject=subject,
        text_body=text,
        html_body=html,
        language=language,
        context={"invitation_id": invitation.pk},
    )


def member_added_email_send(
    *, membership: Membership, added_by: User, language: str
) -> OutboxEmail:
    """Tell someone who already had an account that they are now a member.

    Like an invitation email: rendered now in the adding owner's language, written to the
    outbox in the caller's transaction, sent once it commits.
    """
    with translation.override(language):
        context = {
            "organization": membership.organization,
            "added_by": added_by,
            "role": membership.get_role_display(),
            "workspace_url": settings.SITE_URL + reverse("workspace:home"),
        }
        subject = render_to_string("workspace/members/added_email_subject.txt", context)
        text = render_to_string("workspace/members/added_email.txt", context)
        html = render_to_string("workspace/members/added_email.html", context)
    return outbox_enqueue_rendered(
        kind=OutboxEmail.Kind.MEMBER_ADDED,
        recipient=membership.user.email,
        subject=subject,
        text_body=text,
        html_body=html,
        language=language,
        context={"membership_id": membership.pk},
    )


def invitation_accept(*, invitation: Invitation, user: User) -> Membership:
    """Join the invitation's organization as the signed-in ``user``.

    Only the invited address may accept: the user's account email or one of their verified
    addresses must be it. A member accepting again just uses the invitation up.
    """
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if locked.accepted_at is not None:
            raise InvitationUnusable(_("This invitation has already been used."))
        if locked.revoked_at is not None:
            raise InvitationUnusable(_("This invitation was withdrawn."))
        if locked.is_expired():
            raise InvitationUnusable(
                _("This invitation has expired; ask the organization for a new one.")
            )
        if not _user_owns_address(user, locked.email_normalized):
            raise MembershipError(
                _("This invitation was sent to %(email)s. Sign in with that address to accept it.")
                % {"email": locked.email}
            )
        membership, created = Membership.objects.get_or_create(
            organization=locked.organization, user=user, defaults={"role": locked.role}
        )
        locked.accepted_at = timezone.now()
        locked.accepted_by = user
        locked.save(update_fields=["accepted_at", "accepted_by"])
        if created:
            audit_record(
                actor=user,
                action="member.joined",
                organization=locked.organization,
                details={
                    "invitation_id": locked.pk,
                    "user_id": user.pk,
                    "email": user.email,
                    "role": membership.role,
                },
            )
    return membership


def _user_owns_address(user: User, normalized_email: str) -> bool:
    if user.email.strip().lower() == normalized_email:
        return True
    return EmailAddress.objects.filter(
        user=user, email__iexact=normalized_email, verified=True
    ).exists()


def invitation_revoke(*, invitation: Invitation, actor: User) -> Invitation:
    """Withdraw an open invitation so its link stops working; a no-op otherwise."""
    with transaction.atomic():
        locked = Invitation.objects.select_for_update().get(pk=invitation.pk)
        if not locked.is_open:
            return locked
        locked.revoked_at = timezone.now()
        locked.save(update_fields=["revoked_at"])
        outbox_withdraw_queued(
            emails=invitation_emails([locked.pk]),
            reason="Not sent: the invitation was withdrawn.",
        )
        audit_record(
            actor=actor,
            action="member.invitation_revoked",
            organization=locked.organization,
            details={"invitation_id": locked.pk, "email": locked.email},
        )
    return locked


def membership_remove(*, membership: Membership, actor: User) -> None:
    """Remove a member. The last owner stays: an organization always has someone in charge.

    The organization's owner rows are locked first, so two owners removing each other at
    once cannot leave none.
    """
    with transaction.atomic():
        owners = list(
            Membership.objects.select_for_update()
            .filter(organization_id=membership.organization_id, role=Membership.Role.OWNER)
            .values_list("pk", flat=True)
        )
        locked = (
            Membership.objects.select_for_update()
            .select_related("user", "organization")
            .filter(pk=membership.pk)
            .first()
        )
        if locked is None:
            return
        if locked.role == Membership.Role.OWNER and owners == [locked.pk]:
            raise MembershipError(
                _("%(email)s is the only owner and cannot be removed.")
                % {"email": locked.user.email}
            )
        locked.delete()
        audit_record(
            actor=actor,
            action="member.removed",
            organization=locked.organization,
            details={"user_id": locked.user_id, "email": locked.user.email, "role": locked.role},
        )


def membership_role_change(*, membership: Membership, role: str, actor: User) -> Membership:
    """Make a member an owner or an organizer; how an owner hands the organization over.

    As with removal, the last owner cannot step down: the owner rows are locked first, so
    two owners demoting each other at once cannot leave none.
    """
    if role not in Membership.Role.values:
        raise MembershipError(_("Choose owner or organizer."))
    with transaction.atomic():
        owners = list(
            Membership.objects.select_for_update()
            .filter(organization_id=membership.organization_id, role=Membership.Role.OWNER)
            .values_list("pk", flat=True)
        )
        locked = (
            Membership.objects.select_for_update()
            .select_related("user", "organization")
            .get(pk=membership.pk)
        )
        if locked.role == role:
            return locked
        if locked.role == Membership.Role.OWNER and owners == [locked.pk]:
            raise MembershipError(
                _("%(email)s is the only owner: make someone else an owner first.")
                % {"email": locked.user.email}
            )
        previous = locked.role
        locked.role = role
        locked.save(update_fields=["role"])
        audit_record(
            actor=actor,
            action="member.role_changed",
            organization=locked.organization,
            details={
                "user_id": locked.user_id,
                "email": locked.user.email,
                "role": role,
                "previous_role": previous,
            },
        )
    return locked
