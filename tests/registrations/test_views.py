"""The public registration pages as a person meets them: the event page, its form, the manage page.

Every odd input ends in a clear message next to the field or a 4xx, never a 500 (the test
client re-raises server errors) and never a half-written registration.
"""

from datetime import timedelta
from typing import Any

import pytest
import time_machine
from django.core import signing
from django.db import connection
from django.test import Client
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from events.models import Event, Question
from notifications.models import OutboxEmail
from registrations.models import Registration
from registrations.organizer_services import registration_reject
from registrations.selectors import registration_manage_token
from registrations.services import registration_cancel, registration_create
from tests.factories import EventFactory, QuestionFactory

pytestmark = pytest.mark.django_db

JOIN_URL = "https://meet.example.org/secret-room"


def register_url(event: Event) -> str:
    return reverse("registrations:register", kwargs={"slug": event.slug})


def manage_url(registration: Registration) -> str:
    return reverse(
        "registrations:manage", kwargs={"token": registration_manage_token(registration)}
    )


def cancel_url(registration: Registration) -> str:
    return reverse(
        "registrations:cancel", kwargs={"token": registration_manage_token(registration)}
    )


def form_data(**overrides: Any) -> dict[str, Any]:
    return {
        "name": "Ana Lima",
        "email": "ana@example.org",
        "time_zone": "Asia/Tehran",
        "language": "en",
        **overrides,
    }


def page_text(response: Any) -> str:
    return response.content.decode()


def field_html(page: str, name: str) -> str:
    """The markup of the form field block (label, input, help, errors) holding input ``name``."""
    for block in page.split('<div class="field')[1:]:
        if f'name="{name}"' in block:
            return block.split("</form>")[0]
    raise AssertionError(f"no field named {name!r} on the page")


def registered(client: Client, event: Event, **overrides: Any) -> Registration:
    response = client.post(register_url(event), form_data(**overrides))
    assert response.status_code == 302, page_text(response)
    return Registration.objects.get(
        event=event, email_normalized=overrides.get("email", "ana@example.org").strip().lower()
    )


def make_registration(event: Event, email: str = "ana@example.org") -> Registration:
    return registration_create(
        event=event, name="Ana", email=email, time_zone="Asia/Tehran"
    ).registration


# --- The event page ---------------------------------------------------------------------------


def test_event_page_shows_the_event_and_seats_left_but_never_the_join_link(client: Client) -> None:
    event = EventFactory(title="Poetry night", capacity=3, join_url=JOIN_URL)
    make_registration(event)

    response = client.get(event.get_absolute_url())

    page = page_text(response)
    assert response.status_code == 200
    assert "Poetry night" in page
    assert "2 seats left" in page
    assert JOIN_URL not in page
    assert "Passcode 1234" not in page
    assert 'name="csrfmiddlewaretoken"' in page


def test_a_draft_event_page_does_not_exist_for_the_public(client: Client) -> None:
    event = EventFactory(status=Event.Status.DRAFT)
    assert client.get(event.get_absolute_url()).status_code == 404
    assert client.post(register_url(event), form_data()).status_code == 404
    assert not Registration.objects.exists()


def test_a_cancelled_event_shows_a_clear_banner_and_no_form(client: Client) -> None:
    event = EventFactory(status=Event.Status.CANCELLED, capacity=10)

    page = page_text(client.get(event.get_absolute_url()))

    assert 'class="cancelled-banner" role="alert">This event has been cancelled.' in page
    assert 'name="email"' not in page
    assert "seats left" not in page


def test_a_full_event_offers_the_waitlist(client: Client) -> None:
    event = EventFactory(capacity=1)
    make_registration(event)

    page = page_text(client.get(event.get_absolute_url()))

    assert "This event is full — the waitlist is open." in page
    assert "Join the waitlist" in page


