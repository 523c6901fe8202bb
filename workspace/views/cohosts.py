"""Co-hosts of an event: the owning organization's owners invite, the other side's accept.

Everyone who may see the event sees its co-hosts. Inviting, removing and granting edit are
for owners of the event's organization (403 for its organizers and for co-hosts); an owner
of a co-host may also withdraw their own organization. The invited organization's members
see the invitation on its own page (the emailed link); its owners accept or decline there or
on their workspace home.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from accounts.models import User
from events.models import CoHost, Event, Organization
from workspace.forms.cohosts import CoHostEditAccessForm, CoHostInviteForm
from workspace.selectors.events import EventAccess, event_for_member_or_404
from workspace.selectors.members import is_owner
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.services.cohosts import (
    cohost_accept,
    cohost_decline,
    cohost_edit_access,
    cohost_invite,
    cohost_remove,
)
from workspace.views.support import acting_user, add_validation_error


def _owns(user: User, event: Event) -> bool:
    return is_owner(user, event.organization)


@login_required
@require_http_methods(["GET", "POST"])
def event_cohosts(request: HttpRequest, event_id: int) -> HttpResponse:
    user = acting_user(request)
    event = event_for_member_or_404(user, event_id, need=EventAccess.VIEW)
    may_invite = _owns(user, event)
    form = CoHostInviteForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if not may_invite:
            raise PermissionDenied(_("Only owners of the event's organization invite co-hosts."))
        if form.is_valid():
            try:
                cohost = cohost_invite(
                    actor=user,
                    event=event,
                    slug=form.cleaned_data["slug"],
                    can_edit=form.cleaned_data["can_edit"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(
                    request,
                    _("%(name)s is invited; an owner there accepts it in their workspace.")
                    % {"name": cohost.organization.name},
                )
                return redirect("workspace:event_cohosts", event_id=event.pk)
        status = 400
    return render(
        request,
        "workspace/cohosts.html",
        {
            "event": event,
            "cohosts": event.cohosts.select_related("organization"),
            "may_invite": may_invite,
            "form": form if may_invite else None,
        },
        status=status,
    )


def _event_cohost(request: HttpRequest, event_id: int, cohost_id: int) -> tuple[Event, CoHost]:
    event = event_for_member_or_404(acting_user(request), event_id, need=EventAccess.VIEW)
    cohost = get_object_or_404(event.cohosts.select_related("organization"), pk=cohost_id)
    return event, cohost


@login_required
@require_POST
def cohost_remove_view(request: HttpRequest, event_id: int, cohost_id: int) -> HttpResponse:
    user = acting_user(request)
    event, cohost = _event_cohost(request, event_id, cohost_id)
    if not (_owns(user, event) or is_owner(user, cohost.organization)):
        raise PermissionDenied(_("Only owners remove a co-host."))
    cohost_remove(actor=user, cohost=cohost)
    messages.success(
        request,
        _("%(name)s no longer co-hosts this event.") % {"name": cohost.organization.name},
    )
    if _owns(user, event):
        return redirect("workspace:event_cohosts", event_id=event.pk)
    return redirect("workspace:home")


@login_required
@require_POST
def cohost_edit_access_view(request: HttpRequest, event_id: int, cohost_id: int) -> HttpResponse:
    user = acting_user(request)
    event, cohost = _event_cohost(request, event_id, cohost_id)
    if not _owns(user, event):
        raise PermissionDenied(_("Only owners of the event's organization decide this."))
    form = CoHostEditAccessForm(request.POST)
    form.is_valid()
    cohost_edit_access(actor=user, cohost=cohost, can_edit=bool(form.cleaned_data.get("can_edit")))
    messages.success(request, _("Saved what %(name)s may do.") % {"name": cohost.organization.name})
    return redirect("workspace:event_cohosts", event_id=event.pk)


@login_required
@require_safe
def cohost_invitation(request: HttpRequest, slug: str, cohost_id: int) -> HttpResponse:
    """The page the invitation email links to: what is asked, and Accept / Decline for owners.

    Any member of the invited organization may look; once accepted, it says so.
    """
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    cohost = _invitation_to(organization, cohost_id)
    return render(
        request,
        "workspace/cohosts/invitation.html",
        {"cohost": cohost, "is_owner": is_owner(user, organization)},
    )


def _invitation_to(
    organization: Organization, cohost_id: int, *, statuses: tuple[str, ...] | None = None
) -> CoHost:
    """An invitation to ``organization`` (in one of ``statuses``, if given), or 404."""
    invitations = CoHost.objects.select_related("event", "event__organization", "organization")
    if statuses is not None:
        invitations = invitations.filter(status__in=statuses)
    return get_object_or_404(invitations, pk=cohost_id, organization=organization)


def _invitation_for_owner(
    request: HttpRequest, slug: str, cohost_id: int, *, statuses: tuple[str, ...]
) -> CoHost:
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    cohost = _invitation_to(organization, cohost_id, statuses=statuses)
    if not is_owner(user, organization):
        raise PermissionDenied(_("Only owners accept or decline co-hosting."))
    return cohost


@login_required
@require_POST
def cohost_accept_view(request: HttpRequest, slug: str, cohost_id: int) -> HttpResponse:
    # Accepted already (a double click, a second tab): the service changes nothing and the
    # owner lands on the event, as the first time, rather than on a "not found" page.
    cohost = _invitation_for_owner(
        request, slug, cohost_id, statuses=(CoHost.Status.INVITED, CoHost.Status.ACCEPTED)
    )
    cohost_accept(actor=acting_user(request), cohost=cohost)
    messages.success(
        request,
        _("You co-host %(title)s: its attendees, exports and check-in are open to your members.")
        % {"title": cohost.event.title},
    )
    return redirect("workspace:event_overview", event_id=cohost.event_id)


@login_required
@require_POST
def cohost_decline_view(request: HttpRequest, slug: str, cohost_id: int) -> HttpResponse:
    cohost = _invitation_for_owner(request, slug, cohost_id, statuses=(CoHost.Status.INVITED,))
    cohost_decline(actor=acting_user(request), cohost=cohost)
    messages.success(request, _("Declined."))
    return redirect("workspace:home")
