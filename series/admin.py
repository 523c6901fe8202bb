"""Series in the admin: to look, not to change (docs/series.md, "In the admin").

Everything about a series changes through its services, which the workspace calls: a new
recurrence moves sessions and emails their registrants, a registration for every session
registers the person into each one, leaving cancels them. A plain admin save would do none of
it, so these pages are read-only. Like every admin queryset, they are scoped to the user's
organizations (docs/design.md, "Permissions"), and the list of series registrations shows no
more of a person than the registrations' list does (name and email; never answers).
"""

from typing import Any

from django.contrib import admin
from django.db import models
from django.db.models import Model, QuerySet
from django.http import HttpRequest

from series.models import (
    Series,
    SeriesQuestion,
    SeriesRegistration,
    SeriesReminderRule,
    SeriesSession,
)


class ReadOnlyAdminMixin:
    def has_add_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Model | None = None) -> bool:
        return False


class SeriesSessionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SeriesSession
    fields = ("occurrence", "event")
    readonly_fields = fields
    extra = 0
    show_change_link = False


class SeriesQuestionInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SeriesQuestion
    fields = ("label", "kind", "required", "position")
    readonly_fields = fields
    extra = 0


class SeriesReminderRuleInline(ReadOnlyAdminMixin, admin.TabularInline):
    model = SeriesReminderRule
    fields = ("kind", "minutes_before", "local_time")
    readonly_fields = fields
    extra = 0


def _scoped(request: HttpRequest, queryset: QuerySet[Any], path: str) -> QuerySet[Any]:
    if request.user.is_superuser:
        return queryset
    return queryset.filter(**{f"{path}memberships__user_id": request.user.pk or 0})


@admin.register(Series)
class SeriesAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("title", "organization", "kind", "status", "time_zone", "rrule", "created_at")
    list_filter = ("status", "kind")
    search_fields = ("title", "slug")
    inlines = [SeriesReminderRuleInline, SeriesQuestionInline, SeriesSessionInline]
    formfield_overrides = {models.URLField: {"assume_scheme": "https"}}

    def get_queryset(self, request: HttpRequest) -> QuerySet[Series]:
        return _scoped(
            request, super().get_queryset(request).select_related("organization"), "organization__"
        )


@admin.register(SeriesRegistration)
class SeriesRegistrationAdmin(ReadOnlyAdminMixin, admin.ModelAdmin):
    list_display = ("name", "email", "series", "status", "time_zone", "language", "created_at")
    list_filter = ("status", "language")
    search_fields = ("name", "email", "series__title")
    # No answers and no public id (the personal link is made from it).
    fields = (
        "series",
        "name",
        "email",
        "status",
        "time_zone",
        "language",
        "consent_text",
        "consent_language",
        "created_at",
        "left_at",
        "erased_at",
    )
    readonly_fields = fields

    def get_queryset(self, request: HttpRequest) -> QuerySet[SeriesRegistration]:
        return _scoped(
            request,
            super().get_queryset(request).select_related("series"),
            "series__organization__",
        )
