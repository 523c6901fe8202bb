"""What the API reads and writes, as pydantic schemas; the OpenAPI document is built from them.

Input types refuse what the database cannot store (NUL characters, lone surrogates) and
instants outside the years 1900-2999 (docs/design.md, "Time"), so bad input is a 422 with
the field named, never a 500.
"""

import re
from datetime import datetime, time
from typing import Annotated, Any, Literal
from uuid import UUID

from django.conf import settings
from ninja import Schema
from ninja.schema import DjangoGetter
from pydantic import (
    AfterValidator,
    AwareDatetime,
    BeforeValidator,
    ConfigDict,
    Field,
    Strict,
    StringConstraints,
    ValidationInfo,
    field_validator,
    model_validator,
)

from events.models import CAPACITY_MAX, Event, EventTranslation, Question
from events.selectors import event_base_language
from notifications.models import ReminderRule
from notifications.reminders.kinds.after_end import MINUTES_AFTER_MAX
from registrations.models import Registration
from workspace.forms.messages import BODY_MAX_LENGTH, SUBJECT_MAX_LENGTH


def _storable(value: str) -> str:
    if "\x00" in value or any("\ud800" <= char <= "\udfff" for char in value):
        raise ValueError("Contains characters that cannot be stored (NUL or a lone surrogate).")
    return value


def _iso_date_time(value: object) -> object:
    # Pydantic would also read a number as a Unix time, which the schema does not allow.
    if not isinstance(value, datetime) and not (
        isinstance(value, str) and _ISO_DATE_TIME.match(value)
    ):
        raise ValueError("Give a date-time with its offset, e.g. 2030-05-01T18:00:00+02:00.")
    return value


def _iso_time(value: object) -> object:
    if not isinstance(value, time) and not (isinstance(value, str) and _ISO_TIME.match(value)):
        raise ValueError("Give a time of day as HH:MM, e.g. 09:00.")
    return value


_ISO_DATE_TIME = re.compile(r"\d{4}-\d{2}-\d{2}[Tt ]\d{2}:\d{2}")
_ISO_TIME = re.compile(r"\d{2}:\d{2}")


def _supported_year(value: datetime) -> datetime:
    if not 1900 <= value.year <= 2999:
        raise ValueError("Use a year from 1900 to 2999.")
    return value


def _wall_clock(value: time) -> time:
    if value.tzinfo is not None:
        raise ValueError("Give a time of day without an offset: it is read in each zone.")
    return value


Storable = AfterValidator(_storable)
# Text fields, by the longest each may be.
Name = Annotated[str, StringConstraints(min_length=1, max_length=200), Storable]
Zone = Annotated[str, StringConstraints(min_length=1, max_length=64), Storable]
Text200 = Annotated[str, StringConstraints(max_length=200), Storable]
Text500 = Annotated[str, StringConstraints(max_length=500), Storable]
Text2000 = Annotated[str, StringConstraints(max_length=2000), Storable]
Text5000 = Annotated[str, StringConstraints(max_length=5000), Storable]
Text20000 = Annotated[str, StringConstraints(max_length=20_000), Storable]
Label = Annotated[str, StringConstraints(min_length=1, max_length=300), Storable]
Email = Annotated[str, StringConstraints(min_length=3, max_length=254), Storable]
Instant = Annotated[AwareDatetime, BeforeValidator(_iso_date_time), AfterValidator(_supported_year)]
# Body numbers and switches are JSON numbers and booleans, never "3" or 1 for true.
Count = Annotated[int, Strict()]
Switch = Annotated[bool, Strict()]


class InputSchema(Schema):
    """A request body: a JSON object with only the fields the schema names."""

    model_config = ConfigDict(extra="forbid")

    @model_validator(mode="before")
    @classmethod
    def _an_object(cls, value: Any) -> Any:
        # Ninja validates the raw body first (extra="forbid"), then again wrapped in its
        # DjangoGetter: the raw one is what must be an object.
        if not isinstance(value, dict | DjangoGetter):
            raise ValueError("The body must be a JSON object.")
        return value


EventKind = Literal["webinar", "audio_room", "in_person", "hybrid"]
EventStatus = Literal["draft", "published", "cancelled"]
RegistrationStatus = Literal["pending", "confirmed", "waitlisted", "cancelled"]
Capacity = Annotated[int, Strict(), Field(ge=1, le=CAPACITY_MAX)]

assert set(EventKind.__args__) == set(Event.Kind.values)  # type: ignore[attr-defined]
assert set(RegistrationStatus.__args__) == set(Registration.Status.values)  # type: ignore[attr-defined]


class EventTranslationOut(Schema):
    """The event's text in another language; an empty field shows the event's own."""

    language: str
    title: str
    description: str = Field(description="Markdown.")
    venue_name: str
    venue_address: str
    joining_instructions: str


