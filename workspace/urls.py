from django.urls import path

from workspace.views import exports, home

app_name = "workspace"

urlpatterns = [
    path("", home.home, name="home"),
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
