"""An event's text in other languages, written from the workspace."""

from django.db import transaction

from events import services
from events.models import Event, EventTranslation
from workspace.audit import Actor, audit_record


def event_translation_save(
    *,
    actor: Actor,
    event: Event,
    language: str,
    texts: dict[str, str],
    question_texts: dict[int, tuple[str, str]],
) -> EventTranslation:
    """Save the event's title, description, venue and questions in ``language``, logged."""
    with transaction.atomic():
        translation = services.event_translation_save(
            event=event, language=language, texts=texts, question_texts=question_texts
        )
        audit_record(
            actor=actor,
            action="event.translated",
            organization=event.organization,
            event=event,
            details={"language": language},
        )
    return translation
