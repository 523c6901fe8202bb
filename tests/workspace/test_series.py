"""The workspace's series pages: per-session counts, "this and later", the series export."""

import csv
import io
from zoneinfo import ZoneInfo

import pytest
from django.test import Client
from openpyxl import load_workbook

from events.models import Event
from series.models import Series, SeriesQuestion, SeriesReminderRule
from series.services import series_generate, series_register
from tests.factories import MembershipFactory, register
from tests.series.helpers import series_form_data, weekly_series
from workspace.models import AuditLogEntry

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

    response = client.get(f"/manage/series/{series.pk}/export/sessions/csv/")
    rows = list(csv.reader(io.StringIO(b"".join(response.streaming_content).decode())))  # type: ignore[attr-defined]
    assert rows[0][:4] == ["Session starts at (UTC)", "Session", "Name", "Email"]
    people = [(row[2], row[4], row[7]) for row in rows[1:]]
    assert people.count(("Ana", "confirmed", "yes")) == 3
    assert ("'=HYPERLINK()", "waitlisted", "no") in people


# --- the attendee list with a column per session ----------------------------------------------

ODD_NAMES = ['=HYPERLINK("http://x")', "+1-2", "@SUM(A1)", "-3", 'مریم, "رضایی"']


def _people_rows(client: Client, series: Series, format_name: str) -> list[list[object]]:
    response = client.get(f"/manage/series/{series.pk}/export/people/{format_name}/")
    assert response.status_code == 200
    assert response["Cache-Control"] == "private, no-store"
    if format_name == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content), read_only=True).active
        return [list(row) for row in sheet.iter_rows(values_only=True)]  # type: ignore[union-attr]
    body = b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[attr-defined]
    delimiter = ";" if format_name == "csv-excel" else ","
    return [list(row) for row in csv.reader(io.StringIO(body), delimiter=delimiter)]


@pytest.mark.parametrize("format_name", ["csv", "csv-excel", "xlsx"])
def test_the_people_list_has_a_row_per_person_and_a_column_per_session(format_name: str) -> None:
    client, organization = _signed_in_member()
    series = weekly_series(organization=organization, capacity=1)
    series_generate(series=series)
    first, second = Event.objects.filter(series_session__series=series).order_by("starts_at")[:2]
    series_register(series=series, name="Ana", email="ana@example.org", time_zone="Asia/Tehran")
    for name in ODD_NAMES:
        register(second, f"{len(name)}-{ord(name[0])}@example.org", name=name)

    rows = _people_rows(client, series, format_name)

    header, body = rows[0], rows[1:]
    sessions = Event.objects.filter(series_session__series=series).count()
    assert header[:5] == [
        "Name",
        "Email",
        "Registrant time zone",
        "Registered for every session",
        "Sessions with a seat",
    ]
    # XLSX adds the zone its times are in, as for an event's list.
    assert len(header) == 5 + sessions + (format_name == "xlsx")
    local_start = first.starts_at.astimezone(ZoneInfo(series.time_zone))
    assert header[5] == f"{local_start:%Y-%m-%d %H:%M}"
    by_name = {row[0]: row for row in body}
    assert len(body) == 1 + len(ODD_NAMES)
    ana = by_name["Ana"]
    assert ana[3] == "yes"
    assert int(ana[4]) == sessions  # type: ignore[arg-type]
    assert set(ana[5 : 5 + sessions]) == {"confirmed"}
    # Formula triggers are neutralized; the rest of each name is exactly as typed.
    for name in ODD_NAMES:
        shown = "'" + name if name[0] in "=+-@" else name
        row = by_name[shown]
        assert row[3] == "no"
        empty = None if format_name == "xlsx" else ""
        assert row[5:8] == [empty, "waitlisted", empty]


def test_an_unknown_layout_or_a_format_that_needs_an_event_is_not_found() -> None:
    client, organization = _signed_in_member()
    series = weekly_series(organization=organization)

    for layout, format_name in [("rows", "csv"), ("people", "door-list"), ("people", "pdf")]:
        url = f"/manage/series/{series.pk}/export/{layout}/{format_name}/"
        assert client.get(url).status_code == 404


# --- questions and reminders -------------------------------------------------------------------


def _lists_data(**fields: str) -> dict[str, str]:
    data = {
        "reminders-TOTAL_FORMS": "0",
        "reminders-INITIAL_FORMS": "0",
        "questions-TOTAL_FORMS": "0",
        "questions-INITIAL_FORMS": "0",
    }
    data.update(fields)
    return data