def test_the_form_says_what_a_submit_does_and_a_link_near_the_top_jumps_to_it(
    client: Client,
) -> None:
    """On a phone the form is below everything; its button names the outcome."""
    full = EventFactory(capacity=1)
    make_registration(full)
    approval = EventFactory(approval_required=True)
    for event, label in (
        (EventFactory(), "Register"),
        (full, "Join the waitlist"),
        (approval, "Ask for a seat"),
    ):
        page = page_text(client.get(event.get_absolute_url()))
        top_link = f'<a class="button" href="#register">{label}</a>'
        assert top_link in page
        # Near the top: before the description, which can be long.
        assert page.index(top_link) < page.index('class="description"')
        form = page.split('id="register"')[1]
        assert f"<h2>{label}</h2>" in form
        assert f'<button type="submit">{label}</button>' in form


def test_a_closed_event_offers_no_link_to_a_form(client: Client) -> None:
    event = EventFactory(status=Event.Status.CANCELLED)
    assert 'href="#register"' not in page_text(client.get(event.get_absolute_url()))


def test_unknown_event_is_404_for_get_and_post(client: Client) -> None:
    assert client.get("/events/no-such-event/").status_code == 404
    assert client.post("/events/no-such-event/register/", form_data()).status_code == 404


def test_the_register_address_only_accepts_post(client: Client) -> None:
    event = EventFactory()
    assert client.get(register_url(event)).status_code == 405


def test_registering_without_a_csrf_token_is_refused(client: Client) -> None:
    event = EventFactory()
    strict = Client(enforce_csrf_checks=True)
    assert strict.post(register_url(event), form_data()).status_code == 403
    assert not Registration.objects.exists()


# --- Registering ------------------------------------------------------------------------------


def test_registering_leads_to_the_personal_page_showing_the_status(client: Client) -> None:
    event = EventFactory(capacity=5)

    response = client.post(register_url(event), form_data())

    registration = Registration.objects.get(event=event)
    assert response.status_code == 302
    assert response["Location"] == manage_url(registration) + "?new=1"
    page = page_text(client.get(response["Location"]))
    assert "You're registered. A confirmation is on its way to your inbox." in page
    assert "Confirmed" in page
    assert registration.status == Registration.Status.CONFIRMED
    assert (registration.name, registration.time_zone) == ("Ana Lima", "Asia/Tehran")


def test_registering_for_a_full_event_shows_the_waitlist_position(client: Client) -> None:
    event = EventFactory(capacity=1)
    make_registration(event, "first@example.org")
    make_registration(event, "second@example.org")

    response = client.post(register_url(event), form_data(), follow=True)

    page = page_text(response)
    assert "on the waitlist" in page
    assert "number 2 on the waitlist" in page
    assert JOIN_URL not in page


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("email", "", "This field is required."),
        ("email", "not-an-email", "Enter a valid email address."),
        ("email", "ana@[127.0.0.1]", "not an IP address"),
        ("email", "ana@[IPv6:::1]", "not an IP address"),
        ("email", "ana@example.org\x00", "Null characters are not allowed."),
        ("name", "", "This field is required."),
        ("name", "   ", "This field is required."),
        ("name", "A" * 10_000, "Ensure this value has at most 200 characters (it has 10000)."),
        ("name", "Ana\x07Lima", "Please remove invisible control characters."),
        ("name", "Ana\x1b[31mLima", "Please remove invisible control characters."),
        ("name", "Ana\nLima", "Please write your name on one line."),
        (
            "name",
            "Ana \u202eamiL",
            "Please write this on one line, without invisible control characters.",
        ),
        ("time_zone", "Mars/Olympus_Mons", "is not a time zone we know"),
        ("time_zone", "X" * 10_000, "is not a time zone we know"),
        ("time_zone", "", "This field is required."),
        ("language", "klingon", "Pick a language from the list."),
    ],
)
def test_bad_input_is_explained_next_to_its_field_and_nothing_is_saved(
    client: Client, field: str, value: str, message: str
) -> None:
    event = EventFactory()

    response = client.post(register_url(event), form_data(**{field: value}))

    assert response.status_code == 400
    block = field_html(page_text(response), field)
    assert "has-error" in block.split(">")[0]
    assert message in block
    assert 'aria-invalid="true"' in block
    assert not Registration.objects.exists()


