"""Series use cases: generate sessions, register once for all, leave, edit later, end.

Concurrency (docs/series.md, "Safe to run twice"): every use case that creates sessions or
registers someone for all of them first locks the series row (``FOR NO KEY UPDATE``). So the
generator never runs twice at once for one series, and a person joining the series and a
session being generated are ordered: whichever comes second sees the other's rows, and the
person is registered into the new session exactly once. The unique constraints back this in
the database: one session per (series, occurrence), one registration per (event, email).
Seats stay per session: every registration goes through
``registrations.services.registration_create`` and its seat claim (docs/design.md,
"Capacity").
"""

from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from typing import Any

from django.db import IntegrityError, transaction
from django.utils import timezone

from config.languages import default_language
from events.models import Event
from events.services import event_cancel, event_save, event_snapshot, unique_event_slug
from events.timezones import utc_to_local
from registrations.models import Registration
from registrations.selectors import normalize_email
from registrations.services import (
    Consent,
    RegistrationError,
    RegistrationResult,
    registration_cancel,
    registration_create,
)
from series.emails import series_welcome_email_send
from series.models import Series, SeriesRegistration, SeriesSession
from series.recurrence import has_dates_from, occurrence_dates, session_times
from series.session_lists import session_lists_copy

# Fields a session takes from its series (besides its times).
SHARED_FIELDS = (
    "title",
    "kind",
    "description",
    "time_zone",
    "venue_name",
    "venue_address",
    "join_url",
    "joining_instructions",
    "capacity",
)


def series_lock(*, series: Series) -> Series:
    """The series row, locked against generators and joins until the transaction ends."""
    # NO KEY: new sessions and series registrations may still point at the row meanwhile.
    return Series.objects.select_for_update(no_key=True).get(pk=series.pk)


def _today_in(series: Series, now: datetime) -> date:
    return utc_to_local(now, series.time_zone).date()


def series_due_dates(*, series: Series, now: datetime, since: date | None = None) -> list[date]:
    """Local dates of the sessions that should exist now (docs/series.md, "Sessions are
    generated over a rolling horizon"): from today up to ``horizon_days`` ahead and, when
    ``horizon_sessions`` is set, only the first that many of those not yet begun, whichever
    limit comes first. ``since`` leaves out earlier dates (they still count towards the limit).
    """
    today = _today_in(series, now)
    dates = occurrence_dates(
        series.rrule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        extra=series.extra_date_list(),
        skipped=series.skipped_date_set(),
        since=today,
        until=today + timedelta(days=series.horizon_days),
    )
    if series.horizon_sessions is not None:
        # Today's session counts only if it has not begun: "the next 3 sessions" means 3
        # that a person can still join.
        if dates and dates[0] == today and _session_start(series, today) <= now:
            dates = dates[1:]
        dates = dates[: series.horizon_sessions]
    return [day for day in dates if day >= (since or today)]


def _session_start(series: Series, day: date) -> datetime:
    starts_at, _ends_at = session_times(
        day,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
        time_zone=series.time_zone,
    )
    return starts_at


def series_is_over(*, series: Series, now: datetime) -> bool:
    """Ended, or its recurrence has no date from today on and no session is still ahead."""
    if not series.is_active:
        return True
    if upcoming_sessions(series, now=now):
        return False
    return not has_dates_from(
        series.rrule,
        starts_on=series.starts_on,
        start_time=series.start_time,
        extra=series.extra_date_list(),
        skipped=series.skipped_date_set(),
        since=_today_in(series, now),
    )


def _session_event(series: Series, occurrence: date) -> Event:
    starts_at, ends_at = session_times(
        occurrence,
        start_time=series.start_time,
        duration_minutes=series.duration_minutes,
        time_zone=series.time_zone,
    )
    title = series.title
    event = Event(
        organization=series.organization,
        slug=unique_event_slug(f"{title} {occurrence:%Y-%m-%d}", fallback=series.slug),
        starts_at=starts_at,
        ends_at=ends_at,
        status=Event.Status.PUBLISHED,
    )
    for name in SHARED_FIELDS:
        setattr(event, name, getattr(series, name))
    return event


