"""Who may open what under /manage/: every route, every kind of visitor.

Each route of ``workspace.urls`` needs a row in ``MATRIX``; a route without one fails
``test_every_workspace_route_has_a_row``. To add a row, say how to build the URL kwargs from
the ``World`` and what a member gets for GET and POST (``None``: the method is not allowed,
so everyone signed in gets 405). Every scoped route is then checked for:
- an anonymous visitor → redirect to the login page;
- a signed-in person without a membership → 404;
- a member of another organization → 404, with none of this organization's data;
- a member → the status in the row.
"""

from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from django.conf import settings
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from accounts.models import User
from events.models import Event, Organization
from registrations.models import Registration
from tests.factories import EventFactory, MembershipFactory, UserFactory, register
from tests.workspace.formdata import event_form_data
from workspace import urls as workspace_urls

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """One organization with an event and a registration in every state."""

    organization: Organization
    member: User
    event: Event
    confirmed: Registration
    waitlisted: Registration
    pending: Registration


def build_world() -> World:
    member = MembershipFactory(user__email="member@example.org").user
    organization = member.memberships.get().organization
    event = EventFactory(
        organization=organization,
        title="Secret salon",
        kind=Event.Kind.IN_PERSON,
        venue_name="Back room",
        join_url="",
        capacity=1,
    )
    confirmed = register(event, "alice-secret@example.org", name="Alice")
    waitlisted = register(event, "bob-secret@example.org", name="Bob")
    Event.objects.filter(pk=event.pk).update(approval_required=True)
    event.refresh_from_db()
    pending = register(event, "carol-secret@example.org", name="Carol")
    return World(organization, member, event, confirmed, waitlisted, pending)


Kwargs = Callable[[World], dict[str, int]]


def event_kwargs(world: World) -> dict[str, int]:
    return {"event_id": world.event.pk}


def registration_kwargs(which: str) -> Kwargs:
    def build(world: World) -> dict[str, int]:
        return {"event_id": world.event.pk, "registration_id": getattr(world, which).pk}

    return build


def person(world: World) -> dict[str, str]:
    return {
        "name": "Dara",
        "email": "dara@example.org",
        "time_zone": "Asia/Tehran",
        "language": "fa",
    }


@dataclass(frozen=True)
class Route:
    kwargs: Kwargs
    get: int | None
    post: int | None
    post_data: Callable[[World], dict[str, str]] = field(default=lambda world: {})
    # False for routes naming no object (the home page): outsiders get 200 and see nothing.
    scoped: bool = True


MATRIX: dict[str, Route] = {
    "home": Route(kwargs=lambda world: {}, get=200, post=None, scoped=False),
    "event_create": Route(
        kwargs=lambda world: {"organization_id": world.organization.pk},
        get=200,
        post=302,
        post_data=lambda world: event_form_data(),
    ),
    "event_overview": Route(kwargs=event_kwargs, get=200, post=None),
    "event_edit": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        post_data=lambda world: event_form_data(capacity="5"),
    ),
    "event_publish": Route(kwargs=event_kwargs, get=None, post=303),
    "event_cancel": Route(kwargs=event_kwargs, get=200, post=302),
    "event_duplicate": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {"title": "Again", "starts_at": "2030-06-01T18:00"},
    ),
    "event_capacity": Route(
        kwargs=event_kwargs, get=None, post=303, post_data=lambda world: {"capacity": "3"}
    ),
    "attendees": Route(kwargs=event_kwargs, get=200, post=None),
    "attendee_add": Route(kwargs=event_kwargs, get=None, post=303, post_data=person),
    "attendee_cancel": Route(kwargs=registration_kwargs("confirmed"), get=None, post=303),
    "attendee_promote": Route(kwargs=registration_kwargs("waitlisted"), get=None, post=303),
    "registration_approve": Route(kwargs=registration_kwargs("pending"), get=None, post=303),
    "registration_reject": Route(
        kwargs=registration_kwargs("pending"),
        get=200,
        post=303,
        post_data=lambda world: {"reason": "Full of regulars"},
    ),
    "checkin": Route(kwargs=event_kwargs, get=200, post=None),
    # The world's event is full: a walk-in is refused (409) rather than overbooked.
    "checkin_walk_in": Route(kwargs=event_kwargs, get=None, post=409, post_data=person),
    "checkin_mark": Route(kwargs=registration_kwargs("confirmed"), get=None, post=303),
    "checkin_undo": Route(kwargs=registration_kwargs("confirmed"), get=None, post=303),
}


