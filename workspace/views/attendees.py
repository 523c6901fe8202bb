"""The attendees page: find people, add someone by hand, cancel, promote, change capacity."""

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events.models import Event, Question
from registrations.exports import available_exporters
from registrations.models import Registration
from registrations.selectors import registration_list
from registrations.services import RegistrationError
from workspace.forms.attendees import AddPersonForm, AttendeeFilterForm, CapacityForm
from workspace.selectors.attendees import registration_for_event_or_404, waitlist_positions
from workspace.selectors.events import (
    EventAccess,
    event_abilities,
    event_for_member_or_404,
    event_registration_counts,
)
from workspace.services import attendees as attendee_services
from workspace.services import events as event_services
from workspace.views.support import acting_user, redirect_back

ATTENDEES_PER_PAGE = 50


def _export_url(event: Event, format_name: str, query: str) -> str:
    url = reverse("workspace:export", kwargs={"event_id": event.pk, "format_name": format_name})
    return f"{url}?{query}" if query else url


@dataclass(frozen=True)
class AttendeeRow:
    registration: Registration
    answers: list[tuple[str, str]]
    waitlist_position: int | None


def _answer_text(value: Any) -> str:
    if isinstance(value, bool):
        return _("Yes") if value else _("No")
    return "" if value is None else str(value)


def _rows(registrations: list[Registration], questions: list[Question], event: Event) -> list[Any]:
    positions = (
        waitlist_positions(event)
        if any(
            registration.status == Registration.Status.WAITLISTED for registration in registrations
        )
        else {}
    )
    rows = []
    for registration in registrations:
        answers = [
            (question.label, _answer_text(registration.answers.get(str(question.pk))))
            for question in questions
        ]
        rows.append(
            AttendeeRow(
                registration=registration,
                answers=[(label, text) for label, text in answers if text],
                waitlist_position=positions.get(registration.pk),
            )
        )
    return rows


def attendees_url(event: Event) -> str:
    return reverse("workspace:attendees", kwargs={"event_id": event.pk})


def render_attendees(
    request: HttpRequest,
    event: Event,
    *,
    add_form: AddPersonForm | None = None,
    capacity_form: CapacityForm | None = None,
    status: int = 200,
) -> HttpResponse:
    filter_form = AttendeeFilterForm(request.GET)
    filters = filter_form.filters()
    registrations = registration_list(
        event=event, search=filters["q"], status=filters["status"], ordering=filters["sort"]
    )
    page = Paginator(registrations, ATTENDEES_PER_PAGE).get_page(request.GET.get("page"))
    query = urlencode(filters)
    # Only the filters the organizer chose: each export keeps its own defaults otherwise
    # (the door list: confirmed people, A to Z).
    export_query = urlencode(
        {key: value for key, value in filters.items() if value and value != "registered"}
    )
    return render(
        request,
        "workspace/attendees.html",
        {
            "event": event,
            **event_abilities(acting_user(request), event),
            "counts": event_registration_counts(event),
            "filter_form": filter_form,
            "page": page,
            "rows": _rows(list(page.object_list), list(event.questions.all()), event),
            "query": query,
            "filtered": bool(filters["q"] or filters["status"]),
            "exports": [
                (exporter.label, _export_url(event, exporter.name, export_query))
                for exporter in available_exporters()
            ],
            "add_form": add_form or AddPersonForm(event=event),
            "capacity_form": capacity_form or CapacityForm(event=event),
        },
        status=status,
    )


@login_required
@require_safe
def attendees(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    return render_attendees(request, event)


@login_required
@require_POST
def attendee_add(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    form = AddPersonForm(request.POST, event=event)
    if not form.is_valid():
        return render_attendees(request, event, add_form=form, status=400)
    try:
        registration = attendee_services.registration_add(
            actor=acting_user(request), event=event, walk_in=False, **form.cleaned_data
        )
    except RegistrationError as error:
        form.add_error(None, error.message)
        return render_attendees(request, event, add_form=form, status=409)
    if registration.status == Registration.Status.CONFIRMED:
        messages.success(request, _("%(name)s is registered.") % {"name": registration.name})
    else:
        messages.warning(
            request,
            _("The event is full: %(name)s is on the waitlist.") % {"name": registration.name},
        )
    return redirect_back(request, attendees_url(event))


def _registration_action(
    request: HttpRequest, event_id: int, registration_id: int, action: Any, done: str
) -> HttpResponse:
    """Run one audited action on one registration, then go back with a message."""
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    registration = registration_for_event_or_404(event, registration_id)
    try:
        action(actor=acting_user(request), registration=registration)
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        messages.success(request, done % {"name": registration.name})
    return redirect_back(request, attendees_url(event))


@login_required
@require_POST
def attendee_cancel(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    return _registration_action(
        request,
        event_id,
        registration_id,
        attendee_services.registration_cancel,
        _("%(name)s's registration is cancelled."),
    )


@login_required
@require_POST
def attendee_promote(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    return _registration_action(
        request,
        event_id,
        registration_id,
        attendee_services.registration_promote,
        _("%(name)s now has a seat."),
    )


@login_required
@require_POST
def event_capacity(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    form = CapacityForm(request.POST, event=event)
    if not form.is_valid():
        return render_attendees(request, event, capacity_form=form, status=400)
    waitlisted_before = event_registration_counts(event)["waitlisted_count"]
    try:
        event_services.event_change_capacity(
            actor=acting_user(request), event=event, capacity=form.cleaned_data["capacity"]
        )
    except ValidationError as error:
        form.add_error("capacity", error.messages)
        event.refresh_from_db()
        return render_attendees(request, event, capacity_form=form, status=409)
    promoted = waitlisted_before - event_registration_counts(event)["waitlisted_count"]
    messages.success(
        request,
        _("Capacity is now %(capacity)d; %(promoted)d promoted from the waitlist.")
        % {"capacity": event.capacity, "promoted": promoted},
    )
    return redirect_back(request, attendees_url(event))