def test_bytes_that_are_not_utf8_are_refused_rather_than_stored_garbled(client: Client) -> None:
    event = EventFactory()
    body = "name=Ana%ED%A0%80&email=ana%40example.org&time_zone=UTC&language=en"

    response = client.post(
        register_url(event), body, content_type="application/x-www-form-urlencoded"
    )

    assert response.status_code == 400
    assert "did not arrive intact" in field_html(page_text(response), "name")
    assert not Registration.objects.exists()


def test_an_empty_post_is_a_400_with_every_required_field_marked(client: Client) -> None:
    event = EventFactory()
    response = client.post(register_url(event), {})
    page = page_text(response)
    assert response.status_code == 400
    for field in ("name", "email", "time_zone", "language"):
        assert "This field is required." in field_html(page, field)


def test_a_long_invalid_time_zone_is_not_echoed_back(client: Client) -> None:
    event = EventFactory()
    response = client.post(register_url(event), form_data(time_zone="X" * 10_000))
    assert "X" * 100 not in page_text(response)


def test_the_time_zone_alias_asia_calcutta_is_accepted_and_kept(client: Client) -> None:
    event = EventFactory()
    registration = registered(client, event, time_zone="Asia/Calcutta")
    assert registration.time_zone == "Asia/Calcutta"


def test_html_in_a_name_is_shown_as_text_on_the_manage_page(client: Client) -> None:
    event = EventFactory()
    name = '<script>alert("x")</script><b>Ana</b>'
    registration = registered(client, event, name=name)
    assert registration.name == name

    page = page_text(client.get(manage_url(registration)))

    assert "<script>alert" not in page
    assert "<b>Ana</b>" not in page
    assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;&lt;b&gt;Ana&lt;/b&gt;" in page


def test_a_farsi_name_is_stored_and_shown_exactly_as_typed(client: Client) -> None:
    event = EventFactory()
    # With a zero-width non-joiner (U+200C), which Persian spelling needs.
    name = "مریم نوری\u200cزاده"  # noqa: RUF001
    registration = registered(client, event, name=name, language="fa")

    assert registration.name == name
    assert registration.language == "fa"
    assert name in page_text(client.get(manage_url(registration)))


@pytest.mark.parametrize("name", ["\u200c", "\u200f\u200e", "\ufffe", "\u200b \u2060"])
def test_a_name_of_invisible_characters_only_is_refused_next_to_it(
    client: Client, name: str
) -> None:
    event = EventFactory()

    response = client.post(register_url(event), form_data(name=name))

    assert response.status_code == 400
    assert response.context["form"].errors["name"] == [
        "Please write a name: this one has only invisible characters."
    ]
    assert not Registration.objects.exists()


def test_a_filled_honeypot_saves_nothing_and_says_how_to_continue(client: Client) -> None:
    event = EventFactory()

    response = client.post(register_url(event), form_data(website="https://spam.example"))

    assert response.status_code == 400
    assert "Please send the form again." in page_text(response)
    assert not Registration.objects.exists()


@override_settings(REGISTRATION_RATE_LIMIT="2/m")
def test_too_many_registrations_from_one_address_get_429_and_no_row(client: Client) -> None:
    event = EventFactory()
    registered(client, event, email="one@example.org")
    registered(client, event, email="two@example.org")

    response = client.post(register_url(event), form_data(email="three@example.org"))

    assert response.status_code == 429
    assert "Too many registrations from your network" in page_text(response)
    assert not Registration.objects.filter(email_normalized="three@example.org").exists()


@override_settings(
    CACHES={
        "default": {
            "BACKEND": "config.redis_cache.RedisCache",
            "LOCATION": "redis://127.0.0.1:1/0",  # nothing listens: the cache is down
        }
    }
)
def test_a_registration_goes_through_while_the_rate_limit_cache_is_down(client: Client) -> None:
    event = EventFactory()

    response = client.post(register_url(event), form_data(email="during-outage@example.org"))

    assert response.status_code == 302
    assert Registration.objects.filter(email_normalized="during-outage@example.org").exists()


