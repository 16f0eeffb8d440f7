"""The assurance pages for staff (GOV.UK style). Every view is wrapped by
``access.assurance_view`` (signed in with the second factor, holding an assurance role);
writes check the person's right to the object (403 otherwise) and go through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from practice_points.models import Review
from themes.models import Agency

from . import access, forms, importing, selectors, services
from . import charts as charts_
from .access import assurance_view
from .evidence_files import evidence_storage
from .models import (
    RAG_MEANING,
    Action,
    Challenge,
    ChallengeState,
    Evidence,
    PlanImport,
    Recommendation,
    ReviewPlan,
    YearlyReport,
)
from .report import actions_csv, report_docx, report_sections
from .roles import ASSURANCE_ROLES, user_agency, user_agency_set, user_roles
from .services import AssuranceError

NAV = (
    ("dashboard", "Dashboard", "assurance:dashboard"),
    ("plans", "Action plans", "assurance:plans"),
    ("mine", "My agency's actions", "assurance:mine"),
    ("overdue", "Overdue", "assurance:overdue"),
    ("at_risk", "At risk", "assurance:at_risk"),
    ("challenges", "Challenges", "assurance:challenges"),
    ("report", "Yearly report", "assurance:report_index"),
    ("people", "People", "assurance:people"),
)


def _page(request, template: str, context: dict, *, section: str = "", status: int = 200):
    context = {
        "assurance_nav": [
            {"key": key, "label": label, "url": reverse(name), "current": key == section}
            for key, label, name in NAV
        ],
        "roles": sorted(user_roles(request.user)),
        "is_lead": access.is_lead(request.user),
        "can_challenge": access.can_challenge(request.user),
        "today": timezone.localdate(),
        **context,
    }
    return render(request, template, context, status=status)


def _posted(request, *, files: bool = False) -> tuple:
    """A form's data: bound on a POST even when empty (an empty form is told what is
    missing), unbound otherwise."""
    if request.method != "POST":
        return (None, None) if files else (None,)
    return (request.POST, request.FILES) if files else (request.POST,)


def _form_page(
    request,
    form,
    *,
    title: str,
    caption: str = "",
    back: str,
    submit: str,
    intro: str = "",
    section: str = "plans",
    multipart: bool = False,
    error: str = "",
    status: int = 200,
    subject=None,
):
    return _page(
        request,
        "assurance/form_page.html",
        {
            "form": form,
            "title": title,
            "caption": caption,
            "back": back,
            "submit": submit,
            "intro": intro,
            "multipart": multipart,
            "error": error,
            "subject": subject,
        },
        section=section,
        status=status,
    )


# --- Overview pages -------------------------------------------------------------------


def _form_flow(request, form, save, *, success, done, errors=(AssuranceError,), **page):
    """Every assurance form page's one flow: on a valid POST, ``save(cleaned_data)`` (a
    service call) and go to ``done`` (a URL, or a function of what ``save`` returned) with
    the ``success`` message (text, or a function of it); a refusal from the service is
    shown with the form, as the form's own errors are (400). Nothing is saved on either."""
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            result = save(form.cleaned_data)
        except errors as exc:
            error = str(exc)
        else:
            messages.success(request, success(result) if callable(success) else success)
            return redirect(done(result) if callable(done) else done)
    status = 400 if (form.errors or error) else 200
    return _form_page(request, form, error=error, status=status, **page)


@assurance_view
def dashboard(request):
    today = timezone.localdate()
    d = selectors.dashboard(today)
    charts = {
        "rag": charts_.bar_chart(
            "chart-rag",
            "Actions by RAG rating",
            f"{d.total} actions: " + ", ".join(f"{label} {n}" for _, label, n in d.by_rag) + ".",
            d.by_rag,
            rag=True,
        ),
        "status": charts_.bar_chart(
            "chart-status",
            "Actions by status",
            ", ".join(f"{label} {n}" for label, n in d.by_status) + ".",
            d.by_status,
        ),
        "agency": charts_.stacked_chart(
            "chart-agency",
            "RAG rating of actions by owner agency",
            "; ".join(
                f"{r.label}: "
                + ", ".join(
                    f"{rag.label} {n}"
                    for rag, n in zip(selectors.RAG_ORDER, r.cells(), strict=True)
                )
                for r in d.by_agency
            )
            or "No actions.",
            d.by_agency,
        ),
        "theme": charts_.stacked_chart(
            "chart-theme",
            "RAG rating of actions by learning theme",
            "; ".join(
                f"{r.label}: "
                + ", ".join(
                    f"{rag.label} {n}"
                    for rag, n in zip(selectors.RAG_ORDER, r.cells(), strict=True)
                )
                for r in d.by_theme
            )
            or "No actions.",
            d.by_theme,
        ),
    }
    return _page(
        request,
        "assurance/dashboard.html",
        {"d": d, "charts": charts, "rag_meaning": RAG_MEANING, "rag_order": selectors.RAG_ORDER},
        section="dashboard",
    )


