"""How registrations react to changes of their event (wired in ``RegistrationsConfig.ready``)."""

from events.facts import EventChanged
from registrations.services import waitlist_promote


def promote_waitlist_when_capacity_changes(fact: EventChanged) -> None:
    if fact.capacity_changed:
        waitlist_promote(event=fact.event)
