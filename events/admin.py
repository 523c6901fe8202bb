from typing import Any

from django import forms
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.dateformat import format as date_format
from django.utils.translation import gettext_lazy as _

from events.models import (
    CAPACITY_HELP,
    CAPACITY_MAX,
    CoSponsor,
    Event,
    Membership,
    Organization,
    Question,
    Speaker,
)
from events.services import event_save, event_snapshot
from events.timezones import localize, time_zone_choices, utc_to_local, zone_label
from events.wall_clock import (
    WALL_CLOCK_HELP,
    WallClockDateTimeField,
    convert_wall_clock_fields,
    event_time_problems,
)


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug")
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name",)
    inlines = [MembershipInline]

    def get_queryset(self, request: HttpRequest) -> QuerySet[Organization]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(memberships__user_id=request.user.pk or 0)


# Links typed without a scheme are taken as https (Django 6's default; no warning until then).
HTTPS_URL_FIELDS: "dict[type[models.Field[Any, Any]], dict[str, Any]]" = {
    models.URLField: {"assume_scheme": "https"}
}


class CoSponsorInline(admin.TabularInline):
    model = CoSponsor
    extra = 0
    formfield_overrides = HTTPS_URL_FIELDS


class SpeakerInline(admin.TabularInline):
    model = Speaker
    extra = 0


class QuestionInline(admin.StackedInline):
    model = Question
    extra = 0


# Typed and shown as wall-clock times in the event's own zone, as in the workspace.
WALL_CLOCK_FIELDS = ["starts_at", "ends_at", "registration_opens_at", "registration_closes_at"]


class EventAdminForm(ModelForm):
    """The admin's event form; the four times are read in the zone chosen on the same form."""

    time_zone = forms.ChoiceField(
        label=_("Time zone"),
        choices=time_zone_choices,
        help_text=_(
            "The event's own zone. Start, end and the registration window are read in this zone."
        ),
    )
    starts_at = WallClockDateTimeField(label=_("Starts"), help_text=WALL_CLOCK_HELP)
    ends_at = WallClockDateTimeField(label=_("Ends"), help_text=WALL_CLOCK_HELP)
    registration_opens_at = WallClockDateTimeField(
        label=_("Registration opens"),
        required=False,
        help_text=_("In the event's time zone. Empty: as soon as the event is published."),
    )
    registration_closes_at = WallClockDateTimeField(
        label=_("Registration closes"),
        required=False,
        help_text=_(
            "In the event's time zone. Empty: registration stays open until the event ends."
        ),
    )

    capacity = forms.IntegerField(
        label=_("Capacity"),
        required=False,
        min_value=1,
        max_value=CAPACITY_MAX,
        help_text=CAPACITY_HELP,
    )

    def __init__(self, *args: Any, **kwargs: Any) -> None:
        super().__init__(*args, **kwargs)
        event = self.instance
        if event.pk:
            for name in WALL_CLOCK_FIELDS:
                moment = getattr(event, name)
                if moment is not None:
                    self.initial[name] = utc_to_local(moment, event.time_zone)

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        zone = cleaned.get("time_zone")
        if zone:
            convert_wall_clock_fields(self, WALL_CLOCK_FIELDS, zone)
        else:
            # Without a valid zone the times mean nothing yet: keep them off the event.
            for name in WALL_CLOCK_FIELDS:
                cleaned.pop(name, None)
        capacity = cleaned.get("capacity")
        taken = self.instance.seats_taken
        if self.instance.pk and capacity is not None and capacity < taken:
            self.add_error(
                "capacity",
                _("%(taken)d people are already confirmed; capacity cannot be lower.")
                % {"taken": taken},
            )
        for field, problem in event_time_problems(cleaned).items():
            self.add_error(field, problem)
        return cleaned


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = (
        "title",
        "organization",
        "kind",
        "starts_in_event_zone",
        "status",
        "capacity",
        "seats_taken",
    )
    # Only the organizations whose events the user can see: a plain filter would list all.
    list_filter = ("status", "kind", ("organization", admin.RelatedOnlyFieldListFilter))
    search_fields = ("title", "slug")
    prepopulated_fields = {"slug": ("title",)}
    readonly_fields = ("seats_taken",)
    inlines = [SpeakerInline, CoSponsorInline, QuestionInline]
    formfield_overrides = HTTPS_URL_FIELDS

    def get_queryset(self, request: HttpRequest) -> QuerySet[Event]:
        queryset = super().get_queryset(request)
        if request.user.is_superuser:
            return queryset
        return queryset.filter(organization__memberships__user_id=request.user.pk or 0)

    def get_fields(self, request: HttpRequest, obj: Event | None = None) -> list[Any]:
        fields = list(super().get_fields(request, obj))
        # The zone before the times that are read in it.
        if "time_zone" in fields and "starts_at" in fields:
            fields.remove("time_zone")
            fields.insert(fields.index("starts_at"), "time_zone")
        return fields

    @admin.display(ordering="starts_at", description=_("starts (event's time zone)"))
    def starts_in_event_zone(self, event: Event) -> str:
        """ "Sun 6 Dec 2026, 14:00 Los Angeles": the start as the organizer typed it."""
        local = localize(event.starts_at, event.time_zone)
        return _("%(date_time)s %(zone)s") % {
            "date_time": date_format(local, "D j M Y, H:i"),
            "zone": zone_label(event.time_zone),
        }

    def formfield_for_foreignkey(self, db_field: Any, request: HttpRequest, **kwargs: Any) -> Any:
        if db_field.name == "organization" and not request.user.is_superuser:
            member_id = request.user.pk or 0
            kwargs["queryset"] = Organization.objects.filter(memberships__user_id=member_id)
        return super().formfield_for_foreignkey(db_field, request, **kwargs)

    def save_model(self, request: HttpRequest, obj: Event, form: ModelForm, change: bool) -> None:
        previous = None
        if change:
            previous = event_snapshot(Event.objects.get(pk=obj.pk))
        try:
            event_save(event=obj, previous=previous)
        except ValidationError as error:  # lost a race with a registration; rare
            raise ValidationError(error.messages) from error
