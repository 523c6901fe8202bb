"""Creating, editing, publishing, cancelling and duplicating events in the workspace."""

from datetime import UTC, datetime, time, timedelta
from typing import Any

import pytest
from django.test import Client

from events.models import Event, Organization
from events.timezones import local_to_utc, utc_to_local
from notifications.models import OutboxEmail, ReminderRule
from notifications.rendering import email_message_build
from registrations.models import Registration
from tests.factories import (
    EventFactory,
    QuestionFactory,
    ReminderRuleFactory,
    SpeakerFactory,
    register,
)
from tests.workspace.formdata import event_form_data, management
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def create_url(organization: Organization) -> str:
    return f"/manage/organizations/{organization.pk}/events/new/"


def test_the_new_event_form_suggests_the_usual_reminders(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.get(create_url(organization))
    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="reminders-TOTAL_FORMS" value="2"' in html
    assert 'name="starts_at"' in html and 'type="datetime-local"' in html


def test_times_are_entered_in_the_event_zone_and_stored_in_utc(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.post(
        create_url(organization),
        event_form_data(
            title="Poetry night",
            time_zone="Asia/Tehran",
            starts_at="2030-01-09T22:00",
            ends_at="2030-01-09T23:30",
            registration_closes_at="2030-01-09T12:00",
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get(title="Poetry night")
    assert response["Location"] == f"/manage/events/{event.pk}/"
    assert event.organization == organization
    assert event.status == Event.Status.DRAFT
    assert event.slug == "poetry-night"
    assert event.starts_at == datetime(2030, 1, 9, 18, 30, tzinfo=UTC)
    assert event.ends_at == datetime(2030, 1, 9, 20, 0, tzinfo=UTC)
    assert event.registration_closes_at == datetime(2030, 1, 9, 8, 30, tzinfo=UTC)
    assert AuditLogEntry.objects.filter(event=event, action="event.created").exists()


def test_suggested_reminders_are_saved_unless_removed(
    organizer_client: Client, organization: Organization
) -> None:
    data = event_form_data(title="With reminders")
    data.update(management("reminders", total=3))
    data.update(
        {
            "reminders-0-kind": "before_start",
            "reminders-0-amount": "1",
            "reminders-0-unit": "days",
            "reminders-0-suggested": "True",
            "reminders-1-kind": "before_start",
            "reminders-1-amount": "1",
            "reminders-1-unit": "hours",
            "reminders-1-suggested": "True",
            "reminders-1-DELETE": "on",
            "reminders-2-kind": "day_before_at",
            "reminders-2-local_time": "09:00",
            "reminders-2-unit": "hours",
        }
    )
    response = organizer_client.post(create_url(organization), data)
    assert response.status_code == 302, response.content.decode()
    rules = ReminderRule.objects.filter(event__title="With reminders").order_by("id")
    assert [(rule.kind, rule.minutes_before, rule.local_time) for rule in rules] == [
        ("before_start", 1440, None),
        ("day_before_at", None, time(9, 0)),
    ]


def test_a_farsi_title_gets_a_dated_slug(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.post(
        create_url(organization), event_form_data(title="شب شعر", starts_at="2030-03-05T19:00")
    )
    assert response.status_code == 302
    assert Event.objects.get(title="شب شعر").slug == "event-2030-03-05"


def test_a_time_skipped_by_daylight_saving_is_an_error_next_to_the_field(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.post(
        create_url(organization),
        event_form_data(
            time_zone="Europe/Berlin", starts_at="2030-03-31T02:30", ends_at="2030-03-31T04:00"
        ),
    )
    assert response.status_code == 400
    form = response.context["form"]
    assert "does not exist on 31 Mar 2030 in Berlin" in form.errors["starts_at"][0]
    assert "such as 03:30" in form.errors["starts_at"][0]
    assert not Event.objects.filter(title="Poetry night").exists()


def test_a_time_that_happens_twice_is_its_first_occurrence(
    organizer_client: Client, organization: Organization
) -> None:
    organizer_client.post(
        create_url(organization),
        event_form_data(
            time_zone="America/New_York", starts_at="2030-11-03T01:30", ends_at="2030-11-03T03:00"
        ),
    )
    event = Event.objects.get(title="Poetry night")
    assert event.starts_at == datetime(2030, 11, 3, 5, 30, tzinfo=UTC)  # EDT, UTC-4


@pytest.mark.parametrize(
    ("overrides", "field"),
    [
        ({"ends_at": "2030-03-05T18:00"}, "ends_at"),
        ({"starts_at": "tomorrow"}, "starts_at"),
        ({"time_zone": "Mars/Olympus"}, "time_zone"),
        ({"title": ""}, "title"),
        ({"title": "Poetry\nnight"}, "title"),
        ({"title": "Poetry \x1b[31mnight\x07"}, "title"),
        ({"title": "Poetry night \u202egnp.exe"}, "title"),
        ({"venue_name": "Corner\u2066 Bookstore"}, "venue_name"),
        ({"capacity": "-1"}, "capacity"),
        ({"kind": "party"}, "kind"),
        (
            {
                "registration_opens_at": "2030-03-02T10:00",
                "registration_closes_at": "2030-03-01T10:00",
            },
            "registration_closes_at",
        ),
        ({"registration_closes_at": "2030-03-06T10:00"}, "registration_closes_at"),
    ],
)
def test_bad_input_is_an_error_next_to_its_field(
    organizer_client: Client, organization: Organization, overrides: dict[str, str], field: str
) -> None:
    response = organizer_client.post(create_url(organization), event_form_data(**overrides))
    assert response.status_code == 400
    assert field in response.context["form"].errors
    assert not Event.objects.exists()


def test_editing_shows_times_in_the_event_zone(organizer_client: Client, event: Event) -> None:
    event.starts_at = local_to_utc(datetime(2030, 12, 10, 19, 0), "America/New_York")
    event.ends_at = local_to_utc(datetime(2030, 12, 10, 21, 0), "America/New_York")
    event.save()
    html = organizer_client.get(f"/manage/events/{event.pk}/edit/").content.decode()
    assert 'value="2030-12-10T19:00"' in html
    assert 'value="2030-12-10T21:00"' in html


def edit_data(event: Event, **overrides: str) -> dict[str, str]:
    fields = {
        "title": event.title,
        "kind": event.kind,
        "time_zone": event.time_zone,
        "venue_name": event.venue_name,
        "capacity": str(event.capacity),
    }
    return event_form_data(**{**fields, **overrides})


def test_saving_only_a_new_time_records_only_the_time(
    organizer_client: Client, event: Event, django_capture_on_commit_callbacks: Any
) -> None:
    """A browser sends a textarea's line breaks as CRLF; text stored with LF (by a script) or
    CRLF (by an earlier form) is unchanged all the same."""
    Event.objects.filter(pk=event.pk).update(
        description="Line one\n\nLine two",
        venue_address="120 Main Street\r\nBrooklyn",
        joining_instructions="Ring the bell\n",
    )
    event.refresh_from_db()
    register(event, "a@example.org")
    OutboxEmail.objects.all().delete()
    starts_at = utc_to_local(event.starts_at, event.time_zone) + timedelta(hours=1)
    ends_at = utc_to_local(event.ends_at, event.time_zone) + timedelta(hours=1)
    data = edit_data(
        event,
        description="Line one\r\n\r\nLine two",
        venue_address="120 Main Street\r\nBrooklyn",
        joining_instructions="Ring the bell",
        starts_at=f"{starts_at:%Y-%m-%dT%H:%M}",
        ends_at=f"{ends_at:%Y-%m-%dT%H:%M}",
    )

    with django_capture_on_commit_callbacks(execute=False):
        response = organizer_client.post(f"/manage/events/{event.pk}/edit/", data)

    assert response.status_code == 302
    entry = AuditLogEntry.objects.get(event=event, action="event.updated")
    assert entry.details["fields"] == ["starts_at", "ends_at"]
    # Registrants hear of the new time only, not of a "new" address.
    [update] = OutboxEmail.objects.filter(kind="event_updated")
    assert [change["field"] for change in update.context["changes"]] == ["starts_at", "ends_at"]


def test_capacity_below_the_confirmed_seats_is_a_field_error(
    organizer_client: Client, event: Event
) -> None:
    for n in range(3):
        register(event, f"p{n}@example.org")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/", edit_data(event, capacity="2")
    )
    assert response.status_code == 400
    assert "3 people are already confirmed" in response.context["form"].errors["capacity"][0]
    assert Event.objects.get(pk=event.pk).capacity == 3


def test_raising_capacity_in_the_edit_form_promotes_the_waitlist_in_order(
    organizer_client: Client, event: Event
) -> None:
    people = [register(event, f"p{n}@example.org") for n in range(6)]
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/", edit_data(event, capacity="5")
    )
    assert response.status_code == 302
    statuses = [Registration.objects.get(pk=person.pk).status for person in people]
    assert statuses == ["confirmed"] * 5 + ["waitlisted"]
    entry = AuditLogEntry.objects.get(event=event, action="event.updated")
    assert "capacity" in entry.details["fields"]


def test_inline_lists_are_added_to_and_removed_from_in_one_save(
    organizer_client: Client, event: Event
) -> None:
    speaker = SpeakerFactory(event=event, name="Old speaker")
    data = edit_data(event)
    data.update(management("speakers", total=2, initial=1))
    data.update(
        {
            "speakers-0-id": str(speaker.pk),
            "speakers-0-name": "Old speaker",
            "speakers-0-DELETE": "on",
            "speakers-1-name": "مینا رستمی",
            "speakers-1-bio": "Digital security trainer",
        }
    )
    data.update(management("questions", total=1))
    data.update(
        {
            "questions-0-label": "Which session?",
            "questions-0-kind": "single_choice",
            "questions-0-choices": "Morning\nEvening",
            "questions-0-required": "on",
        }
    )
    response = organizer_client.post(f"/manage/events/{event.pk}/edit/", data)
    assert response.status_code == 302, response.content.decode()
    assert list(event.speakers.values_list("name", flat=True)) == ["مینا رستمی"]
    assert event.questions.get().choice_list == ["Morning", "Evening"]


def test_an_invalid_inline_row_blocks_the_whole_save(
    organizer_client: Client, event: Event
) -> None:
    data = edit_data(event, title="Changed title")
    data.update(management("questions", total=1))
    data.update({"questions-0-label": "Pick one", "questions-0-kind": "single_choice"})
    response = organizer_client.post(f"/manage/events/{event.pk}/edit/", data)
    assert response.status_code == 400
    assert "choices" in response.context["formsets"]["questions"].forms[0].errors
    assert Event.objects.get(pk=event.pk).title == "Evening of readings"


def test_a_question_label_on_two_lines_is_refused_next_to_it(
    organizer_client: Client, event: Event
) -> None:
    data = edit_data(event)
    data.update(management("questions", total=1))
    data.update({"questions-0-label": "Your\r\nname?", "questions-0-kind": "short_text"})

    response = organizer_client.post(f"/manage/events/{event.pk}/edit/", data)

    assert response.status_code == 400
    errors = response.context["formsets"]["questions"].forms[0].errors
    assert errors["label"] == [
        "Please write this on one line, without invisible control characters."
    ]
    assert not event.questions.exists()


@pytest.mark.parametrize("field", ["description", "venue_address", "joining_instructions"])
def test_a_control_character_in_a_text_area_is_refused_next_to_it(
    organizer_client: Client, organization: Organization, field: str
) -> None:
    # A vertical tab is what a line break pasted from a word processor can bring; the
    # organization's Atom feed (XML) cannot carry it.
    data = event_form_data(title="Pasted", **{field: "First line\x0bsecond line"})

    response = organizer_client.post(create_url(organization), data)

    assert response.status_code == 400
    assert response.context["form"].errors[field] == ["Please remove invisible control characters."]
    assert not Event.objects.filter(title="Pasted").exists()


def test_the_duplicate_title_is_one_line_too(organizer_client: Client, event: Event) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/duplicate/",
        {"title": "Next\nmonth", "starts_at": "2030-04-05T19:00"},
    )

    assert response.status_code == 400
    assert "title" in response.context["form"].errors


def test_the_slug_is_fixed_once_published(organizer_client: Client, event: Event) -> None:
    original = event.slug
    organizer_client.post(f"/manage/events/{event.pk}/edit/", edit_data(event, slug="hijacked"))
    assert Event.objects.get(pk=event.pk).slug == original


def test_a_published_event_cannot_lose_what_attendees_need(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/", edit_data(event, venue_name="")
    )
    assert response.status_code == 400
    assert "venue_name" in response.context["form"].errors


def test_publishing_a_draft_opens_registration(organizer_client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(status=Event.Status.DRAFT)
    response = organizer_client.post(f"/manage/events/{event.pk}/publish/")
    assert response.status_code == 303
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    assert AuditLogEntry.objects.filter(event=event, action="event.published").exists()


def test_publishing_an_incomplete_draft_says_what_is_missing(
    organizer_client: Client, organization: Organization
) -> None:
    draft = EventFactory(
        organization=organization, status=Event.Status.DRAFT, kind=Event.Kind.WEBINAR, join_url=""
    )
    response = organizer_client.post(f"/manage/events/{draft.pk}/publish/", follow=True)
    assert "Online events need a join link." in response.content.decode()
    assert Event.objects.get(pk=draft.pk).status == Event.Status.DRAFT


def test_cancelling_asks_first_and_only_a_post_cancels(
    organizer_client: Client, event: Event
) -> None:
    register(event, "a@example.org")
    page = organizer_client.get(f"/manage/events/{event.pk}/cancel/")
    assert "1 person registered will be told" in page.content.decode()
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED
    response = organizer_client.post(f"/manage/events/{event.pk}/cancel/")
    assert response.status_code == 302
    assert Event.objects.get(pk=event.pk).is_cancelled
    assert AuditLogEntry.objects.filter(event=event, action="event.cancelled").count() == 1
    organizer_client.post(f"/manage/events/{event.pk}/cancel/")
    assert AuditLogEntry.objects.filter(event=event, action="event.cancelled").count() == 1


def test_the_cancellation_email_carries_the_organizers_message_escaped(
    organizer_client: Client, event: Event
) -> None:
    confirmed = register(event, "a@example.org")
    Event.objects.filter(pk=event.pk).update(capacity=1)
    waiting = register(event, "b@example.org")
    assert (
        'name="message"'
        in organizer_client.get(f"/manage/events/{event.pk}/cancel/").content.decode()
    )
    message = "The venue flooded <b>badly</b>.\r\nWe will write with a new date & time."

    organizer_client.post(f"/manage/events/{event.pk}/cancel/", {"message": message})

    for registration in (confirmed, waiting):
        email = OutboxEmail.objects.get(registration=registration, kind="event_cancelled")
        built = email_message_build(email)
        text = built.body
        html = next(content for content, kind in built.alternatives if kind == "text/html")
        assert "The venue flooded <b>badly</b>.\nWe will write with a new date & time." in text
        escaped = "The venue flooded &lt;b&gt;badly&lt;/b&gt;.<br>We will write with a new date"
        assert escaped + " &amp; time." in html
        assert "<b>badly" not in html
    entry = AuditLogEntry.objects.get(event=event, action="event.cancelled")
    assert entry.details["message"].startswith("The venue flooded")


def test_a_too_long_cancellation_message_is_a_field_error_and_nothing_is_cancelled(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(f"/manage/events/{event.pk}/cancel/", {"message": "x" * 2001})
    assert response.status_code == 400
    assert response.context["form"].errors["message"]
    assert not Event.objects.get(pk=event.pk).is_cancelled


def test_a_cancelled_event_cannot_be_edited(organizer_client: Client, event: Event) -> None:
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)
    response = organizer_client.get(f"/manage/events/{event.pk}/edit/", follow=True)
    assert "A cancelled event cannot be edited." in response.content.decode()


def test_duplicating_suggests_next_month_at_the_same_local_time(
    organizer_client: Client, event: Event
) -> None:
    event.starts_at = local_to_utc(datetime(2030, 1, 31, 19, 0), "America/New_York")
    event.ends_at = local_to_utc(datetime(2030, 1, 31, 21, 0), "America/New_York")
    event.save()
    html = organizer_client.get(f"/manage/events/{event.pk}/duplicate/").content.decode()
    assert 'value="2030-02-28T19:00"' in html


def test_duplicating_makes_a_draft_with_everything_and_opens_it_for_editing(
    organizer_client: Client, event: Event
) -> None:
    QuestionFactory(event=event, label="Diet?")
    ReminderRuleFactory(event=event, minutes_before=1440)
    ReminderRuleFactory(event=event, kind="day_before_at", minutes_before=None, local_time=time(9))
    register(event, "a@example.org")
    response = organizer_client.post(
        f"/manage/events/{event.pk}/duplicate/",
        {"title": "Evening of readings", "starts_at": "2031-01-15T19:00"},
    )
    copy = Event.objects.exclude(pk=event.pk).get()
    assert response.status_code == 302
    assert response["Location"] == f"/manage/events/{copy.pk}/edit/"
    assert copy.status == Event.Status.DRAFT
    assert copy.slug != event.slug
    assert copy.starts_at == local_to_utc(datetime(2031, 1, 15, 19, 0), "America/New_York")
    assert list(copy.questions.values_list("label", flat=True)) == ["Diet?"]
    assert sorted(copy.reminder_rules.values_list("kind", flat=True)) == [
        "before_start",
        "day_before_at",
    ]
    assert not copy.registrations.exists()
    entry = AuditLogEntry.objects.get(action="event.duplicated")
    assert (entry.event, entry.details) == (copy, {"from_event": event.pk})


def test_duplicating_into_a_daylight_saving_gap_is_refused(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/duplicate/",
        {"title": "Copy", "starts_at": "2031-03-09T02:30"},
    )
    assert response.status_code == 400
    assert "does not exist" in response.context["form"].errors["starts_at"][0]
    assert Event.objects.count() == 1


def test_nonexistent_events_are_404(organizer_client: Client) -> None:
    for path in [
        "/manage/events/999999/",
        "/manage/events/999999/edit/",
        "/manage/organizations/999999/events/new/",
    ]:
        assert organizer_client.get(path).status_code == 404


def test_garbage_posts_are_answered_with_errors_never_500(
    organizer_client: Client, organization: Organization, event: Event
) -> None:
    bare = {"title": "No lists", "kind": "webinar"}
    assert organizer_client.post(create_url(organization), bare).status_code == 400
    assert organizer_client.post(f"/manage/events/{event.pk}/edit/", {}).status_code == 400
    duplicate = organizer_client.post(f"/manage/events/{event.pk}/duplicate/", {"title": "x" * 300})
    assert duplicate.status_code == 400
    assert Event.objects.count() == 1


@pytest.mark.parametrize(
    ("time_zone", "starts_at", "ends_at"),
    [
        ("America/New_York", "9999-12-31T23:00", "9999-12-31T23:59"),
        ("Asia/Tehran", "0001-01-01T00:00", "0001-01-01T02:00"),
        ("UTC", "1899-12-31T23:00", "3000-01-01T01:00"),
    ],
)
def test_a_date_outside_the_accepted_years_is_an_error_next_to_the_field(
    organizer_client: Client,
    organization: Organization,
    time_zone: str,
    starts_at: str,
    ends_at: str,
) -> None:
    response = organizer_client.post(
        create_url(organization),
        event_form_data(
            time_zone=time_zone,
            starts_at=starts_at,
            ends_at=ends_at,
            registration_opens_at="9999-12-31T23:59",
        ),
    )
    assert response.status_code == 400
    errors = response.context["form"].errors
    for field in ("starts_at", "ends_at", "registration_opens_at"):
        assert errors[field] == ["Enter a date between the years 1900 and 2999."]
    assert not Event.objects.exists()


def test_the_first_and_last_accepted_years_are_saved(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.post(
        create_url(organization),
        event_form_data(
            time_zone="Pacific/Kiritimati", starts_at="1900-01-01T00:00", ends_at="2999-12-31T23:59"
        ),
    )
    assert response.status_code == 302
    event = Event.objects.get()
    assert event.starts_at == local_to_utc(datetime(1900, 1, 1), "Pacific/Kiritimati")
    assert event.ends_at == local_to_utc(datetime(2999, 12, 31, 23, 59), "Pacific/Kiritimati")


def test_duplicating_to_a_date_outside_the_accepted_years_is_refused(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/duplicate/",
        {"title": "Far future", "starts_at": "9999-12-31T23:00"},
    )
    assert response.status_code == 400
    assert response.context["form"].errors["starts_at"] == [
        "Enter a date between the years 1900 and 2999."
    ]
    assert Event.objects.count() == 1


@pytest.mark.parametrize("opens_at", ["2030-03-05T21:00", "2030-03-06T09:00"])
def test_registration_cannot_open_once_the_event_has_ended(
    organizer_client: Client, organization: Organization, opens_at: str
) -> None:
    response = organizer_client.post(
        create_url(organization), event_form_data(registration_opens_at=opens_at)
    )
    assert response.status_code == 400
    assert response.context["form"].errors["registration_opens_at"] == [
        "Registration must open before the event ends."
    ]
    assert not Event.objects.exists()


def test_a_slug_made_from_the_title_skips_reserved_addresses(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.post(create_url(organization), event_form_data(title="Past"))
    assert response.status_code == 302
    assert Event.objects.get(title="Past").slug == "past-2"


def test_a_dated_slug_uses_the_date_in_the_events_zone(
    organizer_client: Client, organization: Organization
) -> None:
    # 19:00 in New York on the 10th is already the 11th in UTC.
    response = organizer_client.post(
        create_url(organization),
        event_form_data(
            title="سلام دنیا",
            time_zone="America/New_York",
            starts_at="2027-01-10T19:00",
            ends_at="2027-01-10T21:00",
        ),
    )
    assert response.status_code == 302
    assert Event.objects.get(title="سلام دنیا").slug == "event-2027-01-10"


@pytest.mark.parametrize(
    "join_url", ["ftp://example.com/x", "http://example.com/x", "javascript:alert(1)"]
)
def test_the_join_link_must_be_https(
    organizer_client: Client, organization: Organization, join_url: str
) -> None:
    response = organizer_client.post(
        create_url(organization), event_form_data(kind="webinar", join_url=join_url)
    )
    assert response.status_code == 400
    assert "join_url" in response.context["form"].errors
    assert not Event.objects.exists()


def test_a_join_link_without_a_scheme_is_taken_as_https(
    organizer_client: Client, organization: Organization
) -> None:
    response = organizer_client.post(
        create_url(organization), event_form_data(kind="webinar", join_url="meet.example.org/x")
    )
    assert response.status_code == 302
    assert Event.objects.get().join_url == "https://meet.example.org/x"


@pytest.mark.parametrize("capacity", ["0", "1000001", "99999999999999999999"])
def test_capacity_is_empty_or_between_one_and_a_million(
    organizer_client: Client, organization: Organization, capacity: str
) -> None:
    response = organizer_client.post(create_url(organization), event_form_data(capacity=capacity))
    assert response.status_code == 400
    (message,) = response.context["form"].errors["capacity"]
    assert "9223372036854775807" not in message
    assert not Event.objects.exists()


@pytest.mark.parametrize(("capacity", "saved"), [("", None), ("1", 1), ("1000000", 1_000_000)])
def test_capacity_within_the_limits_is_saved(
    organizer_client: Client, organization: Organization, capacity: str, saved: int | None
) -> None:
    response = organizer_client.post(create_url(organization), event_form_data(capacity=capacity))
    assert response.status_code == 302
    assert Event.objects.get().capacity == saved
