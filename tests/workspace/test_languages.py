"""The workspace in the organizer's language: invitation emails and the "add a person" form."""

import re

import pytest
from django.conf import settings
from django.urls import reverse

from notifications.models import OutboxEmail
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


@pytest.mark.parametrize(("cookie", "language"), [("fa", "fa"), ("en", "en")])
def test_adding_a_person_starts_with_the_workspaces_language_for_emails(
    workspace: Workspace, cookie: str, language: str
) -> None:
    client = client_for(workspace.owner)
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = cookie

    page = client.get(reverse("workspace:attendees", kwargs={"event_id": workspace.event.pk}))

    select = page.content.decode().split('name="language"', 1)[1].split("</select>", 1)[0]
    assert re.search(rf'<option value="{language}"[^>]*selected', select), select
