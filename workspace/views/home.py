from typing import Any

from django import forms
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse, HttpResponseBadRequest
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_POST, require_safe

from accounts.models import User
from accounts.services import user_calendar_set
from events.time_display import CALENDAR_NAMES, GREGORIAN, language_calendar
from workspace.selectors import events_with_counts_for_member, organizations_for_member
from workspace.views.support import acting_user


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each of my organizations with its events: upcoming soonest first, then past ones."""
    user = acting_user(request)
    now = timezone.now()
    upcoming: dict[int, list[object]] = {}
    past: dict[int, list[object]] = {}
    for event in events_with_counts_for_member(user).order_by("starts_at", "id"):
        bucket = upcoming if event.ends_at > now else past
        bucket.setdefault(event.organization_id, []).append(event)
    organizations = [
        {
            "organization": organization,
            "upcoming": upcoming.get(organization.pk, []),
            "past": list(reversed(past.get(organization.pk, []))),
        }
        for organization in organizations_for_member(user).order_by("name")
    ]
    calendar_form = (
        CalendarForm(initial={"calendar": user.calendar})
        if language_calendar() != GREGORIAN or user.calendar
        else None
    )
    return render(
        request,
        "workspace/home.html",
        {"organizations": organizations, "calendar_form": calendar_form},
    )


class CalendarForm(forms.Form):
    calendar = forms.ChoiceField(label=_("Show dates in"), choices=User.Calendar.choices)

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        own = CALENDAR_NAMES[language_calendar()]
        field = self.fields["calendar"]
        assert isinstance(field, forms.ChoiceField)
        field.choices = [
            (User.Calendar.LANGUAGE, own),
            (User.Calendar.GREGORIAN, CALENDAR_NAMES[GREGORIAN]),
        ]


@login_required
@require_POST
def calendar_choose(request: HttpRequest) -> HttpResponse:
    """Dates in the Gregorian calendar for this organizer, or in their language's own."""
    form = CalendarForm(request.POST)
    if not form.is_valid():
        return HttpResponseBadRequest(_("Pick a calendar from the list."))
    user_calendar_set(user=acting_user(request), calendar=form.cleaned_data["calendar"])
    return redirect("workspace:home")
