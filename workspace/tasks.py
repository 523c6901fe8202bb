"""Celery tasks: thin wrappers that take ids and call services."""

from celery import shared_task

from workspace.services.export_files import export_job_run, export_jobs_delete_expired
from workspace.services.retention import retention_erase_due


# A 100,000-row XLSX takes seconds; the limits only stop a runaway job.
@shared_task(acks_late=True, soft_time_limit=1800, time_limit=1900)
def build_export(job_id: int) -> None:
    export_job_run(job_id=job_id)


@shared_task
def delete_expired_exports() -> int:
    return export_jobs_delete_expired()


@shared_task
def erase_registrations_past_retention() -> int:
    """Registrations and series registrations erased (docs/privacy.md, "Retention")."""
    result = retention_erase_due()
    return result.registrations + result.series_registrations
