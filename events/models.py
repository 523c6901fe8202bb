from datetime import datetime, time, timedelta
from urllib.parse import urlsplit

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import F, Q
from django.urls import reverse
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from config.languages import default_language, language_choices
from events.text import validate_one_line
from events.timezones import validate_time_zone


def validate_https_url(value: str) -> None:
    """Join links go out in emails and calendar invites: only https, never http or ftp."""
    if urlsplit(value).scheme.lower() != "https":
        raise ValidationError(
            _("Use a secure link that starts with https://."), code="https_required"
        )


# Addresses an organization's slug may not take: words that name pages of the site, or that
# a visitor would read as the site's own (docs/design.md, "Organizations").
RESERVED_ORGANIZATION_SLUGS = frozenset(
    {
        "about", "accounts", "admin", "api", "calendar", "convene", "events", "feed",
        "feeds", "help", "i18n", "login", "manage", "my", "new", "o", "r", "reminders",
        "settings", "signup", "static", "support", "www",
    }
)  # fmt: skip


def validate_site_language(value: str) -> None:
    if value not in dict(settings.LANGUAGES):
        raise ValidationError(_("Pick one of the site's languages."), code="unknown_language")


# How long attendee data may be kept after an event ends: a guard against typos, not a policy.
RETENTION_DAYS_DEFAULT = 90
RETENTION_DAYS_MAX = 3650


class Organization(models.Model):
    class Status(models.TextChoices):
        ACTIVE = "active", _("Active")
        # ORGANIZATION_CREATION = "approval": waits for a site admin (docs/design.md).
        PENDING = "pending", _("Waiting for approval")
        DECLINED = "declined", _("Declined")

    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    slug = models.SlugField(
        _("web address"),
        max_length=80,
        unique=True,
        help_text=_("Letters, digits and hyphens: the page is /o/<web address>/."),
    )
    contact_email = models.EmailField(_("contact email"), blank=True)
    description = models.TextField(_("short description"), blank=True, max_length=1000)
    time_zone = models.CharField(
        _("default time zone"),
        max_length=64,
        default="UTC",
        validators=[validate_time_zone],
        help_text=_(
            "Suggested for new events when the browser does not tell its own, e.g. Asia/Tehran."
        ),
    )
    # Choices and default come from settings.LANGUAGES: a new language needs no migration.
    language = models.CharField(
        _("default language"), max_length=8, choices=language_choices, default=default_language
    )
    # An uploaded image, re-encoded and named by its content (events/logos.py); written only
    # by workspace.services.organizations, served by events.views.organization_logo.
    logo = models.FileField(_("logo"), max_length=200, blank=True, editable=False)
    # Before uploads: a link to another site's image, used only in link previews. No longer
    # asked for; kept as the preview image of organizations that gave one until an owner
    # uploads or removes a logo (docs/design.md, "Organizations").
    logo_url = models.URLField(
        _("logo link (before uploads)"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("An https:// link to a square image, shown in link previews."),
    )
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.ACTIVE
    )
    # docs/privacy.md: a required consent line on every registration form of the organization.
    consent_required = models.BooleanField(
        _("consent required"),
        default=False,
        help_text=_(
            "Registrants must tick a line agreeing that the organization keeps their name "
            "and email to send them the event's details."
        ),
    )
    retention_days = models.PositiveIntegerField(
        _("keep attendee data for (days after an event ends)"),
        default=RETENTION_DAYS_DEFAULT,
        validators=[MaxValueValidator(RETENTION_DAYS_MAX)],
        help_text=_(
            "After this many days, names, emails, time zones and answers of an event's "
            "registrants are erased; counts stay. 0 erases them as soon as the event ends."
        ),
    )
    # Who registered for what can be sensitive (a campaign about political prisoners): with
    # this on, the public pages never tell whether an address was already registered.
    attendee_privacy = models.BooleanField(
        _("attendee privacy"),
        default=False,
        help_text=_(
            'After registering, everyone sees the same "check your email" page, whether or '
            "not the address was already registered, and the personal link to see or cancel "
            "goes only by email. Seat counts are not shown on the event page."
        ),
    )
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    members: "models.ManyToManyField[models.Model, Membership]" = models.ManyToManyField(
        settings.AUTH_USER_MODEL, through="Membership", related_name="organizations"
    )

    class Meta:
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("events:organization", kwargs={"slug": self.slug})

    def get_logo_url(self) -> str:
        """The uploaded logo's path on this site, or "" when there is none."""
        if not self.logo:
            return ""
        filename = self.logo.name.rsplit("/", 1)[-1]
        return reverse("events:organization_logo", kwargs={"slug": self.slug, "filename": filename})

    def clean(self) -> None:
        if self.slug in RESERVED_ORGANIZATION_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; choose another.")})

    @property
    def is_active(self) -> bool:
        return self.status == self.Status.ACTIVE


