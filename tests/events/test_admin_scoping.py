"""Organizers in the Django admin see and change only their own organizations' data."""

from datetime import timedelta
from io import StringIO

import pytest
from django.contrib.contenttypes.models import ContentType
from django.core.management import call_command
from django.db.models import Model
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from accounts.models import User
from events import lifecycle
from events.admin_access import organizer_admin_access_grant
from events.models import Event, Organization, Speaker
from registrations.facts import RegistrationTimeZoneChanged
from registrations.models import Registration
from registrations.services import registration_create
from tests.events.admin_formdata import event_form_data
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory, UserFactory
from workspace.models import ExportJob

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_org() -> Organization:
    return OrganizationFactory(name="Our Campaign")


@pytest.fixture
def other_org() -> Organization:
    return OrganizationFactory(name="Rival Venue")


@pytest.fixture
def organizer(own_org: Organization) -> User:
    user = UserFactory(email="org@example.org")
    MembershipFactory(user=user, organization=own_org)
    organizer_admin_access_grant(user=user)
    return user


@pytest.fixture
def admin_client(client: Client, organizer: User) -> Client:
    client.force_login(organizer)
    return client


def test_event_list_shows_only_own_events_and_own_organizations_in_the_filter(
    admin_client: Client, own_org: Organization, other_org: Organization
) -> None:
    EventFactory(organization=own_org, title="Our webinar")
    EventFactory(organization=other_org, title="Their reading")

    page = admin_client.get(reverse("admin:events_event_changelist")).content.decode()

    assert "Our webinar" in page
    assert "Their reading" not in page
    assert "Rival Venue" not in page


def test_another_organizations_event_cannot_be_opened_or_changed_by_url(
    admin_client: Client, other_org: Organization
) -> None:
    theirs = EventFactory(organization=other_org, title="Their reading")
    change_url = reverse("admin:events_event_change", args=[theirs.pk])

    opened = admin_client.get(change_url)
    posted = admin_client.post(change_url, event_form_data(theirs, title="Hijacked"))

    assert opened.status_code == 302
    assert posted.status_code == 302
    theirs.refresh_from_db()
    assert theirs.title == "Their reading"


def test_an_event_cannot_be_moved_or_added_to_another_organization(
    admin_client: Client, own_org: Organization, other_org: Organization
) -> None:
    ours = EventFactory(organization=own_org, title="Our webinar")

    moved = admin_client.post(
        reverse("admin:events_event_change", args=[ours.pk]),
        event_form_data(ours, organization=other_org.pk),
    )
    added = admin_client.post(
        reverse("admin:events_event_add"),
        event_form_data(ours, organization=other_org.pk, slug="brand-new", title="Brand new"),
    )

    assert moved.status_code == 200
    assert "Select a valid choice" in moved.content.decode()
    ours.refresh_from_db()
    assert ours.organization == own_org
    assert added.status_code == 200
    assert not Event.objects.filter(slug="brand-new").exists()


