"""The door page: find a person in a few letters, check them in or undo, add a walk-in.

Works as plain forms; static/workspace/checkin.js only makes it quicker on a phone by
fetching the results fragment as one types and posting check-ins without a page load.
"""

from urllib.parse import urlencode

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.shortcuts import render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST, require_safe

from events.models import Event
from registrations.models import Registration
from registrations.selectors import registration_list
from registrations.services import RegistrationError
from workspace.forms.attendees import AddPersonForm
from workspace.selectors.attendees import registration_for_event_or_404
from workspace.selectors.events import (
    EventAccess,
    event_for_member_or_404,
    event_registration_counts,
)
from workspace.services import attendees as attendee_services
from workspace.views.support import acting_user

RESULTS_SHOWN = 100
SEARCH_MAX_LENGTH = 200


def _is_fetch(request: HttpRequest) -> bool:
    return request.headers.get("X-Requested-With") == "fetch"


def _search(request: HttpRequest) -> str:
    search = (request.POST.get("q") or request.GET.get("q") or "").strip()[:SEARCH_MAX_LENGTH]
    # PostgreSQL cannot compare text holding NUL: no character typed at a door is one.
    return search.replace("\x00", "")


def _results_context(event: Event, search: str) -> dict[str, object]:
    registrations = registration_list(event=event, search=search, ordering="name")
    if not search:
        registrations = registrations.filter(status=Registration.Status.CONFIRMED)
    shown = list(registrations[: RESULTS_SHOWN + 1])
    return {
        "event": event,
        "q": search,
        "results": shown[:RESULTS_SHOWN],
        "more_results": len(shown) > RESULTS_SHOWN,
        "counts": event_registration_counts(event),
    }


def _render_page(
    request: HttpRequest,
    event: Event,
    *,
    walk_in_form: AddPersonForm | None = None,
    status: int = 200,
) -> HttpResponse:
    search = _search(request)
    if _is_fetch(request):
        return render(request, "workspace/checkin_results.html", _results_context(event, search))
    context = _results_context(event, search) if event.has_venue else {"event": event}
    context["walk_in_form"] = walk_in_form or AddPersonForm(event=event)
    return render(request, "workspace/checkin.html", context, status=status)


def _checkin_url(event: Event, search: str = "") -> str:
    url = reverse("workspace:checkin", kwargs={"event_id": event.pk})
    return f"{url}?{urlencode({'q': search})}" if search else url


@login_required
@require_safe
def checkin(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    return _render_page(request, event)


def _check_in_action(
    request: HttpRequest, event_id: int, registration_id: int, *, undo: bool
) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    registration = registration_for_event_or_404(event, registration_id)
    action = (
        attendee_services.registration_undo_check_in
        if undo
        else attendee_services.registration_check_in
    )
    try:
        action(actor=acting_user(request), registration=registration)
    except RegistrationError as error:
        if _is_fetch(request):
            return HttpResponse(error.message, status=409, content_type="text/plain")
        messages.error(request, error.message)
    if _is_fetch(request):
        return _render_page(request, event)
    return HttpResponseRedirect(_checkin_url(event, _search(request)), status=303)


@login_required
@require_POST
def checkin_mark(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    return _check_in_action(request, event_id, registration_id, undo=False)


@login_required
@require_POST
def checkin_undo(request: HttpRequest, event_id: int, registration_id: int) -> HttpResponse:
    return _check_in_action(request, event_id, registration_id, undo=True)


@login_required
@require_POST
def checkin_walk_in(request: HttpRequest, event_id: int) -> HttpResponse:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    form = AddPersonForm(request.POST, event=event)
    if not form.is_valid():
        return _render_page(request, event, walk_in_form=form, status=400)
    try:
        registration = attendee_services.registration_add(
            actor=acting_user(request), event=event, walk_in=True, **form.cleaned_data
        )
    except RegistrationError as error:
        form.add_error(None, error.message)
        return _render_page(request, event, walk_in_form=form, status=409)
    messages.success(
        request, _("%(name)s is registered and checked in.") % {"name": registration.name}
    )
    return HttpResponseRedirect(_checkin_url(event, registration.name), status=303)
