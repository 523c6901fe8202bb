import re
from datetime import UTC, date, datetime

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils import translation

from registrations.models import Registration
from tests.factories import RegistrationFactory
from tests.workspace.conftest import Workspace, client_for
from workspace.charts import ChartPoint, bar_chart
from workspace.selectors.stats import DailyCount, event_registration_stats

pytestmark = pytest.mark.django_db


def registered_at(workspace: Workspace, moment: datetime, **fields: object) -> Registration:
    registration = RegistrationFactory(event=workspace.event, **fields)
    Registration.objects.filter(pk=registration.pk).update(created_at=moment)
    return registration


def test_days_are_counted_in_the_events_zone_with_empty_days_filled(
    workspace: Workspace,
) -> None:
    # The event is in Tehran (UTC+03:30): 20:00 UTC is still 1 March there, 21:00 UTC is 2 March.
    registered_at(workspace, datetime(2026, 3, 1, 20, 0, tzinfo=UTC))
    registered_at(workspace, datetime(2026, 3, 1, 21, 0, tzinfo=UTC))
    registered_at(workspace, datetime(2026, 3, 2, 10, 0, tzinfo=UTC))
    registered_at(
        workspace, datetime(2026, 3, 4, 10, 0, tzinfo=UTC), status=Registration.Status.CANCELLED
    )

    stats = event_registration_stats(workspace.event)

    assert stats.per_day == [
        DailyCount(day=date(2026, 3, 1), count=1),
        DailyCount(day=date(2026, 3, 2), count=2),
        DailyCount(day=date(2026, 3, 3), count=0),
        DailyCount(day=date(2026, 3, 4), count=1),
    ]


def test_counts_by_status_cover_every_status(workspace: Workspace) -> None:
    RegistrationFactory.create_batch(3, event=workspace.event)
    RegistrationFactory(event=workspace.event, status=Registration.Status.WAITLISTED)
    RegistrationFactory(event=workspace.other_event)
    stats = event_registration_stats(workspace.event)
    assert {item.status: item.count for item in stats.by_status} == {
        "pending": 0,
        "confirmed": 3,
        "waitlisted": 1,
        "cancelled": 0,
    }
    assert stats.total == 4


def test_top_time_zones_are_the_ten_most_common_among_active_registrants(
    workspace: Workspace,
) -> None:
    zones = [f"Etc/GMT+{n}" for n in range(1, 12)]  # eleven zones
    for count, zone in enumerate(zones, start=1):
        RegistrationFactory.create_batch(count, event=workspace.event, time_zone=zone)
    RegistrationFactory.create_batch(
        20, event=workspace.event, time_zone="Asia/Tehran", status=Registration.Status.CANCELLED
    )
    top = event_registration_stats(workspace.event).top_time_zones
    assert len(top) == 10
    assert top[0] == ("Etc/GMT+11", 11)
    assert top[-1] == ("Etc/GMT+2", 2)
    assert "Asia/Tehran" not in dict(top)


def test_the_chart_has_one_bar_per_day_and_scales_to_the_busiest(workspace: Workspace) -> None:
    chart = bar_chart(
        points=[ChartPoint("1 Mar", "Sun 1 Mar", 2), ChartPoint("2 Mar", "Mon 2 Mar", 4)],
        title="Registrations per day",
        description="6 registrations",
    )
    assert len(chart.bars) == 2
    assert float(chart.bars[1].height) == pytest.approx(2 * float(chart.bars[0].height))
    assert [label.text for label in chart.x_labels] == ["1 Mar", "2 Mar"]


def test_a_long_range_names_only_a_few_days_on_the_axis_first_and_last_included() -> None:
    points = [ChartPoint(f"d{n}", f"day {n}", n % 3) for n in range(60)]
    chart = bar_chart(points=points, title="t", description="d")
    labels = [label.text for label in chart.x_labels]
    assert len(chart.bars) == 60
    assert labels[0] == "d0" and labels[-1] == "d59"
    assert len(labels) == 5
    # On a phone only the first, middle and last stay.
    assert [label.text for label in chart.x_labels if not label.minor] == ["d0", "d30", "d59"]


def test_the_stats_page_draws_an_accessible_svg_bar_chart(workspace: Workspace) -> None:
    registered_at(workspace, datetime(2026, 3, 1, 8, 0, tzinfo=UTC), name="Ärne")
    registered_at(workspace, datetime(2026, 3, 3, 8, 0, tzinfo=UTC), time_zone="Asia/Tehran")
    registered_at(workspace, datetime(2026, 3, 3, 9, 0, tzinfo=UTC), time_zone="Asia/Tehran")

    response = client_for(workspace.organizer).get(
        reverse("workspace:stats", kwargs={"event_id": workspace.event.pk})
    )

    assert response.status_code == 200
    page = response.content.decode()
    svg = re.search(r"<svg.*?</svg>", page, re.DOTALL)
    assert svg is not None
    chart = svg.group(0)
    assert len(re.findall(r'<rect class="bar"', chart)) == 3  # 1, 2 and 3 March
    assert 'role="img"' in chart and 'aria-label="Registrations per day"' in chart
    assert "<title" in chart and "<desc" in chart
    assert "3 registrations from 1 March 2026 to 3 March 2026" in chart
    assert "The busiest day was 3 March 2026 with 2 registrations." in chart
    assert "<table" not in chart
    assert "<td>Asia/Tehran</td><td>2</td>" in page


def test_the_chart_coordinates_stay_ascii_in_farsi(workspace: Workspace) -> None:
    registered_at(workspace, datetime(2026, 3, 1, 8, 0, tzinfo=UTC))
    registered_at(workspace, datetime(2026, 3, 2, 8, 0, tzinfo=UTC))
    client = client_for(workspace.organizer)
    with translation.override("fa"):
        response = client.get(
            reverse("workspace:stats", kwargs={"event_id": workspace.event.pk}),
            headers={"accept-language": "fa"},
        )
    page = response.content.decode()
    assert 'lang="fa"' in page
    for match in re.finditer(r'<rect class="bar" x="([^"]*)" y="([^"]*)" width="([^"]*)"', page):
        for value in match.groups():
            assert re.fullmatch(r"[0-9.]+%?", value), value


def test_an_event_without_registrations_says_so(workspace: Workspace) -> None:
    response = client_for(workspace.organizer).get(
        reverse("workspace:stats", kwargs={"event_id": workspace.event.pk})
    )
    assert response.status_code == 200
    assert "No registrations yet." in response.content.decode()
    assert "<svg" not in response.content.decode()


def test_the_stats_page_costs_the_same_queries_for_many_registrations(
    workspace: Workspace,
) -> None:
    client = client_for(workspace.organizer)
    url = reverse("workspace:stats", kwargs={"event_id": workspace.event.pk})
    RegistrationFactory.create_batch(3, event=workspace.event)
    client.get(url)  # warm the session and the time-zone caches
    with CaptureQueriesContext(connection) as few:
        client.get(url)
    RegistrationFactory.create_batch(60, event=workspace.event, time_zone="Asia/Tokyo")
    with CaptureQueriesContext(connection) as many:
        client.get(url)
    assert len(many.captured_queries) == len(few.captured_queries)
    aggregates = [
        query for query in many.captured_queries if "registrations_registration" in query["sql"]
    ]
    assert len(aggregates) == 4  # per day, by status, top zones, attendance
