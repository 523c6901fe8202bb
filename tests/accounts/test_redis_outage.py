"""Sign-in and its neighbours work while the cache of their rate limits (Redis) is down."""

from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.test import Client, override_settings
from django.urls import reverse

from tests.factories import UserFactory

pytestmark = [
    pytest.mark.django_db,
    pytest.mark.usefixtures("redis_is_down"),
]

PASSWORD = "correct horse battery"


@pytest.fixture
def redis_is_down() -> Any:
    nothing_listens = {
        "default": {"BACKEND": "config.redis_cache.RedisCache", "LOCATION": "redis://127.0.0.1:1/0"}
    }
    with override_settings(CACHES=nothing_listens):
        yield


def test_an_organizer_signs_in(client: Client) -> None:
    organizer = UserFactory(email="org@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)

    response = client.post(
        reverse("account_login"), {"login": "org@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(organizer.pk)


def test_a_wrong_password_is_still_just_wrong(client: Client) -> None:
    organizer = UserFactory(email="org@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": "org@example.org", "password": "x"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()


def test_someone_signs_up(client: Client, django_capture_on_commit_callbacks: Any) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_signup"),
            {
                "email": "new@example.org",
                "password1": "a-long-new-pass",
                "password2": "a-long-new-pass",
            },
        )

    assert response.status_code == 302
    assert response["Location"] == reverse("account_email_verification_sent")


def test_someone_asks_for_a_password_reset(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="org@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_reset_password"), {"email": "org@example.org"})

    assert response.status_code == 302


def test_someone_asks_for_a_sign_in_code(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(reverse("account_request_login_code"), {"email": "a@example.org"})

    assert response.status_code == 302
    assert response["Location"] == reverse("account_confirm_login_code")
