"""Names and titles are one line: no control characters, no direction overrides."""

import pytest
from django.core.exceptions import ValidationError

from events.models import Organization
from events.text import one_line, validate_one_line
from tests.factories import EventFactory, QuestionFactory, RegistrationFactory

pytestmark = pytest.mark.django_db

REFUSED = [
    "Line\nbreak",
    "Carriage\rreturn",
    "Esc\x1b[31m",
    "Bell\x07",
    "Tab\tbed",
    "Del\x7f",
    "C1\x85",
    "Over\u202eride",
    "Isolate\u2066d",
    "Sep\u2028arator",
]
ALLOWED = ["Ana Lima", "مینا رستمی", "نیم\u200cفاصله", "Right\u200fmark", "Émile & Zoë"]  # noqa: RUF001


@pytest.mark.parametrize("value", REFUSED)
def test_line_breaks_controls_and_direction_overrides_are_refused(value: str) -> None:
    with pytest.raises(ValidationError, match="on one line"):
        validate_one_line(value)


@pytest.mark.parametrize("value", ALLOWED)
def test_ordinary_names_in_any_script_pass(value: str) -> None:
    validate_one_line(value)
    assert one_line(value) == value


def test_stored_text_is_made_one_line_on_the_way_out() -> None:
    assert one_line(" Poetry\r\nnight \x1b[31m\u202eread\x07 ") == "Poetry night [31mread"


@pytest.mark.parametrize(
    ("instance", "field"),
    [
        (lambda: Organization(name="Books\u202e Inc"), "name"),
        (lambda: EventFactory.build(title="Poetry\nnight"), "title"),
        (lambda: EventFactory.build(venue_name="Corner\x1b"), "venue_name"),
        (lambda: QuestionFactory.build(label="Your\nname?"), "label"),
        (lambda: RegistrationFactory.build(name="Ana\u202eLima"), "name"),
    ],
    ids=["organization", "event-title", "venue", "question", "registrant"],
)
def test_model_validation_refuses_them_in_every_one_line_field(instance, field: str) -> None:
    with pytest.raises(ValidationError) as raised:
        instance().clean_fields()
    assert field in raised.value.message_dict
