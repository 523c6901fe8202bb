"""The invitation email speaks the inviting owner's language, and its HTML says which."""

import pytest

from notifications.models import OutboxEmail
from tests.workspace.conftest import Workspace
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
