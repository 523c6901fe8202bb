"""The workspace in the organizer's language: invitation emails and the "add a person" form."""

import re
from datetime import timedelta

import pytest
from django.conf import settings
from django.urls import reverse
from django.utils import timezone

from notifications.models import OutboxEmail
from tests.factories import EventFactory, UserFactory
from tests.workspace.conftest import Workspace, client_for
from workspace.services.members import member_invite

pytestmark = pytest.mark.django_db


def invitation_email(workspace: Workspace, language: str) -> OutboxEmail:
    member_invite(
        organization=workspace.organization,
        email="new@example.org",
        role="organizer",
        invited_by=workspace.owner,
        language=language,
    )
    return OutboxEmail.objects.get(kind=OutboxEmail.Kind.INVITATION)


def test_a_persian_invitation_is_persian_and_right_to_left(workspace: Workspace) -> None:
    email = invitation_email(workspace, "fa")

    assert email.subject == "شما دعوت شده‌اید که به Shahrzad Books در Convene بپیوندید"
    assert "پذیرفتن دعوت‌نامه" in email.text_body
    assert '<html lang="fa" dir="rtl">' in email.html_body
    assert "پذیرفتن دعوت‌نامه" in email.html_body


def test_an_english_invitation_is_left_to_right(workspace: Workspace) -> None:
    email = invitation_email(workspace, "en")

    assert email.subject == "You are invited to join Shahrzad Books on Convene"
    assert '<html lang="en" dir="ltr">' in email.html_body


def member_added_email(workspace: Workspace, language: str) -> OutboxEmail:
    UserFactory(email="leila@example.org")
    member_invite(
        organization=workspace.organization,
        email="leila@example.org",
        role="organizer",
        invited_by=workspace.owner,
        language=language,
    )
    return OutboxEmail.objects.get(kind=OutboxEmail.Kind.MEMBER_ADDED)


def test_a_persian_member_added_email_is_persian_and_right_to_left(workspace: Workspace) -> None:
    # Rendered outside any request: the language is the one the service renders it in.
    email = member_added_email(workspace, "fa")

    assert '<html lang="fa" dir="rtl">' in email.html_body
    assert (
        "Shahrzad Books" in email.html_body
        and "Open the organizer workspace" not in email.html_body
    )


def test_an_english_member_added_email_is_left_to_right(workspace: Workspace) -> None:
    email = member_added_email(workspace, "en")

    assert '<html lang="en" dir="ltr">' in email.html_body


@pytest.mark.parametrize(("cookie", "language"), [("fa", "fa"), ("en", "en")])
def test_adding_a_person_starts_with_the_workspaces_language_for_emails(
    workspace: Workspace, cookie: str, language: str
) -> None:
    client = client_for(workspace.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    page = client.get(reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk}))

    select = page.content.decode().split('name="language"', 1)[1].split("</select>", 1)[0]
    assert re.search(rf'<option value="{language}"[^>]*selected', select), select


def test_counts_in_sentences_are_written_in_the_readers_digits(workspace: Workspace) -> None:
    for days_ago in range(1, 13):
        EventFactory(
            organization=workspace.organization,
            starts_at=timezone.now() - timedelta(days=days_ago, hours=2),
            ends_at=timezone.now() - timedelta(days=days_ago, hours=1),
        )
    client = client_for(workspace.organizer)

    persian = client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE="fa").content.decode()
    english = client.get(reverse("workspace:home"), HTTP_ACCEPT_LANGUAGE="en").content.decode()

    assert "۱۲ رویداد گذشته" in persian
    assert "12 past events" in english
