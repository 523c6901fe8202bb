"""Export views: who may download what, streaming, and XLSX built in the background."""

import csv
import io
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
import time_machine
from django.contrib.staticfiles import finders
from django.http import StreamingHttpResponse
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from openpyxl import load_workbook

from accounts.models import User
from events.models import Event, Question
from registrations.exports import csv as csv_exports
from registrations.exports.rows import ExportFilters
from tests.factories import (
    EventFactory,
    MembershipFactory,
    QuestionFactory,
    RegistrationFactory,
    UserFactory,
)
from workspace.models import AuditLogEntry, ExportJob
from workspace.services.export_files import export_job_run, export_jobs_delete_expired
from workspace.services.exports import export_job_create
from workspace.tasks import build_export, delete_expired_exports

pytestmark = pytest.mark.django_db

FORMATS = ["csv", "csv-excel", "xlsx", "door-list"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings: object, tmp_path: Path) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]


@pytest.fixture
def event() -> Event:
    event = EventFactory(slug="tehran-book-club")
    RegistrationFactory(event=event, name="Ana Lima", email="ana@example.org")
    RegistrationFactory(event=event, name="مریم رضایی", email="maryam@example.org")
    RegistrationFactory(event=event, name="Bob", email="bob@example.org", status="waitlisted")
    return event


@pytest.fixture
def member(event: Event) -> User:
    user: User = MembershipFactory(organization=event.organization).user
    return user


@pytest.fixture
def celery_eager() -> Iterator[None]:
    """Tasks run inside .delay(), as with CELERY_TASK_ALWAYS_EAGER=1."""
    conf = build_export.app.conf
    previous = conf.task_always_eager
    conf.task_always_eager = True
    yield
    conf.task_always_eager = previous


def client_for(user: User) -> Client:
    client = Client()
    client.force_login(user)
    return client


def export_url(event: Event, format_name: str, query: str = "") -> str:
    url = reverse("workspace:export", kwargs={"event_id": event.pk, "format_name": format_name})
    return f"{url}?{query}" if query else url


def streamed_text(response: StreamingHttpResponse) -> str:
    return b"".join(response.streaming_content).decode("utf-8-sig")  # type: ignore[arg-type]


def make_job(event: Event, user: User, **fields: object) -> ExportJob:
    job: ExportJob = ExportJob.objects.create(event=event, created_by=user, format="xlsx", **fields)
    return job


def job_urls(job: ExportJob) -> list[str]:
    return [
        reverse(name, kwargs={"job_id": job.pk})
        for name in (
            "workspace:export_job",
            "workspace:export_job_status",
            "workspace:export_job_download",
        )
    ]


@pytest.mark.parametrize("format_name", FORMATS)
def test_anonymous_visitors_are_sent_to_sign_in(event: Event, format_name: str) -> None:
    response = Client().get(export_url(event, format_name))
    assert response.status_code == 302
    assert response["Location"].startswith(reverse("account_login"))


@pytest.mark.parametrize("format_name", FORMATS)
def test_attendees_and_other_organizations_get_404_and_no_data(
    event: Event, format_name: str
) -> None:
    attendee = UserFactory(email="ana@example.org")
    other_member = MembershipFactory().user
    EventFactory(organization=other_member.memberships.get().organization)
    for user in (attendee, other_member):
        for method in ("get", "post"):
            response = getattr(client_for(user), method)(export_url(event, format_name))
            assert response.status_code == 404
            assert b"Ana Lima" not in response.content
    assert not AuditLogEntry.objects.exists()


def test_export_jobs_are_404_for_everyone_outside_the_organization(
    event: Event, member: User
) -> None:
    job = make_job(event, member, status=ExportJob.Status.DONE, rows_done=3)
    other_member = MembershipFactory().user
    for url in job_urls(job):
        assert client_for(other_member).get(url).status_code == 404
        assert Client().get(url).status_code == 302


def test_unknown_formats_are_404(event: Event, member: User) -> None:
    assert client_for(member).get(export_url(event, "pdf")).status_code == 404


