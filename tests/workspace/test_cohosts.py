"""Co-hosted events: invited by slug, accepted by the other side's owner, removed at once."""

from typing import Any

import icalendar
import pytest
from django.core import mail
from django.urls import reverse

from accounts.models import User
from events.models import CoHost, Event, Membership, Organization
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory, register
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def cohosts_url(event: Event) -> str:
    return reverse("workspace:event_cohosts", kwargs={"event_id": event.pk})


@pytest.fixture
def partner() -> tuple[Organization, User]:
    """Voices, an organization on Convene, with its owner."""
    organization = OrganizationFactory(name="Voices for Change", slug="voices")
    owner = MembershipFactory(
        organization=organization, role=Membership.Role.OWNER, user__email="voices@example.org"
    ).user
    return organization, owner


def invite_and_accept(workspace: Workspace, partner_owner: User, **data: str) -> CoHost:
    response = client_for(workspace.owner).post(
        cohosts_url(workspace.event), {"slug": "voices", **data}
    )
    assert response.status_code == 302
    cohost = CoHost.objects.get(event=workspace.event)
    home = client_for(partner_owner).get("/manage/").content.decode()
    assert "invites Voices for Change to co-host" in home
    accept = reverse("workspace:cohost_accept", kwargs={"slug": "voices", "cohost_id": cohost.pk})
    assert accept in home
    assert client_for(partner_owner).post(accept).status_code == 302
    cohost.refresh_from_db()
    assert cohost.status == CoHost.Status.ACCEPTED
    return cohost


def test_until_accepted_the_invited_side_sees_nothing(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    client_for(workspace.owner).post(cohosts_url(workspace.event), {"slug": "voices"})
    attendees = reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk})
    assert client_for(partner[1]).get(attendees).status_code == 404


def test_a_cohosts_members_see_attendees_and_export_them(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    register(workspace.event, "reader@example.org", name="Reader")
    invite_and_accept(workspace, partner[1])
    colleague = MembershipFactory(organization=partner[0], user__email="colleague@example.org")
    client = client_for(colleague.user)
    home = client.get("/manage/").content.decode()
    assert workspace.event.title in home
    assert "co-hosted, run by Shahrzad Books" in home
    attendees = reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk})
    assert "reader@example.org" in client.get(attendees).content.decode()
    export = reverse(
        "workspace:export", kwargs={"event_id": workspace.event.pk, "format_name": "csv"}
    )
    response = client.get(export)
    assert response.status_code == 200
    assert b"reader@example.org" in b"".join(response.streaming_content)  # type: ignore[attr-defined]
    # Read-only: the settings are refused, with a reason (they know the event exists).
    edit = reverse("workspace:event_edit", kwargs={"event_id": workspace.event.pk})
    assert client.get(edit).status_code == 403
    assert AuditLogEntry.objects.filter(action="cohost.accepted").count() == 2


