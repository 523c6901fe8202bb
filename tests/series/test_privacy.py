"""A series registration holds a person's data too: the per-person erase, the retention window
and the data download know about it (docs/series.md, "Privacy"; docs/privacy.md)."""

from datetime import UTC, date, datetime, timedelta

import pytest
import time_machine
from django.test import Client
from django.urls import reverse
from django.utils import timezone

from events.models import Event
from notifications.models import OutboxEmail
from registrations.models import Registration
from series.models import Series, SeriesQuestion, SeriesRegistration
from series.services import series_end, series_generate, series_register, series_registration_leave
from tests.factories import MembershipFactory, OrganizationFactory, UserFactory, register
from tests.registrations.test_concurrency import run_together
from tests.series.helpers import make_series
from workspace.models import AuditLogEntry
from workspace.selectors.privacy import registrant_personal_data
from workspace.services import retention
from workspace.services.privacy import registrant_erase
from workspace.services.retention import retention_erase_due

pytestmark = pytest.mark.django_db

NOW = datetime(2026, 12, 20, tzinfo=UTC)
AFTER_JANUARY = datetime(2027, 1, 20, tzinfo=UTC)


def sessions(series: object) -> list[Event]:
    return list(Event.objects.filter(series_session__series=series).order_by("starts_at"))


def _series_with_ana_and_cy() -> tuple[object, SeriesRegistration, SeriesQuestion]:
    """A monthly series (January to March made) that Ana and Cy registered for as a whole;
    Ana answered the series' question."""
    series = make_series(horizon_days=90)
    question = SeriesQuestion.objects.create(series=series, label="Your city?", kind="short_text")
    series_generate(series=series)
    ana = series_register(
        series=series,
        name="Ana Tehrani",
        email="Ana@Example.org",
        time_zone="Asia/Tehran",
        answers={str(question.pk): "Shiraz"},
    ).series_registration
    series_register(series=series, name="Cy", email="cy@example.org", time_zone="UTC")
    return series, ana, question


def test_erasing_a_series_registrant_erases_them_in_the_series_and_every_session() -> None:
    with time_machine.travel(NOW, tick=False):
        series, ana, _question = _series_with_ana_and_cy()
        register(sessions(series)[1], "bo@example.org", name="Bo")  # one session only
    organizer = UserFactory()
    january = Registration.objects.get(
        event=sessions(series)[0], email_normalized="ana@example.org"
    )

    with time_machine.travel(AFTER_JANUARY, tick=False):
        registrant_erase(registration=january, actor=organizer)

    ana.refresh_from_db()
    assert ana.is_erased
    assert ana.name == "Erased registrant"
    assert ana.email == ana.email_normalized == f"erased-series-{ana.pk}@erased.invalid"
    assert (ana.time_zone, ana.answers) == ("UTC", {})
    assert ana.status == SeriesRegistration.Status.LEFT
    theirs = Registration.objects.filter(event__series_session__series=series).exclude(
        email_normalized__in=["cy@example.org", "bo@example.org"]
    )
    assert all(registration.is_erased for registration in theirs)
    # January took place and stays counted; February and March are cancelled, freeing seats.
    assert [r.status for r in theirs.order_by("event__starts_at")] == [
        "confirmed",
        "cancelled",
        "cancelled",
    ]
    # The welcome email with the personal link keeps no address, no link, no name.
    welcome = OutboxEmail.objects.get(kind=OutboxEmail.Kind.SERIES, recipient=ana.email)
    assert (welcome.subject, welcome.text_body, welcome.html_body) == ("", "", "")
    assert not OutboxEmail.objects.filter(recipient__iexact="ana@example.org").exists()
    # The others are untouched.
    cy = SeriesRegistration.objects.get(email_normalized="cy@example.org")
    assert cy.is_active and not cy.is_erased
    assert Registration.objects.filter(email_normalized="bo@example.org", erased_at=None).exists()
    entry = AuditLogEntry.objects.get(action="series_registration.erased")
    assert entry.details["series_registration_id"] == ana.pk
    assert "ana" not in str(entry.details).lower()
    # A session generated later takes Cy and not the erased placeholder.
    with time_machine.travel(datetime(2027, 3, 1, tzinfo=UTC), tick=False):
        april = series_generate(series=series)[0]
    assert list(Registration.objects.filter(event=april).values_list("email", flat=True)) == [
        "cy@example.org"
    ]