@override_settings(REGISTRATION_RATE_LIMIT="2/m", TRUSTED_PROXY_COUNT=1)
def test_behind_the_https_proxy_each_visitor_has_a_limit_of_their_own(client: Client) -> None:
    """Every request arrives from the proxy's address; X-Forwarded-For tells visitors apart."""
    event = EventFactory()

    def post(email: str, visitor: str) -> int:
        response = client.post(
            register_url(event),
            form_data(email=email),
            REMOTE_ADDR="10.0.0.2",
            HTTP_X_FORWARDED_FOR=visitor,
        )
        return response.status_code

    assert post("one@example.org", "198.51.100.1") == 302
    assert post("two@example.org", "198.51.100.1") == 302
    assert post("three@example.org", "198.51.100.1") == 429
    # A second visitor behind the same proxy is not held back by the first...
    assert post("four@example.org", "198.51.100.2") == 302
    # ...and the first cannot get round the limit by writing a header of their own.
    assert post("five@example.org", "203.0.113.9, 198.51.100.1") == 429


@pytest.mark.parametrize(
    ("overrides", "message"),
    [
        ({"registration_closes_at": timezone.now() - timedelta(minutes=1)}, "has closed"),
        ({"registration_opens_at": timezone.now() + timedelta(days=1)}, "has not opened yet"),
        ({"status": Event.Status.CANCELLED}, "This event has been cancelled."),
    ],
)
def test_registration_outside_its_window_is_refused_with_a_message(
    client: Client, overrides: dict[str, Any], message: str
) -> None:
    event = EventFactory(**overrides)

    response = client.post(register_url(event), form_data())

    assert response.status_code == 409
    assert message in page_text(response)
    assert not Registration.objects.exists()


def test_a_past_event_refuses_registration(client: Client) -> None:
    started = timezone.now() - timedelta(days=1)
    event = EventFactory(starts_at=started, ends_at=started + timedelta(hours=1))
    response = client.post(register_url(event), form_data())
    assert response.status_code == 409
    assert "already taken place" in page_text(response)
    assert not Registration.objects.exists()


@pytest.mark.django_db(transaction=True)
def test_registering_again_with_the_same_email_sends_the_details_to_that_address_only(
    client: Client, mailoutbox: list[Any]
) -> None:
    """Whoever types an address may not own it: the page reveals nothing of the registration."""
    event = EventFactory(kind=Event.Kind.WEBINAR, join_url="https://meet.example/secret-room")
    first = registered(client, event)
    # The first confirmation went out an hour ago: past the resend cooldown.
    OutboxEmail.objects.update(created_at=timezone.now() - timedelta(hours=1))
    mailoutbox.clear()
    stranger = Client()

    response = stranger.post(
        register_url(event), form_data(email="  ANA@example.ORG ", name="Mallory"), follow=True
    )

    assert response.redirect_chain == [
        (reverse("registrations:already_registered", kwargs={"slug": event.slug}), 302)
    ]
    page = page_text(response)
    assert "This email address is already registered for this event." in page
    for secret in ("Ana Lima", "secret-room", registration_manage_token(first), "Cancel my"):
        assert secret not in page
    assert Registration.objects.count() == 1
    assert Registration.objects.get().name == "Ana Lima"
    # The details went to the address itself, with the manage link in them.
    assert [message.to for message in mailoutbox] == [["ana@example.org"]]
    assert registration_manage_token(first) in mailoutbox[0].body

    # A second try within the cooldown sends nothing more and says the same.
    again = stranger.post(register_url(event), form_data(email="ana@example.org"), follow=True)
    assert "already registered for this event" in page_text(again)
    assert len(mailoutbox) == 1


def test_the_already_registered_page_of_an_unknown_event_is_404(client: Client) -> None:
    url = reverse("registrations:already_registered", kwargs={"slug": "no-such-event"})
    assert client.get(url).status_code == 404


# --- Questions --------------------------------------------------------------------------------


@pytest.fixture
def event_with_questions() -> tuple[Event, dict[str, Question]]:
    event = EventFactory()
    questions = {
        "short": QuestionFactory(event=event, label="Your city?", required=True),
        "long": QuestionFactory(event=event, label="Anything else?", kind=Question.Kind.LONG_TEXT),
        "choice": QuestionFactory(
            event=event,
            label="Which session?",
            kind=Question.Kind.SINGLE_CHOICE,
            choices="Morning\nEvening\n",
            required=True,
        ),
        "optional_choice": QuestionFactory(
            event=event,
            label="Meal?",
            kind=Question.Kind.SINGLE_CHOICE,
            choices="Vegetarian\nAny",
        ),
        "consent": QuestionFactory(
            event=event,
            label="I agree to be photographed",
            kind=Question.Kind.CHECKBOX,
            required=True,
        ),
        "newsletter": QuestionFactory(
            event=event, label="Send me news", kind=Question.Kind.CHECKBOX
        ),
    }
    return event, questions


