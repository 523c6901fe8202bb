"""Background export jobs, as their pages read them."""

from django.http import Http404

from accounts.models import User
from workspace.models import ExportJob
from workspace.selectors.events import events_for_member


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
