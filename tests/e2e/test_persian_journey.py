"""A Persian reader's whole journey in real Chromium (locale fa-IR, zone Asia/Tehran).

The event list, the event page, registering with a question, the confirmation, the manage
page and the cancellation: each step must read as Persian (only the organizer's own English
text and proper names stay Latin), show dates on the Solar Hijri calendar with Persian digits,
name the zone in Persian and never scroll sideways (docs/design.md, "Languages").

Each step's screenshot is kept under ``var/test-artifacts/persian-journey/`` (var/ is not
committed) so a person can look at what the reader saw.
"""

import re
from datetime import UTC, datetime
from pathlib import Path

import pytest
from django.conf import settings
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from events.models import Event
from events.services import event_translation_save
from registrations.models import Registration
from tests.factories import EventFactory, QuestionFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000
ARTIFACTS = Path(settings.BASE_DIR) / "var" / "test-artifacts" / "persian-journey"

# The organizer's own text, in English on purpose: it may stay Latin on a Persian page.
TITLE = "Evening of readings"
VENUE = "Corner Bookstore"
ADDRESS = "120 Main Street"
ORGANIZATION = "Shahrzad Books"
QUESTION = "Which poem will you read?"
DESCRIPTION = "A night of short readings."
INSTRUCTIONS = "Passcode 1234"
ORGANIZER_TEXT = [TITLE, VENUE, ADDRESS, ORGANIZATION, QUESTION, DESCRIPTION, INSTRUCTIONS]
# Names Latin on purpose in Persian too (docs/i18n.md): the product, calendar services, the
# IANA zone names and the file type.
PROPER_NAMES = re.compile(r"Convene|Google|Outlook|\.ics|English|[A-Z][a-z]+/[A-Za-z_]+")

# English words of Convene's own interface; none may show on a Persian page.
UI_ENGLISH = re.compile(
    r"\b(Register|Registration|registered|Cancel|Confirmed|Cancelled|Waitlist|Your|Email|"
    r"Name|Time zone|seats?|left|Upcoming|events?|Manage|Sign in|Language|Submit|When|Where|"
    r"Hello|Yes|No|Back|Tehran|Iran|Sunday|Monday|Tuesday|Wednesday|Thursday|Friday|Saturday|"
    r"January|February|March|April|May|June|July|August|September|October|November|"
    r"December|AM|PM)\b",
)
# The Solar Hijri month names; a Gregorian month in Persian (دسامبر) is not one of them.
SOLAR_HIJRI_MONTHS = "فروردین|اردیبهشت|خرداد|تیر|مرداد|شهریور|مهر|آبان|آذر|دی|بهمن|اسفند"
PERSIAN_DIGITS = re.compile("[۰-۹]")  # noqa: RUF001 - Persian digits on purpose
LATIN_DIGITS = re.compile("[0-9]")


def open_persian_page(browser: Browser, width: int = 1280) -> Page:
    context = browser.new_context(
        timezone_id="Asia/Tehran", locale="fa-IR", viewport={"width": width, "height": 900}
    )
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def interface_text(page: Page) -> str:
    """The visible text of the page's main content and chrome, without the organizer's text.

    The manage link (``<code>``) and what the organizer wrote are taken out; proper names are
    in ORGANIZER_TEXT.
    """
    text: str = page.evaluate(
        """() => {
            const clone = document.body.cloneNode(true);
            clone.querySelectorAll('code, script, style, [hidden], .visually-hidden')
                .forEach((node) => node.remove());
            return clone.innerText;
        }"""
    )
    for phrase in ORGANIZER_TEXT:
        text = text.replace(phrase, "")
    return PROPER_NAMES.sub("", text)


def check_step(page: Page, step: str, *, has_date: bool = True) -> str:
    """Screenshots the step at 1280 and 390 px and checks what every step must satisfy."""
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    for width in (1280, 390):
        page.set_viewport_size({"width": width, "height": 900})
        scroll_width = page.evaluate("document.documentElement.scrollWidth")
        assert scroll_width <= width, f"{step} at {width} px is {scroll_width} px wide"
        page.screenshot(path=str(ARTIFACTS / f"{step}-{width}.png"), full_page=True)
    page.set_viewport_size({"width": 1280, "height": 900})

    text = interface_text(page)
    english = sorted(set(UI_ENGLISH.findall(text)))
    assert not english, f"{step}: English interface words {english} in:\n{text}"
    assert not LATIN_DIGITS.search(text), f"{step}: Latin digits in:\n{text}"
    if has_date:
        assert re.search(SOLAR_HIJRI_MONTHS, text), f"{step}: no Solar Hijri month in:\n{text}"
        assert PERSIAN_DIGITS.search(text), f"{step}: no Persian digits in:\n{text}"
        assert "وقت ایران" in text or "تهران" in text, f"{step}: zone not in Persian:\n{text}"
    return text


