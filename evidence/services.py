"""Services of evidence of use: each named ``<entity>_<action>``, atomic."""

from __future__ import annotations

import datetime
import hmac
import logging
import secrets
from dataclasses import dataclass
from enum import Enum

from django.conf import settings
from django.core import signing
from django.core.mail import EmailMultiAlternatives
from django.db import IntegrityError, models, transaction
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone
from django.utils.crypto import salted_hmac

from practice_points.models import PracticePoint
from themes.models import Theme

from .models import (
    MAX_FOLLOW_UP_EMAILS,
    AgreedAction,
    AllowedDomain,
    DeliveredSession,
    Feedback,
    FollowUp,
    FollowUpEmail,
    OneTimeCode,
    ShareStatus,
    Source,
)

logger = logging.getLogger(__name__)

CODE_LIFETIME = datetime.timedelta(minutes=15)
CODE_MAX_ATTEMPTS = 5
# A reminder goes this long after the first email, if the form is still not answered.
REMINDER_AFTER = datetime.timedelta(days=7)
FOLLOW_UP_LINK_MAX_AGE = 180 * 24 * 60 * 60  # seconds: the link works for six months
FOLLOW_UP_SALT = "evidence.follow-up"


# --- Allowed domains and one-time codes ----------------------------------------------


def allowed_domains() -> set[str]:
    """The partnership's list (staff-edited) and the setting's."""
    configured = {
        d.strip().lower() for d in getattr(settings, "EVIDENCE_ALLOWED_EMAIL_DOMAINS", [])
    }
    return {d for d in configured if d} | set(
        AllowedDomain.objects.values_list("domain", flat=True)
    )


def email_domain_allowed(email: str) -> bool:
    """Whether ``email`` is at an allowed domain or one of its subdomains."""
    if email.count("@") != 1:
        return False
    domain = email.rsplit("@", 1)[1].strip().lower().rstrip(".")
    if not domain:
        return False
    return any(domain == allowed or domain.endswith("." + allowed) for allowed in allowed_domains())


def _code_hash(code_id: int, code: str) -> str:
    return salted_hmac("evidence.one-time-code", f"{code_id}:{code}").hexdigest()


