from io import StringIO

import pytest
from django.core.management import call_command

from events.models import Event
from events.timezones import utc_to_local
from series.models import Series, SeriesSession

pytestmark = pytest.mark.django_db


def test_seed_demo_makes_the_two_demo_series_once() -> None:
    call_command("seed_demo", stdout=StringIO())
    sessions = SeriesSession.objects.count()
    call_command("seed_demo", stdout=StringIO())

    assert SeriesSession.objects.count() == sessions >= 4
    audio = Series.objects.get(slug="english-audio-room")
    for event in Event.objects.filter(series_session__series=audio):
        local = utc_to_local(event.starts_at, "America/New_York")
        assert (local.weekday(), local.hour, local.minute) == (6, 11, 0)
        assert 8 <= local.day <= 14  # the second Sunday
    assert Series.objects.get(slug="weekly-reading-group").sessions.count() >= 3