def test_a_cohost_sees_only_the_cohosted_event(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    invite_and_accept(workspace, partner[1])
    other = EventFactory(organization=workspace.organization, title="Private salon")
    client = client_for(partner[1])
    assert "Private salon" not in client.get("/manage/").content.decode()
    for name in ("event_overview", "attendees", "event_exports", "checkin"):
        url = reverse(f"workspace:{name}", kwargs={"event_id": other.pk})
        assert client.get(url).status_code == 404, name
    members = reverse("workspace:members", kwargs={"slug": workspace.organization.slug})
    assert client.get(members).status_code == 404


def test_the_owner_may_let_a_cohost_edit(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    invite_and_accept(workspace, partner[1], can_edit="on")
    edit = reverse("workspace:event_edit", kwargs={"event_id": workspace.event.pk})
    assert client_for(partner[1]).get(edit).status_code == 200
    # Privacy requests and duplicates stay with the event's own organization.
    duplicate = reverse("workspace:event_duplicate", kwargs={"event_id": workspace.event.pk})
    assert client_for(partner[1]).get(duplicate).status_code == 403


def test_removing_a_cohost_ends_its_access_at_once(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    cohost = invite_and_accept(workspace, partner[1])
    attendees = reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk})
    assert client_for(partner[1]).get(attendees).status_code == 200
    remove = reverse(
        "workspace:cohost_remove", kwargs={"event_id": workspace.event.pk, "cohost_id": cohost.pk}
    )
    assert client_for(workspace.owner).post(remove).status_code == 302
    assert client_for(partner[1]).get(attendees).status_code == 404
    assert workspace.event.title not in client_for(None).get("/o/voices/").content.decode()


@pytest.mark.parametrize(
    ("slug", "error"),
    [
        ("nobody", "No organization on Convene has this address."),
        ("shahrzad", "This is the event"),
    ],
)
def test_an_invitation_names_a_real_other_organization(
    workspace: Workspace, slug: str, error: str
) -> None:
    response = client_for(workspace.owner).post(cohosts_url(workspace.event), {"slug": slug})
    assert response.status_code == 400
    assert error in response.content.decode()
    assert not CoHost.objects.exists()


def test_inviting_twice_is_refused(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    client = client_for(workspace.owner)
    client.post(cohosts_url(workspace.event), {"slug": "voices"})
    response = client.post(cohosts_url(workspace.event), {"slug": "voices"})
    assert response.status_code == 400
    assert "already invited" in response.content.decode()


def test_accepting_twice_a_double_click_lands_on_the_event_not_a_not_found_page(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    cohost = invite_and_accept(workspace, partner[1])
    accept = reverse("workspace:cohost_accept", kwargs={"slug": "voices", "cohost_id": cohost.pk})
    sent = len(mail.outbox)

    response = client_for(partner[1]).post(accept)

    assert response.status_code == 302
    assert response["Location"] == f"/manage/events/{workspace.event.pk}/"
    assert AuditLogEntry.objects.filter(action="cohost.accepted").count() == 2  # one per side
    assert len(mail.outbox) == sent  # the inviting side is told once


def test_declining_an_accepted_invitation_is_not_found(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    cohost = invite_and_accept(workspace, partner[1])
    decline = reverse("workspace:cohost_decline", kwargs={"slug": "voices", "cohost_id": cohost.pk})

    assert client_for(partner[1]).post(decline).status_code == 404
    cohost.refresh_from_db()
    assert cohost.status == CoHost.Status.ACCEPTED


def test_only_owners_invite(workspace: Workspace, partner: tuple[Organization, User]) -> None:
    response = client_for(workspace.organizer).post(
        cohosts_url(workspace.event), {"slug": "voices"}
    )
    assert response.status_code == 403
    assert not CoHost.objects.exists()


def test_a_cohosted_event_is_on_both_pages_and_feeds_and_named_on_its_page(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    invite_and_accept(workspace, partner[1])
    client = client_for(None)
    title = workspace.event.title
    assert title in client.get("/o/shahrzad/").content.decode()
    assert title in client.get("/o/voices/").content.decode()
    for slug in ("shahrzad", "voices"):
        calendar = icalendar.Calendar.from_ical(client.get(f"/o/{slug}/calendar.ics").content)
        assert [str(vevent["SUMMARY"]) for vevent in calendar.walk("VEVENT")] == [title]
    page = client.get(workspace.event.get_absolute_url()).content.decode()
    assert 'href="/o/shahrzad/"' in page
    assert 'href="/o/voices/"' in page


def test_emails_name_both_organizations(
    workspace: Workspace,
    partner: tuple[Organization, User],
    django_capture_on_commit_callbacks: Any,
) -> None:
    invite_and_accept(workspace, partner[1])
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        register(workspace.event, "reader@example.org")
    (message,) = mail.outbox
    assert "Hosted by: Shahrzad Books and Voices for Change" in message.body


def test_a_read_only_cohost_is_not_shown_sections_it_cannot_open(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    invite_and_accept(workspace, partner[1])
    overview = reverse("workspace:event_overview", kwargs={"event_id": workspace.event.pk})
    page = client_for(partner[1]).get(overview).content.decode()
    assert reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk}) in page
    assert reverse("workspace:event_edit", kwargs={"event_id": workspace.event.pk}) not in page
    assert reverse("workspace:messages", kwargs={"event_id": workspace.event.pk}) not in page
    owner_page = client_for(workspace.owner).get(overview).content.decode()
    assert reverse("workspace:event_edit", kwargs={"event_id": workspace.event.pk}) in owner_page
    register(workspace.event, "reader@example.org")
    attendees = reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk})
    page = client_for(partner[1]).get(attendees).content.decode()
    assert "reader@example.org" in page
    assert "Cancel…" not in page
    assert "Add a person" not in page
    assert "erase…" not in page
    owner_page = client_for(workspace.owner).get(attendees).content.decode()
    assert "Cancel…" in owner_page
    assert "erase…" in owner_page


def test_a_cohost_allowed_to_edit_is_not_offered_to_publish_or_cancel(
    workspace: Workspace, partner: tuple[Organization, User]
) -> None:
    invite_and_accept(workspace, partner[1], can_edit="on")
    event = workspace.event
    overview = reverse("workspace:event_overview", kwargs={"event_id": event.pk})
    edit = reverse("workspace:event_edit", kwargs={"event_id": event.pk})
    publish = reverse("workspace:event_publish", kwargs={"event_id": event.pk})
    cancel = reverse("workspace:event_cancel", kwargs={"event_id": event.pk})

    page = client_for(partner[1]).get(overview).content.decode()
    assert edit in page and cancel not in page
    assert cancel in client_for(workspace.owner).get(overview).content.decode()

    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    page = client_for(partner[1]).get(overview).content.decode()
    assert edit in page and publish not in page
    assert publish in client_for(workspace.owner).get(overview).content.decode()
    # And refused if asked anyway: the owning organization decides.
    assert client_for(partner[1]).post(publish).status_code == 403
    assert client_for(partner[1]).post(cancel, {"message": ""}).status_code == 403
    event.refresh_from_db()
    assert event.status == Event.Status.DRAFT
