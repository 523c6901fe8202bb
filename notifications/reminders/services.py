"""Reminder use cases: rules for an event, each registrant's schedule, opting out.

The dispatcher that sends due reminders is ``notifications.reminders.dispatch``.
"""

from collections.abc import Iterable

from django.core.exceptions import ValidationError
from django.db import connection, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from events.models import Event
from notifications.models import ReminderOptOut, ReminderRule
from notifications.reminders.kinds import reminder_form_kind_names, reminder_rule_clean
from notifications.reminders.kinds.quiet_hours import QuietHours
from notifications.reminders.rules import DEFAULT_MINUTES_BEFORE
from notifications.reminders.schedule import schedule_new_registration, schedule_sync
from registrations.models import Registration


def reminder_rules_create_defaults(*, event: Event) -> list[ReminderRule]:
    """Give a new event the default rules: one day and one hour before the start."""
    return ReminderRule.objects.bulk_create(
        ReminderRule(event=event, kind=ReminderRule.Kind.BEFORE_START, minutes_before=minutes)
        for minutes in DEFAULT_MINUTES_BEFORE
    )


def _same_rule(rule: ReminderRule) -> ReminderRule | None:
    same = ReminderRule.objects.filter(
        event_id=rule.event_id,
        kind=rule.kind,
        minutes_before=rule.minutes_before,
        local_time=rule.local_time,
    )
    if rule.pk is not None:
        same = same.exclude(pk=rule.pk)
    return same.first()


def reminder_rule_save(*, rule: ReminderRule) -> ReminderRule:
    """Add or change a rule and reschedule the event's reminders under it.

    Adding a rule the event already has returns the existing one (no double reminders);
    changing a rule into a copy of another is refused. Reminders already sent under an
    edited rule are sent again only if the edit moves their due time into the future.
    """
    rule.minutes_before, rule.local_time = reminder_rule_clean(
        kind=rule.kind, minutes_before=rule.minutes_before, local_time=rule.local_time
    )
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=rule.event_id)
        existing = _same_rule(rule)
        if existing is not None:
            if rule.pk is None:
                return existing
            raise ValidationError(_("This event already has that reminder."))
        rule.save()
        schedule_sync(event=event, rules=[rule], now=timezone.now(), rearm_sent=True)
    return rule


def reminder_rules_replace(*, event: Event, rules: Iterable[ReminderRule]) -> list[ReminderRule]:
    """Make ``rules`` the event's whole set of reminder rules and reschedule its registrants.

    For callers where the organizer states the rules (the workspace's event form, with the
    suggested defaults; a duplicated event's copies): they replace the default rules
    the new event was given. ``rules`` may be saved rules of this event or unsaved ones;
    other reminder rules of the event are deleted, and identical rules collapse into one.
    Follow-ups (kinds the reminder form does not offer) are left alone: they have their own
    page and services (``notifications.reminders.follow_ups``).
    """
    with transaction.atomic():
        event = Event.objects.select_for_update().get(pk=event.pk)
        kept: dict[tuple[object, ...], ReminderRule] = {}
        for rule in rules:
            cleaned = reminder_rule_clean(
                kind=rule.kind, minutes_before=rule.minutes_before, local_time=rule.local_time
            )
            key = (rule.kind, *cleaned)
            if key in kept:
                continue
            if rule.pk is None or cleaned != (rule.minutes_before, rule.local_time):
                rule.event = event
                rule.minutes_before, rule.local_time = cleaned
                rule.save()
            kept[key] = rule
        event.reminder_rules.filter(kind__in=reminder_form_kind_names()).exclude(
            pk__in=[rule.pk for rule in kept.values()]
        ).delete()
        schedule_sync(event=event, now=timezone.now(), rearm_sent=True)
    return list(kept.values())


def reminder_rule_delete(*, rule: ReminderRule) -> None:
    """Remove a rule; its pending reminders go with it (sent emails stay in the outbox)."""
    with transaction.atomic():
        Event.objects.select_for_update().filter(pk=rule.event_id).first()
        rule.delete()


def reminder_schedule_event(*, event: Event, rearm_sent: bool = False) -> None:
    """Reschedule every registrant of an event.

    After it moved, was cancelled or published again, or after its rules were edited in bulk
    (a formset): pass ``rearm_sent=True`` when due times may have changed (see ``schedule``).
    """
    with transaction.atomic():
        schedule_sync(event=event, now=timezone.now(), rearm_sent=rearm_sent)