def answer_field(question: Question) -> str:
    return f"question_{question.pk}"


def test_answers_to_the_event_questions_are_stored(
    client: Client, event_with_questions: tuple[Event, dict[str, Question]]
) -> None:
    event, questions = event_with_questions
    answers = {
        answer_field(questions["short"]): "Shiraz",
        answer_field(questions["long"]): "Line one\nLine two",
        answer_field(questions["choice"]): "Evening",
        answer_field(questions["consent"]): "on",
    }

    registration = registered(client, event, **answers)

    assert registration.answers == {
        str(questions["short"].pk): "Shiraz",
        str(questions["long"].pk): "Line one\nLine two",
        str(questions["choice"].pk): "Evening",
        str(questions["optional_choice"].pk): "",
        str(questions["consent"].pk): True,
        str(questions["newsletter"].pk): False,
    }


def test_the_event_page_asks_the_questions(
    client: Client, event_with_questions: tuple[Event, dict[str, Question]]
) -> None:
    event, questions = event_with_questions
    page = page_text(client.get(event.get_absolute_url()))
    for question in questions.values():
        assert question.label in field_html(page, answer_field(question))
    assert 'value="Morning"' in field_html(page, answer_field(questions["choice"]))


def test_a_radio_button_question_is_a_fieldset_with_the_question_as_its_legend(
    client: Client, event_with_questions: tuple[Event, dict[str, Question]]
) -> None:
    event, questions = event_with_questions
    page = page_text(client.get(event.get_absolute_url()))
    radios = field_html(page, answer_field(questions["choice"]))
    assert "<fieldset" in radios
    assert "<legend" in radios.split("Which session?")[0]
    assert radios.index("</legend>") < radios.index('value="Morning"') < radios.index("</fieldset>")
    assert "<fieldset" not in field_html(page, answer_field(questions["short"]))


def test_missing_and_invalid_answers_are_explained_next_to_their_questions(
    client: Client, event_with_questions: tuple[Event, dict[str, Question]]
) -> None:
    event, questions = event_with_questions
    answers = {
        answer_field(questions["long"]): "x" * 2001,
        answer_field(questions["choice"]): "Midnight",
        answer_field(questions["optional_choice"]): "Everything",
    }

    response = client.post(register_url(event), form_data(**answers))

    page = page_text(response)
    assert response.status_code == 400
    assert "This field is required." in field_html(page, answer_field(questions["short"]))
    assert "at most 2000 characters" in field_html(page, answer_field(questions["long"]))
    assert "Pick one of the options." in field_html(page, answer_field(questions["choice"]))
    assert "Pick one of the options." in field_html(
        page, answer_field(questions["optional_choice"])
    )
    assert "This field is required." in field_html(page, answer_field(questions["consent"]))
    assert "This field is required." not in field_html(page, answer_field(questions["newsletter"]))
    assert not Registration.objects.exists()


def test_control_characters_in_an_answer_are_refused(
    client: Client, event_with_questions: tuple[Event, dict[str, Question]]
) -> None:
    event, questions = event_with_questions
    answers = {
        answer_field(questions["short"]): "Shiraz\x08\x08",
        answer_field(questions["choice"]): "Morning",
        answer_field(questions["consent"]): "on",
    }
    response = client.post(register_url(event), form_data(**answers))
    assert response.status_code == 400
    assert "control characters" in field_html(page_text(response), answer_field(questions["short"]))
    assert not Registration.objects.exists()


# --- The personal manage page -----------------------------------------------------------------


