"""Who may open what under /manage/: every route, every kind of visitor.

Every route of ``workspace.urls`` needs a row in ``MATRIX``; a route without one fails
``test_every_workspace_route_has_a_row``. A row says how to build the URL kwargs from the
``World`` and what a member (an owner) gets for GET and for POST — ``None`` when the method
is not allowed, so everyone signed in gets 405. Then, for each route and method:
- an anonymous visitor is sent to the sign-in page (unless ``public_get``);
- a signed-in person without a membership, and a member of another organization, get
  ``outsiders`` (404 by default — never a hint that the object exists), never any of this
  organization's data, and change nothing;
- the member gets the row's status.
Owner-only actions refusing plain organizers (403) are tested in test_tools_permissions.py.
"""

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field

import pytest
from allauth.account.models import EmailAddress
from django.conf import settings
from django.core.files.base import ContentFile
from django.test import Client
from django.urls import URLPattern, URLResolver, reverse

from accounts.models import User
from events.models import CoHost, Event, Membership, Organization
from notifications.models import OutboxEmail
from registrations.models import Registration
from series.models import Series
from series.services import series_generate
from tests.factories import EventFactory, MembershipFactory, UserFactory, register
from tests.series.helpers import series_form_data, weekly_series
from tests.workspace.formdata import event_form_data
from webhooks.models import WebhookDelivery, WebhookEndpoint
from workspace import urls as workspace_urls
from workspace.models import ApiToken, ExportJob, Invitation, Message
from workspace.selectors.members import invitation_token
from workspace.services.api_tokens import api_token_create
from workspace.services.members import member_invite
from workspace.services.messages import message_send

pytestmark = pytest.mark.django_db


@dataclass
class World:
    """One organization with an event, a registration in every state, and its tools' data."""

    organization: Organization
    member: User
    event: Event
    confirmed: Registration
    waitlisted: Registration
    pending: Registration
    organizer_membership: Membership
    message: Message
    invitation: Invitation
    webhook_endpoint: WebhookEndpoint
    webhook_delivery: WebhookDelivery
    # Another organization co-hosting ``event`` (accepted, read-only), and its owner.
    cohost: CoHost
    cohost_member: User
    # An invitation to ``organization`` to co-host a third organization's event.
    cohost_invitation: CoHost


def build_world() -> World:
    member = MembershipFactory(user__email="member@example.org", role=Membership.Role.OWNER).user
    # A confirmed address: what creating another organization asks of a signed-in person.
    EmailAddress.objects.create(user=member, email=member.email, verified=True, primary=True)
    organization = member.memberships.get().organization
    organizer_membership = MembershipFactory(organization=organization)
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
    message = message_send(
        event=event,
        sender=member,
        subject="Hello",
        body="See you soon",
        audience="confirmed",
        send_key=uuid.uuid4(),
    ).message
    invitation = member_invite(
        organization=organization, email="invited@example.org", role="organizer", invited_by=member
    ).invitation
    assert invitation is not None
    webhook_endpoint = WebhookEndpoint.objects.create(
        organization=organization,
        url="https://hooks.example.org/convene",
        secret="whsec_c2VjcmV0",
        event_types=["registration.created"],
    )
    webhook_delivery = WebhookDelivery.objects.create(
        endpoint=webhook_endpoint,
        event_type="registration.created",
        payload={"registration": {"email": confirmed.email}},
        status=WebhookDelivery.Status.DELIVERED,
    )
    cohost_member = MembershipFactory(
        user__email="cohost@example.org", role=Membership.Role.OWNER
    ).user
    cohost = CoHost.objects.create(
        event=event,
        organization=cohost_member.memberships.get().organization,
        status=CoHost.Status.ACCEPTED,
    )
    cohost_invitation = CoHost.objects.create(
        event=EventFactory(title="Partner's event"), organization=organization
    )
    # The API token the revoke route names (api_token_kwargs).
    api_token_create(organization=organization, name="Sync", scope="read", actor=member)
    return World(
        organization,
        member,
        event,
        confirmed,
        waitlisted,
        pending,
        organizer_membership,
        message,
        invitation,
        webhook_endpoint,
        webhook_delivery,
        cohost,
        cohost_member,
        cohost_invitation,
    )


Kwargs = Callable[[World], dict[str, object]]


def event_kwargs(world: World) -> dict[str, object]:
    return {"event_id": world.event.pk}


