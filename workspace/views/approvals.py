"""Approving and declining registrations of events that need the organizers' approval."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from registrations.models import Registration
from registrations.services import RegistrationError
from workspace.forms.attendees import RejectForm
from workspace.selectors.attendees import registration_for_event_or_404
from workspace.selectors.events import EventAccess, event_for_member_or_404
from workspace.services import attendees as attendee_services
from workspace.views.attendees import attendees_url
from workspace.views.support import acting_user, redirect_back, safe_next_url


@login_required
@require_POST
def registration_approve(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    registration = registration_for_event_or_404(event, registration_id)
    try:
        approved = attendee_services.registration_approve(
            actor=acting_user(request), registration=registration
        )
    except RegistrationError as error:
        messages.error(request, error.message)
    else:
        if approved.status == Registration.Status.CONFIRMED:
            messages.success(
                request, _("%(name)s is approved and confirmed.") % {"name": approved.name}
            )
        else:
            messages.warning(
                request,
                _("%(name)s is approved, but the event is full: they are on the waitlist.")
                % {"name": approved.name},
            )
    return redirect_back(request, attendees_url(event))


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def registration_reject(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    """GET shows the reason form; its POST declines the registration."""
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.EDIT)
    registration = registration_for_event_or_404(event, registration_id)
    form = RejectForm(request.POST if request.method == "POST" else None)
    if request.method == "POST" and form.is_valid():
        try:
            attendee_services.registration_reject(
                actor=acting_user(request),
                registration=registration,
                reason=form.cleaned_data["reason"],
            )
        except RegistrationError as error:
            messages.error(request, error.message)
        else:
            messages.success(
                request, _("%(name)s's registration is declined.") % {"name": registration.name}
            )
        return redirect_back(request, attendees_url(event))
    return render(
        request,
        "workspace/registration_reject.html",
        {
            "event": event,
            "registration": registration,
            "form": form,
            "next": safe_next_url(request, attendees_url(event)),
        },
        status=400 if form.is_bound else 200,
    )
