import datetime

import factory

from content.models import Status
from practice_points.models import PracticePoint, Review, ReviewType
from resources.models import Resource, ResourceType, Scope
from themes.models import Agency, PracticeWeek, PracticeWeekDay, Theme, ThemeKind


class ThemeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Theme

    name = factory.Sequence(lambda n: f"Test theme {n}")
    slug = factory.Sequence(lambda n: f"test-theme-{n}")
    kind = ThemeKind.TOPIC
    summary = "A theme for tests."
    status = Status.PUBLISHED


class AgencyFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Agency

    name = factory.Sequence(lambda n: f"Test agency {n}")
    slug = factory.Sequence(lambda n: f"test-agency-{n}")


class ReviewFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Review

    title = factory.Sequence(lambda n: f"Child T{n}")
    slug = factory.Sequence(lambda n: f"child-t{n}")
    review_type = ReviewType.LCSPR
    partnership = "Test Safeguarding Children Partnership"
    published_on = datetime.date(2024, 1, 15)
    summary = "A review for tests."
    status = Status.PUBLISHED


class ResourceFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Resource

    title = factory.Sequence(lambda n: f"Test resource {n}")
    slug = factory.Sequence(lambda n: f"test-resource-{n}")
    url = factory.Sequence(lambda n: f"https://example.org/resource/{n}")
    resource_type = ResourceType.PROCEDURE
    scope = Scope.LOCAL
    status = Status.PUBLISHED


class PracticePointFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticePoint

    slug = factory.Sequence(lambda n: f"test-point-{n}")
    text = factory.Sequence(lambda n: f"Test learning point number {n}.")
    guidance = "Test guidance."
    review = factory.SubFactory(ReviewFactory)
    position = factory.Sequence(lambda n: n)
    status = Status.PUBLISHED

    @factory.post_generation
    def themes(self, create, extracted, **kwargs):
        if create and extracted:
            self.themes.set(extracted)

    @factory.post_generation
    def agencies(self, create, extracted, **kwargs):
        if create and extracted:
            self.agencies.set(extracted)


class PracticeWeekFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeWeek

    title = factory.Sequence(lambda n: f"Practice week {n}")
    slug = factory.Sequence(lambda n: f"practice-week-{n}")
    partnership = "Test partnership"
    start_date = datetime.date(2030, 6, 24)
    status = Status.PUBLISHED


class PracticeWeekDayFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = PracticeWeekDay

    week = factory.SubFactory(PracticeWeekFactory)
    weekday = "monday"
    title = "A day"
