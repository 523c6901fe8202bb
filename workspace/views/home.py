from django.conf import settings
from django.contrib.auth.decorators import login_required
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.utils import timezone
from django.views.decorators.http import require_safe

from workspace.selectors.events import (
    cohost_invitations_for_owner,
    cohosting_organizations_by_event,
    events_with_counts_for_member,
)
from workspace.selectors.organizations import (
    organizations_for_member,
    organizations_waiting_for_member,
)
from workspace.views.support import acting_user


@login_required
@require_safe
def home(request: HttpRequest) -> HttpResponse:
    """Each of my organizations with its events: upcoming soonest first, then past ones.

    A co-hosted event is listed under each of my organizations that co-hosts it.
    """
    user = acting_user(request)
    now = timezone.now()
    cohosting = cohosting_organizations_by_event(user)
    upcoming: dict[int, list[object]] = {}
    past: dict[int, list[object]] = {}
    for event in events_with_counts_for_member(user).order_by("starts_at", "id"):
        bucket = upcoming if event.ends_at > now else past
        for organization_id in {event.organization_id, *cohosting.get(event.pk, [])}:
            bucket.setdefault(organization_id, []).append(event)
    organizations = [
        {
            "organization": organization,
            "upcoming": upcoming.get(organization.pk, []),
            "past": list(reversed(past.get(organization.pk, []))),
        }
        for organization in organizations_for_member(user).order_by("name")
    ]
    return render(
        request,
        "workspace/home.html",
        {
            "organizations": organizations,
            "waiting": organizations_waiting_for_member(user).order_by("name"),
            "cohost_invitations": cohost_invitations_for_owner(user),
            "may_create": settings.ORGANIZATION_CREATION != "closed",
        },
    )
