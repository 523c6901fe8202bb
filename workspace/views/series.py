"""Series in the workspace: the list, a new series, its sessions with counts, editing
"this and all later sessions", ending it. "This session only" is the event's own edit."""

import csv
from collections.abc import Iterator

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import Http404, HttpRequest, HttpResponse, StreamingHttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from events.viewer import viewer_time_zone
from registrations.exports.base import neutralize_formula
from series.forms import SeriesForm
from series.models import Series, SeriesSession
from workspace.audit import audit_record
from workspace.forms.events import EventCancelForm
from workspace.selectors.organizations import organization_for_member_by_id_or_404
from workspace.selectors.series import (
    SERIES_EXPORT_HEADERS,
    series_attendee_rows,
    series_for_member,
    series_for_member_or_404,
    series_sessions_with_counts,
)
from workspace.services import series as series_services
from workspace.views.support import acting_user, add_validation_error


@login_required
@require_safe
def series_list(request: HttpRequest, organization_id: int) -> HttpResponse:
    organization = organization_for_member_by_id_or_404(acting_user(request), organization_id)
    return render(
        request,
        "workspace/series/list.html",
        {
            "organization": organization,
            "series_list": series_for_member(acting_user(request)).filter(
                organization=organization
            ),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_create(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = acting_user(request)
    organization = organization_for_member_by_id_or_404(user, organization_id)
    series = Series(organization=organization)
    form = SeriesForm(request.POST if request.method == "POST" else None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            series_services.series_create(actor=user, series=form.save(commit=False))
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Series created; its first sessions are published."))
            if form.note:
                messages.info(request, form.note)
            return redirect("workspace:series_overview", series_id=series.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "workspace/series/form.html",
        {"form": form, "organization": organization, "creating": True},
        status=status,
    )


@login_required
@require_safe
def series_overview(request: HttpRequest, series_id: int) -> HttpResponse:
    user = acting_user(request)
    series = series_for_member_or_404(user, series_id)
    return render(
        request,
        "workspace/series/overview.html",
        {
            "series": series,
            "sessions": series_sessions_with_counts(user, series),
            "members": series.registrations.filter(status="active").count(),
            "viewer_zone": viewer_time_zone(request) or series.time_zone,
            "now": timezone.now(),
        },
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_edit(request: HttpRequest, series_id: int, event_id: int) -> HttpResponse:
    """Edit the series for this session and every later one."""
    user = acting_user(request)
    series = series_for_member_or_404(user, series_id)
    link = SeriesSession.objects.filter(series=series, event_id=event_id).first()
    if link is None:
        raise Http404("No such session.")
    previous_rrule = series.rrule
    form = SeriesForm(request.POST if request.method == "POST" else None, instance=series)
    if request.method == "POST" and form.is_valid():
        try:
            series_services.series_update(
                actor=user,
                series=form.save(commit=False),
                occurrence=link.occurrence,
                previous_rrule=previous_rrule,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("This and all later sessions are changed."))
            if form.note:
                messages.info(request, form.note)
            return redirect("workspace:series_overview", series_id=series.pk)
    status = 400 if form.is_bound else 200
    return render(
        request,
        "workspace/series/form.html",
        {"form": form, "series": series, "session": link, "creating": False},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def series_end(request: HttpRequest, series_id: int) -> HttpResponse:
    user = acting_user(request)
    series = series_for_member_or_404(user, series_id)
    form = EventCancelForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid() and series.is_active:
        series_services.series_end(
            actor=user, series=series, message=form.cleaned_data.get("message", "")
        )
        messages.success(request, _("The series has ended; its future sessions are cancelled."))
        return redirect("workspace:series_overview", series_id=series.pk)
    return render(request, "workspace/series/end.html", {"series": series, "form": form})


class _Echo:
    def write(self, value: str) -> str:
        return value


@login_required
@require_safe
def series_export(request: HttpRequest, series_id: int) -> StreamingHttpResponse:
    """The series-wide attendee list as CSV: one row per person and session."""
    user = acting_user(request)
    series = series_for_member_or_404(user, series_id)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="export.downloaded",
            organization=series.organization,
            details={"format": "csv", "series_id": series.pk},
        )
    writer = csv.writer(_Echo())

    def lines() -> Iterator[str]:
        yield writer.writerow(SERIES_EXPORT_HEADERS)
        for row in series_attendee_rows(series):
            yield writer.writerow([neutralize_formula(cell) for cell in row])

    response = StreamingHttpResponse(lines(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="{series.slug}-attendees.csv"'
    return response