class EventOut(Schema):
    id: int
    slug: str
    organization: str = Field(
        description="The slug of the organization the event belongs to; another one than the "
        "token's means the token's organization co-hosts it."
    )
    url: str = Field(description="The public page, where people register.")
    title: str
    kind: EventKind
    status: EventStatus
    description: str = Field(description="Markdown.")
    starts_at: datetime
    ends_at: datetime
    time_zone: str = Field(description="The event's own IANA zone.")
    venue_name: str
    venue_address: str
    join_url: str
    joining_instructions: str
    capacity: int | None = Field(description="Seats; null means unlimited.")
    seats_taken: int
    seats_left: int | None
    registration_opens_at: datetime | None
    registration_closes_at: datetime | None
    approval_required: bool
    language: str = Field(description="The language of the event's own text, e.g. en or fa.")
    translations: list[EventTranslationOut] = Field(
        description="The event's text in the site's other languages, written in the workspace "
        "(read-only here)."
    )
    created_at: datetime
    updated_at: datetime

    @staticmethod
    def resolve_organization(event: Event) -> str:
        return event.organization.slug

    @staticmethod
    def resolve_url(event: Event) -> str:
        return settings.SITE_URL + event.get_absolute_url()

    @staticmethod
    def resolve_language(event: Event) -> str:
        return event_base_language(event)

    @staticmethod
    def resolve_translations(event: Event) -> list[EventTranslation]:
        return sorted(event.translations.all(), key=lambda row: row.language)


class PublicEventOut(Schema):
    """What anyone may see of a published event: no join link, no joining instructions."""

    slug: str
    organization: str = Field(
        description="The slug of the organization the event belongs to; another one than the "
        "one asked about means that one co-hosts it."
    )
    url: str
    title: str
    kind: EventKind
    status: EventStatus
    description: str
    starts_at: datetime
    ends_at: datetime
    time_zone: str
    venue_name: str
    venue_address: str
    capacity: int | None
    seats_left: int | None

    @staticmethod
    def resolve_organization(event: Event) -> str:
        return event.organization.slug

    @staticmethod
    def resolve_url(event: Event) -> str:
        return settings.SITE_URL + event.get_absolute_url()


class EventIn(InputSchema):
    title: Name
    kind: EventKind
    description: Text20000 = ""
    starts_at: Instant
    ends_at: Instant
    time_zone: Zone = Field(description="IANA zone, e.g. Europe/Berlin.")
    venue_name: Text200 = ""
    venue_address: Text2000 = ""
    join_url: Text500 = Field("", description="An https:// link, or empty.")
    joining_instructions: Text5000 = ""
    capacity: Capacity | None = None
    registration_opens_at: Instant | None = None
    registration_closes_at: Instant | None = None
    approval_required: Switch = False


class EventPatch(InputSchema):
    """Only the fields sent change."""

    title: Name | None = None
    kind: EventKind | None = None
    description: Text20000 | None = None
    starts_at: Instant | None = None
    ends_at: Instant | None = None
    time_zone: Zone | None = None
    venue_name: Text200 | None = None
    venue_address: Text2000 | None = None
    join_url: Text500 | None = None
    joining_instructions: Text5000 | None = None
    capacity: Capacity | None = None
    registration_opens_at: Instant | None = None
    registration_closes_at: Instant | None = None
    approval_required: Switch | None = None


# Fields a PATCH may not set to null (they are not nullable on the model).
NOT_NULLABLE = frozenset(
    {
        "title",
        "kind",
        "description",
        "starts_at",
        "ends_at",
        "time_zone",
        "venue_name",
        "venue_address",
        "join_url",
        "joining_instructions",
        "approval_required",
    }
)


class EventPage(Schema):
    items: list[EventOut]
    next_cursor: str | None = Field(description="Pass as `cursor` for the next page; null: done.")


class PublicEventPage(Schema):
    items: list[PublicEventOut]
    next_cursor: str | None


Answer = Text2000 | Switch


class RegistrationOut(Schema):
    id: int
    public_id: UUID
    event_id: int
    name: str
    email: str
    time_zone: str
    language: str
    status: RegistrationStatus
    source: str
    answers: dict[str, str | bool | None] = Field(description="Keyed by question id.")
    created_at: datetime
    updated_at: datetime
    confirmed_at: datetime | None
    cancelled_at: datetime | None
    checked_in_at: datetime | None
    attendance: Literal["attended", "absent"] | None = Field(
        description="attended: checked in, or present in an attendance report; absent: a "
        "report lists them as not attended, or they were confirmed and the event is over "
        "without either; null: nothing known yet."
    )
    attended_minutes: int | None = Field(
        description="Time in the session from an attendance report (rejoins summed)."
    )
    erased: bool

    @staticmethod
    def resolve_attendance(registration: Registration) -> str | None:
        return registration.attendance

    @staticmethod
    def resolve_erased(registration: Registration) -> bool:
        return registration.is_erased