def workspace_route_names(patterns: list[URLPattern | URLResolver], prefix: str = "") -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= workspace_route_names(pattern.url_patterns, prefix)
        elif pattern.name:
            names.add(prefix + pattern.name)
    return names


def test_every_workspace_route_has_a_row() -> None:
    routes = workspace_route_names(workspace_urls.urlpatterns)
    assert routes - set(MATRIX) == set(), "add a row to MATRIX for each new /manage/ route"
    assert set(MATRIX) - routes == set(), "MATRIX names a route that no longer exists"


def test_every_workspace_route_lives_under_manage() -> None:
    world = build_world()
    for name, route in MATRIX.items():
        assert reverse(f"workspace:{name}", kwargs=route.kwargs(world)).startswith("/manage/")


def _url(name: str, world: World) -> str:
    return reverse(f"workspace:{name}", kwargs=MATRIX[name].kwargs(world))


def _request(client: Client, method: str, name: str, world: World) -> object:
    url = _url(name, world)
    if method == "get":
        return client.get(url)
    return client.post(url, MATRIX[name].post_data(world))


METHODS = ["get", "post"]
ROUTES = sorted(MATRIX)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ROUTES)
def test_anonymous_visitors_are_sent_to_sign_in(client: Client, name: str, method: str) -> None:
    world = build_world()
    response = _request(client, method, name, world)
    assert response.status_code == 302  # type: ignore[attr-defined]
    login = reverse(settings.LOGIN_URL)
    assert response["Location"].startswith(f"{login}?next=")  # type: ignore[index]


def _assert_outsider(response: object, name: str, method: str, world: World) -> None:
    route = MATRIX[name]
    allowed = route.get if method == "get" else route.post
    content = response.content.decode()  # type: ignore[attr-defined]
    for secret in (world.event.title, world.confirmed.email, world.pending.email):
        assert secret not in content
    if allowed is None:
        assert response.status_code == 405  # type: ignore[attr-defined]
    elif route.scoped:
        assert response.status_code == 404  # type: ignore[attr-defined]
    else:
        assert response.status_code == allowed  # type: ignore[attr-defined]


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ROUTES)
def test_a_person_without_membership_gets_404_and_no_data(
    client: Client, name: str, method: str
) -> None:
    world = build_world()
    client.force_login(UserFactory(email="attendee@example.org"))
    response = _request(client, method, name, world)
    _assert_outsider(response, name, method, world)


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ROUTES)
def test_a_member_of_another_organization_gets_404_and_no_data(
    client: Client, name: str, method: str
) -> None:
    world = build_world()
    outsider = MembershipFactory(user__email="rival@example.org").user
    EventFactory(organization=outsider.memberships.get().organization, title="Rival event")
    client.force_login(outsider)
    response = _request(client, method, name, world)
    _assert_outsider(response, name, method, world)
    changed = Registration.objects.filter(event=world.event).exclude(
        pk__in=[world.confirmed.pk, world.waitlisted.pk, world.pending.pk]
    )
    assert not changed.exists()
    assert Event.objects.get(pk=world.event.pk).status == Event.Status.PUBLISHED


@pytest.mark.parametrize("method", METHODS)
@pytest.mark.parametrize("name", ROUTES)
def test_a_member_gets_the_page_or_the_action(client: Client, name: str, method: str) -> None:
    world = build_world()
    client.force_login(world.member)
    route = MATRIX[name]
    expected = route.get if method == "get" else route.post
    response = _request(client, method, name, world)
    assert response.status_code == (expected or 405), response.content[:500]  # type: ignore[attr-defined]
