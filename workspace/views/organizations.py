"""Creating an organization and, for its owners, changing its settings."""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from events.models import Organization
from workspace.forms.organizations import OrganizationForm, OrganizationSettingsForm
from workspace.selectors.members import is_owner
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.services.organizations import (
    OrganizationCreationRefused,
    organization_create,
    organization_creation_refusal,
    organization_update,
)
from workspace.views.support import acting_user, add_validation_error


@login_required
@require_http_methods(["GET", "POST"])
def organization_create_view(request: HttpRequest) -> HttpResponse:
    """The form, or why this person cannot create one yet (403 with the reason)."""
    user = acting_user(request)
    refusal = organization_creation_refusal(user)
    if refusal is not None:
        return render(
            request, "workspace/organizations/create.html", {"refusal": refusal}, status=403
        )
    language = getattr(request, "LANGUAGE_CODE", "en")
    form = OrganizationForm(
        request.POST or None,
        request.FILES or None,
        initial={"contact_email": user.email, "language": language, "time_zone": "UTC"},
    )
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_create(creator=user, **form.cleaned_data)
        except OrganizationCreationRefused as error:
            return render(
                request,
                "workspace/organizations/create.html",
                {"refusal": error.message},
                status=403,
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            if organization.is_active:
                messages.success(
                    request,
                    _("%(name)s is ready: create its first event.") % {"name": organization.name},
                )
            else:
                messages.info(
                    request,
                    _(
                        "%(name)s waits for a site administrator's approval; "
                        "you can create events once it is approved."
                    )
                    % {"name": organization.name},
                )
            return redirect("workspace:home")
    status = 400 if form.errors else 200
    return render(
        request,
        "workspace/organizations/create.html",
        {"form": form, "awaits_approval": settings.ORGANIZATION_CREATION == "approval"},
        status=status,
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def organization_settings(request: HttpRequest, slug: str) -> HttpResponse:
    """Owners change the name, web address, contact, defaults and logo; others may look.

    After a failed upload the page still shows the logo as it is: the organization is only
    changed by the service, once everything is valid.
    """
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    owner = is_owner(user, organization)
    if request.method == "POST" and not owner:
        raise PermissionDenied(_("Only owners can change the organization's settings."))
    if request.method == "POST":
        # A blank instance with the same id: the form checks uniqueness against the others
        # without changing ``organization`` before the service has locked and compared it.
        blank = Organization(pk=organization.pk)
        blank._state.adding = False  # so the unique check leaves this organization out
        form = OrganizationSettingsForm(request.POST, request.FILES, instance=blank)
    else:
        form = OrganizationSettingsForm(instance=organization)
    if request.method == "POST" and form.is_valid():
        try:
            organization = organization_update(
                actor=user, organization=organization, **form.cleaned_data
            )
        except ValidationError as error:
            add_validation_error(form, error)
        else:
            messages.success(request, _("The organization's settings were saved."))
            return redirect("workspace:organization_settings", slug=organization.slug)
    return render(
        request,
        "workspace/organizations/settings.html",
        {
            "organization": organization,
            "form": form,
            "is_owner": owner,
            "logo": organization.get_logo_url(),
        },
        status=400 if form.errors else 200,
    )
