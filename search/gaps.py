"""Content gaps: the searches that found nothing, recorded so they cannot be flooded.

- A client (its address, as ``content.clients.client_ip`` reads it) is counted at
  most once per query per ``SEARCH_GAPS_PERIOD`` seconds (an hour by default) in
  ``count``, and once per query per day in ``clients`` (distinct clients that day).
- One client adds at most ``SEARCH_GAPS_PER_CLIENT_PER_DAY`` new queries a day: 600
  random queries from one address make a few rows, not 600.
- The report keeps at most ``SEARCH_GAPS_MAX_ROWS`` rows (when full, the row fewest people
  searched for, oldest first, makes room) and forgets rows older than
  ``SEARCH_GAPS_KEEP_DAYS``.

Who searched is never stored in the database: the checks use the cache (shared by every
worker when ``REDIS_URL`` is set), keyed by a keyed hash of the address and the query
that expires with its period.
"""

from __future__ import annotations

import datetime
import hashlib
import hmac

from django.conf import settings
from django.core.cache import cache
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from content.clients import client_ip
from content.ratelimit import RateLimit

from .models import ZeroResultQuery
from .text import normalise_query

DAY = 24 * 60 * 60


def _digest(*parts: str) -> str:
    message = "\x1f".join(parts).encode()
    return hmac.new(settings.SECRET_KEY.encode(), message, hashlib.sha256).hexdigest()[:32]


def _first_time(key: str, timeout: int) -> bool:
    """Whether ``key`` was not in the cache (and is now); True if the cache is down."""
    try:
        added = cache.add(key, 1, timeout=timeout)
    except Exception:  # noqa: BLE001 - a cache that is down: record as before
        return True
    return added is not False


def _age_out_and_cap(today: datetime.date) -> None:
    cutoff = today - datetime.timedelta(days=settings.SEARCH_GAPS_KEEP_DAYS)
    ZeroResultQuery.objects.filter(date__lt=cutoff).delete()
    excess = ZeroResultQuery.objects.count() - settings.SEARCH_GAPS_MAX_ROWS + 1
    if excess > 0:
        weakest = ZeroResultQuery.objects.order_by("clients", "count", "date", "pk").values_list(
            "pk", flat=True
        )[:excess]
        ZeroResultQuery.objects.filter(pk__in=list(weakest)).delete()


def zero_result_record(q: str | None, request=None) -> bool:
    """Count a search that found nothing, within the limits above. Returns whether it was
    counted. ``request``: the search's request, whose client is counted (without one, as
    from a command, the search is counted as one more client, with no limits)."""
    query = normalise_query(q)[:200]
    if not query:
        return False
    today = timezone.localdate()
    new_today = True
    if request is not None:
        client = client_ip(request) or "unknown"
        who = _digest(query, client)
        period = settings.SEARCH_GAPS_PERIOD
        window = int(timezone.now().timestamp() // period)
        if not _first_time(f"search-gap:seen:{window}:{who}", period + 1):
            return False  # this client, this query, this period: already counted
        new_today = _first_time(f"search-gap:day:{today.isoformat()}:{who}", DAY + 60)
        if new_today:
            per_client = RateLimit(
                "search-gap-client", settings.SEARCH_GAPS_PER_CLIENT_PER_DAY, DAY
            )
            if not per_client.hit(client):
                return False
    added_clients = 1 if new_today else 0
    rows = ZeroResultQuery.objects.filter(query=query, date=today)
    with transaction.atomic():
        if rows.update(count=F("count") + 1, clients=F("clients") + added_clients):
            return True
        _age_out_and_cap(today)
        try:
            with transaction.atomic():
                ZeroResultQuery.objects.create(query=query, date=today, count=1, clients=1)
        except IntegrityError:  # another request created it meanwhile
            rows.update(count=F("count") + 1, clients=F("clients") + added_clients)
    return True
