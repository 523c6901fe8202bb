from typing import Any

from django.contrib import admin
from django.core.exceptions import ValidationError
from django.db import models
from django.db.models import QuerySet
from django.forms import ModelForm
from django.http import HttpRequest

from events.models import CoSponsor, Event, Membership, Organization, Question, Speaker
from events.services import event_save, event_snapshot


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


class EventAdminForm(ModelForm):
    def clean(self) -> dict[str, Any]:
        cleaned = super().clean() or {}
        capacity = cleaned.get("capacity")
        if self.instance.pk and capacity is not None and capacity < self.instance.seats_taken:
            self.add_error(
                "capacity",
                f"{self.instance.seats_taken} people are already confirmed; "
                "capacity cannot be lower.",
            )
        starts_at, ends_at = cleaned.get("starts_at"), cleaned.get("ends_at")
        if starts_at and ends_at and ends_at <= starts_at:
            self.add_error("ends_at", "The event must end after it starts.")
        return cleaned


@admin.register(Event)
class EventAdmin(admin.ModelAdmin):
    form = EventAdminForm
    list_display = (
        "title",
        "organization",
        "kind",
        "starts_at",
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