def test_a_persian_reader_registers_answers_a_question_and_cancels(
    browser: Browser, live_server: LiveServer
) -> None:
    event = EventFactory(
        organization__name=ORGANIZATION,
        title=TITLE,
        description=DESCRIPTION,
        joining_instructions=INSTRUCTIONS,
        kind=Event.Kind.IN_PERSON,
        capacity=10,
        time_zone="Asia/Tehran",
        # 20 Esfand 1405 at 20:30 Tehran time (UTC+03:30).
        starts_at=datetime(2027, 3, 11, 17, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 11, 19, 0, tzinfo=UTC),
        venue_name=VENUE,
        venue_address=ADDRESS,
        join_url="",
    )
    QuestionFactory(event=event, label=QUESTION, required=True)
    page = open_persian_page(browser)

    page.goto(live_server.url + "/")
    expect(page.get_by_role("heading", name="رویدادهای پیش رو")).to_be_visible()
    list_text = check_step(page, "1-event-list")
    assert "۱۴۰۵" in list_text  # 2027-03-11 is in 1405 on the Solar Hijri calendar
    assert "۱۰ جای خالی" in list_text  # noqa: RUF001 - Persian digits

    page.get_by_role("link", name=TITLE).click()
    check_step(page, "2-event-page")
    expect(page.get_by_label("زبان ایمیل‌ها")).to_have_value("fa")  # noqa: RUF001

    page.get_by_label("نام شما").fill("پریسا")
    page.get_by_role("textbox", name="ایمیل").fill("parisa@example.org")
    page.get_by_label(QUESTION).fill("Ode to the west wind")
    page.locator("#register button[type=submit]").click()

    expect(page.locator(".badge")).to_have_text("قطعی")
    check_step(page, "3-confirmation")
    registration = Registration.objects.get(email="parisa@example.org")
    assert registration.language == "fa"
    assert registration.time_zone == "Asia/Tehran"
    assert list(registration.answers.values()) == ["Ode to the west wind"]

    manage_link = page.locator("code").first.inner_text()
    page.goto(manage_link)
    check_step(page, "4-manage-page")

    page.get_by_role("link", name="لغو ثبت‌نام").click()
    check_step(page, "5-cancel-confirm")
    page.get_by_role("button", name=re.compile("بله")).click()
    expect(page.locator(".badge")).to_have_text("لغوشده")
    check_step(page, "6-cancelled")
    registration.refresh_from_db()
    assert registration.status == Registration.Status.CANCELLED
    page.context.close()


def test_a_persian_reader_sees_the_persian_version_of_a_bilingual_event(
    browser: Browser, live_server: LiveServer
) -> None:
    """The organizer wrote the event in English and in Persian: the Persian reader sees the
    Persian one in the list, on the page and in the form, with no note about another
    language; the answer is stored as the question's own (English) choice."""
    event = EventFactory(
        organization__name=ORGANIZATION,
        title=TITLE,
        description=DESCRIPTION,
        language="en",
        kind=Event.Kind.WEBINAR,
        time_zone="Asia/Tehran",
        starts_at=datetime(2027, 3, 11, 17, 0, tzinfo=UTC),
        ends_at=datetime(2027, 3, 11, 19, 0, tzinfo=UTC),
    )
    question = QuestionFactory(
        event=event,
        label=QUESTION,
        kind="single_choice",
        choices="A poem of my own\nSomeone else's",
        required=True,
    )
    event_translation_save(
        event=event,
        language="fa",
        texts={"title": "شب شعرخوانی", "description": "شبی با شعرهای کوتاه."},
        question_texts={question.pk: ("کدام شعر را می‌خوانید؟", "شعری از خودم\nشعری از دیگری")},
    )
    page = open_persian_page(browser)

    page.goto(live_server.url + "/")
    page.get_by_role("link", name="شب شعرخوانی").click()
    expect(page.get_by_role("heading", level=1)).to_have_text("شب شعرخوانی")
    expect(page.locator(".description")).to_have_text("شبی با شعرهای کوتاه.")
    expect(page.locator(".text-language-note")).to_have_count(0)
    text = check_step(page, "7-bilingual-event-page")
    assert TITLE not in text and QUESTION not in text

    page.get_by_label("نام شما").fill("پریسا")
    page.get_by_role("textbox", name="ایمیل").fill("parisa@example.org")
    page.get_by_label("شعری از دیگری").check()
    page.locator("#register button[type=submit]").click()

    expect(page.locator(".badge")).to_have_text("قطعی")
    expect(page.locator("main h2").first).to_have_text("شب شعرخوانی")
    registration = Registration.objects.get(email="parisa@example.org")
    assert registration.answers == {str(question.pk): "Someone else's"}
    page.context.close()
