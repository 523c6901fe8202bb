"""Attendees sign in with a code sent to the address they registered with.

The code goes through the outbox: its email is sent once the request's transaction commits,
which inside a test's transaction means within ``django_capture_on_commit_callbacks``.
"""

import re
from typing import Any

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.test import Client
from django.urls import reverse

from accounts.models import User
from events.models import Event
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from registrations.services import registration_create
from tests.factories import EventFactory, UserFactory

pytestmark = pytest.mark.django_db

REQUEST_CODE_URL = reverse("account_request_login_code")
CONFIRM_CODE_URL = reverse("account_confirm_login_code")
# allauth formats sign-in codes like "RZSM-WQFK", alone on a line of the email.
CODE_LINE = re.compile(r"^\s*([A-Z0-9]{4}-[A-Z0-9]{4})\s*$", re.MULTILINE)


def register(event: Event, email: str) -> Registration:
    return registration_create(
        event=event, name="Ana", email=email, time_zone="Asia/Tehran"
    ).registration


def code_from_last_email() -> str:
    match = CODE_LINE.search(mail.outbox[-1].body)
    assert match, mail.outbox[-1].body
    return match.group(1)


def test_attendee_without_account_gets_a_code_and_sees_their_registrations(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    webinar = EventFactory(title="Organizing across borders")
    readings = EventFactory(title="Evening of readings", capacity=1)
    register(readings, "someone-else@example.org")
    first = register(webinar, "Ana@Example.org")
    waitlisted = register(readings, "ana@example.org")
    register(EventFactory(title="Not Ana's event"), "bob@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST_CODE_URL, {"email": "ana@example.org"})

    assert response.status_code == 302
    assert response["Location"] == CONFIRM_CODE_URL
    assert mail.outbox[-1].to == ["ana@example.org"]
    assert "sign-in code" in mail.outbox[-1].body
    user = User.objects.get(email="ana@example.org")
    assert not user.has_usable_password()
    assert not EmailAddress.objects.get(user=user).verified

    response = client.post(CONFIRM_CODE_URL, {"code": code_from_last_email()})

    assert response.status_code == 302
    assert response["Location"] == reverse("registrations:mine")
    assert EmailAddress.objects.get(user=user).verified
    page = client.get(response["Location"]).content.decode()
    assert "Organizing across borders" in page
    assert "Evening of readings" in page
    assert "Not Ana&#x27;s event" not in page and "Not Ana's event" not in page
    assert reverse("registrations:manage", args=[registration_manage_token(first)]) in page
    assert reverse("registrations:manage", args=[registration_manage_token(waitlisted)]) in page
    assert "Waitlisted" in page


def test_a_wrong_code_signs_nobody_in(client: Client) -> None:
    register(EventFactory(), "ana@example.org")
    client.post(REQUEST_CODE_URL, {"email": "ana@example.org"})

    response = client.post(CONFIRM_CODE_URL, {"code": "WRONG1"})

    assert response.status_code == 200
    assert "_auth_user_id" not in client.session
    assert not EmailAddress.objects.get(email="ana@example.org").verified


def test_an_unknown_address_gets_the_same_answer_and_no_account(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    register(EventFactory(), "known@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        known = client.post(REQUEST_CODE_URL, {"email": "known@example.org"})
        unknown = Client().post(REQUEST_CODE_URL, {"email": "nobody@example.org"})

    assert (unknown.status_code, unknown["Location"]) == (known.status_code, known["Location"])
    assert not User.objects.filter(email="nobody@example.org").exists()
    unknown_mail = mail.outbox[-1]
    assert unknown_mail.to == ["nobody@example.org"]
    assert not CODE_LINE.search(unknown_mail.body)


def test_a_code_for_an_address_at_an_ip_address_is_refused_and_nothing_is_sent(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(REQUEST_CODE_URL, {"email": "nobody@[127.0.0.1]"})

    assert response.status_code == 200
    assert "not an IP address" in response.content.decode()
    assert mail.outbox == []
    assert not User.objects.exists()


def test_confirm_page_looks_the_same_for_known_and_unknown_addresses() -> None:
    register(EventFactory(), "known@example.org")
    pages = []
    for email in ("known@example.org", "nobody@example.org"):
        client = Client()
        client.post(REQUEST_CODE_URL, {"email": email})
        page = client.get(CONFIRM_CODE_URL).content.decode()
        pages.append(page.replace(email, "EMAIL").replace("csrfmiddlewaretoken", ""))
    strip_tokens = re.compile(r'value="[^"]{40,}"')
    assert strip_tokens.sub("", pages[0]) == strip_tokens.sub("", pages[1])


def test_an_existing_account_gets_its_own_code_and_no_second_user(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    user = UserFactory(email="organizer@example.org")
    EmailAddress.objects.create(user=user, email=user.email, verified=True, primary=True)
    register(EventFactory(), "organizer@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST_CODE_URL, {"email": "ORGANIZER@example.org"})
    client.post(CONFIRM_CODE_URL, {"code": code_from_last_email()})

    assert User.objects.filter(email__iexact="organizer@example.org").count() == 1
    assert client.session["_auth_user_id"] == str(user.pk)


def test_a_deactivated_user_gets_no_code(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    UserFactory(email="gone@example.org", is_active=False)
    register(EventFactory(), "gone@example.org")

    with django_capture_on_commit_callbacks(execute=True):
        client.post(REQUEST_CODE_URL, {"email": "gone@example.org"})

    assert User.objects.filter(email="gone@example.org").count() == 1
    assert not CODE_LINE.search(mail.outbox[-1].body)
