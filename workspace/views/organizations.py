"""An organization's settings: every member may look; only owners change them."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from workspace.forms.organizations import OrganizationSettingsForm
from workspace.selectors.members import is_owner
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.services.organizations import organization_set_attendee_privacy
from workspace.views.support import acting_user


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_settings(request: HttpRequest, slug: str) -> HttpResponse:
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    owner = is_owner(user, organization)
    if request.method == "POST":
        if not owner:
            raise PermissionDenied(_("Only owners can change the organization's settings."))
        form = OrganizationSettingsForm(request.POST, instance=organization)
        if form.is_valid():
            organization_set_attendee_privacy(
                organization=organization,
                enabled=form.cleaned_data["attendee_privacy"],
                actor=user,
            )
            messages.success(request, _("Settings saved."))
            return redirect("workspace:organization_settings", slug=organization.slug)
    else:
        form = OrganizationSettingsForm(instance=organization)
    if not owner:
        form.fields["attendee_privacy"].disabled = True
    return render(
        request,
        "workspace/organization_settings.html",
        {"organization": organization, "form": form, "is_owner": owner},
        status=400 if form.errors else 200,
    )