class RegistrationIn(InputSchema):
    name: Name
    email: Email
    time_zone: Zone = Field(description="The registrant's IANA zone: reminders and emails use it.")
    language: Annotated[str, StringConstraints(max_length=8)] = Field(
        "en", description="The language of the person's emails: a code the site offers (en, fa)."
    )
    answers: dict[Annotated[str, StringConstraints(max_length=20)], Answer] = Field(
        default_factory=dict,
        description="Keyed by question id: text, the chosen option, or true/false.",
    )


class RegistrationPage(Schema):
    items: list[RegistrationOut]
    next_cursor: str | None


class QuestionOut(Schema):
    id: int
    label: str
    kind: Literal["short_text", "long_text", "single_choice", "checkbox"]
    choices: list[str]
    required: bool
    position: int

    @staticmethod
    def resolve_choices(question: Question) -> list[str]:
        return question.choice_list


class QuestionIn(InputSchema):
    label: Label
    kind: Literal["short_text", "long_text", "single_choice", "checkbox"]
    choices: list[Name] = Field(
        default_factory=list, max_length=50, description="For single_choice: the options."
    )
    required: Switch = False
    position: Annotated[Count, Field(ge=0, le=32767)] = 0

    @field_validator("choices")
    @classmethod
    def _choices_fit_the_kind(cls, choices: list[str], info: ValidationInfo) -> list[str]:
        options = [choice for choice in choices if choice.strip()]
        if info.data.get("kind") == "single_choice" and len(options) < 2:
            raise ValueError("Give at least two options.")
        if any("\n" in choice or "\r" in choice for choice in choices):
            raise ValueError("Write each option on one line.")
        return choices


assert set(QuestionIn.model_fields["kind"].annotation.__args__) == set(Question.Kind.values)  # type: ignore[union-attr]


class ReminderRuleOut(Schema):
    id: int
    kind: Literal["before_start", "day_before_at"]
    minutes_before: int | None
    local_time: time | None = Field(description="For day_before_at, in the registrant's zone.")


class ReminderRuleIn(InputSchema):
    kind: Literal["before_start", "day_before_at"]
    minutes_before: Annotated[Count, Field(ge=1, le=60 * 24 * 60)] | None = Field(
        None, description="For before_start."
    )
    local_time: Annotated[time, BeforeValidator(_iso_time), AfterValidator(_wall_clock)] | None = (
        Field(None, description="For day_before_at, e.g. 09:00.")
    )


# The API's reminder rules are the reminders before the event; follow-ups after it
# (``after_end``) are their own resource, /events/{id}/follow-ups/{audience}, as they have
# their own page in the workspace (api.selectors.REMINDER_KINDS).
assert set(ReminderRuleIn.model_fields["kind"].annotation.__args__) <= set(  # type: ignore[union-attr]
    ReminderRule.Kind.values
)


FollowUpAudience = Literal["attended", "absent"]
assert set(FollowUpAudience.__args__) == set(ReminderRule.Audience.values)  # type: ignore[attr-defined]


class FollowUpOut(Schema):
    """A follow-up after the end: a message for those who attended, or for those who missed it."""

    id: int
    audience: FollowUpAudience
    minutes_after: int = Field(description="Sent this long after the event's end.")
    subject: str
    message: str
    sent_count: int = Field(description="How many people it has been sent to.")


class FollowUpIn(InputSchema):
    minutes_after: Annotated[Count, Field(ge=0, le=MINUTES_AFTER_MAX)] = Field(
        description="Minutes after the event's end: 0 to 43200 (30 days)."
    )
    subject: Annotated[str, StringConstraints(max_length=SUBJECT_MAX_LENGTH), Storable] = ""
    message: Annotated[
        str, StringConstraints(min_length=1, max_length=BODY_MAX_LENGTH), Storable
    ] = Field(description="Plain text, sent as written inside the usual frame.")


class AttendanceStatsOut(Schema):
    """Among the confirmed registrants: who attended (checked in, or present in a report)."""

    confirmed: int
    attended: int
    rate: int | None = Field(description="Attended as a whole percentage of the confirmed.")
    average_minutes: int | None = Field(
        description="Average minutes of those an attendance report lists as present."
    )


class EventStatsOut(Schema):
    pending: int
    confirmed: int
    waitlisted: int
    cancelled: int
    checked_in: int
    attendance: AttendanceStatsOut
