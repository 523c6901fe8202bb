"""The file of an export job: built by a worker, named, deleted once expired.

The worker's side of ``workspace.services.exports``, below the task that runs it
(services.exports → tasks → services.export_files), so that no module of the app imports its
way back.
"""

import logging
import tempfile
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta

from django.conf import settings
from django.core.files import File
from django.db.models import Q
from django.utils import timezone

from events.models import Event
from registrations.exports import exporter_for
from registrations.exports.base import Exporter
from registrations.exports.rows import ExportFilters, Row, export_table
from workspace.models import ExportJob

logger = logging.getLogger(__name__)

# How often (in rows) a running job writes its progress: often enough for a smooth bar,
# rarely enough that the UPDATEs cost nothing next to the export itself.
PROGRESS_EVERY = 2000
# Longer than the build task's hard time limit (workspace.tasks.build_export).
STALE_AFTER = timedelta(hours=1)


def export_filename(*, event: Event, exporter: Exporter) -> str:
    """``<event-slug>-attendees-<YYYY-MM-DD><suffix>.<ext>``: ASCII letters, digits, - and _.

    The suffix tells formats with the same extension apart (``-excel`` for CSV for Excel).
    """
    date = f"{timezone.now():%Y-%m-%d}"
    return f"{event.slug}-attendees-{date}{exporter.file_suffix}.{exporter.file_extension}"


def export_job_run(*, job_id: int) -> ExportJob:
    """Build the job's file. A job already started or finished is left alone (at-most-once)."""
    now = timezone.now()
    # A job whose worker died mid-way (the task is redelivered: acks_late) may be taken over
    # once it has been running longer than any healthy build could.
    claimable = Q(status=ExportJob.Status.QUEUED) | Q(
        status=ExportJob.Status.RUNNING, started_at__lt=now - STALE_AFTER
    )
    claimed = ExportJob.objects.filter(claimable, pk=job_id).update(
        status=ExportJob.Status.RUNNING, started_at=now, rows_done=0
    )
    job = ExportJob.objects.select_related("event").get(pk=job_id)
    if not claimed:
        return job
    exporter = exporter_for(job.format)
    filters = ExportFilters.from_query(job.filters)
    table = export_table(event=job.event, filters=filters)
    table = replace(table, rows=_reporting_progress(table.rows, job_id=job.pk))
    try:
        with tempfile.TemporaryFile() as output:
            exporter.write(table, output)
            output.seek(0)
            name = export_filename(event=job.event, exporter=exporter)
            job.file.save(name, File(output), save=False)
    except Exception:
        logger.exception("Export job %s failed", job_id)
        ExportJob.objects.filter(pk=job_id).update(
            status=ExportJob.Status.FAILED, finished_at=timezone.now()
        )
        job.refresh_from_db()
        return job
    ExportJob.objects.filter(pk=job_id).update(
        status=ExportJob.Status.DONE,
        file=job.file.name,
        finished_at=timezone.now(),
    )
    job.refresh_from_db()
    return job


def _reporting_progress(rows: Iterator[Row], *, job_id: int) -> Iterator[Row]:
    done = 0
    for row in rows:
        yield row
        done += 1
        if done % PROGRESS_EVERY == 0:
            ExportJob.objects.filter(pk=job_id).update(rows_done=done)
    ExportJob.objects.filter(pk=job_id).update(rows_done=done, rows_total=done)


def export_jobs_delete_expired(*, now: datetime | None = None) -> int:
    """Delete jobs (and their files) older than EXPORT_FILE_MAX_AGE_HOURS; how many."""
    now = now or timezone.now()
    cutoff = now - timedelta(hours=settings.EXPORT_FILE_MAX_AGE_HOURS)
    deleted = 0
    for job in ExportJob.objects.filter(created_at__lt=cutoff).iterator(chunk_size=200):
        if job.file:
            job.file.delete(save=False)
        job.delete()
        deleted += 1
    return deleted
