# ruff: noqa: RUF001 - Persian text on purpose
"""An organizer writes the event in the site's other language (docs/i18n.md, "One event,
several languages"): title, description, venue notes, each question and its choices."""

import pytest
from django.test import Client
from django.urls import reverse

from events.models import Event, EventTranslation, Question, QuestionTranslation
from events.selectors import event_in_language
from tests.factories import QuestionFactory
from tests.workspace.formdata import event_form_data
from workspace.models import AuditLogEntry

pytestmark = pytest.mark.django_db


def translation_url(event: Event, language: str = "fa") -> str:
    return reverse(
        "workspace:event_translation", kwargs={"event_id": event.pk, "language": language}
    )


def form_data(question: Question, **overrides: str) -> dict[str, str]:
    return {
        "title": "شب کتاب‌خوانی",
        "description": "داستان و گفت‌وگو.",
        "venue_name": "کتاب‌فروشی گوشه",
        "venue_address": "",
        "joining_instructions": "",
        f"question_{question.pk}_label": "از کجا می‌آیید؟",
        f"question_{question.pk}_choices": "ایران\nاروپا",
        **overrides,
    }


@pytest.fixture
def question(event: Event) -> Question:
    event.language = "en"
    event.save()
    return QuestionFactory(
        event=event, label="Where from?", kind=Question.Kind.SINGLE_CHOICE, choices="Iran\nEurope"
    )


def test_the_event_nav_links_to_the_other_language(
    organizer_client: Client, event: Event, question: Question
) -> None:
    overview = organizer_client.get(f"/manage/events/{event.pk}/").content.decode()

    assert f'href="{translation_url(event)}"' in overview


def test_the_page_shows_each_field_and_question_with_the_events_own_text(
    organizer_client: Client, event: Event, question: Question
) -> None:
    response = organizer_client.get(translation_url(event))

    assert response.status_code == 200
    html = response.content.decode()
    assert 'name="title"' in html and 'lang="fa"' in html
    assert "<bdi>Where from?</bdi>" in html
    assert f'name="question_{question.pk}_choices"' in html
    assert "Iran / Europe" in html


def test_saving_writes_the_persian_version_and_logs_it(
    organizer_client: Client, event: Event, question: Question
) -> None:
    response = organizer_client.post(translation_url(event), form_data(question))

    assert response.status_code == 302
    shown = event_in_language(event, language="fa")
    assert shown.title == "شب کتاب‌خوانی"
    assert shown.venue_name == "کتاب‌فروشی گوشه"
    assert shown.venue_address == event.venue_address  # left empty: the event's own
    row = QuestionTranslation.objects.get(question=question, language="fa")
    assert (row.label, row.choice_list) == ("از کجا می‌آیید؟", ["ایران", "اروپا"])
    assert AuditLogEntry.objects.filter(action="event.translated", event=event).exists()
    # Saving again changes the same rows.
    organizer_client.post(translation_url(event), form_data(question, title="شب شعر"))
    assert EventTranslation.objects.get(event=event).title == "شب شعر"


def test_a_choice_list_of_another_length_is_refused_next_to_the_field(
    organizer_client: Client, event: Event, question: Question
) -> None:
    response = organizer_client.post(
        translation_url(event),
        form_data(question, **{f"question_{question.pk}_choices": "ایران\nاروپا\nآمریکا"}),
    )

    assert response.status_code == 400
    html = response.content.decode()
    choices_field = html.split(f'name="question_{question.pk}_choices"')[1]
    assert "Give 2 options, one per line, in the same order as the question" in choices_field
    assert not EventTranslation.objects.exists()
    assert not QuestionTranslation.objects.exists()


@pytest.mark.parametrize(
    ("field", "value"),
    [("title", "line one\nline two"), ("title", "x" * 201), ("venue_name", "\u202eevil")],
)
def test_odd_text_is_refused_with_a_message(
    organizer_client: Client, event: Event, question: Question, field: str, value: str
) -> None:
    response = organizer_client.post(translation_url(event), form_data(question, **{field: value}))

    assert response.status_code == 400
    assert 'class="errorlist' in response.content.decode()
    assert not EventTranslation.objects.exists()


@pytest.mark.parametrize("value", ["\u202eevil", "a\x01b", "line one\nline two", "x" * 301])
def test_an_odd_question_label_is_refused_next_to_it_not_a_server_error(
    organizer_client: Client, event: Event, question: Question, value: str
) -> None:
    response = organizer_client.post(
        translation_url(event), form_data(question, **{f"question_{question.pk}_label": value})
    )

    assert response.status_code == 400
    label_field = response.content.decode().split(f'name="question_{question.pk}_label"')[1]
    label_field = label_field.split(f'name="question_{question.pk}_choices"')[0]
    assert 'class="errorlist' in label_field
    assert not EventTranslation.objects.exists()
    assert not QuestionTranslation.objects.exists()


@pytest.mark.parametrize("language", ["en", "de", "xx"])
def test_the_events_own_language_or_one_the_site_lacks_is_not_found(
    organizer_client: Client, event: Event, question: Question, language: str
) -> None:
    assert organizer_client.get(translation_url(event, language)).status_code == 404


def test_a_stranger_gets_not_found(client: Client, event: Event, question: Question) -> None:
    from tests.factories import UserFactory

    client.force_login(UserFactory())
    assert client.get(translation_url(event)).status_code == 404
    response = client.post(translation_url(event), form_data(question))
    assert response.status_code == 404
    assert not EventTranslation.objects.exists()


def test_the_event_form_sets_the_language_the_event_is_written_in(
    organizer_client: Client, event: Event
) -> None:
    response = organizer_client.post(
        f"/manage/events/{event.pk}/edit/",
        event_form_data(title="شب شعر", language="fa"),
    )

    assert response.status_code == 302, response.content.decode()
    event.refresh_from_db()
    assert event.language == "fa"
    # Its other language is now English.
    assert organizer_client.get(translation_url(event, "en")).status_code == 200
    assert organizer_client.get(translation_url(event, "fa")).status_code == 404
