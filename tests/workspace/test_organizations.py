"""Organizations on their own: creating one, its settings, renames, handing it over."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.urls import reverse

from accounts.models import User
from events.models import Membership, Organization, OrganizationSlugRedirect
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry
from workspace.services.members import MembershipError, membership_role_change

pytestmark = pytest.mark.django_db

CREATE = "/manage/organizations/new/"


def verified_user(email: str = "founder@example.org") -> User:
    user = UserFactory(email=email)
    EmailAddress.objects.create(user=user, email=email, verified=True, primary=True)
    return user


def organization_data(**overrides: str) -> dict[str, str]:
    return {
        "name": "Voices for Change",
        "slug": "voices",
        "contact_email": "hello@voices.example.org",
        "description": "Talks about the city.",
        "time_zone": "Asia/Tehran",
        "language": "fa",
        **overrides,
    }


def test_the_empty_workspace_offers_to_create_an_organization() -> None:
    response = client_for(verified_user()).get("/manage/")
    assert "You are not a member of any organization yet" in response.content.decode()
    assert CREATE in response.content.decode()


def test_a_person_with_a_confirmed_address_creates_one_and_owns_it() -> None:
    user = verified_user()
    response = client_for(user).post(CREATE, organization_data())
    assert response.status_code == 302
    organization = Organization.objects.get(slug="voices")
    assert organization.status == Organization.Status.ACTIVE
    assert organization.time_zone == "Asia/Tehran"
    assert organization.language == "fa"
    assert Membership.objects.get(organization=organization).user == user
    assert Membership.objects.get(organization=organization).role == Membership.Role.OWNER
    assert AuditLogEntry.objects.get(organization=organization).action == "organization.created"
    home = client_for(user).get("/manage/").content.decode()
    assert "Voices for Change" in home
    assert reverse("workspace:event_create", kwargs={"organization_id": organization.pk}) in home


def test_an_unconfirmed_address_is_told_to_confirm_it_first() -> None:
    user = UserFactory(email="new@example.org")
    response = client_for(user).post(CREATE, organization_data())
    assert response.status_code == 403
    assert "Confirm your email address first" in response.content.decode()
    assert not Organization.objects.exists()


@pytest.mark.parametrize("slug", ["manage", "admin", "new", "o"])
def test_reserved_words_are_refused_as_slugs(slug: str) -> None:
    response = client_for(verified_user()).post(CREATE, organization_data(slug=slug))
    assert response.status_code == 400
    assert "This address is reserved" in response.content.decode()
    assert not Organization.objects.exists()


def test_a_taken_slug_is_refused_next_to_the_field() -> None:
    OrganizationFactory(slug="voices")
    response = client_for(verified_user()).post(CREATE, organization_data())
    assert response.status_code == 400
    assert "already exists" in response.content.decode()


def test_an_old_slug_of_another_organization_stays_taken() -> None:
    other = OrganizationFactory(slug="renamed")
    OrganizationSlugRedirect.objects.create(old_slug="voices", organization=other)
    response = client_for(verified_user()).post(CREATE, organization_data())
    assert response.status_code == 400
    assert "This address is taken" in response.content.decode()


def test_under_approval_the_organization_waits_and_the_person_sees_it(settings: Any) -> None:
    settings.ORGANIZATION_CREATION = "approval"
    user = verified_user()
    client = client_for(user)
    assert "waits for an administrator" in client.get(CREATE).content.decode()
    client.post(CREATE, organization_data())
    organization = Organization.objects.get(slug="voices")
    assert organization.status == Organization.Status.PENDING
    home = client.get("/manage/").content.decode()
    assert "has to approve this organization" in home
    # No events, no tools, no public page until a site admin approves it.
    url = reverse("workspace:event_create", kwargs={"organization_id": organization.pk})
    assert client.get(url).status_code == 404
    assert client.get("/o/voices/").status_code == 404


def test_a_site_admin_approves_a_waiting_organization_in_the_admin(settings: Any) -> None:
    settings.ORGANIZATION_CREATION = "approval"
    client_for(verified_user()).post(CREATE, organization_data())
    organization = Organization.objects.get(slug="voices")
    admin = UserFactory(email="admin@example.org", is_staff=True, is_superuser=True)
    response = client_for(admin).post(
        reverse("admin:events_organization_changelist"),
        {"action": "approve", "_selected_action": [organization.pk]},
    )
    assert response.status_code == 302
    organization.refresh_from_db()
    assert organization.status == Organization.Status.ACTIVE


def test_closed_creation_refuses_everyone(settings: Any) -> None:
    settings.ORGANIZATION_CREATION = "closed"
    client = client_for(verified_user())
    assert CREATE not in client.get("/manage/").content.decode()
    response = client.post(CREATE, organization_data())
    assert response.status_code == 403
    assert "New organizations are created by the site" in response.content.decode()
    assert not Organization.objects.exists()


# --- settings and renames ------------------------------------------------------------------


def settings_url(slug: str) -> str:
    return reverse("workspace:organization_settings", kwargs={"slug": slug})


def test_an_owner_renames_and_the_old_address_redirects(workspace: Workspace) -> None:
    client = client_for(workspace.owner)
    data = organization_data(name="Shahrzad Books & Tea", slug="shahrzad-tea")
    response = client.post(settings_url("shahrzad"), data)
    assert response.status_code == 302
    workspace.organization.refresh_from_db()
    assert workspace.organization.slug == "shahrzad-tea"
    assert client_for(None).get("/o/shahrzad/").headers["Location"] == "/o/shahrzad-tea/"
    assert client_for(None).get("/o/shahrzad/calendar.ics").status_code == 301
    # Renaming back makes the first slug live again, and the second one a redirect.
    client.post(settings_url("shahrzad-tea"), {**data, "slug": "shahrzad"})
    assert client_for(None).get("/o/shahrzad/").status_code == 200
    assert client_for(None).get("/o/shahrzad-tea/").headers["Location"] == "/o/shahrzad/"


def test_organizers_see_the_settings_but_cannot_change_them(workspace: Workspace) -> None:
    client = client_for(workspace.organizer)
    assert client.get(settings_url("shahrzad")).status_code == 200
    response = client.post(settings_url("shahrzad"), organization_data(name="Taken over"))
    assert response.status_code == 403
    workspace.organization.refresh_from_db()
    assert workspace.organization.name == "Shahrzad Books"


def test_strangers_get_404_for_the_settings(workspace: Workspace) -> None:
    assert client_for(workspace.other_member).get(settings_url("shahrzad")).status_code == 404


# --- handing it over -----------------------------------------------------------------------


def role_url(workspace: Workspace, membership: Membership) -> str:
    return reverse(
        "workspace:member_role",
        kwargs={"slug": workspace.organization.slug, "membership_id": membership.pk},
    )


def test_an_owner_hands_the_organization_over_and_steps_down(workspace: Workspace) -> None:
    client = client_for(workspace.owner)
    theirs = Membership.objects.get(user=workspace.organizer)
    mine = Membership.objects.get(user=workspace.owner)
    assert client.post(role_url(workspace, theirs), {"role": "owner"}).status_code == 302
    assert client.post(role_url(workspace, mine), {"role": "organizer"}).status_code == 302
    theirs.refresh_from_db()
    mine.refresh_from_db()
    assert (theirs.role, mine.role) == ("owner", "organizer")
    # Now only an organizer: the owner-only action is refused.
    assert client.post(role_url(workspace, theirs), {"role": "organizer"}).status_code == 403


def test_the_last_owner_cannot_step_down_or_leave(workspace: Workspace) -> None:
    mine = Membership.objects.get(user=workspace.owner)
    with pytest.raises(MembershipError, match="only owner"):
        membership_role_change(membership=mine, role="organizer", actor=workspace.owner)
    response = client_for(workspace.owner).post(
        reverse(
            "workspace:member_remove",
            kwargs={"slug": workspace.organization.slug, "membership_id": mine.pk},
        )
    )
    assert response.status_code == 409
    mine.refresh_from_db()
    assert mine.role == "owner"


def test_an_unknown_role_is_refused(workspace: Workspace) -> None:
    theirs = MembershipFactory(organization=workspace.organization)
    response = client_for(workspace.owner).post(role_url(workspace, theirs), {"role": "king"})
    assert response.status_code == 400


def test_saving_the_settings_unchanged_keeps_the_address(workspace: Workspace) -> None:
    data = organization_data(slug="shahrzad", name="Shahrzad Books")
    response = client_for(workspace.owner).post(settings_url("shahrzad"), data)
    assert response.status_code == 302
    assert not OrganizationSlugRedirect.objects.exists()