def _current_event(registration: Registration) -> Event:
    """The registration's event as committed, read under a key-share lock on its row.

    Moves and rule changes lock the event row FOR UPDATE; a key-share lock conflicts with
    that and with nothing else. So a registration scheduled while the event moves waits
    for the move and reads the new time, and a move that starts meanwhile waits for this
    transaction and reschedules it too — while concurrent registrations, which take their
    seats with no-key locks, are not held up. (Django's foreign keys are deferred, so the
    registration's own INSERT takes no lock until commit.) SQLite runs one writer at a time.
    """
    if connection.vendor != "postgresql":
        return Event.objects.get(pk=registration.event_id)
    table = connection.ops.quote_name(Event._meta.db_table)
    return Event.objects.raw(
        f"SELECT * FROM {table} WHERE id = %s FOR KEY SHARE",  # noqa: S608 - no input
        [registration.event_id],
    )[0]


def reminder_schedule_registration(*, registration: Registration, lock_event: bool = False) -> None:
    """(Re)schedule one registration: confirmed, cancelled, or in a new zone.

    Rules still ahead of the registrant become pending; rules already past are recorded as
    skipped and never sent late; an ineligible registration's pending reminders are skipped.
    Call in the transaction that changed the registration.
    """
    # Part of the caller's transaction: no savepoint of its own (two queries fewer).
    with transaction.atomic(savepoint=False):
        schedule_sync(
            event=_current_event(registration),
            registration_ids=[registration.pk],
            now=timezone.now(),
        )


_EVENT_TABLE = Event._meta.db_table
# What scheduling a registration reads of its event, in the order of the query below.
_SCHEDULE_FIELDS = (
    "starts_at",
    "ends_at",
    "status",
    "quiet_hours_enabled",
    "quiet_hours_start",
    "quiet_hours_end",
)
_RULE_TABLE = ReminderRule._meta.db_table
# The event's start and status with its rules, the event row under a key-share lock (see
# _current_event), in one round trip. Table names from the models, no input.
_EVENT_WITH_RULES_SQL = (
    'SELECT e."starts_at", e."ends_at", e."status", e."quiet_hours_enabled", '  # noqa: S608
    'e."quiet_hours_start", e."quiet_hours_end", '
    'r."id", r."kind", r."minutes_before", r."local_time", r."minutes_after" '
    f'FROM "{_EVENT_TABLE}" e LEFT JOIN "{_RULE_TABLE}" r ON r."event_id" = e."id" '
    'WHERE e."id" = %s ORDER BY r."id" FOR KEY SHARE OF e'
)


def _current_event_with_rules(event_id: int) -> tuple[Event, list[ReminderRule]]:
    """The event's start, status and quiet hours (an unsaved Event holding just those) and
    its rules, as committed, ordered like ``_current_event``."""
    if connection.vendor != "postgresql":
        event = Event.objects.only(*_SCHEDULE_FIELDS).get(pk=event_id)
        return event, list(ReminderRule.objects.filter(event_id=event_id))
    with connection.cursor() as cursor:
        cursor.execute(_EVENT_WITH_RULES_SQL, [event_id])
        rows = cursor.fetchall()
    fields_count = len(_SCHEDULE_FIELDS)
    event = Event(pk=event_id, **dict(zip(_SCHEDULE_FIELDS, rows[0][:fields_count], strict=True)))
    rules = [
        ReminderRule(
            pk=rule_id,
            event_id=event_id,
            kind=kind,
            minutes_before=minutes_before,
            local_time=local_time,
            minutes_after=minutes_after,
        )
        for row in rows
        for rule_id, kind, minutes_before, local_time, minutes_after in [row[fields_count:]]
        if rule_id is not None
    ]
    return event, rules


def reminder_schedule_new_registration(*, registration: Registration) -> None:
    """Schedule a registration created confirmed in the caller's transaction.

    The same outcome as ``reminder_schedule_registration``, in two statements instead of
    five: every registration pays for this while its event's row is busiest.
    """
    event, rules = _current_event_with_rules(registration.event_id)
    schedule_new_registration(
        registration=registration,
        starts_at=event.starts_at,
        ends_at=event.ends_at,
        event_cancelled=event.is_cancelled,
        quiet_hours=QuietHours.of_event(event),
        rules=rules,
        now=timezone.now(),
    )


def reminder_opt_out(*, registration: Registration) -> ReminderOptOut:
    """Stop reminders for this registration (one-click unsubscribe). Idempotent.

    Only reminders stop: confirmations, changes and cancellations are still sent.
    """
    with transaction.atomic():
        event = _current_event(registration)
        opt_out, _created = ReminderOptOut.objects.get_or_create(registration=registration)
        schedule_sync(event=event, registration_ids=[registration.pk], now=timezone.now())
    return opt_out
