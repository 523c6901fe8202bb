"""/api/v1/events/{event_id}/registrations: list, read, register, cancel, check in.

A registration made here goes through the same form and service as the public page
(``RegistrationForm``, ``registration_create``): the same checks, the same capacity and
waitlist, the same emails and reminders.
"""

from django.http import HttpRequest
from django.utils.translation import gettext as _
from ninja import Query, Router, Schema, Status
from pydantic import Field

from api.auth import WRITE, request_token, write_token
from api.pagination import DEFAULT_LIMIT, MAX_LIMIT, keyset_page
from api.problems import ApiProblem
from api.responses import READ_ERRORS, WRITE_ERRORS, problems
from api.schemas import (
    Instant,
    RegistrationIn,
    RegistrationOut,
    RegistrationPage,
    RegistrationStatus,
)
from api.selectors import event_of_or_404, registration_of_or_404, registrations_of
from registrations.forms import RegistrationForm, question_field_name
from registrations.models import Registration
from workspace.selectors.events import EventAccess
from workspace.services import attendees as attendee_services

router = Router(tags=["registrations"])

registration_path = "/events/{event_id}/registrations/{registration_id}"
# What a change to one registration answers.
REGISTRATION_CHANGED = {200: RegistrationOut, **problems(WRITE_ERRORS)}


class RegistrationFilters(Schema):
    status: RegistrationStatus | None = None
    updated_since: Instant | None = Field(
        None, description="Only registrations changed at or after this instant."
    )
    cursor: str | None = Field(None, max_length=500)
    limit: int = Field(DEFAULT_LIMIT, ge=1, le=MAX_LIMIT)


@router.get(
    "/events/{event_id}/registrations", response={200: RegistrationPage, **problems(READ_ERRORS)}
)
def registration_list(
    request: HttpRequest, event_id: int, filters: Query[RegistrationFilters]
) -> dict[str, object]:
    """Ordered by last change, so a sync can keep the last ``updated_at`` it saw."""
    # As the attendee list (workspace.views.attendees.attendees).
    event = event_of_or_404(request_token(request).organization, event_id, need=EventAccess.VIEW)
    registrations = registrations_of(
        event, status=filters.status, updated_since=filters.updated_since
    )
    items, next_cursor = keyset_page(
        registrations, order_field="updated_at", cursor=filters.cursor, limit=filters.limit
    )
    return {"items": items, "next_cursor": next_cursor}


@router.get(registration_path, response={200: RegistrationOut, **problems(READ_ERRORS)})
def registration_read(request: HttpRequest, event_id: int, registration_id: int) -> Registration:
    event = event_of_or_404(request_token(request).organization, event_id, need=EventAccess.VIEW)
    return registration_of_or_404(event, registration_id)


@router.post(
    "/events/{event_id}/registrations",
    auth=WRITE,
    response={201: RegistrationOut, **problems(WRITE_ERRORS)},
)
def registration_create(
    request: HttpRequest, event_id: int, payload: RegistrationIn
) -> Status[Registration]:
    """Register a person: confirmed while seats last, then waitlisted (or pending approval).

    They get the same emails as when registering on the event's page. An address already
    registered for the event gets 409 with its ``registration_id``.
    """
    token = write_token(request)
    # As adding a person in the attendee list (workspace.views.attendees.attendee_add).
    event = event_of_or_404(token.organization, event_id, need=EventAccess.EDIT)
    questions = list(event.questions.all())
    data: dict[str, object] = {
        "name": payload.name,
        "email": payload.email,
        "time_zone": payload.time_zone,
        "language": payload.language,
    }
    known = {str(question.pk) for question in questions}
    unknown = sorted(set(payload.answers) - known)
    if unknown:
        raise ApiProblem(
            422,
            "validation_failed",
            "Answers to questions this event does not ask.",
            errors=[
                {"location": "body", "field": f"answers.{key}", "detail": "No such question."}
                for key in unknown
            ],
        )
    for question in questions:
        data[question_field_name(question)] = payload.answers.get(str(question.pk), "")
    form = RegistrationForm(data, event=event, questions=questions)
    if not form.is_valid():
        names = {question_field_name(question): f"answers.{question.pk}" for question in questions}
        raise ApiProblem(
            422,
            "validation_failed",
            "The request has invalid values; see errors.",
            errors=[
                {"location": "body", "field": names.get(field, field), "detail": message}
                for field, messages in form.errors.items()
                for message in messages
            ],
        )
    result = attendee_services.registration_register(
        actor=token,
        event=event,
        name=form.cleaned_data["name"],
        email=form.cleaned_data["email"],
        time_zone=form.cleaned_data["time_zone"],
        language=form.cleaned_data["language"],
        answers=form.answers(),
    )
    if not result.created:
        raise ApiProblem(
            409,
            "already_registered",
            _("This address is already registered for the event."),
            registration_id=result.registration.pk,
        )
    return Status(201, result.registration)


@router.post(
    registration_path + "/cancel",
    auth=WRITE,
    response={200: RegistrationOut, **problems(WRITE_ERRORS)},
)
def registration_cancel(request: HttpRequest, event_id: int, registration_id: int) -> Registration:
    """Cancel; a freed seat goes to the next waitlisted person. Cancelling again is a no-op."""
    token = write_token(request)
    # As workspace.views.attendees.attendee_cancel.
    registration = registration_of_or_404(
        event_of_or_404(token.organization, event_id, need=EventAccess.EDIT), registration_id
    )
    return attendee_services.registration_cancel(actor=token, registration=registration)


@router.post(
    registration_path + "/check-in",
    auth=WRITE,
    response={200: RegistrationOut, **problems(WRITE_ERRORS)},
)
def registration_check_in(
    request: HttpRequest, event_id: int, registration_id: int
) -> Registration:
    """Mark a confirmed person as arrived (in-person and hybrid events). Twice keeps the first."""
    token = write_token(request)
    # As the check-in page (workspace.views.checkin): co-hosts help at the door.
    registration = registration_of_or_404(
        event_of_or_404(token.organization, event_id, need=EventAccess.VIEW), registration_id
    )
    return attendee_services.registration_check_in(actor=token, registration=registration)
