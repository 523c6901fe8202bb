from collections.abc import Callable

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from events.models import Event
from registrations.models import Registration


class OutboxEmail(models.Model):
    """Every email Convene sends is first a row here, written in the transaction that caused it.

    The worker renders and sends it (docs/design.md, "The outbox"). ``context`` holds what
    rendering needs beyond the registration and event as they are at send time (e.g. what
    changed, the invite SEQUENCE at the moment of the change).

    Emails that are not about a registration (``KINDS_WITH_STORED_CONTENT``: allauth's account
    emails, organization invitations, "you were added" notices, "your webhook endpoint was
    disabled" notices and co-host invitations and answers) are rendered when they
    are written, in the language of the request, and carry ``subject``, ``text_body`` and
    ``html_body``; the worker sends them as they are. Their bodies hold secrets (sign-in
    codes, confirmation and invitation links), so they are emptied once the row is final
    (sent, failed or withdrawn).
    """

    class Kind(models.TextChoices):
        CONFIRMATION = "confirmation", _("Confirmation")
        WAITLISTED = "waitlisted", _("Waitlist notice")
        PROMOTED = "promoted", _("Promoted from the waitlist")
        PENDING = "pending", _("Awaiting approval")
        REJECTED = "rejected", _("Registration declined")
        CANCELLATION = "cancellation", _("Cancellation")
        EVENT_UPDATED = "event_updated", _("Event update")
        EVENT_CANCELLED = "event_cancelled", _("Event cancelled")
        REMINDER = "reminder", _("Reminder")
        FOLLOW_UP = "follow_up", _("Follow-up after the event")
        MESSAGE = "message", _("Message from the organizers")
        # Rendered when written; see KINDS_WITH_STORED_CONTENT.
        ACCOUNT = "account", _("Account email (sign-in code, address confirmation, password)")
        INVITATION = "invitation", _("Invitation to an organization")
        MEMBER_ADDED = "member_added", _("Added to an organization")
        WEBHOOK_DISABLED = "webhook_disabled", _("Webhook endpoint disabled")
        SERIES = "series", _("Registered for a whole series")
        COHOST_INVITATION = "cohost_invitation", _("Invitation to co-host an event")
        COHOST_ANSWER = "cohost_answer", _("Answer to an invitation to co-host")

    class Status(models.TextChoices):
        QUEUED = "queued", _("Queued")
        SENDING = "sending", _("Sending")
        SENT = "sent", _("Sent")
        FAILED = "failed", _("Failed")
        # Not sent on purpose: it no longer applied when its turn came (a reminder after a
        # cancellation). Never retried, never counted as a failure.
        WITHDRAWN = "withdrawn", _("Withdrawn")

    kind = models.CharField(max_length=32, choices=Kind.choices)
    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, null=True, blank=True, related_name="emails"
    )
    recipient = models.EmailField(max_length=254)
    language = models.CharField(max_length=8, default="en")
    context = models.JSONField(default=dict, blank=True)
    subject = models.CharField(max_length=300, blank=True)
    # Only for KINDS_WITH_STORED_CONTENT, and only until the row is final.
    text_body = models.TextField(blank=True)
    html_body = models.TextField(blank=True)
    message_id = models.CharField(max_length=255, unique=True)
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.QUEUED)
    attempts = models.PositiveSmallIntegerField(default=0)
    last_error = models.TextField(blank=True)
    # When a transient failure's retry is due; nobody claims the row earlier.
    next_attempt_at = models.DateTimeField(null=True, blank=True)
    # When the relay handed the row to Celery (notifications/relay.py); NULL until then.
    relayed_at = models.DateTimeField(null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    sent_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        indexes = [
            models.Index(fields=["status", "updated_at"]),
            # The relay's work list: only rows not yet handed over, so it stays small.
            models.Index(
                fields=["id"], condition=Q(relayed_at__isnull=True), name="outbox_awaiting_relay"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()} → {self.recipient} ({self.status})"


# Kinds rendered when they are written and sent from the stored subject and bodies.
KINDS_WITH_STORED_CONTENT = frozenset(
    {
        OutboxEmail.Kind.ACCOUNT,
        OutboxEmail.Kind.INVITATION,
        OutboxEmail.Kind.MEMBER_ADDED,
        OutboxEmail.Kind.WEBHOOK_DISABLED,
        OutboxEmail.Kind.SERIES,
        OutboxEmail.Kind.COHOST_INVITATION,
        OutboxEmail.Kind.COHOST_ANSWER,
    }
)


class RegistrationInvite(models.Model):
    """Calendar-invite state per registration: the UID is stable, SEQUENCE only rises."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="invite"
    )
    sequence = models.PositiveIntegerField(default=0)

    def __str__(self) -> str:
        return f"invite for {self.registration_id} (SEQUENCE {self.sequence})"


class ReminderRule(models.Model):
    """When to remind registrants of an event, or follow up after it ("after the end")."""

    class Kind(models.TextChoices):
        BEFORE_START = "before_start", _("A fixed time before the start")
        DAY_BEFORE_AT = "day_before_at", _("The day before, at a time in the registrant's zone")
        AFTER_END = "after_end", _("A follow-up, a fixed time after the end")

    class Audience(models.TextChoices):
        ATTENDED = "attended", _("Those who attended")
        ABSENT = "absent", _("Those who missed it")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="reminder_rules")
    kind = models.CharField(max_length=20, choices=Kind.choices, default=Kind.BEFORE_START)
    minutes_before = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For 'before the start': e.g. 60 or 1440.")
    )
    local_time = models.TimeField(
        null=True, blank=True, help_text=_("For 'the day before at': e.g. 09:00.")
    )
    # A follow-up ("after the end"): when, to whom, and the organizer's message.
    minutes_after = models.PositiveIntegerField(
        null=True, blank=True, help_text=_("For a follow-up: minutes after the end.")
    )
    audience = models.CharField(max_length=10, choices=Audience.choices, blank=True)
    subject = models.CharField(_("subject"), max_length=200, blank=True)
    message = models.TextField(_("message"), max_length=10000, blank=True)

    class Meta:
        ordering = ["event", "id"]
        constraints = [
            models.CheckConstraint(
                condition=(Q(kind="before_start") & Q(minutes_before__isnull=False))
                | (Q(kind="day_before_at") & Q(local_time__isnull=False))
                | (
                    Q(kind="after_end")
                    & Q(minutes_after__isnull=False)
                    & Q(audience__in=["attended", "absent"])
                ),
                name="reminder_rule_complete",
            ),
            # One follow-up for those who attended and one for those who missed it.
            models.UniqueConstraint(
                fields=["event", "audience"],
                condition=Q(kind="after_end"),
                name="one_follow_up_per_audience",
            ),
        ]

    def __str__(self) -> str:
        summary = RULE_SUMMARIES.get(self.kind)
        return summary(self) if summary else f"reminder of unknown kind {self.kind!r}"


# How a rule of each kind reads in plain words (the shell, the admin's lists), filled in by
# notifications.reminders.kinds for every kind it registers: the kinds sit above this module
# (they import it), so it cannot ask them (docs/design.md, "Layers inside an app").
RULE_SUMMARIES: dict[str, Callable[[ReminderRule], str]] = {}


class ScheduledReminder(models.Model):
    """One reminder for one registration under one rule; the database allows only one."""

    class Status(models.TextChoices):
        PENDING = "pending", _("Pending")
        SENT = "sent", _("Handed to the outbox")
        SKIPPED = "skipped", _("Skipped")

    registration = models.ForeignKey(
        Registration, on_delete=models.CASCADE, related_name="scheduled_reminders"
    )
    rule = models.ForeignKey(ReminderRule, on_delete=models.CASCADE, related_name="scheduled")
    due_at = models.DateTimeField()
    status = models.CharField(max_length=16, choices=Status.choices, default=Status.PENDING)
    email = models.OneToOneField(
        OutboxEmail, on_delete=models.SET_NULL, null=True, blank=True, related_name="reminder"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["registration", "rule"], name="one_reminder_per_registration_rule"
            ),
        ]
        indexes = [models.Index(fields=["status", "due_at"])]

    def __str__(self) -> str:
        return f"{self.rule} for {self.registration_id} at {self.due_at:%Y-%m-%d %H:%M}Z"


class ReminderOptOut(models.Model):
    """A registrant who pressed one-click unsubscribe: no more reminders for that registration."""

    registration = models.OneToOneField(
        Registration, on_delete=models.CASCADE, related_name="reminder_opt_out"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"no reminders for {self.registration_id}"
