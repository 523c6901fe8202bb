"""Webhook endpoints of an organization: members look at deliveries; owners change things.

Like the members page, a signed-in organizer (not owner) posting to an owner-only action
gets 403; strangers get 404. The secret is shown to owners only.
"""

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import ngettext
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Organization
from webhooks.event_types import EVENT_TYPES
from webhooks.selectors import deliveries_of, delivery_of_or_404, endpoint_of_or_404, endpoints_of
from webhooks.sending import message_body
from workspace.forms.webhooks import WebhookEndpointChangeForm, WebhookEndpointForm
from workspace.selectors.members import is_owner
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.services import webhooks as webhook_services
from workspace.views.support import acting_user, add_validation_error, owned_organization_or_403

DELIVERIES_PER_PAGE = 50


def _owned_organization(request: HttpRequest, slug: str) -> Organization:
    return owned_organization_or_403(
        request, slug, refusal=_("Only owners can change webhook endpoints.")
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_endpoints(request: HttpRequest, slug: str) -> HttpResponse:
    user = acting_user(request)
    if request.method == "POST":
        organization = _owned_organization(request, slug)
        form = WebhookEndpointForm(request.POST)
        if form.is_valid():
            try:
                endpoint = webhook_services.webhook_endpoint_add(
                    actor=user,
                    organization=organization,
                    url=form.cleaned_data["url"],
                    event_types=form.cleaned_data["event_types"],
                    description=form.cleaned_data["description"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Endpoint added. Copy its secret below."))
                return redirect(
                    "workspace:webhook_endpoint", slug=organization.slug, endpoint_id=endpoint.pk
                )
        status = 400
    else:
        organization = organization_for_member_by_slug_or_404(user, slug)
        form = WebhookEndpointForm(initial={"event_types": list(EVENT_TYPES)})
        status = 200
    owner = is_owner(user, organization)
    return render(
        request,
        "workspace/webhooks/endpoints.html",
        {
            "organization": organization,
            "is_owner": owner,
            "endpoints": endpoints_of(organization),
            "form": form if owner else None,
        },
        status=status,
    )


@login_required
@require_GET
def webhook_endpoint(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    page = Paginator(deliveries_of(endpoint), DELIVERIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/webhooks/endpoint.html",
        {
            "organization": organization,
            "endpoint": endpoint,
            "is_owner": is_owner(user, organization),
            "page": page,
            "previous_secret_signs_until": (
                endpoint.previous_secret_expires_at
                if len(endpoint.signing_secrets(timezone.now())) > 1
                else None
            ),
        },
    )


@login_required
@require_http_methods(["GET", "POST"])
def webhook_endpoint_edit(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    """Change the URL (checked as when adding it), the event types, the description, and
    whether messages are sent to it."""
    organization = _owned_organization(request, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    if request.method == "POST":
        form = WebhookEndpointChangeForm(request.POST)
        if form.is_valid():
            try:
                webhook_services.webhook_endpoint_change(
                    actor=acting_user(request),
                    endpoint=endpoint,
                    url=form.cleaned_data["url"],
                    event_types=form.cleaned_data["event_types"],
                    description=form.cleaned_data["description"],
                    enabled=form.cleaned_data["enabled"],
                )
            except ValidationError as error:
                add_validation_error(form, error)
            else:
                messages.success(request, _("Endpoint saved."))
                return redirect(
                    "workspace:webhook_endpoint", slug=organization.slug, endpoint_id=endpoint.pk
                )
        status = 400
    else:
        form = WebhookEndpointChangeForm(
            initial={
                "url": endpoint.url,
                "description": endpoint.description,
                "event_types": endpoint.event_types,
                "enabled": endpoint.is_active,
            }
        )
        status = 200
    return render(
        request,
        "workspace/webhooks/edit.html",
        {"organization": organization, "endpoint": endpoint, "form": form},
        status=status,
    )


@login_required
@require_POST
def webhook_endpoint_rotate_secret(
    request: HttpRequest, slug: str, endpoint_id: int
) -> HttpResponse:
    organization = _owned_organization(request, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    webhook_services.webhook_endpoint_rotate_secret(actor=acting_user(request), endpoint=endpoint)
    hours = round(settings.WEBHOOKS_SECRET_OVERLAP / 3600)
    messages.success(
        request,
        ngettext(
            "New secret below. For %(hours)d hour the old one signs too, so messages keep "
            "verifying while you switch your receiver to the new one.",
            "New secret below. For %(hours)d hours the old one signs too, so messages keep "
            "verifying while you switch your receiver to the new one.",
            hours,
        )
        % {"hours": hours},
    )
    return redirect("workspace:webhook_endpoint", slug=organization.slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_endpoint_remove(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    organization = _owned_organization(request, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    webhook_services.webhook_endpoint_remove(actor=acting_user(request), endpoint=endpoint)
    messages.success(request, _("Endpoint removed."))
    return redirect("workspace:webhook_endpoints", slug=organization.slug)


@login_required
@require_POST
def webhook_endpoint_enable(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    organization = _owned_organization(request, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    webhook_services.webhook_endpoint_enable(actor=acting_user(request), endpoint=endpoint)
    messages.success(request, _("Endpoint enabled: new changes are sent to it again."))
    return redirect("workspace:webhook_endpoint", slug=organization.slug, endpoint_id=endpoint.pk)


@login_required
@require_POST
def webhook_endpoint_test(request: HttpRequest, slug: str, endpoint_id: int) -> HttpResponse:
    organization = _owned_organization(request, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    try:
        webhook_services.webhook_test_send(actor=acting_user(request), endpoint=endpoint)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Test message queued; it shows below once sent."))
    return redirect("workspace:webhook_endpoint", slug=organization.slug, endpoint_id=endpoint.pk)


@login_required
@require_GET
def webhook_delivery(
    request: HttpRequest, slug: str, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    user = acting_user(request)
    organization = organization_for_member_by_slug_or_404(user, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    delivery = delivery_of_or_404(endpoint, delivery_id)
    return render(
        request,
        "workspace/webhooks/delivery.html",
        {
            "organization": organization,
            "endpoint": endpoint,
            "delivery": delivery,
            "body": message_body(delivery),
            "is_owner": is_owner(user, organization),
        },
    )


@login_required
@require_POST
def webhook_delivery_replay(
    request: HttpRequest, slug: str, endpoint_id: int, delivery_id: int
) -> HttpResponse:
    organization = _owned_organization(request, slug)
    endpoint = endpoint_of_or_404(organization, endpoint_id)
    delivery = delivery_of_or_404(endpoint, delivery_id)
    try:
        webhook_services.webhook_delivery_replay(actor=acting_user(request), delivery=delivery)
    except ValidationError as error:
        messages.error(request, " ".join(error.messages))
    else:
        messages.success(request, _("Queued to be sent again; it shows at the top of the list."))
    return redirect("workspace:webhook_endpoint", slug=organization.slug, endpoint_id=endpoint.pk)
