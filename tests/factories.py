from datetime import timedelta

import factory
from django.utils import timezone

from accounts.models import User
from events.models import CoSponsor, Event, Membership, Organization, Question, Speaker
from notifications.models import OutboxEmail, ReminderRule
from registrations.models import Registration
from registrations.services import registration_create


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"user{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")

    @factory.post_generation
    def save_password(self, create: bool, extracted: object, **kwargs: object) -> None:
        if create:
            self.save()


class OrganizationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organization

    name = factory.Sequence(lambda n: f"Organization {n}")
    slug = factory.Sequence(lambda n: f"organization-{n}")


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    organization = factory.SubFactory(OrganizationFactory)
    user = factory.SubFactory(UserFactory)
    role = Membership.Role.ORGANIZER


class EventFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Event

    organization = factory.SubFactory(OrganizationFactory)
    title = factory.Sequence(lambda n: f"Event {n}")
    slug = factory.Sequence(lambda n: f"event-{n}")
    kind = Event.Kind.WEBINAR
    description = "A **good** event."
    starts_at = factory.LazyFunction(lambda: timezone.now() + timedelta(days=7))
    ends_at = factory.LazyAttribute(lambda event: event.starts_at + timedelta(hours=1))
    time_zone = "America/Los_Angeles"
    join_url = "https://meet.example.org/secret-room"
    joining_instructions = "Passcode 1234"
    status = Event.Status.PUBLISHED
    # Off unless a test is about quiet hours (tests/notifications/test_reminder_quiet_hours.py):
    # the other tests' due times are the rules' own arithmetic.
    quiet_hours_enabled = False


class QuestionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Question

    event = factory.SubFactory(EventFactory)
    label = factory.Sequence(lambda n: f"Question {n}?")
    kind = Question.Kind.SHORT_TEXT
    required = False


class RegistrationFactory(factory.django.DjangoModelFactory):
    """A registration row as the services would leave it (no seat is claimed).

    Pass ``created_at=`` to backdate it.
    """

    class Meta:
        model = Registration
        skip_postgeneration_save = True

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Registrant {n}")
    email = factory.Sequence(lambda n: f"registrant{n}@example.org")
    email_normalized = factory.LazyAttribute(lambda registration: registration.email.lower())
    time_zone = "Europe/Berlin"
    status = Registration.Status.CONFIRMED
    confirmed_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def created_at(self, create: bool, extracted: object, **kwargs: object) -> None:
        # auto_now_add ignores a value passed to create(); set it afterwards.
        if create and extracted is not None:
            Registration.objects.filter(pk=self.pk).update(created_at=extracted)
            self.created_at = extracted


class OutboxEmailFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = OutboxEmail

    kind = OutboxEmail.Kind.CONFIRMATION
    registration = factory.SubFactory(RegistrationFactory)
    recipient = factory.LazyAttribute(lambda email: email.registration.email)
    message_id = factory.Sequence(lambda n: f"<test-{n}@convene.test>")


class SpeakerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Speaker

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Speaker {n}")
    bio = "Talks about things."


class CoSponsorFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = CoSponsor

    event = factory.SubFactory(EventFactory)
    name = factory.Sequence(lambda n: f"Co-sponsor {n}")
    url = "https://cosponsor.example.org"


class ReminderRuleFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = ReminderRule

    event = factory.SubFactory(EventFactory)
    kind = ReminderRule.Kind.BEFORE_START
    minutes_before = 60


def register(event: Event, email: str, **overrides: object) -> Registration:
    """A registration made the way a person makes it (through the service, counters kept)."""
    fields = {"name": "Ana", "email": email, "time_zone": "Asia/Tehran", **overrides}
    return registration_create(event=event, **fields).registration  # type: ignore[arg-type]
