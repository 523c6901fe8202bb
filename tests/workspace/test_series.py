"""The workspace's series pages: per-session counts, "this and later", the series export."""

import csv
import io

import pytest
from django.test import Client

from events.models import Event
from series.models import Series
from series.services import series_generate, series_register
from tests.factories import MembershipFactory, register
from tests.series.helpers import series_form_data, weekly_series

pytestmark = pytest.mark.django_db


def _signed_in_member() -> tuple[Client, object]:
    membership = MembershipFactory()
    client = Client()
    client.force_login(membership.user)
    return client, membership.organization


def test_creating_a_series_publishes_its_first_sessions_and_notes_skipped_months() -> None:
    client, organization = _signed_in_member()
    data = series_form_data(
        frequency="monthly", monthly_by="day", month_day="31", starts_on="2030-01-01", count="6"
    )
    data["horizon_days"] = "366"

    response = client.post(
        f"/manage/organizations/{organization.pk}/series/new/", data, follow=True
    )  # type: ignore[attr-defined]

    page = response.content.decode()
    assert "Months without a day 31 are skipped" in page
    series = Series.objects.get()
    assert series.rrule == "FREQ=MONTHLY;BYMONTHDAY=31;COUNT=6"
    assert series.organization == organization


def test_the_overview_shows_counts_per_session_and_the_export_one_row_per_person_and_session() -> (
    None
):
    client, organization = _signed_in_member()
    series = weekly_series(organization=organization, capacity=1)
    series_generate(series=series)
    series_register(series=series, name="Ana", email="ana@example.org", time_zone="Asia/Tehran")
    first = Event.objects.filter(series_session__series=series).order_by("starts_at").first()
    assert first is not None
    register(first, "=cmd@example.org", name="=HYPERLINK()")

    page = client.get(f"/manage/series/{series.pk}/").content.decode()
    assert "1 person is registered for every session." in page
    assert "This and all later sessions" in page

    response = client.get(f"/manage/series/{series.pk}/attendees.csv")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][:4] == ["session_starts_at_utc", "session", "name", "email"]
    people = [(row[2], row[4], row[7]) for row in rows[1:]]
    assert people.count(("Ana", "confirmed", "yes")) == 3
    assert ("'=HYPERLINK()", "waitlisted", "no") in people
