"""Organization settings in the workspace: owners switch attendee privacy; others may look."""

import pytest
from django.urls import reverse

from events.models import Organization
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def settings_url(slug: str = "shahrzad") -> str:
    return reverse("workspace:organization_settings", kwargs={"slug": slug})


def current_settings(organization: Organization) -> dict[str, str]:
    """The settings form as the page fills it in: the organization's profile unchanged."""
    organization.refresh_from_db()
    return {
        "name": organization.name,
        "slug": organization.slug,
        "contact_email": organization.contact_email or "owner@example.org",
        "description": organization.description,
        "time_zone": organization.time_zone,
        "language": organization.language,
    }


def test_an_owner_turns_attendee_privacy_on_and_it_is_in_the_audit_log(
    workspace: Workspace,
) -> None:
    client = client_for(workspace.owner)
    assert 'name="attendee_privacy"' in client.get(settings_url()).content.decode()

    profile = current_settings(workspace.organization)
    response = client.post(settings_url(), {**profile, "attendee_privacy": "on"})

    assert response.status_code == 302
    assert Organization.objects.get(pk=workspace.organization.pk).attendee_privacy
    entry = AuditLogEntry.objects.get(action="organization.privacy_changed")
    assert entry.details == {"attendee_privacy": True}
    log = client.get(reverse("workspace:audit_log", kwargs={"slug": "shahrzad"}))
    assert "Changed attendee privacy" in log.content.decode()
    assert '<dt>Attendee privacy:</dt> <dd dir="auto">yes</dd>' in log.content.decode()
    # Off again: an unticked box is not sent at all.
    client.post(settings_url(), profile)
    assert not Organization.objects.get(pk=workspace.organization.pk).attendee_privacy


def test_an_organizer_sees_the_setting_but_cannot_change_it(workspace: Workspace) -> None:
    client = client_for(workspace.organizer)
    page = client.get(settings_url()).content.decode()
    assert "Only owners can change these settings." in page
    assert client.post(settings_url(), {"attendee_privacy": "on"}).status_code == 403
    assert not Organization.objects.get(pk=workspace.organization.pk).attendee_privacy


def test_another_organizations_settings_are_404(workspace: Workspace) -> None:
    client = client_for(workspace.owner)
    assert client.get(settings_url("elsewhere")).status_code == 404
    assert client.post(settings_url("elsewhere"), {"attendee_privacy": "on"}).status_code == 404
    assert not Organization.objects.get(pk=workspace.other_organization.pk).attendee_privacy


def test_a_control_character_in_the_description_is_refused_next_to_it(
    workspace: Workspace,
) -> None:
    data = current_settings(workspace.organization) | {"description": "Talks\x0band readings"}

    response = client_for(workspace.owner).post(settings_url(), data)

    assert response.status_code == 400
    assert response.context["form"].errors["description"] == [
        "Please remove invisible control characters."
    ]
    workspace.organization.refresh_from_db()
    assert "\x0b" not in workspace.organization.description


def test_a_name_of_invisible_characters_only_is_refused_next_to_it(workspace: Workspace) -> None:
    data = current_settings(workspace.organization) | {"name": "\u200c"}

    response = client_for(workspace.owner).post(settings_url(), data)

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "Please write a name: this one has only invisible characters."
    ]
    workspace.organization.refresh_from_db()
    assert workspace.organization.name.strip("\u200c")
