from typing import Any

from django import forms
from django.conf import settings
from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest
from django.utils.translation import gettext_lazy as _

from events.forms import EventScheduleForm, MultilineTextField
from events.models import (
    CoSponsor,
    Event,
    Membership,
    Organization,
    PrivacyStatement,
    Question,
    Speaker,
)
from events.services import event_save, event_snapshot, organizations_review
from events.time_display import format_in_zone
from events.timezones import zone_label


class MembershipInline(admin.TabularInline):
    model = Membership
    extra = 0
    autocomplete_fields = ["user"]


class PrivacyStatementForm(forms.ModelForm):
    # A choice of the site's languages, read when the form is built (not a model choice:
    # a new language needs no migration).
    language = forms.ChoiceField(label=_("language"), choices=lambda: settings.LANGUAGES)
    url = forms.URLField(
        label=_("privacy policy link"), required=False, max_length=500, assume_scheme="https"
    )

    class Meta:
        model = PrivacyStatement
        fields = ["language", "url", "text"]


class PrivacyStatementInline(admin.StackedInline):
    model = PrivacyStatement
    form = PrivacyStatementForm
    extra = 0


@admin.register(Organization)
class OrganizationAdmin(admin.ModelAdmin):
    list_display = ("name", "slug", "status", "contact_email", "attendee_privacy", "created_at")
    list_filter = ("status",)
    prepopulated_fields = {"slug": ("name",)}
    search_fields = ("name", "slug", "contact_email")
    fieldsets = [
        (
            None,
            {
                "fields": [
                    "name",
                    "slug",
                    "status",
                    "contact_email",
                    "description",
                    "time_zone",
                    "language",
                    "logo_url",
                ]
            },
        ),
        (_("Privacy"), {"fields": ["attendee_privacy", "consent_required", "retention_days"]}),
    ]
    inlines = [PrivacyStatementInline, MembershipInline]
    actions = ["approve", "decline"]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    @admin.action(description=_("Approve the selected organizations"), permissions=["change"])
    def approve(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        count = organizations_review(organizations=queryset, approve=True)
        self.message_user(request, _("%(count)d approved.") % {"count": count})

    @admin.action(description=_("Decline the selected organizations"), permissions=["change"])
    def decline(self, request: HttpRequest, queryset: QuerySet[Organization]) -> None:
        count = organizations_review(organizations=queryset, approve=False)
        self.message_user(request, _("%(count)d declined.") % {"count": count})

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


class EventAdminForm(EventScheduleForm, ModelForm):
    """The admin's event form: the zone, times and capacity as in the workspace's."""

    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        self.clean_schedule(cleaned)
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
    # Text areas as in the workspace's form (events.forms.MultilineTextField).
    formfield_overrides = {**HTTPS_URL_FIELDS, models.TextField: {"form_class": MultilineTextField}}

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
        return _("%(date_time)s %(zone)s") % {
            "date_time": format_in_zone(event.starts_at, event.time_zone, "D j M Y, H:i"),
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
