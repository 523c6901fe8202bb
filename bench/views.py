"""The baseline the registration view is compared with: the same stack, one bare INSERT."""

from django.db import connection
from django.http import HttpRequest, HttpResponse, HttpResponseRedirect
from django.views.decorators.http import require_POST

BASELINE_TABLE_SQL = """
CREATE TABLE IF NOT EXISTS bench_baseline (
    id bigserial PRIMARY KEY,
    name text NOT NULL,
    email text NOT NULL,
    created_at timestamptz NOT NULL DEFAULT now()
)
"""


@require_POST
def baseline_insert(request: HttpRequest) -> HttpResponse:
    """Same middleware, CSRF check and form body as a registration; one INSERT; a redirect."""
    with connection.cursor() as cursor:
        cursor.execute(
            "INSERT INTO bench_baseline (name, email) VALUES (%s, %s)",
            [request.POST.get("name", ""), request.POST.get("email", "")],
        )
    return HttpResponseRedirect("/")


def hello(request: HttpRequest) -> HttpResponse:
    """Django's floor for a page (bench/spike.py): the same middleware, no query, no template."""
    return HttpResponse("hello", content_type="text/plain; charset=utf-8")
