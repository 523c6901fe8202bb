from django.urls import path

from workspace.views import audit, exports, home, members, messages, privacy, stats

app_name = "workspace"

urlpatterns = [
    path("", home.home, name="home"),
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
    # The organization: members, invitations, audit log.
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
    # Attendee exports (docs/exports.md).
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
