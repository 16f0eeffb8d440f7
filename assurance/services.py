"""Every change to assurance data goes through these services: each checks who is acting
(``PermissionDenied``) and what is allowed (``AssuranceError``, with a message for the
person), and saves everything or nothing."""

from __future__ import annotations

import datetime
from collections.abc import Iterable

from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.utils import timezone

from . import access
from .evidence_files import evidence_check, evidence_scan, evidence_storage, evidence_store
from .models import (
    CLOSING_EVIDENCE,
    UPDATE_STATUSES,
    Action,
    ActionStatus,
    Challenge,
    ChallengeMessage,
    ChallengeState,
    DueDateChange,
    Evidence,
    EvidenceKind,
    ProgressUpdate,
    Recommendation,
    ReviewPlan,
    ScanStatus,
    Scope,
    YearlyReport,
)


class AssuranceError(ValueError):
    """The change is not allowed; the message says why."""


def _require(allowed: bool) -> None:
    if not allowed:
        raise PermissionDenied


# --- Recommendations -------------------------------------------------------------------


def _check_recommendation(
    *, text: str, scope: str, accepted: bool, response_reason: str, adopted_locally: bool
) -> None:
    if not text.strip():
        raise AssuranceError("Enter the recommendation.")
    if scope not in Scope.values:
        raise AssuranceError("Choose the recommendation's scope.")
    if not accepted and not response_reason.strip():
        raise AssuranceError("Give the reason the recommendation was not accepted.")
    if adopted_locally and scope != Scope.NATIONAL:
        raise AssuranceError("Only a national recommendation can be adopted locally.")


@transaction.atomic
def recommendation_create(
    review,
    *,
    by,
    text: str,
    scope: str = Scope.MULTI_AGENCY,
    number: int | None = None,
    agencies: Iterable = (),
    themes: Iterable = (),
    accepted: bool = True,
    response_reason: str = "",
    adopted_locally: bool = False,
    adopted_on: datetime.date | None = None,
    is_demo: bool = False,
) -> Recommendation:
    _require(by is None or access.is_lead(by))
    _check_recommendation(
        text=text,
        scope=scope,
        accepted=accepted,
        response_reason=response_reason,
        adopted_locally=adopted_locally,
    )
    taken = set(Recommendation.objects.filter(review=review).values_list("number", flat=True))
    if number is None:
        number = max(taken, default=0) + 1
    elif number in taken:
        raise AssuranceError(f"This review already has a recommendation {number}.")
    rec = Recommendation.objects.create(
        review=review,
        number=number,
        text=text.strip(),
        scope=scope,
        accepted=accepted,
        response_reason=response_reason.strip() if not accepted else "",
        adopted_locally=adopted_locally,
        adopted_on=adopted_on if adopted_locally else None,
        is_demo=is_demo,
    )
    rec.agencies.set(agencies)
    rec.themes.set(themes)
    return rec


@transaction.atomic
def recommendation_update(
    rec: Recommendation,
    *,
    by,
    text: str,
    scope: str,
    number: int,
    agencies: Iterable,
    themes: Iterable,
    accepted: bool,
    response_reason: str,
    adopted_locally: bool,
    adopted_on: datetime.date | None,
) -> Recommendation:
    _require(access.is_lead(by))
    _check_recommendation(
        text=text,
        scope=scope,
        accepted=accepted,
        response_reason=response_reason,
        adopted_locally=adopted_locally,
    )
    if Recommendation.objects.filter(review=rec.review, number=number).exclude(pk=rec.pk).exists():
        raise AssuranceError(f"This review already has a recommendation {number}.")
    rec.text = text.strip()
    rec.scope = scope
    rec.number = number
    rec.accepted = accepted
    rec.response_reason = response_reason.strip() if not accepted else ""
    rec.adopted_locally = adopted_locally
    rec.adopted_on = adopted_on if adopted_locally else None
    rec.save()
    rec.agencies.set(agencies)
    rec.themes.set(themes)
    return rec


# --- Actions ---------------------------------------------------------------------------


@transaction.atomic
def action_create(
    rec: Recommendation,
    *,
    by,
    description: str,
    owner_agency,
    lead_role: str,
    due_date: datetime.date,
    public_summary: str = "",
    reaudit_date: datetime.date | None = None,
    is_demo: bool = False,
) -> Action:
    _require(by is None or access.is_lead(by))
    if not description.strip() or not lead_role.strip():
        raise AssuranceError("Enter what will be done and the lead role.")
    if reaudit_date and reaudit_date < due_date:
        raise AssuranceError("The re-audit date must be on or after the due date.")
    return Action.objects.create(
        recommendation=rec,
        description=description.strip(),
        owner_agency=owner_agency,
        lead_role=lead_role.strip(),
        due_date=due_date,
        public_summary=public_summary.strip(),
        reaudit_date=reaudit_date,
        is_demo=is_demo,
    )


