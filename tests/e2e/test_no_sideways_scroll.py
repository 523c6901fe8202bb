"""No page scrolls sideways, in English or in Persian (right to left), on a desktop or a phone.

Each page's ``document.documentElement.scrollWidth`` must not exceed the viewport's width: a
wider page can be scrolled into blank space (docs/design.md, "Languages").
"""

import io
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path
from typing import Any

import pytest
from django.conf import settings
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from PIL import Image
from playwright.sync_api import Browser
from pytest_django.live_server_helper import LiveServer

from accounts.models import User
from events.logos import logo_prepare
from events.models import CoHost, Event, Membership
from registrations.models import Registration
from registrations.selectors import registration_manage_token
from registrations.services import registration_create
from tests.factories import EventFactory, MembershipFactory, OrganizationFactory, QuestionFactory
from tests.series.helpers import weekly_series
from workspace.services.organizations import organization_update

pytestmark = [pytest.mark.browser, pytest.mark.django_db(transaction=True)]

WIDTHS = [1280, 390]
LANGUAGES = [("en-US", "America/New_York"), ("fa-IR", "Asia/Tehran")]


def _logo() -> Any:
    buffer = io.BytesIO()
    Image.new("RGB", (1200, 300), (200, 30, 30)).save(buffer, format="PNG")
    return logo_prepare(io.BytesIO(buffer.getvalue()))


def _world() -> tuple[User, Event, Registration]:
    membership = MembershipFactory(
        organization__name="کتاب‌فروشی شهرزاد · Shahrzad Books",
        organization__slug="shahrzad",
        user__email="organizer.with.a.rather.long.address@bookstore.example.org",
        role=Membership.Role.OWNER,
    )
    # A wide logo, as an organization would upload one.
    organization_update(actor=membership.user, organization=membership.organization, logo=_logo())
    event = EventFactory(
        organization=membership.organization,
        language="en",
        title="شب شعر — An evening of poetry with a rather long title that has to wrap somewhere",
        kind=Event.Kind.IN_PERSON,
        time_zone="America/Los_Angeles",
        venue_name="Corner Bookstore",
        venue_address="120 Main Street, Springfield",
        join_url="https://meet.example.org/a-very-long-room-name-without-any-spaces-in-it-at-all",
        capacity=20,
        starts_at=timezone.now() + timedelta(days=10),
    )
    QuestionFactory(event=event, label="چطور از این رویداد باخبر شدید؟ How did you hear?")
    # The organizer's organization is invited to co-host another's event (the invitation
    # page), and runs a weekly series (its lists page).
    host = OrganizationFactory(
        name="صداهایی برای تغییر · Voices for Change, a campaign with a long name",
        slug="voices",
    )
    CoHost.objects.create(
        event=EventFactory(organization=host, title=event.title), organization=event.organization
    )
    weekly_series(organization=membership.organization, title="حلقه‌ی کتاب‌خوانی · Reading group")
    registration = registration_create(
        event=event,
        name="پریسا Parisa",
        email="parisa.with.a.long.address@example.org",
        time_zone="Asia/Tehran",
    ).registration
    return membership.user, event, registration


def _session_cookie(user: User, live_server: LiveServer) -> dict[str, str]:
    client = Client()
    client.force_login(user)
    return {
        "name": settings.SESSION_COOKIE_NAME,
        "value": client.cookies[settings.SESSION_COOKIE_NAME].value,
        "url": live_server.url,
    }


PageUrl = Callable[[Event, Registration], str]

PUBLIC_PAGES: dict[str, PageUrl] = {
    "event list": lambda event, registration: reverse("events:list"),
    "past events": lambda event, registration: reverse("events:past"),
    "event page": lambda event, registration: event.get_absolute_url(),
    "manage page": lambda event, registration: reverse(
        "registrations:manage", kwargs={"token": registration_manage_token(registration)}
    ),
    "sign in": lambda event, registration: reverse("account_login"),
    "sign-in code": lambda event, registration: reverse("account_request_login_code"),
    "sign up": lambda event, registration: reverse("account_signup"),
}

WORKSPACE_PAGES: dict[str, PageUrl] = {
    "my registrations": lambda event, registration: reverse("registrations:mine"),
    "workspace": lambda event, registration: reverse("workspace:home"),
    "event overview": lambda event, registration: reverse(
        "workspace:event_overview", kwargs={"event_id": event.pk}
    ),
    "event form": lambda event, registration: reverse(
        "workspace:event_edit", kwargs={"event_id": event.pk}
    ),
    "new event": lambda event, registration: reverse(
        "workspace:event_create", kwargs={"organization_id": event.organization_id}
    ),
    "attendees": lambda event, registration: reverse(
        "workspace:attendees", kwargs={"event_id": event.pk}
    ),
    "check-in": lambda event, registration: reverse(
        "workspace:checkin", kwargs={"event_id": event.pk}
    ),
    "messages": lambda event, registration: reverse(
        "workspace:messages", kwargs={"event_id": event.pk}
    ),
    "stats": lambda event, registration: reverse("workspace:stats", kwargs={"event_id": event.pk}),
    "exports": lambda event, registration: reverse(
        "workspace:event_exports", kwargs={"event_id": event.pk}
    ),
    "members": lambda event, registration: reverse(
        "workspace:members", kwargs={"slug": event.organization.slug}
    ),
    "audit log": lambda event, registration: reverse(
        "workspace:audit_log", kwargs={"slug": event.organization.slug}
    ),
    "attendance report": lambda event, registration: reverse(
        "workspace:attendance_upload", kwargs={"event_id": event.pk}
    ),
    "follow-ups": lambda event, registration: reverse(
        "workspace:follow_ups", kwargs={"event_id": event.pk}
    ),
    "event languages": lambda event, registration: reverse(
        "workspace:event_translation", kwargs={"event_id": event.pk, "language": "fa"}
    ),
    "organization settings with a logo": lambda event, registration: reverse(
        "workspace:organization_settings", kwargs={"slug": event.organization.slug}
    ),
    "co-host invitation": lambda event, registration: reverse(
        "workspace:cohost_invitation",
        kwargs={
            "slug": event.organization.slug,
            "cohost_id": CoHost.objects.get(organization=event.organization).pk,
        },
    ),
    "series lists": lambda event, registration: reverse(
        "workspace:series_lists",
        kwargs={"series_id": event.organization.series.get().pk},  # type: ignore[attr-defined]
    ),
}


def test_no_page_is_wider_than_the_screen(
    browser: Browser, live_server: LiveServer, settings: Any, tmp_path: Path
) -> None:
    settings.MEDIA_ROOT = tmp_path
    organizer, event, registration = _world()
    too_wide = []
    for locale, zone in LANGUAGES:
        for width in WIDTHS:
            for signed_in, pages in ((False, PUBLIC_PAGES), (True, WORKSPACE_PAGES)):
                context = browser.new_context(
                    locale=locale, timezone_id=zone, viewport={"width": width, "height": 900}
                )
                if signed_in:
                    context.add_cookies([_session_cookie(organizer, live_server)])
                page = context.new_page()
                for name, url in pages.items():
                    response = page.goto(live_server.url + url(event, registration))
                    assert response is not None and response.status == 200, (name, locale)
                    scroll_width = page.evaluate("document.documentElement.scrollWidth")
                    if scroll_width > width:
                        too_wide.append(f"{name} ({locale}, {width} px): {scroll_width} px")
                context.close()

    assert too_wide == []
