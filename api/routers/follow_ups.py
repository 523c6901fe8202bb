"""/api/v1/events/{event_id}/follow-ups: the messages sent after the end (docs/attendance.md).

An event has at most one follow-up per audience (those who attended, those who missed it),
so each is addressed by its audience and written with PUT. Input goes through the
workspace's own ``FollowUpForm`` and ``follow_up_update``, so it is checked, scheduled and
audited exactly as on the follow-ups page; and, as that page, it needs ``EDIT`` access even
to read (a co-host that may only view gets 403).
"""

from django.http import Http404, HttpRequest
from django.utils.translation import gettext as _
from ninja import Router, Status

from api.auth import WRITE, request_token, write_token
from api.problems import ApiProblem
from api.responses import READ_ERRORS, WRITE_ERRORS, problems
from api.schemas import FollowUpAudience, FollowUpIn, FollowUpOut
from api.selectors import event_of_or_404
from events.models import Event
from notifications.models import ReminderRule
from notifications.reminders.follow_ups import follow_ups_for_event
from workspace.forms.attendance import FollowUpForm
from workspace.models import ApiToken
from workspace.selectors.events import EventAccess
from workspace.services.attendance import follow_up_update

router = Router(tags=["follow-ups"])

follow_up_path = "/events/{event_id}/follow-ups/{audience}"
# The form's field names, as the API calls them.
FIELD_NAMES = {"amount": "minutes_after", "unit": "minutes_after"}


def _event(token: ApiToken, event_id: int) -> Event:
    # As the follow-ups page (workspace.views.attendance.follow_ups).
    return event_of_or_404(token.organization, event_id, need=EventAccess.EDIT)


@router.get(
    "/events/{event_id}/follow-ups",
    response={200: list[FollowUpOut], **problems(READ_ERRORS | {403})},
)
def follow_up_list(request: HttpRequest, event_id: int) -> list[ReminderRule]:
    """The event's follow-ups, those who attended first; an audience without one is left out."""
    event = _event(request_token(request), event_id)
    return [rule for rule in follow_ups_for_event(event).values() if rule is not None]


@router.put(
    follow_up_path,
    auth=WRITE,
    response={200: FollowUpOut, 201: FollowUpOut, **problems(WRITE_ERRORS)},
)
def follow_up_put(
    request: HttpRequest, event_id: int, audience: FollowUpAudience, payload: FollowUpIn
) -> Status[ReminderRule]:
    """Write the follow-up for ``audience``: 201 when new, 200 when it replaced one.

    Each person gets it at most once: changing a follow-up already sent to someone does not
    send it to them again.
    """
    token = write_token(request)
    event = _event(token, event_id)
    form = FollowUpForm(
        {
            "amount": payload.minutes_after,
            "unit": "minutes",
            "subject": payload.subject,
            "message": payload.message,
        }
    )
    if not form.is_valid():
        raise ApiProblem(
            422,
            "validation_failed",
            "The request has invalid values; see errors.",
            errors=[
                {"location": "body", "field": FIELD_NAMES.get(field, field), "detail": message}
                for field, messages in form.errors.items()
                for message in messages
            ],
        )
    if not form.cleaned_data["message"].strip():
        raise ApiProblem(
            422,
            "validation_failed",
            "The request has invalid values; see errors.",
            errors=[
                {
                    "location": "body",
                    "field": "message",
                    "detail": _("Write a message; to send nothing, delete the follow-up."),
                }
            ],
        )
    existed = follow_ups_for_event(event)[audience] is not None
    follow_up_update(
        actor=token,
        event=event,
        audience=audience,
        minutes_after=form.cleaned_data["minutes_after"],
        subject=form.cleaned_data["subject"],
        message=form.cleaned_data["message"],
    )
    rule = follow_ups_for_event(event)[audience]
    assert rule is not None
    return Status(200 if existed else 201, rule)


@router.delete(follow_up_path, auth=WRITE, response={204: None, **problems(WRITE_ERRORS)})
def follow_up_delete(
    request: HttpRequest, event_id: int, audience: FollowUpAudience
) -> Status[None]:
    """Send nothing more to this audience; emails already sent stay sent."""
    token = write_token(request)
    event = _event(token, event_id)
    if follow_ups_for_event(event)[audience] is None:
        raise Http404("No such follow-up.")
    # An empty message removes it, as on the page.
    follow_up_update(
        actor=token, event=event, audience=audience, minutes_after=0, subject="", message=""
    )
    return Status(204, None)