def organization_kwargs(world: World) -> dict[str, object]:
    return {"slug": world.organization.slug}


def registration_kwargs(which: str) -> Kwargs:
    def build(world: World) -> dict[str, object]:
        return {"event_id": world.event.pk, "registration_id": getattr(world, which).pk}

    return build


def webhook_endpoint_kwargs(world: World) -> dict[str, object]:
    return {**organization_kwargs(world), "endpoint_id": world.webhook_endpoint.pk}


def webhook_delivery_kwargs(world: World) -> dict[str, object]:
    return {**webhook_endpoint_kwargs(world), "delivery_id": world.webhook_delivery.pk}


def finished_export_kwargs(world: World) -> dict[str, object]:
    """A background XLSX export of the world's event, finished, with its file."""
    job = ExportJob.objects.create(
        event=world.event, created_by=world.member, format="xlsx", status=ExportJob.Status.DONE
    )
    job.file.save("secret-salon.xlsx", ContentFile(b"not really a workbook"))
    return {"job_id": job.pk}


def api_token_kwargs(world: World) -> dict[str, object]:
    token = ApiToken.objects.get(organization=world.organization, name="Sync")
    return {**organization_kwargs(world), "token_id": token.pk}


def series_kwargs(world: World) -> dict[str, object]:
    """A weekly series of the world's organization, with its first sessions (made once)."""
    series = Series.objects.filter(organization=world.organization).first()
    if series is None:
        series = weekly_series(organization=world.organization, title="Secret circle")
        series_generate(series=series)
    return {"series_id": series.pk}


def series_session_kwargs(world: World) -> dict[str, object]:
    kwargs = series_kwargs(world)
    first = Event.objects.filter(series_session__series_id=kwargs["series_id"]).first()
    assert first is not None
    return {**kwargs, "event_id": first.pk}


def person(world: World) -> dict[str, str]:
    return {
        "name": "Dara",
        "email": "dara@example.org",
        "time_zone": "Asia/Tehran",
        "language": "fa",
    }


def organization_data(*, slug: str) -> dict[str, str]:
    return {
        "name": "Renamed salon",
        "slug": slug,
        "contact_email": "salon@example.org",
        "description": "",
        "time_zone": "UTC",
        "language": "en",
    }


def message_data(world: World) -> dict[str, str]:
    return {"audience": "confirmed", "search": "", "subject": "Hi", "body": "Hello"}


def follow_up_data(world: World) -> dict[str, str]:
    return {
        "attended-amount": "2",
        "attended-unit": "hours",
        "attended-subject": "The recording",
        "attended-message": "https://video.example.org/1",
        "absent-amount": "1",
        "absent-unit": "days",
        "absent-subject": "",
        "absent-message": "",
    }


@dataclass(frozen=True)
class Route:
    kwargs: Kwargs
    get: int | None
    post: int | None
    post_data: Callable[[World], dict[str, str]] = field(default=lambda world: {})
    # What a signed-in non-member gets where the method is allowed; None: the same as a
    # member (routes that name nothing of an organization, or a link that is its own key).
    outsiders: int | None = 404
    # GET works without signing in (an invitation link opened by someone with no account).
    public_get: bool = False
    # What a member of an organization that co-hosts the event (read-only) gets, by method;
    # None: the same as the member. Routes of another organization: 404 like any outsider.
    cohost_get: int | None = 404
    cohost_post: int | None = 404
    # Whether a co-host the owner let edit gets the member's status where a read-only one
    # gets 403. False where the 403 is not for want of edit access: what stays the owning
    # organization's decision (publishing, cancelling, privacy requests, duplicating, who
    # co-hosts) and what has nothing to do with the event.
    opens_to_editors: bool = True


