"""A series in a real browser: register once for every session, a session moves, leave.

What the registrant's mailbox shows: one confirmation per session, each with its own invite
UID; one update when the organizer moves one session; CANCELs for the future sessions only
when they leave the series.
"""

import re
from datetime import timedelta

import pytest
from allauth.account.models import EmailAddress
from django.core import mail
from django.utils import timezone
from playwright.sync_api import Browser, expect
from pytest_django.live_server_helper import LiveServer

from events.models import Event
from events.timezones import utc_to_local
from registrations.models import Registration
from series.services import series_generate
from tests.e2e.test_registration_journey import open_page
from tests.factories import MembershipFactory, UserFactory
from tests.notifications.helpers import calendar_part, mime
from tests.series.helpers import weekly_series

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]


def invites_to(address: str) -> list[tuple[str, str, str]]:
    """(METHOD, UID, SEQUENCE) of every calendar invite sent to ``address`` so far."""
    found = []
    for message in mail.outbox:
        if address not in message.to:
            continue
        calendar = calendar_part(mime(message))
        if calendar is None:
            continue
        field = {
            name: re.search(rf"^{name}:(.*)$", calendar, re.M).group(1).strip()  # type: ignore[union-attr]
            for name in ("METHOD", "UID", "SEQUENCE")
        }
        found.append((field["METHOD"], field["UID"], field["SEQUENCE"]))
    return found


def test_register_for_all_sessions_a_session_moves_then_leave_the_series(
    browser: Browser, live_server: LiveServer
) -> None:
    organizer = UserFactory(email="organizer@example.org")
    EmailAddress.objects.create(user=organizer, email=organizer.email, verified=True, primary=True)
    organization = MembershipFactory(user=organizer).organization
    series = weekly_series(organization=organization, title="Reading circle", capacity=10)
    series_generate(series=series)
    first, second, third = Event.objects.filter(series_session__series=series).order_by("starts_at")

    ana = open_page(browser, "Asia/Tehran")
    ana.goto(live_server.url + first.get_absolute_url())
    ana.get_by_role("link", name="Register for all upcoming sessions").click()
    ana.get_by_label("Your name").fill("Ana")
    ana.get_by_role("textbox", name="Email").fill("ana@example.org")
    ana.get_by_role("button", name="Register for all sessions").click()
    expect(ana.get_by_text("you are registered for every upcoming session")).to_be_visible()
    expect(ana.get_by_text("Confirmed")).to_have_count(3)

    confirmations = invites_to("ana@example.org")
    assert [method for method, _uid, _sequence in confirmations] == ["REQUEST"] * 3
    uids = {uid for _method, uid, _sequence in confirmations}
    assert len(uids) == 3
    uid_of = {
        registration.event_id: f"{registration.public_id}@convene.test"
        for registration in Registration.objects.filter(email_normalized="ana@example.org")
    }
    assert uids == set(uid_of.values())

    boss = open_page(browser, "America/New_York")
    boss.goto(live_server.url + "/accounts/login/")
    boss.get_by_label("Email").fill("organizer@example.org")
    boss.get_by_label("Password").fill("correct horse battery")
    boss.get_by_role("button", name="Sign in", exact=True).click()
    boss.goto(live_server.url + f"/manage/series/{series.pk}/")
    boss.get_by_role("link", name="This session only").nth(1).click()
    starts = boss.locator("#id_starts_at")
    ends = boss.locator("#id_ends_at")
    starts.fill(starts.input_value()[:11] + "21:00")
    ends.fill(ends.input_value()[:11] + "22:00")
    boss.get_by_role("button", name="Save changes").click()
    expect(boss.get_by_text("Save changes")).to_have_count(0)
    second.refresh_from_db()
    assert utc_to_local(second.starts_at, series.time_zone).hour == 21

    updates = invites_to("ana@example.org")[3:]
    assert updates == [("REQUEST", uid_of[second.pk], "1")]

    # The first session takes place; then Ana leaves the series by her link.
    Event.objects.filter(pk=first.pk).update(
        starts_at=timezone.now() - timedelta(hours=2), ends_at=timezone.now() - timedelta(hours=1)
    )
    welcome = next(m for m in mail.outbox if m.subject.startswith("You are registered for every"))
    link = re.search(r"https://convene.test(/series/r/\S+/)", welcome.body).group(1)  # type: ignore[union-attr]
    ana.goto(live_server.url + link)
    ana.get_by_role("link", name="Leave the whole series").click()
    ana.get_by_role("button", name="Yes, leave the series").click()
    expect(ana.get_by_text("You have left the series")).to_be_visible()

    cancels = invites_to("ana@example.org")[4:]
    assert sorted(cancels) == sorted(
        [("CANCEL", uid_of[second.pk], "2"), ("CANCEL", uid_of[third.pk], "1")]
    )
    assert Registration.objects.get(event=first).status == Registration.Status.CONFIRMED
    ana.context.close()
    boss.context.close()
