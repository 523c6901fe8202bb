"""Attendance from a report (upload → preview → record) and the follow-ups after the end.

The uploaded file is kept in the organizer's session between the steps (at most
``MAX_REPORT_BYTES``, one per event) and read again at each step, so what is recorded is
what the preview showed for the same columns; nothing is saved before "Record".
"""

from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Event
from notifications.models import ReminderRule
from notifications.reminders.follow_ups import follow_ups_for_event
from registrations.attendance.reports import (
    MAX_REPORT_BYTES,
    AttendanceReport,
    ReportError,
    report_decode,
    report_read,
    report_rows,
)
from registrations.attendance.services import AttendancePreview, attendance_preview
from workspace.forms.attendance import AttendanceColumnsForm, AttendanceUploadForm, FollowUpForm
from workspace.selectors.events import EventAccess, event_for_member_or_404
from workspace.services.attendance import attendance_import, follow_up_update
from workspace.views.support import acting_user

PREVIEW_ROWS_SHOWN = 200


def _session_key(event: Event) -> str:
    return f"workspace.attendance_report.{event.pk}"


def _stored_report(request: HttpRequest, event: Event) -> AttendanceReport | None:
    stored = request.session.get(_session_key(event))
    if not isinstance(stored, str):
        return None
    try:
        return report_read(stored)
    except ReportError:
        return None


@login_required
@require_http_methods(["GET", "POST"])
def attendance_upload(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    form = AttendanceUploadForm()
    if request.method == "POST":
        form = AttendanceUploadForm(request.POST, request.FILES)
        if form.is_valid():
            upload = form.cleaned_data["report"]
            try:
                text = report_decode(upload.read(MAX_REPORT_BYTES + 1))
                report_read(text)
            except ReportError as error:
                form.add_error("report", str(error))
            else:
                request.session[_session_key(event)] = text
                return redirect("workspace:attendance_preview", event_id=event.pk)
    return render(
        request,
        "workspace/attendance/upload.html",
        {"event": event, "form": form},
        status=400 if form.errors else 200,
    )


def _preview(
    event: Event, report: AttendanceReport, data: Any
) -> tuple[AttendanceColumnsForm, AttendancePreview | None]:
    guessed = report.guessed
    initial = (
        {
            key: "" if getattr(guessed, key) is None else str(getattr(guessed, key))
            for key in ("email", "minutes", "join", "leave")
        }
        if guessed
        else {}
    )
    if data is None and guessed is not None:
        data = initial  # the columns found by name, until the organizer picks others
    form = AttendanceColumnsForm(data, initial=initial, headers=report.headers)
    if data is None:
        return form, None  # no email column found by name: the organizer picks it first
    if not form.is_valid():
        return form, None
    columns = form.column_choice(
        name=guessed.name if guessed else None, attended=guessed.attended if guessed else None
    )
    try:
        rows = report_rows(report, columns)
    except ReportError as error:
        form.add_error(None, str(error))
        return form, None
    return form, attendance_preview(event=event, rows=rows)


@login_required
@require_http_methods(["GET"])
def attendance_preview_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    report = _stored_report(request, event)
    if report is None:
        messages.info(request, _("Upload the attendance report first."))
        return redirect("workspace:attendance_upload", event_id=event.pk)
    form, preview = _preview(event, report, request.GET if "email" in request.GET else None)
    return render(
        request,
        "workspace/attendance/preview.html",
        {
            "event": event,
            "report": report,
            "form": form,
            "preview": preview,
            "rows_shown": PREVIEW_ROWS_SHOWN,
        },
    )


@login_required
@require_POST
def attendance_import_view(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    report = _stored_report(request, event)
    if report is None:
        messages.error(request, _("The uploaded report has expired. Please upload it again."))
        return redirect("workspace:attendance_upload", event_id=event.pk)
    form, preview = _preview(event, report, request.POST)
    if preview is None:
        return render(
            request,
            "workspace/attendance/preview.html",
            {"event": event, "report": report, "form": form, "preview": None},
            status=400,
        )
    changed = attendance_import(actor=acting_user(request), event=event, preview=preview)
    del request.session[_session_key(event)]
    messages.success(
        request,
        ngettext(
            "Attendance recorded: %(attended)d attended; %(changed)d registration changed.",
            "Attendance recorded: %(attended)d attended; %(changed)d registrations changed.",
            changed,
        )
        % {"attended": preview.attended_count, "changed": changed},
    )
    return redirect("workspace:attendees", event_id=event.pk)


@login_required
@require_http_methods(["GET", "POST"])
def follow_ups(request: HttpRequest, event_id: int) -> HttpResponse:
    """The two follow-ups after the end: to those who attended and to those who missed it."""
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    rules = follow_ups_for_event(event)
    data = request.POST if request.method == "POST" else None
    forms = {
        audience: FollowUpForm(data, prefix=audience, initial=FollowUpForm.initial_for(rule))
        for audience, rule in rules.items()
    }
    if data is not None and all(form.is_valid() for form in forms.values()):
        for audience, form in forms.items():
            unchanged = rules[audience] is not None and not form.has_changed()
            nothing = rules[audience] is None and not form.cleaned_data["message"].strip()
            if not (unchanged or nothing):
                follow_up_update(
                    actor=acting_user(request),
                    event=event,
                    audience=audience,
                    minutes_after=form.cleaned_data["minutes_after"],
                    subject=form.cleaned_data["subject"],
                    message=form.cleaned_data["message"],
                )
        messages.success(request, _("Follow-ups saved."))
        return redirect("workspace:follow_ups", event_id=event.pk)
    sections = [
        (ReminderRule.Audience(audience).label, forms[audience], rules[audience])
        for audience in rules
    ]
    return render(
        request,
        "workspace/follow_ups.html",
        {"event": event, "sections": sections},
        status=400 if data is not None else 200,
    )
