"""An organizer signed in to the admin, for the admin's event form tests."""

import pytest
from django.test import Client

from accounts.models import User
from events.admin_access import organizer_admin_access_grant
from events.models import Organization
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory


@pytest.fixture
def organization() -> Organization:
    return OrganizationFactory(name="Our Campaign")


@pytest.fixture
def admin_client(client: Client, organization: Organization) -> Client:
    user: User = UserFactory(email="org@example.org")
    MembershipFactory(user=user, organization=organization)
    organizer_admin_access_grant(user=user)
    client.force_login(user)
    return client
