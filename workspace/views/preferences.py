from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from accounts.services import user_calendar_set
from workspace.forms.preferences import CalendarForm
from workspace.views.support import acting_user


@login_required
@require_POST
def calendar_choose(request: HttpRequest) -> HttpResponse:
    """Dates in the Gregorian calendar for this organizer, or in their language's own."""
    form = CalendarForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Pick a calendar from the list."))
    user_calendar_set(user=acting_user(request), calendar=form.cleaned_data["calendar"])
    return redirect("workspace:home")
