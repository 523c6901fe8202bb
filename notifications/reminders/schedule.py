"""Keeping each registrant's reminder schedule in step with their event, rules and zone.

One reconciliation, ``schedule_sync``, serves every change (a confirmation, a cancellation,
an event that moves or is cancelled, a rule that is added or edited, a new zone, new quiet
hours, an opt-out). It works set-wise, one UPDATE per rule and due time (a rule whose due
time depends on the registrant's zone — "day before at", or one quiet hours may move — has
one due time per group of zones), so moving an event with 100,000 registrants is a handful
of statements.

The states of a (registration, rule) row:

* **pending**: due in the future; the dispatcher will claim it.
* **skipped**: will not be sent — it was already past when the registrant became eligible
  (never sent late), or the registrant is no longer eligible (cancelled, opted out, event
  cancelled). Every confirmed registration gets one row per rule, skipped ones included,
  so the schedule shows what happened and why nothing went out.
* **sent**: handed to the outbox. A sent reminder is armed again only when its due time
  itself changes to a future instant because the *event moved* or the *rule was edited*
  (the registrant should hear about the new time); a change of the registrant's zone never
  re-sends.

Eligible registrants: confirmed, not opted out, of an event that is not cancelled.
Waitlisted, pending and cancelled registrants have no pending rows.
"""

from collections.abc import Collection, Iterable
from datetime import datetime, timedelta
from typing import Any

from django.db import connection
from django.db.models import Exists, OuterRef, Q, QuerySet

from events.models import Event
from notifications.models import ReminderOptOut, ReminderRule, ScheduledReminder
from notifications.reminders.kinds import reminder_due_at, reminder_kind
from notifications.reminders.kinds.quiet_hours import QuietHours
from notifications.reminders.rules import reminder_unwanted_reason
from registrations.models import Registration

CREATE_BATCH_SIZE = 2000
# Up to this many registrations are synced row by row (a few small queries) rather than
# set-wise (a few statements per rule, each costlier to plan than the rows they touch).
FEW_REGISTRATIONS = 50

Status = ScheduledReminder.Status


def eligible_registrations(
    *, event: Event, registration_ids: Collection[int] | None = None
) -> QuerySet[Registration]:
    """Registrations of ``event`` that should receive reminders."""
    if event.is_cancelled:
        return Registration.objects.none()
    registrations = Registration.objects.filter(
        event=event, status=Registration.Status.CONFIRMED, reminder_opt_out__isnull=True
    )
    if registration_ids is not None:
        registrations = registrations.filter(pk__in=registration_ids)
    return registrations


def reminder_next_status(
    *,
    status: str | None,
    due_at: datetime | None,
    new_due_at: datetime,
    now: datetime,
    rearm_sent: bool,
    late_allowed: timedelta = timedelta(0),
) -> str | None:
    """The status an eligible registrant's row should take when its due time is ``new_due_at``.

    ``status``/``due_at`` describe the current row (None: no row yet). Returns None when a
    sent row stays as it is. The set-wise path in ``_sync_rule_group`` applies the same rule
    with UPDATE statements; a test holds the two to the same answers. ``late_allowed`` is the
    kind's (follow-ups may still go out a while after their due time; reminders never late).
    """
    ahead = new_due_at + late_allowed > now
    if status == Status.SENT:
        if ahead and rearm_sent and due_at != new_due_at:
            return Status.PENDING
        return None
    return Status.PENDING if ahead else Status.SKIPPED


