"""An organization's members: everyone in it may look; only owners invite and remove.

A signed-in organizer (not owner) posting to an owner-only action gets 403: they can see the
members page, so hiding the action behind a 404 would hide nothing. Strangers get 404.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.contrib.auth.views import redirect_to_login
from django.http import HttpRequest, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Membership, Organization
from workspace.forms.members import MemberInviteForm
from workspace.forms.organizations import MemberRoleForm
from workspace.models import Invitation
from workspace.selectors.members import (
    invitation_from_token,
    is_owner,
    members_of,
    open_invitations,
    open_invitations_with_emails,
)
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.services.members import (
    InvitationUnusable,
    MembershipError,
    invitation_accept,
    invitation_revoke,
    member_invite,
    membership_remove,
    membership_role_change,
)
from workspace.views.support import acting_user, owned_organization_or_403


def _render_members(
    request: HttpRequest,
    organization: Organization,
    *,
    invite_form: MemberInviteForm | None = None,
    error: str | None = None,
    status: int = 200,
) -> HttpResponse:
    owner = is_owner(acting_user(request), organization)
    return render(
        request,
        "workspace/members/list.html",
        {
            "organization": organization,
            "is_owner": owner,
            "members": members_of(organization),
            "invitations": open_invitations_with_emails(organization),
            "invite_form": invite_form or (MemberInviteForm() if owner else None),
            "error": error,
        },
        status=status,
    )


def _owned_organization(request: HttpRequest, slug: str) -> Organization:
    return owned_organization_or_403(
        request, slug, refusal=_("Only owners can change who belongs to the organization.")
    )


@login_required
@require_GET
def member_list(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member_by_slug_or_404(acting_user(request), slug)
    return _render_members(request, organization)


@login_required
@require_POST
def member_invite_view(request: HttpRequest, slug: str) -> HttpResponse:
    organization = _owned_organization(request, slug)
    form = MemberInviteForm(request.POST)
    if not form.is_valid():
        return _render_members(request, organization, invite_form=form, status=400)
    try:
        result = member_invite(
            organization=organization,
            email=form.cleaned_data["email"],
            role=form.cleaned_data["role"],
            invited_by=acting_user(request),
            language=getattr(request, "LANGUAGE_CODE", "en"),
        )
    except MembershipError as error:
        form.add_error("email", error.message)
        return _render_members(request, organization, invite_form=form, status=409)
    if result.membership is not None:
        messages.success(
            request,
            _("%(email)s already had an account and is now a member; we are emailing them.")
            % {"email": result.membership.user.email},
        )
    else:
        messages.success(
            request,
            _("We are emailing an invitation to %(email)s; how it went shows below.")
            % {"email": form.cleaned_data["email"]},
        )
    return redirect("workspace:members", slug=organization.slug)


@login_required
@require_POST
def member_remove(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    organization = _owned_organization(request, slug)
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_id
    )
    try:
        membership_remove(membership=membership, actor=acting_user(request))
    except MembershipError as error:
        return _render_members(request, organization, error=error.message, status=409)
    messages.success(
        request, _("%(email)s is no longer a member.") % {"email": membership.user.email}
    )
    if membership.user_id == acting_user(request).pk:
        return redirect("workspace:home")
    return redirect("workspace:members", slug=organization.slug)


@login_required
@require_POST
def member_role_view(request: HttpRequest, slug: str, membership_id: int) -> HttpResponse:
    """Make a member an owner, or step an owner down: how ownership is handed over."""
    organization = _owned_organization(request, slug)
    membership = get_object_or_404(
        organization.memberships.select_related("user"), pk=membership_id
    )
    form = MemberRoleForm(request.POST)
    if not form.is_valid():
        return _render_members(request, organization, error=_("Choose a role."), status=400)
    try:
        membership_role_change(
            membership=membership, role=form.cleaned_data["role"], actor=acting_user(request)
        )
    except MembershipError as error:
        return _render_members(request, organization, error=error.message, status=409)
    role = Membership.Role(form.cleaned_data["role"])
    messages.success(
        request,
        _("%(email)s is now %(role)s.") % {"email": membership.user.email, "role": role.label},
    )
    return redirect("workspace:members", slug=organization.slug)


@login_required
@require_POST
def invitation_revoke_view(request: HttpRequest, slug: str, invitation_id: int) -> HttpResponse:
    organization = _owned_organization(request, slug)
    invitation = get_object_or_404(open_invitations(organization), pk=invitation_id)
    invitation_revoke(invitation=invitation, actor=acting_user(request))
    messages.success(
        request, _("The invitation to %(email)s was withdrawn.") % {"email": invitation.email}
    )
    return redirect("workspace:members", slug=organization.slug)


def _render_invitation(
    request: HttpRequest, invitation: Invitation | None, *, error: str = "", status: int = 200
) -> HttpResponse:
    return render(
        request,
        "workspace/members/invitation_accept.html",
        {"invitation": invitation, "error": error},
        status=status,
    )


@require_http_methods(["GET", "POST"])
def invitation_accept_view(request: HttpRequest, token: str) -> HttpResponse:
    """Public on GET (the invitee may have no account yet); accepting needs a signed-in user."""
    invitation = invitation_from_token(token)
    if invitation is None:
        return _render_invitation(
            request, None, error=_("This invitation link is not valid."), status=404
        )
    if request.method == "GET":
        if not invitation.is_open or invitation.is_expired():
            return _render_invitation(
                request,
                invitation,
                error=_(
                    "This invitation can no longer be used; ask the organization for a new one."
                ),
                status=410,
            )
        return _render_invitation(request, invitation)
    if not request.user.is_authenticated:
        return redirect_to_login(request.get_full_path())
    try:
        membership = invitation_accept(invitation=invitation, user=acting_user(request))
    except InvitationUnusable as error:
        return _render_invitation(request, invitation, error=error.message, status=410)
    except MembershipError as error:
        return _render_invitation(request, invitation, error=error.message, status=403)
    messages.success(
        request,
        _("Welcome to %(organization)s.") % {"organization": membership.organization.name},
    )
    return redirect("workspace:members", slug=membership.organization.slug)
