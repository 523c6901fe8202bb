import uuid
from typing import Any

from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _

from config.languages import default_language, language_choices
from events.email_addresses import validate_email_domain_name
from events.models import Event
from events.text import validate_one_line
from events.timezones import validate_time_zone

# Who counts as attended, as a filter: checked in at the door or present in a report.
ATTENDED = Q(checked_in_at__isnull=False) | Q(attended=True)


def attendance_state(
    *, status: str, checked_in_at: object, attended: bool | None, event_over: bool
) -> str | None:
    """What is known of a person's attendance (docs/attendance.md, "Who counts as attended").

    "attended": checked in, or present in a report; "absent": a report lists them as not
    attended, or they were confirmed and the event is over without either; None: nothing
    is known yet. The exports and the API read it from here; the attendee list's template
    (workspace/attendees.html) shows the same, with the check-in time.
    """
    if checked_in_at is not None or attended:
        return "attended"
    if attended is False or (event_over and status == Registration.Status.CONFIRMED):
        return "absent"
    return None


class Registration(models.Model):
    class Status(models.TextChoices):
        PENDING = "pending", _("Pending approval")
        CONFIRMED = "confirmed", _("Confirmed")
        WAITLISTED = "waitlisted", _("Waitlisted")
        CANCELLED = "cancelled", _("Cancelled")

    class Source(models.TextChoices):
        ONLINE = "online", _("Registered online")
        ORGANIZER = "organizer", _("Added by an organizer")
        WALK_IN = "walk_in", _("Walk-in at the door")

    ACTIVE_STATUSES = (Status.PENDING, Status.CONFIRMED, Status.WAITLISTED)

    event = models.ForeignKey(Event, on_delete=models.PROTECT, related_name="registrations")
    # Public, unguessable identity used in signed manage links and calendar invite UIDs.
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    email = models.EmailField(_("email"), max_length=254, validators=[validate_email_domain_name])
    # Lower-cased and trimmed: what "the same person" means for duplicates and "My registrations".
    email_normalized = models.EmailField(max_length=254, editable=False, db_index=True)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    # Choices and default come from settings.LANGUAGES: a new language needs no migration.
    language = models.CharField(
        _("language"), max_length=8, choices=language_choices, default=default_language
    )
    answers = models.JSONField(_("answers"), default=dict, blank=True)
    status = models.CharField(_("status"), max_length=20, choices=Status.choices)
    source = models.CharField(
        _("source"), max_length=20, choices=Source.choices, default=Source.ONLINE
    )
    # Written by the organizer when declining a pending registration; the person is told.
    rejection_reason = models.TextField(_("reason for declining"), blank=True, max_length=1000)
    created_at = models.DateTimeField(auto_now_add=True, db_index=True)
    # Any change to the row: what API clients syncing with ``updated_since`` ask by.
    updated_at = models.DateTimeField(auto_now=True)
    confirmed_at = models.DateTimeField(null=True, blank=True)
    cancelled_at = models.DateTimeField(null=True, blank=True)
    # Set with cancelled_at when the organizers declined a pending registration: the person
    # is shown "Declined", not "Cancelled", which they did not do.
    declined_at = models.DateTimeField(null=True, blank=True, editable=False)
    checked_in_at = models.DateTimeField(null=True, blank=True)
    # From an uploaded attendance report (docs/attendance.md): True attended online, False
    # listed as not attended, None no report says. A check-in counts as attended too
    # (``has_attended``). Minutes are the report's time in session, rejoins summed.
    attended = models.BooleanField(_("attended"), null=True, blank=True)
    attended_minutes = models.PositiveIntegerField(_("minutes attended"), null=True, blank=True)
    # Set when an organizer erased the person's data (see registration_erase); the row stays
    # so the event's counts stay right.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)
    # The consent line exactly as the person saw it, in the language of the page, and when
    # they ticked it; empty where the organization asked for none (docs/privacy.md).
    consent_text = models.TextField(_("consent given"), blank=True, editable=False)
    consent_language = models.CharField(max_length=8, blank=True, editable=False)
    consented_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["event", "email_normalized"],
                condition=~Q(status="cancelled"),
                name="one_active_registration_per_email",
            ),
        ]
        indexes = [
            models.Index(fields=["event", "status", "created_at"]),
            models.Index(fields=["event", "updated_at", "id"]),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> — {self.event}"

    def save(self, *args: Any, **kwargs: Any) -> None:
        # auto_now is skipped by a save limited to some fields; the services save status
        # changes that way, and each is a change API clients must see (updated_since).
        # A queryset .update() of registrations must set updated_at itself.
        update_fields = kwargs.get("update_fields")
        if update_fields is not None:
            kwargs["update_fields"] = {*update_fields, "updated_at"}
        super().save(*args, **kwargs)

    @property
    def has_attended(self) -> bool:
        """Checked in at the door or listed as present in an attendance report."""
        return self.checked_in_at is not None or self.attended is True

    @property
    def attendance(self) -> str | None:
        """``attendance_state`` of this registration: "attended", "absent" or None."""
        return attendance_state(
            status=self.status,
            checked_in_at=self.checked_in_at,
            attended=self.attended,
            event_over=self.event.has_ended,
        )

    @property
    def is_active(self) -> bool:
        return self.status in self.ACTIVE_STATUSES

    @property
    def status_for_registrant(self) -> str:
        """The status as the person is told it: a declined registration is not "Cancelled"."""
        if self.declined_at is not None:
            return str(_("Declined"))
        return self.get_status_display()

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None