def test_own_event_can_be_edited_with_its_inlines(
    admin_client: Client, own_org: Organization
) -> None:
    ours = EventFactory(organization=own_org, title="Our webinar")

    response = admin_client.post(
        reverse("admin:events_event_change", args=[ours.pk]),
        event_form_data(
            ours,
            title="Our better webinar",
            **{"speakers-TOTAL_FORMS": 1, "speakers-0-name": "Shirin", "speakers-0-position": 0},
        ),
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    ours.refresh_from_db()
    assert ours.title == "Our better webinar"
    assert [speaker.name for speaker in ours.speakers.all()] == ["Shirin"]


def test_an_inline_row_of_another_organizations_event_cannot_be_edited_through_own_event(
    admin_client: Client, own_org: Organization, other_org: Organization
) -> None:
    ours = EventFactory(organization=own_org)
    theirs = EventFactory(organization=other_org)
    their_speaker = Speaker.objects.create(event=theirs, name="Their speaker")

    admin_client.post(
        reverse("admin:events_event_change", args=[ours.pk]),
        event_form_data(
            ours,
            **{
                "speakers-TOTAL_FORMS": 1,
                "speakers-INITIAL_FORMS": 1,
                "speakers-0-id": their_speaker.pk,
                "speakers-0-event": ours.pk,
                "speakers-0-name": "Hijacked",
                "speakers-0-position": 0,
            },
        ),
    )

    their_speaker.refresh_from_db()
    assert (their_speaker.name, their_speaker.event_id) == ("Their speaker", theirs.pk)


def test_registrations_of_other_organizations_are_invisible(
    admin_client: Client, own_org: Organization, other_org: Organization
) -> None:
    ours = registration_create(
        event=EventFactory(organization=own_org),
        name="Ana",
        email="ana@example.org",
        time_zone="UTC",
    ).registration
    theirs = registration_create(
        event=EventFactory(organization=other_org),
        name="Bob",
        email="bob@example.org",
        time_zone="UTC",
    ).registration

    page = admin_client.get(reverse("admin:registrations_registration_changelist"))
    other = admin_client.get(reverse("admin:registrations_registration_change", args=[theirs.pk]))

    assert "ana@example.org" in page.content.decode()
    assert "bob@example.org" not in page.content.decode()
    assert other.status_code == 302
    assert Registration.objects.get(pk=ours.pk).name == "Ana"


def test_organizations_are_read_only_and_limited_to_own(
    admin_client: Client, own_org: Organization, other_org: Organization
) -> None:
    page = admin_client.get(reverse("admin:events_organization_changelist")).content.decode()
    add = admin_client.get(reverse("admin:events_organization_add"))
    other = admin_client.get(reverse("admin:events_organization_change", args=[other_org.pk]))

    assert "Our Campaign" in page
    assert "Rival Venue" not in page
    assert add.status_code == 403
    assert other.status_code == 302


def test_organizer_cannot_see_users_or_email_addresses(admin_client: Client) -> None:
    assert admin_client.get(reverse("admin:accounts_user_changelist")).status_code == 403
    assert admin_client.get(reverse("admin:account_emailaddress_changelist")).status_code == 403


def test_changing_a_registrations_zone_in_the_admin_goes_through_the_service(
    admin_client: Client, own_org: Organization, monkeypatch: pytest.MonkeyPatch
) -> None:
    registration = registration_create(
        event=EventFactory(organization=own_org),
        name="Ana",
        email="ana@example.org",
        time_zone="UTC",
    ).registration
    heard: list[str] = []

    def remember(fact: RegistrationTimeZoneChanged) -> None:
        heard.append(fact.previous_time_zone)

    # Listen like an app would, for this test only (the registry is process-wide).
    existing = lifecycle._handlers[RegistrationTimeZoneChanged]
    monkeypatch.setitem(lifecycle._handlers, RegistrationTimeZoneChanged, [*existing, remember])
    response = admin_client.post(
        reverse("admin:registrations_registration_change", args=[registration.pk]),
        {"name": "Ana B", "time_zone": "Asia/Tehran", "language": "en", "answers": "{}"},
    )

    assert response.status_code == 302, response.content.decode()[:2000]
    registration.refresh_from_db()
    assert (registration.name, registration.time_zone) == ("Ana B", "Asia/Tehran")
    assert heard == ["UTC"]


def test_demo_organizer_from_seed_demo_can_use_the_admin(client: Client) -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())  # a second run changes nothing
    EventFactory(title="Someone else's event", starts_at=timezone.now() + timedelta(days=3))
    assert client.login(email="organizer@example.org", password="convene-demo")

    page = client.get(reverse("admin:events_event_changelist")).content.decode()

    # Three single events; the demo series' sessions come on top (tests/series/test_seed_demo.py).
    demo = Event.objects.filter(organization__slug="voices-for-change")
    assert demo.filter(series_session__isnull=True).count() == 3
    assert "Organizing across borders" in page
    assert "Evening of readings at the Corner Bookstore" in page
    assert "Someone else" not in page


def view_on_site_url(instance: Model, object_id: object = None) -> str:
    content_type = ContentType.objects.get_for_model(instance)
    return reverse("admin:view_on_site", args=[content_type.pk, object_id or instance.pk])


def test_view_on_site_follows_own_events_only(
    admin_client: Client, own_org: Organization, other_org: Organization
) -> None:
    ours = EventFactory(organization=own_org, slug="our-webinar")
    theirs = EventFactory(organization=other_org, slug="their-secret-draft", status="draft")

    followed = admin_client.get(view_on_site_url(ours))
    refused = admin_client.get(view_on_site_url(theirs))

    assert (followed.status_code, followed["Location"]) == (302, "/events/our-webinar/")
    assert refused.status_code == 404
    assert "their-secret-draft" not in refused.get("Location", "")


def test_view_on_site_refuses_other_organizations_export_jobs(
    admin_client: Client, other_org: Organization
) -> None:
    owner = MembershipFactory(organization=other_org).user
    job = ExportJob.objects.create(
        event=EventFactory(organization=other_org), created_by=owner, format="xlsx"
    )

    assert admin_client.get(view_on_site_url(job)).status_code == 404
    assert admin_client.get("/admin/r/999999/1/").status_code == 404
    assert admin_client.get(view_on_site_url(job, "not-a-number")).status_code == 404


def test_view_on_site_still_needs_an_admin_sign_in(own_org: Organization) -> None:
    ours = EventFactory(organization=own_org)

    response = Client().get(view_on_site_url(ours))

    assert response.status_code == 302
    assert response["Location"].startswith("/admin/login/")
