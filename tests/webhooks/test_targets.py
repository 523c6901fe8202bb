"""No server-side request forgery: under production settings (WEBHOOKS_ALLOW_PRIVATE_TARGETS
off), private, loopback, link-local, multicast and reserved targets are refused when an
endpoint is saved and again at send time; the request goes to the address that was checked,
and a redirect is an answer, never followed."""

import socket
from collections.abc import Callable
from typing import Any

import pytest
from django.core.exceptions import ValidationError

from events.models import Organization
from tests.factories import EventFactory, register
from tests.webhooks.receiver import Answer, Receiver, running_receiver
from webhooks.models import WebhookDelivery, WebhookEndpoint
from webhooks.services import webhook_endpoint_create
from webhooks.targets import UnsafeTarget, target_check

pytestmark = pytest.mark.django_db

PUBLIC = "93.184.215.14"


@pytest.fixture
def production(settings: Any) -> None:
    settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS = False


@pytest.fixture
def dns(monkeypatch: pytest.MonkeyPatch) -> dict[str, list[str]]:
    """Names this test's DNS knows (others resolve as usual); ``lookups`` records each name
    that was resolved."""
    records: dict[str, list[str]] = {"lookups": []}
    real = socket.getaddrinfo

    def getaddrinfo(host: Any, port: Any, *args: Any, **kwargs: Any) -> Any:
        records["lookups"].append(host)
        if host in records:
            return [
                (
                    socket.AF_INET6 if ":" in address else socket.AF_INET,
                    socket.SOCK_STREAM,
                    6,
                    "",
                    (address, port),
                )
                for address in records[host]
            ]
        return real(host, port, *args, **kwargs)

    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    return records


@pytest.mark.parametrize(
    "url",
    [
        "https://127.0.0.1/hook",
        "https://localhost/hook",
        "https://10.1.2.3/hook",
        "https://172.16.0.1/hook",
        "https://192.168.1.1/hook",
        "https://169.254.169.254/latest/meta-data",  # cloud metadata, link-local
        "https://100.64.0.1/hook",  # shared address space (carrier-grade NAT)
        "https://0.0.0.0/hook",
        "https://224.0.0.1/hook",  # multicast
        "https://240.0.0.1/hook",  # reserved
        "https://[::1]/hook",
        "https://[fe80::1]/hook",
        "https://[fd00::1]/hook",
        "https://[::ffff:127.0.0.1]/hook",  # IPv4-mapped loopback
        "https://2130706433/hook",  # 127.0.0.1 written as one number
    ],
)
def test_a_private_address_is_refused_under_production_settings(
    production: None, organization: Organization, url: str
) -> None:
    with pytest.raises(ValidationError) as refused:
        webhook_endpoint_create(
            organization=organization, url=url, event_types=["registration.created"]
        )

    assert "url" in refused.value.message_dict
    assert not WebhookEndpoint.objects.exists()


def test_plain_http_and_credentials_are_refused_under_production_settings(
    production: None, dns: dict[str, list[str]]
) -> None:
    dns["hooks.example.com"] = [PUBLIC]

    with pytest.raises(UnsafeTarget, match="https"):
        target_check("http://hooks.example.com/hook")
    with pytest.raises(UnsafeTarget, match="user name"):
        target_check("https://user:pass@hooks.example.com/hook")
    assert str(target_check("https://hooks.example.com/hook").address) == PUBLIC


def test_a_name_with_any_private_address_is_refused(
    production: None, dns: dict[str, list[str]]
) -> None:
    dns["rebind.example.com"] = [PUBLIC, "10.0.0.7"]
    dns["nowhere.example.com"] = []

    with pytest.raises(UnsafeTarget, match="private network"):
        target_check("https://rebind.example.com/hook")
    with pytest.raises(UnsafeTarget, match="could not be found"):
        target_check("https://nowhere.example.com/hook")


def test_loopback_is_allowed_under_the_test_and_dev_settings(settings: Any) -> None:
    assert settings.WEBHOOKS_ALLOW_PRIVATE_TARGETS is True
    assert str(target_check("http://127.0.0.1:8022/hook").address) == "127.0.0.1"


def test_dns_that_changes_to_a_private_address_is_refused_at_send_time(
    production: None,
    dns: dict[str, list[str]],
    organization: Organization,
    receiver: Receiver,
    django_capture_on_commit_callbacks: Any,
) -> None:
    dns["hooks.example.com"] = [PUBLIC]
    endpoint = webhook_endpoint_create(
        organization=organization,
        url=f"https://hooks.example.com:{receiver.port}/hook",
        event_types=["registration.created"],
    )
    dns["hooks.example.com"] = ["127.0.0.1"]  # the owner's DNS now points inside

    with django_capture_on_commit_callbacks(execute=True):
        register(EventFactory(organization=organization), "ana@example.org")

    delivery = WebhookDelivery.objects.get(endpoint=endpoint)
    assert receiver.received == []
    assert delivery.status == "queued"  # tried again later: DNS may change back
    assert "private network" in delivery.last_error


def test_the_request_goes_to_the_address_that_was_checked(
    dns: dict[str, list[str]],
    organization: Organization,
    receiver: Receiver,
    subscribe: Callable[..., WebhookEndpoint],
    django_capture_on_commit_callbacks: Any,
) -> None:
    """One lookup per attempt, by our check; the connection is made to its answer, so a
    second lookup (DNS rebinding between check and connect) has nothing to change."""
    dns["hooks.example.com"] = ["127.0.0.1"]
    endpoint = subscribe(["registration.created"])
    WebhookEndpoint.objects.filter(pk=endpoint.pk).update(
        url=f"http://hooks.example.com:{receiver.port}/hook"
    )
    dns["lookups"].clear()

    with django_capture_on_commit_callbacks(execute=True):
        register(EventFactory(organization=organization), "ana@example.org")

    (request,) = receiver.received
    assert request.verified
    assert request.headers["host"] == f"hooks.example.com:{receiver.port}"
    assert [name for name in dns["lookups"] if name == "hooks.example.com"] == ["hooks.example.com"]


def test_a_redirect_is_not_followed(
    organization: Organization,
    receiver: Receiver,
    subscribe: Callable[..., WebhookEndpoint],
    django_capture_on_commit_callbacks: Any,
) -> None:
    subscribe(["registration.created"])
    with running_receiver() as inside:
        receiver.answers = [Answer(307, headers={"Location": inside.url})]
        with django_capture_on_commit_callbacks(execute=True):
            register(EventFactory(organization=organization), "ana@example.org")

        assert inside.received == []
    delivery = WebhookDelivery.objects.get()
    assert (delivery.status, delivery.response_status) == ("failed", 307)
