"""Exports built in the background: create a job for a worker, find it again for a member.

The worker's side (building the file, deleting expired ones) is
``workspace.services.export_files``; the task between them is ``workspace.tasks.build_export``.
"""

from django.db import transaction
from django.http import Http404

from accounts.models import User
from events.models import Event
from notifications.outbox import delay_on_commit
from registrations.exports import exporter_for
from registrations.exports.rows import ExportFilters, export_row_count
from workspace.models import ExportJob
from workspace.selectors import events_for_member


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


def export_job_for_member_or_404(user: User, job_id: int) -> ExportJob:
    """The job if the user belongs to its event's organization; otherwise 404."""
    job = (
        ExportJob.objects.filter(pk=job_id, event__in=events_for_member(user))
        .select_related("event", "event__organization")
        .first()
    )
    if job is None:
        raise Http404("No such export.")
    return job
