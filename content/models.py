"""What every piece of public content shares: a status, and the rule that only
published content is ever public."""

import datetime

from django.db import models, router, transaction
from django.utils import timezone

# Content is checked again this long after it was last reviewed, unless staff say otherwise.
REVIEW_INTERVAL = datetime.timedelta(days=365)


def today() -> datetime.date:
    return timezone.localdate()


def a_year_from_today() -> datetime.date:
    return timezone.localdate() + REVIEW_INTERVAL


class Status(models.TextChoices):
    DRAFT = "draft", "Draft"
    IN_REVIEW = "in_review", "In review"
    PUBLISHED = "published", "Published"
    ARCHIVED = "archived", "Archived"


class PublishableQuerySet(models.QuerySet):
    def published(self):
        return self.filter(status=Status.PUBLISHED)

    def public(self):
        """What anyone may see: the one rule pages, the API, search, packs, feeds, emails
        and exports use. Models whose visibility depends on a related row override it."""
        return self.published()

    def due_for_review(self, on: datetime.date | None = None):
        """Items whose "review by" date has come (archived items are not checked)."""
        return self.exclude(status=Status.ARCHIVED).filter(review_by__lte=on or today())


class Publishable(models.Model):
    status = models.CharField(
        max_length=20, choices=Status.choices, default=Status.DRAFT, db_index=True
    )
    published_at = models.DateTimeField(null=True, blank=True, editable=False)
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)
    # Freshness: when staff last checked this against current guidance, and when it is due
    # to be checked again. Public pages show "Last reviewed".
    # Never set by loading or importing: only when a person marks the item reviewed or
    # publishes a change (backoffice.workflow). Empty: "Not yet reviewed by the partnership".
    last_reviewed = models.DateField(
        null=True,
        blank=True,
        default=None,
        help_text="When a person last checked this against current guidance (set by "
        "‘Mark as reviewed’ or by publishing a change).",
    )
    review_by = models.DateField(
        default=a_year_from_today,
        help_text="When this is next due to be checked (a year after the last review by default).",
    )
    # Optimistic locking: the admin form carries the version it was opened at; a save
    # from a stale form is refused instead of overwriting someone else's change.
    version = models.PositiveIntegerField(default=1, editable=False)

    objects = PublishableQuerySet.as_manager()

    class Meta:
        abstract = True

    def save(self, *args, expected_version: int | None = None, **kwargs):
        """Save, moving ``version`` on by one for every update of an existing row.

        ``expected_version`` (or ``_locking_expected_version``, set on the instance by the
        admin's locking form) is the version the editor opened: the row is then only
        written if it is still at that version, checked and moved on by one conditional
        ``UPDATE ... WHERE version = expected`` inside this save's transaction (the row
        stays locked until it commits), so a concurrent save cannot slip in between; a
        stale save raises ``ConcurrentEditError`` and writes nothing.

        Saves of only fields the application keeps itself (``editable=False``, e.g. link
        check results or the search vector) with ``update_fields`` are not edits: they
        leave ``version`` alone.
        """
        opened = self.__dict__.pop("_locking_expected_version", None)  # one save only
        if expected_version is None:
            expected_version = opened
        if self.status == Status.PUBLISHED and self.published_at is None:
            self.published_at = timezone.now()
        update_fields = kwargs.get("update_fields")
        bookkeeping = update_fields is not None and not self._edits_content(update_fields)
        if (
            self.pk is None
            or kwargs.get("force_insert")
            or (bookkeeping and expected_version is None)
        ):
            super().save(*args, **kwargs)
            return
        using = kwargs.get("using") or router.db_for_write(type(self), instance=self)
        with transaction.atomic(using=using):
            new_version = version_claim(type(self), self.pk, expected_version, using=using)
            if new_version is not None:
                self.version = new_version
                if update_fields is not None:
                    kwargs["update_fields"] = {*update_fields, "version"}
            super().save(*args, **kwargs)

    def _edits_content(self, update_fields) -> bool:
        return any(self._meta.get_field(name).editable for name in update_fields)

    @property
    def is_published(self) -> bool:
        return self.status == Status.PUBLISHED

    def is_public(self) -> bool:
        """The object-level twin of ``public()``: may anyone see this?"""
        return self.is_published

    @property
    def is_due_for_review(self) -> bool:
        return self.status != Status.ARCHIVED and self.review_by <= today()


class ConcurrentEditError(Exception):
    """The row is no longer at the version the editor opened: someone else saved it (or
    deleted it) meanwhile. Nothing was written."""

    def __init__(self, model: type[models.Model], pk, expected_version: int, current: int | None):
        self.model = model
        self.pk = pk
        self.expected_version = expected_version
        self.current_version = current  # None: the row was deleted
        super().__init__(
            f"{model._meta.verbose_name} {pk} is at version {current}, not {expected_version}"
            if current is not None
            else f"{model._meta.verbose_name} {pk} was deleted"
        )


def version_claim(model, pk, expected_version: int | None, *, using: str) -> int | None:
    """Move the stored row's ``version`` on by one, in the database, and return the new
    version (``None`` if there is no such row yet: an insert follows).

    With ``expected_version`` this is ``UPDATE ... SET version = expected + 1 WHERE pk = pk
    AND version = expected``: one statement that checks and claims the row, so it is
    race-safe (a concurrent transaction waits on the row lock, then finds the new version
    and is refused with ``ConcurrentEditError``). Call it inside a transaction.
    """
    rows = model._base_manager.using(using).filter(pk=pk).order_by()
    if expected_version is not None:
        if rows.filter(version=expected_version).update(version=expected_version + 1):
            return expected_version + 1
        current = rows.values_list("version", flat=True).first()
        raise ConcurrentEditError(model, pk, expected_version, current)
    if not rows.update(version=models.F("version") + 1):
        return None
    return rows.values_list("version", flat=True).get()


class LinkCheckStatus(models.TextChoices):
    UNCHECKED = "unchecked", "Not checked yet"
    OK = "ok", "Working"
    REDIRECTED = "redirected", "Working (redirects)"
    BROKEN = "broken", "Broken"


class LinkChecked(models.Model):
    """What ``manage.py check_links`` last found at this item's link."""

    link_status = models.CharField(
        max_length=20,
        choices=LinkCheckStatus.choices,
        default=LinkCheckStatus.UNCHECKED,
        editable=False,
        db_index=True,
    )
    link_status_code = models.PositiveSmallIntegerField(null=True, blank=True, editable=False)
    link_error = models.CharField(max_length=300, blank=True, editable=False)
    link_final_url = models.URLField(max_length=500, blank=True, editable=False)
    link_checked_at = models.DateTimeField(null=True, blank=True, editable=False)

    class Meta:
        abstract = True


def publish_permission(model_name: str, plural: str) -> tuple[str, str]:
    """The permission a Publisher holds: move this content to published, unpublish it,
    archive it."""
    return (f"publish_{model_name}", f"Can publish, unpublish and archive {plural}")


def status_constraint(model_name: str) -> models.CheckConstraint:
    return models.CheckConstraint(
        condition=models.Q(status__in=Status.values), name=f"{model_name}_status_valid"
    )
