"""Writes: change notes, subscriptions (double opt-in), digests (idempotent), retention."""

from __future__ import annotations

import datetime
import logging

from django.contrib.contenttypes.models import ContentType
from django.core.exceptions import ValidationError
from django.core.validators import validate_email
from django.db import IntegrityError, models, transaction
from django.utils import timezone

from practice_points.models import PracticePoint

from . import emails
from .models import (
    NOTE_MAX_LENGTH,
    ChangeNote,
    Delivery,
    Frequency,
    Subscriber,
    Subscription,
    new_key,
)
from .searches import normalise_query, search_filterset
from .tokens import CONFIRM_MAX_AGE, TokenExpired, TokenInvalid, subscription_from_confirm_token

logger = logging.getLogger(__name__)

UNCONFIRMED_KEPT = datetime.timedelta(days=7)
INACTIVE_ADDRESS_KEPT = datetime.timedelta(days=28)
MAJOR_NEEDS_NOTE = "Write a one-line change note for a major change."


# --- Change notes ---------------------------------------------------------------------


def clean_change_note(major: bool, note: str | None) -> str:
    """The note as stored: one line, trimmed; a major change needs one."""
    note = " ".join((note or "").split())
    if major and not note:
        raise ValidationError({"change_note": MAJOR_NEEDS_NOTE})
    if len(note) > NOTE_MAX_LENGTH:
        raise ValidationError(
            {"change_note": f"Keep the change note to {NOTE_MAX_LENGTH} characters or fewer."}
        )
    return note


@transaction.atomic
def change_note_record(*, instance: models.Model, user=None, major: bool, note: str) -> ChangeNote:
    """Record that ``instance`` was published (a first publication or a change)."""
    note = clean_change_note(major, note)
    return ChangeNote.objects.create(
        content_type=ContentType.objects.get_for_model(type(instance)),
        object_id=instance.pk,
        major=bool(major),
        note=note,
        user=user if getattr(user, "pk", None) else None,
    )


# Where ``latest_major_notes_attach`` keeps an object's note, read by ``latest_major_note``.
NOTE_ATTR = "_alerts_latest_major_note"


def latest_major_note(obj) -> ChangeNote | None:
    if obj is None or obj.pk is None:
        return None
    if hasattr(obj, NOTE_ATTR):
        return getattr(obj, NOTE_ATTR)
    return ChangeNote.objects.for_object(obj).major().first()


def latest_major_notes_attach(objects) -> list:
    """Each of ``objects`` (one model) with its latest major change note attached (or
    ``None``), in one query, for a list page: ``latest_major_note`` then reads it. The
    latest is the first in the notes' own order (newest first)."""
    objects = [obj for obj in objects if obj is not None and obj.pk is not None]
    if not objects:
        return objects
    content_type = ContentType.objects.get_for_model(type(objects[0]))
    latest: dict[int, ChangeNote] = {}
    for note in ChangeNote.objects.major().filter(
        content_type=content_type, object_id__in=[obj.pk for obj in objects]
    ):
        latest.setdefault(note.object_id, note)
    for obj in objects:
        setattr(obj, NOTE_ATTR, latest.get(obj.pk))
    return objects


def change_points(change: ChangeNote) -> models.QuerySet[PracticePoint]:
    """The public practice points a change concerns: the point itself, a review's points,
    a theme's points, a resource's points (and those of its themes)."""
    model = change.content_type.model_class()
    public = PracticePoint.objects.public()
    if model is None:
        return public.none()
    label = model._meta.label_lower
    if label == "practice_points.practicepoint":
        return public.filter(pk=change.object_id)
    if label == "practice_points.review":
        return public.filter(review_id=change.object_id)
    if label == "themes.theme":
        return public.filter(themes__pk=change.object_id)
    if label == "resources.resource":
        return public.filter(
            models.Q(resources__pk=change.object_id)
            | models.Q(themes__resources__pk=change.object_id)
        )
    return public.none()


