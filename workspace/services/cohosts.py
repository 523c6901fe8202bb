"""Co-hosted events: an owner invites another organization by its slug, its owner accepts.

Access follows the ``CoHost`` row (workspace/selectors/events.py, ``events_for_member``):
accepting grants it, removing the row takes it away at the next request. The invited
organization's owners are emailed the invitation, and the inviting one's the answer
(``workspace.services.cohost_emails``), in the same transaction as the change.
"""

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from accounts.models import User
from events.models import CoHost, Event, Organization
from notifications.outbox import outbox_withdraw_queued
from workspace.audit import audit_record
from workspace.services.cohost_emails import (
    cohost_answer_email_send,
    cohost_invitation_email_send,
    cohost_invitation_emails,
)


def cohost_invite(*, actor: User, event: Event, slug: str, can_edit: bool = False) -> CoHost:
    """Invite the active organization with this slug to co-host ``event``, and email its
    owners a link to accept or decline.

    Raises ValidationError on ``slug`` for an unknown address, the event's own organization,
    or one already invited.
    """
    organization = Organization.objects.filter(
        slug=slug.strip().lower(), status=Organization.Status.ACTIVE
    ).first()
    if organization is None:
        raise ValidationError({"slug": _("No organization on Convene has this address.")})
    if organization.pk == event.organization_id:
        raise ValidationError({"slug": _("This is the event's own organization.")})
    try:
        with transaction.atomic():
            cohost = CoHost.objects.create(
                event=event, organization=organization, can_edit=can_edit, invited_by=actor
            )
            audit_record(
                actor=actor,
                action="cohost.invited",
                organization=event.organization,
                event=event,
                details={"cohost": organization.slug, "can_edit": can_edit},
            )
            cohost_invitation_email_send(cohost=cohost, inviter=actor)
    except IntegrityError as error:
        raise ValidationError(
            {"slug": _("%(name)s is already invited.") % {"name": organization.name}}
        ) from error
    return cohost


def cohost_accept(*, actor: User, cohost: CoHost) -> CoHost:
    """The invited organization's owner accepts; its members see the event from now on, and
    the inviting organization's owners are told."""
    with transaction.atomic():
        locked = (
            CoHost.objects.select_for_update()
            .select_related("event", "event__organization", "organization")
            .get(pk=cohost.pk)
        )
        if locked.status == CoHost.Status.ACCEPTED:
            return locked
        locked.status = CoHost.Status.ACCEPTED
        locked.accepted_at = timezone.now()
        locked.save(update_fields=["status", "accepted_at"])
        for organization_id in (locked.event.organization_id, locked.organization_id):
            audit_record(
                actor=actor,
                action="cohost.accepted",
                organization=Organization(pk=organization_id),
                event=locked.event,
                details={"cohost": cohost.organization.slug},
            )
        cohost_answer_email_send(cohost=locked, actor=actor, accepted=True)
    return locked


def cohost_decline(*, actor: User, cohost: CoHost) -> None:
    """The invited organization's owner declines: the invitation goes, and the inviting
    organization's owners are told. A no-op when it is already gone or was accepted."""
    with transaction.atomic():
        locked = (
            CoHost.objects.select_for_update()
            .select_related("event", "event__organization", "organization")
            .filter(pk=cohost.pk, status=CoHost.Status.INVITED)
            .first()
        )
        if locked is None:
            return
        cohost_remove(actor=actor, cohost=locked)
        cohost_answer_email_send(cohost=locked, actor=actor, accepted=False)


def cohost_remove(*, actor: User, cohost: CoHost) -> None:
    """Withdraw an invitation, decline it, or end a co-hosting: access ends at once."""
    with transaction.atomic():
        deleted, _rows = CoHost.objects.filter(pk=cohost.pk).delete()
        if not deleted:
            return
        # An invitation withdrawn before its email left: the link would lead nowhere.
        outbox_withdraw_queued(
            emails=cohost_invitation_emails([cohost.pk]),
            reason="Not sent: the invitation to co-host was withdrawn or answered.",
        )
        for organization_id in {cohost.event.organization_id, cohost.organization_id}:
            audit_record(
                actor=actor,
                action="cohost.removed",
                organization=Organization(pk=organization_id),
                event=cohost.event,
                details={"cohost": cohost.organization.slug},
            )


def cohost_edit_access(*, actor: User, cohost: CoHost, can_edit: bool) -> CoHost:
    """Let a co-host's members change the event's settings, registrations and messages, or not."""
    with transaction.atomic():
        CoHost.objects.filter(pk=cohost.pk).update(can_edit=can_edit)
        cohost.can_edit = can_edit
        audit_record(
            actor=actor,
            action="cohost.edit_access",
            organization=cohost.event.organization,
            event=cohost.event,
            details={"cohost": cohost.organization.slug, "can_edit": can_edit},
        )
    return cohost
