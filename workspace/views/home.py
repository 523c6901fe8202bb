from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

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
    return render(request, "workspace/home.html", {"organizations": organizations})