@time_machine.travel(NOW, tick=False)
def test_erasing_someone_registered_for_one_session_only_leaves_the_series_alone() -> None:
    series, _ana, _question = _series_with_ana_and_cy()
    bo = register(sessions(series)[1], "bo@example.org", name="Bo")

    registrant_erase(registration=bo, actor=UserFactory())

    assert not SeriesRegistration.objects.filter(erased_at__isnull=False).exists()
    assert not AuditLogEntry.objects.filter(action="series_registration.erased").exists()
    assert Registration.objects.filter(erased_at__isnull=False).count() == 1


@time_machine.travel(NOW, tick=False)
def test_the_data_download_holds_the_series_registration_with_its_answers() -> None:
    series, ana, _question = _series_with_ana_and_cy()
    february = Registration.objects.get(
        event=sessions(series)[1], email_normalized="ana@example.org"
    )

    data = registrant_personal_data(february)

    (held,) = data["series_registrations"]
    assert held["id"] == ana.pk
    assert (held["name"], held["email"], held["time_zone"]) == (
        "Ana Tehrani",
        "Ana@Example.org",
        "Asia/Tehran",
    )
    assert held["series"]["title"] == "English audio room"
    assert held["answers"] == [{"question": "Your city?", "answer": "Shiraz"}]
    assert [email["kind"] for email in held["emails"]] == ["series"]
    # Someone who registered for a session alone has no series registration to show.
    bo = register(sessions(series)[1], "bo@example.org", name="Bo")
    assert registrant_personal_data(bo)["series_registrations"] == []


def test_retention_erases_series_registrations_once_the_series_is_over_and_the_window_passed() -> (
    None
):
    organization = OrganizationFactory(retention_days=30)
    series = make_series(
        organization=organization, horizon_days=366, rrule="FREQ=MONTHLY;BYDAY=+2SU;COUNT=3"
    )
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
        ana = series_register(
            series=series, name="Ana", email="ana@example.org", time_zone="UTC"
        ).series_registration
    # The last session is 14 March 2027; 30 days later is 13 April.
    with time_machine.travel(datetime(2027, 4, 10, tzinfo=UTC), tick=False):
        early = retention_erase_due()
    ana.refresh_from_db()
    assert early.series_registrations == 0 and not ana.is_erased
    assert early.registrations == 2  # January's and February's sessions are past the window

    with time_machine.travel(datetime(2027, 4, 20, tzinfo=UTC), tick=False):
        due = retention_erase_due()
        again = retention_erase_due()

    ana.refresh_from_db()
    assert due.series_registrations == 1 and ana.is_erased
    assert ana.status == SeriesRegistration.Status.ACTIVE  # counts stay as they were
    assert again.series_registrations == 0
    entry = AuditLogEntry.objects.get(action="series_registrations.retention_erased")
    assert entry.details == {
        "series_id": series.pk,
        "series_registrations": 1,
        "retention_days": 30,
    }


