"""What every reminder rule shares, whatever its kind: who gets reminders, and the rules a
new event starts with. No database access.

What a rule of each kind means — its due time, validation, wording and form fields — lives
with the kind, in ``notifications.reminders.kinds``.
"""

from registrations.models import Registration

MINUTES_PER_DAY = 24 * 60

# Rules every new event starts with: one day and one hour before the start.
DEFAULT_MINUTES_BEFORE = (MINUTES_PER_DAY, 60)


def reminder_unwanted_reason(*, status: str, event_cancelled: bool, opted_out: bool) -> str | None:
    """Why a registration should get no reminders now, or None if it should.

    Only confirmed registrants of an event that is not cancelled, who have not unsubscribed,
    are reminded: the schedule, the dispatcher and the sender all ask this.
    """
    if event_cancelled:
        return "the event was cancelled"
    if status != Registration.Status.CONFIRMED:
        return "the registration stopped being confirmed"
    if opted_out:
        return "the registrant unsubscribed from reminders"
    return None
