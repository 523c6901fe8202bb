"""Wall-clock times, slugs, publishing and duplicating events."""

from datetime import UTC, datetime, time, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.utils import timezone

from events.models import Event
from events.services import event_duplicate, event_publish, event_save, unique_event_slug
from events.timezones import (
    LocalTimeOutOfRange,
    NonexistentLocalTime,
    local_to_utc,
    utc_to_local,
)
from tests.factories import CoSponsorFactory, EventFactory, QuestionFactory, SpeakerFactory


def test_a_wall_clock_time_is_read_in_the_given_zone() -> None:
    moment = local_to_utc(datetime(2030, 1, 9, 22, 0), "Asia/Tehran")
    assert moment == datetime(2030, 1, 9, 18, 30, tzinfo=UTC)
    assert utc_to_local(moment, "Asia/Tehran") == datetime(2030, 1, 9, 22, 0)


def test_a_time_skipped_by_the_spring_jump_is_refused_with_the_first_valid_time() -> None:
    with pytest.raises(NonexistentLocalTime) as gap:
        local_to_utc(datetime(2026, 3, 29, 2, 30), "Europe/Berlin")
    assert gap.value.first_valid == datetime(2026, 3, 29, 3, 30)


def test_a_skipped_time_moves_forward_when_not_strict() -> None:
    moment = local_to_utc(datetime(2026, 3, 8, 2, 30), "America/New_York", strict=False)
    assert utc_to_local(moment, "America/New_York") == datetime(2026, 3, 8, 3, 30)


def test_a_time_that_happens_twice_means_the_first_occurrence() -> None:
    # 01:30 on 1 Nov 2026 happens in EDT (-4) and again in EST (-5); we take EDT.
    moment = local_to_utc(datetime(2026, 11, 1, 1, 30), "America/New_York")
    assert moment == datetime(2026, 11, 1, 5, 30, tzinfo=UTC)


@pytest.mark.parametrize(
    ("wall_clock", "zone"),
    [(datetime(9999, 12, 31, 23, 0), "America/New_York"), (datetime(1, 1, 1), "Asia/Tehran")],
)
def test_a_time_with_no_utc_instant_in_range_is_a_domain_error(
    wall_clock: datetime, zone: str
) -> None:
    with pytest.raises(LocalTimeOutOfRange):
        local_to_utc(wall_clock, zone)


@pytest.mark.django_db
def test_slugs_come_from_the_title_and_stay_unique() -> None:
    assert unique_event_slug("Poetry Night!") == "poetry-night"
    EventFactory(slug="poetry-night")
    EventFactory(slug="poetry-night-2")
    assert unique_event_slug("Poetry Night!") == "poetry-night-3"


@pytest.mark.django_db
def test_a_title_without_latin_letters_uses_the_fallback() -> None:
    assert unique_event_slug("شب شعر", fallback="event-2030-03-05") == "event-2030-03-05"


@pytest.mark.django_db
def test_a_slug_is_never_a_reserved_address() -> None:
    assert unique_event_slug("Past") == "past-2"
    EventFactory(slug="past-2")
    assert unique_event_slug("past") == "past-3"


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("field", "value"),
    [("join_url", "http://meet.example.org/room"), ("capacity", 0), ("capacity", 1_000_001)],
)
def test_saving_an_event_refuses_what_its_forms_refuse(field: str, value: object) -> None:
    event = EventFactory.build(organization=EventFactory().organization, slug="new-one")
    setattr(event, field, value)
    with pytest.raises(ValidationError) as error:
        event_save(event=event)
    assert field in error.value.message_dict
    assert not Event.objects.filter(slug="new-one").exists()


@pytest.mark.django_db
def test_an_event_keeps_its_own_slug_when_edited() -> None:
    event = EventFactory(slug="poetry-night")
    assert unique_event_slug("Poetry night", exclude_id=event.pk) == "poetry-night"


@pytest.mark.django_db
def test_publishing_a_ready_draft_opens_it() -> None:
    event = EventFactory(status=Event.Status.DRAFT)
    event_publish(event=event)
    assert Event.objects.get(pk=event.pk).status == Event.Status.PUBLISHED


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("fields", "problem_field"),
    [
        ({"kind": Event.Kind.WEBINAR, "join_url": ""}, "join_url"),
        ({"kind": Event.Kind.IN_PERSON, "venue_name": ""}, "venue_name"),
        ({"kind": Event.Kind.HYBRID, "venue_name": "Hall", "join_url": ""}, "join_url"),
    ],
)
def test_publishing_needs_what_attendees_need(fields: dict[str, str], problem_field: str) -> None:
    event = EventFactory(status=Event.Status.DRAFT, **fields)
    with pytest.raises(ValidationError) as raised:
        event_publish(event=event)
    assert problem_field in raised.value.message_dict
    assert Event.objects.get(pk=event.pk).status == Event.Status.DRAFT


@pytest.mark.django_db
def test_an_ended_event_or_a_published_one_cannot_be_published() -> None:
    past = EventFactory(
        status=Event.Status.DRAFT,
        starts_at=timezone.now() - timedelta(days=2),
        ends_at=timezone.now() - timedelta(days=1),
    )
    with pytest.raises(ValidationError):
        event_publish(event=past)
    with pytest.raises(ValidationError):
        event_publish(event=EventFactory(status=Event.Status.PUBLISHED))


@pytest.mark.django_db
def test_a_duplicate_is_a_draft_with_every_list_copied_and_no_registrations() -> None:
    event = EventFactory(capacity=30, seats_taken=0, approval_required=True)
    SpeakerFactory(event=event, name="Shirin", position=0)
    SpeakerFactory(event=event, name="Daniel", position=1)
    CoSponsorFactory(event=event, name="Bookshop")
    QuestionFactory(event=event, label="Diet?", required=True)
    copy = event_duplicate(
        event=event, title="Next month", starts_at=event.starts_at + timedelta(days=30)
    )
    assert copy.pk != event.pk
    assert copy.status == Event.Status.DRAFT
    assert copy.slug == "next-month"
    assert (copy.capacity, copy.seats_taken, copy.approval_required) == (30, 0, True)
    assert list(copy.speakers.values_list("name", flat=True)) == ["Shirin", "Daniel"]
    assert list(copy.cosponsors.values_list("name", flat=True)) == ["Bookshop"]
    assert list(copy.questions.values_list("label", "required")) == [("Diet?", True)]
    assert not copy.registrations.exists()
    assert event.speakers.count() == 2


@pytest.mark.django_db
def test_a_duplicate_keeps_wall_clock_times_across_a_dst_change() -> None:
    zone = "America/New_York"
    event = EventFactory(
        time_zone=zone,
        starts_at=local_to_utc(datetime(2026, 10, 15, 19, 0), zone),  # EDT
        ends_at=local_to_utc(datetime(2026, 10, 15, 21, 0), zone),
        registration_closes_at=local_to_utc(datetime(2026, 10, 15, 12, 0), zone),
    )
    new_start = local_to_utc(datetime(2026, 11, 15, 19, 0), zone)  # EST
    copy = event_duplicate(event=event, title=event.title, starts_at=new_start)
    assert utc_to_local(copy.ends_at, zone) == datetime(2026, 11, 15, 21, 0)
    assert copy.registration_closes_at is not None
    assert utc_to_local(copy.registration_closes_at, zone) == datetime(2026, 11, 15, 12, 0)
    assert copy.ends_at - copy.starts_at == timedelta(hours=2)
    assert copy.starts_at.astimezone(UTC).time() == time(0, 0)  # 19:00 EST is midnight UTC
