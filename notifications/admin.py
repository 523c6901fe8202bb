"""The outbox in the admin: read-only, failures easy to find, and a "requeue" action."""

from datetime import timedelta
from typing import Any

from django.conf import settings
from django.contrib import admin, messages
from django.db import transaction
from django.db.models import Q, QuerySet
from django.http import HttpRequest
from django.utils import timezone
from django.utils.text import Truncator
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext

from notifications.models import OutboxEmail
from notifications.relay import outbox_relay_on_commit, outbox_relay_wake
from notifications.reminders import admin as reminders_admin  # noqa: F401 - event admin + rules
from notifications.sending import outbox_requeue

# Stored bodies may hold a live sign-in code or link until the row is final: never shown.
_HIDDEN_FIELDS = ("text_body", "html_body")


class ProblemFilter(admin.SimpleListFilter):
    title = _("problems")
    parameter_name = "problem"

    def lookups(self, request: HttpRequest, model_admin: Any) -> list[tuple[str, Any]]:
        return [
            ("failed", _("Failed")),
            ("retrying", _("Retrying after an error")),
            ("stuck", _("Stuck (queued or sending too long)")),
        ]

    def queryset(self, request: HttpRequest, queryset: QuerySet[Any]) -> QuerySet[Any]:
        if self.value() == "failed":
            return queryset.filter(status=OutboxEmail.Status.FAILED)
        if self.value() == "retrying":
            return queryset.filter(status=OutboxEmail.Status.QUEUED, attempts__gt=0)
        if self.value() == "stuck":
            cutoff = timezone.now() - timedelta(seconds=settings.OUTBOX_STUCK_AFTER)
            return queryset.filter(
                Q(status__in=[OutboxEmail.Status.QUEUED, OutboxEmail.Status.SENDING]),
                updated_at__lt=cutoff,
            )
        return queryset


@admin.register(OutboxEmail)
class OutboxEmailAdmin(admin.ModelAdmin):
    list_display = (
        "created_at",
        "kind",
        "recipient",
        "status",
        "attempts",
        "error",
        "sent_at",
    )
    list_filter = (ProblemFilter, "status", "kind", "created_at")
    search_fields = ("recipient", "message_id", "subject")
    date_hierarchy = "created_at"
    ordering = ("-created_at", "-id")
    exclude = _HIDDEN_FIELDS
    readonly_fields = [
        field.name for field in OutboxEmail._meta.fields if field.name not in _HIDDEN_FIELDS
    ]
    actions = ["requeue"]

    @admin.display(description=_("last error"))
    def error(self, email: OutboxEmail) -> str:
        return Truncator(email.last_error).chars(120)

    def has_add_permission(self, request: HttpRequest) -> bool:
        return False

    def has_delete_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        return False

    def has_change_permission(self, request: HttpRequest, obj: Any = None) -> bool:
        # Rows are a record of what was sent: never edited. The changelist asks without
        # an object, which is what lets the requeue action run.
        return obj is None and super().has_change_permission(request)

    @admin.action(description=_("Requeue (send again from a fresh start)"), permissions=["change"])
    def requeue(self, request: HttpRequest, queryset: QuerySet[OutboxEmail]) -> None:
        with transaction.atomic():
            ids = outbox_requeue(email_ids=queryset.values_list("pk", flat=True))
            # The relay hands them to Celery again.
            outbox_relay_wake()
            outbox_relay_on_commit(ids)
        skipped = queryset.count() - len(ids)
        self.message_user(
            request,
            ngettext("%(count)d email requeued.", "%(count)d emails requeued.", len(ids))
            % {"count": len(ids)},
            messages.SUCCESS,
        )
        if skipped:
            self.message_user(
                request,
                ngettext(
                    "%(count)d email was already sent and was left alone.",
                    "%(count)d emails were already sent and were left alone.",
                    skipped,
                )
                % {"count": skipped},
                messages.WARNING,
            )