@assurance_view
def plans(request):
    with_plans = list(selectors.reviews_with_plans())
    others = Review.objects.exclude(pk__in=[r.pk for r in with_plans]).order_by("title")
    return _page(
        request,
        "assurance/plans.html",
        {"reviews": with_plans, "others": others if access.is_lead(request.user) else []},
        section="plans",
    )


@assurance_view
def plan(request, slug: str):
    review = get_object_or_404(Review, slug=slug)
    settings_row = ReviewPlan.objects.filter(review=review).first()
    return _page(
        request,
        "assurance/plan.html",
        {
            "review": review,
            "plan_settings": settings_row,
            "recommendations": selectors.review_plan_recommendations(review),
        },
        section="plans",
    )


def _action_list(request, actions, *, title: str, intro: str, section: str, empty: str):
    return _page(
        request,
        "assurance/action_list.html",
        {"actions": list(actions), "title": title, "intro": intro, "empty": empty},
        section=section,
    )


@assurance_view
def mine(request):
    agency = user_agency(request.user)
    if agency is None:
        return _page(request, "assurance/no_agency.html", {}, section="mine")
    return _action_list(
        request,
        selectors.agency_actions(agency),
        title=f"{agency.name}: actions",
        intro="Every action your agency owns, soonest due first.",
        section="mine",
        empty="Your agency owns no actions.",
    )


@assurance_view
def overdue(request):
    return _action_list(
        request,
        selectors.overdue_actions(timezone.localdate()),
        title="Overdue actions",
        intro="Open actions past their due date (the revised due date where there is one).",
        section="overdue",
        empty="No action is overdue.",
    )


@assurance_view
def at_risk(request):
    return _action_list(
        request,
        selectors.at_risk_actions(),
        title="Actions at risk or off track",
        intro="Actions whose owners say they are at risk or off track.",
        section="at_risk",
        empty="No action is at risk or off track.",
    )


# --- Recommendations and actions (assurance leads plan) --------------------------------


def _lead_only(request):
    if not access.is_lead(request.user):
        raise PermissionDenied


@assurance_view
def plan_settings(request, slug: str):
    _lead_only(request)
    review = get_object_or_404(Review, slug=slug)
    current = ReviewPlan.objects.filter(review=review).first()
    initial = (
        {"started_on": current.started_on, "show_what_we_did": current.show_what_we_did}
        if current
        else {}
    )
    form = forms.ReviewPlanForm(*_posted(request), initial=initial)
    back = reverse("assurance:plan", args=[review.slug])
    return _form_flow(
        request,
        form,
        lambda data: services.review_plan_update(review, by=request.user, **data),
        success="The review's settings are saved.",
        done=back,
        title="Review settings",
        caption=review.title,
        back=back,
        submit="Save settings",
    )


def _rec_kwargs(data: dict) -> dict:
    return {
        "number": data["number"],
        "text": data["text"],
        "scope": data["scope"],
        "agencies": data["agencies"],
        "themes": data["themes"],
        "accepted": data["accepted"],
        "response_reason": data["response_reason"],
        "adopted_locally": data["adopted_locally"],
        "adopted_on": data["adopted_on"],
    }


@assurance_view
def recommendation_new(request, slug: str):
    _lead_only(request)
    review = get_object_or_404(Review, slug=slug)
    next_number = max(review.recommendations.values_list("number", flat=True), default=0) + 1
    form = forms.RecommendationForm(
        *_posted(request),
        initial={"number": next_number, "scope": "multi_agency", "accepted": "yes"},
    )
    return _form_flow(
        request,
        form,
        lambda data: services.recommendation_create(review, by=request.user, **_rec_kwargs(data)),
        success=lambda rec: f"Recommendation {rec.number} is added.",
        done=lambda rec: rec.get_absolute_url(),
        title="Add a recommendation",
        caption=review.title,
        back=reverse("assurance:plan", args=[review.slug]),
        submit="Add the recommendation",
    )


