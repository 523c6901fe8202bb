"""Who may use each organizer-tool route. Strangers get 404 (never data), visitors the
sign-in page, members what the route does; owner-only actions answer organizers 403.

Each route's kwargs and form data are built from the same fixture objects, so this table can
join the workspace permission matrix as it is.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pytest
from django.conf import settings
from django.urls import reverse

from events.models import Membership
from notifications.models import OutboxEmail
from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.workspace.conftest import Workspace, client_for
from workspace.models import Invitation, Message
from workspace.services.members import member_invite
from workspace.services.messages import message_send

pytestmark = pytest.mark.django_db


@dataclass
class Objects:
    """What the routes point at, all belonging to the workspace's own organization."""

    workspace: Workspace
    registration: Registration
    message: Message
    invitation: Invitation
    organizer_membership: Membership


@pytest.fixture
def objects(workspace: Workspace) -> Objects:
    registration = RegistrationFactory(event=workspace.event, name="Ana")
    message = message_send(
        event=workspace.event,
        sender=workspace.owner,
        subject="Hello",
        body="Hi",
        audience="confirmed",
        send_key=uuid.uuid4(),
    ).message
    invitation = member_invite(
        organization=workspace.organization,
        email="invited@example.org",
        role="organizer",
        invited_by=workspace.owner,
    ).invitation
    assert invitation is not None
    return Objects(
        workspace=workspace,
        registration=registration,
        message=message,
        invitation=invitation,
        organizer_membership=Membership.objects.get(user=workspace.organizer),
    )


def _message_data(objects: Objects) -> dict[str, str]:
    return {"audience": "confirmed", "search": "", "subject": "Hi", "body": "Hello"}


@dataclass
class Route:
    name: str
    method: str
    kwargs: Callable[[Objects], dict[str, Any]]
    organizer_status: int
    owner_status: int
    data: Callable[[Objects], dict[str, str]] = field(default=lambda objects: {})
    # A wrong method is refused before anyone is looked up; it tells a stranger nothing.
    stranger_status: int = 404

    def __str__(self) -> str:
        return f"{self.method} {self.name}"


def event_kwargs(objects: Objects) -> dict[str, Any]:
    return {"event_id": objects.workspace.event.pk}


def registration_kwargs(objects: Objects) -> dict[str, Any]:
    return {"event_id": objects.workspace.event.pk, "registration_id": objects.registration.pk}


def organization_kwargs(objects: Objects) -> dict[str, Any]:
    return {"slug": objects.workspace.organization.slug}


ROUTES = [
    Route("workspace:messages", "get", event_kwargs, 200, 200),
    Route("workspace:messages", "post", event_kwargs, 200, 200, _message_data),
    Route("workspace:message_preview", "get", event_kwargs, 405, 405, stranger_status=405),
    Route("workspace:message_preview", "post", event_kwargs, 200, 200, _message_data),
    Route(
        "workspace:message_send",
        "post",
        event_kwargs,
        302,
        302,
        lambda objects: {**_message_data(objects), "send_key": str(uuid.uuid4())},
    ),
    Route(
        "workspace:message_detail",
        "get",
        lambda objects: {**event_kwargs(objects), "message_id": objects.message.pk},
        200,
        200,
    ),
    Route("workspace:failed_emails", "get", event_kwargs, 200, 200),
    Route("workspace:stats", "get", event_kwargs, 200, 200),
    Route("workspace:registration_erase", "get", registration_kwargs, 200, 200),
    Route(
        "workspace:registration_erase",
        "post",
        registration_kwargs,
        302,
        302,
        lambda objects: {"confirm": "on"},
    ),
    Route("workspace:registration_export", "get", registration_kwargs, 200, 200),
    Route("workspace:members", "get", organization_kwargs, 200, 200),
    Route(
        "workspace:member_invite",
        "post",
        organization_kwargs,
        403,
        302,
        lambda objects: {"email": "someone.new@example.org", "role": "organizer"},
    ),
    Route(
        "workspace:member_remove",
        "post",
        lambda objects: {
            **organization_kwargs(objects),
            "membership_id": objects.organizer_membership.pk,
        },
        403,
        302,
    ),
    Route(
        "workspace:invitation_revoke",
        "post",
        lambda objects: {**organization_kwargs(objects), "invitation_id": objects.invitation.pk},
        403,
        302,
    ),
    Route("workspace:audit_log", "get", organization_kwargs, 200, 200),
]


def request(route: Route, objects: Objects, user: Any) -> Any:
    client = client_for(user)
    url = reverse(route.name, kwargs=route.kwargs(objects))
    return getattr(client, route.method)(url, route.data(objects))


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_a_visitor_is_sent_to_sign_in(route: Route, objects: Objects) -> None:
    response = request(route, objects, None)
    assert response.status_code == 302
    assert response["Location"].startswith(reverse(settings.LOGIN_URL) + "?next=")


@pytest.mark.parametrize("route", ROUTES, ids=str)
@pytest.mark.parametrize("stranger", ["non_member", "other_member"])
def test_a_stranger_gets_404_and_changes_nothing(
    route: Route, stranger: str, objects: Objects
) -> None:
    emails_before = OutboxEmail.objects.count()
    memberships_before = Membership.objects.count()
    response = request(route, objects, getattr(objects.workspace, stranger))
    assert response.status_code == route.stranger_status
    assert b"Ana" not in response.content
    assert OutboxEmail.objects.count() == emails_before
    assert Membership.objects.count() == memberships_before
    objects.registration.refresh_from_db()
    assert not objects.registration.is_erased


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_an_organizer_gets_what_the_route_does_except_owner_actions(
    route: Route, objects: Objects
) -> None:
    response = request(route, objects, objects.workspace.organizer)
    assert response.status_code == route.organizer_status


@pytest.mark.parametrize("route", ROUTES, ids=str)
def test_an_owner_gets_what_the_route_does(route: Route, objects: Objects) -> None:
    response = request(route, objects, objects.workspace.owner)
    assert response.status_code == route.owner_status


def test_an_organizer_refused_an_owner_action_changes_nothing(objects: Objects) -> None:
    for route in ROUTES:
        if route.name in {"workspace:member_invite", "workspace:member_remove"}:
            request(route, objects, objects.workspace.organizer)
    assert not Invitation.objects.filter(email="someone.new@example.org").exists()
    assert Membership.objects.filter(pk=objects.organizer_membership.pk).exists()
