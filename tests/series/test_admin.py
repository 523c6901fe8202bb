"""Series in the admin: read-only, scoped to the user's organizations, no answers shown."""

import pytest
from django.test import Client
from django.urls import reverse

from events.admin_access import organizer_admin_access_grant
from events.models import Organization
from series.models import SeriesQuestion
from series.services import series_generate, series_register
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory
from tests.series.helpers import make_series

pytestmark = pytest.mark.django_db


@pytest.fixture
def own_org() -> Organization:
    return OrganizationFactory(name="Our Campaign")


@pytest.fixture
def organizer_client(client: Client, own_org: Organization) -> Client:
    user = UserFactory(email="org@example.org")
    MembershipFactory(user=user, organization=own_org)
    organizer_admin_access_grant(user=user)
    client.force_login(user)
    return client


def test_an_organizer_sees_their_own_series_and_registrants_and_nothing_else(
    organizer_client: Client, own_org: Organization
) -> None:
    ours = make_series(organization=own_org, title="Our audio room")
    question = SeriesQuestion.objects.create(series=ours, label="Your city?", kind="short_text")
    series_generate(series=ours)
    member = series_register(
        series=ours,
        name="Ana",
        email="ana@example.org",
        time_zone="UTC",
        answers={str(question.pk): "A secret answer"},
    ).series_registration
    theirs = make_series(title="Their reading group")
    series_register(series=theirs, name="Bo", email="bo@example.org", time_zone="UTC")

    series_page = organizer_client.get(reverse("admin:series_series_changelist")).content.decode()
    people = organizer_client.get(
        reverse("admin:series_seriesregistration_changelist")
    ).content.decode()
    detail = organizer_client.get(
        reverse("admin:series_seriesregistration_change", args=[member.pk])
    ).content.decode()

    assert "Our audio room" in series_page and "Their reading group" not in series_page
    assert "ana@example.org" in people and "bo@example.org" not in people
    assert "A secret answer" not in people + detail
    assert str(member.public_id) not in detail
    assert (
        organizer_client.get(reverse("admin:series_series_change", args=[theirs.pk])).status_code
        == 302  # the admin's answer to an object it cannot find: back to the list
    )


def test_nothing_is_added_changed_or_deleted_there(admin_client: Client) -> None:
    series = make_series()

    assert admin_client.get(reverse("admin:series_series_add")).status_code == 403
    assert (
        admin_client.get(reverse("admin:series_series_delete", args=[series.pk])).status_code == 403
    )
    page = admin_client.get(reverse("admin:series_series_change", args=[series.pk]))
    assert page.status_code == 200
    assert 'name="_save"' not in page.content.decode()
    before = series.title
    admin_client.post(reverse("admin:series_series_change", args=[series.pk]), {"title": "X"})
    series.refresh_from_db()
    assert series.title == before
