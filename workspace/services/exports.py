"""Exports built in the background: create a job for a worker.

The worker's side (building the file, deleting expired ones) is
``workspace.services.export_files``; the task between them is ``workspace.tasks.build_export``;
the job's page reads it through ``workspace.selectors.exports``.
"""

from django.db import transaction

from accounts.models import User
from events.models import Event
from notifications.outbox import delay_on_commit
from registrations.exports import exporter_for
from registrations.exports.rows import ExportFilters, export_row_count
from workspace.models import ExportJob


def export_job_create(
    *, event: Event, user: User, format_name: str, filters: ExportFilters
) -> ExportJob:
    """Queue an export of the event's attendees; a worker builds it after commit."""
    from workspace.tasks import build_export  # when queuing, as notifications.outbox does

    exporter_for(format_name)  # an unknown format fails here, not in the worker
    with transaction.atomic():
        job = ExportJob.objects.create(
            event=event,
            created_by=user,
            format=format_name,
            filters=filters.as_query(),
            rows_total=export_row_count(event=event, filters=filters),
        )
        delay_on_commit(build_export, job.pk)
    return job
