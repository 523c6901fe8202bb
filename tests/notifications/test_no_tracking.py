"""Emails carry no tracking pixels and no rewritten links (docs/privacy.md)."""

import re
from typing import Any
from urllib.parse import urlsplit

import pytest
from django.core import mail

from tests.factories import EventFactory
from tests.notifications.helpers import register

pytestmark = pytest.mark.django_db


def test_a_confirmation_has_no_images_and_links_only_to_the_site_and_the_event(
    django_capture_on_commit_callbacks: Any,
) -> None:
    event = EventFactory(join_url="https://meet.example.org/room")
    with django_capture_on_commit_callbacks(execute=True):
        register(event, "ana@example.org")

    (message,) = mail.outbox
    html = next(body for body, kind in message.alternatives if kind == "text/html")
    links = re.findall(r'href="([^"]+)"', html)
    assert "<img" not in html.lower()
    assert links
    for link in links:
        assert urlsplit(link).netloc in {"convene.test", "meet.example.org"}, link
