import uuid
from datetime import timedelta

import pytest
import time_machine
from allauth.account.models import EmailAddress
from django.core import mail, signing
from django.db import transaction
from django.urls import reverse
from django.utils import timezone

from events.models import Membership
from notifications.models import OutboxEmail
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.smtp import SmtpServer
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry, Invitation
from workspace.selectors.members import invitation_token
from workspace.services.members import (
    InvitationUnusable,
    MembershipError,
    invitation_accept,
    invitation_revoke,
    member_invite,
    membership_remove,
)

pytestmark = pytest.mark.django_db


def invite(workspace: Workspace, email: str, role: str = "organizer") -> Invitation | Membership:
    result = member_invite(
        organization=workspace.organization, email=email, role=role, invited_by=workspace.owner
    )
    return result.invitation or result.membership  # type: ignore[return-value]


def accept_url(invitation: Invitation) -> str:
    return reverse("workspace:invitation_accept", kwargs={"token": invitation_token(invitation)})


# --- the services --------------------------------------------------------------------------


def test_inviting_someone_with_an_account_adds_them_at_once(workspace: Workspace) -> None:
    user = UserFactory(email="Leila@Example.org")
    membership = invite(workspace, " leila@example.ORG ")
    assert isinstance(membership, Membership)
    assert membership.user == user
    assert membership.role == "organizer"
    entry = AuditLogEntry.objects.get()
    assert entry.action == "member.added"
    assert entry.details["email"] == "Leila@Example.org"


def test_someone_added_with_an_existing_account_is_told_by_email(
    workspace: Workspace, django_capture_on_commit_callbacks: object
) -> None:
    UserFactory(email="Leila@Example.org")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        membership = invite(workspace, "leila@example.org", role="owner")
    [email] = mail.outbox
    assert email.to == ["Leila@Example.org"]
    assert email.subject == "You are now a member of Shahrzad Books on Convene"
    assert "owner@example.org added you to Shahrzad Books on Convene, as Owner" in email.body
    assert "https://convene.test" + reverse("workspace:home") in email.body
    row = OutboxEmail.objects.get()
    assert row.kind == OutboxEmail.Kind.MEMBER_ADDED
    assert row.context == {"membership_id": membership.pk}


def test_inviting_a_member_again_is_refused(workspace: Workspace) -> None:
    with pytest.raises(MembershipError, match="already a member"):
        invite(workspace, "organizer@example.org")


def test_inviting_someone_without_an_account_emails_a_link_after_commit(
    workspace: Workspace, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation = invite(workspace, "New.Person@example.org")
    assert isinstance(invitation, Invitation)
    assert invitation.email_normalized == "new.person@example.org"
    assert invitation.expires_at > timezone.now() + timedelta(days=13)
    [email] = mail.outbox
    assert email.to == ["New.Person@example.org"]
    assert "Shahrzad Books" in email.subject
    assert "https://convene.test" + accept_url(invitation) in email.body
    html = email.alternatives[0]
    assert accept_url(invitation) in str(html[0])
    assert AuditLogEntry.objects.get().action == "member.invited"


def test_inviting_the_same_address_again_renews_the_link(workspace: Workspace) -> None:
    first = invite(workspace, "new@example.org")
    assert isinstance(first, Invitation)
    old_token = invitation_token(first)
    second = invite(workspace, "NEW@example.org", role="owner")
    assert isinstance(second, Invitation)
    assert second.pk == first.pk
    assert second.role == "owner"
    assert Invitation.objects.count() == 1
    response = client_for(None).get(
        reverse("workspace:invitation_accept", kwargs={"token": old_token})
    )
    assert response.status_code == 404


def test_the_invitation_email_is_written_with_the_invitation_and_sent_on_commit(
    workspace: Workspace, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        invitation = invite(workspace, "new@example.org")
        email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.INVITATION)
        assert email.status == OutboxEmail.Status.QUEUED
        assert email.registration is None
        assert email.context == {"invitation_id": invitation.pk}
        assert mail.outbox == []


def test_an_invitation_that_rolls_back_leaves_no_email(workspace: Workspace) -> None:
    with pytest.raises(RuntimeError), transaction.atomic():
        invite(workspace, "new@example.org")
        raise RuntimeError("something later in the same change failed")
    assert not OutboxEmail.objects.exists()


def test_a_mail_server_that_is_down_leaves_the_invitation_email_waiting_for_a_retry(
    workspace: Workspace, django_capture_on_commit_callbacks: object, settings: object
) -> None:
    # Nothing listens on this port: the SMTP connection is refused, which is transient.
    settings.EMAIL_BACKEND = "notifications.smtp_backend.EmailBackend"  # type: ignore[attr-defined]
    settings.EMAIL_HOST = "127.0.0.1"  # type: ignore[attr-defined]
    settings.EMAIL_PORT = 8799  # type: ignore[attr-defined]
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation = invite(workspace, "new@example.org")
    assert Invitation.objects.filter(pk=invitation.pk).exists()
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.INVITATION)
    assert email.status == OutboxEmail.Status.QUEUED
    assert email.next_attempt_at is not None
    assert "ConnectionRefusedError" in email.last_error
    page = client_for(workspace.owner).get(
        reverse("workspace:members", kwargs={"slug": "shahrzad"})
    )
    assert "Not delivered yet; trying again." in page.content.decode()


