import datetime
import re

from django.db import models
from django.urls import reverse
from django.utils import timezone

from content import registry
from content.models import (
    Publishable,
    PublishableQuerySet,
    Status,
    publish_permission,
    status_constraint,
)


class ThemeKind(models.TextChoices):
    PERENNIAL = "perennial", "Perennial practice challenge"
    TOPIC = "topic", "Topic"
    EMERGING = "emerging", "Emerging priority"

    @property
    def plural(self) -> str:
        """The kind's label for a group of themes ("Emerging priorities")."""
        return {
            "perennial": "Perennial practice challenges",
            "topic": "Topics",
            "emerging": "Emerging priorities",
        }[self.value]


class Weekday(models.TextChoices):
    MONDAY = "monday", "Monday"
    TUESDAY = "tuesday", "Tuesday"
    WEDNESDAY = "wednesday", "Wednesday"
    THURSDAY = "thursday", "Thursday"
    FRIDAY = "friday", "Friday"

    @classmethod
    def offset(cls, value: str) -> int:
        return cls.values.index(value)

    @classmethod
    def for_date(cls, date: datetime.date) -> "Weekday | None":
        index = date.weekday()
        return cls(cls.values[index]) if index < len(cls.values) else None


class ThemeQuerySet(PublishableQuerySet):
    def of_kind(self, kind: str):
        return self.filter(kind=kind)


class Theme(Publishable):
    """A perennial practice challenge, a topic or an emerging priority: one page of
    the Safeguarding Theme Overview Pack."""

    name = models.CharField(max_length=120)
    slug = models.SlugField(max_length=120, unique=True)
    kind = models.CharField(max_length=20, choices=ThemeKind.choices, default=ThemeKind.TOPIC)
    summary = models.TextField(help_text="One or two sentences: what this theme is about.")
    body = models.TextField(blank=True, help_text="Why it matters and what reviews found.")
    key_messages = models.TextField(
        blank=True, help_text="One message a line, e.g. 'Remember professional challenge ...'."
    )
    position = models.PositiveSmallIntegerField(default=0, help_text="Order in lists.")

    objects = ThemeQuerySet.as_manager()

    class Meta:
        ordering = ["position", "name"]
        permissions = [publish_permission("theme", "themes")]
        constraints = [
            status_constraint("theme"),
            models.CheckConstraint(
                condition=models.Q(kind__in=ThemeKind.values), name="theme_kind_valid"
            ),
            models.CheckConstraint(condition=~models.Q(name=""), name="theme_name_not_empty"),
        ]

    def __str__(self) -> str:
        return self.name

    def get_absolute_url(self) -> str:
        return reverse("themes:detail", kwargs={"slug": self.slug})

    @property
    def key_message_list(self) -> list[str]:
        return [line.strip() for line in self.key_messages.splitlines() if line.strip()]


class Agency(models.Model):
    """An agency or sector practitioners work in (health, police, education ...)."""

    name = models.CharField(max_length=120, unique=True)
    slug = models.SlugField(max_length=120, unique=True)
    description = models.TextField(blank=True)

    class Meta:
        ordering = ["name"]
        verbose_name_plural = "agencies"

    def __str__(self) -> str:
        return self.name


class PracticeWeekQuerySet(PublishableQuerySet):
    def current(self, today: datetime.date | None = None) -> "PracticeWeek | None":
        """The published week running today, else the latest that has started, else
        the next one to come."""
        today = today or timezone.localdate()
        weeks = self.public()
        return (
            weeks.filter(start_date__lte=today).order_by("-start_date").first()
            or weeks.order_by("start_date").first()
        )


class PracticeWeek(Publishable):
    """A partnership's Safeguarding Practice Week: each weekday has its themes."""

    title = models.CharField(max_length=200)
    slug = models.SlugField(max_length=120, unique=True)
    partnership = models.CharField(max_length=200)
    start_date = models.DateField(help_text="The Monday the week starts.")
    introduction = models.TextField(blank=True)

    objects = PracticeWeekQuerySet.as_manager()

    class Meta:
        ordering = ["-start_date"]
        permissions = [publish_permission("practiceweek", "practice weeks")]
        constraints = [status_constraint("practiceweek")]

    def __str__(self) -> str:
        return f"{self.title} ({self.start_date:%d %B %Y})"

    @property
    def end_date(self) -> datetime.date:
        return self.start_date + datetime.timedelta(days=4)

    def day_for(self, date: datetime.date) -> "PracticeWeekDay | None":
        """The day of this week falling on ``date``, if the week is running then."""
        if not (self.start_date <= date <= self.end_date):
            return None
        weekday = Weekday.for_date(date)
        return self.days.filter(weekday=weekday).first() if weekday else None