def schedule_sync(
    *,
    event: Event,
    now: datetime,
    registration_ids: Collection[int] | None = None,
    rules: Iterable[ReminderRule] | None = None,
    rearm_sent: bool = False,
) -> None:
    """Bring the scheduled reminders of ``event`` in line with its rules and registrants.

    Narrow the work with ``registration_ids`` and/or ``rules``. ``rearm_sent`` arms sent
    reminders again whose due time changed to a future instant (event moved, rule edited).
    Call inside a transaction ordered with concurrent moves and rule changes (see
    ``services._current_event``), with ``event`` as committed.
    """
    rule_list = list(event.reminder_rules.all() if rules is None else rules)
    if not rule_list:
        return  # no rules, no reminders: rows go with their rule
    if registration_ids is not None and len(registration_ids) <= FEW_REGISTRATIONS:
        _sync_few(
            event=event,
            registration_ids=registration_ids,
            rules=rule_list,
            all_rules=rules is None,
            now=now,
            rearm_sent=rearm_sent,
        )
        return
    eligible = eligible_registrations(event=event, registration_ids=registration_ids)
    quiet_hours = QuietHours.of_event(event)
    zones: list[str] | None = None
    for rule in rule_list:
        kind = reminder_kind(rule.kind)
        if kind.depends_on_zone(rule, starts_at=event.starts_at, quiet_hours=quiet_hours):
            if zones is None:
                zones = list(eligible.order_by().values_list("time_zone", flat=True).distinct())
            # Zones that share a due time share one UPDATE.
            zones_by_due_at: dict[datetime, list[str]] = {}
            for zone in zones:
                due_at = reminder_due_at(
                    rule=rule,
                    starts_at=event.starts_at,
                    ends_at=event.ends_at,
                    time_zone=zone,
                    quiet_hours=quiet_hours,
                )
                zones_by_due_at.setdefault(due_at, []).append(zone)
            for due_at, zone_group in zones_by_due_at.items():
                _sync_rule_group(
                    rule=rule,
                    group=eligible.filter(time_zone__in=zone_group),
                    due_at=due_at,
                    now=now,
                    rearm_sent=rearm_sent and kind.rearms_when_moved,
                )
        else:
            _sync_rule_group(
                rule=rule,
                group=eligible,
                due_at=reminder_due_at(
                    rule=rule, starts_at=event.starts_at, ends_at=event.ends_at, time_zone="UTC"
                ),
                now=now,
                rearm_sent=rearm_sent and kind.rearms_when_moved,
            )
    _skip_ineligible(event=event, eligible=eligible, registration_ids=registration_ids)


def _sync_rule_group(
    *,
    rule: ReminderRule,
    group: QuerySet[Registration],
    due_at: datetime,
    now: datetime,
    rearm_sent: bool,
) -> None:
    """Rows of ``rule`` for the registrations in ``group``, which all share ``due_at``."""
    rows = ScheduledReminder.objects.filter(rule=rule, registration__in=group)
    ahead = due_at + reminder_kind(rule.kind).late_allowed > now
    status = Status.PENDING if ahead else Status.SKIPPED
    rows.filter(status__in=[Status.PENDING, Status.SKIPPED]).exclude(
        due_at=due_at, status=status
    ).update(due_at=due_at, status=status)
    if ahead and rearm_sent:
        rows.filter(status=Status.SENT).exclude(due_at=due_at).update(
            due_at=due_at, status=Status.PENDING
        )
    missing = group.exclude(scheduled_reminders__rule=rule).values_list("pk", flat=True)
    ScheduledReminder.objects.bulk_create(
        (
            ScheduledReminder(
                registration_id=registration_id, rule=rule, due_at=due_at, status=status
            )
            for registration_id in missing.iterator(chunk_size=CREATE_BATCH_SIZE)
        ),
        batch_size=CREATE_BATCH_SIZE,
        # A concurrent sync may have created the same row: the unique constraint keeps one.
        ignore_conflicts=True,
    )


def _skip_ineligible(
    *,
    event: Event,
    eligible: QuerySet[Registration],
    registration_ids: Collection[int] | None,
) -> None:
    pending = ScheduledReminder.objects.filter(registration__event=event, status=Status.PENDING)
    if registration_ids is not None:
        pending = pending.filter(registration_id__in=registration_ids)
    if not event.is_cancelled:
        pending = pending.exclude(Q(registration__in=eligible))
    pending.update(status=Status.SKIPPED)