def test_a_tampered_or_foreign_manage_link_is_404(client: Client) -> None:
    registration = make_registration(EventFactory())
    token = registration_manage_token(registration)
    tampered = token[:-2] + ("AA" if not token.endswith("AA") else "BB")
    unsalted = signing.Signer().sign(str(registration.public_id))
    unknown = signing.Signer(salt="registrations.manage").sign(
        "00000000-0000-0000-0000-000000000000"
    )
    not_a_uuid = signing.Signer(salt="registrations.manage").sign("not-a-uuid")
    for bad in (tampered, unsalted, unknown, not_a_uuid, "x", str(registration.public_id)):
        assert client.get(reverse("registrations:manage", kwargs={"token": bad})).status_code == 404
        assert (
            client.post(reverse("registrations:cancel", kwargs={"token": bad})).status_code == 404
        )
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_visiting_the_manage_page_or_cancel_link_never_cancels(client: Client) -> None:
    registration = make_registration(EventFactory())

    assert client.get(manage_url(registration)).status_code == 200
    assert client.get(cancel_url(registration)).status_code == 200

    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED


def test_self_cancel_asks_once_then_cancels_without_javascript(client: Client) -> None:
    event = EventFactory(title="Poetry night", capacity=1)
    registration = make_registration(event)
    manage_page = page_text(client.get(manage_url(registration)))
    # The manage page's button is a plain link to the question, not a form that cancels.
    assert f'href="{cancel_url(registration)}"' in manage_page
    assert f'action="{cancel_url(registration)}"' not in manage_page

    question = page_text(client.get(cancel_url(registration)))
    assert "Cancel your registration?" in question
    assert "Poetry night" in question
    assert "Your seat goes to the next person waiting." in question
    assert 'name="confirm" value="yes"' in question
    assert f'href="{manage_url(registration)}"' in question  # "No, keep it"
    # A POST that did not come from the question (an old page, a stray tap) only asks.
    unconfirmed = client.post(cancel_url(registration))
    assert "Cancel your registration?" in page_text(unconfirmed)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CONFIRMED

    response = client.post(cancel_url(registration), {"confirm": "yes"})

    assert response["Location"] == manage_url(registration)
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    # Once cancelled, the question is not asked again.
    assert client.get(cancel_url(registration))["Location"] == manage_url(registration)


def test_cancelling_from_the_manage_page_and_again_changes_nothing_more(client: Client) -> None:
    event = EventFactory(capacity=1)
    registration = make_registration(event)

    response = client.post(cancel_url(registration), {"confirm": "yes"}, follow=True)

    page = page_text(response)
    assert "Your registration has been cancelled." in page
    assert "Cancel my registration" not in page
    assert "This personal link shows your registration." in page
    assert "see or cancel" not in page
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    cancelled_at = registration.cancelled_at

    again = client.post(cancel_url(registration), {"confirm": "yes"}, follow=True)

    assert again.status_code == 200
    assert "Your registration has been cancelled." not in page_text(again)
    registration.refresh_from_db()
    assert registration.cancelled_at == cancelled_at
    event.refresh_from_db()
    assert event.seats_taken == 0


def test_cancelling_gives_the_seat_to_the_first_person_waiting(client: Client) -> None:
    event = EventFactory(capacity=1)
    leaving = make_registration(event, "leaving@example.org")
    waiting = make_registration(event, "waiting@example.org")

    client.post(cancel_url(leaving), {"confirm": "yes"})

    waiting.refresh_from_db()
    assert waiting.status == Registration.Status.CONFIRMED
    assert JOIN_URL in page_text(client.get(manage_url(waiting)))


def test_a_declined_registration_says_declined_to_the_person(client: Client) -> None:
    event = EventFactory(approval_required=True)
    declined = make_registration(event, "declined@example.org")
    registration_reject(registration=declined, reason="")
    withdrawn = make_registration(event, "withdrawn@example.org")
    registration_cancel(registration=withdrawn)

    declined_badge = page_text(client.get(manage_url(declined))).split('class="badge')[1]
    assert declined_badge.split("</span>")[0].endswith(">Declined")
    withdrawn_badge = page_text(client.get(manage_url(withdrawn))).split('class="badge')[1]
    assert withdrawn_badge.split("</span>")[0].endswith(">Cancelled")


