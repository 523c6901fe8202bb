import re
import uuid

import pytest
from django.urls import reverse

from tests.factories import EventFactory, register
from tests.workspace.conftest import Workspace, client_for
from workspace.audit import audit_record
from workspace.models import AuditLogEntry
from workspace.services.messages import message_send
from workspace.services.organizations import organization_update

pytestmark = pytest.mark.django_db


def audit_url(query: str = "") -> str:
    return reverse("workspace:audit_log", kwargs={"slug": "shahrzad"}) + query


def test_the_audit_log_lists_the_organizations_entries_newest_first(
    workspace: Workspace,
) -> None:
    audit_record(actor=workspace.owner, action="event.created", organization=workspace.organization)
    audit_record(
        actor=workspace.organizer,
        action="message.sent",
        organization=workspace.organization,
        event=workspace.event,
        details={"subject": "سلام"},
    )
    audit_record(
        actor=workspace.other_member,
        action="secret.action",
        organization=workspace.other_organization,
    )
    response = client_for(workspace.organizer).get(audit_url())
    assert response.status_code == 200
    actions = [entry.action for entry in response.context["page"]]
    assert actions == ["message.sent", "event.created"]
    page = response.content.decode()
    assert "secret.action" not in page
    assert "سلام" in page


def test_the_audit_log_filters_by_event(workspace: Workspace) -> None:
    other_event = EventFactory(organization=workspace.organization)
    audit_record(
        actor=workspace.owner,
        action="one",
        organization=workspace.organization,
        event=workspace.event,
    )
    audit_record(
        actor=workspace.owner, action="two", organization=workspace.organization, event=other_event
    )
    response = client_for(workspace.owner).get(audit_url(f"?event={workspace.event.pk}"))
    assert [entry.action for entry in response.context["page"]] == ["one"]


@pytest.mark.parametrize("query", ["?event=abc", "?event=999999", "?event=OTHER"])
def test_an_unknown_or_foreign_event_filter_is_a_400_with_a_reason(
    workspace: Workspace, query: str
) -> None:
    query = query.replace("OTHER", str(workspace.other_event.pk))
    response = client_for(workspace.owner).get(audit_url(query))
    assert response.status_code == 400
    assert response.context["form"].errors["event"]


def test_the_audit_log_is_paginated_and_survives_bad_page_numbers(workspace: Workspace) -> None:
    for number in range(55):
        audit_record(
            actor=workspace.owner, action=f"action.{number}", organization=workspace.organization
        )
    client = client_for(workspace.owner)
    first = client.get(audit_url())
    assert len(first.context["page"]) == 50
    assert first.context["page"][0].action == "action.54"
    assert "Page 1 of 2" in first.content.decode()
    second = client.get(audit_url("?page=2"))
    assert len(second.context["page"]) == 5
    assert client.get(audit_url("?page=zzz")).status_code == 200
    assert client.get(audit_url("?page=999")).context["page"].number == 2


def visible_text(html: str) -> str:
    return re.sub(r"\s+", " ", re.sub(r"<[^>]+>", " ", html))


def test_organization_changes_are_labelled_by_the_organizations_fields(
    workspace: Workspace,
) -> None:
    organization_update(
        actor=workspace.owner,
        organization=workspace.organization,
        contact_email="hello@shahrzad.example",
        description="Books and readings",
        time_zone="Asia/Kabul",
    )

    page = visible_text(client_for(workspace.organizer).get(audit_url()).content.decode())

    # Organization's labels, not Event's ("description", "time zone") nor raw field names.
    assert "Changed: contact email, short description, default time zone" in page
    assert "contact_email" not in page and "time_zone" not in page


def test_entries_read_as_sentences_not_codes(workspace: Workspace) -> None:
    event = workspace.event
    ana = register(event, "ana@example.org", name="Ana")
    owner = client_for(workspace.owner)
    owner.post(f"/manage/events/{event.pk}/capacity/", {"capacity": "5"})
    message_send(
        event=event,
        sender=workspace.owner,
        subject="Doors open at six",
        body="See you",
        audience="confirmed",
        send_key=uuid.uuid4(),
    )
    owner.get(f"/manage/events/{event.pk}/export/csv-excel/")
    owner.post(f"/manage/events/{event.pk}/attendees/{ana.pk}/cancel/")
    # What the event form records for an edit (its view is tested in test_events.py).
    audit_record(
        actor=workspace.owner,
        action="event.updated",
        organization=workspace.organization,
        event=event,
        details={"fields": ["capacity", "starts_at"], "lists": ["questions"]},
    )

    page = visible_text(client_for(workspace.organizer).get(audit_url()).content.decode())

    for shown in (
        "Edited the event",
        "Changed: capacity, starts at, questions",
        "Cancelled a registration",
        "Registrant: Ana Was: Confirmed",
        "Exported the attendee list",
        "Format: CSV for Excel (UTF-8 with BOM, semicolons) Rows: 1",
        "Sent a message",
        "Subject: Doors open at six To: Confirmed registrants Recipients: 1",
        "Changed the capacity",
        "Capacity: unlimited → 5",
    ):
        assert shown in page
    for internal in ("event.updated", "message.sent", "['capacity'", "message_id", "fields"):
        assert internal not in page
    # The stored details stay as recorded.
    entry = AuditLogEntry.objects.get(action="event.updated")
    assert entry.details == {"fields": ["capacity", "starts_at"], "lists": ["questions"]}
