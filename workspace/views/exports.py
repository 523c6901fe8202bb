"""Attendee exports: CSV streamed, XLSX built in the request or by a worker, the door list.

Every view first proves the user belongs to the event's organization (404 otherwise) and
takes the attendee list's filters from the query string (q, status, sort).
"""

import io

from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.db import transaction
from django.http import (
    FileResponse,
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
    JsonResponse,
    StreamingHttpResponse,
)
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.http import content_disposition_header
from django.views.decorators.http import require_GET, require_http_methods

from accounts.models import User
from events.models import Event
from registrations.exports import available_exporters, exporter_for
from registrations.exports.base import Exporter
from registrations.exports.rows import (
    ExportFilters,
    ExportTable,
    export_row_count,
    export_table,
)
from workspace.audit import audit_record
from workspace.models import ExportJob
from workspace.selectors.events import EventAccess, event_for_member_or_404
from workspace.selectors.exports import export_job_for_member_or_404
from workspace.services.export_files import export_filename
from workspace.services.exports import export_job_create
from workspace.views.support import acting_user

RECENT_JOBS = 10


@login_required
@require_GET
def event_exports(request: HttpRequest, event_id: int) -> HttpResponse:
    """The event's export formats, and the files recently prepared in the background."""
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    jobs = event.export_jobs.select_related("created_by")[:RECENT_JOBS]
    return render(
        request,
        "workspace/exports/event_exports.html",
        {
            "event": event,
            "exporters": available_exporters(),
            "jobs": [(job, exporter_for(job.format)) for job in jobs],
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def export(request: HttpRequest, event_id: int, format_name: str) -> HttpResponseBase:
    user = acting_user(request)
    event = event_for_member_or_404(user, event_id, need=EventAccess.VIEW)
    try:
        exporter = exporter_for(format_name)
    except LookupError:
        raise Http404("No such export format.") from None
    filters = ExportFilters.from_query(
        request.GET,
        default_status=exporter.default_status,
        default_ordering=exporter.default_ordering,
    )
    rows = export_row_count(event=event, filters=filters)
    if not exporter.streams and rows > settings.EXPORT_XLSX_INLINE_MAX_ROWS:
        return _export_in_background(request, event, exporter, filters, rows)
    if request.method == "POST":
        return redirect(request.get_full_path())
    _record_download(user, event, exporter, rows)
    table = export_table(event=event, filters=filters)
    if not exporter.as_attachment:
        return HttpResponse(b"".join(exporter.stream(table)), content_type=exporter.content_type)
    return as_download(
        export_response(exporter, table), export_filename(event=event, exporter=exporter)
    )


def _export_in_background(
    request: HttpRequest, event: Event, exporter: Exporter, filters: ExportFilters, rows: int
) -> HttpResponse:
    """GET explains and offers a button; the POST it sends queues the job (never on GET)."""
    if request.method == "POST":
        job = export_job_create(
            event=event,
            user=acting_user(request),
            format_name=exporter.name,
            filters=filters,
        )
        return redirect(job)
    return render(
        request,
        "workspace/exports/prepare.html",
        {"event": event, "exporter": exporter, "filters": filters, "rows": rows},
    )


@login_required
@require_GET
def export_job(request: HttpRequest, job_id: int) -> HttpResponse:
    job = export_job_for_member_or_404(acting_user(request), job_id)
    return render(
        request,
        "workspace/exports/job.html",
        {"job": job, "event": job.event, "exporter": exporter_for(job.format)},
    )


@login_required
@require_GET
def export_job_status(request: HttpRequest, job_id: int) -> JsonResponse:
    job = export_job_for_member_or_404(acting_user(request), job_id)
    download_url = (
        reverse("workspace:export_job_download", kwargs={"job_id": job.pk})
        if job.status == ExportJob.Status.DONE
        else None
    )
    response = JsonResponse(
        {
            "status": job.status,
            "status_label": job.get_status_display(),
            "rows_done": job.rows_done,
            "rows_total": job.rows_total,
            "percent": job.percent_done,
            "download_url": download_url,
        }
    )
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_GET
def export_job_download(request: HttpRequest, job_id: int) -> HttpResponseBase:
    user = acting_user(request)
    job = export_job_for_member_or_404(user, job_id)
    if job.status != ExportJob.Status.DONE or not job.file:
        raise Http404("This export is not ready.")
    exporter = exporter_for(job.format)
    try:
        file = job.file.open("rb")
    except FileNotFoundError:
        raise Http404("This export file has been deleted.") from None
    _record_download(user, job.event, exporter, job.rows_done)
    return as_download(
        FileResponse(file, content_type=exporter.content_type),
        export_filename(event=job.event, exporter=exporter),
    )


def _record_download(user: User, event: Event, exporter: Exporter, rows: int) -> None:
    with transaction.atomic():
        audit_record(
            actor=user,
            action="export.downloaded",
            organization=event.organization,
            event=event,
            details={"format": exporter.name, "rows": rows},
        )


def export_response(exporter: Exporter, table: ExportTable) -> HttpResponseBase:
    """The table in the exporter's format: streamed when the format streams (CSV), else
    written whole (XLSX)."""
    if exporter.streams:
        return StreamingHttpResponse(exporter.stream(table), content_type=exporter.content_type)
    output = io.BytesIO()
    exporter.write(table, output)
    return HttpResponse(output.getvalue(), content_type=exporter.content_type)


def as_download(response: HttpResponseBase, filename: str) -> HttpResponseBase:
    """An attendee list as a file to save, never kept by a cache."""
    response["Content-Disposition"] = content_disposition_header(True, filename) or ""
    # Personal data: keep it out of shared caches and the browser's disk cache.
    response["Cache-Control"] = "private, no-store"
    return response
