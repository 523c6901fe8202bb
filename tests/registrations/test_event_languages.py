# ruff: noqa: RUF001 - Persian text on purpose
"""The event page and the registration form in the reader's language (docs/i18n.md, "One
event, several languages"): a Persian reader sees the Persian version where the organizer
wrote one, and is told when they see the English one instead."""

import re

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event, Question
from events.services import event_translation_save
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

PERSIAN = "fa-IR,fa;q=0.9"
ENGLISH = "en-US,en;q=0.9"


@pytest.fixture
def event() -> Event:
    event = EventFactory(
        title="Poetry night",
        description="Poems read **aloud**.",
        language="en",
        joining_instructions="Passcode 1234",
    )
    question = QuestionFactory(
        event=event,
        label="Where are you joining from?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices="Iran\nEurope",
        required=True,
    )
    event_translation_save(
        event=event,
        language="fa",
        texts={
            "title": "شب شعر",
            "description": "شعرخوانی **با صدای بلند**.",
            "joining_instructions": "رمز ورود 1234",
        },
        question_texts={question.pk: ("از کجا می‌پیوندید؟", "ایران\nاروپا")},
    )
    return event


def page(client: Client, event: Event, accept_language: str) -> str:
    response = client.get(event.get_absolute_url(), HTTP_ACCEPT_LANGUAGE=accept_language)
    assert response.status_code == 200
    return response.content.decode()


def test_a_persian_reader_sees_the_persian_title_description_and_question(
    client: Client, event: Event
) -> None:
    text = page(client, event, PERSIAN)

    assert '<h1><bdi lang="fa">شب شعر</bdi></h1>' in text
    assert "<title>شب شعر" in text
    assert '<div class="description" lang="fa" dir="auto"><p>شعرخوانی <strong>' in text
    assert "از کجا می‌پیوندید؟" in text
    assert re.search(r'value="Iran"[^>]*>\s*ایران', text), text
    assert "Poetry night" not in text and "Where are you joining from?" not in text
    assert "text-language-note" not in text


def test_an_english_reader_sees_the_english_version(client: Client, event: Event) -> None:
    text = page(client, event, ENGLISH)

    assert '<h1><bdi lang="en">Poetry night</bdi></h1>' in text
    assert "Where are you joining from?" in text
    assert "شب شعر" not in text and "از کجا" not in text


def test_a_reader_without_a_version_sees_the_other_one_and_a_note_in_their_language(
    client: Client,
) -> None:
    event = EventFactory(title="Poetry night", description="Poems.", language="en")

    text = page(client, event, PERSIAN)

    assert '<h1><bdi lang="en">Poetry night</bdi></h1>' in text
    assert "این رویداد به زبان انگلیسی معرفی شده است." in text
    # The English text runs left to right inside the right-to-left page.
    assert '<div class="description" lang="en" dir="auto">' in text


def test_the_event_list_shows_each_reader_their_version(client: Client, event: Event) -> None:
    persian = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=PERSIAN).content.decode()
    english = client.get(reverse("events:list"), HTTP_ACCEPT_LANGUAGE=ENGLISH).content.decode()

    assert '<bdi lang="fa">شب شعر</bdi>' in persian and "Poetry night" not in persian
    assert '<bdi lang="en">Poetry night</bdi>' in english and "شب شعر" not in english


def test_the_organization_page_shows_each_reader_their_version(
    client: Client, event: Event
) -> None:
    url = event.organization.get_absolute_url()

    assert "شب شعر" in client.get(url, HTTP_ACCEPT_LANGUAGE=PERSIAN).content.decode()
    assert "Poetry night" in client.get(url, HTTP_ACCEPT_LANGUAGE=ENGLISH).content.decode()


def test_an_answer_given_in_persian_is_stored_as_the_questions_own_choice(
    client: Client, event: Event
) -> None:
    question = event.questions.get()
    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}),
        {
            "name": "Parisa",
            "email": "parisa@example.org",
            "time_zone": "Asia/Tehran",
            "language": "fa",
            f"question_{question.pk}": "Iran",
        },
        HTTP_ACCEPT_LANGUAGE=PERSIAN,
    )

    assert response.status_code == 302
    registration = Registration.objects.get(email_normalized="parisa@example.org")
    assert registration.answers == {str(question.pk): "Iran"}


def test_a_translated_label_cannot_be_posted_as_an_answer(client: Client, event: Event) -> None:
    question = event.questions.get()
    response = client.post(
        reverse("registrations:register", kwargs={"slug": event.slug}),
        {
            "name": "Parisa",
            "email": "parisa@example.org",
            "time_zone": "Asia/Tehran",
            "language": "fa",
            f"question_{question.pk}": "ایران",
        },
        HTTP_ACCEPT_LANGUAGE=PERSIAN,
    )

    assert response.status_code == 400
    text = response.content.decode()
    # The form comes back in Persian, the error next to the Persian question.
    assert "از کجا می‌پیوندید؟" in text
    assert "یکی از گزینه‌ها را انتخاب کنید." in text
    assert not Registration.objects.exists()


def test_the_manage_page_shows_the_readers_version(client: Client, event: Event) -> None:
    registration = RegistrationFactory(event=event, language="fa")
    url = reverse("registrations:manage", kwargs={"token": registration_manage_token(registration)})

    persian = client.get(url, HTTP_ACCEPT_LANGUAGE=PERSIAN).content.decode()

    assert '<bdi lang="fa">شب شعر</bdi>' in persian
    assert "رمز ورود 1234" in persian and "Passcode 1234" not in persian


def test_an_edited_translation_shows_at_once_on_the_cached_page(
    client: Client, event: Event
) -> None:
    assert "شب شعر" in page(client, event, PERSIAN)

    event_translation_save(event=event, language="fa", texts={"title": "شب غزل"}, question_texts={})

    assert "شب غزل" in page(client, event, PERSIAN)
