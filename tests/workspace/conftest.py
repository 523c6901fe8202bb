"""People and places for the workspace tests.

``workspace``: one organization with an owner and an organizer, an event of theirs, and a
stranger who runs another organization. ``organization`` / ``organizer`` /
``organizer_client`` / ``event``: a signed-in organizer and an in-person event with three seats.
"""

from dataclasses import dataclass

import pytest
from django.test import Client

from accounts.models import User
from events.models import Event, Membership, Organization
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory, UserFactory


@dataclass
class Workspace:
    organization: Organization
    owner: User
    organizer: User
    event: Event
    other_organization: Organization
    other_member: User
    other_event: Event
    non_member: User


@pytest.fixture
def workspace(db: None) -> Workspace:
    organization = OrganizationFactory(name="Shahrzad Books", slug="shahrzad")
    owner = MembershipFactory(
        organization=organization, role=Membership.Role.OWNER, user__email="owner@example.org"
    ).user
    organizer = MembershipFactory(
        organization=organization,
        role=Membership.Role.ORGANIZER,
        user__email="organizer@example.org",
    ).user
    other_organization = OrganizationFactory(name="Elsewhere", slug="elsewhere")
    other_member = MembershipFactory(
        organization=other_organization,
        role=Membership.Role.OWNER,
        user__email="stranger@example.org",
    ).user
    return Workspace(
        organization=organization,
        owner=owner,
        organizer=organizer,
        event=EventFactory(organization=organization, time_zone="Asia/Tehran"),
        other_organization=other_organization,
        other_member=other_member,
        other_event=EventFactory(organization=other_organization),
        non_member=UserFactory(email="nobody@example.org"),
    )


def client_for(user: User | None) -> Client:
    client = Client()
    if user is not None:
        client.force_login(user)
    return client


@pytest.fixture
def organization(db: None) -> Organization:
    return OrganizationFactory(name="Voices for Change")


@pytest.fixture
def organizer(organization: Organization) -> User:
    return MembershipFactory(organization=organization, user__email="organizer@example.org").user


@pytest.fixture
def organizer_client(client: Client, organizer: User) -> Client:
    client.force_login(organizer)
    return client


@pytest.fixture
def event(organization: Organization) -> Event:
    return EventFactory(
        organization=organization,
        title="Evening of readings",
        kind=Event.Kind.IN_PERSON,
        venue_name="Corner Bookstore",
        join_url="",
        capacity=3,
        time_zone="America/New_York",
    )
