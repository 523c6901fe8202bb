"""A Persian browser meets Convene in Persian; the picker's choice sticks (real Chromium)."""

import pytest
from playwright.sync_api import Browser, Page, expect
from pytest_django.live_server_helper import LiveServer

from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

TIMEOUT_MS = 10_000


def open_page(browser: Browser, locale: str) -> Page:
    """Chromium sends Accept-Language from its locale, as a browser set to Persian does."""
    context = browser.new_context(timezone_id="Asia/Tehran", locale=locale)
    context.set_default_timeout(TIMEOUT_MS)
    return context.new_page()


def test_a_persian_browser_gets_persian_and_the_pickers_choice_sticks(
    browser: Browser, live_server: LiveServer
) -> None:
    event = EventFactory(title="Reading circle")
    page = open_page(browser, "fa-IR")

    page.goto(live_server.url + "/")
    expect(page.locator("html")).to_have_attribute("lang", "fa")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.get_by_role("heading", name="رویدادهای پیش رو")).to_be_visible()
    page.get_by_role("link", name="Reading circle").click()
    expect(page.get_by_label("زبان ایمیل‌ها")).to_have_value("fa")  # noqa: RUF001 - Persian on purpose
    expect(page.get_by_role("button", name="ثبت‌نام")).to_be_visible()

    page.get_by_label("زبان", exact=True).select_option(label="English")
    page.get_by_role("button", name="اعمال").click()
    expect(page).to_have_url(live_server.url + event.get_absolute_url())
    expect(page.locator("html")).to_have_attribute("lang", "en")
    expect(page.get_by_label("Language for emails")).to_have_value("en")

    page.goto(live_server.url + "/events/past/")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    expect(page.get_by_role("heading", name="Past events")).to_be_visible()
    page.context.close()
