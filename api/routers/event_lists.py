"""An event's questions and reminder rules: list, add, remove.

Reading needs what the event's overview needs (``VIEW``: a co-host sees them); changing them
what the event form needs (``EDIT``), as in the workspace (docs/design.md, "Permissions").
"""

from django.http import HttpRequest
from ninja import Router, Status

from api.auth import WRITE, request_token, write_token
from api.responses import READ_ERRORS, WRITE_ERRORS, problems
from api.schemas import QuestionIn, QuestionOut, ReminderRuleIn, ReminderRuleOut
from api.selectors import (
    event_of_or_404,
    question_of_or_404,
    reminder_rule_of_or_404,
    reminder_rules_of,
)
from events.models import Question
from notifications.models import ReminderRule
from workspace.selectors.events import EventAccess
from workspace.services import events as event_services

router = Router()

NO_CONTENT = {204: None}


@router.get(
    "/events/{event_id}/questions",
    response={200: list[QuestionOut], **problems(READ_ERRORS)},
    tags=["questions"],
)
def question_list(request: HttpRequest, event_id: int) -> list[Question]:
    """The questions of the registration form, in order; answers are keyed by their id."""
    event = event_of_or_404(request_token(request).organization, event_id, need=EventAccess.VIEW)
    return list(event.questions.all())


@router.post(
    "/events/{event_id}/questions",
    auth=WRITE,
    response={201: QuestionOut, **problems(WRITE_ERRORS)},
    tags=["questions"],
)
def question_create(request: HttpRequest, event_id: int, payload: QuestionIn) -> Status[Question]:
    token = write_token(request)
    event = event_of_or_404(token.organization, event_id, need=EventAccess.EDIT)
    question = Question(
        event=event,
        label=payload.label,
        kind=payload.kind,
        choices="\n".join(choice.strip() for choice in payload.choices),
        required=payload.required,
        position=payload.position,
    )
    return Status(201, event_services.event_question_add(actor=token, question=question))


@router.delete(
    "/events/{event_id}/questions/{question_id}",
    auth=WRITE,
    response={**NO_CONTENT, **problems(WRITE_ERRORS)},
    tags=["questions"],
)
def question_delete(request: HttpRequest, event_id: int, question_id: int) -> Status[None]:
    token = write_token(request)
    question = question_of_or_404(
        event_of_or_404(token.organization, event_id, need=EventAccess.EDIT), question_id
    )
    event_services.event_question_delete(actor=token, question=question)
    return Status(204, None)


@router.get(
    "/events/{event_id}/reminder-rules",
    response={200: list[ReminderRuleOut], **problems(READ_ERRORS)},
    tags=["reminder rules"],
)
def reminder_rule_list(request: HttpRequest, event_id: int) -> list[ReminderRule]:
    event = event_of_or_404(request_token(request).organization, event_id, need=EventAccess.VIEW)
    return list(reminder_rules_of(event))


@router.post(
    "/events/{event_id}/reminder-rules",
    auth=WRITE,
    response={201: ReminderRuleOut, **problems(WRITE_ERRORS)},
    tags=["reminder rules"],
)
def reminder_rule_create(
    request: HttpRequest, event_id: int, payload: ReminderRuleIn
) -> Status[ReminderRule]:
    """Add a rule; registrants are rescheduled. A rule the event already has comes back as is."""
    token = write_token(request)
    event = event_of_or_404(token.organization, event_id, need=EventAccess.EDIT)
    rule = ReminderRule(
        event=event,
        kind=payload.kind,
        minutes_before=payload.minutes_before,
        local_time=payload.local_time,
    )
    return Status(201, event_services.event_reminder_rule_add(actor=token, rule=rule))


@router.delete(
    "/events/{event_id}/reminder-rules/{rule_id}",
    auth=WRITE,
    response={**NO_CONTENT, **problems(WRITE_ERRORS)},
    tags=["reminder rules"],
)
def reminder_rule_delete(request: HttpRequest, event_id: int, rule_id: int) -> Status[None]:
    token = write_token(request)
    rule = reminder_rule_of_or_404(
        event_of_or_404(token.organization, event_id, need=EventAccess.EDIT), rule_id
    )
    event_services.event_reminder_rule_delete(actor=token, rule=rule)
    return Status(204, None)