def _create_session(series: Series, occurrence: date, now: datetime) -> Event | None:
    """The session for ``occurrence``, or None if it exists already or has begun."""
    event = _session_event(series, occurrence)
    if event.starts_at <= now:
        return None
    try:
        with transaction.atomic():
            event_save(event=event)
            SeriesSession.objects.create(series=series, event=event, occurrence=occurrence)
    except IntegrityError:
        # Another generator made it first (only possible without the series lock).
        return None
    session_lists_copy(series=series, event=event)
    return event


def series_generate(*, series: Series, now: datetime | None = None) -> list[Event]:
    """Create the sessions due up to the horizon that do not exist yet; register everyone
    registered for the whole series into each. Safe to run twice, and concurrently."""
    now = now or timezone.now()
    created: list[Event] = []
    with transaction.atomic():
        series = series_lock(series=series)
        if not series.is_active:
            return created
        existing = set(series.sessions.values_list("occurrence", flat=True))
        members = list(
            series.registrations.filter(
                status=SeriesRegistration.Status.ACTIVE, erased_at__isnull=True
            )
        )
        for occurrence in series_due_dates(series=series, now=now):
            if occurrence in existing:
                continue
            event = _create_session(series, occurrence, now)
            if event is None:
                continue
            created.append(event)
            for member in members:
                _register_into(member, event)
    return created


def _session_answers(member: SeriesRegistration, event: Event) -> dict[str, Any]:
    """The series answers, keyed by this session's own question ids (matched by label)."""
    by_label = {question.label: question for question in member.series.questions.all()}
    answers: dict[str, Any] = {}
    for question in event.questions.all():
        series_question = by_label.get(question.label)
        if series_question is not None:
            answers[str(question.pk)] = member.answers.get(str(series_question.pk))
    return answers


def _register_into(member: SeriesRegistration, event: Event) -> RegistrationResult | None:
    try:
        return registration_create(
            event=event,
            name=member.name,
            email=member.email,
            time_zone=member.time_zone,
            language=member.language,
            answers=_session_answers(member, event),
            consent=Consent(text=member.consent_text, language=member.consent_language)
            if member.consent_text
            else None,
        )
    except RegistrationError:
        # Registration for that session closed (or opens later): nothing to join there.
        return None


def upcoming_sessions(series: Series, *, now: datetime | None = None) -> list[Event]:
    now = now or timezone.now()
    return list(
        Event.objects.filter(series_session__series=series, starts_at__gt=now)
        .exclude(status=Event.Status.CANCELLED)
        .order_by("starts_at", "id")
    )


@dataclass
class SeriesJoinResult:
    series_registration: SeriesRegistration
    created: bool
    sessions: list[RegistrationResult] = field(default_factory=list)


def series_register(
    *,
    series: Series,
    name: str,
    email: str,
    time_zone: str,
    language: str | None = None,
    answers: dict[str, Any] | None = None,
    consent: Consent | None = None,
) -> SeriesJoinResult:
    """Register a person for every upcoming session, and for each session generated later.

    Each session gets an ordinary registration (a seat or its waitlist, its own emails,
    invite and reminders). The person is emailed their link to leave the series. Joining
    again with the same address returns the existing series registration and adds it only
    to sessions it is not in yet (one left alone, say); nothing else is sent.
    """
    with transaction.atomic():
        series = series_lock(series=series)
        member = SeriesRegistration(
            series=series,
            name=name,
            email=email.strip(),
            email_normalized=normalize_email(email),
            time_zone=time_zone,
            language=language or default_language(),
            answers=answers or {},
            consent_text=consent.text if consent else "",
            consent_language=consent.language if consent else "",
        )
        created = True
        try:
            with transaction.atomic():
                member.full_clean(validate_constraints=False)
                member.save()
        except IntegrityError:
            member = SeriesRegistration.objects.get(
                series=series,
                email_normalized=member.email_normalized,
                status=SeriesRegistration.Status.ACTIVE,
            )
            created = False
        # Sessions the address is already in (alone, or by an earlier join) stay as they
        # are: no second confirmation for them.
        already = set(
            Registration.objects.filter(
                event__series_session__series=series,
                email_normalized=member.email_normalized,
                status__in=Registration.ACTIVE_STATUSES,
            ).values_list("event_id", flat=True)
        )
        results = [
            result
            for event in upcoming_sessions(series)
            if event.pk not in already and (result := _register_into(member, event)) is not None
        ]
        if created:
            series_welcome_email_send(series_registration=member)
    return SeriesJoinResult(series_registration=member, created=created, sessions=results)