def test_retention_keeps_a_running_series_registrants_and_erases_those_who_left_long_ago() -> None:
    organization = OrganizationFactory(retention_days=30)
    series = make_series(organization=organization, horizon_days=90)
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
        staying = series_register(
            series=series, name="Ana", email="ana@example.org", time_zone="UTC"
        ).series_registration
        leaving = series_register(
            series=series, name="Bo", email="bo@example.org", time_zone="UTC"
        ).series_registration
    with time_machine.travel(AFTER_JANUARY, tick=False):
        series_registration_leave(series_registration=leaving)

    # 30 days after leaving (and after January's session, their last) is 19 February.
    with time_machine.travel(datetime(2027, 2, 15, tzinfo=UTC), tick=False):
        assert retention_erase_due().series_registrations == 0
    with time_machine.travel(datetime(2027, 2, 25, tzinfo=UTC), tick=False):
        assert retention_erase_due().series_registrations == 1

    leaving.refresh_from_db()
    staying.refresh_from_db()
    assert leaving.is_erased
    assert not staying.is_erased  # the series runs until December 2027


def test_an_ended_series_waits_for_its_last_session_that_took_place_not_the_cancelled_ones() -> (
    None
):
    organization = OrganizationFactory(retention_days=10)
    series = make_series(organization=organization, horizon_days=90)
    with time_machine.travel(NOW, tick=False):
        series_generate(series=series)
        ana = series_register(
            series=series, name="Ana", email="ana@example.org", time_zone="UTC"
        ).series_registration
    with time_machine.travel(AFTER_JANUARY, tick=False):
        series_end(series=series)  # February's and March's sessions are cancelled

    # Ended on 20 January: 10 days later, though the cancelled March session lies ahead.
    with time_machine.travel(datetime(2027, 2, 1, tzinfo=UTC), tick=False):
        assert retention_erase_due().series_registrations == 1
    ana.refresh_from_db()
    assert ana.is_erased
    assert sessions(series)[-1].starts_at.date() == date(2027, 3, 14)


@time_machine.travel(NOW, tick=False)
def test_the_erase_page_says_what_happens_to_the_series_registration(client: Client) -> None:
    series, _ana, _question = _series_with_ana_and_cy()
    client.force_login(MembershipFactory(organization=series.organization).user)  # type: ignore[attr-defined]
    february = Registration.objects.get(
        event=sessions(series)[1], email_normalized="ana@example.org"
    )
    url = reverse(
        "workspace:registration_erase",
        kwargs={"event_id": february.event_id, "registration_id": february.pk},
    )

    page = client.get(url).content.decode()
    assert "They are registered for every session of the series" in page
    assert "English audio room" in page

    response = client.post(url, {"confirm": "on"})
    assert response.status_code == 302
    assert SeriesRegistration.objects.get(pk=_ana.pk).is_erased


def _ended_series_with_members(count: int) -> None:
    series = make_series(organization=OrganizationFactory(retention_days=0))
    SeriesRegistration.objects.bulk_create(
        SeriesRegistration(
            series=series,
            name=f"Person {number}",
            email=f"p{number}@example.org",
            email_normalized=f"p{number}@example.org",
            time_zone="UTC",
        )
        for number in range(count)
    )
    series.status, series.ended_at = Series.Status.ENDED, timezone.now() - timedelta(days=1)
    series.save()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_concurrent_retention_runs_erase_each_series_registration_once_and_count_it_once() -> None:
    _ended_series_with_members(30)

    outcome = run_together([retention_erase_due for _ in range(4)])

    assert not outcome.errors
    assert sum(result.series_registrations for result in outcome.results) == 30
    entries = AuditLogEntry.objects.filter(action="series_registrations.retention_erased")
    assert sum(entry.details["series_registrations"] for entry in entries) == 30
    assert not SeriesRegistration.objects.filter(erased_at__isnull=True).exists()


@pytest.mark.postgres
@pytest.mark.django_db(transaction=True)
def test_without_the_lock_concurrent_retention_runs_count_series_registrations_twice(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """The test above can fail: read the rows without locking and the runs double-count."""
    monkeypatch.setattr(retention, "_series_registrations_locked", list)
    _ended_series_with_members(30)

    outcome = run_together([retention_erase_due for _ in range(4)])

    assert not outcome.errors
    assert sum(result.series_registrations for result in outcome.results) > 30
