"""Helpers for the reviews pages."""

from django import template

register = template.Library()


@register.filter
def without_learning(reviews) -> list:
    """The reviews (annotated with ``learning_point_count``) that have no published
    practice points: listed after those with learning."""
    return [review for review in reviews if not review.learning_point_count]
