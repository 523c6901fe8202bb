"""The background export through a real Celery worker on Redis, against PostgreSQL."""

import io
import time
from pathlib import Path

import pytest
from celery.contrib.testing.worker import start_worker
from django.test import Client
from django.urls import reverse
from openpyxl import load_workbook

from config.celery import app
from tests.factories import EventFactory, MembershipFactory, RegistrationFactory
from workspace.models import ExportJob

pytestmark = [pytest.mark.postgres, pytest.mark.redis]


@pytest.mark.django_db(transaction=True)
def test_a_real_worker_builds_the_big_xlsx_while_the_page_shows_progress(
    settings: object, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path  # type: ignore[attr-defined]
    settings.EXPORT_XLSX_INLINE_MAX_ROWS = 1  # type: ignore[attr-defined]
    event = EventFactory()
    for number in range(3):
        RegistrationFactory(event=event, name=f"مریم {number}", email=f"m{number}@example.org")
    client = Client()
    client.force_login(MembershipFactory(organization=event.organization).user)
    url = reverse("workspace:export", kwargs={"event_id": event.pk, "format_name": "xlsx"})
    app.control.purge()

    with start_worker(app, perform_ping_check=False, loglevel="WARNING"):
        job_page = client.post(url)
        job = ExportJob.objects.get()
        assert job_page["Location"] == job.get_absolute_url()
        status_url = reverse("workspace:export_job_status", kwargs={"job_id": job.pk})
        deadline = time.monotonic() + 30
        while (status := client.get(status_url).json())["status"] != "done":
            assert status["status"] in ("queued", "running")
            assert time.monotonic() < deadline, "the worker did not finish the export in 30 s"
            time.sleep(0.1)

    download = client.get(status["download_url"])
    sheet = load_workbook(io.BytesIO(b"".join(download.streaming_content))).active  # type: ignore[attr-defined]
    assert sheet is not None
    names = [row[0] for row in sheet.iter_rows(min_row=2, values_only=True)]
    assert names == ["مریم 0", "مریم 1", "مریم 2"]
