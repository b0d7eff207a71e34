"""factory_boy factories with valid defaults: a verified member with a complete profile."""

from __future__ import annotations

import factory
from allauth.account.models import EmailAddress
from django.utils import timezone

from members.models import Interest, Profile, User
from members.services import profile_refresh_complete
from pairing.models import Membership, Programme


class InterestFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Interest
        django_get_or_create = ("name",)

    name = factory.Sequence(lambda n: f"Topic {n}")


class ProfileFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Profile
        skip_postgeneration_save = True

    user = None
    display_name = factory.Faker("name")
    job_title = "Clinical librarian"
    role_band = "professional"
    sector = "health"
    organisation = factory.Sequence(lambda n: f"Library {n}")
    region = "north-west"
    time_zone = "Europe/London"
    experience = 2
    meeting_format = "online"
    availability = factory.LazyFunction(lambda: ["tue-morning", "thu-afternoon"])
    about = "I run a one-person hospital library."
    coc_accepted_at = factory.LazyFunction(timezone.now)
    privacy_accepted_at = factory.LazyFunction(timezone.now)
    wizard_done_at = factory.LazyFunction(timezone.now)

    @factory.post_generation
    def interests(self, create: bool, extracted: list[Interest] | None, **kwargs: object) -> None:
        if not create:
            return
        chosen = (
            extracted
            if extracted is not None
            else [InterestFactory(name="Systematic searching"), InterestFactory(name="Open access")]
        )
        self.interests.set(chosen)
        profile_refresh_complete(profile=self)


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"member{n}@example.org")
    password = factory.PostGenerationMethodCall("set_password", "correct horse battery")
    profile = factory.RelatedFactory(ProfileFactory, factory_related_name="user")

    @factory.post_generation
    def verified(self, create: bool, extracted: bool | None, **kwargs: object) -> None:
        if create:
            EmailAddress.objects.create(
                user=self, email=self.email, primary=True, verified=extracted is not False
            )
            self.save()


class ProgrammeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Programme

    name = factory.Sequence(lambda n: f"Programme {n}")
    description = "Monthly coffee chats."
    kind = "coffee"
    group_size = 2


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    programme = factory.SubFactory(ProgrammeFactory)
