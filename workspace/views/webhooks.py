"""Webhook endpoints of an organization: members look at deliveries; owners change things.

Like the members page, a signed-in organizer (not owner) posting to an owner-only action
gets 403; strangers get 404. The secret is shown to owners only.
"""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from events.models import Organization
from webhooks.event_types import EVENT_TYPES
from webhooks.selectors import deliveries_of, delivery_of_or_404, endpoint_of_or_404, endpoints_of
from webhooks.sending import message_body
from workspace.forms.webhooks import WebhookEndpointForm
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
        },
    )


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
