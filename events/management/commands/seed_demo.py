"""Demo data for `make run`: one campaign, three events always in the future (the webinar in
English and Persian), and a bookstore that co-hosts the evening of readings. Idempotent."""

from datetime import date, datetime, time, timedelta
from typing import Any
from zoneinfo import ZoneInfo

from django.contrib.auth import get_user_model
from django.core.management import call_command, get_commands
from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.admin_access import organizer_admin_access_grant
from events.models import (
    CoHost,
    CoSponsor,
    Event,
    Membership,
    Organization,
    PrivacyStatement,
    Question,
    Speaker,
)
from events.services import event_save, event_translation_save

DEMO_ORGANIZER_EMAIL = "organizer@example.org"
DEMO_ORGANIZER_PASSWORD = "convene-demo"  # noqa: S105 - printed as dev-only demo credentials
DEMO_BOOKSTORE_EMAIL = "bookstore@example.org"
DEMO_PRIVACY_STATEMENTS = {
    "en": (
        "We keep your name and email only to send you this event's details, and erase them "
        "90 days after the event. We never share them."
    ),
    "fa": (
        "نام و ایمیل شما را فقط برای فرستادن جزئیات همین رویداد نگه می‌داریم و ۹۰ روز پس از "
        "پایان رویداد پاک می‌کنیم. آن‌ها را در اختیار هیچ‌کس نمی‌گذاریم."  # noqa: RUF001 - Persian text
    ),
}


def _next_weekday(start: date, weekday: int) -> date:
    return start + timedelta(days=(weekday - start.weekday()) % 7 or 7)


def _at(day: date, clock: time, zone: str) -> datetime:
    return datetime.combine(day, clock, tzinfo=ZoneInfo(zone)).astimezone(ZoneInfo("UTC"))


