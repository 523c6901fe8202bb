"""The webhook pages: owners add endpoints, send a test and replay; members see deliveries."""

from collections.abc import Iterator
from datetime import timedelta
from typing import Any

import pytest
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxEmail
from registrations.services import registration_cancel
from tests.factories import register
from tests.webhooks.receiver import Answer, Receiver, running_receiver
from tests.workspace.conftest import Workspace, client_for
from webhooks.models import WebhookDelivery, WebhookEndpoint
from workspace.models import AuditLogEntry


@pytest.fixture
def receiver() -> Iterator[Receiver]:
    with running_receiver() as running:
        yield running


def _endpoints_url(workspace: Workspace) -> str:
    return reverse("workspace:webhook_endpoints", kwargs={"slug": workspace.organization.slug})


def _add(workspace: Workspace, url: str, *types: str) -> Any:
    return client_for(workspace.owner).post(
        _endpoints_url(workspace), {"url": url, "event_types": list(types)}
    )


def test_an_owner_adds_an_endpoint_and_sees_its_secret(
    workspace: Workspace, receiver: Receiver
) -> None:
    response = _add(workspace, receiver.url, "registration.created", "checkin.created")

    endpoint = WebhookEndpoint.objects.get()
    assert response.status_code == 302
    assert response["Location"] == reverse(
        "workspace:webhook_endpoint",
        kwargs={"slug": workspace.organization.slug, "endpoint_id": endpoint.pk},
    )
    assert endpoint.event_types == ["registration.created", "checkin.created"]
    page = client_for(workspace.owner).get(response["Location"]).content.decode()
    assert endpoint.secret in page
    entry = AuditLogEntry.objects.get(action="webhook.endpoint_added")
    assert entry.actor == workspace.owner


def test_a_private_address_is_a_field_error_under_production_settings(
    workspace: Workspace, settings: Any
) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False

    response = _add(workspace, "https://169.254.169.254/latest", "registration.created")

    assert response.status_code == 400
    assert "private network" in response.content.decode()
    assert not WebhookEndpoint.objects.exists()


def test_no_event_type_or_an_unknown_one_is_a_field_error(workspace: Workspace) -> None:
    assert _add(workspace, "http://127.0.0.1:9/", "registration.exploded").status_code == 400
    assert _add(workspace, "http://127.0.0.1:9/").status_code == 400
    assert not WebhookEndpoint.objects.exists()


def test_an_organizer_sees_deliveries_but_not_the_secret_and_cannot_change_anything(
    workspace: Workspace, receiver: Receiver
) -> None:
    _add(workspace, receiver.url, "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    delivery = WebhookDelivery.objects.create(
        endpoint=endpoint,
        event_type="registration.created",
        payload={"registration": {"name": "Ana"}},
        status=WebhookDelivery.Status.FAILED,
        response_status=500,
        response_body="Internal trouble",
    )
    organizer = client_for(workspace.organizer)
    kwargs = {"slug": workspace.organization.slug, "endpoint_id": endpoint.pk}

    page = organizer.get(reverse("workspace:webhook_endpoint", kwargs=kwargs)).content.decode()
    detail = organizer.get(
        reverse("workspace:webhook_delivery", kwargs={**kwargs, "delivery_id": delivery.pk})
    ).content.decode()

    assert endpoint.secret not in page
    assert "500" in page
    assert "Internal trouble" in detail
    assert "&quot;name&quot;:&quot;Ana&quot;" in detail
    for name in ("webhook_endpoint_remove", "webhook_endpoint_test", "webhook_endpoint_enable"):
        assert organizer.post(reverse(f"workspace:{name}", kwargs=kwargs)).status_code == 403
    replay = reverse(
        "workspace:webhook_delivery_replay", kwargs={**kwargs, "delivery_id": delivery.pk}
    )
    assert organizer.post(replay).status_code == 403
    assert organizer.post(_endpoints_url(workspace), {"url": receiver.url}).status_code == 403
    assert WebhookEndpoint.objects.count() == 1
    assert WebhookDelivery.objects.count() == 1


