"""Co-host invitations reach the people who answer them: the invited organization's owners
are emailed a link to the invitation, and the inviting organization's owners the answer.
Each email is in the language of the organization it is addressed to."""

from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.urls import reverse

from accounts.models import User
from events.models import CoHost, Membership, Organization
from notifications.models import OutboxEmail
from tests.factories import MembershipFactory, OrganizationFactory
from tests.notifications.smtp import SmtpServer
from tests.workspace.conftest import Workspace, client_for
from workspace.services.cohosts import cohost_invite, cohost_remove

pytestmark = pytest.mark.django_db


@pytest.fixture
def partner() -> tuple[Organization, User, User]:
    """Voices, written in Persian, with two owners and an organizer."""
    organization = OrganizationFactory(name="Voices for Change", slug="voices", language="fa")
    owner = MembershipFactory(
        organization=organization, role=Membership.Role.OWNER, user__email="voices@example.org"
    ).user
    second_owner = MembershipFactory(
        organization=organization, role=Membership.Role.OWNER, user__email="second@example.org"
    ).user
    MembershipFactory(
        organization=organization,
        role=Membership.Role.ORGANIZER,
        user__email="organizer@voices.example.org",
    )
    return organization, owner, second_owner


def invitation_url(cohost: CoHost) -> str:
    return reverse("workspace:cohost_invitation", kwargs={"slug": "voices", "cohost_id": cohost.pk})


def invite(workspace: Workspace, capture: Any, **data: str) -> CoHost:
    cohosts = reverse("workspace:event_cohosts", kwargs={"event_id": workspace.event.pk})
    with capture(execute=True):
        response = client_for(workspace.owner).post(cohosts, {"slug": "voices", **data})
    assert response.status_code == 302
    return CoHost.objects.get(event=workspace.event)


def test_the_invited_organizations_owners_get_a_link_in_its_language(
    workspace: Workspace,
    partner: tuple[Organization, User, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohost = invite(workspace, django_capture_on_commit_callbacks, can_edit="on")

    assert sorted(message.to[0] for message in mail.outbox) == [
        "second@example.org",
        "voices@example.org",
    ]
    message = mail.outbox[0]
    # Voices wrote "Persian" as its language: the email is in Persian, dates in its calendar.
    assert "Voices for Change" in message.subject
    assert "میزبان همکار" in message.subject
    assert "https://convene.test" + invitation_url(cohost) in message.body
    assert "owner@example.org" in message.body
    html = str(message.alternatives[0][0])  # type: ignore[attr-defined]
    assert 'lang="fa" dir="rtl"' in html
    assert invitation_url(cohost) in html
    rows = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.COHOST_INVITATION)
    assert {row.language for row in rows} == {"fa"}
    assert {row.context["cohost_id"] for row in rows} == {cohost.pk}


def test_the_link_opens_the_invitation_with_accept_and_decline_for_owners(
    workspace: Workspace,
    partner: tuple[Organization, User, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohost = invite(workspace, django_capture_on_commit_callbacks)
    accept = reverse("workspace:cohost_accept", kwargs={"slug": "voices", "cohost_id": cohost.pk})

    page = client_for(partner[1]).get(invitation_url(cohost)).content.decode()
    assert workspace.event.title in page
    assert "Shahrzad Books" in page
    assert f'action="{accept}"' in page

    organizer = User.objects.get(email="organizer@voices.example.org")
    page = client_for(organizer).get(invitation_url(cohost)).content.decode()
    assert f'action="{accept}"' not in page
    assert "Only owners accept or decline co-hosting." in page

    # The inviting side and strangers are not the invited organization's members.
    assert client_for(workspace.owner).get(invitation_url(cohost)).status_code == 404
    assert client_for(workspace.other_member).get(invitation_url(cohost)).status_code == 404
    anonymous = client_for(None).get(invitation_url(cohost))
    assert anonymous.status_code == 302
    assert anonymous["Location"].startswith(reverse(settings.LOGIN_URL))


def test_an_acceptance_is_told_to_the_inviting_organizations_owners(
    workspace: Workspace,
    partner: tuple[Organization, User, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    cohost = invite(workspace, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    accept = reverse("workspace:cohost_accept", kwargs={"slug": "voices", "cohost_id": cohost.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(partner[1]).post(accept).status_code == 302

    # Shahrzad's only owner, in Shahrzad's language (English); not its organizer.
    (message,) = mail.outbox
    assert message.to == ["owner@example.org"]
    assert message.subject == f"Voices for Change co-hosts “{workspace.event.title}”"
    assert "voices@example.org accepted, for Voices for Change" in message.body
    cohosts = reverse("workspace:event_cohosts", kwargs={"event_id": workspace.event.pk})
    assert "https://convene.test" + cohosts in message.body
    row = OutboxEmail.objects.get(kind=OutboxEmail.Kind.COHOST_ANSWER)
    assert row.language == "en"
    # Accepted: the page says so instead of offering the buttons again.
    page = client_for(partner[2]).get(invitation_url(cohost)).content.decode()
    assert "co-hosts this event" in page


def test_a_refusal_is_told_to_the_inviting_organizations_owners(
    workspace: Workspace,
    partner: tuple[Organization, User, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    Organization.objects.filter(pk=workspace.organization.pk).update(language="fa")
    cohost = invite(workspace, django_capture_on_commit_callbacks)
    mail.outbox.clear()
    decline = reverse("workspace:cohost_decline", kwargs={"slug": "voices", "cohost_id": cohost.pk})
    with django_capture_on_commit_callbacks(execute=True):
        assert client_for(partner[1]).post(decline).status_code == 302

    assert not CoHost.objects.exists()
    (message,) = mail.outbox
    assert message.to == ["owner@example.org"]
    # Shahrzad now writes in Persian.
    assert "نپذیرفت" in message.subject
    assert "voices@example.org" in message.body
    assert client_for(partner[1]).get(invitation_url(cohost)).status_code == 404


def test_an_invitation_withdrawn_before_its_email_left_is_not_sent(
    workspace: Workspace, partner: tuple[Organization, User, User]
) -> None:
    # No commit in this test: the emails stay queued, as if the worker had not come yet.
    cohost = cohost_invite(actor=workspace.owner, event=workspace.event, slug="voices")
    assert OutboxEmail.objects.filter(status=OutboxEmail.Status.QUEUED).count() == 2
    cohost_remove(actor=workspace.owner, cohost=cohost)
    rows = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.COHOST_INVITATION)
    assert {row.status for row in rows} == {OutboxEmail.Status.WITHDRAWN}
    assert {row.text_body for row in rows} == {""}


def test_the_invitation_reaches_a_real_mail_server(
    workspace: Workspace,
    partner: tuple[Organization, User, User],
    django_capture_on_commit_callbacks: Any,
    smtp_server: SmtpServer,
) -> None:
    cohost = invite(workspace, django_capture_on_commit_callbacks)
    assert sorted(to for _sender, tos in smtp_server.handler.envelopes for to in tos) == [
        "second@example.org",
        "voices@example.org",
    ]
    message = smtp_server.handler.received[0]
    assert "Voices for Change" in str(message["Subject"])
    text = message.get_body(("plain",))
    assert text is not None
    assert invitation_url(cohost) in text.get_content()  # type: ignore[attr-defined]
    rows = OutboxEmail.objects.filter(kind=OutboxEmail.Kind.COHOST_INVITATION)
    assert {(row.status, row.text_body) for row in rows} == {(OutboxEmail.Status.SENT, "")}
