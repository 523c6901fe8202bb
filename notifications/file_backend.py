"""Emails as files for `make run`: one ``.eml`` file per email under ``EMAIL_FILE_PATH``.

Django's file backend appends every message one connection sends to a single ``.log`` file,
with a line of dashes between them, so a batch of reminders became one file that no mail
program opens. Here each email is its own file, the bytes an SMTP server would receive: a
double click opens it in Thunderbird, Apple Mail or Outlook, attachments and calendar invite
included. The names sort by the time they were written.
"""

import uuid
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from django.conf import settings
from django.core.mail import EmailMessage
from django.core.mail.backends.base import BaseEmailBackend
from django.utils import timezone


class EmailBackend(BaseEmailBackend):
    def __init__(self, *args: Any, file_path: str | None = None, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.directory = Path(file_path or settings.EMAIL_FILE_PATH)
        self.directory.mkdir(parents=True, exist_ok=True)

    def send_messages(self, email_messages: Sequence[EmailMessage]) -> int:
        written = 0
        for message in email_messages:
            if not message.recipients():
                continue
            stamp = timezone.now().strftime("%Y%m%d-%H%M%S-%f")
            path = self.directory / f"{stamp}-{uuid.uuid4().hex[:8]}.eml"
            # "x": never overwrite; the random part makes a clash all but impossible.
            with path.open("xb") as file:
                file.write(message.message().as_bytes(linesep="\r\n"))
            written += 1
        return written