def test_the_lists_page_adds_a_question_to_every_session_ahead_and_audits_it() -> None:
    client, organization = _signed_in_member()
    series = weekly_series(organization=organization)
    series_generate(series=series)

    response = client.post(
        f"/manage/series/{series.pk}/lists/",
        _lists_data(
            **{
                "questions-TOTAL_FORMS": "1",
                "questions-0-label": "Which book are you reading?",
                "questions-0-kind": "short_text",
                "questions-0-choices": "",
            }
        ),
        follow=True,
    )

    assert "sessions ahead have the change" in response.content.decode()
    sessions = Event.objects.filter(series_session__series=series)
    assert {tuple(event.questions.values_list("label", flat=True)) for event in sessions} == {
        ("Which book are you reading?",)
    }
    entry = AuditLogEntry.objects.get(action="series.lists_changed")
    assert entry.details["lists"] == ["questions"]
    assert entry.details["sessions"] == sessions.count()


@pytest.mark.parametrize(
    ("fields", "message"),
    [
        (
            {
                "questions-TOTAL_FORMS": "2",
                "questions-0-label": "City?",
                "questions-0-kind": "short_text",
                "questions-1-label": "City?",
                "questions-1-kind": "long_text",
            },
            "Another question of this series asks this already.",
        ),
        (
            {
                "reminders-TOTAL_FORMS": "2",
                "reminders-0-kind": "before_start",
                "reminders-0-amount": "2",
                "reminders-0-unit": "hours",
                "reminders-1-kind": "before_start",
                "reminders-1-amount": "120",
                "reminders-1-unit": "minutes",
            },
            "This reminder is listed twice.",
        ),
        (
            {
                "reminders-TOTAL_FORMS": "1",
                "reminders-0-kind": "day_before_at",
                "reminders-0-amount": "",
                "reminders-0-unit": "hours",
                "reminders-0-local_time": "",
            },
            "Say at what time.",
        ),
        (
            {
                "questions-TOTAL_FORMS": "1",
                "questions-0-label": "Pick one",
                "questions-0-kind": "single_choice",
                "questions-0-choices": "only one",
            },
            "Give at least two options, one per line.",
        ),
    ],
)
def test_the_lists_page_refuses_bad_rows_next_to_them_and_saves_nothing(
    fields: dict[str, str], message: str
) -> None:
    client, organization = _signed_in_member()
    series = weekly_series(organization=organization)
    series_generate(series=series)
    rules_before = SeriesReminderRule.objects.count()

    response = client.post(f"/manage/series/{series.pk}/lists/", _lists_data(**fields))

    assert response.status_code == 400
    assert message in response.content.decode()
    assert not SeriesQuestion.objects.exists()
    assert SeriesReminderRule.objects.count() == rules_before
    assert not AuditLogEntry.objects.filter(action="series.lists_changed").exists()


def test_an_untouched_empty_row_is_not_a_reminder_to_add() -> None:
    client, organization = _signed_in_member()
    series = weekly_series(organization=organization)
    rules_before = SeriesReminderRule.objects.count()

    response = client.post(
        f"/manage/series/{series.pk}/lists/",
        _lists_data(
            **{
                "reminders-TOTAL_FORMS": "1",
                "reminders-0-kind": "before_start",
                "reminders-0-amount": "",
                "reminders-0-unit": "hours",
            }
        ),
    )

    assert response.status_code == 302
    assert SeriesReminderRule.objects.count() == rules_before


def test_a_new_series_made_in_the_workspace_has_the_default_reminders() -> None:
    client, organization = _signed_in_member()

    client.post(f"/manage/organizations/{organization.pk}/series/new/", series_form_data())

    series = Series.objects.get()
    assert sorted(series.reminder_rules.values_list("minutes_before", flat=True)) == [60, 1440]


def test_creating_a_series_leads_to_its_questions_and_reminders() -> None:
    client, organization = _signed_in_member()
    url = f"/manage/organizations/{organization.pk}/series/new/"
    form = " ".join(client.get(url).content.decode().split())
    assert "you add questions and change reminders on the next page" in form

    response = client.post(url, series_form_data(), follow=True)  # type: ignore[attr-defined]

    series = Series.objects.get()
    lists_url = f"/manage/series/{series.pk}/lists/"
    assert response.redirect_chain == [(lists_url, 302)]
    page = " ".join(response.content.decode().split())
    assert "Series created; its first sessions are published." in page
    assert (
        "The default reminders are added: change them here, and add the questions to ask on"
        " the registration form." in page
    )
    # The page edits the defaults the message speaks of: both are in the reminders list.
    reminders = response.context["formsets"]["reminders"]
    assert sorted(form.instance.minutes_before for form in reminders.initial_forms) == [60, 1440]