def change_item(change: ChangeNote):
    """The changed item if it is public now, else ``None``."""
    model = change.content_type.model_class()
    if model is None:
        return None
    item = model._default_manager.filter(pk=change.object_id).first()
    if item is None or not getattr(item, "is_public", lambda: False)():
        return None
    return item


def change_matches(subscription: Subscription, change: ChangeNote) -> bool:
    filterset = search_filterset(subscription.query)
    if not filterset.is_valid():
        return False
    points = change_points(change).values("pk")
    return filterset.qs.filter(pk__in=points).exists()


# --- Subscriptions --------------------------------------------------------------------


def normalise_email(email: str) -> str:
    email = (email or "").strip()
    validate_email(email)
    local, _, domain = email.rpartition("@")
    return f"{local}@{domain.lower()}"


@transaction.atomic
def subscription_create(*, email: str, query, frequency: str = Frequency.WEEKLY) -> Subscription:
    """An unconfirmed subscription to the finder search ``query`` for ``email``, and the
    confirmation email sent (after the transaction commits). The same answer whether or
    not the address already has subscriptions: nothing says which."""
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose how often to get emails."})
    email = normalise_email(email)
    query = normalise_query(query)
    if not search_filterset(query).is_valid():
        raise ValidationError({"query": "That search has filters the finder does not know."})
    subscriber, _ = Subscriber.objects.get_or_create(email=email)
    subscription = Subscription.objects.create(
        subscriber=subscriber, query=query, frequency=frequency
    )
    transaction.on_commit(lambda: emails.send_confirmation(subscription))
    return subscription


class ConfirmationRefused(Exception):
    def __init__(self, reason: str):
        super().__init__(reason)
        self.reason = reason  # "expired" or "invalid"


def subscription_for_confirmation(token: str) -> Subscription:
    try:
        subscription = subscription_from_confirm_token(token)
    except TokenExpired as exc:
        raise ConfirmationRefused("expired") from exc
    except TokenInvalid as exc:
        raise ConfirmationRefused("invalid") from exc
    if subscription.is_confirmed:
        raise ConfirmationRefused("invalid")
    if timezone.now() - subscription.created_at > CONFIRM_MAX_AGE:
        raise ConfirmationRefused("expired")
    return subscription


@transaction.atomic
def subscription_confirm(token: str) -> Subscription:
    """Confirm the subscription of a confirmation link: valid 7 days, once (its key
    changes, so the link no longer matches)."""
    subscription = subscription_for_confirmation(token)
    locked = Subscription.objects.select_for_update().get(pk=subscription.pk)
    if locked.is_confirmed or locked.key != subscription.key:
        raise ConfirmationRefused("invalid")
    now = timezone.now()
    locked.confirmed_at = now
    locked.key = new_key()
    locked.save(update_fields=["confirmed_at", "key"])
    Subscriber.objects.filter(pk=locked.subscriber_id).update(inactive_since=None)
    return locked


def _mark_inactive_if_none_left(subscriber_id: int) -> None:
    if not Subscription.objects.filter(
        subscriber_id=subscriber_id, confirmed_at__isnull=False
    ).exists():
        Subscriber.objects.filter(pk=subscriber_id, inactive_since__isnull=True).update(
            inactive_since=timezone.now()
        )


@transaction.atomic
def subscription_delete(subscription: Subscription) -> None:
    subscriber_id = subscription.subscriber_id
    subscription.delete()
    _mark_inactive_if_none_left(subscriber_id)


@transaction.atomic
def subscription_set_frequency(subscription: Subscription, frequency: str) -> Subscription:
    if frequency not in Frequency.values:
        raise ValidationError({"frequency": "Choose how often to get emails."})
    subscription.frequency = frequency
    subscription.save(update_fields=["frequency"])
    return subscription


def subscriber_send_manage_link(email: str) -> None:
    """Email the manage link to ``email`` if it has subscriptions; nothing otherwise (the
    page says the same either way)."""
    try:
        email = normalise_email(email)
    except ValidationError:
        return
    subscriber = Subscriber.objects.filter(email=email).first()
    if subscriber is not None and subscriber.subscriptions.exists():
        emails.send_manage_link(subscriber)


