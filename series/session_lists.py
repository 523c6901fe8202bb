"""What a series gives each session besides its fields: questions and reminder rules.

A new session gets copies of the series' lists (``session_lists_copy``). When the organizer
edits the series' lists, the edit is applied to every session still ahead, change by change
(``series_lists_apply``, docs/series.md, "Questions and reminders"): a question or reminder
added is added, one edited is edited where the session still has it as it was, one removed
is removed. What a session has of its own (a question added on its event page) stays. A
session question that registrants have answered is never deleted, so no answer is lost; it
is edited in place (its id, which keys the answers, stays).

Session questions are matched to the series' by label (the join form's answers are copied
the same way, ``series.services``), so two questions of a series never share a label.
"""

from dataclasses import dataclass
from datetime import datetime, time

from django.db import transaction
from django.utils import timezone

from events.models import QUESTION_CONTENT_FIELDS, Event, Question
from notifications.models import ReminderRule
from notifications.reminders.kinds import reminder_form_kind_names
from notifications.reminders.rules import DEFAULT_MINUTES_BEFORE
from notifications.reminders.services import (
    reminder_rule_delete,
    reminder_rule_save,
    reminder_rules_replace,
)
from registrations.models import Registration
from series.models import Series, SeriesQuestion, SeriesReminderRule


@dataclass(frozen=True)
class QuestionFields:
    label: str
    kind: str
    choices: str
    required: bool
    position: int


# A reminder rule is what it does: (kind, minutes before, local time).
RuleKey = tuple[str, int | None, time | None]


@dataclass(frozen=True)
class SeriesLists:
    """A series' questions and reminder rules as they are at one moment, by id."""

    questions: dict[int, QuestionFields]
    reminders: dict[int, RuleKey]


def series_lists_read(series: Series) -> SeriesLists:
    return SeriesLists(
        questions={
            question.pk: QuestionFields(
                label=question.label,
                kind=question.kind,
                choices=question.choices,
                required=question.required,
                position=question.position,
            )
            for question in SeriesQuestion.objects.filter(series=series)
        },
        reminders={
            rule.pk: (rule.kind, rule.minutes_before, rule.local_time)
            for rule in SeriesReminderRule.objects.filter(series=series)
        },
    )


def series_reminder_rules_create_defaults(*, series: Series) -> list[SeriesReminderRule]:
    """Give a new series the reminders every new event gets: a day and an hour before."""
    return SeriesReminderRule.objects.bulk_create(
        SeriesReminderRule(
            series=series, kind=ReminderRule.Kind.BEFORE_START, minutes_before=minutes
        )
        for minutes in DEFAULT_MINUTES_BEFORE
    )


def session_lists_copy(*, series: Series, event: Event) -> None:
    """Give a new session the series' questions, and its reminder rules instead of the
    default ones every new event is given."""
    Question.objects.bulk_create(
        Question(event=event, **{name: getattr(question, name) for name in QUESTION_CONTENT_FIELDS})
        for question in SeriesQuestion.objects.filter(series=series)
    )
    reminder_rules_replace(
        event=event,
        rules=[
            ReminderRule(
                kind=rule.kind, minutes_before=rule.minutes_before, local_time=rule.local_time
            )
            for rule in SeriesReminderRule.objects.filter(series=series)
        ],
    )


def series_lists_apply(
    *, series: Series, previous: SeriesLists, now: datetime | None = None
) -> list[Event]:
    """Apply the change from ``previous`` to the series' lists as they are now to every
    session still ahead (not begun, not cancelled); the sessions, in order. Call in the
    transaction that changed the lists."""
    now = now or timezone.now()
    current = series_lists_read(series)
    if current == previous:
        return []
    sessions = list(
        Event.objects.filter(series_session__series=series, starts_at__gt=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "id")
    )
    with transaction.atomic():
        for event in sessions:
            _apply_questions(event, previous.questions, current.questions)
            _apply_reminders(event, previous.reminders, current.reminders)
    return sessions


def _answered(event: Event, question: Question) -> bool:
    return Registration.objects.filter(event=event, answers__has_key=str(question.pk)).exists()


def _apply_questions(
    event: Event, before: dict[int, QuestionFields], after: dict[int, QuestionFields]
) -> None:
    by_label = {question.label: question for question in event.questions.all()}
    for pk, was in before.items():
        question = by_label.get(was.label)
        if question is None:
            continue  # changed or removed on the session's own page: the session's call
        now = after.get(pk)
        if now is None:
            if not _answered(event, question):
                question.delete()
                del by_label[was.label]
            continue
        if now != was:
            del by_label[was.label]
            question.label, question.kind = now.label, now.kind
            question.choices, question.required = now.choices, now.required
            question.position = now.position
            question.save()
            by_label[now.label] = question
    for pk, now in after.items():
        if pk not in before and now.label not in by_label:
            Question.objects.create(
                event=event,
                label=now.label,
                kind=now.kind,
                choices=now.choices,
                required=now.required,
                position=now.position,
            )


def _apply_reminders(event: Event, before: dict[int, RuleKey], after: dict[int, RuleKey]) -> None:
    rules = {
        (rule.kind, rule.minutes_before, rule.local_time): rule
        for rule in ReminderRule.objects.filter(event=event, kind__in=reminder_form_kind_names())
    }
    for pk, was in before.items():
        rule = rules.get(was)
        if rule is None or after.get(pk) == was:
            continue
        now = after.get(pk)
        del rules[was]
        if now is None or now in rules:
            reminder_rule_delete(rule=rule)
            continue
        rule.kind, rule.minutes_before, rule.local_time = now
        rules[now] = reminder_rule_save(rule=rule)
    for pk, now in after.items():
        if pk not in before and now not in rules:
            kind, minutes_before, local_time = now
            rules[now] = reminder_rule_save(
                rule=ReminderRule(
                    event=event, kind=kind, minutes_before=minutes_before, local_time=local_time
                )
            )
