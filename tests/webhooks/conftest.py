from collections.abc import Callable, Iterator

import pytest

from accounts.models import User
from events.models import Membership, Organization
from tests.factories import MembershipFactory
from tests.webhooks.receiver import Receiver, running_receiver
from webhooks.event_types import EVENT_TYPES
from webhooks.models import WebhookEndpoint
from webhooks.services import webhook_endpoint_create


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


@pytest.fixture
def owner(db: None) -> User:
    user: User = MembershipFactory(user__email="owner@example.org", role=Membership.Role.OWNER).user
    return user


@pytest.fixture
def organization(owner: User) -> Organization:
    return owner.memberships.get().organization


@pytest.fixture
def subscribe(organization: Organization, receiver: Receiver) -> Callable[..., WebhookEndpoint]:
    """Register the receiver for ``event_types`` (all by default) and give it the secret."""

    def create(event_types: list[str] | None = None) -> WebhookEndpoint:
        endpoint = webhook_endpoint_create(
            organization=organization,
            url=receiver.url,
            event_types=list(EVENT_TYPES) if event_types is None else event_types,
        )
        receiver.secret = endpoint.secret
        return endpoint

    return create
