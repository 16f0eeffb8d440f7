from django.db import models
from django.urls import reverse

from reviews_toolkit.content import (
    LinkChecked,
    Publishable,
    PublishableQuerySet,
    publish_permission,
    status_constraint,
)
from reviews_toolkit.richtext import http_url_validator


class ResourceType(models.TextChoices):
    PROCEDURE = "procedure", "Procedure"
    SEVEN_MINUTE_BRIEFING = "seven_minute_briefing", "7-minute briefing"
    ONE_MINUTE_GUIDE = "one_minute_guide", "One minute guide"
    TRAINING_VIDEO = "training_video", "Training video"
    E_LEARNING = "e_learning", "E-learning"
    TRAINING_COURSE = "training_course", "Training course"
    TOOLKIT = "toolkit", "Toolkit"
    NATIONAL_REPORT = "national_report", "National report"
    GUIDANCE = "guidance", "Guidance"
    WEBSITE = "website", "Website"
    PODCAST = "podcast", "Podcast"
    LEAFLET = "leaflet", "Leaflet"
    OTHER = "other", "Other"


class Scope(models.TextChoices):
    LOCAL = "local", "Local"
    NATIONAL = "national", "National"


class ResourceQuerySet(PublishableQuerySet):
    pass


class Resource(LinkChecked, Publishable):
    """A procedure, briefing, training video, national report ... practitioners can use."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=150, unique=True)
    url = models.URLField("URL", max_length=500, validators=[http_url_validator])
    resource_type = models.CharField(
        max_length=30, choices=ResourceType.choices, default=ResourceType.OTHER
    )
    scope = models.CharField(max_length=10, choices=Scope.choices, default=Scope.LOCAL)
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField(null=True, blank=True)
    summary = models.TextField(blank=True)
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="resources")

    objects = ResourceQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        permissions = [publish_permission("resource", "resources")]
        constraints = [
            status_constraint("resource"),
            models.CheckConstraint(
                condition=models.Q(resource_type__in=ResourceType.values),
                name="resource_type_valid",
            ),
            models.CheckConstraint(
                condition=models.Q(scope__in=Scope.values), name="resource_scope_valid"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="resource_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("resources:list") + f"#resource-{self.pk}"
