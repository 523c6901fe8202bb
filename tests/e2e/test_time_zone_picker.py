"""The time-zone picker in a real browser: the browser's zone preselected, a search that
narrows the list in either language."""

import pytest
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from tests.factories import EventFactory

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def test_typing_a_city_picks_its_zone(browser: Browser, live_server: LiveServer) -> None:
    event = EventFactory()
    context = browser.new_context(locale="en-US", timezone_id="Europe/Berlin")
    page = context.new_page()
    page.goto(live_server.url + event.get_absolute_url())
    zone = page.get_by_label("Your time zone")
    expect(zone).to_have_value("Europe/Berlin")

    page.get_by_placeholder("Search time zones").fill("tehran")

    expect(zone).to_have_value("Asia/Tehran")
    assert zone.locator("option").count() == 1
    page.get_by_placeholder("Search time zones").fill("")
    assert zone.locator("option").count() > 400
    context.close()


def test_a_persian_reader_searches_in_persian(browser: Browser, live_server: LiveServer) -> None:
    event = EventFactory()
    context = browser.new_context(locale="fa-IR", timezone_id="Asia/Tehran")
    page = context.new_page()
    page.goto(live_server.url + event.get_absolute_url())
    zone = page.locator("select[name=time_zone]")
    expect(zone).to_have_value("Asia/Tehran")
    search = page.locator("input.time-zone-search")

    # Typed with an Arabic keyboard (ي for ی): still found.
    search.fill("توكيو")

    expect(zone).to_have_value("Asia/Tokyo")
    context.close()


def test_a_browser_zone_outside_the_list_is_offered_and_chosen(
    browser: Browser, live_server: LiveServer
) -> None:
    # Chromium names India's zone Asia/Calcutta, an alias the list leaves out.
    event = EventFactory()
    context = browser.new_context(locale="en-US", timezone_id="Asia/Calcutta")
    page = context.new_page()
    page.goto(live_server.url + event.get_absolute_url())

    expect(page.get_by_label("Your time zone")).to_have_value("Asia/Calcutta")
    context.close()