# --- Digests --------------------------------------------------------------------------


def pending_changes(subscription: Subscription) -> list[ChangeNote]:
    """Major changes since the subscription was confirmed, not yet claimed for it,
    whose item is public and matches its search, oldest first."""
    if not subscription.is_confirmed:
        return []
    changes = (
        ChangeNote.objects.major()
        .filter(created_at__gte=subscription.confirmed_at)
        .exclude(deliveries__subscription=subscription)
        .select_related("content_type")
        .order_by("created_at", "id")
    )
    found = []
    for change in changes:
        item = change_item(change)
        if item is not None and change_matches(subscription, change):
            change.public_item = item
            found.append(change)
    return found


def _claim(subscription: Subscription, changes: list[ChangeNote]) -> list[ChangeNote]:
    """Write (and commit) a Delivery row per change; a change another run claimed
    already is left out."""
    claimed = []
    for change in changes:
        try:
            with transaction.atomic():
                Delivery.objects.create(subscription=subscription, change=change)
        except IntegrityError:
            continue
        claimed.append(change)
    return claimed


def subscription_send_digest(subscription: Subscription, *, connection=None) -> int:
    """Send ``subscription`` the changes it has not had: each change claimed (a unique
    (subscription, change) row, committed) before the email is sent, marked sent after.
    A run that crashes after claiming never sends those changes again; an email the
    backend refused (an exception) gives its claims back for the next run. Returns the
    number of changes sent."""
    changes = pending_changes(subscription)
    if not changes:
        return 0
    claimed = _claim(subscription, changes)
    if not claimed:
        return 0
    ids = [change.pk for change in claimed]
    try:
        emails.send_digest(subscription, claimed, connection=connection)
    except Exception:
        Delivery.objects.filter(
            subscription=subscription, change_id__in=ids, sent_at__isnull=True
        ).delete()
        raise
    now = timezone.now()
    Delivery.objects.filter(subscription=subscription, change_id__in=ids).update(sent_at=now)
    Subscription.objects.filter(pk=subscription.pk).update(last_sent_at=now)
    return len(claimed)


def alerts_send_digests(frequency: str | None = None) -> dict[str, int]:
    """Send every confirmed subscription of ``frequency`` (all when ``None``) its digest.
    Each subscription on its own: one that fails is logged and the others still go."""
    subscriptions = Subscription.objects.filter(confirmed_at__isnull=False).select_related(
        "subscriber"
    )
    if frequency:
        subscriptions = subscriptions.filter(frequency=frequency)
    sent = failed = emails_sent = 0
    for subscription in subscriptions.order_by("pk"):
        try:
            n = subscription_send_digest(subscription)
        except Exception:  # noqa: BLE001 - one address's failure must not stop the rest
            logger.exception("Alert digest for subscription %s failed", subscription.pk)
            failed += 1
            continue
        if n:
            sent += n
            emails_sent += 1
    return {"changes": sent, "emails": emails_sent, "failed": failed}


# --- Retention ------------------------------------------------------------------------


@transaction.atomic
def alerts_apply_retention(now: datetime.datetime | None = None) -> dict[str, int]:
    """Unconfirmed subscriptions go after 7 days; addresses without a confirmed
    subscription for 28 days go with everything of theirs."""
    now = now or timezone.now()
    stale = Subscription.objects.filter(
        confirmed_at__isnull=True, created_at__lt=now - UNCONFIRMED_KEPT
    )
    subscribers = set(stale.values_list("subscriber_id", flat=True))
    unconfirmed, _ = stale.delete()
    for subscriber_id in subscribers:
        _mark_inactive_if_none_left(subscriber_id)
    inactive = Subscriber.objects.filter(inactive_since__lt=now - INACTIVE_ADDRESS_KEPT).exclude(
        subscriptions__confirmed_at__isnull=False
    )
    addresses = inactive.count()
    inactive.delete()
    return {"unconfirmed_subscriptions": unconfirmed, "addresses": addresses}
