"""Demo series for `make run` (run by seed_demo): a monthly audio room and a weekly reading
group. Idempotent: created once, then each run only generates sessions up to the horizon."""

from datetime import time
from typing import Any

from django.core.management.base import BaseCommand
from django.db import transaction
from django.utils import timezone

from events.models import Event, Organization
from series.models import Series
from series.services import series_generate
from series.session_lists import series_reminder_rules_create_defaults


class Command(BaseCommand):
    help = "Create the demo series and their upcoming sessions (safe to run again)."

    def handle(self, *args: Any, **options: Any) -> None:
        organization = Organization.objects.filter(slug="voices-for-change").first()
        if organization is None:
            self.stderr.write("Run seed_demo first: the demo organization is missing.")
            return
        first_of_month = timezone.localdate().replace(day=1)
        demo = [
            Series(
                organization=organization,
                slug="english-audio-room",
                title="English audio room",
                kind=Event.Kind.AUDIO_ROOM,
                description=(
                    "Our monthly audio room in English, for supporters in 40 countries: the "
                    "**second Sunday of every month at 11:00 New York time**, whatever your "
                    "clocks do."
                ),
                time_zone="America/New_York",
                starts_on=first_of_month,
                start_time=time(11, 0),
                duration_minutes=60,
                rrule="FREQ=MONTHLY;BYDAY=+2SU;COUNT=24",
                horizon_days=100,
                join_url="https://audio.example.org/rooms/english",
                joining_instructions="Open the link on your phone; raise your hand to speak.",
            ),
            Series(
                organization=organization,
                slug="weekly-reading-group",
                title="Weekly reading group at the Corner Bookstore",
                kind=Event.Kind.IN_PERSON,
                description="One chapter a week, read aloud and talked over. Tea is on us.",
                time_zone="America/New_York",
                starts_on=first_of_month,
                start_time=time(18, 30),
                duration_minutes=90,
                rrule="FREQ=WEEKLY;BYDAY=TH;COUNT=52",
                horizon_days=28,
                venue_name="Corner Bookstore",
                venue_address="120 Main Street\nBrooklyn, NY 11201",
                capacity=15,
            ),
        ]
        with transaction.atomic():
            for template in demo:
                series = Series.objects.filter(slug=template.slug).first()
                if series is None:
                    template.full_clean()
                    template.save()
                    series_reminder_rules_create_defaults(series=template)
                    series = template
                created = series_generate(series=series)
                self.stdout.write(f"{series.title}: {len(created)} new sessions.")