@transaction.atomic
def action_update(
    action: Action,
    *,
    by,
    description: str,
    owner_agency,
    lead_role: str,
    due_date: datetime.date,
    public_summary: str,
    reaudit_date: datetime.date | None,
) -> Action:
    _require(access.is_lead(by))
    if not description.strip() or not lead_role.strip():
        raise AssuranceError("Enter what will be done and the lead role.")
    action.description = description.strip()
    action.owner_agency = owner_agency
    action.lead_role = lead_role.strip()
    action.due_date = due_date
    action.public_summary = public_summary.strip()
    action.reaudit_date = reaudit_date
    action.save()
    return action


def _locked(action: Action) -> Action:
    """The action's row, locked until the transaction ends (two people signing off or
    completing at once: one waits, then sees the other's change)."""
    return Action.objects.select_for_update().get(pk=action.pk)


@transaction.atomic
def action_revise_due(
    action: Action, *, by, new_due: datetime.date, reason: str, author_name: str = ""
) -> Action:
    """A revised due date needs a reason; each revision is kept (slippage)."""
    _require(by is None or access.can_update_action(by, action))
    action = _locked(action)
    if action.is_done:
        raise AssuranceError("The action is complete: its due date cannot change.")
    if not reason.strip():
        raise AssuranceError("Give the reason the due date is changing.")
    if new_due == action.effective_due:
        raise AssuranceError("The new due date is the same as the current one.")
    DueDateChange.objects.create(
        action=action,
        previous_due=action.effective_due,
        new_due=new_due,
        reason=reason.strip(),
        changed_by=by,
    )
    action.revised_due_date = new_due
    action.revised_reason = reason.strip()
    action.save(update_fields=["revised_due_date", "revised_reason", "updated_at"])
    return action


@transaction.atomic
def action_record_progress(
    action: Action,
    *,
    by,
    text: str,
    status: str,
    date: datetime.date | None = None,
    author_name: str = "",
) -> ProgressUpdate:
    _require(by is None or access.can_update_action(by, action))
    action = _locked(action)
    if action.is_done:
        raise AssuranceError(
            "The action is marked complete: an assurance lead signs it off or returns it."
        )
    if status not in UPDATE_STATUSES:
        raise AssuranceError("Choose the action's status.")
    if not text.strip():
        raise AssuranceError("Enter the progress made.")
    date = date or timezone.localdate()
    if date > timezone.localdate():
        raise AssuranceError("The update's date cannot be in the future.")
    update = ProgressUpdate.objects.create(
        action=action,
        date=date,
        text=text.strip(),
        status=status,
        author=by,
        author_name=author_name,
    )
    action.status = status
    action.save(update_fields=["status", "updated_at"])
    return update


@transaction.atomic
def evidence_add(
    action: Action,
    *,
    by,
    kind: str,
    date: datetime.date,
    description: str,
    link: str = "",
    upload=None,
) -> Evidence:
    """Add evidence: a link or a file (checked, scanned by the hook, stored privately)."""
    _require(by is None or access.can_update_action(by, action))
    if action.status == ActionStatus.ASSURED:
        raise AssuranceError("The action is assured and closed: it takes no more evidence.")
    if not description.strip():
        raise AssuranceError("Describe the evidence.")
    if date > timezone.localdate():
        raise AssuranceError("The evidence's date cannot be in the future.")
    if kind not in EvidenceKind.values:
        raise AssuranceError("Choose the kind of evidence.")
    if not link and upload is None:
        raise AssuranceError("Give a link to the evidence or attach a file.")
    evidence = Evidence(
        action=action,
        kind=kind,
        date=date,
        description=description.strip(),
        link=link,
        added_by=by,
    )
    if upload is not None:
        ext, content_type = evidence_check(upload)
        scanned = evidence_scan(upload)
        evidence.original_name = upload.name.rsplit("/", 1)[-1][:200]
        evidence.content_type = content_type
        evidence.size = upload.size
        evidence.scan_status = ScanStatus.CLEAN if scanned else ScanStatus.NOT_SCANNED
        evidence.file_name = evidence_store(upload, ext)
        try:
            evidence.save()
        except Exception:
            evidence_storage().delete(evidence.file_name)  # never keep a file without its row
            raise
        return evidence
    evidence.save()
    return evidence


@transaction.atomic
def action_mark_complete(action: Action, *, by, note: str = "") -> Action:
    """The owner says the action is done: it waits for evidence and sign-off."""
    _require(by is None or access.can_update_action(by, action))
    action = _locked(action)
    if action.is_done:
        raise AssuranceError("The action is already marked complete.")
    action.status = ActionStatus.COMPLETE
    action.completed_by = by
    action.completed_at = timezone.now()
    action.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    ProgressUpdate.objects.create(
        action=action,
        text=note.strip() or "Marked complete, for sign-off.",
        status=ActionStatus.COMPLETE,
        author=by,
    )
    return action


