from django.urls import path

from config.cache_headers import private_page
from workspace.views import (
    api_tokens,
    approvals,
    attendance,
    attendees,
    audit,
    checkin,
    cohosts,
    events,
    exports,
    home,
    members,
    messages,
    organizations,
    preferences,
    privacy,
    series,
    stats,
    translations,
    webhooks,
)

app_name = "workspace"

event = "events/<int:event_id>/"
registration = event + "attendees/<int:registration_id>/"
webhook_endpoint = "organizations/<slug:slug>/webhooks/<int:endpoint_id>/"

urlpatterns = [
    path("", home.home, name="home"),
    path("calendar/", preferences.calendar_choose, name="calendar"),
    # Events: create, look at, edit, publish, cancel, duplicate.
    path(
        "organizations/<int:organization_id>/events/new/", events.event_create, name="event_create"
    ),
    path(event, events.event_overview, name="event_overview"),
    # Series: sessions made by a recurrence (docs/series.md).
    path("organizations/<int:organization_id>/series/", series.series_list, name="series_list"),
    path(
        "organizations/<int:organization_id>/series/new/",
        series.series_create,
        name="series_create",
    ),
    path("series/<int:series_id>/", series.series_overview, name="series_overview"),
    path(
        "series/<int:series_id>/from/<int:event_id>/edit/",
        series.series_edit,
        name="series_edit",
    ),
    path("series/<int:series_id>/lists/", series.series_lists, name="series_lists"),
    path("series/<int:series_id>/end/", series.series_end, name="series_end"),
    path(
        "series/<int:series_id>/export/<slug:layout>/<slug:format_name>/",
        series.series_export,
        name="series_export",
    ),
    path(event + "edit/", events.event_edit, name="event_edit"),
    # The event's text in the site's other languages (docs/i18n.md).
    path(
        event + "translations/<str:language>/",
        translations.event_translation,
        name="event_translation",
    ),
    path(event + "publish/", events.event_publish, name="event_publish"),
    path(event + "cancel/", events.event_cancel, name="event_cancel"),
    path(event + "duplicate/", events.event_duplicate, name="event_duplicate"),
    path(event + "capacity/", attendees.event_capacity, name="event_capacity"),
    # Co-hosts: other organizations running the event with its own.
    path(event + "cohosts/", cohosts.event_cohosts, name="event_cohosts"),
    path(
        event + "cohosts/<int:cohost_id>/remove/",
        cohosts.cohost_remove_view,
        name="cohost_remove",
    ),
    path(
        event + "cohosts/<int:cohost_id>/edit-access/",
        cohosts.cohost_edit_access_view,
        name="cohost_edit_access",
    ),
    path(
        "organizations/<slug:slug>/cohosting/<int:cohost_id>/",
        cohosts.cohost_invitation,
        name="cohost_invitation",
    ),
    path(
        "organizations/<slug:slug>/cohosting/<int:cohost_id>/accept/",
        cohosts.cohost_accept_view,
        name="cohost_accept",
    ),
    path(
        "organizations/<slug:slug>/cohosting/<int:cohost_id>/decline/",
        cohosts.cohost_decline_view,
        name="cohost_decline",
    ),
    # Attendees, approvals and the door.
    path(event + "attendees/", attendees.attendees, name="attendees"),
    path(event + "attendees/add/", attendees.attendee_add, name="attendee_add"),
    path(registration + "cancel/", attendees.attendee_cancel, name="attendee_cancel"),
    path(registration + "promote/", attendees.attendee_promote, name="attendee_promote"),
    path(registration + "approve/", approvals.registration_approve, name="registration_approve"),
    path(registration + "reject/", approvals.registration_reject, name="registration_reject"),
    path(event + "attendance/", attendance.attendance_upload, name="attendance_upload"),
    path(
        event + "attendance/preview/",
        attendance.attendance_preview_view,
        name="attendance_preview",
    ),
    path(event + "attendance/record/", attendance.attendance_import_view, name="attendance_import"),
    path(event + "follow-ups/", attendance.follow_ups, name="follow_ups"),
    path(event + "checkin/", checkin.checkin, name="checkin"),
    path(event + "checkin/walk-in/", checkin.checkin_walk_in, name="checkin_walk_in"),
    path(event + "checkin/<int:registration_id>/", checkin.checkin_mark, name="checkin_mark"),
    path(event + "checkin/<int:registration_id>/undo/", checkin.checkin_undo, name="checkin_undo"),
    # Messages to registrants and what became of them.
    path("events/<int:event_id>/messages/", messages.message_list, name="messages"),
    path(
        "events/<int:event_id>/messages/preview/",
        messages.message_preview,
        name="message_preview",
    ),
    path("events/<int:event_id>/messages/send/", messages.message_send_view, name="message_send"),
    path(
        "events/<int:event_id>/messages/<int:message_id>/",
        messages.message_detail,
        name="message_detail",
    ),
    path("events/<int:event_id>/emails/failed/", messages.failed_emails, name="failed_emails"),
    path("events/<int:event_id>/stats/", stats.event_stats, name="stats"),
    # Privacy requests about one registrant.
    path(
        "events/<int:event_id>/registrations/<int:registration_id>/erase/",
        privacy.registration_erase,
        name="registration_erase",
    ),
    path(
        "events/<int:event_id>/registrations/<int:registration_id>/export.json",
        privacy.registration_export,
        name="registration_export",
    ),
    # The organization: its settings, members, invitations, audit log.
    path("organizations/new/", organizations.organization_create_view, name="organization_create"),
    path(
        "organizations/<slug:slug>/settings/",
        organizations.organization_settings,
        name="organization_settings",
    ),
    path(
        "organizations/<slug:slug>/members/<int:membership_id>/role/",
        members.member_role_view,
        name="member_role",
    ),
    path("organizations/<slug:slug>/members/", members.member_list, name="members"),
    path(
        "organizations/<slug:slug>/members/invite/",
        members.member_invite_view,
        name="member_invite",
    ),
    path(
        "organizations/<slug:slug>/members/<int:membership_id>/remove/",
        members.member_remove,
        name="member_remove",
    ),
    path(
        "organizations/<slug:slug>/invitations/<int:invitation_id>/revoke/",
        members.invitation_revoke_view,
        name="invitation_revoke",
    ),
    path("invitations/<str:token>/", members.invitation_accept_view, name="invitation_accept"),
    path("organizations/<slug:slug>/audit/", audit.audit_log, name="audit_log"),
    # Webhooks (docs/webhooks.md).
    path(
        "organizations/<slug:slug>/webhooks/", webhooks.webhook_endpoints, name="webhook_endpoints"
    ),
    path(
        webhook_endpoint,
        webhooks.webhook_endpoint,
        name="webhook_endpoint",
    ),
    path(
        webhook_endpoint + "remove/",
        webhooks.webhook_endpoint_remove,
        name="webhook_endpoint_remove",
    ),
    path(
        webhook_endpoint + "enable/",
        webhooks.webhook_endpoint_enable,
        name="webhook_endpoint_enable",
    ),
    path(webhook_endpoint + "edit/", webhooks.webhook_endpoint_edit, name="webhook_endpoint_edit"),
    path(
        webhook_endpoint + "rotate-secret/",
        webhooks.webhook_endpoint_rotate_secret,
        name="webhook_endpoint_rotate_secret",
    ),
    path(webhook_endpoint + "test/", webhooks.webhook_endpoint_test, name="webhook_endpoint_test"),
    path(
        webhook_endpoint + "deliveries/<int:delivery_id>/",
        webhooks.webhook_delivery,
        name="webhook_delivery",
    ),
    path(
        webhook_endpoint + "deliveries/<int:delivery_id>/replay/",
        webhooks.webhook_delivery_replay,
        name="webhook_delivery_replay",
    ),
    # API tokens (docs/api.md).
    path("organizations/<slug:slug>/api-tokens/", api_tokens.api_tokens, name="api_tokens"),
    path(
        "organizations/<slug:slug>/api-tokens/<int:token_id>/revoke/",
        api_tokens.api_token_revoke_view,
        name="api_token_revoke",
    ),
    # Attendee exports (docs/exports.md).
    path("events/<int:event_id>/exports/", exports.event_exports, name="event_exports"),
    path(
        "events/<int:event_id>/export/<slug:format_name>/",
        exports.export,
        name="export",
    ),
    path("exports/<int:job_id>/", exports.export_job, name="export_job"),
    path("exports/<int:job_id>/status.json", exports.export_job_status, name="export_job_status"),
    path(
        "exports/<int:job_id>/download/",
        exports.export_job_download,
        name="export_job_download",
    ),
]

# Every workspace page shows attendees' data: no browser or shared cache may keep a copy.
for _pattern in urlpatterns:
    _pattern.callback = private_page(_pattern.callback)
