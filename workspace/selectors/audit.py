"""Reads for an organization's audit log, and its entries put into words for the page.

The stored details stay as recorded (codes and ids, for machines and later changes of wording);
``audit_rows`` turns them into labelled, translated text when the page is shown.
"""

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from django.core.exceptions import FieldDoesNotExist
from django.db.models import Model, QuerySet
from django.utils.translation import gettext as _

from events.models import Event, Membership, Organization
from registrations.exports import exporter_for
from registrations.models import Registration
from workspace.audit import audit_action_label
from workspace.models import AuditLogEntry, Message

# Ids that only point at other rows: what they point at is shown instead, or nothing.
HIDDEN_KEYS = frozenset({"message_id", "user_id", "invitation_id", "api_token", "token_id"})
REGISTRATION_KEYS = ("registration", "registration_id")
# The order details are shown in: PostgreSQL's jsonb keeps keys sorted by length, not as written.
DETAIL_ORDER = (
    *REGISTRATION_KEYS,
    "status",
    "previous_status",
    "from_event",
    "subject",
    "audience",
    "search",
    "recipients",
    "email",
    "role",
    "format",
    "rows",
    "registrations",
    "retention_days",
    "message",
    "attendee_privacy",
)
# The model whose fields an entry's "fields" detail names; an event's otherwise.
FIELDS_OF: dict[str, type[Model]] = {"organization.changed": Organization}


def audit_log_for_organization(
    organization: Organization, *, event: Event | None = None
) -> QuerySet[AuditLogEntry]:
    """The organization's entries, newest first, optionally only those about one event."""
    entries = AuditLogEntry.objects.filter(organization=organization).select_related(
        "actor", "event"
    )
    if event is not None:
        entries = entries.filter(event=event)
    return entries.order_by("-created_at", "-id")


@dataclass(frozen=True)
class AuditRow:
    entry: AuditLogEntry
    label: str
    details: list[tuple[str, str]]
    # Who did it: the member, or the API token that acted for the organization.
    actor_label: str


def audit_rows(entries: Iterable[AuditLogEntry]) -> list[AuditRow]:
    """One page of entries with a human label and readable details (two queries in all)."""
    entries = list(entries)
    organizations = {entry.organization_id for entry in entries}
    registration_ids = {
        value
        for entry in entries
        for key in REGISTRATION_KEYS
        if isinstance(value := _details(entry).get(key), int)
    }
    event_ids = {
        value for entry in entries if isinstance(value := _details(entry).get("from_event"), int)
    }
    names = dict(
        Registration.objects.filter(
            pk__in=registration_ids, event__organization__in=organizations
        ).values_list("pk", "name")
    )
    titles = dict(
        Event.objects.filter(pk__in=event_ids, organization__in=organizations).values_list(
            "pk", "title"
        )
    )
    return [
        AuditRow(
            entry=entry,
            label=audit_action_label(entry.action),
            details=_describe(entry, names=names, titles=titles),
            actor_label=_actor_label(entry),
        )
        for entry in entries
    ]


def _actor_label(entry: AuditLogEntry) -> str:
    if entry.actor is not None:
        return str(entry.actor)
    token = _details(entry).get("api_token")
    if isinstance(token, dict) and token.get("name"):
        if token.get("organization"):
            return _("API token “%(name)s” of %(organization)s") % {
                "name": token["name"],
                "organization": token["organization"],
            }
        return _("API token “%(name)s”") % {"name": token["name"]}
    return _("someone no longer here")


def _details(entry: AuditLogEntry) -> dict[str, Any]:
    return entry.details if isinstance(entry.details, dict) else {}


def _describe(
    entry: AuditLogEntry, *, names: dict[int, str], titles: dict[int, str]
) -> list[tuple[str, str]]:
    remaining = {key: value for key, value in _details(entry).items() if key not in HIDDEN_KEYS}
    lines = []
    if "fields" in remaining or "lists" in remaining:
        model = FIELDS_OF.get(entry.action, Event)
        changed = [_field_label(model, name) for name in _as_list(remaining.pop("fields", []))]
        changed += [_list_label(name) for name in _as_list(remaining.pop("lists", []))]
        lines.append((_("Changed"), ", ".join(changed) or _("nothing")))
    if entry.action == "event.capacity_changed":
        before, after = remaining.pop("from", None), remaining.pop("to", None)
        lines.append((_("Capacity"), f"{_capacity(before)} → {_capacity(after)}"))
    for key in sorted(remaining, key=_detail_rank):
        line = _describe_value(key, remaining[key], names=names, titles=titles)
        if line is not None:
            lines.append(line)
    return lines


def _detail_rank(key: str) -> tuple[int, str]:
    """Known keys in ``DETAIL_ORDER``, then any others alphabetically."""
    return (DETAIL_ORDER.index(key) if key in DETAIL_ORDER else len(DETAIL_ORDER), key)


def _describe_value(
    key: str, value: Any, *, names: dict[int, str], titles: dict[int, str]
) -> tuple[str, str] | None:
    statuses = dict(Registration.Status.choices)
    if key in REGISTRATION_KEYS:
        name = names.get(value) if isinstance(value, int) else None
        return _("Registrant"), name or _("registration #%(id)s") % {"id": value}
    if key == "status":
        return _("Now"), str(statuses.get(value, value))
    if key == "previous_status":
        return _("Was"), str(statuses.get(value, value))
    if key == "from_event":
        title = titles.get(value) if isinstance(value, int) else None
        return _("Copied from"), title or _("event #%(id)s") % {"id": value}
    if key == "audience":
        return _("To"), str(dict(Message.Audience.choices).get(value, value))
    if key == "search":
        return (_("Only people matching"), f"“{value}”") if value else None
    if key == "role":
        return _("Role"), str(dict(Membership.Role.choices).get(value, value))
    if key == "format":
        return _("Format"), _exporter_label(value)
    labels = {
        "subject": _("Subject"),
        "recipients": _("Recipients"),
        "email": _("Email"),
        "rows": _("Rows"),
        "name": _("Name"),
        "scope": _("Scope"),
        "label": _("Question"),
        "registrations": _("Registrations"),
        "retention_days": _("Days kept after the event"),
        "message": _("Message to registrants"),
        "attendee_privacy": _("Attendee privacy"),
    }
    return labels.get(key, key), _plain(value)


def _as_list(value: Any) -> list[Any]:
    return value if isinstance(value, list) else [value]


def _field_label(model: type[Model], name: Any) -> str:
    try:
        field = model._meta.get_field(str(name))
    except FieldDoesNotExist:
        return str(name)
    return str(getattr(field, "verbose_name", name))


def _list_label(name: Any) -> str:
    labels = {
        "reminders": _("reminders"),
        "questions": _("questions"),
        "speakers": _("speakers"),
        "cosponsors": _("co-sponsors"),
    }
    return labels.get(name, str(name))


def _capacity(value: Any) -> str:
    return _("unlimited") if value is None else str(value)


def _exporter_label(name: Any) -> str:
    try:
        return str(exporter_for(str(name)).label)
    except LookupError:
        return str(name)


def _plain(value: Any) -> str:
    if isinstance(value, list):
        return ", ".join(_plain(item) for item in value)
    if isinstance(value, bool):
        return _("yes") if value else _("no")
    return "—" if value is None or value == "" else str(value)
