from django.db import models
from django.urls import reverse

from content import areas, registry
from content.models import (
    LinkChecked,
    Publishable,
    PublishableQuerySet,
    publish_permission,
    status_constraint,
)
from content.richtext import http_url_validator


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
    """Kept for filters and the API: set from ``area`` on save (``National`` or not)."""

    LOCAL = "local", "From an area"
    NATIONAL = "national", "National"


class LinkKind(models.TextChoices):
    DOCUMENT = "document", "The document's own address"
    PUBLISHER_WEBSITE = "publisher_website", "Publisher's website: search for the title there"


PUBLISHER_WEBSITE_LABEL = "publisher's website: search for the title there"


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
    link_kind = models.CharField(
        "what the link is",
        max_length=20,
        choices=LinkKind.choices,
        default=LinkKind.DOCUMENT,
        help_text="The document's own address, or only its publisher's website (readers are "
        "told to search for the title there).",
    )
    area = models.CharField(
        max_length=100,
        blank=True,
        help_text="The area it comes from, e.g. ‘Hampshire’, ‘Leeds’, or ‘National’.",
    )
    scope = models.CharField(
        max_length=10, choices=Scope.choices, default=Scope.LOCAL, editable=False
    )
    publisher = models.CharField(max_length=200, blank=True)
    published_on = models.DateField("published", null=True, blank=True)
    published_label = models.CharField(
        "date as the source gives it",
        max_length=100,
        blank=True,
        help_text="When the source gives a month or year rather than a day, e.g. ‘May 2022’.",
    )
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
            models.CheckConstraint(
                condition=models.Q(link_kind__in=LinkKind.values), name="resource_link_kind_valid"
            ),
        ]

    def __str__(self) -> str:
        return self.title

    def save(self, *args, **kwargs):
        self.scope = Scope.NATIONAL if areas.is_national(self.area) else Scope.LOCAL
        update_fields = kwargs.get("update_fields")
        if update_fields is not None and "area" in update_fields:
            kwargs["update_fields"] = {*update_fields, "scope"}
        super().save(*args, **kwargs)

    def get_absolute_url(self) -> str:
        return reverse("resources:list") + f"#resource-{self.pk}"

    @property
    def date_display(self) -> str:
        if self.published_on:
            return f"{self.published_on:%B %Y}"
        return self.published_label

    @property
    def is_procedure(self) -> bool:
        return self.resource_type == ResourceType.PROCEDURE

    @property
    def area_label(self) -> str:
        return areas.area_label(self.area, procedure=self.is_procedure)

    @property
    def area_tag(self) -> str:
        """A word or two for the tag beside the resource (the area itself is named in
        full next to it when it is another area's)."""
        return {"national": "National", "own": self.area, "other": "Another area"}.get(
            self.area_kind, "Area not recorded"
        )

    @property
    def area_kind(self) -> str:
        return areas.area_kind(self.area)

    def get_scope_display(self) -> str:
        """Where it comes from, for readers (templates and exports call this)."""
        return self.area_label

    @property
    def is_direct_link(self) -> bool:
        return self.link_kind == LinkKind.DOCUMENT


# --- The content registry (content/registry.py) ----------------------------------------------

registry.register(
    Resource,
    key="resource",
    workflow=True,
    versioning={},
    search=registry.SearchSpec(
        key="resources",
        position=4,
        label="resource",
        label_plural="resources",
        fts_table="search_fts_resource",
        fields={"a": ("title",), "b": ("summary",), "c": ("publisher",)},
        title_field="title",
        summary_fields=("summary", "publisher"),
    ),
    transfer=registry.TransferSpec(
        "resources",
        (
            "slug",
            "title",
            "url",
            "resource_type",
            "link_kind",
            "area",
            "publisher",
            "published_on",
            "published_label",
            "summary",
        )
        + registry.PUBLISHABLE_FIELDS,
        m2m={"themes": "themes.Theme"},
        ignored=("scope",),  # set from the area
    ),
    preview=registry.PreviewSpec(
        "resource",
        "resources/resource_preview.html",
        context="resources.views.resource_preview_context",
        queryset="resources.views.resource_preview_queryset",
    ),
    pack_kind="resource",
)