def test_after_the_event_ended_the_manage_page_offers_no_cancel_and_a_post_moves_nobody(
    client: Client,
) -> None:
    event = EventFactory(capacity=1)
    leaving = make_registration(event, "leaving@example.org")
    waiting = make_registration(event, "waiting@example.org")
    OutboxEmail.objects.all().delete()

    with time_machine.travel(event.ends_at + timedelta(hours=1)):
        page = page_text(client.get(manage_url(leaving)))
        response = client.post(cancel_url(leaving), {"confirm": "yes"}, follow=True)

    assert "Cancel my registration" not in page
    assert "This event has already taken place" in page_text(response)
    assert Registration.objects.get(pk=leaving.pk).status == Registration.Status.CONFIRMED
    assert Registration.objects.get(pk=waiting.pk).status == Registration.Status.WAITLISTED
    assert not OutboxEmail.objects.exists()


def test_only_confirmed_registrants_see_the_join_link(client: Client) -> None:
    event = EventFactory(capacity=1, join_url=JOIN_URL)
    confirmed = make_registration(event, "confirmed@example.org")
    waitlisted = make_registration(event, "waitlisted@example.org")
    other_event = EventFactory(join_url=JOIN_URL)
    cancelled = make_registration(other_event, "cancelled@example.org")
    registration_cancel(registration=cancelled)

    confirmed_page = page_text(client.get(manage_url(confirmed)))
    assert JOIN_URL in confirmed_page
    assert "Passcode 1234" in confirmed_page
    for registration in (waitlisted, cancelled):
        page = page_text(client.get(manage_url(registration)))
        assert JOIN_URL not in page
        assert "Passcode 1234" not in page


def test_registrants_of_a_cancelled_event_see_the_banner_and_no_join_link(client: Client) -> None:
    event = EventFactory(join_url=JOIN_URL)
    registration = make_registration(event)
    Event.objects.filter(pk=event.pk).update(status=Event.Status.CANCELLED)

    page = page_text(client.get(manage_url(registration)))

    assert "This event has been cancelled." in page
    assert JOIN_URL not in page


def test_a_registration_takes_a_handful_of_queries(
    client: Client, django_assert_max_num_queries: Any
) -> None:
    """Every registration pays these, most under the event's lock (docs/benchmarks.md).

    Registration: event (with a question check), BEGIN, INSERT, seat claim (or, when full,
    the event row's lock), COMMIT. Email: the outbox row, and for a confirmation the calendar
    invite's sequence (one upsert). Reminders, for a confirmation: the event with its rules,
    read under a key-share lock (no rules here; with rules, one INSERT more). Webhooks: the
    organization's endpoints (none here; with some, one INSERT more).
    """
    event = EventFactory(capacity=1)
    rules_read = 0 if connection.vendor == "postgresql" else 1  # SQLite: no join under a lock
    with django_assert_max_num_queries(5 + 2 + 1 + 1 + rules_read):
        client.post(register_url(event), form_data(email="first@example.org"))
    with django_assert_max_num_queries(5 + 1 + 1):
        client.post(register_url(event), form_data(email="waiting@example.org"))
    assert Registration.objects.filter(status=Registration.Status.WAITLISTED).count() == 1


@pytest.mark.django_db(transaction=True)
def test_registering_never_talks_to_the_mail_queue(
    client: Client, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The email row is committed with the registration; the relay hands it over later."""
    from config.celery import app as celery_app
    from notifications.tasks import send_outbox_batch, send_outbox_email

    attempts: list[object] = []

    def broker_down(*args: object) -> None:
        attempts.append(args)
        raise ConnectionError("broker unreachable")

    monkeypatch.setattr(send_outbox_email, "delay", broker_down)
    monkeypatch.setattr(send_outbox_batch, "delay", broker_down)
    eager, celery_app.conf.task_always_eager = celery_app.conf.task_always_eager, False
    event = EventFactory()

    try:
        response = client.post(register_url(event), form_data())
    finally:
        celery_app.conf.task_always_eager = eager

    assert response.status_code == 302
    assert attempts == []
    registration = Registration.objects.get(event=event)
    assert OutboxEmail.objects.filter(
        registration=registration, status="queued", relayed_at=None
    ).exists()
