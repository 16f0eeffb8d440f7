"""Keep the index current: whenever content is saved or deleted, or a point's themes or
agencies change, or a theme, agency or review is renamed, the entries that carry those
words are rewritten (``indexing.search_index_update``: the PostgreSQL vector or the
SQLite FTS5 rows, and the vocabulary). Bulk writes (``bulk_create``, ``update``) bypass
signals: the demo data command indexes in bulk, and ``manage.py rebuild_search_index``
rewrites everything."""

from __future__ import annotations

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_delete
from django.dispatch import receiver

from practice_points.models import PracticePoint, Review
from resources.models import Resource
from themes.models import Agency, Theme

from .indexing import search_index_remove, search_index_update

POINT_IDS_ATTR = "_search_point_ids"


def _points_update(ids) -> None:
    """Rewrite points whose own words did not change (only the names they carry)."""
    search_index_update("practice_points", list(ids), vocabulary=False)


@receiver(post_save, sender=PracticePoint, dispatch_uid="search_point_saved")
def point_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_index_update("practice_points", [instance.pk])


@receiver(post_save, sender=Theme, dispatch_uid="search_theme_saved")
def theme_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_index_update("themes", [instance.pk])
    _points_update(instance.practice_points.values_list("pk", flat=True))


@receiver(post_save, sender=Agency, dispatch_uid="search_agency_saved")
def agency_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        _points_update(instance.practice_points.values_list("pk", flat=True))


@receiver(post_save, sender=Review, dispatch_uid="search_review_saved")
def review_saved(sender, instance, raw=False, **kwargs):
    if raw:
        return
    search_index_update("reviews", [instance.pk])
    _points_update(instance.practice_points.values_list("pk", flat=True))


@receiver(post_save, sender=Resource, dispatch_uid="search_resource_saved")
def resource_saved(sender, instance, raw=False, **kwargs):
    if not raw:
        search_index_update("resources", [instance.pk])


# Deleting a theme or an agency removes its links without m2m_changed: remember the
# points first, rewrite them after.
@receiver(pre_delete, sender=Theme, dispatch_uid="search_theme_deleting")
@receiver(pre_delete, sender=Agency, dispatch_uid="search_agency_deleting")
def tag_deleting(sender, instance, **kwargs):
    setattr(instance, POINT_IDS_ATTR, list(instance.practice_points.values_list("pk", flat=True)))


@receiver(post_delete, sender=Theme, dispatch_uid="search_theme_deleted")
@receiver(post_delete, sender=Agency, dispatch_uid="search_agency_deleted")
def tag_deleted(sender, instance, **kwargs):
    if sender is Theme:
        search_index_remove("themes", [instance.pk])
    _points_update(getattr(instance, POINT_IDS_ATTR, []))


@receiver(post_delete, sender=PracticePoint, dispatch_uid="search_point_deleted")
@receiver(post_delete, sender=Review, dispatch_uid="search_review_deleted")
@receiver(post_delete, sender=Resource, dispatch_uid="search_resource_deleted")
def content_deleted(sender, instance, **kwargs):
    key = {PracticePoint: "practice_points", Review: "reviews", Resource: "resources"}[sender]
    search_index_remove(key, [instance.pk])


def _tags_changed(sender, instance, action, reverse, pk_set, **kwargs):
    """A point's themes or agencies changed (from either side)."""
    if action == "pre_clear" and reverse:
        setattr(
            instance, POINT_IDS_ATTR, list(instance.practice_points.values_list("pk", flat=True))
        )
        return
    if action not in {"post_add", "post_remove", "post_clear"}:
        return
    if not reverse:
        _points_update([instance.pk])
    elif action == "post_clear":
        _points_update(getattr(instance, POINT_IDS_ATTR, []))
    else:
        _points_update(pk_set or [])


m2m_changed.connect(
    _tags_changed, sender=PracticePoint.themes.through, dispatch_uid="search_point_themes"
)
m2m_changed.connect(
    _tags_changed, sender=PracticePoint.agencies.through, dispatch_uid="search_point_agencies"
)
