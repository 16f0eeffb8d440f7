from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.urls import reverse

from content import areas, registry
from content.indexes import PortableGinIndex
from content.models import (
    LinkChecked,
    Publishable,
    PublishableQuerySet,
    Status,
    publish_permission,
    status_constraint,
)
from content.richtext import http_url_validator
from themes.models import Agency, PracticeWeek, Theme, Weekday


class ReviewType(models.TextChoices):
    LCSPR = "lcspr", "Local child safeguarding practice review"
    RAPID_REVIEW = "rapid_review", "Rapid review"
    MULTI_AGENCY_AUDIT = "multi_agency_audit", "Multi-agency audit"
    NATIONAL_PANEL = "national_panel", "National Panel review or annual report"
    NSPCC = "nspcc", "NSPCC learning publication"
    THEMATIC_SUMMARY = "thematic_summary", "Thematic learning summary"


class ReviewQuerySet(PublishableQuerySet):
    pass


class Review(LinkChecked, Publishable):
    """A source of learning: a practice review, rapid review, audit or national report."""

    title = models.CharField(max_length=300)
    slug = models.SlugField(max_length=150, unique=True)
    review_type = models.CharField(max_length=30, choices=ReviewType.choices)
    # Provenance: who published it, where, when, where to read it, and on what terms.
    partnership = models.CharField(
        "publisher",
        max_length=200,
        blank=True,
        help_text="Who published it: the partnership, panel or organisation (or the post's "
        "author, if named).",
    )
    area = models.CharField(
        max_length=100,
        blank=True,
        help_text="The area it comes from, e.g. ‘Hampshire’, ‘Leeds’, or ‘National’.",
    )
    published_on = models.DateField(
        "published", null=True, blank=True, help_text="The day the source was published."
    )
    published_label = models.CharField(
        "date as the source gives it",
        max_length=100,
        blank=True,
        help_text="When the source gives no single day: e.g. ‘March 2020’ or ‘2022 to 2023 "
        "(the period it covers)’.",
    )
    summary = models.TextField(blank=True)
    source_url = models.URLField(
        "link to the full report", max_length=500, blank=True, validators=[http_url_validator]
    )
    reuse_note = models.CharField(
        max_length=300,
        blank=True,
        help_text="On what terms the toolkit uses it, e.g. ‘Reproduced with credit for "
        "learning; copyright the publisher.’",
    )
    summary_of = models.ForeignKey(
        "self",
        null=True,
        blank=True,
        on_delete=models.SET_NULL,
        related_name="summaries",
        help_text="The report this item summarises, when it is a summary of another source.",
    )

    objects = ReviewQuerySet.as_manager()

    class Meta:
        ordering = ["title", "id"]
        permissions = [publish_permission("review", "reviews")]
        constraints = [
            status_constraint("review"),
            models.CheckConstraint(
                condition=models.Q(review_type__in=ReviewType.values), name="review_type_valid"
            ),
            models.CheckConstraint(condition=~models.Q(title=""), name="review_title_not_empty"),
        ]

    def __str__(self) -> str:
        return self.title

    def get_absolute_url(self) -> str:
        return reverse("reviews:detail", kwargs={"slug": self.slug})

    @property
    def publisher(self) -> str:
        return self.partnership

    @property
    def date_display(self) -> str:
        """When it was published, as precisely as the source says."""
        if self.published_on:
            return f"{self.published_on.day} {self.published_on:%B %Y}"
        return self.published_label

    @property
    def area_label(self) -> str:
        return areas.area_label(self.area)


class PracticePointQuerySet(PublishableQuerySet):
    def public(self):
        """Published points whose review is published or absent: what anyone may see."""
        return self.published().filter(
            models.Q(review__isnull=True) | models.Q(review__status=Status.PUBLISHED)
        )

    # The tag filters are semi-joins on the tag tables (``id IN (SELECT practicepoint_id
    # ... WHERE theme_id IN ...)``, read through their (tag, point) indexes): no join that
    # repeats a point, so no DISTINCT over the whole list (issue 17, at 50,000 points).

    def for_theme(self, *slugs: str):
        tagged = PracticePoint.themes.through.objects.filter(theme__slug__in=slugs)
        return self.filter(pk__in=tagged.values("practicepoint_id"))

    def for_agency(self, *slugs: str):
        """Points tagged with any of these agencies, or for all agencies."""
        tagged = PracticePoint.agencies.through.objects.filter(agency__slug__in=slugs)
        return self.filter(
            models.Q(pk__in=tagged.values("practicepoint_id")) | models.Q(all_agencies=True)
        )

    def for_day(self, weekday: str, week: PracticeWeek | None = None):
        """Points whose themes belong to ``weekday`` of ``week`` (default: the current week)."""
        week = week if week is not None else PracticeWeek.objects.current()
        if week is None or weekday not in Weekday.values:
            return self.none()
        tagged = PracticePoint.themes.through.objects.filter(
            theme__practice_days__week=week,
            theme__practice_days__weekday=weekday,
            theme__in=Theme.objects.public(),
        )
        return self.filter(pk__in=tagged.values("practicepoint_id"))

    def with_relations(self):
        """Everything a list of points shows, in a fixed number of queries."""
        return self.select_related("review").prefetch_related(
            models.Prefetch("themes", queryset=Theme.objects.public()),
            models.Prefetch("agencies", queryset=Agency.objects.all()),
        )


