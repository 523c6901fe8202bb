"""`make run` shows a bilingual event: the demo webinar is written in English and Persian."""

from io import StringIO

import pytest
from django.core.management import call_command

from events.models import Event, EventTranslation, QuestionTranslation
from events.selectors import event_in_language, question_texts

pytestmark = pytest.mark.django_db


def test_the_demo_webinar_is_in_both_languages_and_seeding_again_changes_nothing() -> None:
    call_command("seed_demo", stdout=StringIO())
    call_command("seed_demo", stdout=StringIO())

    webinar = Event.objects.get(slug="sunday-webinar-organizing-across-borders")
    assert webinar.language == "en"
    assert EventTranslation.objects.filter(event=webinar).count() == 1
    assert QuestionTranslation.objects.filter(question__event=webinar).count() == 1
    persian = event_in_language(webinar, language="fa")
    assert persian.title == "سازمان‌دهی فراتر از مرزها"
    assert not persian.fell_back
    (question,) = webinar.questions.all()
    (text,) = question_texts(event=webinar, questions=[question], language="fa").values()
    assert text.choices[0] == ("Iran", "ایران")