@transaction.atomic
def action_sign_off(action: Action, *, by) -> Action:
    """Assure and close: an assurance lead who is not the person who marked it complete,
    with at least one practice-change or outcome evidence."""
    _require(access.is_lead(by))
    action = _locked(action)
    if action.status != ActionStatus.COMPLETE:
        raise AssuranceError("Only an action marked complete can be signed off.")
    if action.completed_by_id is not None and action.completed_by_id == by.pk:
        raise AssuranceError(
            "You marked this action complete, so a second person must sign it off."
        )
    if not action.evidence.filter(kind__in=CLOSING_EVIDENCE).exists():
        raise AssuranceError(
            "Signing off needs at least one evidence of practice change or of outcome for "
            "children (an output alone is not enough)."
        )
    action.status = ActionStatus.ASSURED
    action.signed_off_by = by
    action.signed_off_at = timezone.now()
    action.save(update_fields=["status", "signed_off_by", "signed_off_at", "updated_at"])
    ProgressUpdate.objects.create(
        action=action, text="Assured and closed.", status=ActionStatus.ASSURED, author=by
    )
    return action


@transaction.atomic
def action_return(action: Action, *, by, reason: str) -> Action:
    """An assurance lead sends a completed action back (the evidence is not enough)."""
    _require(access.is_lead(by))
    action = _locked(action)
    if action.status != ActionStatus.COMPLETE:
        raise AssuranceError("Only an action marked complete can be returned.")
    if not reason.strip():
        raise AssuranceError("Say why the action is returned.")
    action.status = ActionStatus.ON_TRACK
    action.completed_by = None
    action.completed_at = None
    action.save(update_fields=["status", "completed_by", "completed_at", "updated_at"])
    ProgressUpdate.objects.create(
        action=action,
        text=f"Returned, not signed off: {reason.strip()}",
        status=ActionStatus.ON_TRACK,
        author=by,
    )
    return action


# --- Challenges ------------------------------------------------------------------------


@transaction.atomic
def challenge_raise(subject, *, by, text: str, is_demo: bool = False) -> Challenge:
    _require(by is None or access.can_challenge(by))
    if not text.strip():
        raise AssuranceError("Enter the challenge.")
    challenge = Challenge.objects.create(
        action=subject if isinstance(subject, Action) else None,
        recommendation=subject if isinstance(subject, Recommendation) else None,
        raised_by=by,
        is_demo=is_demo,
    )
    ChallengeMessage.objects.create(challenge=challenge, text=text.strip(), author=by)
    return challenge


@transaction.atomic
def challenge_reply(
    challenge: Challenge, *, by, text: str, author_name: str = ""
) -> ChallengeMessage:
    """A reply from the owner (or a lead) answers the challenge; the scrutineer's follow-up
    opens it again."""
    _require(by is None or access.can_reply(by, challenge))
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state == ChallengeState.CLOSED:
        raise AssuranceError("The challenge is closed.")
    if not text.strip():
        raise AssuranceError("Enter your reply.")
    from_scrutiny = by is not None and access.is_scrutineer(by) and not access.is_lead(by)
    message = ChallengeMessage.objects.create(
        challenge=challenge,
        text=text.strip(),
        author=by,
        author_name=author_name,
        is_reply=not from_scrutiny,
    )
    challenge.state = ChallengeState.OPEN if from_scrutiny else ChallengeState.ANSWERED
    challenge.save(update_fields=["state"])
    return message


@transaction.atomic
def challenge_close(challenge: Challenge, *, by) -> Challenge:
    _require(access.can_challenge(by))
    challenge = Challenge.objects.select_for_update().get(pk=challenge.pk)
    if challenge.state == ChallengeState.OPEN:
        raise AssuranceError(
            "The challenge is waiting for a reply: it can be closed once answered."
        )
    challenge.state = ChallengeState.CLOSED
    challenge.save(update_fields=["state"])
    return challenge


# --- Review settings and the yearly report ---------------------------------------------


@transaction.atomic
def review_plan_update(
    review, *, by, started_on: datetime.date | None, show_what_we_did: bool
) -> ReviewPlan:
    _require(access.is_lead(by))
    plan, _ = ReviewPlan.objects.get_or_create(review=review)
    plan.started_on = started_on
    plan.show_what_we_did = show_what_we_did
    plan.save()
    return plan


@transaction.atomic
def yearly_report_update(
    year: int, *, by, introduction: str, notes: dict[str, str]
) -> YearlyReport:
    _require(access.is_lead(by))
    report, _ = YearlyReport.objects.select_for_update().get_or_create(year=year)
    if report.is_published:
        raise AssuranceError("The report is published: its text can no longer change.")
    report.introduction = introduction.strip()
    report.notes = {key: value.strip() for key, value in notes.items() if value.strip()}
    report.save()
    return report


@transaction.atomic
def yearly_report_publish(year: int, *, by) -> YearlyReport:
    _require(access.is_lead(by))
    report, _ = YearlyReport.objects.select_for_update().get_or_create(year=year)
    if report.is_published:
        raise AssuranceError("The report is already published.")
    report.published_at = timezone.now()
    report.published_by = by
    report.save(update_fields=["published_at", "published_by", "updated_at"])
    return report
