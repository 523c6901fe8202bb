"""Error pages that never read the request's body.

Django's own 400 view is wrapped in ``requires_csrf_token``, which runs the CSRF check again,
and that reads ``request.POST`` again: for a form body that Django refuses to parse (declared
``charset=latin-1``, Django ticket #34709) the page about the bad request became a 500.
These views render the site's layout from what the request line and cookies say, and leave
the body alone.
"""

from django.http import HttpRequest, HttpResponse
from django.shortcuts import render


def bad_request(request: HttpRequest, exception: Exception | None = None) -> HttpResponse:
    """``handler400``: a request that could not be understood."""
    return render(request, "400.html", status=400)


def csrf_failure(request: HttpRequest, reason: str = "") -> HttpResponse:
    """``CSRF_FAILURE_VIEW``: a form sent without a valid token (an old page, blocked cookies)."""
    return render(request, "403_csrf.html", status=403)