@assurance_view
def recommendation_edit(request, pk: int):
    _lead_only(request)
    rec = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
    initial = {
        "number": rec.number,
        "text": rec.text,
        "scope": rec.scope,
        "agencies": list(rec.agencies.all()),
        "themes": list(rec.themes.all()),
        "accepted": "yes" if rec.accepted else "no",
        "response_reason": rec.response_reason,
        "adopted_locally": rec.adopted_locally,
        "adopted_on": rec.adopted_on,
    }
    form = forms.RecommendationForm(*_posted(request), initial=initial)
    return _form_flow(
        request,
        form,
        lambda data: services.recommendation_update(rec, by=request.user, **_rec_kwargs(data)),
        success=lambda _: f"Recommendation {rec.number} is saved.",
        done=rec.get_absolute_url(),
        title=f"Change recommendation {rec.number}",
        caption=rec.review.title,
        back=rec.get_absolute_url(),
        submit="Save the recommendation",
    )


@assurance_view
def action_new(request, pk: int):
    _lead_only(request)
    rec = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
    form = forms.ActionForm(*_posted(request))
    return _form_flow(
        request,
        form,
        lambda data: services.action_create(rec, by=request.user, **data),
        success="The action is added.",
        done=lambda action: action.get_absolute_url(),
        title="Add an action",
        caption=f"{rec.review.title}, recommendation {rec.number}",
        back=rec.get_absolute_url(),
        submit="Add the action",
        intro=rec.text,
    )


@assurance_view
def action_detail(request, pk: int):
    action = get_object_or_404(
        Action.objects.full().prefetch_related("evidence", "due_changes", "recommendation__themes"),
        pk=pk,
    )
    user = request.user
    return _page(
        request,
        "assurance/action.html",
        {
            "action": action,
            "rec": action.recommendation,
            "updates": action.updates.select_related("author"),
            "evidence": action.evidence.all(),
            "due_changes": action.due_changes.all(),
            "challenges": action.challenges.prefetch_related("messages"),
            "can_update": access.can_update_action(user, action),
            "can_sign_off": access.can_sign_off(user, action),
            "completed_by_me": action.completed_by_id == user.pk,
            "has_closing_evidence": action.has_closing_evidence(),
        },
        section="plans",
    )


def _action_for_update(request, pk: int) -> Action:
    action = get_object_or_404(Action.objects.full(), pk=pk)
    if not access.can_update_action(request.user, action):
        raise PermissionDenied
    return action


@assurance_view
def action_edit(request, pk: int):
    _lead_only(request)
    action = get_object_or_404(Action.objects.full(), pk=pk)
    initial = {
        "description": action.description,
        "owner_agency": action.owner_agency,
        "lead_role": action.lead_role,
        "due_date": action.due_date,
        "reaudit_date": action.reaudit_date,
        "public_summary": action.public_summary,
    }
    form = forms.ActionForm(*_posted(request), initial=initial)
    return _form_flow(
        request,
        form,
        lambda data: services.action_update(action, by=request.user, **data),
        success="The action is saved.",
        done=action.get_absolute_url(),
        title="Change the action",
        caption=action.description[:80],
        back=action.get_absolute_url(),
        submit="Save the action",
    )


@assurance_view
def action_progress(request, pk: int):
    action = _action_for_update(request, pk)
    initial = {
        "status": action.status if action.status in forms.UPDATE_STATUSES else "on_track",
        "date": timezone.localdate(),
    }
    form = forms.ProgressForm(*_posted(request), initial=initial)
    return _form_flow(
        request,
        form,
        lambda data: services.action_record_progress(action, by=request.user, **data),
        success="The progress update is recorded.",
        done=action.get_absolute_url(),
        title="Record progress",
        caption=action.description[:80],
        back=action.get_absolute_url(),
        submit="Record the update",
    )


@assurance_view
def action_revise_due(request, pk: int):
    action = _action_for_update(request, pk)
    form = forms.RevisedDueForm(*_posted(request))
    return _form_flow(
        request,
        form,
        lambda data: services.action_revise_due(action, by=request.user, **data),
        success="The due date is revised.",
        done=action.get_absolute_url(),
        title="Revise the due date",
        caption=action.description[:80],
        back=action.get_absolute_url(),
        submit="Revise the due date",
        intro=f"Due now: {action.effective_due:%d %B %Y}. A revised due date is counted as "
        "slippage and needs a reason.",
    )


