"""The attendees page and its actions: add, cancel, promote, approve, decline, capacity."""

import re
from datetime import datetime
from typing import Any

import pytest
from django.core import mail
from django.test import Client

from events.models import Event
from events.timezones import local_to_utc
from registrations.models import Registration
from tests.factories import EventFactory, QuestionFactory, register
from tests.workspace.conftest import Workspace, client_for
from workspace.models import AuditLogEntry
from workspace.services.privacy import registrant_erase

pytestmark = pytest.mark.django_db


def attendees_url(event: Event) -> str:
    return f"/manage/events/{event.pk}/attendees/"


def names_on_page(html: str) -> list[str]:
    return re.findall(r'<th scope="row"><bdi>(.*?)</bdi>', html)


def test_each_row_shows_the_person_their_zone_their_start_time_and_answers(
    organizer_client: Client, event: Event
) -> None:
    question = QuestionFactory(event=event, label="Dietary needs?")
    event.starts_at = local_to_utc(datetime(2030, 12, 10, 19, 0), "America/New_York")
    event.ends_at = local_to_utc(datetime(2030, 12, 10, 21, 0), "America/New_York")
    event.save()
    register(
        event,
        "shirin@example.org",
        name="شیرین احمدی",
        time_zone="Asia/Tehran",
        answers={str(question.pk): "Vegetarian"},
    )
    html = organizer_client.get(attendees_url(event)).content.decode()
    assert names_on_page(html) == ["شیرین احمدی"]
    assert "shirin@example.org" in html
    assert "Asia/Tehran" in html
    assert "event starts Wed 11 Dec, 03:30 their time" in html
    assert "Dietary needs?:</span> Vegetarian" in html


def test_waitlisted_people_show_their_place_in_line(organizer_client: Client, event: Event) -> None:
    for n in range(5):
        register(event, f"p{n}@example.org", name=f"Person {n}")
    html = organizer_client.get(attendees_url(event) + "?status=waitlisted").content.decode()
    assert names_on_page(html) == ["Person 3", "Person 4"]
    assert "#1 in line" in html and "#2 in line" in html


def test_search_finds_non_latin_names_and_emails(organizer_client: Client, event: Event) -> None:
    register(event, "mina@example.org", name="مینا رستمی")
    register(event, "li@example.org", name="Li Wei 李伟")
    register(event, "dan@example.org", name="Daniel")
    assert names_on_page(
        organizer_client.get(attendees_url(event), {"q": "رستمی"}).content.decode()
    ) == ["مینا رستمی"]
    assert names_on_page(
        organizer_client.get(attendees_url(event), {"q": "李"}).content.decode()
    ) == ["Li Wei 李伟"]
    assert names_on_page(
        organizer_client.get(attendees_url(event), {"q": "DAN@EXAMPLE"}).content.decode()
    ) == ["Daniel"]


def test_sorting_and_unknown_filters_never_fail(organizer_client: Client, event: Event) -> None:
    for name in ["Zahra", "Ana", "Mehdi"]:
        register(event, f"{name.lower()}@example.org", name=name)
    by_name = organizer_client.get(attendees_url(event), {"sort": "name"}).content.decode()
    assert names_on_page(by_name) == ["Ana", "Mehdi", "Zahra"]
    odd = organizer_client.get(
        attendees_url(event), {"sort": "password", "status": "nope", "page": "x", "q": "a" * 500}
    )
    assert odd.status_code == 200
    assert names_on_page(odd.content.decode()) == ["Zahra", "Ana", "Mehdi"]