def _sync_few(
    *,
    event: Event,
    registration_ids: Collection[int],
    rules: list[ReminderRule],
    all_rules: bool,
    now: datetime,
    rearm_sent: bool,
) -> None:
    """The row-by-row path for a handful of registrations (a confirmation, an opt-out)."""
    registrations = Registration.objects.filter(event=event, pk__in=registration_ids).annotate(
        opted_out=Exists(ReminderOptOut.objects.filter(registration_id=OuterRef("pk")))
    )
    rows = ScheduledReminder.objects.filter(registration_id__in=registration_ids)
    if not all_rules:
        rows = rows.filter(rule__in=rules)
    existing = {(row.registration_id, row.rule_id): row for row in rows}
    quiet_hours = QuietHours.of_event(event)
    to_create: list[ScheduledReminder] = []
    to_update: list[ScheduledReminder] = []
    for registration in registrations:
        unwanted = reminder_unwanted_reason(
            status=registration.status,
            event_cancelled=event.is_cancelled,
            opted_out=registration.opted_out,
        )
        if unwanted is not None:
            for key, pending in existing.items():
                if key[0] == registration.pk and pending.status == Status.PENDING:
                    pending.status = Status.SKIPPED
                    to_update.append(pending)
            continue
        for rule in rules:
            new_due_at = reminder_due_at(
                rule=rule,
                starts_at=event.starts_at,
                ends_at=event.ends_at,
                time_zone=registration.time_zone,
                quiet_hours=quiet_hours,
            )
            row = existing.get((registration.pk, rule.pk))
            status = reminder_next_status(
                status=row.status if row else None,
                due_at=row.due_at if row else None,
                new_due_at=new_due_at,
                now=now,
                rearm_sent=rearm_sent and reminder_kind(rule.kind).rearms_when_moved,
                late_allowed=reminder_kind(rule.kind).late_allowed,
            )
            if status is None:
                continue
            if row is None:
                to_create.append(
                    ScheduledReminder(
                        registration=registration, rule=rule, due_at=new_due_at, status=status
                    )
                )
            elif (row.status, row.due_at) != (status, new_due_at):
                row.status, row.due_at = status, new_due_at
                to_update.append(row)
    ScheduledReminder.objects.bulk_create(to_create, ignore_conflicts=True)
    ScheduledReminder.objects.bulk_update(to_update, ["status", "due_at"])


def schedule_new_registration(
    *,
    registration: Registration,
    starts_at: datetime,
    ends_at: datetime,
    event_cancelled: bool,
    quiet_hours: QuietHours | None,
    rules: Iterable[ReminderRule],
    now: datetime,
) -> None:
    """Rows for a registration created confirmed in the running transaction.

    What ``schedule_sync`` would do for it, without reading what cannot exist yet (rows of
    its own, an opt-out): one row per rule, pending if still ahead, else skipped. Every
    registration pays for this, so it costs one INSERT written in SQL.
    """
    if event_cancelled:
        return
    rows: list[Any] = []
    for rule in rules:
        due_at = reminder_due_at(
            rule=rule,
            starts_at=starts_at,
            ends_at=ends_at,
            time_zone=registration.time_zone,
            quiet_hours=quiet_hours,
        )
        # What reminder_next_status gives a row that does not exist yet: never sent late
        # (beyond what the kind allows: a follow-up written after the event still goes).
        late_allowed = reminder_kind(rule.kind).late_allowed
        status = Status.PENDING if due_at + late_allowed > now else Status.SKIPPED
        rows += [registration.pk, rule.pk, _as_db_datetime(due_at), status, _as_db_datetime(now)]
    if rows:
        # One plain INSERT: bulk_create's set-up cost more than the statement itself here.
        with connection.cursor() as cursor:
            cursor.execute(_insert_rows_sql(len(rows) // 5), rows)


def _as_db_datetime(value: datetime) -> Any:
    return connection.ops.adapt_datetimefield_value(value)


_SCHEDULED_TABLE = ScheduledReminder._meta.db_table


def _insert_rows_sql(count: int) -> str:
    """INSERT of ``count`` rows; table and column names from the model, no input."""
    values = ", ".join(["(%s, %s, %s, %s, %s)"] * count)
    return (
        f'INSERT INTO "{_SCHEDULED_TABLE}" '  # noqa: S608
        f'("registration_id", "rule_id", "due_at", "status", "created_at") VALUES {values}'
    )
