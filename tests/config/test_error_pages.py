"""Error pages answer with the site's own page and never read the body again."""

import pytest
from django.test import Client

from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

LATIN_1_FORM = "application/x-www-form-urlencoded; charset=latin-1"


def csrf_checking_client() -> Client:
    client = Client(enforce_csrf_checks=True)
    client.cookies["csrftoken"] = "a" * 32
    return client


@pytest.mark.parametrize(
    "url",
    ["/events/{slug}/register/", "/accounts/login/", "/i18n/setlang/", "/manage/"],
)
def test_a_form_declared_latin_1_with_a_cookie_and_no_token_is_a_400_not_a_500(
    url: str,
) -> None:
    """Django ticket #34709: its 400 view checked the CSRF token again, re-reading the body."""
    event = EventFactory()

    response = csrf_checking_client().post(
        url.format(slug=event.slug), data=b"name=Ana%FF", content_type=LATIN_1_FORM
    )

    assert response.status_code == 400
    assert "Bad request" in response.content.decode()


def test_a_form_without_its_token_gets_the_sites_own_page() -> None:
    event = EventFactory()

    response = csrf_checking_client().post(
        f"/events/{event.slug}/register/", {"name": "Ana", "email": "ana@example.org"}
    )

    assert response.status_code == 403
    page = response.content.decode()
    assert "This form could not be sent" in page
    assert "reload the page" in page
