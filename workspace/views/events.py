"""An event's overview, and creating, editing, publishing, cancelling and duplicating it."""

import copy
from typing import Any

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from events.models import Event
from events.services import event_snapshot
from events.viewer import viewer_time_zone
from registrations.models import Registration
from workspace.forms.events import (
    DuplicateEventForm,
    EventCancelForm,
    EventForm,
    event_inline_formsets,
)
from workspace.selectors.events import (
    EventAccess,
    event_abilities,
    event_for_member_or_404,
    event_registration_counts,
)
from workspace.selectors.organizations import organization_for_member_by_id_or_404
from workspace.services import events as event_services
from workspace.views.support import acting_user, add_validation_error, redirect_back

PENDING_SHOWN_ON_OVERVIEW = 10


def _overview_url(event: Event) -> str:
    return reverse("workspace:event_overview", kwargs={"event_id": event.pk})


@login_required
@require_safe
def event_overview(request: HttpRequest, event_id: int) -> HttpResponse:
    user = acting_user(request)
    event = event_for_member_or_404(user, event_id, need=EventAccess.VIEW)
    pending = Registration.objects.filter(event=event, status=Registration.Status.PENDING)
    return render(
        request,
        "workspace/event_overview.html",
        {
            "event": event,
            **event_abilities(user, event),
            "counts": event_registration_counts(event),
            "pending": pending.order_by("created_at", "id")[:PENDING_SHOWN_ON_OVERVIEW],
            "viewer_zone": viewer_time_zone(request) or event.time_zone,
            "reminder_rules": event.reminder_rules.all(),
            "attendee_data_erased": event.attendee_data_erased_at <= timezone.now(),
        },
    )


def _render_event_form(
    request: HttpRequest, event: Event, form: EventForm, formsets: dict[str, Any], status: int
) -> HttpResponse:
    return render(
        request,
        "workspace/event_form.html",
        {"event": event, "form": form, "formsets": formsets, "creating": event.pk is None},
        status=status,
    )


def _forms_valid(form: EventForm, formsets: dict[str, Any]) -> bool:
    # Validate everything (no short-circuit) so every error shows at once.
    results = [form.is_valid(), *(formset.is_valid() for formset in formsets.values())]
    return all(results)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_create(request: HttpRequest, organization_id: int) -> HttpResponse:
    user = acting_user(request)
    organization = organization_for_member_by_id_or_404(user, organization_id)
    event = Event(organization=organization, status=Event.Status.DRAFT)
    if request.method != "POST":
        form = EventForm(
            instance=event,
            initial={
                "time_zone": viewer_time_zone(request) or organization.time_zone,
                "kind": Event.Kind.WEBINAR,
            },
        )
        formsets = event_inline_formsets(event, suggest_defaults=True)
        return _render_event_form(request, event, form, formsets, status=200)
    form = EventForm(request.POST, instance=event)
    formsets = event_inline_formsets(event, request.POST, suggest_defaults=True)
    if _forms_valid(form, formsets):
        try:
            event_services.event_create(actor=user, event=form.instance, formsets=formsets)
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Draft saved. Publish it when it is ready."))
            return redirect(_overview_url(event))
    return _render_event_form(request, event, form, formsets, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_edit(request: HttpRequest, event_id: int) -> HttpResponse:
    user = acting_user(request)
    event = event_for_member_or_404(user, event_id, need=EventAccess.EDIT)
    if event.is_cancelled:
        messages.error(request, _("A cancelled event cannot be edited."))
        return redirect(_overview_url(event))
    if request.method != "POST":
        form = EventForm(instance=event)
        return _render_event_form(request, event, form, event_inline_formsets(event), status=200)
    previous = event_snapshot(event)
    # The form edits a copy: the page header keeps the saved title if the input is invalid.
    form = EventForm(request.POST, instance=copy.copy(event))
    formsets = event_inline_formsets(form.instance, request.POST)
    if _forms_valid(form, formsets):
        try:
            event_services.event_update(
                actor=user,
                event=form.instance,
                previous=previous,
                changed_fields=form.changed_data,
                formsets=formsets,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("Changes saved."))
            return redirect(_overview_url(event))
    return _render_event_form(request, event, form, formsets, status=400)


@login_required
@require_POST
def event_publish(request: HttpRequest, event_id: int) -> HttpResponse:
    # The owning organization's decision, not a co-host's even with edit access
    # (docs/design.md, «Permissions»).
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.OWN)
    try:
        event_services.event_publish(actor=acting_user(request), event=event)
    except ValidationError as error:
        for message in error.messages:
            messages.error(request, message)
        if hasattr(error, "error_dict"):
            messages.info(request, _("Edit the event to fill these in, then publish again."))
    else:
        messages.success(request, _("Published: registration is open."))
    return redirect_back(request, _overview_url(event))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_cancel(request: HttpRequest, event_id: int) -> HttpResponse:
    """GET asks for confirmation; only the POST of that page cancels.

    The owning organization's decision, as publishing: it emails every registrant
    (docs/design.md, «Permissions»).
    """
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.OWN)
    form = EventCancelForm(request.POST if request.method == "POST" else None)
    if request.method != "POST" or not form.is_valid():
        counts = event_registration_counts(event)
        return render(
            request,
            "workspace/event_cancel.html",
            {"event": event, "counts": counts, "form": form},
            status=400 if form.is_bound else 200,
        )
    if event.is_cancelled:
        messages.info(request, _("This event was already cancelled."))
    else:
        event_services.event_cancel(
            actor=acting_user(request), event=event, message=form.cleaned_data["message"]
        )
        messages.success(request, _("The event is cancelled; registrants are being told."))
    return redirect(_overview_url(event))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def event_duplicate(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id)
    form = DuplicateEventForm(request.POST if request.method == "POST" else None, event=event)
    if request.method == "POST" and form.is_valid():
        try:
            copy = event_services.event_duplicate(
                actor=acting_user(request),
                event=event,
                title=form.cleaned_data["title"],
                starts_at=form.cleaned_data["starts_at"],
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("A draft copy is ready: check it, then publish it."))
            return redirect("workspace:event_edit", event_id=copy.pk)
    status = 400 if form.is_bound else 200
    return render(
        request, "workspace/event_duplicate.html", {"event": event, "form": form}, status=status
    )
