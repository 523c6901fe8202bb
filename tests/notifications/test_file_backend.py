"""Without an SMTP server (`make run`), every email is its own .eml file under var/mail/."""

import email
from email import policy
from pathlib import Path

from django.core.mail import get_connection

from notifications.mime import CalendarInviteEmail, OutboxMessage
from tests.config.test_production_settings import run_manage


def local_email_backend() -> str:
    """The backend the local settings choose when no EMAIL_HOST is set."""
    result = run_manage(
        "shell",
        "-c",
        "from django.conf import settings; print(settings.EMAIL_BACKEND)",
        DJANGO_SETTINGS_MODULE="config.settings.local",
        EMAIL_HOST="",
    )
    assert result.returncode == 0, result.stderr
    return result.stdout.strip().splitlines()[-1]


def test_each_email_of_a_batch_is_its_own_eml_file_a_mail_program_can_open(
    tmp_path: Path,
) -> None:
    connection = get_connection(local_email_backend(), file_path=str(tmp_path))
    invite = CalendarInviteEmail(
        "Ihr Platz ist frei",
        "Hallo",
        to=["ana@example.org"],
        calendar=b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n",
        method="REQUEST",
    )
    invite.attach("invite.ics", b"BEGIN:VCALENDAR\r\nEND:VCALENDAR\r\n", "application/ics")
    invite.attach_alternative("<p>Hallo</p>", "text/html")
    plain = OutboxMessage("Reminder", "See you soon", to=["bo@example.org"])

    assert connection.send_messages([invite, plain]) == 2

    files = sorted(tmp_path.iterdir())
    assert [path.suffix for path in files] == [".eml", ".eml"]
    parsed = [email.message_from_bytes(path.read_bytes(), policy=policy.default) for path in files]
    assert sorted(str(message["To"]) for message in parsed) == ["ana@example.org", "bo@example.org"]
    [with_invite] = [message for message in parsed if message["To"] == "ana@example.org"]
    assert [part.get_filename() for part in with_invite.iter_attachments()] == ["invite.ics"]
    assert "-" * 79 not in files[0].read_text()
