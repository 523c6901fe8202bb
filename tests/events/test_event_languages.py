# ruff: noqa: RUF001 - Persian text on purpose
"""One event, several languages: the text a reader of each language sees, field by field.

docs/i18n.md, "One event, several languages".
"""

import pytest
from django.core.exceptions import ValidationError
from django.test.utils import override_settings
from django.utils import translation

from events.models import Event, EventTranslation, Question, QuestionTranslation
from events.selectors import event_in_language, question_texts
from events.services import event_duplicate, event_save, event_translation_save
from tests.factories import EventFactory, OrganizationFactory, QuestionFactory

pytestmark = pytest.mark.django_db

PERSIAN_TITLE = "شب شعر"


def bilingual_event(**fields: object) -> Event:
    event = EventFactory(
        title="Poetry night",
        description="Poems **aloud**.",
        kind=Event.Kind.HYBRID,
        venue_name="Corner Bookstore",
        venue_address="120 Main Street",
        joining_instructions="Passcode 1234",
        language="en",
        **fields,
    )
    event_translation_save(
        event=event,
        language="fa",
        texts={"title": PERSIAN_TITLE, "description": "شعرخوانی **با صدای بلند**."},
        question_texts={},
    )
    return event


def test_a_reader_of_the_events_own_language_sees_its_own_text() -> None:
    event = bilingual_event()

    shown = event_in_language(event, language="en")

    assert (shown.title, shown.description) == ("Poetry night", "Poems **aloud**.")
    assert not shown.fell_back
    assert shown.languages["title"] == "en"


def test_each_field_falls_back_to_the_events_own_text_when_it_has_no_translation() -> None:
    event = bilingual_event()

    shown = event_in_language(event, language="fa")

    assert shown.title == PERSIAN_TITLE
    assert shown.description == "شعرخوانی **با صدای بلند**."
    # Not translated: the event's own, and marked as English for the page's lang attribute.
    assert shown.venue_name == "Corner Bookstore"
    assert shown.venue_address == "120 Main Street"
    assert shown.joining_instructions == "Passcode 1234"
    assert shown.languages == {
        "title": "fa",
        "description": "fa",
        "venue_name": "en",
        "venue_address": "en",
        "joining_instructions": "en",
    }
    assert not shown.fell_back
    # Everything else is the event's own.
    assert (shown.pk, shown.slug, shown.has_venue) == (event.pk, event.slug, True)
    assert shown.get_absolute_url() == event.get_absolute_url()


def test_a_reader_whose_language_has_no_version_sees_the_other_and_is_told() -> None:
    event = EventFactory(title="Poetry night", language="en")

    with translation.override("fa"):
        shown = event_in_language(event)

        assert shown.title == "Poetry night"
        assert shown.fell_back
        assert shown.text_language == "en"
        assert shown.text_language_name == "انگلیسی"


def test_a_blank_translated_field_counts_as_missing() -> None:
    event = EventFactory(title="Poetry night", language="en")
    EventTranslation.objects.create(event=event, language="fa", title="  ")

    assert event_in_language(event, language="fa").title == "Poetry night"


def test_an_event_in_persian_shows_its_english_version_to_english_readers() -> None:
    event = EventFactory(title=PERSIAN_TITLE, description="", language="fa")
    EventTranslation.objects.create(event=event, language="en", title="Poetry night")

    assert event_in_language(event, language="en").title == "Poetry night"
    assert event_in_language(event, language="fa").title == PERSIAN_TITLE


def test_a_new_event_is_written_in_its_organizations_language() -> None:
    organization = OrganizationFactory(language="fa")
    event = EventFactory.build(organization=organization, language="")

    event_save(event=event)

    assert Event.objects.get(pk=event.pk).language == "fa"


def test_an_event_with_no_language_stored_reads_its_organizations() -> None:
    event = EventFactory(organization=OrganizationFactory(language="fa"), language="")

    assert not event_in_language(event, language="fa").fell_back
    assert event_in_language(event, language="en").fell_back


def test_translated_choices_are_shown_but_the_questions_own_are_stored() -> None:
    event = bilingual_event()
    question = QuestionFactory(
        event=event,
        label="Where from?",
        kind=Question.Kind.SINGLE_CHOICE,
        choices="Iran\nEurope",
    )
    QuestionTranslation.objects.create(
        question=question, language="fa", label="از کجا؟", choices="ایران\nاروپا"
    )

    (text,) = question_texts(event=event, questions=[question], language="fa").values()

    assert text.label == "از کجا؟"
    assert text.choices == [("Iran", "ایران"), ("Europe", "اروپا")]
    assert text.language == "fa"


def test_a_choice_list_that_no_longer_matches_the_question_shows_the_questions_own() -> None:
    event = bilingual_event()
    question = QuestionFactory(
        event=event, kind=Question.Kind.SINGLE_CHOICE, choices="Iran\nEurope\nElsewhere"
    )
    QuestionTranslation.objects.create(
        question=question, language="fa", label="", choices="ایران\nاروپا"
    )

    (text,) = question_texts(event=event, questions=[question], language="fa").values()

    assert text.choices == [("Iran", "Iran"), ("Europe", "Europe"), ("Elsewhere", "Elsewhere")]
    assert text.label == question.label
    assert text.language == "en"


def test_saving_a_translation_touches_the_event_so_cached_pages_show_it() -> None:
    event = bilingual_event()
    before = Event.objects.get(pk=event.pk).updated_at

    event_translation_save(event=event, language="fa", texts={"title": "تازه"}, question_texts={})

    assert Event.objects.get(pk=event.pk).updated_at > before
    assert EventTranslation.objects.get(event=event, language="fa").title == "تازه"


def test_a_translation_into_a_language_the_site_does_not_have_is_refused() -> None:
    event = bilingual_event()

    with pytest.raises(ValidationError):
        event_translation_save(event=event, language="xx", texts={}, question_texts={})


def test_a_question_of_another_event_cannot_be_translated_through_this_one() -> None:
    event = bilingual_event()
    stranger = QuestionFactory()

    with pytest.raises(KeyError):
        event_translation_save(
            event=event, language="fa", texts={}, question_texts={stranger.pk: ("x", "")}
        )
    assert not QuestionTranslation.objects.exists()


def test_a_duplicate_keeps_the_events_other_languages() -> None:
    event = bilingual_event()
    question = QuestionFactory(event=event, label="Where from?")
    QuestionTranslation.objects.create(question=question, language="fa", label="از کجا؟")

    copy = event_duplicate(event=event, title="Poetry night II", starts_at=event.starts_at)

    assert copy.language == "en"
    assert event_in_language(copy, language="fa").title == PERSIAN_TITLE
    (copied_question,) = copy.questions.all()
    assert copied_question.translations.get().label == "از کجا؟"


@override_settings(LANGUAGES=[("en", "English"), ("fa", "Persian"), ("de", "German")])
def test_a_third_language_needs_only_settings() -> None:
    event = bilingual_event()
    event_translation_save(
        event=event, language="de", texts={"title": "Lyrikabend"}, question_texts={}
    )

    assert event_in_language(event, language="de").title == "Lyrikabend"
    assert event_in_language(event, language="fa").title == PERSIAN_TITLE
