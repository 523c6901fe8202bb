"""A token of a co-host organization reaches the co-hosted event as that organization's members
do in the workspace: listed and read, changed only where the workspace lets them."""

from dataclasses import dataclass
from typing import Any

import pytest
from django.urls import reverse

from events.models import CoHost, Event, Organization
from notifications.models import ReminderRule
from registrations.models import Registration
from tests.api.conftest import ApiClient, ApiWorld, assert_problem
from tests.factories import EventFactory, OrganizationFactory, QuestionFactory, register
from tests.workspace.conftest import client_for
from tests.workspace.test_permissions import MATRIX
from workspace.models import ApiToken, AuditLogEntry
from workspace.services.api_tokens import api_token_create

pytestmark = pytest.mark.django_db


@dataclass
class CoHosting:
    world: ApiWorld
    partner: Organization
    cohost: CoHost
    registration: Registration
    partner_client: ApiClient
    partner_reader: ApiClient

    @property
    def event(self) -> Event:
        return self.world.event


@pytest.fixture
def cohosting(api_world: ApiWorld) -> CoHosting:
    """The world's hybrid event co-hosted (read-only) by a partner with its own tokens."""
    partner = OrganizationFactory(name="Partner Press", slug="partner")
    cohost = CoHost.objects.create(
        event=api_world.event, organization=partner, status=CoHost.Status.ACCEPTED
    )
    write = api_token_create(
        organization=partner, name="Door app", scope=ApiToken.Scope.READ_WRITE, actor=None
    )
    read = api_token_create(
        organization=partner, name="Board", scope=ApiToken.Scope.READ, actor=None
    )
    return CoHosting(
        world=api_world,
        partner=partner,
        cohost=cohost,
        registration=register(api_world.event, "guest@example.org", name="Guest"),
        partner_client=ApiClient(write.secret),
        partner_reader=ApiClient(read.secret),
    )


def test_a_cohost_token_lists_and_reads_the_cohosted_event_and_its_registrations(
    cohosting: CoHosting,
) -> None:
    own = EventFactory(organization=cohosting.partner, title="Partner's own")
    EventFactory(organization=cohosting.world.organization, title="Not co-hosted")
    event_path = f"/events/{cohosting.event.pk}"

    listed = cohosting.partner_reader.get("/events").json()["items"]
    read = cohosting.partner_reader.get(event_path)
    registrations = cohosting.partner_reader.get(event_path + "/registrations")
    one = cohosting.partner_reader.get(f"{event_path}/registrations/{cohosting.registration.pk}")

    assert {(item["id"], item["organization"]) for item in listed} == {
        (own.pk, "partner"),
        (cohosting.event.pk, "shahrzad"),
    }
    assert read.status_code == 200
    assert read.json()["organization"] == "shahrzad"
    assert [item["email"] for item in registrations.json()["items"]] == ["guest@example.org"]
    assert one.json()["name"] == "Guest"
    for path in ("/questions", "/reminder-rules", "/stats"):
        assert cohosting.partner_reader.get(event_path + path).status_code == 200, path


def test_only_an_accepted_cohosting_opens_the_event_and_removing_it_closes_it_at_once(
    cohosting: CoHosting,
) -> None:
    event_path = f"/events/{cohosting.event.pk}"
    CoHost.objects.filter(pk=cohosting.cohost.pk).update(status=CoHost.Status.INVITED)
    assert_problem(cohosting.partner_reader.get(event_path), 404, "not_found")
    assert cohosting.partner_reader.get("/events").json()["items"] == []

    CoHost.objects.filter(pk=cohosting.cohost.pk).update(status=CoHost.Status.ACCEPTED)
    assert cohosting.partner_reader.get(event_path).status_code == 200

    cohosting.cohost.delete()
    assert_problem(cohosting.partner_reader.get(event_path), 404, "not_found")
    assert_problem(
        cohosting.partner_client.post(
            f"{event_path}/registrations/{cohosting.registration.pk}/check-in"
        ),
        404,
        "not_found",
    )