def series_registration_leave(*, series_registration: SeriesRegistration) -> list[Registration]:
    """Leave the whole series: every future session's registration is cancelled (CANCEL
    invites to whoever had a seat), and no new session adds the person again."""
    cancelled: list[Registration] = []
    with transaction.atomic():
        series = series_lock(series=series_registration.series)
        member = SeriesRegistration.objects.select_for_update().get(pk=series_registration.pk)
        if member.is_active:
            member.status = SeriesRegistration.Status.LEFT
            member.left_at = timezone.now()
            member.save(update_fields=["status", "left_at"])
        future = Registration.objects.filter(
            event__series_session__series=series,
            event__starts_at__gt=timezone.now(),
            email_normalized=member.email_normalized,
            status__in=Registration.ACTIVE_STATUSES,
        ).order_by("event__starts_at")
        for registration in future:
            cancelled.append(registration_cancel(registration=registration))
    return cancelled


def series_update_from(
    *, series: Series, occurrence: date, previous_rrule: str | None = None
) -> list[Event]:
    """Apply the (already edited, unsaved) series to the session of ``occurrence`` and every
    later one: "this and all later sessions".

    Sessions that still fall on the recurrence move to its new time and take the shared
    fields; those with registrants get the update (and a new invite) as any edited event
    does. Later sessions the new recurrence no longer has are cancelled (registrants are told)
    or, when nobody ever registered, deleted. Missing dates are then generated. Earlier
    sessions stay as they were: the recurrence restarts at ``occurrence``.
    """
    now = timezone.now()
    with transaction.atomic():
        series_lock(series=series)
        if previous_rrule is not None and previous_rrule != series.rrule:
            series.starts_on = occurrence
        series.full_clean()
        series.save()
        later = list(
            SeriesSession.objects.filter(series=series, occurrence__gte=occurrence)
            .select_related("event")
            .order_by("occurrence")
        )
        # Sessions the recurrence still has stay, even beyond a horizon that was shortened:
        # the horizon says how far ahead to create, never what to take away.
        wanted = set(
            occurrence_dates(
                series.rrule,
                starts_on=series.starts_on,
                start_time=series.start_time,
                extra=series.extra_date_list(),
                skipped=series.skipped_date_set(),
                since=occurrence,
                until=later[-1].occurrence if later else occurrence,
            )
        )
        moved: list[Event] = []
        for link in later:
            event = link.event
            if event.has_ended or event.is_cancelled:
                continue
            if link.occurrence not in wanted:
                _drop_session(link)
                continue
            previous = event_snapshot(event)
            for name in SHARED_FIELDS:
                setattr(event, name, getattr(series, name))
            event.starts_at, event.ends_at = session_times(
                link.occurrence,
                start_time=series.start_time,
                duration_minutes=series.duration_minutes,
                time_zone=series.time_zone,
            )
            moved.append(event_save(event=event, previous=previous))
        series_generate(series=series, now=now)
    return moved


def _drop_session(link: SeriesSession) -> None:
    """A session the recurrence no longer has: cancelled if anyone ever registered (they
    are told), otherwise deleted."""
    event = link.event
    if event.registrations.exists():
        event_cancel(event=event)
        return
    link.delete()
    event.delete()


def series_end(*, series: Series, message: str = "") -> list[Event]:
    """End the series: no more sessions are generated, and every future session is cancelled
    (its registrants get the cancellation, with ``message``)."""
    with transaction.atomic():
        series = series_lock(series=series)
        cancelled = [
            event_cancel(event=event, message=message) for event in upcoming_sessions(series)
        ]
        if series.is_active:
            series.status = Series.Status.ENDED
            series.ended_at = timezone.now()
            series.save(update_fields=["status", "ended_at"])
    return cancelled


def series_generate_all(*, now: datetime | None = None) -> int:
    """Run the generator for every active series; the number of sessions created."""
    total = 0
    for series in Series.objects.filter(status=Series.Status.ACTIVE).order_by("pk"):
        total += len(series_generate(series=series, now=now))
    return total