def test_csv_streams_as_an_attachment_and_is_audited(event: Event, member: User) -> None:
    response = client_for(member).get(export_url(event, "csv", "status=confirmed&sort=name"))
    assert response.status_code == 200
    assert isinstance(response, StreamingHttpResponse)
    today = timezone.now().strftime("%Y-%m-%d")
    assert response["Content-Disposition"] == (
        f'attachment; filename="tehran-book-club-attendees-{today}.csv"'
    )
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    assert "no-store" in response["Cache-Control"]
    rows = list(csv.reader(io.StringIO(streamed_text(response), newline="")))
    assert [row[0] for row in rows] == ["Name", "Ana Lima", "مریم رضایی"]
    entry = AuditLogEntry.objects.get()
    assert (entry.action, entry.actor, entry.event) == ("export.downloaded", member, event)
    assert entry.details == {"format": "csv", "rows": 2}


def test_csv_rows_are_read_while_streaming_not_before(event: Event, member: User) -> None:
    response = client_for(member).get(export_url(event, "csv"))
    assert isinstance(response.streaming_content, Iterator)
    RegistrationFactory(event=event, name="Late Comer", email="late@example.org")
    assert "Late Comer" in streamed_text(response)


def test_csv_comes_in_many_small_chunks(
    event: Event, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(csv_exports, "FLUSH_BYTES", 200)
    monkeypatch.setattr(csv_exports, "ROWS_PER_WRITE", 1)
    for number in range(20):
        RegistrationFactory(event=event, email=f"many{number}@example.org")
    response = client_for(member).get(export_url(event, "csv-excel"))
    chunks = list(response.streaming_content)
    assert len(chunks) > 5
    assert chunks[0].startswith("\ufeff".encode())
    assert b"".join(chunks).decode("utf-8-sig").count("\r\n") == 24


def test_small_xlsx_is_built_in_the_request(event: Event, member: User) -> None:
    response = client_for(member).get(export_url(event, "xlsx"))
    assert response.status_code == 200
    assert response["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "Name",
        "Ana Lima",
        "مریم رضایی",
        "Bob",
    ]
    assert AuditLogEntry.objects.get().details == {"format": "xlsx", "rows": 3}


def test_door_list_is_a_printable_page_not_a_download(event: Event, member: User) -> None:
    response = client_for(member).get(export_url(event, "door-list"))
    assert response.status_code == 200
    assert "Content-Disposition" not in response
    assert response["Content-Type"].startswith("text/html")
    html = response.content.decode()
    # Its print stylesheet is a static file: the Content-Security-Policy allows no inline style.
    assert '<link rel="stylesheet" href="/static/css/doorlist.css">' in html
    assert "<style" not in html
    stylesheet = finders.find("css/doorlist.css")
    assert stylesheet is not None and "@media print" in Path(stylesheet).read_text()
    assert "Ana Lima" in html and "مریم رضایی" in html and "Bob" not in html
    assert AuditLogEntry.objects.get().details == {"format": "door-list", "rows": 2}


def test_big_xlsx_is_prepared_in_the_background_from_start_to_download(
    event: Event,
    member: User,
    settings: object,
    django_capture_on_commit_callbacks: object,
    celery_eager: None,
) -> None:
    settings.EXPORT_XLSX_INLINE_MAX_ROWS = 2  # type: ignore[attr-defined]
    client = client_for(member)
    url = export_url(event, "xlsx", "q=example.org&sort=-name")

    offer = client.get(url)
    assert offer.status_code == 200
    assert "This list has 3 people" in offer.content.decode()
    assert not ExportJob.objects.exists()

    with django_capture_on_commit_callbacks(execute=True):  # type: ignore[operator]
        started = client.post(url)
    job = ExportJob.objects.get()
    assert started.status_code == 302 and started["Location"] == job.get_absolute_url()
    assert job.filters == {"q": "example.org", "status": "", "sort": "-name"}
    assert (job.status, job.rows_done, job.rows_total, job.created_by) == ("done", 3, 3, member)

    page = client.get(job.get_absolute_url()).content.decode()
    assert "Download the file" in page and 'http-equiv="refresh"' not in page
    status = client.get(reverse("workspace:export_job_status", kwargs={"job_id": job.pk})).json()
    assert status["status"] == "done" and status["percent"] == 100
    download = client.get(status["download_url"])
    assert download["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    assert [row[0] for row in sheet.iter_rows(values_only=True)] == [
        "Name",
        "مریم رضایی",
        "Bob",
        "Ana Lima",
    ]
    assert AuditLogEntry.objects.get().details == {"format": "xlsx", "rows": 3}


def test_unfinished_job_page_shows_progress_and_refreshes_without_javascript(
    event: Event, member: User
) -> None:
    job = make_job(event, member, status=ExportJob.Status.RUNNING, rows_done=1, rows_total=4)
    client = client_for(member)
    page = client.get(job.get_absolute_url()).content.decode()
    assert '<progress id="export-progress" max="100" value="25">' in page
    assert '<noscript><meta http-equiv="refresh"' in page
    assert "export-progress.js" in page
    status = client.get(reverse("workspace:export_job_status", kwargs={"job_id": job.pk})).json()
    assert status == {
        "status": "running",
        "status_label": "Being prepared",
        "rows_done": 1,
        "rows_total": 4,
        "percent": 25,
        "download_url": None,
    }
    download = reverse("workspace:export_job_download", kwargs={"job_id": job.pk})
    assert client.get(download).status_code == 404


def test_running_an_export_job_builds_the_file_once(event: Event, member: User) -> None:
    job = export_job_create(
        event=event, user=member, format_name="csv", filters=ExportFilters(status="confirmed")
    )
    assert (job.status, job.rows_total) == ("queued", 2)
    job = export_job_run(job_id=job.pk)
    assert job.status == "done" and job.finished_at is not None
    assert job.rows_done == 2
    with job.file.open("rb") as file:
        assert "مریم رضایی" in file.read().decode()
    first_file = job.file.name
    assert export_job_run(job_id=job.pk).file.name == first_file


def test_a_failing_export_job_is_marked_failed(
    event: Event, member: User, monkeypatch: pytest.MonkeyPatch
) -> None:
    job = make_job(event, member)

    def broken_write(*args: object) -> None:
        raise OSError("disk full")

    monkeypatch.setattr("registrations.exports.xlsx.XlsxExporter.write", broken_write)
    assert export_job_run(job_id=job.pk).status == "failed"
    page = client_for(member).get(job.get_absolute_url()).content.decode()
    assert "Preparing this file failed" in page


def test_old_export_files_are_deleted(event: Event, member: User) -> None:
    job = export_job_run(job_id=make_job(event, member).pk)
    path = Path(job.file.path)
    assert path.exists()
    assert export_jobs_delete_expired() == 0
    assert export_jobs_delete_expired(now=timezone.now() + timedelta(hours=25)) == 1
    assert not path.exists() and not ExportJob.objects.exists()


def test_celery_beat_deletes_expired_exports_every_hour(settings: object) -> None:
    entry = settings.CELERY_BEAT_SCHEDULE["delete-expired-exports"]  # type: ignore[attr-defined]
    assert entry == {"task": delete_expired_exports.name, "schedule": 3600.0}


def test_the_event_exports_page_offers_every_format_and_recent_files(
    event: Event, member: User
) -> None:
    job = make_job(event, member, status=ExportJob.Status.DONE, rows_total=3)
    exports_page = reverse("workspace:event_exports", kwargs={"event_id": event.pk})
    client = client_for(member)
    overview = client.get(reverse("workspace:attendees", kwargs={"event_id": event.pk}))
    assert exports_page in overview.content.decode()
    html = client.get(exports_page).content.decode()
    for format_name in FORMATS:
        assert f'href="{export_url(event, format_name)}"' in html
    assert job.get_absolute_url() in html and member.email in html
    assert client_for(MembershipFactory().user).get(exports_page).status_code == 404


@pytest.mark.parametrize("format_name", ["csv", "csv-excel", "xlsx", "door-list"])
def test_answers_export_as_text_after_their_question_changes_kind(
    member: User, format_name: str
) -> None:
    event = EventFactory(organization=member.memberships.get().organization)
    ticked = QuestionFactory(event=event, label="Newsletter?", kind=Question.Kind.CHECKBOX)
    typed = QuestionFactory(event=event, label="Diet", kind=Question.Kind.SHORT_TEXT)
    RegistrationFactory(
        event=event,
        name="Ana",
        answers={str(ticked.pk): True, str(typed.pk): "=cmd|' /C calc'!A0"},
    )
    RegistrationFactory(event=event, name="Bob", answers={str(ticked.pk): False})
    # The organizer edits the event: the checkbox becomes text, the text a checkbox.
    Question.objects.filter(pk=ticked.pk).update(kind=Question.Kind.SHORT_TEXT)
    Question.objects.filter(pk=typed.pk).update(kind=Question.Kind.CHECKBOX)

    response = client_for(member).get(export_url(event, format_name, "sort=name&status=all"))

    assert response.status_code == 200
    if format_name == "xlsx":
        sheet = load_workbook(io.BytesIO(response.content)).active
        assert sheet is not None
        rows = [list(row) for row in sheet.iter_rows(values_only=True)]
    elif format_name == "door-list":
        page = response.content.decode()
        assert "Newsletter?: yes" in page
        assert "Newsletter?: no" in page
        assert "Diet: =cmd|&#x27; /C calc&#x27;!A0" in page  # shown exactly, never a formula
        return
    else:
        delimiter = ";" if format_name == "csv-excel" else ","
        text = streamed_text(response)  # type: ignore[arg-type]
        rows = list(csv.reader(io.StringIO(text, newline=""), delimiter=delimiter))
    answers = {row[0]: row[6:8] for row in rows[1:]}
    assert answers["Ana"] == ["yes", "'=cmd|' /C calc'!A0"]
    assert answers["Bob"] == ["no", None if format_name == "xlsx" else ""]


def test_the_two_csv_flavours_download_under_different_names(event: Event, member: User) -> None:
    client = client_for(member)
    today = timezone.now().strftime("%Y-%m-%d")
    names = {
        format_name: client.get(export_url(event, format_name))["Content-Disposition"]
        for format_name in ("csv", "csv-excel", "xlsx")
    }
    assert names == {
        "csv": f'attachment; filename="tehran-book-club-attendees-{today}.csv"',
        "csv-excel": f'attachment; filename="tehran-book-club-attendees-{today}-excel.csv"',
        "xlsx": f'attachment; filename="tehran-book-club-attendees-{today}.xlsx"',
    }


def test_the_door_list_names_the_zone_of_its_printed_time(member: User) -> None:
    organization = member.memberships.get().organization
    event = EventFactory(organization=organization, time_zone="Asia/Tehran")
    printed = datetime(2026, 3, 8, 9, 29, tzinfo=UTC)  # 12:59 in Tehran
    with time_machine.travel(printed, tick=False):
        page = client_for(member).get(export_url(event, "door-list")).content.decode()
    assert "printed 8 Mar 2026 12:59 Tehran" in page


@pytest.mark.parametrize("format_name", FORMATS)
def test_a_search_with_a_null_character_is_ignored_as_on_the_attendee_list(
    event: Event, member: User, format_name: str
) -> None:
    """PostgreSQL cannot compare text with NUL in it: the search is dropped, not sent."""
    client = client_for(member)

    response = client.get(export_url(event, format_name, "status=all&q=Ana%00"))

    assert response.status_code == 200
    assert client.get(f"/manage/events/{event.pk}/attendees/?q=Ana%00").status_code == 200
    if format_name == "csv":
        assert {row["Name"] for row in csv.DictReader(io.StringIO(streamed_text(response)))} == {
            "Ana Lima",
            "مریم رضایی",
            "Bob",
        }
