"""Moved: the Cache-Control middleware is site-wide now, in reviews_toolkit.middleware."""

from reviews_toolkit.middleware import PrivateCacheForSignedInMiddleware

__all__ = ["PrivateCacheForSignedInMiddleware"]
