"""The MIME side of an outbox message: built and encoded once, headers folded cheaply.

Django's messages use the ``compat32`` email policy, which runs every header through
``email.header.Header`` to fold it; that was most of the cost of serializing a message.
``OUTBOX_POLICY`` is compat32 with two shortcuts, each writing exactly what compat32 writes:

* a header whose value is printable ASCII and fits on one line with its name is written as
  it is;
* a longer one with nowhere to fold it (no space: compat32 folds only at whitespace), such as
  a List-Unsubscribe URL, goes whole onto a continuation line.

Every other header (folded, encoded, or with unusual characters) takes compat32's own path.

The generator also picks each multipart boundary itself and checks it against the serialized
parts with a regular expression compiled for that one boundary. ``_set_boundaries`` picks them
up front, short enough for the Content-Type header to fit on one line, and checks them against
the parts' payloads with a substring search.

A non-ASCII subject is encoded knowing its header's name (Django encodes it without, and
compat32 then starts it on a continuation line: a leading space in the reader's inbox). The
invite's ``text/calendar`` part is an ordinary alternative whose ``method`` is set once built.

Kept for the reminders' CPU, pinned to Django 5.2 and compared with Django's own messages
by tests/notifications/test_mime.py (docs/design.md, "Framework internals we override").
"""

import functools
import random
from email.header import Header
from email.message import Message
from email.policy import Compat32
from typing import Any

from django.conf import settings
from django.core.mail import EmailMultiAlternatives
from django.core.mail.message import SafeMIMEMultipart, SafeMIMEText


class _Compat32OneLineHeaders(Compat32):
    """compat32, writing headers that need no folding or encoding directly."""

    def _fold(self, name: str, value: Any, sanitize: bool) -> str:
        if (
            isinstance(value, str)
            and value.isascii()
            and value.isprintable()
            and self.max_line_length is not None
        ):
            if len(name) + 2 + len(value) <= self.max_line_length:
                return f"{name}: {value}{self.linesep}"
            if " " not in value:  # printable ASCII has no other whitespace
                return f"{name}: {self.linesep} {value}{self.linesep}"
        folded: str = super()._fold(name, value, sanitize)  # type: ignore[misc]
        return folded


OUTBOX_POLICY = _Compat32OneLineHeaders()


def _new_boundary() -> str:
    """A random boundary of 96 bits; with it, even "multipart/alternative" fits on one line."""
    return f"=_{random.getrandbits(96):024x}"


def _set_boundaries(message: Message) -> None:
    """Give each multipart a random boundary, like the generator's, found in no payload.

    A boundary that occurs in no part's payload (nor is another part's boundary) cannot make
    up a line of the serialized parts, which is what the generator checks. Should a boundary
    ever be found, that multipart is left for the generator to choose.
    """
    parts = list(message.walk())
    payloads = [str(part.get_payload()) for part in parts if not part.is_multipart()]
    taken: list[str] = []
    for part in parts:
        if part.is_multipart() and part.get_boundary() is None:
            boundary = _new_boundary()
            if not any(boundary in text for text in payloads + taken):
                part.set_boundary(boundary)
                taken.append(boundary)


@functools.lru_cache(maxsize=512)
def _encoded_subject(subject: str, encoding: str, linesep: str, maxlinelen: int | None) -> str:
    return Header(subject, encoding, header_name="Subject").encode(
        linesep=linesep, maxlinelen=maxlinelen
    )


class _SubjectHeader(Header):
    """A non-ASCII subject, encoded once per text: a batch's readers of one language and
    zone share their subject, and encoding it twice was about 7 % of a Persian email's CPU
    (docs/design.md, "Framework internals we override")."""

    def __init__(self, subject: str, encoding: str) -> None:
        super().__init__(subject, encoding, header_name="Subject")
        self._subject = subject
        self._encoding = encoding

    def encode(
        self, splitchars: str = ";, \t", maxlinelen: int | None = None, linesep: str = "\n"
    ) -> str:
        if splitchars != ";, \t":
            return super().encode(splitchars, maxlinelen, linesep)
        return _encoded_subject(self._subject, self._encoding, linesep, maxlinelen)


def _subject_folded_after_its_name(message: Message, subject: str, encoding: str) -> None:
    """Encode a non-ASCII subject knowing the header's name, so its first line is not empty.

    Django encodes the subject without the name, into encoded words of up to 75 characters;
    compat32 then finds no room for the first one after "Subject: " and starts the value on a
    continuation line, which readers show as a leading space (" A seat opened up…").
    """
    if subject.isascii() or "Subject" not in message:
        return
    # replace_header keeps the header's place and skips Django's __setitem__, which would
    # encode the Header once more; the subject is one line already (rendering collapses it).
    header = _SubjectHeader(subject, encoding)
    message.replace_header("Subject", header)  # type: ignore[arg-type]  # compat32 folds it


class OutboxMessage(EmailMultiAlternatives):
    """A message that encodes itself once: the sender checks the encoding, then sends it.

    Changes made after the first ``message()`` call are not sent; build it fully first.
    """

    _encoded: SafeMIMEMultipart | SafeMIMEText | None = None

    def message(self) -> Any:
        if self._encoded is None:
            subject = self.subject
            if not str(subject).isascii():
                # Replaced below: Django would encode it only for it to be thrown away.
                self.subject = ""
            try:
                encoded = super().message()
            finally:
                self.subject = subject
            # The generator serializes every part with the top-level message's policy.
            encoded.policy = OUTBOX_POLICY
            _subject_folded_after_its_name(
                encoded, str(self.subject), self.encoding or settings.DEFAULT_CHARSET
            )
            _set_boundaries(encoded)
            self._encoded = encoded
        return self._encoded


class CalendarInviteEmail(OutboxMessage):
    """An email whose multipart/alternative ends with a ``text/calendar; method=…`` part.

    The part is an ordinary alternative, added last when the message is built, so it follows
    the HTML one; only its ``method`` parameter is set on the built part.
    """

    def __init__(self, *args: Any, calendar: bytes, method: str, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        self.calendar = calendar
        self.method = method

    def message(self) -> Any:
        if self._encoded is None:
            self.attach_alternative(self.calendar.decode("utf-8"), "text/calendar")
            encoded = super().message()
            for part in encoded.walk():
                if part.get_content_type() == "text/calendar":
                    part.set_param("method", self.method)
        return self._encoded
