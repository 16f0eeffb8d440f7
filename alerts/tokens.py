"""The links in alert emails: confirm a subscription (7 days, once), unsubscribe from one
(one click), manage all of an address's subscriptions. Each is an HMAC of the row's id
and its random ``key`` under its own salt: nothing secret is stored that a database
reader could turn into a link without ``SECRET_KEY``, and changing the key revokes it."""

from __future__ import annotations

import datetime

from django.conf import settings
from django.core import signing
from django.urls import reverse
from django.utils.crypto import constant_time_compare, salted_hmac

from .models import Subscriber, Subscription

CONFIRM_MAX_AGE = datetime.timedelta(days=7)
_CONFIRM_SALT = "alerts.confirm"


def site_url(path: str) -> str:
    base = (getattr(settings, "ALERTS_SITE_URL", "") or settings.SITE_URL).rstrip("/")
    return base + path


def _mac(salt: str, pk: int, key: str) -> str:
    return salted_hmac(salt, f"{pk}:{key}", algorithm="sha256").hexdigest()[:40]


def _check(salt: str, pk: int, key: str, token: str) -> bool:
    return constant_time_compare(_mac(salt, pk, key), token or "")


# Confirm: signed (timestamped) so it expires after 7 days; single use as the
# subscription's key is changed when it is confirmed.
def confirm_token(subscription: Subscription) -> str:
    return signing.dumps(
        {"s": subscription.pk, "m": _mac(_CONFIRM_SALT, subscription.pk, subscription.key)},
        salt=_CONFIRM_SALT,
        compress=False,
    )


def confirm_url(subscription: Subscription) -> str:
    return site_url(reverse("alerts:confirm", kwargs={"token": confirm_token(subscription)}))


class TokenExpired(Exception):
    pass


class TokenInvalid(Exception):
    pass


def subscription_from_confirm_token(token: str) -> Subscription:
    """The subscription a confirmation link is for; ``TokenExpired`` after 7 days,
    ``TokenInvalid`` for anything else (tampered, used already, subscription gone)."""
    try:
        data = signing.loads(token, salt=_CONFIRM_SALT, max_age=CONFIRM_MAX_AGE)
    except signing.SignatureExpired as exc:
        raise TokenExpired from exc
    except signing.BadSignature as exc:
        raise TokenInvalid from exc
    if not isinstance(data, dict):
        raise TokenInvalid
    subscription = Subscription.objects.filter(pk=data.get("s")).select_related("subscriber")
    subscription = subscription.first()
    if subscription is None or not _check(
        _CONFIRM_SALT, subscription.pk, subscription.key, str(data.get("m", ""))
    ):
        raise TokenInvalid
    return subscription


_UNSUBSCRIBE_SALT = "alerts.unsubscribe"
_MANAGE_SALT = "alerts.manage"


def unsubscribe_token(subscription: Subscription) -> str:
    return _mac(_UNSUBSCRIBE_SALT, subscription.pk, subscription.subscriber.key)


def unsubscribe_url(subscription: Subscription) -> str:
    return site_url(
        reverse(
            "alerts:unsubscribe",
            kwargs={"pk": subscription.pk, "token": unsubscribe_token(subscription)},
        )
    )


def subscription_from_unsubscribe(pk: int, token: str) -> Subscription | None:
    subscription = Subscription.objects.filter(pk=pk).select_related("subscriber").first()
    if subscription is None or not _check(
        _UNSUBSCRIBE_SALT, subscription.pk, subscription.subscriber.key, token
    ):
        return None
    return subscription


def manage_token(subscriber: Subscriber) -> str:
    return _mac(_MANAGE_SALT, subscriber.pk, subscriber.key)


def manage_url(subscriber: Subscriber) -> str:
    return site_url(
        reverse("alerts:manage", kwargs={"pk": subscriber.pk, "token": manage_token(subscriber)})
    )


def subscriber_from_manage(pk: int, token: str) -> Subscriber | None:
    subscriber = Subscriber.objects.filter(pk=pk).first()
    if subscriber is None or not _check(_MANAGE_SALT, subscriber.pk, subscriber.key, token):
        return None
    return subscriber


def unsubscribe_all_url(subscriber: Subscriber) -> str:
    return site_url(
        reverse(
            "alerts:unsubscribe_all",
            kwargs={"pk": subscriber.pk, "token": manage_token(subscriber)},
        )
    )
