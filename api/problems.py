"""Errors as ``application/problem+json`` (RFC 9457), one handler per kind of failure.

Every error body has ``type``, ``title``, ``status``, ``detail`` and a stable ``code``
(docs/api.md, "Errors"); validation errors add ``errors``, one entry per field. The services'
own exceptions (``EventFull``, ``AlreadyRegistered``, Django's ``ValidationError``) are
turned into problems here, so the routers call services and nothing else.
"""

import json
from collections.abc import Iterable
from http import HTTPStatus
from typing import Any

from django.core.exceptions import NON_FIELD_ERRORS, PermissionDenied
from django.core.exceptions import ValidationError as DjangoValidationError
from django.http import Http404, HttpRequest, HttpResponse
from ninja import NinjaAPI, Schema
from ninja.errors import AuthenticationError, HttpError
from ninja.errors import ValidationError as NinjaValidationError

from registrations.services import (
    AlreadyRegistered,
    EventFull,
    InvalidTransition,
    RegistrationClosed,
    RegistrationError,
)

PROBLEM_CONTENT_TYPE = "application/problem+json"


class FieldError(Schema):
    """One invalid input: where it is (``body``, ``query``, ``path``), which field, why."""

    location: str
    field: str | None
    detail: str


class Problem(Schema):
    type: str
    title: str
    status: int
    detail: str
    code: str
    errors: list[FieldError] | None = None
    # For ``already_registered``: the registration that address already has.
    registration_id: int | None = None


class ApiProblem(Exception):
    """Answer with this problem; raised by the routers and the token check."""

    def __init__(
        self,
        status: int,
        code: str,
        detail: str,
        *,
        headers: dict[str, str] | None = None,
        **extra: Any,
    ) -> None:
        super().__init__(detail)
        self.status = status
        self.code = code
        self.detail = detail
        self.headers = headers or {}
        self.extra = extra


def problem_response(
    status: int,
    code: str,
    detail: str,
    *,
    headers: dict[str, str] | None = None,
    **extra: Any,
) -> HttpResponse:
    body = {
        "type": "about:blank",
        "title": HTTPStatus(status).phrase,
        "status": status,
        "detail": detail,
        "code": code,
        **{key: value for key, value in extra.items() if value is not None},
    }
    response = HttpResponse(
        json.dumps(body, ensure_ascii=False), status=status, content_type=PROBLEM_CONTENT_TYPE
    )
    for name, value in (headers or {}).items():
        response[name] = value
    return response


def _field_errors_from_ninja(errors: Iterable[dict[str, Any]]) -> list[dict[str, Any]]:
    """Pydantic's ``loc`` ("body", "payload", "title") as location "body", field "title"."""
    found = []
    for error in errors:
        loc = [str(part) for part in error.get("loc", ())]
        location = loc[0] if loc else "body"
        path = loc[1:]
        # A body is one parameter (named after the view's argument): leave its name out.
        if location == "body" and path:
            path = path[1:]
        found.append(
            {
                "location": location,
                "field": ".".join(path) or None,
                "detail": str(error.get("msg", "Invalid value.")),
            }
        )
    return found


def field_errors_from_django(error: DjangoValidationError) -> list[dict[str, Any]]:
    if not hasattr(error, "error_dict"):
        return [{"location": "body", "field": None, "detail": message} for message in error]
    return [
        {
            "location": "body",
            "field": None if field == NON_FIELD_ERRORS else field,
            "detail": message,
        }
        for field, messages in error.message_dict.items()
        for message in messages
    ]


def validation_problem(errors: list[dict[str, Any]]) -> HttpResponse:
    return problem_response(
        422, "validation_failed", "The request has invalid values; see errors.", errors=errors
    )


_REGISTRATION_CODES: list[tuple[type[RegistrationError], str]] = [
    (RegistrationClosed, "registration_closed"),
    (EventFull, "event_full"),
    (AlreadyRegistered, "already_registered"),
    (InvalidTransition, "invalid_transition"),
]


def problem_for(exc: Exception) -> HttpResponse:
    """The problem response for one of the exceptions ``HANDLED`` lists."""
    if isinstance(exc, ApiProblem):
        return problem_response(exc.status, exc.code, exc.detail, headers=exc.headers, **exc.extra)
    if isinstance(exc, NinjaValidationError):
        return validation_problem(_field_errors_from_ninja(exc.errors))
    if isinstance(exc, DjangoValidationError):
        return validation_problem(field_errors_from_django(exc))
    if isinstance(exc, AuthenticationError):
        return problem_response(
            401,
            "unauthorized",
            "Send a valid token: Authorization: Bearer <token>.",
            headers={"WWW-Authenticate": 'Bearer realm="convene"'},
        )
    if isinstance(exc, HttpError):  # ninja's own, e.g. 400 for a body that is not JSON
        return problem_response(exc.status_code, "bad_request", str(exc))
    if isinstance(exc, Http404):
        return problem_response(404, "not_found", "Nothing here, or not for this token.")
    if isinstance(exc, PermissionDenied):
        return problem_response(403, "forbidden", str(exc) or "Not allowed.")
    if isinstance(exc, RegistrationError):
        code = next(
            (code for kind, code in _REGISTRATION_CODES if isinstance(exc, kind)), "conflict"
        )
        registration = getattr(exc, "registration", None)
        return problem_response(
            409,
            code,
            exc.message,
            registration_id=registration.pk if registration is not None else None,
        )
    raise exc


HANDLED: tuple[type[Exception], ...] = (
    ApiProblem,
    NinjaValidationError,
    DjangoValidationError,
    AuthenticationError,
    HttpError,
    Http404,
    PermissionDenied,
    RegistrationError,
)


def _handle(request: HttpRequest, exc: Exception | type[Exception]) -> HttpResponse:
    assert isinstance(exc, Exception)
    return problem_for(exc)


def install_problem_handlers(api: NinjaAPI) -> None:
    for exception_class in HANDLED:
        api.add_exception_handler(exception_class, _handle)
