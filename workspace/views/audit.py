"""The organization's audit log: who did what, newest first."""

from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.http import HttpRequest, HttpResponse
from django.shortcuts import render
from django.views.decorators.http import require_GET

from events.viewer import viewer_time_zone
from workspace.forms.audit import AuditLogFilterForm
from workspace.selectors.audit import audit_log_for_organization, audit_rows
from workspace.selectors.organizations import organization_for_member_by_slug_or_404
from workspace.views.support import acting_user

ENTRIES_PER_PAGE = 50


@login_required
@require_GET
def audit_log(request: HttpRequest, slug: str) -> HttpResponse:
    organization = organization_for_member_by_slug_or_404(acting_user(request), slug)
    form = AuditLogFilterForm(request.GET or None, organization=organization)
    valid = form.is_valid() if form.is_bound else True
    event = form.cleaned_data.get("event") if form.is_bound and valid else None
    entries = audit_log_for_organization(organization, event=event)
    page = Paginator(entries, ENTRIES_PER_PAGE).get_page(request.GET.get("page"))
    return render(
        request,
        "workspace/audit/log.html",
        {
            "organization": organization,
            "form": form,
            "page": page,
            "rows": audit_rows(page.object_list),
            "viewer_zone": viewer_time_zone(request) or "UTC",
        },
        status=200 if valid else 400,
    )
