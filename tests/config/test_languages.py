"""Which language a person gets, and that settings.LANGUAGES alone decides what there is.

First visit: the browser's Accept-Language (fa-IR → Persian), English when it names none of
ours. The picker's choice is kept in the language cookie for a year and wins over the
browser. The registration form's email language starts as the page's language.
"""

import re
from typing import Any

import pytest
from django.conf import settings
from django.core import mail
from django.test import Client, RequestFactory
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import translation
from django.views.defaults import server_error

from config.languages import language_choices
from registrations.forms import RegistrationForm
from registrations.models import Registration
from tests.factories import EventFactory

pytestmark = pytest.mark.django_db

PERSIAN_BROWSER = "fa-IR,fa;q=0.9,en-US;q=0.8,en;q=0.7"
THREE_LANGUAGES = [*settings.LANGUAGES, ("de", "German")]


def html_tag(response: Any) -> str:
    match = re.search(r"<html [^>]*>", response.content.decode())
    assert match is not None
    return match.group(0)


def selected_option(page: str, select_name: str) -> str:
    select = page.split(f'name="{select_name}"', 1)[1].split("</select>", 1)[0]
    match = re.search(r'<option value="([^"]*)"[^>]*selected', select)
    assert match is not None, select
    return match.group(1)


def test_a_first_visit_from_a_persian_browser_gets_the_persian_page(client: Client) -> None:
    response = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=PERSIAN_BROWSER)

    assert html_tag(response) == '<html lang="fa" dir="rtl">'
    assert "رویدادهای پیش رو" in response.content.decode()
    assert "Upcoming events" not in response.content.decode()
    assert response["Content-Language"] == "fa"
    # A shared cache must not hand the Persian page to an English browser.
    assert "Accept-Language" in response["Vary"]


@pytest.mark.parametrize("accept_language", ["en-GB,en;q=0.9", "de-DE,de;q=0.9", ""])
def test_a_browser_asking_for_no_language_of_ours_gets_english(
    client: Client, accept_language: str
) -> None:
    response = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=accept_language)

    assert html_tag(response) == '<html lang="en" dir="ltr">'
    assert "Upcoming events" in response.content.decode()


@pytest.mark.parametrize("accept_language", [PERSIAN_BROWSER, "en"])
def test_the_picker_names_each_language_in_itself(client: Client, accept_language: str) -> None:
    page = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=accept_language).content
    text = page.decode()

    assert '<option value="en" lang="en"' in text
    assert re.search(r'<option value="fa" lang="fa"[^>]*>فارسی</option>', text)
    assert re.search(r'<option value="en" lang="en"[^>]*>English</option>', text)
    assert "Farsi" not in text and "Persian" not in text and "انگلیسی" not in text


def test_the_pickers_choice_is_kept_for_a_year_and_wins_over_the_browser(client: Client) -> None:
    past = reverse("events:past")
    response = client.post(
        reverse("set_language"),
        {"language": "fa", "next": past},
        HTTP_ACCEPT_LANGUAGE="en",
    )

    assert response.status_code == 302
    assert response["Location"] == past  # the same page, now in the chosen language
    cookie = response.cookies[settings.LANGUAGE_COOKIE_NAME]
    assert cookie.value == "fa"
    assert cookie["max-age"] == 365 * 24 * 60 * 60
    assert cookie["samesite"] == "Lax"
    later = client.get(past, HTTP_ACCEPT_LANGUAGE="en")
    assert html_tag(later) == '<html lang="fa" dir="rtl">'

    client.post(reverse("set_language"), {"language": "en", "next": past})
    assert html_tag(client.get(past, HTTP_ACCEPT_LANGUAGE=PERSIAN_BROWSER)) == (
        '<html lang="en" dir="ltr">'
    )


@pytest.mark.parametrize(("accept_language", "language"), [(PERSIAN_BROWSER, "fa"), ("en", "en")])
def test_the_registration_form_starts_with_the_pages_language_for_emails(
    client: Client, accept_language: str, language: str
) -> None:
    event = EventFactory()
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=accept_language)

    assert selected_option(page.content.decode(), "language") == language


def test_registering_from_the_persian_page_sends_persian_email(
    client: Client, django_capture_on_commit_callbacks: Any
) -> None:
    event = EventFactory(title="Reading circle")
    page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=PERSIAN_BROWSER)
    language = selected_option(page.content.decode(), "language")

    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("registrations:register", kwargs={"slug": event.slug}),
            {
                "name": "Parisa",
                "email": "parisa@example.org",
                "time_zone": "Asia/Tehran",
                "language": language,
            },
            HTTP_ACCEPT_LANGUAGE=PERSIAN_BROWSER,
        )

    assert response.status_code == 302
    assert Registration.objects.get(email="parisa@example.org").language == "fa"
    assert mail.outbox[0].subject == "ثبت‌نام شما انجام شد: Reading circle"
    assert "سلام Parisa،" in mail.outbox[0].body


def test_registration_languages_are_named_in_themselves() -> None:
    assert language_choices() == [("en", "English"), ("fa", "فارسی")]
    assert RegistrationForm(event=EventFactory()).fields["language"].choices == language_choices()


@override_settings(LANGUAGES=THREE_LANGUAGES)
def test_a_third_language_needs_only_a_line_in_settings(client: Client) -> None:
    """No model, form or template names the languages: a new one shows up everywhere."""
    assert ("de", "Deutsch") in language_choices()

    page = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE="de-DE,de;q=0.9")
    assert html_tag(page) == '<html lang="de" dir="ltr">'
    assert re.search(r'<option value="de" lang="de"[^>]*>Deutsch</option>', page.content.decode())

    event = EventFactory()
    form_page = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE="de")
    assert selected_option(form_page.content.decode(), "language") == "de"
    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}),
        {
            "name": "Lena",
            "email": "lena@example.org",
            "time_zone": "Europe/Berlin",
            "language": "de",
        },
    )
    assert response.status_code == 302
    registration = Registration.objects.get(email="lena@example.org")
    assert registration.language == "de"
    registration.full_clean()  # the model's choices follow settings too


def test_a_missing_page_says_so_in_the_readers_language(client: Client) -> None:
    """Django's own error pages are English only; ours come from templates/."""
    response = client.get("/no-such-page/", HTTP_ACCEPT_LANGUAGE=PERSIAN_BROWSER)

    assert response.status_code == 404
    assert html_tag(response) == '<html lang="fa" dir="rtl">'
    assert "صفحه پیدا نشد" in response.content.decode()
    assert "Not Found" not in response.content.decode()


def test_a_server_error_page_needs_no_context_and_speaks_the_readers_language(
    rf: RequestFactory,
) -> None:
    with translation.override("fa"):
        response = server_error(rf.get("/"))

    assert response.status_code == 500
    assert html_tag(response) == '<html lang="fa" dir="rtl">'
    assert "مشکلی پیش آمد" in response.content.decode()