def _calls(cohosting: CoHosting) -> list[tuple[str, str, str, Any, str, str]]:
    """Each API operation on the co-hosted event, with the workspace route doing the same.

    (method, API path, body, workspace route, its method) — the mirror the test checks.
    """
    event_path = f"/events/{cohosting.event.pk}"
    registration_path = f"{event_path}/registrations/{cohosting.registration.pk}"
    question = QuestionFactory(event=cohosting.event, label="Why?")
    rule = ReminderRule.objects.create(event=cohosting.event, minutes_before=30)
    follow_up = {"minutes_after": 60, "subject": "Thanks", "message": "The recording: …"}
    return [
        ("get", event_path, None, "event_overview", "get"),
        ("patch", event_path, {"title": "Renamed"}, "event_edit", "post"),
        ("post", event_path + "/publish", None, "event_publish", "post"),
        ("get", event_path + "/registrations", None, "attendees", "get"),
        ("get", registration_path, None, "attendees", "get"),
        ("get", event_path + "/questions", None, "event_overview", "get"),
        ("get", event_path + "/reminder-rules", None, "event_overview", "get"),
        (
            "post",
            event_path + "/registrations",
            {"name": "Dara", "email": "dara@example.org", "time_zone": "UTC"},
            "attendee_add",
            "post",
        ),
        ("post", registration_path + "/check-in", None, "checkin_mark", "post"),
        ("post", registration_path + "/cancel", None, "attendee_cancel", "post"),
        ("get", event_path + "/stats", None, "stats", "get"),
        (
            "post",
            event_path + "/questions",
            {"label": "Where from?", "kind": "short_text"},
            "event_edit",
            "post",
        ),
        ("delete", f"{event_path}/questions/{question.pk}", None, "event_edit", "post"),
        (
            "post",
            event_path + "/reminder-rules",
            {"kind": "before_start", "minutes_before": 5},
            "event_edit",
            "post",
        ),
        ("delete", f"{event_path}/reminder-rules/{rule.pk}", None, "event_edit", "post"),
        ("get", event_path + "/follow-ups", None, "follow_ups", "get"),
        ("put", event_path + "/follow-ups/attended", follow_up, "follow_ups", "post"),
        ("delete", event_path + "/follow-ups/attended", None, "follow_ups", "post"),
        ("post", event_path + "/cancel", None, "event_cancel", "post"),
    ]


def test_a_read_only_cohost_token_may_do_exactly_what_its_members_may_in_the_workspace(
    cohosting: CoHosting,
) -> None:
    """tests/workspace/test_permissions.py's MATRIX says what a read-only co-host's member
    gets on each workspace route; the API answers the same operation with 403 exactly there."""
    allowed = []
    for method, path, body, route, route_method in _calls(cohosting):
        response = cohosting.partner_client.request(method, path, body)
        workspace = getattr(MATRIX[route], f"cohost_{route_method}")
        if workspace == 403:
            problem = assert_problem(response, 403, "forbidden")
            assert "co-host" in problem["detail"]
        else:
            assert workspace is None, route  # the same as the owner's members
            assert response.status_code < 400, (path, response.content)
            allowed.append((method, path.rsplit("/", 1)[-1]))

    assert allowed == [
        ("get", str(cohosting.event.pk)),
        ("get", "registrations"),
        ("get", str(cohosting.registration.pk)),
        ("get", "questions"),
        ("get", "reminder-rules"),
        ("post", "check-in"),
        ("get", "stats"),
    ]
    cohosting.event.refresh_from_db()
    assert cohosting.event.title == "Evening of readings"
    assert cohosting.event.status == Event.Status.PUBLISHED
    cohosting.registration.refresh_from_db()
    assert cohosting.registration.status == "confirmed"
    assert cohosting.registration.checked_in_at is not None


def test_a_cohost_allowed_to_edit_changes_the_event_but_not_its_fate_and_is_logged(
    cohosting: CoHosting,
) -> None:
    CoHost.objects.filter(pk=cohosting.cohost.pk).update(can_edit=True)

    refused = []
    for method, path, body, route, route_method in _calls(cohosting):
        response = cohosting.partner_client.request(method, path, body)
        workspace = MATRIX[route]
        if getattr(workspace, f"cohost_{route_method}") == 403 and not workspace.opens_to_editors:
            # The owner's decisions: refused to a co-host allowed to edit, as in the workspace.
            problem = assert_problem(response, 403, "forbidden")
            assert "co-host" in problem["detail"]
            refused.append((method, path.rsplit("/", 1)[-1]))
        else:
            assert response.status_code < 400, (path, response.content)

    assert refused == [("post", "publish"), ("post", "cancel")]
    cohosting.event.refresh_from_db()
    assert cohosting.event.title == "Renamed"
    assert cohosting.event.status == Event.Status.PUBLISHED
    entry = AuditLogEntry.objects.get(action="event.updated")
    assert entry.organization == cohosting.world.organization
    assert entry.details["api_token"]["name"] == "Door app"
    assert entry.details["api_token"]["organization"] == "Partner Press"
    page = client_for(cohosting.world.owner).get(
        reverse("workspace:audit_log", kwargs={"slug": cohosting.world.organization.slug})
    )
    assert "API token “Door app” of Partner Press" in page.content.decode()


def test_a_read_token_of_a_cohost_is_still_read_only(cohosting: CoHosting) -> None:
    CoHost.objects.filter(pk=cohosting.cohost.pk).update(can_edit=True)
    response = cohosting.partner_reader.patch(f"/events/{cohosting.event.pk}", {"title": "Renamed"})
    assert_problem(response, 403, "read_only_token")


def test_the_public_read_lists_an_organizations_cohosted_events(cohosting: CoHosting) -> None:
    items = ApiClient(None).get("/public/organizations/partner/events").json()["items"]

    assert [(item["slug"], item["organization"]) for item in items] == [
        (cohosting.event.slug, "shahrzad")
    ]
