"""Facts about registrations that other apps react to (see ``events.lifecycle``)."""

from dataclasses import dataclass

from registrations.models import Registration


@dataclass(frozen=True)
class RegistrationConfirmed:
    registration: Registration
    promoted_from_waitlist: bool = False
    # Created confirmed in this very transaction: nothing refers to it yet (no reminders,
    # no opt-out), so listeners may skip looking for what they would otherwise reconcile.
    created: bool = False


@dataclass(frozen=True)
class RegistrationWaitlisted:
    registration: Registration
    # A new registration, rather than a pending one approved when no seat was free.
    created: bool = False


@dataclass(frozen=True)
class RegistrationPending:
    registration: Registration


@dataclass(frozen=True)
class RegistrationRepeated:
    """The same email registered again: the person probably lost the first email."""

    registration: Registration


@dataclass(frozen=True)
class RegistrationRejected:
    """The organizers declined a pending registration (it is cancelled, no seat was held).

    Publish this instead of ``RegistrationCancelled`` so the person hears "declined", not
    "you cancelled".
    """

    registration: Registration


@dataclass(frozen=True)
class RegistrationCancelled:
    registration: Registration
    previous_status: str


@dataclass(frozen=True)
class RegistrationCheckedIn:
    """A confirmed person was marked as arrived (at the door, or added as a walk-in)."""

    registration: Registration


@dataclass(frozen=True)
class RegistrationTimeZoneChanged:
    registration: Registration
    previous_time_zone: str