class Command(BaseCommand):
    help = "Create the demo organization, organizer and events (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        with transaction.atomic():
            organization = self._organization()
            self._organizer(organization)
            self._webinar(organization)
            self._webinar_in_persian()
            self._audio_room(organization)
            self._bookstore_program(organization)
            self._bookstore_cohosts()
        # The series app sits above events (docs/design.md, "Apps and layers"): its demo
        # data is its own command, called by name rather than imported.
        if "seed_demo_series" in get_commands():
            call_command("seed_demo_series", stdout=self.stdout, stderr=self.stderr)
        self.stdout.write(self.style.SUCCESS("Demo data ready."))
        self.stdout.write(
            f"Dev-only organizer login: {DEMO_ORGANIZER_EMAIL} / {DEMO_ORGANIZER_PASSWORD}"
        )
        self.stdout.write(
            f"Co-hosting bookstore's owner: {DEMO_BOOKSTORE_EMAIL} / {DEMO_ORGANIZER_PASSWORD}"
        )

    def _organization(self) -> Organization:
        organization, _ = Organization.objects.get_or_create(
            slug="voices-for-change",
            # A campaign whose supporters may be at risk: who registered stays private
            # (README: Attendee privacy) and registering asks for consent (docs/privacy.md).
            # Only on creation, so turning either off sticks.
            defaults={
                "name": "Voices for Change",
                "attendee_privacy": True,
                "consent_required": True,
                "contact_email": "hello@example.org",
                "description": "A campaign that brings supporters together across borders.",
                "time_zone": "America/Los_Angeles",
            },
        )
        for language, text in DEMO_PRIVACY_STATEMENTS.items():
            PrivacyStatement.objects.get_or_create(
                organization=organization, language=language, defaults={"text": text}
            )
        return organization

    def _owner(self, organization: Organization, email: str) -> None:
        from allauth.account.models import EmailAddress

        user_model = get_user_model()
        user = user_model.objects.filter(email=email).first()
        if user is None:
            user = user_model.objects.create_user(email=email, password=DEMO_ORGANIZER_PASSWORD)
        EmailAddress.objects.update_or_create(
            user=user, email=email, defaults={"verified": True, "primary": True}
        )
        Membership.objects.get_or_create(
            organization=organization, user=user, defaults={"role": Membership.Role.OWNER}
        )

    def _organizer(self, organization: Organization) -> None:
        self._owner(organization, DEMO_ORGANIZER_EMAIL)
        # Staff with the Organizers group: the admin, scoped to the demo organization.
        organizer_admin_access_grant(user=get_user_model().objects.get(email=DEMO_ORGANIZER_EMAIL))

    def _bookstore_cohosts(self) -> None:
        """The Corner Bookstore, on Convene too, co-hosts the evening of readings."""
        bookstore, _ = Organization.objects.get_or_create(
            slug="corner-bookstore",
            defaults={
                "name": "Corner Bookstore",
                "contact_email": "books@example.org",
                "description": "An independent bookstore in Brooklyn with readings every month.",
                "time_zone": "America/New_York",
            },
        )
        self._owner(bookstore, DEMO_BOOKSTORE_EMAIL)
        event = Event.objects.get(slug="bookstore-evening-readings")
        CoHost.objects.get_or_create(
            event=event,
            organization=bookstore,
            defaults={"status": CoHost.Status.ACCEPTED, "accepted_at": timezone.now()},
        )

    def _upsert(self, organization: Organization, slug: str, **fields: Any) -> Event | None:
        """Create the event once; on later runs move it forward only if it is in the past."""
        event = Event.objects.filter(slug=slug).first()
        if event is not None and event.ends_at > timezone.now():
            return None
        if event is None:
            event = Event(organization=organization, slug=slug)
        for name, value in fields.items():
            setattr(event, name, value)
        event_save(event=event)
        return event

    def _webinar(self, organization: Organization) -> None:
        zone = "America/Los_Angeles"
        sunday = _next_weekday(timezone.localdate(timezone=ZoneInfo(zone)), 6) + timedelta(days=7)
        starts_at = _at(sunday, time(14, 0), zone)
        event = self._upsert(
            organization,
            "sunday-webinar-organizing-across-borders",
            title="Organizing across borders",
            kind=Event.Kind.WEBINAR,
            time_zone=zone,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(minutes=90),
            description=(
                "A Sunday afternoon webinar on **building campaigns with supporters in many "
                "countries**: tools, time zones and trust.\n\n- Q&A at the end\n- Recording sent"
                " to registrants"
            ),
            join_url="https://meet.example.org/organizing-across-borders",
            joining_instructions="Join five minutes early; the passcode is 2468.",
            language="en",
            status=Event.Status.PUBLISHED,
        )
        if event is not None:
            self._webinar_follow_ups(event)
        if event is not None and not event.speakers.exists():
            for position, (name, bio) in enumerate(
                [
                    ("Shirin Ahmadi", "Campaign director, ten years of diaspora organizing."),
                    ("Daniel Okafor", "Builds volunteer programs across three continents."),
                    ("Mina Rostami", "Digital security trainer for civil-society groups."),
                ]
            ):
                Speaker.objects.create(event=event, name=name, bio=bio, position=position)
            for position, (name, url) in enumerate(
                [
                    ("Open Bookshop Collective", "https://bookshop.example.org"),
                    ("Diaspora Futures", "https://diaspora.example.org"),
                ]
            ):
                CoSponsor.objects.create(event=event, name=name, url=url, position=position)

    def _webinar_in_persian(self) -> None:
        """The webinar in both languages, with a question (docs/i18n.md, "One event, several
        languages"): a Persian reader sees it, its form and their emails in Persian."""
        event = Event.objects.get(slug="sunday-webinar-organizing-across-borders")
        question, _ = Question.objects.get_or_create(
            event=event,
            label="Where are you joining from?",
            defaults={
                "kind": Question.Kind.SINGLE_CHOICE,
                "choices": "Iran\nEurope\nNorth America\nSomewhere else",
                "required": True,
            },
        )
        event_translation_save(
            event=event,
            language="fa",
            texts={
                "title": "سازمان‌دهی فراتر از مرزها",
                "description": (
                    "وبیناری در بعدازظهر یکشنبه درباره‌ی **ساختن کارزار با هوادارانی در "
                    "کشورهای گوناگون**: ابزارها، منطقه‌های زمانی و اعتماد.\n\n"
                    "- پرسش و پاسخ در پایان\n- فایل ضبط‌شده برای ثبت‌نام‌کنندگان فرستاده "
                    "می‌شود"
                ),
                "joining_instructions": "پنج دقیقه زودتر وارد شوید؛ رمز ورود 2468 است.",
            },
            question_texts={
                question.pk: (
                    "از کجا به جلسه می‌پیوندید؟",
                    "ایران\nاروپا\nآمریکای شمالی\nجای دیگر",  # noqa: RUF001 - Persian text
                )
            },
        )

    def _webinar_follow_ups(self, event: Event) -> None:
        """The "Recording sent to registrants" the description promises (docs/attendance.md)."""
        # The seed builds the whole demo site, so it reaches above events (docs/design.md,
        # "Apps and layers"); nothing in the events app itself does.
        from notifications.reminders.follow_ups import follow_up_save

        recording = "https://video.example.org/organizing-across-borders"
        follow_up_save(
            event=event,
            audience="attended",
            minutes_after=120,
            subject="Recording: Organizing across borders",
            message=(
                "Thank you for joining us! The recording and the slides are here:\n"
                f"{recording}\n\nThe Voices for Change team"
            ),
        )
        follow_up_save(
            event=event,
            audience="absent",
            minutes_after=120,
            subject="You missed it, here is the recording",
            message=(
                "We missed you on Sunday. Watch the recording whenever it suits you:\n"
                f"{recording}\n\nThe Voices for Change team"
            ),
        )

    def _audio_room(self, organization: Organization) -> None:
        today = timezone.now().date()
        first_of_next_month = (today.replace(day=1) + timedelta(days=32)).replace(day=1)
        starts_at = _at(first_of_next_month + timedelta(days=14), time(17, 0), "UTC")
        self._upsert(
            organization,
            "monthly-audio-room",
            title="Monthly audio room: open conversation",
            kind=Event.Kind.AUDIO_ROOM,
            time_zone="UTC",
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=1),
            description="Our monthly open audio room for supporters everywhere. Bring questions.",
            join_url="https://audio.example.org/rooms/voices-monthly",
            joining_instructions="Open the link on your phone; raise your hand to speak.",
            status=Event.Status.PUBLISHED,
        )

    def _bookstore_program(self, organization: Organization) -> None:
        zone = "America/New_York"
        thursday = _next_weekday(timezone.localdate(timezone=ZoneInfo(zone)), 3) + timedelta(
            days=14
        )
        starts_at = _at(thursday, time(19, 0), zone)
        self._upsert(
            organization,
            "bookstore-evening-readings",
            title="Evening of readings at the Corner Bookstore",
            kind=Event.Kind.IN_PERSON,
            time_zone=zone,
            starts_at=starts_at,
            ends_at=starts_at + timedelta(hours=2),
            description="Readings and conversation. Seats are limited; tea is on us.",
            venue_name="Corner Bookstore",
            venue_address="120 Main Street\nBrooklyn, NY 11201",
            capacity=40,
            status=Event.Status.PUBLISHED,
        )