class OrganizationSlugRedirect(models.Model):
    """A slug an organization had before a rename: its old links redirect to the new one."""

    old_slug = models.SlugField(max_length=80, unique=True)
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="slug_redirects"
    )
    created_at = models.DateTimeField(auto_now_add=True)

    def __str__(self) -> str:
        return f"{self.old_slug} → {self.organization.slug}"


class Membership(models.Model):
    class Role(models.TextChoices):
        OWNER = "owner", _("Owner")
        ORGANIZER = "organizer", _("Organizer")

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="memberships"
    )
    user = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="memberships"
    )
    role = models.CharField(max_length=20, choices=Role.choices, default=Role.ORGANIZER)
    created_at = models.DateTimeField(auto_now_add=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["organization", "user"], name="unique_membership"),
        ]

    def __str__(self) -> str:
        return f"{self.user} — {self.organization} ({self.role})"


class PrivacyStatement(models.Model):
    """What the organization tells registrants about their data, in one language.

    A link to a policy page, a short text shown beside the registration form, or both.
    """

    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="privacy_statements"
    )
    # Checked against settings.LANGUAGES, not stored as choices: a new language needs no migration.
    language = models.CharField(_("language"), max_length=8, validators=[validate_site_language])
    url = models.URLField(
        _("privacy policy link"), max_length=500, blank=True, validators=[validate_https_url]
    )
    text = models.TextField(_("short statement"), max_length=1000, blank=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["organization", "language"], name="one_privacy_statement_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.organization} ({self.language})"

    def clean(self) -> None:
        if not self.url and not self.text.strip():
            raise ValidationError(
                _("Give a link to the privacy policy, a short statement, or both.")
            )


# Paths under /events/ that are pages of their own, not events.
RESERVED_EVENT_SLUGS = frozenset({"past"})


# The most seats an event can have: a guard against typos (a webinar may be big, not 10^18).
# The event forms (workspace and admin) and the attendees page's seats form all use it.
CAPACITY_MAX = 1_000_000
CAPACITY_HELP = _("Empty means unlimited; otherwise 1 to 1,000,000 seats.")


class EventQuerySet(models.QuerySet["Event"]):
    def published(self) -> "EventQuerySet":
        return self.exclude(status=Event.Status.DRAFT)

    def upcoming(self) -> "EventQuerySet":
        return self.filter(ends_at__gt=timezone.now())

    def past(self) -> "EventQuerySet":
        return self.filter(ends_at__lte=timezone.now())


class Event(models.Model):
    class Kind(models.TextChoices):
        WEBINAR = "webinar", _("Webinar")
        AUDIO_ROOM = "audio_room", _("Audio room")
        IN_PERSON = "in_person", _("In person")
        HYBRID = "hybrid", _("Hybrid")

    class Status(models.TextChoices):
        DRAFT = "draft", _("Draft")
        PUBLISHED = "published", _("Published")
        CANCELLED = "cancelled", _("Cancelled")

    organization = models.ForeignKey(Organization, on_delete=models.PROTECT, related_name="events")
    title = models.CharField(_("title"), max_length=200, validators=[validate_one_line])
    slug = models.SlugField(_("slug"), max_length=220, unique=True)
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    starts_at = models.DateTimeField(_("starts at"))
    ends_at = models.DateTimeField(_("ends at"))
    time_zone = models.CharField(
        _("time zone"),
        max_length=64,
        validators=[validate_time_zone],
        help_text=_("The event's own IANA time zone, e.g. America/New_York."),
    )
    venue_name = models.CharField(
        _("venue"), max_length=200, blank=True, validators=[validate_one_line]
    )
    venue_address = models.TextField(_("address"), blank=True)
    join_url = models.URLField(
        _("join link"),
        max_length=500,
        blank=True,
        validators=[validate_https_url],
        help_text=_("An https:// link. Shown only to confirmed registrants, never publicly."),
    )
    joining_instructions = models.TextField(
        _("joining instructions"),
        blank=True,
        help_text=_("Shown only to confirmed registrants."),
    )
    capacity = models.PositiveIntegerField(
        _("capacity"),
        null=True,
        blank=True,
        validators=[MinValueValidator(1), MaxValueValidator(CAPACITY_MAX)],
        help_text=CAPACITY_HELP,
    )
    # Confirmed registrations, kept by the registration services under the event's row lock;
    # the check constraint below is the database's own guarantee against overbooking.
    seats_taken = models.PositiveIntegerField(default=0, editable=False)
    # SEQUENCE of the public calendar feed (METHOD:PUBLISH): raised by events.services on
    # every change the feed shows, so calendars that imported it take the new version.
    feed_sequence = models.PositiveIntegerField(default=0, editable=False)
    registration_opens_at = models.DateTimeField(_("registration opens"), null=True, blank=True)
    registration_closes_at = models.DateTimeField(
        _("registration closes"),
        null=True,
        blank=True,
        help_text=_("Empty means registration stays open until the event ends."),
    )
    approval_required = models.BooleanField(_("approval required"), default=False)
    # Reminders that would arrive at night in a registrant's own zone come earlier
    # (notifications.reminders.kinds.quiet_hours; docs/reminders.md).
    quiet_hours_enabled = models.BooleanField(_("quiet hours"), default=True)
    quiet_hours_start = models.TimeField(_("quiet hours start"), default=time(22, 0))
    quiet_hours_end = models.TimeField(_("quiet hours end"), default=time(8, 0))
    status = models.CharField(
        _("status"), max_length=20, choices=Status.choices, default=Status.DRAFT
    )
    # The language of the text above (title, description, venue, joining instructions);
    # EventTranslation rows give it in others. Empty: the organization's language, filled in
    # by events.services.event_save (docs/design.md, "Languages").
    language = models.CharField(
        _("language of the text"),
        max_length=8,
        blank=True,
        validators=[validate_site_language],
        help_text=_("The language the title, description and venue are written in."),
    )
    # Set when the event is cancelled: the organization's calendar feed keeps a cancelled
    # event for 30 days so subscribed calendars see STATUS:CANCELLED (docs/design.md).
    cancelled_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    objects = EventQuerySet.as_manager()

    class Meta:
        ordering = ["starts_at", "id"]
        constraints = [
            models.CheckConstraint(
                condition=Q(capacity__isnull=True) | Q(seats_taken__lte=F("capacity")),
                name="event_seats_within_capacity",
            ),
            models.CheckConstraint(
                condition=Q(ends_at__gt=F("starts_at")), name="event_ends_after_start"
            ),
        ]
        indexes = [models.Index(fields=["status", "ends_at"])]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("registrations:event_detail", kwargs={"slug": self.slug})

    def clean(self) -> None:
        if self.slug in RESERVED_EVENT_SLUGS:
            raise ValidationError({"slug": _("This address is reserved; choose another slug.")})

    @property
    def is_online(self) -> bool:
        return self.kind in {self.Kind.WEBINAR, self.Kind.AUDIO_ROOM, self.Kind.HYBRID}

    @property
    def has_venue(self) -> bool:
        return self.kind in {self.Kind.IN_PERSON, self.Kind.HYBRID}

    @property
    def is_cancelled(self) -> bool:
        return self.status == self.Status.CANCELLED

    @property
    def attendee_data_erased_at(self) -> datetime:
        """When the retention task erases (or erased) this event's attendee data."""
        return self.ends_at + timedelta(days=self.organization.retention_days)

    @property
    def has_ended(self) -> bool:
        return self.ends_at <= timezone.now()

    @property
    def seats_left(self) -> int | None:
        if self.capacity is None:
            return None
        return max(self.capacity - self.seats_taken, 0)


class EventTranslation(models.Model):
    """An event's text in another language than its own (``Event.language``).

    A field left empty shows the event's own text there (docs/design.md, "Languages"). The
    language is checked against settings.LANGUAGES, not stored as choices:
    a new language needs no migration.
    """

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, validators=[validate_site_language])
    title = models.CharField(_("title"), max_length=200, blank=True, validators=[validate_one_line])
    description = models.TextField(_("description"), blank=True, help_text=_("Markdown."))
    venue_name = models.CharField(
        _("venue"), max_length=200, blank=True, validators=[validate_one_line]
    )
    venue_address = models.TextField(_("address"), blank=True)
    joining_instructions = models.TextField(_("joining instructions"), blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["event", "language"], name="one_event_translation_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.event} ({self.language})"


class CoHost(models.Model):
    """Another organization on Convene that runs an event with its owner organization.

    Invited by an owner of the event's organization, accepted by an owner of the other. Once
    accepted, the co-host's members see the event's attendees, exports and check-in in the
    workspace (its settings too if ``can_edit``), and the event is listed on both
    organizations' pages and feeds. Deleting the row takes all of that away at once
    (docs/design.md, "Permissions"). Co-sponsors not on Convene stay ``CoSponsor`` names.
    """

    class Status(models.TextChoices):
        INVITED = "invited", _("Invited")
        ACCEPTED = "accepted", _("Co-host")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cohosts")
    organization = models.ForeignKey(
        Organization, on_delete=models.CASCADE, related_name="cohostings"
    )
    status = models.CharField(max_length=20, choices=Status.choices, default=Status.INVITED)
    can_edit = models.BooleanField(_("may edit the event"), default=False)
    invited_by = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, related_name="+"
    )
    created_at = models.DateTimeField(auto_now_add=True)
    accepted_at = models.DateTimeField(null=True, blank=True)

    class Meta:
        ordering = ["created_at", "id"]
        constraints = [
            models.UniqueConstraint(fields=["event", "organization"], name="one_cohost_per_event"),
        ]

    def __str__(self) -> str:
        return f"{self.organization} co-hosts {self.event}"