def test_the_list_is_paginated_by_fifty(organizer_client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(capacity=None)
    event.refresh_from_db()
    for n in range(51):
        register(event, f"p{n:02}@example.org", name=f"Person {n:02}")
    first = organizer_client.get(attendees_url(event), {"sort": "name"}).content.decode()
    second = organizer_client.get(attendees_url(event), {"sort": "name", "page": "2"})
    assert len(names_on_page(first)) == 50
    assert "Page 1 of 2 (51 people)" in first
    assert "sort=name&amp;page=2" in first
    assert names_on_page(second.content.decode()) == ["Person 50"]


def test_export_links_carry_the_same_filters(organizer_client: Client, event: Event) -> None:
    html = organizer_client.get(
        attendees_url(event), {"q": "ana", "status": "confirmed", "sort": "-name"}
    ).content.decode()
    for export_format in ["csv", "csv-excel", "xlsx", "door-list"]:
        query = "q=ana&amp;status=confirmed&amp;sort=-name"
        assert f"/manage/events/{event.pk}/export/{export_format}/?{query}" in html


def person(**overrides: str) -> dict[str, str]:
    return {
        "name": "Dara Ahmadi",
        "email": "dara@example.org",
        "time_zone": "Europe/Berlin",
        "language": "fa",
        **overrides,
    }


def test_adding_a_person_by_hand_confirms_them_and_is_audited(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(f"/manage/events/{event.pk}/attendees/add/", person())
    assert response.status_code == 303
    added = Registration.objects.get(email="dara@example.org")
    assert (added.status, added.source, added.language) == ("confirmed", "organizer", "fa")
    entry = AuditLogEntry.objects.get(action="registration.added")
    assert entry.details == {"registration": added.pk, "status": "confirmed"}
    assert (
        "Dara Ahmadi is registered." in organizer_client.get(attendees_url(event)).content.decode()
    )


def test_a_person_added_to_a_full_event_is_waitlisted_and_told_so(
    organizer_client: Client, event: Event
) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/add/", person(), follow=True
    )
    assert "The event is full: Dara Ahmadi is on the waitlist." in response.content.decode()
    assert Registration.objects.get(email="dara@example.org").status == "waitlisted"


def test_adding_someone_twice_or_with_a_bad_email_shows_the_error_by_the_form(
    organizer_client: Client, event: Event
) -> None:
    register(event, "dara@example.org")
    twice = organizer_client.post(f"/manage/events/{event.pk}/attendees/add/", person())
    assert twice.status_code == 409
    assert "dara@example.org is already registered (Confirmed)." in twice.content.decode()
    bad = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/add/", person(email="not-an-email", name="A\x00B")
    )
    assert bad.status_code == 400
    assert set(bad.context["add_form"].errors) == {"email", "name"}
    assert Registration.objects.count() == 1


def test_cancelling_someone_gives_their_seat_to_the_first_in_line(
    organizer_client: Client, event: Event
) -> None:
    people = [register(event, f"p{n}@example.org") for n in range(4)]
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{people[0].pk}/cancel/",
        {"next": attendees_url(event) + "?status=confirmed"},
    )
    assert response.status_code == 303
    assert response["Location"] == attendees_url(event) + "?status=confirmed"
    assert Registration.objects.get(pk=people[0].pk).status == "cancelled"
    assert Registration.objects.get(pk=people[3].pk).status == "confirmed"
    assert AuditLogEntry.objects.filter(action="registration.cancelled").count() == 1


def test_redirects_never_leave_the_site(organizer_client: Client, event: Event) -> None:
    registration = register(event, "a@example.org")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{registration.pk}/cancel/",
        {"next": "https://evil.example.com/"},
    )
    assert response["Location"] == attendees_url(event)


def test_promoting_without_a_free_seat_says_how_to_make_one(
    organizer_client: Client, event: Event
) -> None:
    people = [register(event, f"p{n}@example.org") for n in range(4)]
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{people[3].pk}/promote/", follow=True
    )
    assert "No seat is free. Raise the capacity" in response.content.decode()
    assert Registration.objects.get(pk=people[3].pk).status == "waitlisted"
    assert not AuditLogEntry.objects.filter(action="registration.promoted").exists()


def test_raising_capacity_promotes_the_waitlist_in_order(
    organizer_client: Client, event: Event
) -> None:
    people = [register(event, f"p{n}@example.org") for n in range(6)]
    response = organizer_client.post(
        f"/manage/events/{event.pk}/capacity/", {"capacity": "5"}, follow=True
    )
    assert "Capacity is now 5; 2 promoted from the waitlist." in response.content.decode()
    statuses = [Registration.objects.get(pk=p.pk).status for p in people]
    assert statuses == ["confirmed"] * 5 + ["waitlisted"]
    entry = AuditLogEntry.objects.get(action="event.capacity_changed")
    assert entry.details == {"from": 3, "to": 5}


def test_capacity_below_the_confirmed_seats_is_refused(
    organizer_client: Client, event: Event
) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org")
    response = organizer_client.post(f"/manage/events/{event.pk}/capacity/", {"capacity": "2"})
    assert response.status_code == 400
    assert (
        "3 people are already confirmed" in response.context["capacity_form"].errors["capacity"][0]
    )
    assert Event.objects.get(pk=event.pk).capacity == 3


def approval_event(event: Event) -> Event:
    Event.objects.filter(pk=event.pk).update(approval_required=True)
    event.refresh_from_db()
    return event


def test_approving_confirms_and_is_audited(organizer_client: Client, event: Event) -> None:
    pending = register(approval_event(event), "a@example.org", name="Ana")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{pending.pk}/approve/", follow=True
    )
    assert "Ana is approved and confirmed." in response.content.decode()
    assert Registration.objects.get(pk=pending.pk).status == "confirmed"
    entry = AuditLogEntry.objects.get(action="registration.approved")
    assert entry.details == {"registration": pending.pk, "status": "confirmed"}