class PracticePoint(Publishable):
    """One learning point from a review, with how to enhance your practice."""

    slug = models.SlugField(
        max_length=150, unique=True, help_text="Stable key, used to import without duplicates."
    )
    headline = models.CharField(
        max_length=120,
        blank=True,
        help_text=(
            "A short headline in plain words (about 90 characters at most) for result lists "
            "and the point's page heading. The full text stays as the point's body."
        ),
    )
    text = models.TextField("learning point")
    guidance = models.TextField("how to enhance your practice", blank=True)
    review = models.ForeignKey(
        Review,
        null=True,
        blank=True,
        on_delete=models.PROTECT,
        related_name="practice_points",
        help_text="The review this learning comes from, if any.",
    )
    position = models.PositiveIntegerField(default=0, help_text="Order within its review.")
    themes = models.ManyToManyField("themes.Theme", blank=True, related_name="practice_points")
    agencies = models.ManyToManyField("themes.Agency", blank=True, related_name="practice_points")
    all_agencies = models.BooleanField(
        default=False, help_text="The point is for every practitioner, whatever their agency."
    )
    resources = models.ManyToManyField(
        "resources.Resource", blank=True, related_name="practice_points"
    )
    # The weighted words the search matches on PostgreSQL (text A, guidance B, the names
    # of its published themes, its agencies and review C): written by the search app whenever any of
    # them changes (search.signals), never computed per query. Unused on SQLite, where
    # the search keeps an FTS5 table instead.
    search_vector = SearchVectorField(null=True, blank=True, editable=False)

    objects = PracticePointQuerySet.as_manager()

    class Meta:
        ordering = ["review__title", "position", "id"]
        indexes = [
            PortableGinIndex(fields=["search_vector"], name="practicepoint_search_gin"),
            # The published points with what the public rule and the default order need:
            # the finder's lists and counts read it alone (an index-only scan), not the
            # wide rows (issue 17, at 50,000 points).
            models.Index(
                fields=["review", "position", "id"],
                condition=models.Q(status="published"),
                name="practicepoint_published",
            ),
        ]
        permissions = [publish_permission("practicepoint", "practice points")]
        constraints = [
            status_constraint("practicepoint"),
            models.CheckConstraint(
                condition=~models.Q(text=""), name="practicepoint_text_not_empty"
            ),
        ]

    def is_public(self) -> bool:
        """The object-level twin of ``PracticePoint.objects.public()``."""
        return self.is_published and (self.review_id is None or self.review.is_published)

    def __str__(self) -> str:
        return self.heading

    @property
    def heading(self) -> str:
        """What the point is called wherever it is listed or headed: its headline, or,
        until one is written, the first words of its text."""
        if self.headline.strip():
            return self.headline.strip()
        text = " ".join(self.text.split())
        if len(text) <= 90:
            return text
        return text[:89].rsplit(" ", 1)[0].rstrip(",;:") + "…"

    def get_absolute_url(self) -> str:
        return reverse("practice_points:detail", kwargs={"pk": self.pk})


# --- The content registry (content/registry.py) ----------------------------------------------

registry.register(
    Review,
    key="review",
    workflow=True,
    versioning={},
    search=registry.SearchSpec(
        key="reviews",
        position=3,
        label="review",
        label_plural="reviews",
        fts_table="search_fts_review",
        fields={"a": ("title",), "b": ("summary",), "c": ("partnership",)},
        title_field="title",
        summary_fields=("summary",),
    ),
    transfer=registry.TransferSpec(
        "reviews",
        (
            "slug",
            "title",
            "review_type",
            "partnership",
            "area",
            "published_on",
            "published_label",
            "summary",
            "source_url",
            "reuse_note",
        )
        + registry.PUBLISHABLE_FIELDS,
        links={"summary_of": "practice_points.Review"},
    ),
    preview=registry.PreviewSpec(
        "review",
        "practice_points/review_detail.html",
        context="practice_points.views.review_detail_context",
        queryset="practice_points.selectors.review_preview_queryset",
    ),
    pack_kind="review_summary",
)
registry.register(
    PracticePoint,
    key="practice_point",
    workflow=True,
    # The search vector is derived (rewritten on every save): not part of a version.
    versioning={"exclude": ("search_vector",)},
    search=registry.SearchSpec(
        key="practice_points",
        position=1,
        label="practice point",
        label_plural="practice points",
        fts_table="search_fts_practicepoint",
        # C: the names of its published themes and agencies and its review's title
        # (search.kinds.points_context_sql).
        fields={"a": ("text",), "b": ("guidance",), "c": ()},
        title_field="text",
        summary_fields=("text", "guidance"),
    ),
    transfer=registry.TransferSpec(
        "points",
        ("slug", "headline", "text", "guidance", "position", "all_agencies")
        + registry.PUBLISHABLE_FIELDS,
        m2m={
            "themes": "themes.Theme",
            "agencies": "themes.Agency",
            "resources": "resources.Resource",
        },
    ),
    preview=registry.PreviewSpec(
        "practice-point",
        "practice_points/detail.html",
        context="practice_points.views.practice_point_detail_context",
        queryset="practice_points.selectors.practice_point_preview_queryset",
    ),
    pack_kind="practice_point",
)
