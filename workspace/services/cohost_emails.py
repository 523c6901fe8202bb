"""The co-host emails: the invitation to the invited organization's owners, and its answer
to the inviting organization's owners.

Rendered when written, like the members' invitations (docs/design.md, "The outbox"), and
written to the outbox in the caller's transaction. Convene keeps no language per account,
so each email is in the language of the organization it is addressed to, the one its owners
chose for it (docs/design.md, "Organizations").
"""

from django.conf import settings
from django.db.models import QuerySet
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import translation

from accounts.models import User
from events.models import CoHost, Membership, Organization
from notifications.models import OutboxEmail
from notifications.outbox import outbox_enqueue_rendered


def organization_owners(organization: Organization) -> QuerySet[User]:
    return User.objects.filter(
        memberships__organization=organization, memberships__role=Membership.Role.OWNER
    ).order_by("pk")


def cohost_invitation_emails(cohost_ids: list[int]) -> QuerySet[OutboxEmail]:
    """The outbox rows inviting these co-hosts, for withdrawing those not yet sent."""
    return OutboxEmail.objects.filter(
        kind=OutboxEmail.Kind.COHOST_INVITATION, context__cohost_id__in=cohost_ids
    )


def _send_to_owners(
    *, organization: Organization, kind: str, template: str, context: dict[str, object]
) -> list[OutboxEmail]:
    language = organization.language
    with translation.override(language):
        subject = render_to_string(f"workspace/cohosts/{template}_subject.txt", context)
        text = render_to_string(f"workspace/cohosts/{template}.txt", context)
        html = render_to_string(f"workspace/cohosts/{template}.html", context)
    return [
        outbox_enqueue_rendered(
            kind=kind,
            recipient=owner.email,
            subject=subject,
            text_body=text,
            html_body=html,
            language=language,
            context={"cohost_id": context["cohost_id"], "event_id": context["event_id"]},
        )
        for owner in organization_owners(organization)
    ]


def cohost_invitation_email_send(*, cohost: CoHost, inviter: User) -> list[OutboxEmail]:
    """Ask the invited organization's owners to accept or decline, with a link to the page."""
    event = cohost.event
    context: dict[str, object] = {
        "cohost_id": cohost.pk,
        "event_id": event.pk,
        "event": event,
        "inviting": event.organization,
        "invited": cohost.organization,
        "inviter": inviter,
        "can_edit": cohost.can_edit,
        "link": settings.SITE_URL
        + reverse(
            "workspace:cohost_invitation",
            kwargs={"slug": cohost.organization.slug, "cohost_id": cohost.pk},
        ),
    }
    return _send_to_owners(
        organization=cohost.organization,
        kind=OutboxEmail.Kind.COHOST_INVITATION,
        template="invitation_email",
        context=context,
    )


def cohost_answer_email_send(*, cohost: CoHost, actor: User, accepted: bool) -> list[OutboxEmail]:
    """Tell the inviting organization's owners that the invitation was accepted or declined."""
    event = cohost.event
    context: dict[str, object] = {
        "cohost_id": cohost.pk,
        "event_id": event.pk,
        "event": event,
        "inviting": event.organization,
        "invited": cohost.organization,
        "actor": actor,
        "accepted": accepted,
        "link": settings.SITE_URL
        + reverse("workspace:event_cohosts", kwargs={"event_id": event.pk}),
    }
    return _send_to_owners(
        organization=event.organization,
        kind=OutboxEmail.Kind.COHOST_ANSWER,
        template="answer_email",
        context=context,
    )
