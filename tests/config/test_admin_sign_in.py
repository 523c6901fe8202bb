"""The admin signs people in through allauth's sign-in, rate limit included."""

import pytest
from django.test import Client
from django.urls import reverse

from accounts.models import User

pytestmark = pytest.mark.django_db

PASSWORD = "pw-for-admin"


@pytest.fixture
def admin_user() -> User:
    return User.objects.create_superuser(email="admin@example.org", password=PASSWORD)


def test_the_admin_sign_in_page_sends_people_to_the_site_s_sign_in(client: Client) -> None:
    response = client.get("/admin/login/?next=/admin/")

    assert response.status_code == 302
    assert response["Location"] == f"{reverse('account_login')}?next=%2Fadmin%2F"


def test_forty_wrong_passwords_then_the_right_one_do_not_sign_in_to_the_admin(
    client: Client, admin_user: User
) -> None:
    for _ in range(40):
        client.post("/admin/login/", {"username": admin_user.email, "password": "wrong"})
        client.post(reverse("account_login"), {"login": admin_user.email, "password": "wrong"})

    for response in (
        client.post("/admin/login/", {"username": admin_user.email, "password": PASSWORD}),
        client.post(reverse("account_login"), {"login": admin_user.email, "password": PASSWORD}),
    ):
        assert response.status_code in {200, 302, 429}
        assert "_auth_user_id" not in client.session
    assert client.get("/admin/").status_code == 302


def test_a_superuser_signs_in_to_the_admin_through_the_site_s_sign_in(
    client: Client, admin_user: User
) -> None:
    response = client.post(
        f"{reverse('account_login')}?next=/admin/",
        {"login": admin_user.email, "password": PASSWORD},
    )

    assert response.status_code == 302
    assert response["Location"] == "/admin/"
    assert client.get("/admin/").status_code == 200
