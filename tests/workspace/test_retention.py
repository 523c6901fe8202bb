"""Attendee data erased once an event's retention window has passed (docs/privacy.md)."""

from datetime import timedelta

import pytest
from django.core.management import call_command
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Organization
from notifications.models import OutboxEmail
from registrations.models import Registration
from tests.factories import (
    EventFactory,
    MembershipFactory,
    OrganizationFactory,
    OutboxEmailFactory,
    QuestionFactory,
    RegistrationFactory,
)
from tests.registrations.test_concurrency import run_together
from workspace import tasks
from workspace.models import AuditLogEntry
from workspace.services import retention
from workspace.services.retention import retention_erase_due

pytestmark = pytest.mark.django_db

RETENTION = "registrations.retention_erased"


def ended(organization: Organization, days_ago: float) -> Event:
    ends_at = timezone.now() - timedelta(days=days_ago)
    return EventFactory(
        organization=organization, starts_at=ends_at - timedelta(hours=1), ends_at=ends_at
    )


def test_registrations_past_the_window_are_erased_and_the_rest_kept() -> None:
    organization = OrganizationFactory(retention_days=90)
    old = ended(organization, days_ago=91)
    recent = ended(organization, days_ago=89)
    question = QuestionFactory(event=old)
    erased_ones = [
        RegistrationFactory(
            event=old, name="Maryam", time_zone="Asia/Tehran", answers={str(question.pk): "yes"}
        ),
        RegistrationFactory(event=old, status=Registration.Status.WAITLISTED, confirmed_at=None),
    ]
    kept = RegistrationFactory(event=recent, name="Parisa")
    counts_before = Registration.objects.filter(event=old).values("status").order_by("status")

    result = retention_erase_due()

    assert (result.events, result.registrations) == (1, 2)
    for registration in erased_ones:
        registration.refresh_from_db()
        assert registration.is_erased
        assert registration.name == "Erased registrant"
        assert registration.email.endswith("@erased.invalid")
        assert (registration.time_zone, registration.answers) == ("UTC", {})
    kept.refresh_from_db()
    assert (kept.name, kept.erased_at) == ("Parisa", None)
    assert list(counts_before) == list(
        Registration.objects.filter(event=old).values("status").order_by("status")
    )


def test_each_organization_keeps_data_for_its_own_window() -> None:
    short = ended(OrganizationFactory(retention_days=0), days_ago=0.01)
    long = ended(OrganizationFactory(retention_days=365), days_ago=200)
    short_registration = RegistrationFactory(event=short)
    long_registration = RegistrationFactory(event=long)

    retention_erase_due()

    short_registration.refresh_from_db()
    long_registration.refresh_from_db()
    assert short_registration.is_erased
    assert not long_registration.is_erased


def test_their_outbox_bodies_and_addresses_are_erased_too() -> None:
    event = ended(OrganizationFactory(), days_ago=100)
    registration = RegistrationFactory(event=event, email="maryam@example.ir")
    email = OutboxEmailFactory(
        registration=registration,
        status=OutboxEmail.Status.SENT,
        subject="Your seat, Maryam",
        text_body="Hello Maryam",
        html_body="<p>Hello Maryam</p>",
        context={"name": "Maryam"},
    )

    retention_erase_due()

    email.refresh_from_db()
    assert email.recipient.endswith("@erased.invalid")
    assert (email.subject, email.text_body, email.html_body, email.context) == ("", "", "", {})


def test_the_audit_log_says_how_many_were_erased_and_a_second_run_changes_nothing() -> None:
    event = ended(OrganizationFactory(retention_days=30), days_ago=31)
    RegistrationFactory.create_batch(3, event=event)

    retention_erase_due()
    second = retention_erase_due()

    entry = AuditLogEntry.objects.get(action=RETENTION)
    assert entry.event == event
    assert entry.actor is None
    assert entry.details == {"registrations": 3, "retention_days": 30}
    assert (second.events, second.registrations) == (0, 0)


def test_the_beat_task_runs_the_erase() -> None:
    RegistrationFactory(event=ended(OrganizationFactory(), days_ago=100))

    assert tasks.erase_registrations_past_retention() == 1


def test_the_events_page_says_when_attendee_data_will_be_erased(client: Client) -> None:
    organization = OrganizationFactory(retention_days=90)
    event = EventFactory(organization=organization, time_zone="UTC")
    client.force_login(MembershipFactory(organization=organization).user)

    page = client.get(reverse("workspace:event_overview", kwargs={"event_id": event.pk}))

    erase_day = (event.ends_at + timedelta(days=90)).strftime("%-d %b %Y")
    assert f"will be erased on {erase_day}, 90 days after the event ends" in page.content.decode()


def test_the_demo_campaign_asks_for_consent_and_states_its_policy() -> None:
    call_command("seed_demo", stdout=open("/dev/null", "w"))  # noqa: SIM115

    organization = Organization.objects.get(slug="voices-for-change")
    assert organization.consent_required
    assert set(organization.privacy_statements.values_list("language", flat=True)) == {"en", "fa"}


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_runs_erase_each_registration_once_and_count_it_once() -> None:
    event = ended(OrganizationFactory(), days_ago=100)
    RegistrationFactory.create_batch(40, event=event)

    outcome = run_together([retention_erase_due for _ in range(4)])

    assert not outcome.errors
    assert sum(result.registrations for result in outcome.results) == 40
    counted = sum(entry.details["registrations"] for entry in AuditLogEntry.objects.all())
    assert counted == 40
    assert not Registration.objects.filter(erased_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_concurrent_runs_count_registrations_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The test above can fail: read the rows without locking and the runs double-count."""

    def read_without_lock(event: Event) -> list[Registration]:
        return list(Registration.objects.filter(event=event, erased_at__isnull=True))

    monkeypatch.setattr(retention, "_unerased_registrations_locked", read_without_lock)
    event = ended(OrganizationFactory(), days_ago=100)
    RegistrationFactory.create_batch(40, event=event)

    outcome = run_together([retention_erase_due for _ in range(4)])

    assert not outcome.errors
    assert sum(result.registrations for result in outcome.results) > 40