class CoSponsor(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="cosponsors")
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    url = models.URLField(_("link"), blank=True)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


class Speaker(models.Model):
    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="speakers")
    name = models.CharField(_("name"), max_length=200, validators=[validate_one_line])
    bio = models.TextField(_("short bio"), blank=True, max_length=1000)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.name


# What a question is, wherever it is asked: copied when an event is duplicated and when a
# series gives a new session its questions.
QUESTION_CONTENT_FIELDS = ("label", "kind", "choices", "required", "position")


class Question(models.Model):
    """A question the organizer asks on the registration form."""

    class Kind(models.TextChoices):
        SHORT_TEXT = "short_text", _("Short text")
        LONG_TEXT = "long_text", _("Long text")
        SINGLE_CHOICE = "single_choice", _("Single choice")
        CHECKBOX = "checkbox", _("Checkbox")

    event = models.ForeignKey(Event, on_delete=models.CASCADE, related_name="questions")
    label = models.CharField(_("question"), max_length=300, validators=[validate_one_line])
    kind = models.CharField(_("kind"), max_length=20, choices=Kind.choices)
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("For single choice: one option per line.")
    )
    required = models.BooleanField(_("required"), default=False)
    position = models.PositiveSmallIntegerField(default=0)

    class Meta:
        ordering = ["position", "id"]

    def __str__(self) -> str:
        return self.label

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]


class QuestionTranslation(models.Model):
    """A question's label and choices in another language than its event's own.

    The choices are shown in place of the question's own, line by line; answers keep the
    question's own choice, so exports read the same whatever language a person registered in.
    """

    question = models.ForeignKey(Question, on_delete=models.CASCADE, related_name="translations")
    language = models.CharField(_("language"), max_length=8, validators=[validate_site_language])
    label = models.CharField(
        _("question"), max_length=300, blank=True, validators=[validate_one_line]
    )
    choices = models.TextField(
        _("choices"), blank=True, help_text=_("One option per line, in the same order.")
    )

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["question", "language"], name="one_question_translation_per_language"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.question} ({self.language})"

    @property
    def choice_list(self) -> list[str]:
        return [line.strip() for line in self.choices.splitlines() if line.strip()]
