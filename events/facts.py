"""Facts about events that other apps react to (see ``events.lifecycle``)."""

from dataclasses import dataclass
from datetime import datetime

from events.models import Event


@dataclass(frozen=True)
class EventCreated:
    event: Event


@dataclass(frozen=True)
class EventChanged:
    """A published event was edited; ``previous`` holds the old values of changed fields."""

    event: Event
    previous: dict[str, object]

    @property
    def moved(self) -> bool:
        """Time or place changed: what a calendar invite must follow."""
        return bool(
            set(self.previous)
            & {"starts_at", "ends_at", "venue_name", "venue_address", "join_url", "kind"}
        )

    @property
    def capacity_changed(self) -> bool:
        return "capacity" in self.previous


@dataclass(frozen=True)
class EventCancelled:
    event: Event
    cancelled_at: datetime
    # The organizers' words to registrants, as typed (plain text; escaped where shown).
    message: str = ""