@assurance_view
def evidence_new(request, pk: int):
    action = _action_for_update(request, pk)
    form = forms.EvidenceForm(*_posted(request, files=True), initial={"date": timezone.localdate()})

    def save(data):
        return services.evidence_add(
            action,
            by=request.user,
            kind=data["kind"],
            date=data["date"],
            description=data["description"],
            link=data["link"],
            upload=data["file"],
        )

    return _form_flow(
        request,
        form,
        save,
        errors=(AssuranceError, ValueError),
        success="The evidence is added.",
        done=action.get_absolute_url(),
        title="Add evidence",
        caption=action.description[:80],
        back=action.get_absolute_url(),
        submit="Add the evidence",
        multipart=True,
        intro="Closing an action needs at least one evidence of practice change or of outcome "
        "for children; an output (e.g. a procedure updated) alone is not enough.",
    )


@assurance_view
def evidence_download(request, pk: int):
    """The file of an evidence item, for people who may read assurance (never public)."""
    evidence = get_object_or_404(Evidence, pk=pk)
    if not evidence.file_name:
        raise Http404
    storage = evidence_storage()
    if not storage.exists(evidence.file_name):
        raise Http404
    response = FileResponse(
        storage.open(evidence.file_name, "rb"),
        as_attachment=True,
        filename=evidence.original_name or evidence.file_name.rsplit("/", 1)[-1],
        content_type=evidence.content_type or "application/octet-stream",
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Cache-Control"] = "private, no-store"
    return response


def _confirm_page(request, *, action, title, intro, submit, form=None, error="", status=200):
    return _page(
        request,
        "assurance/confirm.html",
        {
            "action": action,
            "title": title,
            "intro": intro,
            "submit": submit,
            "form": form,
            "error": error,
        },
        section="plans",
        status=status,
    )


@assurance_view
def action_complete(request, pk: int):
    action = _action_for_update(request, pk)
    form = forms.TextForm(*_posted(request))
    form.fields["text"].required = False
    form.fields["text"].label = "Note (optional)"
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.action_mark_complete(action, by=request.user, note=form.cleaned_data["text"])
        except AssuranceError as exc:
            error = str(exc)
        else:
            messages.success(request, "The action is marked complete: it waits for sign-off.")
            return redirect(action.get_absolute_url())
    return _confirm_page(
        request,
        action=action,
        title="Mark the action complete",
        form=form,
        error=error,
        intro="An assurance lead other than you then checks the evidence and signs it off.",
        submit="Mark complete",
        status=400 if error else 200,
    )


@assurance_view
def action_sign_off(request, pk: int):
    _lead_only(request)
    action = get_object_or_404(Action.objects.full(), pk=pk)
    error = ""
    if request.method == "POST":
        try:
            services.action_sign_off(action, by=request.user)
        except AssuranceError as exc:
            error = str(exc)
        else:
            messages.success(request, "The action is assured and closed.")
            return redirect(action.get_absolute_url())
    return _confirm_page(
        request,
        action=action,
        title="Sign off the action",
        error=error,
        intro="Signing off assures the action and closes it. It needs evidence of practice "
        "change or of outcome for children, and a person other than the one who marked it "
        "complete.",
        submit="Sign off",
        status=400 if error else 200,
    )


@assurance_view
def action_return(request, pk: int):
    _lead_only(request)
    action = get_object_or_404(Action.objects.full(), pk=pk)
    form = forms.ReasonForm(*_posted(request))
    form.fields["reason"].label = "Why it is returned"
    form.fields["reason"].error_messages["required"] = "Say why the action is returned"
    error = ""
    if request.method == "POST" and form.is_valid():
        try:
            services.action_return(action, by=request.user, reason=form.cleaned_data["reason"])
        except AssuranceError as exc:
            error = str(exc)
        else:
            messages.success(request, "The action is returned to its owner.")
            return redirect(action.get_absolute_url())
    return _confirm_page(
        request,
        action=action,
        title="Return the action without signing off",
        form=form,
        error=error,
        intro="The action goes back to ‘On track’ for its owner to add evidence.",
        submit="Return the action",
        status=400 if (error or form.errors) else 200,
    )


# --- Challenges ------------------------------------------------------------------------


@assurance_view
def challenges(request):
    items = Challenge.objects.select_related(
        "action__recommendation__review", "recommendation__review", "raised_by"
    ).prefetch_related("messages")
    state = request.GET.get("state", "")
    if state in ChallengeState.values:
        items = items.filter(state=state)
    return _page(
        request,
        "assurance/challenges.html",
        {
            "challenges": items,
            "state": state,
            "states": ChallengeState.choices,
            "open_count": Challenge.objects.open().count(),
        },
        section="challenges",
    )


def _challenge_new(request, subject, *, caption: str, back: str):
    if not access.can_challenge(request.user):
        raise PermissionDenied
    form = forms.TextForm(*_posted(request))
    form.fields["text"].label = "Your challenge"
    form.fields["text"].error_messages["required"] = "Enter your challenge"
    form.fields["text"].help_text = "What you want its owner to answer."
    return _form_flow(
        request,
        form,
        lambda data: services.challenge_raise(subject, by=request.user, text=data["text"]),
        success="The challenge is raised: it waits for a reply.",
        done=lambda challenge: challenge.get_absolute_url(),
        title="Raise a challenge",
        caption=caption,
        back=back,
        submit="Raise the challenge",
        section="challenges",
    )


@assurance_view
def challenge_action(request, pk: int):
    action = get_object_or_404(Action.objects.full(), pk=pk)
    return _challenge_new(
        request,
        action,
        caption=f"Action: {action.description[:80]}",
        back=action.get_absolute_url(),
    )


@assurance_view
def challenge_recommendation(request, pk: int):
    rec = get_object_or_404(Recommendation.objects.select_related("review"), pk=pk)
    return _challenge_new(
        request,
        rec,
        caption=f"{rec.review.title}, recommendation {rec.number}",
        back=rec.get_absolute_url(),
    )


@assurance_view
def challenge_detail(request, pk: int):
    challenge = get_object_or_404(
        Challenge.objects.select_related(
            "action__recommendation__review", "recommendation__review", "action__owner_agency"
        ),
        pk=pk,
    )
    can_reply = access.can_reply(request.user, challenge)
    form = forms.TextForm(*_posted(request))
    form.fields["text"].label = "Your reply"
    form.fields["text"].error_messages["required"] = "Enter your reply"
    error = ""
    if request.method == "POST":
        if not can_reply:
            raise PermissionDenied
        if form.is_valid():
            try:
                services.challenge_reply(challenge, by=request.user, text=form.cleaned_data["text"])
            except AssuranceError as exc:
                error = str(exc)
            else:
                messages.success(request, "Your reply is added.")
                return redirect(challenge.get_absolute_url())
    return _page(
        request,
        "assurance/challenge.html",
        {
            "challenge": challenge,
            "thread": challenge.messages.select_related("author"),
            "form": form,
            "can_reply": can_reply and challenge.state != ChallengeState.CLOSED,
            "can_close": access.can_challenge(request.user)
            and challenge.state == ChallengeState.ANSWERED,
            "error": error,
        },
        section="challenges",
        status=400 if (error or form.errors) else 200,
    )


@assurance_view
@require_POST
def challenge_close(request, pk: int):
    challenge = get_object_or_404(Challenge, pk=pk)
    if not access.can_challenge(request.user):
        raise PermissionDenied
    try:
        services.challenge_close(challenge, by=request.user)
    except AssuranceError as exc:
        messages.error(request, str(exc))
    else:
        messages.success(request, "The challenge is closed.")
    return redirect(challenge.get_absolute_url())


# --- People: which agency each role holder acts for -----------------------------------


@assurance_view
def people(request):
    """Assurance leads set the agency each person with an assurance role acts for (the
    roles themselves are given by a partnership admin, in the staff admin)."""
    holders = list(
        get_user_model()
        .objects.filter(groups__name__in=ASSURANCE_ROLES, is_active=True)
        .distinct()
        .order_by("username")
        .prefetch_related("groups")
    )
    if request.method == "POST":
        _lead_only(request)
        agencies = {str(a.pk): a for a in Agency.objects.all()}
        changed = 0
        for person in holders:
            value = request.POST.get(f"agency-{person.pk}")
            if value is None:
                continue
            if value and value not in agencies:
                messages.error(request, "Choose an agency from the list.")
                return redirect("assurance:people")
            agency = agencies.get(value)
            if agency != user_agency(person):
                user_agency_set(person, agency)
                changed += 1
        messages.success(request, f"Saved: {changed} change{'s' if changed != 1 else ''}.")
        return redirect("assurance:people")
    rows = [
        {
            "person": person,
            "roles": sorted(g.name for g in person.groups.all() if g.name in ASSURANCE_ROLES),
            "agency": user_agency(person),
        }
        for person in holders
    ]
    return _page(
        request,
        "assurance/people.html",
        {"rows": rows, "agency_choices": [(a.pk, a.name) for a in Agency.objects.all()]},
        section="people",
    )


# --- The yearly report and the CSV -----------------------------------------------------


def _year(year: int) -> int:
    if not 2000 <= year <= timezone.localdate().year + 1:
        raise Http404
    return year


@assurance_view
def report_index(request):
    this_year = timezone.localdate().year
    reports = {r.year: r for r in YearlyReport.objects.all()}
    years = [(y, reports.get(y)) for y in range(this_year, this_year - 4, -1)]
    return _page(request, "assurance/report_index.html", {"years": years}, section="report")


@assurance_view
def report_word(request, year: int):
    year = _year(year)
    data = report_docx(year)
    response = HttpResponse(
        data,
        content_type="application/vnd.openxmlformats-officedocument.wordprocessingml.document",
    )
    response["Content-Disposition"] = f'attachment; filename="learning-into-practice-{year}.docx"'
    response["Cache-Control"] = "private, no-store"
    return response


@assurance_view
def report_edit(request, year: int):
    year = _year(year)
    record = YearlyReport.objects.filter(year=year).first()
    sections = report_sections(year)
    notes = record.notes if record else {}
    if request.method == "POST":
        _lead_only(request)
        notes_in = {
            s.heading: request.POST.get(f"note-{i}", "")[:5000] for i, s in enumerate(sections)
        }
        try:
            services.yearly_report_update(
                year,
                by=request.user,
                introduction=request.POST.get("introduction", "")[:10000],
                notes=notes_in,
            )
            if request.POST.get("publish") == "yes":
                services.yearly_report_publish(year, by=request.user)
                messages.success(request, f"The {year} report is published.")
            else:
                messages.success(request, "The report's text is saved.")
        except AssuranceError as exc:
            messages.error(request, str(exc))
        return redirect("assurance:report_edit", year=year)
    return _page(
        request,
        "assurance/report_edit.html",
        {
            "year": year,
            "record": record,
            "sections": [
                {"section": s, "index": i, "note": notes.get(s.heading, "")}
                for i, s in enumerate(sections)
            ],
        },
        section="report",
    )


@assurance_view
def report_csv(request):
    response = HttpResponse(
        actions_csv().encode("utf-8-sig"), content_type="text/csv; charset=utf-8"
    )
    on = timezone.localdate()
    response["Content-Disposition"] = f'attachment; filename="assurance-actions-{on:%Y-%m-%d}.csv"'
    response["Cache-Control"] = "private, no-store"
    return response


# --- Import ----------------------------------------------------------------------------


@assurance_view
def import_upload(request):
    _lead_only(request)
    form = forms.ImportForm(*_posted(request, files=True))
    error = ""
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            text = importing.decode(upload.read(importing.MAX_BYTES + 1))
        except importing.ImportFileError as exc:
            error = str(exc)
        else:
            job = PlanImport.objects.create(
                user=request.user, filename=upload.name[:200], text=text
            )
            return redirect("assurance:import_preview", pk=job.pk)
    return _page(
        request,
        "assurance/import.html",
        {
            "form": form,
            "error": error,
            "columns": [(c, importing.NOTES[c]) for c in importing.COLUMNS],
        },
        section="plans",
        status=400 if (error or form.errors) else 200,
    )


@assurance_view
def import_template(request):
    response = HttpResponse(importing.template_csv(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = 'attachment; filename="action-plan-template.csv"'
    return response


@assurance_view
def import_preview(request, pk: int):
    _lead_only(request)
    job = get_object_or_404(PlanImport, pk=pk, user=request.user)
    if job.state == PlanImport.State.IMPORTED:
        return _page(request, "assurance/import_done.html", {"job": job}, section="plans")
    if request.method == "POST":
        result = importing.plan_import(job.text, by=request.user)
        if result.ok:
            job.state = PlanImport.State.IMPORTED
            job.summary = result.summary
            job.save(update_fields=["state", "summary"])
            messages.success(request, f"Imported: {result.summary}.")
            return redirect("assurance:import_preview", pk=job.pk)
        changed = True
    else:
        result = importing.check(job.text)
        changed = False
    return _page(
        request,
        "assurance/import_preview.html",
        {"job": job, "result": result, "changed_since_preview": changed},
        section="plans",
        status=400 if changed else 200,
    )