def test_an_invitation_the_server_refuses_shows_as_failed_on_the_members_page(
    workspace: Workspace, django_capture_on_commit_callbacks: object, smtp_server: SmtpServer
) -> None:
    smtp_server.handler.refused_recipients["typo@example.org"] = "550 5.1.1 No such mailbox"
    client = client_for(workspace.owner)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("workspace:member_invite", kwargs={"slug": "shahrzad"}),
            {"email": "typo@example.org", "role": "organizer"},
        )
    assert response.status_code == 302  # the request only wrote the row

    response = client.get(response["Location"])  # the owner looks at the members page
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.INVITATION)
    assert email.status == OutboxEmail.Status.FAILED
    assert "550 5.1.1 No such mailbox" in email.last_error
    assert (email.text_body, email.html_body) == ("", "")  # the link is not kept
    page = response.content.decode()
    assert "The invitation email could not be delivered" in page
    assert "550 5.1.1 No such mailbox" in page
    assert smtp_server.handler.received == []


def test_a_delivered_invitation_shows_as_sent_and_keeps_no_link(
    workspace: Workspace, django_capture_on_commit_callbacks: object, smtp_server: SmtpServer
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation = invite(workspace, "new@example.org")
    email = OutboxEmail.objects.get(kind=OutboxEmail.Kind.INVITATION)
    assert email.status == OutboxEmail.Status.SENT
    assert (email.text_body, email.html_body) == ("", "")
    assert "Shahrzad Books" in email.subject
    (message,) = smtp_server.handler.received
    assert message["Message-ID"] == email.message_id
    assert accept_url(invitation) in message.as_string()
    page = client_for(workspace.owner).get(
        reverse("workspace:members", kwargs={"slug": "shahrzad"})
    )
    assert "Email delivered" in page.content.decode()


def test_renewing_an_invitation_withdraws_its_unsent_email(
    workspace: Workspace, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        invite(workspace, "new@example.org")
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        invitation = invite(workspace, "new@example.org")
    first, second = OutboxEmail.objects.order_by("id")
    assert first.status == OutboxEmail.Status.WITHDRAWN
    assert (first.text_body, first.html_body) == ("", "")
    assert second.status == OutboxEmail.Status.SENT
    [sent] = mail.outbox
    assert accept_url(invitation) in sent.body


def test_withdrawing_an_invitation_withdraws_its_unsent_email(
    workspace: Workspace, django_capture_on_commit_callbacks: object
) -> None:
    with django_capture_on_commit_callbacks(execute=False):  # type: ignore[operator]
        invitation = invite(workspace, "new@example.org")
    assert isinstance(invitation, Invitation)

    invitation_revoke(invitation=invitation, actor=workspace.owner)

    email = OutboxEmail.objects.get()
    assert email.status == OutboxEmail.Status.WITHDRAWN
    assert email.last_error == "Not sent: the invitation was withdrawn."
    assert (email.text_body, email.html_body) == ("", "")


def test_accepting_joins_the_organization_with_the_invited_role(workspace: Workspace) -> None:
    invitation = invite(workspace, "new@example.org", role="owner")
    assert isinstance(invitation, Invitation)
    user = UserFactory(email="new@example.org")
    membership = invitation_accept(invitation=invitation, user=user)
    assert membership.organization == workspace.organization
    assert membership.role == "owner"
    invitation.refresh_from_db()
    assert invitation.accepted_by == user
    assert AuditLogEntry.objects.filter(action="member.joined").count() == 1
    with pytest.raises(InvitationUnusable, match="already been used"):
        invitation_accept(invitation=invitation, user=user)


def test_a_verified_secondary_address_may_accept(workspace: Workspace) -> None:
    invitation = invite(workspace, "work@example.org")
    assert isinstance(invitation, Invitation)
    user = UserFactory(email="home@example.org")
    EmailAddress.objects.create(user=user, email="Work@example.org", verified=True)
    assert invitation_accept(invitation=invitation, user=user).user == user


def test_someone_else_cannot_accept_an_invitation(workspace: Workspace) -> None:
    invitation = invite(workspace, "invited@example.org")
    assert isinstance(invitation, Invitation)
    intruder = UserFactory(email="intruder@example.org")
    EmailAddress.objects.create(user=intruder, email="invited@example.org", verified=False)
    with pytest.raises(MembershipError, match=r"sent to invited@example\.org"):
        invitation_accept(invitation=invitation, user=intruder)
    assert not Membership.objects.filter(user=intruder).exists()


def test_an_expired_invitation_cannot_be_accepted(workspace: Workspace) -> None:
    invitation = invite(workspace, "late@example.org")
    assert isinstance(invitation, Invitation)
    user = UserFactory(email="late@example.org")
    with (
        time_machine.travel(timezone.now() + timedelta(days=15)),
        pytest.raises(InvitationUnusable, match="expired"),
    ):
        invitation_accept(invitation=invitation, user=user)


def test_the_last_owner_cannot_be_removed_but_another_owner_can(workspace: Workspace) -> None:
    only_owner = Membership.objects.get(user=workspace.owner)
    with pytest.raises(MembershipError, match="only owner"):
        membership_remove(membership=only_owner, actor=workspace.owner)
    second = MembershipFactory(organization=workspace.organization, role="owner")
    membership_remove(membership=only_owner, actor=second.user)
    assert not Membership.objects.filter(pk=only_owner.pk).exists()
    entry = AuditLogEntry.objects.get(action="member.removed")
    assert entry.details["email"] == "owner@example.org"


# --- the pages -----------------------------------------------------------------------------


def test_the_members_page_lists_members_with_roles(workspace: Workspace) -> None:
    invite(workspace, "pending@example.org")
    response = client_for(workspace.organizer).get(
        reverse("workspace:members", kwargs={"slug": "shahrzad"})
    )
    page = response.content.decode()
    assert response.status_code == 200
    assert "owner@example.org" in page and "organizer@example.org" in page
    assert "Owner" in page and "Organizer" in page
    assert "pending@example.org" in page
    assert "stranger@example.org" not in page
    # An organizer sees no invite form and no remove buttons.
    assert "Only owners can invite or remove members." in page
    assert reverse("workspace:member_invite", kwargs={"slug": "shahrzad"}) not in page


def test_an_owner_invites_from_the_members_page(
    workspace: Workspace, django_capture_on_commit_callbacks: object
) -> None:
    workspace.organization.name = "کتاب‌فروشی شهرزاد"
    workspace.organization.save()
    client = client_for(workspace.owner)
    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        response = client.post(
            reverse("workspace:member_invite", kwargs={"slug": "shahrzad"}),
            {"email": "nima@example.org", "role": "organizer"},
            follow=True,
        )
    assert (
        "We are emailing an invitation to nima@example.org; how it went shows below."
        in response.content.decode()
    )
    [email] = mail.outbox
    assert "کتاب‌فروشی شهرزاد" in email.subject


def test_the_members_page_says_an_existing_account_was_added_and_told(
    workspace: Workspace,
) -> None:
    UserFactory(email="leila@example.org")
    response = client_for(workspace.owner).post(
        reverse("workspace:member_invite", kwargs={"slug": "shahrzad"}),
        {"email": "leila@example.org", "role": "organizer"},
        follow=True,
    )
    assert (
        "leila@example.org already had an account and is now a member; we are emailing them."
        in response.content.decode()
    )


@pytest.mark.parametrize(
    ("data", "status"),
    [
        ({"email": "not an address", "role": "organizer"}, 400),
        ({"email": "nima@[10.0.0.1]", "role": "organizer"}, 400),
        ({"email": "x@example.org", "role": "emperor"}, 400),
        ({"email": "organizer@example.org", "role": "organizer"}, 409),
    ],
)
def test_bad_invitations_are_answered_next_to_the_field(
    workspace: Workspace, data: dict[str, str], status: int
) -> None:
    response = client_for(workspace.owner).post(
        reverse("workspace:member_invite", kwargs={"slug": "shahrzad"}), data
    )
    assert response.status_code == status
    assert response.context["invite_form"].errors


def test_an_owner_removes_an_organizer(workspace: Workspace) -> None:
    membership = Membership.objects.get(user=workspace.organizer)
    response = client_for(workspace.owner).post(
        reverse(
            "workspace:member_remove",
            kwargs={"slug": "shahrzad", "membership_id": membership.pk},
        ),
        follow=True,
    )
    assert "organizer@example.org is no longer a member." in response.content.decode()
    assert not Membership.objects.filter(pk=membership.pk).exists()


def test_removing_the_last_owner_is_refused_with_a_reason(workspace: Workspace) -> None:
    membership = Membership.objects.get(user=workspace.owner)
    response = client_for(workspace.owner).post(
        reverse(
            "workspace:member_remove",
            kwargs={"slug": "shahrzad", "membership_id": membership.pk},
        )
    )
    assert response.status_code == 409
    assert "is the only owner and cannot be removed" in response.content.decode()


def test_a_membership_of_another_organization_cannot_be_removed_through_this_one(
    workspace: Workspace,
) -> None:
    foreign = Membership.objects.get(user=workspace.other_member)
    response = client_for(workspace.owner).post(
        reverse("workspace:member_remove", kwargs={"slug": "shahrzad", "membership_id": foreign.pk})
    )
    assert response.status_code == 404
    assert Membership.objects.filter(pk=foreign.pk).exists()


def test_an_owner_withdraws_an_invitation_and_its_link_stops_working(
    workspace: Workspace,
) -> None:
    invitation = invite(workspace, "maybe@example.org")
    assert isinstance(invitation, Invitation)
    client_for(workspace.owner).post(
        reverse(
            "workspace:invitation_revoke",
            kwargs={"slug": "shahrzad", "invitation_id": invitation.pk},
        )
    )
    response = client_for(None).get(accept_url(invitation))
    assert response.status_code == 410
    assert AuditLogEntry.objects.filter(action="member.invitation_revoked").exists()


def test_the_invitation_page_asks_a_visitor_to_sign_in_or_sign_up(workspace: Workspace) -> None:
    invitation = invite(workspace, "new@example.org")
    assert isinstance(invitation, Invitation)
    response = client_for(None).get(accept_url(invitation))
    page = response.content.decode()
    assert response.status_code == 200
    assert "Shahrzad Books" in page
    assert reverse("account_login") + "?next=" in page
    assert reverse("account_signup") + "?next=" in page


def test_accepting_without_signing_in_leads_to_the_sign_in_page(workspace: Workspace) -> None:
    invitation = invite(workspace, "new@example.org")
    assert isinstance(invitation, Invitation)
    response = client_for(None).post(accept_url(invitation))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login") + "?next=")


def test_signed_in_with_the_invited_address_the_person_joins(workspace: Workspace) -> None:
    invitation = invite(workspace, "new@example.org")
    assert isinstance(invitation, Invitation)
    user = UserFactory(email="new@example.org")
    client = client_for(user)
    assert "Join Shahrzad Books" in client.get(accept_url(invitation)).content.decode()
    response = client.post(accept_url(invitation), follow=True)
    assert "Welcome to Shahrzad Books." in response.content.decode()
    assert Membership.objects.filter(user=user, organization=workspace.organization).exists()


def test_signed_in_with_another_address_the_person_is_told_which_one(
    workspace: Workspace,
) -> None:
    invitation = invite(workspace, "new@example.org")
    assert isinstance(invitation, Invitation)
    response = client_for(workspace.other_member).post(accept_url(invitation))
    assert response.status_code == 403
    assert "This invitation was sent to new@example.org." in response.content.decode()


@pytest.mark.parametrize(
    "token",
    [
        "nonsense",
        "a:b",
        "x" * 300,
        "00000000-0000:forged",
        signing.Signer(salt="workspace.invitation").sign("not-a-uuid"),
        signing.Signer(salt="workspace.invitation").sign(str(uuid.uuid4())),
    ],
)
def test_a_forged_invitation_link_is_not_found(workspace: Workspace, token: str) -> None:
    response = client_for(None).get(reverse("workspace:invitation_accept", kwargs={"token": token}))
    assert response.status_code == 404
    assert "This invitation link is not valid." in response.content.decode()


def test_a_person_signs_in_through_allauth_and_lands_back_on_the_invitation(
    workspace: Workspace,
) -> None:
    invitation = invite(workspace, "new@example.org")
    assert isinstance(invitation, Invitation)
    user = UserFactory(email="new@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    client = client_for(None)
    signed_in = client.post(
        reverse("account_login") + "?next=" + accept_url(invitation),
        {"login": "new@example.org", "password": "correct horse battery"},
    )
    assert signed_in.status_code == 302
    assert signed_in["Location"] == accept_url(invitation)
    joined = client.post(accept_url(invitation), follow=True)
    assert "Welcome to Shahrzad Books." in joined.content.decode()
    assert Membership.objects.filter(user=user, organization=workspace.organization).exists()
