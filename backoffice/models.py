"""Back office models. The broken-link lists are proxies of the content models: the same
rows, shown read-only in the admin to staff who fix links (backoffice.admin)."""

from django.db import models

from practice_points.models import Review, ReviewQuerySet
from resources.models import Resource, ResourceQuerySet
from reviews_toolkit.content import LinkCheckStatus


class BrokenLinkManager(models.Manager):
    """Only the items whose link the checker last found broken."""

    def get_queryset(self):
        return super().get_queryset().filter(link_status=LinkCheckStatus.BROKEN)


class BrokenResourceLink(Resource):
    objects = BrokenLinkManager.from_queryset(ResourceQuerySet)()

    class Meta:
        proxy = True
        verbose_name = "broken link: resource"
        verbose_name_plural = "Broken links: resources"
        default_permissions = ("view",)
        ordering = ["title", "id"]


class BrokenReviewLink(Review):
    objects = BrokenLinkManager.from_queryset(ReviewQuerySet)()

    class Meta:
        proxy = True
        verbose_name = "broken link: review"
        verbose_name_plural = "Broken links: reviews"
        default_permissions = ("view",)
        ordering = ["title", "id"]
