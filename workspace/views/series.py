"""Series in the workspace: the list, a new series, its sessions with counts, editing
"this and all later sessions", its questions and reminders, ending it, its attendee lists.
"This session only" is the event's own edit."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.db import transaction
from django.http import (
    Http404,
    HttpRequest,
    HttpResponse,
    HttpResponseBase,
)
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_safe

from events.viewer import viewer_time_zone
from registrations.exports import exporter_for
from series.exports import SERIES_EXPORT_TABLES
from series.forms import SeriesForm
from series.models import Series, SeriesSession
from workspace.audit import audit_record
from workspace.forms.events import EventCancelForm
from workspace.forms.series import series_list_formsets
from workspace.selectors.organizations import organization_for_member_by_id_or_404
from workspace.selectors.series import (
    series_for_member,
    series_for_member_or_404,
    series_sessions_with_counts,
)
from workspace.services import series as series_services
from workspace.views.exports import as_download, export_response
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
            # The form has no lists of its own: on to them (docs/series.md, "Questions and
            # reminders").
            messages.info(
                request,
                _(
                    "The default reminders are added: change them here, and add the questions "
                    "to ask on the registration form."
                ),
            )
            return redirect("workspace:series_lists", series_id=series.pk)
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
            "export_formats": [exporter_for(name) for name in SERIES_EXPORT_FORMATS],
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
def series_lists(request: HttpRequest, series_id: int) -> HttpResponse:
    """The series' questions and reminders; saving applies them to every session ahead."""
    user = acting_user(request)
    series = series_for_member_or_404(user, series_id)
    formsets = series_list_formsets(series, request.POST if request.method == "POST" else None)
    # Validate both lists (no short-circuit) so every error shows at once.
    if request.method == "POST" and all([formset.is_valid() for formset in formsets.values()]):
        sessions = series_services.series_lists_save(actor=user, series=series, formsets=formsets)
        messages.success(
            request,
            ngettext(
                "Saved; %(count)d session ahead has the change.",
                "Saved; %(count)d sessions ahead have the change.",
                sessions,
            )
            % {"count": sessions},
        )
        return redirect("workspace:series_overview", series_id=series.pk)
    status = 400 if request.method == "POST" else 200
    return render(
        request,
        "workspace/series/lists.html",
        {"series": series, "formsets": formsets},
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


# The formats a series-wide list is offered in: those that need no event (not the door list).
SERIES_EXPORT_FORMATS = ("csv", "csv-excel", "xlsx")


@login_required
@require_safe
def series_export(
    request: HttpRequest, series_id: int, layout: str, format_name: str
) -> HttpResponseBase:
    """A series-wide attendee list (series.exports) in one of the registry's formats."""
    user = acting_user(request)
    series = series_for_member_or_404(user, series_id)
    if layout not in SERIES_EXPORT_TABLES or format_name not in SERIES_EXPORT_FORMATS:
        raise Http404("No such export.")
    exporter = exporter_for(format_name)
    with transaction.atomic():
        audit_record(
            actor=user,
            action="export.downloaded",
            organization=series.organization,
            details={"format": exporter.name, "series_id": series.pk, "layout": layout},
        )
    table = SERIES_EXPORT_TABLES[layout](series)
    filename = (
        f"{series.slug}-{layout}-{timezone.now():%Y-%m-%d}"
        f"{exporter.file_suffix}.{exporter.file_extension}"
    )
    return as_download(export_response(exporter, table), filename)
