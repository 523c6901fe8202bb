"""An organization's API tokens: members see the list; owners make and revoke tokens.

A new token's secret is shown in the response to the POST that made it, and nowhere else:
it never goes into a URL, the session or a message that a later page would show.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from events.models import Organization
from workspace.forms.api_tokens import ApiTokenForm
from workspace.selectors.api_tokens import api_token_of_organization_or_404, api_tokens_of
from workspace.selectors.members import is_owner
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.services.api_tokens import NewApiToken, api_token_create, api_token_revoke
from workspace.views.support import acting_user, add_validation_error, owned_organization_or_403


def _render(
    request: HttpRequest,
    organization: Organization,
    *,
    form: ApiTokenForm | None = None,
    created: NewApiToken | None = None,
    status: int = 200,
) -> HttpResponse:
    owner = is_owner(acting_user(request), organization)
    return render(
        request,
        "workspace/api_tokens.html",
        {
            "organization": organization,
            "is_owner": owner,
            "tokens": api_tokens_of(organization),
            "form": form or (ApiTokenForm() if owner else None),
            "created": created,
        },
        status=status,
    )


def _owned_organization(request: HttpRequest, slug: str) -> Organization:
    return owned_organization_or_403(
        request, slug, refusal=_("Only owners can make or revoke API tokens.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def api_tokens(request: HttpRequest, slug: str) -> HttpResponse:
    if request.method == "GET":
        organization = organization_for_member_by_slug_or_404(acting_user(request), slug)
        return _render(request, organization)
    organization = _owned_organization(request, slug)
    form = ApiTokenForm(request.POST)
    if not form.is_valid():
        return _render(request, organization, form=form, status=400)
    try:
        created = api_token_create(
            organization=organization,
            name=form.cleaned_data["name"],
            scope=form.cleaned_data["scope"],
            expires_at=form.cleaned_data["expires_on"],
            actor=acting_user(request),
        )
    except ValidationError as error:
        add_validation_error(form, error)
        return _render(request, organization, form=form, status=400)
    response = _render(request, organization, created=created)
    response["Cache-Control"] = "no-store"
    return response


@login_required
@require_POST
def api_token_revoke_view(request: HttpRequest, slug: str, token_id: int) -> HttpResponse:
    organization = _owned_organization(request, slug)
    token = api_token_of_organization_or_404(organization, token_id)
    api_token_revoke(token=token, actor=acting_user(request))
    messages.success(request, _("The token “%(name)s” no longer works.") % {"name": token.name})
    return redirect("workspace:api_tokens", slug=organization.slug)