def test_a_test_message_reaches_the_receiver_and_shows_in_the_list(
    workspace: Workspace, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _add(workspace, receiver.url, "registration.waitlisted")
    endpoint = WebhookEndpoint.objects.get()
    receiver.secret = endpoint.secret
    kwargs = {"slug": workspace.organization.slug, "endpoint_id": endpoint.pk}

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(workspace.owner).post(
            reverse("workspace:webhook_endpoint_test", kwargs=kwargs)
        )

    assert response.status_code == 302
    (request,) = receiver.received
    assert request.verified
    assert request.message["type"] == "webhook.test"
    assert request.message["data"]["registration"]["email"] == "person@example.org"
    page = client_for(workspace.owner).get(response["Location"]).content.decode()
    assert "webhook.test" in page
    assert "Delivered" in page


def test_a_failed_delivery_is_replayed_with_the_same_webhook_id(
    workspace: Workspace, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _add(workspace, receiver.url, "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    receiver.secret = endpoint.secret
    receiver.answers = [Answer(404, body="no such hook yet")]
    with django_capture_on_commit_callbacks(execute=True):
        register(workspace.event, "ana@example.org")
    failed = WebhookDelivery.objects.get()
    assert (failed.status, failed.response_status) == ("failed", 404)
    kwargs = {
        "slug": workspace.organization.slug,
        "endpoint_id": endpoint.pk,
        "delivery_id": failed.pk,
    }

    with django_capture_on_commit_callbacks(execute=True):
        response = client_for(workspace.owner).post(
            reverse("workspace:webhook_delivery_replay", kwargs=kwargs)
        )

    assert response.status_code == 302
    replay = WebhookDelivery.objects.exclude(pk=failed.pk).get()
    assert replay.status == "delivered"
    assert replay.replay_of == failed
    first, second = receiver.received
    assert first.headers["webhook-id"] == second.headers["webhook-id"] == failed.message_id
    assert first.message["data"] == second.message["data"]


def test_a_disabled_endpoint_is_enabled_again_by_an_owner(workspace: Workspace) -> None:
    _add(workspace, "http://127.0.0.1:9/", "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        disabled_at=endpoint.created_at, disabled_reason="The endpoint answered 410 Gone."
    )
    kwargs = {"slug": workspace.organization.slug, "endpoint_id": endpoint.pk}
    owner = client_for(workspace.owner)
    page = owner.get(reverse("workspace:webhook_endpoint", kwargs=kwargs)).content.decode()
    assert "410 Gone" in page

    owner.post(reverse("workspace:webhook_endpoint_enable", kwargs=kwargs))

    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.disabled_reason == ""


def test_another_organizations_endpoint_is_a_404(workspace: Workspace) -> None:
    _add(workspace, "http://127.0.0.1:9/", "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    stranger = client_for(workspace.other_member)

    response = stranger.get(
        reverse(
            "workspace:webhook_endpoint",
            kwargs={"slug": workspace.other_organization.slug, "endpoint_id": endpoint.pk},
        )
    )

    assert response.status_code == 404


# --- changing an endpoint, rotating its secret ---------------------------------------------


def _endpoint_kwargs(workspace: Workspace, endpoint: WebhookEndpoint) -> dict[str, object]:
    return {"slug": workspace.organization.slug, "endpoint_id": endpoint.pk}


def _edit(workspace: Workspace, endpoint: WebhookEndpoint, **data: Any) -> Any:
    url = reverse("workspace:webhook_endpoint_edit", kwargs=_endpoint_kwargs(workspace, endpoint))
    return client_for(workspace.owner).post(url, data)


def test_an_owner_changes_the_url_types_and_description_of_an_endpoint(
    workspace: Workspace, receiver: Receiver, django_capture_on_commit_callbacks: Any
) -> None:
    _add(workspace, "http://127.0.0.1:9/old", "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    receiver.secret = endpoint.secret
    secret = endpoint.secret
    edit_url = reverse(
        "workspace:webhook_endpoint_edit", kwargs=_endpoint_kwargs(workspace, endpoint)
    )
    form = client_for(workspace.owner).get(edit_url).content.decode()
    assert "http://127.0.0.1:9/old" in form

    response = _edit(
        workspace,
        endpoint,
        url=receiver.url,
        event_types=["checkin.created", "registration.cancelled"],
        description="Door tablet",
        enabled="on",
    )

    assert response.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.url == receiver.url
    assert endpoint.event_types == ["registration.cancelled", "checkin.created"]
    assert endpoint.description == "Door tablet"
    assert endpoint.secret == secret
    entry = AuditLogEntry.objects.get(action="webhook.endpoint_changed")
    assert entry.actor == workspace.owner
    assert entry.details["previous_url"] == "http://127.0.0.1:9/old"
    # The new types and address are what is sent from now on.
    with django_capture_on_commit_callbacks(execute=True):
        registration = register(workspace.event, "ana@example.org")
        registration_cancel(registration=registration)
    assert receiver.types() == ["registration.cancelled"]
    assert receiver.received[0].path == "/hooks"
    assert receiver.received[0].verified


def test_a_changed_url_is_checked_as_when_added(workspace: Workspace, settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False
    # A host that never resolves: saving it again unchanged must not look it up.
    endpoint = WebhookEndpoint.objects.create(
        organization=workspace.organization,
        url="https://hooks.example.invalid/in",
        event_types=["registration.created"],
        secret="whsec_x",
    )

    for url in ("https://169.254.169.254/latest", "https://10.0.0.7/in", "http://[::1]/in"):
        response = _edit(workspace, endpoint, url=url, event_types=["registration.created"])
        assert response.status_code == 400, url
        assert 'class="errorlist' in response.content.decode()
    endpoint.refresh_from_db()
    assert endpoint.url == "https://hooks.example.invalid/in"
    assert not AuditLogEntry.objects.filter(action="webhook.endpoint_changed").exists()

    unchanged_url = _edit(
        workspace,
        endpoint,
        url="https://hooks.example.invalid/in",
        event_types=["registration.created", "checkin.created"],
        enabled="on",
    )

    assert unchanged_url.status_code == 302
    endpoint.refresh_from_db()
    assert endpoint.event_types == ["registration.created", "checkin.created"]


def test_unticking_enabled_pauses_the_endpoint_without_emailing_anyone(
    workspace: Workspace,
) -> None:
    _add(workspace, "http://127.0.0.1:9/", "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    queued = WebhookDelivery.objects.create(endpoint=endpoint, event_type="registration.created")
    outbox_before = OutboxEmail.objects.count()

    _edit(workspace, endpoint, url=endpoint.url, event_types=["registration.created"])

    endpoint.refresh_from_db()
    queued.refresh_from_db()
    assert not endpoint.is_active
    assert queued.status == "failed"
    assert OutboxEmail.objects.count() == outbox_before
    register(workspace.event, "ana@example.org")
    assert WebhookDelivery.objects.count() == 1

    _edit(workspace, endpoint, url=endpoint.url, event_types=["registration.created"], enabled="1")

    endpoint.refresh_from_db()
    assert endpoint.is_active
    assert endpoint.disabled_reason == ""


def test_rotating_the_secret_signs_with_both_until_the_overlap_ends(
    workspace: Workspace,
    receiver: Receiver,
    settings: Any,
    django_capture_on_commit_callbacks: Any,
) -> None:
    settings.WEBHOOKS_SECRET_OVERLAP = 3600
    _add(workspace, receiver.url, "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    old_secret = endpoint.secret
    kwargs = _endpoint_kwargs(workspace, endpoint)

    owner = client_for(workspace.owner)

    response = owner.post(reverse("workspace:webhook_endpoint_rotate_secret", kwargs=kwargs))

    endpoint.refresh_from_db()
    assert response.status_code == 302
    assert endpoint.secret != old_secret
    page = owner.get(response["Location"]).content.decode()
    assert endpoint.secret in page
    assert old_secret not in page
    assert "For 1 hour the old one signs too" in page
    assert AuditLogEntry.objects.filter(action="webhook.secret_rotated").count() == 1

    # A receiver still holding the old secret, and one already switched, both verify.
    for secret, email in ((old_secret, "one@example.org"), (endpoint.secret, "two@example.org")):
        receiver.secret = secret
        with django_capture_on_commit_callbacks(execute=True):
            register(workspace.event, email)
        assert receiver.received[-1].verified
        assert len(receiver.received[-1].headers["webhook-signature"].split()) == 2

    # Once the overlap is over, only the new secret signs.
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        previous_secret_expires_at=timezone.now() - timedelta(seconds=1)
    )
    receiver.secret = old_secret
    with django_capture_on_commit_callbacks(execute=True):
        register(workspace.event, "late@example.org")
    assert not receiver.received[-1].verified
    assert len(receiver.received[-1].headers["webhook-signature"].split()) == 1


def test_an_organizer_cannot_change_an_endpoint_or_rotate_its_secret(
    workspace: Workspace,
) -> None:
    _add(workspace, "http://127.0.0.1:9/", "registration.created")
    endpoint = WebhookEndpoint.objects.get()
    secret = endpoint.secret
    kwargs = _endpoint_kwargs(workspace, endpoint)
    organizer = client_for(workspace.organizer)

    assert (
        organizer.get(reverse("workspace:webhook_endpoint_edit", kwargs=kwargs)).status_code == 403
    )
    changed = organizer.post(
        reverse("workspace:webhook_endpoint_edit", kwargs=kwargs),
        {"url": "http://127.0.0.1:9/mine", "event_types": ["registration.created"]},
    )
    rotated = organizer.post(reverse("workspace:webhook_endpoint_rotate_secret", kwargs=kwargs))

    assert (changed.status_code, rotated.status_code) == (403, 403)
    endpoint.refresh_from_db()
    assert (endpoint.url, endpoint.secret) == ("http://127.0.0.1:9/", secret)
    stranger = client_for(workspace.other_member)
    assert (
        stranger.get(reverse("workspace:webhook_endpoint_edit", kwargs=kwargs)).status_code == 404
    )