class PracticeWeekDay(models.Model):
    week = models.ForeignKey(PracticeWeek, on_delete=models.CASCADE, related_name="days")
    weekday = models.CharField(max_length=10, choices=Weekday.choices)
    title = models.CharField(max_length=200)
    introduction = models.TextField(blank=True)
    themes = models.ManyToManyField(Theme, blank=True, related_name="practice_days")
    weekday_order = models.PositiveSmallIntegerField(default=0, editable=False)

    class Meta:
        ordering = ["week", "weekday_order"]
        constraints = [
            models.UniqueConstraint(fields=["week", "weekday"], name="practiceweekday_unique"),
            models.CheckConstraint(
                condition=models.Q(weekday__in=Weekday.values), name="practiceweekday_valid"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.get_weekday_display()}: {self.title}"

    def save(self, *args, **kwargs):
        self.weekday_order = Weekday.offset(self.weekday)
        super().save(*args, **kwargs)

    @property
    def date(self) -> datetime.date:
        return self.week.start_date + datetime.timedelta(days=Weekday.offset(self.weekday))


class GlossaryTermQuerySet(PublishableQuerySet):
    pass


class GlossaryTerm(Publishable):
    """An acronym or term practitioners meet in safeguarding work, with what it stands for
    and the words that mean the same: the search treats them as one ("WNB" finds "was not
    brought", "dads" finds "fathers"), and pages mark up the first use of an acronym."""

    term = models.CharField(max_length=100, help_text="As written, e.g. 'WNB' or 'Father'.")
    slug = models.SlugField(max_length=120, unique=True)
    expansion = models.CharField(
        max_length=200, blank=True, help_text="What an acronym stands for, e.g. 'Was Not Brought'."
    )
    definition = models.TextField(blank=True, help_text="A sentence or two in plain English.")
    synonyms = models.TextField(
        blank=True,
        help_text="Other words or phrases that mean the same, one a line or comma separated. "
        "Search finds any of them when one is typed.",
    )

    objects = GlossaryTermQuerySet.as_manager()

    class Meta:
        ordering = ["term", "id"]
        permissions = [publish_permission("glossaryterm", "glossary terms")]
        constraints = [
            status_constraint("glossaryterm"),
            models.CheckConstraint(
                condition=~models.Q(term=""), name="glossaryterm_term_not_empty"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.term} ({self.expansion})" if self.expansion else self.term

    def get_absolute_url(self) -> str:
        return reverse("glossary") + f"#{self.slug}"

    @property
    def synonym_list(self) -> list[str]:
        return [part.strip() for part in re.split(r"[\n,;]+", self.synonyms or "") if part.strip()]

    @property
    def letter(self) -> str:
        first = self.term.strip()[:1].upper()
        return first if first.isalpha() else "#"


# --- The content registry (content/registry.py): each type described once -------------------

registry.register(
    Agency,
    key="agency",
    versioning={},
    transfer=registry.TransferSpec("agencies", ("slug", "name", "description")),
)
registry.register(
    Theme,
    key="theme",
    workflow=True,
    versioning={},
    search=registry.SearchSpec(
        key="themes",
        position=2,
        label="theme",
        label_plural="themes",
        fts_table="search_fts_theme",
        fields={"a": ("name",), "b": ("summary", "key_messages"), "c": ("body",)},
        title_field="name",
        summary_fields=("summary", "key_messages", "body"),
    ),
    transfer=registry.TransferSpec(
        "themes",
        ("slug", "name", "kind", "summary", "body", "key_messages", "position")
        + registry.PUBLISHABLE_FIELDS,
    ),
    preview=registry.PreviewSpec(
        "theme", "themes/theme_detail.html", context="themes.views.theme_detail_context"
    ),
    pack_kind="theme_overview",
)
registry.register(
    GlossaryTerm,
    key="glossary_term",
    workflow=True,
    versioning={},
    transfer=registry.TransferSpec(
        "glossary",
        ("slug", "term", "expansion", "definition", "synonyms") + registry.PUBLISHABLE_FIELDS,
    ),
    preview=registry.PreviewSpec(
        "glossary", "search/glossary.html", context="themes.selectors.glossary_preview_context"
    ),
)
registry.register(
    PracticeWeek,
    key="practice_week",
    workflow=True,
    versioning={"follow": ("days",)},
    transfer=registry.TransferSpec(
        "practice_weeks",
        ("slug", "title", "partnership", "start_date", "introduction")
        + registry.PUBLISHABLE_FIELDS,
    ),
    preview=registry.PreviewSpec(
        "practice-week", "home.html", context="themes.selectors.practice_week_preview_context"
    ),
)
registry.register(
    PracticeWeekDay,
    key="practice_week_day",
    versioning={},
    transfer=registry.TransferSpec(
        "days", ("weekday", "title", "introduction"), m2m={"themes": "themes.Theme"}, nested=True
    ),
)

__all__ = [
    "Agency",
    "GlossaryTerm",
    "PracticeWeek",
    "PracticeWeekDay",
    "Status",
    "Theme",
    "ThemeKind",
    "Weekday",
]