MATRIX: dict[str, Route] = {
    "home": Route(
        kwargs=lambda world: {},
        get=200,
        post=None,
        outsiders=None,
        cohost_get=None,
        cohost_post=None,
    ),
    "calendar": Route(
        kwargs=lambda world: {},
        get=None,
        post=302,
        post_data=lambda world: {"calendar": "gregorian"},
        outsiders=None,
        cohost_post=None,
    ),
    # Events.
    "event_create": Route(
        kwargs=lambda world: {"organization_id": world.organization.pk},
        get=200,
        post=302,
        post_data=lambda world: event_form_data(),
    ),
    "event_overview": Route(
        kwargs=event_kwargs, get=200, post=None, cohost_get=None, cohost_post=None
    ),
    # Series.
    "series_list": Route(
        kwargs=lambda world: {"organization_id": world.organization.pk}, get=200, post=None
    ),
    "series_create": Route(
        kwargs=lambda world: {"organization_id": world.organization.pk},
        get=200,
        post=302,
        post_data=lambda world: series_form_data(),
    ),
    "series_overview": Route(kwargs=series_kwargs, get=200, post=None),
    "series_edit": Route(
        kwargs=series_session_kwargs,
        get=200,
        post=302,
        post_data=lambda world: series_form_data(
            kind="audio_room", join_url="https://meet.example.org/x", count="20"
        ),
    ),
    "series_lists": Route(
        kwargs=series_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {
            f"{prefix}-{name}": "0"
            for prefix in ("reminders", "questions")
            for name in ("TOTAL_FORMS", "INITIAL_FORMS")
        },
    ),
    "series_end": Route(kwargs=series_kwargs, get=200, post=302),
    "series_export": Route(
        kwargs=lambda world: {**series_kwargs(world), "layout": "people", "format_name": "xlsx"},
        get=200,
        post=None,
    ),
    "event_edit": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        post_data=lambda world: event_form_data(capacity="5"),
        cohost_get=403,
        cohost_post=403,
    ),
    # The event in the site's other language (world.event is written in English).
    "event_translation": Route(
        kwargs=lambda world: {"event_id": world.event.pk, "language": "fa"},
        get=200,
        post=302,
        post_data=lambda world: {"title": "شب شعر"},
        cohost_get=403,
        cohost_post=403,
    ),
    # Publishing and cancelling (which emails every registrant) are the owner's decisions.
    "event_publish": Route(
        kwargs=event_kwargs,
        get=None,
        post=303,
        cohost_get=403,
        cohost_post=403,
        opens_to_editors=False,
    ),
    "event_cancel": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        cohost_get=403,
        cohost_post=403,
        opens_to_editors=False,
    ),
    "event_duplicate": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {"title": "Again", "starts_at": "2030-06-01T18:00"},
        cohost_get=403,
        cohost_post=403,
        opens_to_editors=False,
    ),
    "event_capacity": Route(
        kwargs=event_kwargs,
        get=None,
        post=303,
        post_data=lambda world: {"capacity": "3"},
        cohost_get=403,
        cohost_post=403,
    ),
    # Co-hosts: the owner invites and decides; a co-host may look, and withdraw its own.
    "event_cohosts": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {"slug": world.cohost_invitation.event.organization.slug},
        cohost_get=None,
        cohost_post=403,
        opens_to_editors=False,
    ),
    "cohost_remove": Route(
        kwargs=lambda world: {"event_id": world.event.pk, "cohost_id": world.cohost.pk},
        get=None,
        post=302,
        cohost_post=None,
    ),
    "cohost_edit_access": Route(
        kwargs=lambda world: {"event_id": world.event.pk, "cohost_id": world.cohost.pk},
        get=None,
        post=302,
        post_data=lambda world: {"can_edit": "on"},
        cohost_post=403,
        opens_to_editors=False,
    ),
    # The page the invitation email links to: the invited organization's members look.
    "cohost_invitation": Route(
        kwargs=lambda world: {
            **organization_kwargs(world),
            "cohost_id": world.cohost_invitation.pk,
        },
        get=200,
        post=None,
    ),
    "cohost_accept": Route(
        kwargs=lambda world: {
            **organization_kwargs(world),
            "cohost_id": world.cohost_invitation.pk,
        },
        get=None,
        post=302,
    ),
    "cohost_decline": Route(
        kwargs=lambda world: {
            **organization_kwargs(world),
            "cohost_id": world.cohost_invitation.pk,
        },
        get=None,
        post=302,
    ),
    # Attendees, approvals, the door.
    "attendees": Route(kwargs=event_kwargs, get=200, post=None, cohost_get=None, cohost_post=None),
    "attendee_add": Route(
        kwargs=event_kwargs, get=None, post=303, post_data=person, cohost_get=403, cohost_post=403
    ),
    "attendee_cancel": Route(
        kwargs=registration_kwargs("confirmed"), get=None, post=303, cohost_get=403, cohost_post=403
    ),
    "attendee_promote": Route(
        kwargs=registration_kwargs("waitlisted"),
        get=None,
        post=303,
        cohost_get=403,
        cohost_post=403,
    ),
    "registration_approve": Route(
        kwargs=registration_kwargs("pending"), get=None, post=303, cohost_get=403, cohost_post=403
    ),
    "registration_reject": Route(
        kwargs=registration_kwargs("pending"),
        get=200,
        post=303,
        post_data=lambda world: {"reason": "Full of regulars"},
        cohost_get=403,
        cohost_post=403,
    ),
    # Attendance reports (no file yet: the later steps send the member back to the upload).
    # They change registrations: a read-only co-host may not.
    "attendance_upload": Route(
        kwargs=event_kwargs, get=200, post=400, cohost_get=403, cohost_post=403
    ),
    "attendance_preview": Route(
        kwargs=event_kwargs, get=302, post=None, cohost_get=403, cohost_post=403
    ),
    "attendance_import": Route(
        kwargs=event_kwargs, get=None, post=302, cohost_get=403, cohost_post=403
    ),
    "follow_ups": Route(
        kwargs=event_kwargs,
        get=200,
        post=302,
        post_data=follow_up_data,
        cohost_get=403,
        cohost_post=403,
    ),
    "checkin": Route(kwargs=event_kwargs, get=200, post=None, cohost_get=None, cohost_post=None),
    # The world's event is full: a walk-in is refused (409) rather than overbooked.
    "checkin_walk_in": Route(
        kwargs=event_kwargs, get=None, post=409, post_data=person, cohost_get=None, cohost_post=None
    ),
    "checkin_mark": Route(
        kwargs=registration_kwargs("confirmed"),
        get=None,
        post=303,
        cohost_get=None,
        cohost_post=None,
    ),
    "checkin_undo": Route(
        kwargs=registration_kwargs("confirmed"),
        get=None,
        post=303,
        cohost_get=None,
        cohost_post=None,
    ),
    # Messages, statistics, privacy.
    "messages": Route(
        kwargs=event_kwargs,
        get=200,
        post=200,
        post_data=message_data,
        cohost_get=403,
        cohost_post=403,
    ),
    "message_preview": Route(
        kwargs=event_kwargs,
        get=None,
        post=200,
        post_data=message_data,
        cohost_get=403,
        cohost_post=403,
    ),
    "message_send": Route(
        kwargs=event_kwargs,
        get=None,
        post=302,
        post_data=lambda world: {**message_data(world), "send_key": str(uuid.uuid4())},
        cohost_get=403,
        cohost_post=403,
    ),
    "message_detail": Route(
        kwargs=lambda world: {"event_id": world.event.pk, "message_id": world.message.pk},
        get=200,
        post=None,
        cohost_get=403,
        cohost_post=403,
    ),
    "failed_emails": Route(
        kwargs=event_kwargs, get=200, post=None, cohost_get=403, cohost_post=403
    ),
    "stats": Route(kwargs=event_kwargs, get=200, post=None, cohost_get=None, cohost_post=None),
    "registration_erase": Route(
        kwargs=registration_kwargs("confirmed"),
        get=200,
        post=302,
        post_data=lambda world: {"confirm": "on"},
        cohost_get=403,
        cohost_post=403,
        opens_to_editors=False,
    ),
    "registration_export": Route(
        kwargs=registration_kwargs("confirmed"),
        get=200,
        post=None,
        cohost_get=403,
        cohost_post=403,
        opens_to_editors=False,
    ),
    # Creating an organization needs a confirmed address, which the outsiders here lack.
    "organization_create": Route(
        kwargs=lambda world: {},
        get=200,
        post=302,
        post_data=lambda world: organization_data(slug="brand-new"),
        outsiders=403,
        cohost_get=403,
        cohost_post=403,
        opens_to_editors=False,
    ),
    # The organization: settings, members, invitations, audit log.
    "organization_settings": Route(
        kwargs=organization_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {
            **organization_data(slug=world.organization.slug),
            "attendee_privacy": "on",
        },
    ),
    "member_role": Route(
        kwargs=lambda world: {
            **organization_kwargs(world),
            "membership_id": world.organizer_membership.pk,
        },
        get=None,
        post=302,
        post_data=lambda world: {"role": "owner"},
    ),
    "members": Route(kwargs=organization_kwargs, get=200, post=None),
    "member_invite": Route(
        kwargs=organization_kwargs,
        get=None,
        post=302,
        post_data=lambda world: {"email": "someone.new@example.org", "role": "organizer"},
    ),
    "member_remove": Route(
        kwargs=lambda world: {
            **organization_kwargs(world),
            "membership_id": world.organizer_membership.pk,
        },
        get=None,
        post=302,
    ),
    "invitation_revoke": Route(
        kwargs=lambda world: {**organization_kwargs(world), "invitation_id": world.invitation.pk},
        get=None,
        post=302,
    ),
    # The link is the key; accepting needs the invited address, which nobody here has (403).
    "invitation_accept": Route(
        kwargs=lambda world: {"token": invitation_token(world.invitation)},
        get=200,
        post=403,
        outsiders=None,
        public_get=True,
        cohost_get=None,
        cohost_post=None,
    ),
    "audit_log": Route(kwargs=organization_kwargs, get=200, post=None),
    # Webhooks: members look, owners change (organizers' 403 in tests/workspace/test_webhooks.py).
    "webhook_endpoints": Route(
        kwargs=organization_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {
            "url": "http://127.0.0.1:9/hook",
            "event_types": "registration.created",
        },
    ),
    "webhook_endpoint": Route(kwargs=webhook_endpoint_kwargs, get=200, post=None),
    "webhook_endpoint_remove": Route(kwargs=webhook_endpoint_kwargs, get=None, post=302),
    "webhook_endpoint_enable": Route(kwargs=webhook_endpoint_kwargs, get=None, post=302),
    "webhook_endpoint_edit": Route(
        kwargs=webhook_endpoint_kwargs,
        get=200,
        post=302,
        post_data=lambda world: {
            "url": "http://127.0.0.1:9/moved",
            "event_types": "registration.created",
            "enabled": "on",
        },
    ),
    "webhook_endpoint_rotate_secret": Route(kwargs=webhook_endpoint_kwargs, get=None, post=302),
    "webhook_endpoint_test": Route(kwargs=webhook_endpoint_kwargs, get=None, post=302),
    "webhook_delivery": Route(kwargs=webhook_delivery_kwargs, get=200, post=None),
    "webhook_delivery_replay": Route(kwargs=webhook_delivery_kwargs, get=None, post=302),
    # API tokens: the page shows a new token in the answer to its POST (200, not a redirect).
    "api_tokens": Route(
        kwargs=organization_kwargs,
        get=200,
        post=200,
        post_data=lambda world: {"name": "CRM sync", "scope": "read"},
    ),
    "api_token_revoke": Route(kwargs=api_token_kwargs, get=None, post=302),
    # Attendee exports: a POST to a streamed format is sent back to its GET.
    "event_exports": Route(
        kwargs=event_kwargs, get=200, post=None, cohost_get=None, cohost_post=None
    ),
    "export": Route(
        kwargs=lambda world: {"event_id": world.event.pk, "format_name": "csv"},
        get=200,
        post=302,
        cohost_get=None,
        cohost_post=None,
    ),
    "export_job": Route(
        kwargs=finished_export_kwargs, get=200, post=None, cohost_get=None, cohost_post=None
    ),
    "export_job_status": Route(
        kwargs=finished_export_kwargs, get=200, post=None, cohost_get=None, cohost_post=None
    ),
    "export_job_download": Route(
        kwargs=finished_export_kwargs, get=200, post=None, cohost_get=None, cohost_post=None
    ),
}


