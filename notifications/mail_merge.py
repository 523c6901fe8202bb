"""Rendering a batch's emails once per kind of reader, then filling in each reader's own values.

A batch of reminders or event updates is mostly one email: the same event, in a handful of
languages and zones. Rendering the templates was the largest single cost of sending, so a
batch renders each variant once, with markers where a reader's own values go, and each email
is a copy with the markers replaced.

A reader's own values are the registrant's name, the personal manage link and the values in
``PER_READER_CONTEXT``. Everything else the templates may depend on goes into the variant's
key (``variant_key``), so two emails share a render only when it would come out the same.

Two rules keep one reader's data out of another's email:

* The merged render sees a stand-in for the registration that has only the name (a marker)
  and the fields in the key; the outbox row itself is hidden. In production a template that
  starts using another field of either renders it empty here. Under ``MAIL_MERGE_STRICT``
  (the test settings) it raises ``MailMergeViolation`` instead, and so does a filter that
  cut or changed a marker (``{{ registration.name|upper }}``), so the test suite fails at
  the first such render. tests/notifications/test_rendering_shared.py also compares every
  kind's merged render with the direct one, email by email, which catches what neither
  check can see (a filter such as ``length`` that leaves no trace of the marker).
* Markers carry a random nonce made when the process starts, so no text anyone typed (an
  event title, a name) can pose as one, and filling in is a single pass: an inserted value is
  never scanned for markers again.

The contract in words: docs/design.md, "Contracts that are easy to miss", and
docs/notifications.md ("Batches render per variant").
"""

import json
import re
import secrets
from collections.abc import Hashable
from dataclasses import dataclass
from typing import Any

from django.conf import settings
from django.utils.html import conditional_escape

# Values in an outbox row's context that differ from reader to reader.
PER_READER_CONTEXT = ("unsubscribe_url", "reminder_id")

_NONCE = secrets.token_hex(8)
_MARKER = re.compile(f"\ue000{_NONCE}:([a-z_]+)\ue001")


def _marker(name: str) -> str:
    return f"\ue000{_NONCE}:{name}\ue001"


class MailMergeViolation(BaseException):
    """A merged render used a reader's own value it was not given (``MAIL_MERGE_STRICT``).

    A ``BaseException``, as pytest's own ``Failed`` is: Django's template engine swallows any
    ``Exception`` raised inside ``{% if a == b %}``, and the sender turns a render error into
    a failed row; neither may hide this from the test run.
    """


def _violation(what: str) -> MailMergeViolation:
    return MailMergeViolation(
        f"{what} in a merged email render. A batch shares that render among its readers, so "
        "the value would be empty or wrong for them. Use only what docs/notifications.md "
        "lists under 'Batches render per variant', or add the value to "
        "notifications/mail_merge.py (the variant key and the stand-in, or PER_READER_CONTEXT)."
    )


@dataclass(frozen=True)
class RegistrationStandIn:
    """What a merged render may read of the registration: the name (a marker) and the fields
    in the variant's key."""

    name: str
    status: str
    time_zone: str
    rejection_reason: str


class StrictRegistrationStandIn(RegistrationStandIn):
    """The stand-in under ``MAIL_MERGE_STRICT``: any other field raises instead of rendering
    empty."""

    def __getattr__(self, name: str) -> Any:
        # Only called for names the stand-in lacks. Python's own protocols (``__html__``,
        # copying) probe with dunder names and expect AttributeError.
        if name.startswith("__"):
            raise AttributeError(name)
        raise _violation(f"The template read registration.{name}")


class HiddenOutboxRow:
    """``email`` (the outbox row) in a strict merged render: every use of it raises."""

    def __getattr__(self, name: str) -> Any:
        if name.startswith("__"):
            raise AttributeError(name)
        raise _violation(f"The template read email.{name} (the outbox row)")

    def __bool__(self) -> bool:
        raise _violation("The template tested email (the outbox row)")

    def __str__(self) -> str:
        raise _violation("The template showed email (the outbox row)")


@dataclass(frozen=True)
class MergedParts:
    """One variant's rendered subject, text and HTML; markers where readers differ.

    The subject has no markers: a variant whose subject would name the reader is not merged
    (its whitespace is collapsed and it is cut to length, which a marker would upset).
    """

    subject: str
    text: str
    html: str

    def __post_init__(self) -> None:
        if settings.MAIL_MERGE_STRICT:
            for part in (self.subject, self.text, self.html):
                _check_markers_whole(part)


def _check_markers_whole(text: str) -> None:
    """Raise if a marker was cut or changed: a filter ran over a reader's value.

    Strict mode only: it would also trip on the private-use characters U+E000/U+E001 in text
    someone typed, which no test does.
    """
    leftover = _MARKER.sub("", text)
    if "\ue000" in leftover or "\ue001" in leftover:
        raise _violation("A filter changed a reader's own value (the name or a link)")


def variant_key(kind: str, language: str, context: dict[str, Any]) -> tuple[Hashable, ...]:
    """Everything the render depends on besides the reader's own values.

    ``context`` is the full template context of one email (``rendering.email_context``).
    """
    registration = context["registration"]
    event = context["event"]
    shared_context = {
        key: value for key, value in context["context"].items() if key not in PER_READER_CONTEXT
    }
    return (
        "merged",
        kind,
        language,
        event.pk if event is not None else None,
        registration.time_zone if registration is not None else None,
        registration.status if registration is not None else None,
        registration.rejection_reason if registration is not None else None,
        context["when"],
        context["start_local"],
        context["show_join_details"],
        context.get("waitlist_position"),
        tuple(sorted(key for key in PER_READER_CONTEXT if key in context["context"])),
        json.dumps(shared_context, sort_keys=True, default=str),
    )


def context_with_markers(context: dict[str, Any]) -> dict[str, Any]:
    """The same template context with each reader's own values replaced by markers."""
    registration = context["registration"]
    email_context = dict(context["context"])
    for key in PER_READER_CONTEXT:
        if key in email_context:
            email_context[key] = _marker(key)
    strict = settings.MAIL_MERGE_STRICT
    stand_in = StrictRegistrationStandIn if strict else RegistrationStandIn
    return {
        **context,
        "email": HiddenOutboxRow() if strict else None,
        "context": email_context,
        "registration": stand_in(
            name=_marker("name"),
            status=registration.status,
            time_zone=registration.time_zone,
            rejection_reason=registration.rejection_reason,
        )
        if registration is not None
        else None,
        "manage_url": _marker("manage_url") if context["manage_url"] else "",
    }


def has_markers(text: str) -> bool:
    return _MARKER.search(text) is not None


def reader_values(context: dict[str, Any]) -> dict[str, str]:
    """The values that replace the markers in one reader's copy."""
    registration = context["registration"]
    values = {
        "name": registration.name if registration is not None else "",
        "manage_url": context["manage_url"],
    }
    for key in PER_READER_CONTEXT:
        if key in context["context"]:
            values[key] = str(context["context"][key])
    return values


def fill(parts: MergedParts, values: dict[str, str]) -> tuple[str, str, str]:
    """One reader's subject, text and HTML: the markers replaced (escaped in the HTML)."""
    escaped = {key: str(conditional_escape(value)) for key, value in values.items()}
    return (
        parts.subject,
        _MARKER.sub(lambda match: values[match.group(1)], parts.text),
        _MARKER.sub(lambda match: escaped[match.group(1)], parts.html),
    )