def test_approving_into_a_full_event_says_they_are_waitlisted(
    organizer_client: Client, event: Event
) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org")
    pending = register(approval_event(event), "late@example.org", name="Late")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{pending.pk}/approve/", follow=True
    )
    assert "the event is full: they are on the waitlist" in response.content.decode()


def test_declining_asks_for_a_reason_then_cancels(organizer_client: Client, event: Event) -> None:
    pending = register(approval_event(event), "a@example.org", name="Ana")
    page = organizer_client.get(f"/manage/events/{event.pk}/attendees/{pending.pk}/reject/")
    assert "Decline Ana's registration?" in page.content.decode()
    response = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{pending.pk}/reject/",
        {"reason": "This session is for members only."},
    )
    assert response.status_code == 303
    declined = Registration.objects.get(pk=pending.pk)
    assert (declined.status, declined.rejection_reason) == (
        "cancelled",
        "This session is for members only.",
    )
    assert AuditLogEntry.objects.filter(action="registration.rejected").count() == 1


def test_deciding_twice_is_a_message_not_an_error(organizer_client: Client, event: Event) -> None:
    pending = register(approval_event(event), "a@example.org")
    organizer_client.post(f"/manage/events/{event.pk}/attendees/{pending.pk}/approve/")
    again = organizer_client.post(
        f"/manage/events/{event.pk}/attendees/{pending.pk}/reject/", {"reason": ""}, follow=True
    )
    assert "Only registrations awaiting approval can be declined." in again.content.decode()
    assert Registration.objects.get(pk=pending.pk).status == "confirmed"


def test_a_registration_of_another_event_is_404_here(
    organizer_client: Client, event: Event
) -> None:
    other_event = EventFactory(organization=event.organization)
    elsewhere = register(other_event, "a@example.org")
    for action in ["cancel", "promote", "approve"]:
        response = organizer_client.post(
            f"/manage/events/{event.pk}/attendees/{elsewhere.pk}/{action}/"
        )
        assert response.status_code == 404
    assert (
        organizer_client.post(f"/manage/events/{event.pk}/attendees/999999/cancel/").status_code
        == 404
    )


@pytest.mark.parametrize("action", ["cancel", "promote", "approve"])
def test_actions_refuse_get(organizer_client: Client, event: Event, action: str) -> None:
    registration = register(event, "a@example.org")
    response = organizer_client.get(
        f"/manage/events/{event.pk}/attendees/{registration.pk}/{action}/"
    )
    assert response.status_code == 405
    assert Registration.objects.get(pk=registration.pk).status == "confirmed"


def test_the_declined_person_is_emailed_the_reason(
    organizer_client: Client, event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    pending = register(approval_event(event), "ana@example.org", name="Ana")
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        organizer_client.post(
            f"/manage/events/{event.pk}/attendees/{pending.pk}/reject/",
            {"reason": "This evening is for <members> only."},
        )
    (message,) = mail.outbox
    assert message.to == ["ana@example.org"]
    assert "could not accept your registration" in message.body
    assert "A note from the organizers:\nThis evening is for <members> only." in message.body
    html = message.alternatives[0][0]  # type: ignore[attr-defined]
    assert "This evening is for &lt;members&gt; only." in html


def test_each_row_links_to_the_persons_data_download_and_erase_page(
    workspace: Workspace,
) -> None:
    ana = register(workspace.event, "ana@example.org", name="Ana")
    erased = register(workspace.event, "gone@example.org", name="Gone")
    registrant_erase(registration=erased, actor=workspace.owner)
    data_url = f"/manage/events/{workspace.event.pk}/registrations/{ana.pk}/export.json"
    erase_url = f"/manage/events/{workspace.event.pk}/registrations/{ana.pk}/erase/"
    # The privacy views let every member in, owner or organizer, like the attendee list.
    for member in (workspace.owner, workspace.organizer):
        client = client_for(member)
        html = client.get(attendees_url(workspace.event)).content.decode()
        assert f'href="{data_url}"' in html
        assert f'href="{erase_url}"' in html
        assert client.get(data_url).status_code == 200
        assert client.get(erase_url).status_code == 200
    html = client_for(workspace.organizer).get(attendees_url(workspace.event)).content.decode()
    erased_row = html.split(f'id="registration-{erased.pk}"')[1].split("</tr>")[0]
    assert f"/registrations/{erased.pk}/export.json" in erased_row
    assert "/erase/" not in erased_row  # nothing left to erase
    for stranger in (workspace.other_member, workspace.non_member):
        response = client_for(stranger).get(attendees_url(workspace.event))
        assert response.status_code == 404
        assert data_url not in response.content.decode()