def workspace_route_names(patterns: list[URLPattern | URLResolver]) -> set[str]:
    names: set[str] = set()
    for pattern in patterns:
        if isinstance(pattern, URLResolver):
            names |= workspace_route_names(pattern.url_patterns)
        elif pattern.name:
            names.add(pattern.name)
    return names


def test_every_workspace_route_has_a_row() -> None:
    routes = workspace_route_names(workspace_urls.urlpatterns)
    assert routes - set(MATRIX) == set(), "add a row to MATRIX for each new /manage/ route"
    assert set(MATRIX) - routes == set(), "MATRIX names a route that no longer exists"


def _signed_in(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def _call(client: Client, method: str, name: str, world: World) -> object:
    route = MATRIX[name]
    url = reverse(f"workspace:{name}", kwargs=route.kwargs(world))
    assert url.startswith("/manage/")
    if method == "get":
        return client.get(url)
    return client.post(url, route.post_data(world))


def _state(world: World) -> tuple[object, ...]:
    """What an outsider's request must never change."""
    return (
        list(
            Registration.objects.order_by("pk").values_list("pk", "status", "name", "checked_in_at")
        ),
        Event.objects.get(pk=world.event.pk).capacity,
        Event.objects.get(pk=world.event.pk).status,
        Event.objects.count(),
        Membership.objects.count(),
        OutboxEmail.objects.count(),
        Invitation.objects.filter(revoked_at__isnull=True).count(),
        list(WebhookEndpoint.objects.order_by("pk").values_list("pk", "url", "disabled_at")),
        WebhookDelivery.objects.count(),
        list(ApiToken.objects.order_by("pk").values_list("pk", "revoked_at")),
        list(Organization.objects.order_by("pk").values_list("pk", "name", "slug")),
        list(Membership.objects.order_by("pk").values_list("pk", "role")),
        list(CoHost.objects.order_by("pk").values_list("pk", "status", "can_edit")),
    )


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_each_visitor_gets_what_the_matrix_says(name: str, method: str) -> None:
    world = build_world()
    route = MATRIX[name]
    member_status = route.get if method == "get" else route.post
    secrets = [world.event.title, world.confirmed.email, world.pending.email]

    anonymous = _call(Client(), method, name, world)
    if method == "get" and route.public_get:
        assert anonymous.status_code == member_status, "anonymous"  # type: ignore[attr-defined]
    else:
        assert anonymous.status_code == 302, "anonymous"  # type: ignore[attr-defined]
        login = reverse(settings.LOGIN_URL)
        assert anonymous["Location"].startswith(f"{login}?next=")  # type: ignore[index]

    rival = MembershipFactory(user__email="rival@example.org").user
    EventFactory(organization=rival.memberships.get().organization, title="Rival event")
    outsiders = {"no membership": UserFactory(email="attendee@example.org"), "rival": rival}
    for who, user in outsiders.items():
        before = _state(world)
        response = _call(_signed_in(user), method, name, world)
        if member_status is None:
            expected = 405
        else:
            expected = member_status if route.outsiders is None else route.outsiders
        assert response.status_code == expected, who  # type: ignore[attr-defined]
        content = response.content.decode()  # type: ignore[attr-defined]
        assert not [secret for secret in secrets if secret in content], who
        assert _state(world) == before, who

    response = _call(_signed_in(world.member), method, name, world)
    assert response.status_code == (member_status or 405), "member"  # type: ignore[attr-defined]
    if member_status is not None:
        # Attendee data stays out of browser and shared caches, on every workspace route.
        cache_control = response["Cache-Control"]  # type: ignore[index]
        assert {"private", "no-store"} <= set(cache_control.replace(" ", "").split(",")), name


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_cohosts_member_gets_what_the_matrix_says(name: str, method: str) -> None:
    """A member of an organization co-hosting the event (read-only): its attendees, exports
    and check-in, 403 for the event's settings, 404 for anything else of the organization."""
    world = build_world()
    route = MATRIX[name]
    member_status = route.get if method == "get" else route.post
    cohost_status = route.cohost_get if method == "get" else route.cohost_post
    if member_status is None:
        expected = 405
    else:
        expected = member_status if cohost_status is None else cohost_status
    route.kwargs(world)  # what the URL names exists before the snapshot (a series' sessions)
    before = _state(world)
    response = _call(_signed_in(world.cohost_member), method, name, world)
    assert response.status_code == expected  # type: ignore[attr-defined]
    if expected in {403, 404, 405}:
        assert _state(world) == before


@pytest.mark.parametrize("method", ["get", "post"])
@pytest.mark.parametrize("name", sorted(MATRIX))
def test_a_cohosts_member_allowed_to_edit_gets_what_the_matrix_says(name: str, method: str) -> None:
    """The owner let the co-host edit: the event's settings, registrations and messages open
    up, the rest stays as for a read-only co-host (``opens_to_editors``)."""
    world = build_world()
    CoHost.objects.filter(pk=world.cohost.pk).update(can_edit=True)
    route = MATRIX[name]
    member_status = route.get if method == "get" else route.post
    cohost_status = route.cohost_get if method == "get" else route.cohost_post
    if member_status is None:
        expected = 405
    elif cohost_status is None or (cohost_status == 403 and route.opens_to_editors):
        expected = member_status
    else:
        expected = cohost_status
    route.kwargs(world)
    before = _state(world)
    response = _call(_signed_in(world.cohost_member), method, name, world)
    assert response.status_code == expected  # type: ignore[attr-defined]
    if expected in {403, 404, 405}:
        assert _state(world) == before
