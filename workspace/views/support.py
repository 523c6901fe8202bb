"""Small helpers the workspace views share: the acting member, going back, domain errors."""

from django import forms
from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied, ValidationError
from django.http import HttpRequest, HttpResponseRedirect
from django.utils.http import url_has_allowed_host_and_scheme

from accounts.models import User
from events.models import Organization
from workspace.selectors.members import is_owner
from workspace.selectors.organizations import organization_for_member_by_slug_or_404


def acting_user(request: HttpRequest) -> User:
    """The signed-in user of a ``login_required`` view, typed as ``User``.

    The one way workspace views reach the person acting (``request.user`` is typed as
    possibly anonymous); a view that forgot ``login_required`` fails here, loudly.
    """
    assert isinstance(request.user, User)
    return request.user


def safe_next_url(request: HttpRequest, default: str) -> str:
    """The ``next`` parameter if it points into this site, else ``default``."""
    target = request.POST.get("next") or request.GET.get("next") or ""
    if url_has_allowed_host_and_scheme(
        target, allowed_hosts={request.get_host()}, require_https=request.is_secure()
    ):
        return target
    return default


def redirect_back(request: HttpRequest, default: str) -> HttpResponseRedirect:
    """To the page the action was taken on (``next``, same site only), else ``default``.

    303 so a reload of the page we land on never repeats the POST.
    """
    response = HttpResponseRedirect(safe_next_url(request, default))
    response.status_code = 303
    return response


def add_validation_error(form: forms.BaseForm, error: ValidationError) -> None:
    """Put a service's ValidationError next to the matching field, or above the form."""
    if not hasattr(error, "error_dict"):
        form.add_error(None, error)
        return
    for field, errors in error.error_dict.items():
        form.add_error(field if field in form.fields else NON_FIELD_ERRORS, errors)


def owned_organization_or_403(request: HttpRequest, slug: str, *, refusal: str) -> Organization:
    """The organization if the signed-in user owns it; 404 for a stranger, 403 (with
    ``refusal``) for a member who is not an owner."""
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    if not is_owner(user, organization):
        raise PermissionDenied(refusal)
    return organization
