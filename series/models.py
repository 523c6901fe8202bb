"""A series: what its sessions share, and the recurrence that makes them (docs/series.md).

Each session is an ordinary ``events.Event`` with its own seats, waitlist, registrations and
reminders; ``SeriesSession`` links it to its series under an occurrence key, the local date
the recurrence gave it, unique per series, so generating twice never makes a session twice.
The link lives here rather than on ``Event``: the events app stays unaware of series
(docs/design.md, "Apps and layers").
"""

import uuid
from datetime import date, time

from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.urls import reverse
from django.utils.translation import gettext_lazy as _

from config.languages import default_language, language_choices
from events.email_addresses import validate_email_domain_name
from events.models import (
    CAPACITY_HELP,
    CAPACITY_MAX,
    Event,
    Organization,
    Question,
    validate_https_url,
)
from events.text import validate_one_line
from events.timezones import validate_time_zone
from notifications.models import ReminderRule

# Zoom's limit for recurring webinars: more is almost always a typo in the end date.
MAX_SESSIONS = 60
DEFAULT_HORIZON_DAYS = 90


class Series(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        ENDED = "ended", _("Ended")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="series")
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Event.Kind.choices)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("The series' own IANA time zone: sessions keep their local time in it."),
    )
    # The recurrence: the first local date, the local start time and length of each session,
    # and an RFC 5545 RRULE (without DTSTART) expanded on the wall clock (series.recurrence).
    starts_on = models.DateField(_("first date"))
    start_time = models.TimeField(_("start time"), default=time(11, 0))
    duration_minutes = models.PositiveIntegerField(
        _("length in minutes"),
        default=60,
        validators=[MinValueValidator(5), MaxValueValidator(1440)],
    )
    rrule = models.TextField(_("recurrence rule"))
    extra_dates = models.JSONField(_("extra dates"), default=list, blank=True)
    skipped_dates = models.JSONField(_("skipped dates"), default=list, blank=True)
    horizon_days = models.PositiveSmallIntegerField(
        _("create sessions this many days ahead"),
        default=DEFAULT_HORIZON_DAYS,
        validators=[MinValueValidator(7), MaxValueValidator(366)],
    )
    # "Whichever comes first" with horizon_days (docs/series.md, "Sessions are generated over
    # a rolling horizon"): the horizon is a limit, so a series never has more ahead than asked.
    horizon_sessions = models.PositiveSmallIntegerField(
        _("but at most this many upcoming sessions"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(MAX_SESSIONS)],
        help_text=_("Empty: every session within the days above."),
    )
    venue_name = models.CharField(
        _("venue"), max_length=200, blank=True, validators=[validate_one_line]
    )
    venue_address = models.TextField(_("address"), blank=True)
    join_url = models.URLField(
        _("join link"), max_length=500, blank=True, validators=[validate_https_url]
    )
    joining_instructions = models.TextField(_("joining instructions"), blank=True)
    capacity = models.PositiveIntegerField(
        _("capacity per session"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(CAPACITY_MAX)],
        help_text=CAPACITY_HELP,
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    ended_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        ordering = ["title", "id"]
        verbose_name_plural = "series"

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("series:detail", kwargs={"slug": self.slug})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    def extra_date_list(self) -> list[date]:
        return sorted(date.fromisoformat(value) for value in self.extra_dates)

    def skipped_date_set(self) -> frozenset[date]:
        return frozenset(date.fromisoformat(value) for value in self.skipped_dates)


class SeriesQuestion(models.Model):
    """A question asked once, when someone registers for every session; copied to each."""

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300, validators=[validate_one_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Question.Kind.choices)
    choices = models.TextField(_("choices"), blank=True)
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label


class SeriesReminderRule(models.Model):
    """A reminder every session gets: "N minutes before" or "the day before at HH:MM".

    The kinds and their checks are the event's (``notifications.reminders.kinds``); each
    session holds copies as ordinary ``ReminderRule`` rows (series.session_lists).
    """

    series = models.ForeignKey(Series, on_delete=models.CASCADE, related_name="reminder_rules")
    kind = models.CharField(
        max_length=20, choices=ReminderRule.Kind.choices, default=ReminderRule.Kind.BEFORE_START
    )
    minutes_before = models.PositiveIntegerField(null=True, blank=True)
    local_time = models.TimeField(null=True, blank=True)

    class Meta:
        ordering = ["series", "id"]

    def __str__(self) -> str:
        return str(
            ReminderRule(
                kind=self.kind, minutes_before=self.minutes_before, local_time=self.local_time
            )
        )


class SeriesSession(models.Model):
    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="sessions")
    event = models.OneToOneField(Event, on_delete=models.PROTECT, related_name="series_session")
    # The local date the recurrence gave this session. It stays when the session alone is
    # moved, so the generator never makes that date's session again.
    occurrence = models.DateField()

    class Meta:
        ordering = ["occurrence"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "occurrence"], name="one_session_per_series_occurrence"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.series} — {self.occurrence}"


class SeriesRegistration(models.Model):
    """Someone registered for every upcoming session, including those not generated yet."""

    class Status(models.TextChoices):
        ACTIVE = "active", _("Registered for all sessions")
        LEFT = "left", _("Left the series")

    series = models.ForeignKey(Series, on_delete=models.PROTECT, related_name="registrations")
    public_id = models.UUIDField(default=uuid.uuid4, unique=True, editable=False)
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    email = models.EmailField(_("email"), max_length=254, validators=[validate_email_domain_name])
    email_normalized = models.EmailField(max_length=254, editable=False)
    time_zone = models.CharField(_("time zone"), max_length=64, validators=[validate_time_zone])
    language = models.CharField(
        _("language"), max_length=8, choices=language_choices, default=default_language
    )
    # Keyed by SeriesQuestion id (as text); copied to each session's questions by label.
    answers = models.JSONField(default=dict, blank=True)
    # The consent line as the person ticked it (docs/privacy.md), given to every session.
    consent_text = models.TextField(blank=True, editable=False)
    consent_language = models.CharField(max_length=8, blank=True, editable=False)
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.ACTIVE)
    created_at = models.DateTimeField(auto_now_add=True)
    left_at = models.DateTimeField(null=True, blank=True)
    # Set when the person's data was erased (series.erasure): name, email, zone and answers
    # are placeholders from then on.
    erased_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(
                fields=["series", "email_normalized"],
                condition=Q(status="active"),
                name="one_active_series_registration_per_email",
            ),
        ]

    def __str__(self) -> str:
        return f"{self.name} <{self.email}> — {self.series}"

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE

    @property
    def is_erased(self) -> bool:
        return self.erased_at is not None