def one_time_code_issue(pack, email: str, *, request=None) -> OneTimeCode:
    """A new code for ``email`` to record a session with ``pack``, emailed there. Earlier
    unused codes for the same address and pack stop working."""
    if not email_domain_allowed(email):
        raise ValueError("That email domain is not on the partnership's list.")
    code = f"{secrets.randbelow(1_000_000):06d}"
    now = timezone.now()
    with transaction.atomic():
        OneTimeCode.objects.filter(pack=pack, email=email, used_at__isnull=True).update(
            expires_at=now
        )
        record = OneTimeCode.objects.create(
            pack=pack, email=email, code_hash="-", created_at=now, expires_at=now + CODE_LIFETIME
        )
        record.code_hash = _code_hash(record.pk, code)
        record.save(update_fields=["code_hash"])
    context = {
        "code": code,
        "pack_title": pack.title,
        "minutes": int(CODE_LIFETIME.total_seconds() // 60),
        "site_name": settings.SITE_NAME,
        "partnership_name": settings.PARTNERSHIP_NAME,
    }
    _send(
        subject=f"Your code to record a session: {code}",
        template="evidence/email/code",
        context=context,
        to=email,
    )
    return record


class CodeCheck(Enum):
    OK = "ok"
    WRONG = "wrong"
    EXPIRED = "expired"
    USED = "used"
    TOO_MANY = "too_many"


CODE_MESSAGES = {
    CodeCheck.WRONG: "The code is not right. Check the email and try again.",
    CodeCheck.EXPIRED: "The code has expired. Ask for a new one.",
    CodeCheck.USED: "That code has been used already. Ask for a new one.",
    CodeCheck.TOO_MANY: "Too many wrong codes. Ask for a new one.",
}


def one_time_code_verify(code_id: int | None, pack, entered: str) -> CodeCheck:
    """Check ``entered`` against the code ``code_id`` for ``pack``; a right code is used
    up at once (single use), a wrong one counts towards the limit."""
    with transaction.atomic():
        record = (
            OneTimeCode.objects.select_for_update().filter(pk=code_id, pack=pack).first()
            if code_id
            else None
        )
        if record is None:
            return CodeCheck.EXPIRED
        if record.used_at is not None:
            return CodeCheck.USED
        if record.attempts >= CODE_MAX_ATTEMPTS:
            return CodeCheck.TOO_MANY
        if record.expires_at <= timezone.now():
            return CodeCheck.EXPIRED
        if not hmac.compare_digest(record.code_hash, _code_hash(record.pk, entered)):
            record.attempts += 1
            record.save(update_fields=["attempts"])
            return CodeCheck.TOO_MANY if record.attempts >= CODE_MAX_ATTEMPTS else CodeCheck.WRONG
        record.used_at = timezone.now()
        record.save(update_fields=["used_at"])
        return CodeCheck.OK


# How long a one-time code (and the address it went to) is kept, used or not.
CODE_KEPT = datetime.timedelta(days=1)


def one_time_codes_delete_old(older_than: datetime.timedelta = CODE_KEPT) -> int:
    """Codes (and the addresses they went to) are kept a day, then deleted."""
    deleted, _ = OneTimeCode.objects.filter(created_at__lt=timezone.now() - older_than).delete()
    return deleted


def allowed_domain_add(domain: str, user) -> AllowedDomain:
    obj, _ = AllowedDomain.objects.get_or_create(domain=domain, defaults={"added_by": user})
    return obj


def allowed_domain_remove(domain: AllowedDomain) -> None:
    domain.delete()


# --- Sessions and follow-ups ---------------------------------------------------------


def _themes_of_pack(pack) -> set[int]:
    theme_ids = set(
        Theme.objects.public().filter(pack_items__pack=pack).values_list("pk", flat=True)
    )
    points = PracticePoint.objects.public().filter(pack_items__pack=pack)
    theme_ids |= set(
        Theme.objects.public().filter(practice_points__in=points).values_list("pk", flat=True)
    )
    return theme_ids


def _themes_of_briefing(briefing) -> set[int]:
    return set(briefing.themes.public().values_list("pk", flat=True))


@dataclass
class Used:
    source: str
    pack: object = None
    briefing: object = None

    @property
    def title(self) -> str:
        return (self.pack or self.briefing).title


@transaction.atomic
def session_record(
    *,
    used: Used,
    data: dict,
    actions: list[dict],
    recorded_by=None,
    contact_email: str = "",
    is_demo: bool = False,
) -> DeliveredSession:
    """A delivered session with its agreed actions and its follow-up (sent only when
    asked for, to ``contact_email``)."""
    if not actions:
        raise ValueError("A session needs at least one agreed action.")
    requested = bool(data.get("follow_up_requested")) and bool(contact_email)
    session = DeliveredSession(
        source=used.source,
        pack=used.pack,
        briefing=used.briefing if used.source == Source.BRIEFING else None,
        used_title=used.title[:300],
        recorded_by=recorded_by if getattr(recorded_by, "is_authenticated", False) else None,
        contact_email=contact_email if requested else "",
        delivered_on=data["delivered_on"],
        agency=data["agency"],
        team=data["team"],
        attendees=data["attendees"],
        attendee_roles=data["attendee_roles"],
        format=data["format"],
        discussion=data["discussion"],
        follow_up_on=data["follow_up_on"],
        follow_up_requested=requested,
        is_demo=is_demo,
    )
    session.full_clean()
    session.save()
    theme_ids = _themes_of_briefing(used.briefing) if used.briefing else _themes_of_pack(used.pack)
    session.themes.set(theme_ids)
    AgreedAction.objects.bulk_create(
        AgreedAction(
            session=session,
            position=position,
            action=action["action"],
            owner_role=action["owner_role"],
            due_on=action["due_on"],
        )
        for position, action in enumerate(actions, start=1)
    )
    FollowUp.objects.create(session=session)
    return session


def follow_up_token(follow_up: FollowUp) -> str:
    return signing.dumps({"f": follow_up.pk}, salt=FOLLOW_UP_SALT, compress=True)


def follow_up_from_token(token: str) -> FollowUp | None:
    """The follow-up a link is for; None when the link is not ours or too old."""
    try:
        data = signing.loads(token, salt=FOLLOW_UP_SALT, max_age=FOLLOW_UP_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
    if not isinstance(data, dict) or not isinstance(data.get("f"), int):
        return None
    return FollowUp.objects.select_related("session__agency").filter(pk=data["f"]).first()


@transaction.atomic
def follow_up_answer(follow_up: FollowUp, data: dict, outcomes: dict[int, str]) -> FollowUp:
    """The follow-up's answers; once answered, no more emails, and it cannot be answered
    again."""
    locked = FollowUp.objects.select_for_update().get(pk=follow_up.pk)
    if locked.answered_at is not None:
        raise ValueError("This follow-up has been answered already.")
    for action in locked.session.actions.all():
        action.outcome = outcomes[action.pk]
        action.save(update_fields=["outcome"])
    locked.what_changed = data.get("what_changed", "")
    locked.example = data.get("example", "")
    locked.confidence_before = int(data["confidence_before"])
    locked.confidence_now = int(data["confidence_now"])
    locked.share_status = (
        ShareStatus.WAITING if data.get("share") == "yes" else ShareStatus.NOT_OFFERED
    )
    locked.shared_text = locked.example if data.get("share") == "yes" else ""
    locked.answered_at = timezone.now()
    locked.full_clean()
    locked.save()
    # The address was kept to send this follow-up: no longer needed.
    DeliveredSession.objects.filter(pk=locked.session_id).update(contact_email="")
    return locked


# How long an address is kept after the last follow-up email, unanswered.
FORGET_AFTER = datetime.timedelta(days=14)


def contact_emails_forget(now: datetime.datetime | None = None) -> int:
    """Forget the addresses no follow-up email will go to any more: the follow-up was
    answered, or its last email went ``FORGET_AFTER`` ago. Returns how many."""
    now = now or timezone.now()
    done = FollowUp.objects.annotate(
        sent=models.Count("emails"), last_sent=models.Max("emails__sent_at")
    ).filter(
        models.Q(answered_at__isnull=False)
        | models.Q(sent__gte=MAX_FOLLOW_UP_EMAILS, last_sent__lt=now - FORGET_AFTER)
    )
    return (
        DeliveredSession.objects.filter(follow_up__in=done.values("pk"))
        .exclude(contact_email="")
        .update(contact_email="")
    )


def _send(*, subject: str, template: str, context: dict, to: str) -> None:
    text = render_to_string(f"{template}.txt", context)
    html = render_to_string(f"{template}.html", context)
    message = EmailMultiAlternatives(subject, text, settings.DEFAULT_FROM_EMAIL, [to])
    message.attach_alternative(html, "text/html")
    message.send()


def _site_url() -> str:
    return (getattr(settings, "EVIDENCE_SITE_URL", "") or settings.SITE_URL).rstrip("/")


def follow_up_email_send(follow_up: FollowUp, attempt: int) -> None:
    """Send attempt ``attempt`` (1: the first, 2: the reminder) of ``follow_up``'s email,
    recorded in the same transaction: an ``IntegrityError`` when it was sent already (by
    another run), the mail error when the send failed (then nothing is recorded)."""
    session = follow_up.session
    with transaction.atomic():
        FollowUpEmail.objects.create(follow_up=follow_up, attempt=attempt)
        link = _site_url() + reverse(
            "evidence:follow_up", kwargs={"token": follow_up_token(follow_up)}
        )
        context = {
            "session": session,
            "actions": list(session.actions.all()),
            "link": link,
            "reminder": attempt > 1,
            "site_name": settings.SITE_NAME,
            "partnership_name": settings.PARTNERSHIP_NAME,
        }
        subject = ("Reminder: how did it go? " if attempt > 1 else "How did it go? ") + (
            f"Follow-up of your session on {session.delivered_on:%-d %B %Y}"
        )
        _send(
            subject=subject,
            template="evidence/email/follow_up",
            context=context,
            to=session.contact_email,
        )


def follow_ups_send_due(today: datetime.date | None = None, *, once=None) -> int:
    """Send every due follow-up its next email: the first on the follow-up date, one
    reminder ``REMINDER_AFTER`` later if still unanswered, then nothing. Returns how many
    were sent. Safe to run as often as you like (cron, the scheduler): each email is a
    row unique per (follow-up, attempt), inserted in the send's transaction, and, under
    the scheduler, an effect done once (``once`` is ``scheduling.effect_once``)."""
    today = today or timezone.localdate()
    now = timezone.now()
    sent = 0
    for follow_up in FollowUp.objects.due(today).select_related("session"):
        attempt = follow_up.sent + 1
        if attempt > MAX_FOLLOW_UP_EMAILS:
            continue
        if attempt > 1:
            last = follow_up.emails.order_by("-attempt").first()
            if last is not None and now - last.sent_at < REMINDER_AFTER:
                continue

        def send(follow_up=follow_up, attempt=attempt):
            follow_up_email_send(follow_up, attempt)

        try:
            if once is None:
                send()
                done = True
            else:
                done = once(f"evidence.follow_up:{follow_up.pk}:{attempt}", send)
        except IntegrityError:
            done = False  # sent by another run meanwhile
        except Exception:  # noqa: BLE001 - a mail server that is down: the next run tries
            logger.warning("Follow-up email %s/%s not sent", follow_up.pk, attempt, exc_info=True)
            done = False
        sent += bool(done)
    return sent


# --- Good practice -----------------------------------------------------------------


@transaction.atomic
def good_practice_publish(follow_up: FollowUp, user, text: str) -> FollowUp:
    if follow_up.answered_at is None or follow_up.share_status == ShareStatus.NOT_OFFERED:
        raise ValueError("Only follow-ups offered as good practice can be published.")
    follow_up.shared_text = text.strip()
    follow_up.share_status = ShareStatus.PUBLISHED
    follow_up.reviewed_by = user
    follow_up.reviewed_at = timezone.now()
    follow_up.full_clean()
    follow_up.save()
    return follow_up


@transaction.atomic
def good_practice_decline(follow_up: FollowUp, user) -> FollowUp:
    if follow_up.share_status == ShareStatus.NOT_OFFERED:
        raise ValueError("This follow-up was not offered as good practice.")
    follow_up.share_status = ShareStatus.DECLINED
    follow_up.reviewed_by = user
    follow_up.reviewed_at = timezone.now()
    follow_up.save(update_fields=["share_status", "reviewed_by", "reviewed_at"])
    return follow_up


def good_practice_for_theme(theme, limit: int = 6):
    return (
        FollowUp.objects.public()
        .filter(session__themes=theme)
        .select_related("session__agency")
        .order_by("-session__delivered_on", "-id")
        .distinct()[:limit]
    )


# --- Feedback ------------------------------------------------------------------------


def feedback_record(*, target, useful: bool, differently: str, is_demo: bool = False) -> Feedback:
    """Anonymous feedback on a public point or theme: nothing about the sender is kept."""
    if not target.is_public():
        raise ValueError("Feedback is only taken on public content.")
    field = "practice_point" if isinstance(target, PracticePoint) else "theme"
    feedback = Feedback(
        useful=useful, differently=differently.strip(), is_demo=is_demo, **{field: target}
    )
    feedback.full_clean()
    feedback.save()
    return feedback


def feedback_hide(feedback: Feedback, user, hidden: bool = True) -> Feedback:
    Feedback.objects.filter(pk=feedback.pk).update(
        hidden=hidden, hidden_by=user if hidden else None
    )
    feedback.refresh_from_db()
    return feedback
