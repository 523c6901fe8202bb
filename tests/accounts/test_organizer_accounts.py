"""Organizers sign up with email and password and must verify the address first."""

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from tests.factories import MembershipFactory, UserFactory

pytestmark = pytest.mark.django_db

PASSWORD = "correct horse battery"


def test_signup_asks_for_email_and_password_only_and_no_username(client: Client) -> None:
    page = client.get(reverse("account_signup")).content.decode()
    assert 'name="email"' in page
    assert 'name="password1"' in page
    assert 'name="username"' not in page


def test_signup_needs_the_emailed_link_before_the_organizer_is_signed_in(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):  # the outbox sends on commit
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
    assert "_auth_user_id" not in client.session
    assert client.get(reverse("registrations:mine"))["Location"].startswith(
        reverse("account_login")
    )
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("account_login"), {"login": "new@example.org", "password": "a-long-new-pass"}
        )
    assert response["Location"] == reverse("account_email_verification_sent")
    assert "_auth_user_id" not in client.session

    link = re.search(r"https?://\S+/accounts/confirm-email/\S+", mail.outbox[-1].body)
    assert link, mail.outbox[-1].body
    confirm_path = link.group(0).split("testserver", 1)[1]
    client.post(confirm_path)

    assert EmailAddress.objects.get(email="new@example.org").verified
    response = client.post(
        reverse("account_login"), {"login": "new@example.org", "password": "a-long-new-pass"}
    )
    assert response.status_code == 302
    assert client.session["_auth_user_id"] == str(User.objects.get(email="new@example.org").pk)


@pytest.mark.parametrize("url_name", ["account_signup", "account_reset_password"])
def test_an_address_at_an_ip_address_is_refused_and_gets_no_email(
    client: Client, url_name: str
) -> None:
    response = client.post(
        reverse(url_name),
        {
            "email": "new@[127.0.0.1]",
            "password1": "a-long-new-pass",
            "password2": "a-long-new-pass",
        },
    )

    assert response.status_code == 200
    assert "not an IP address" in response.content.decode()
    assert not User.objects.exists()
    assert mail.outbox == []


def test_verified_organizer_signs_in_with_password_and_lands_in_the_workspace(
    client: Client,
) -> None:
    organizer = UserFactory(email="org@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    MembershipFactory(user=organizer)

    response = client.post(
        reverse("account_login"), {"login": "ORG@example.org", "password": PASSWORD}
    )

    assert response.status_code == 302
    assert response["Location"] == reverse("workspace:home")


def test_wrong_password_shows_an_error_on_the_page(client: Client) -> None:
    organizer = UserFactory(email="org@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)

    response = client.post(reverse("account_login"), {"login": "org@example.org", "password": "no"})

    assert response.status_code == 200
    assert "not correct" in response.content.decode()
    assert "_auth_user_id" not in client.session


def test_account_pages_use_the_site_layout(client: Client) -> None:
    for url in (
        reverse("account_login"),
        reverse("account_signup"),
        reverse("account_request_login_code"),
        reverse("account_reset_password"),
    ):
        page = client.get(url).content.decode()
        assert 'class="site-header"' in page, url
        assert "convene.css" in page, url
        assert '<main id="main" class="account">' in page, url


def test_a_new_organizer_without_an_organization_lands_in_the_workspace(client: Client) -> None:
    """Where they are offered to create an organization (issue 11)."""
    organizer = UserFactory(email="founder@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    response = client.post(
        reverse("account_login"), {"login": "founder@example.org", "password": PASSWORD}
    )
    assert response["Location"] == reverse("workspace:home")
    assert "Create an organization" in client.get(response["Location"]).content.decode()
