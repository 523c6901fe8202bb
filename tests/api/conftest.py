"""An organization with tokens, and a client that speaks to /api/v1/ with one of them."""

import json
from dataclasses import dataclass
from typing import Any

import pytest
from django.test import Client

from accounts.models import User
from events.models import Event, Membership, Organization
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory
from workspace.models import ApiToken
from workspace.services.api_tokens import api_token_create

BASE = "/api/v1"


class ApiClient:
    """The Django test client with ``Authorization: Bearer <token>`` and JSON bodies."""

    def __init__(self, token: str | None) -> None:
        self.client = Client()
        self.token = token

    def _headers(self) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.token}"} if self.token else {}

    def request(self, method: str, path: str, body: Any = None, **query: Any) -> Any:
        url = BASE + path
        call = getattr(self.client, method)
        if method in {"get", "delete"}:
            return call(url, query or None, headers=self._headers())
        return call(
            url,
            json.dumps(body if body is not None else {}),
            content_type="application/json",
            headers=self._headers(),
        )

    def get(self, path: str, **query: Any) -> Any:
        return self.request("get", path, **query)

    def post(self, path: str, body: Any = None) -> Any:
        return self.request("post", path, body)

    def patch(self, path: str, body: Any = None) -> Any:
        return self.request("patch", path, body)

    def delete(self, path: str) -> Any:
        return self.request("delete", path)


@dataclass
class ApiWorld:
    organization: Organization
    owner: User
    event: Event
    write_secret: str
    read_secret: str
    write_token: ApiToken
    other_organization: Organization
    other_event: Event
    other_secret: str

    @property
    def writer(self) -> ApiClient:
        return ApiClient(self.write_secret)

    @property
    def reader(self) -> ApiClient:
        return ApiClient(self.read_secret)

    @property
    def stranger(self) -> ApiClient:
        """A write token of another organization."""
        return ApiClient(self.other_secret)


@pytest.fixture
def api_world(db: None) -> ApiWorld:
    organization = OrganizationFactory(name="Shahrzad Books", slug="shahrzad")
    owner = MembershipFactory(
        organization=organization, role=Membership.Role.OWNER, user__email="owner@example.org"
    ).user
    event = EventFactory(
        organization=organization,
        title="Evening of readings",
        kind=Event.Kind.HYBRID,
        venue_name="Corner Bookstore",
        capacity=2,
        time_zone="Asia/Tehran",
    )
    write = api_token_create(
        organization=organization, name="CRM sync", scope=ApiToken.Scope.READ_WRITE, actor=owner
    )
    read = api_token_create(
        organization=organization, name="Dashboard", scope=ApiToken.Scope.READ, actor=owner
    )
    other_organization = OrganizationFactory(name="Elsewhere", slug="elsewhere")
    other = api_token_create(
        organization=other_organization,
        name="Theirs",
        scope=ApiToken.Scope.READ_WRITE,
        actor=None,
    )
    return ApiWorld(
        organization=organization,
        owner=owner,
        event=event,
        write_secret=write.secret,
        read_secret=read.secret,
        write_token=write.token,
        other_organization=other_organization,
        other_event=EventFactory(organization=other_organization),
        other_secret=other.secret,
    )


def assert_problem(response: Any, status: int, code: str) -> dict[str, Any]:
    """The response is an RFC 9457 problem with this status and code; its body."""
    assert response.status_code == status, response.content
    assert response["Content-Type"] == "application/problem+json"
    body = response.json()
    assert body["status"] == status
    assert body["code"] == code
    assert body["title"] and body["detail"] and body["type"]
    return body
