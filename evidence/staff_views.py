"""Staff pages of evidence of use (under /admin/evidence/, GOV.UK style): the uptake and
impact dashboard and its CSV, the good-practice queue, feedback answers, and the email
domains allowed to record through a shared link. Access: ``evidence.access``."""

from __future__ import annotations

import csv
import io

from django.conf import settings
from django.core.paginator import Paginator
from django.http import HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from . import services
from .access import (
    can_edit_domains,
    can_publish,
    can_view_dashboard,
    is_staff_role,
    staff_view,
)
from .charts import bar_chart
from .dashboard import TOP, bar_rows, csv_safe, dashboard_figures, figures_rows
from .forms import NO_PERSONAL_DATA, AllowedDomainForm, GoodPracticeForm
from .models import AllowedDomain, Feedback, FollowUp, ShareStatus

FEEDBACK_PER_PAGE = 50


def _nav(**context) -> dict:
    return {"evidence_nav": True, "no_personal_data": NO_PERSONAL_DATA, **context}


@require_GET
@staff_view(can_view_dashboard)
def dashboard(request):
    figures = dashboard_figures()
    charts = [
        {
            "id": "by-month",
            "heading": "Sessions by month",
            "caption": "Sessions and people reached by month",
            "first": "Month",
            "rows": figures.by_month,
            "chart": bar_chart(
                "chart-by-month", "Sessions by month", bar_rows(figures.by_month), unit="sessions"
            ),
        },
        {
            "id": "by-agency",
            "shown": TOP,  # the chart has the top ones, the table all
            "heading": "Sessions by agency",
            "caption": "Sessions and people reached by agency",
            "first": "Agency",
            "rows": figures.by_agency,
            "chart": bar_chart(
                "chart-by-agency",
                "Sessions by agency",
                bar_rows(figures.by_agency[:TOP]),
                unit="sessions",
            ),
        },
        {
            "id": "by-theme",
            "shown": TOP,  # the chart has the top ones, the table all
            "heading": "Sessions by theme",
            "caption": "Sessions and people reached by theme",
            "first": "Theme",
            "rows": figures.by_theme,
            "chart": bar_chart(
                "chart-by-theme",
                "Sessions by theme",
                bar_rows(figures.by_theme[:TOP]),
                unit="sessions",
            ),
        },
        {
            "id": "most-used",
            "heading": "Most used packs and briefings",
            "caption": f"The {TOP} packs and briefings used most",
            "first": "Pack or briefing",
            "rows": figures.most_used,
            "chart": bar_chart(
                "chart-most-used",
                "Most used packs and briefings",
                bar_rows(figures.most_used),
                unit="sessions",
            ),
        },
    ]
    context = _nav(
        figures=figures,
        charts=charts,
        can_manage=is_staff_role(request.user),
        waiting=FollowUp.objects.filter(share_status=ShareStatus.WAITING).count()
        if is_staff_role(request.user)
        else 0,
        usefulness_chart=bar_chart(
            "chart-usefulness",
            "Answered yes to Was this useful? (%)",
            [(f"{u.kind}: {u.label}", u.percent_yes) for u in figures.usefulness],
            unit="per cent answering yes",
            suffix="%",
        ),
    )
    return render(request, "evidence/staff/dashboard.html", context)


@require_GET
@staff_view(can_view_dashboard)
def dashboard_csv(request):
    figures = dashboard_figures()
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    writer.writerow(["section", "item", "measure", "value"])
    for row in figures_rows(figures):
        writer.writerow([csv_safe(cell) for cell in row])
    response = HttpResponse("\ufeff" + buffer.getvalue(), content_type="text/csv; charset=utf-8")
    name = f"evidence-of-use-{timezone.localdate():%Y-%m-%d}.csv"
    response["Content-Disposition"] = f'attachment; filename="{name}"'
    return response


# --- Good practice ------------------------------------------------------------------


@require_GET
@staff_view(is_staff_role)
def good_practice_list(request):
    follow_ups = (
        FollowUp.objects.answered()
        .exclude(share_status=ShareStatus.NOT_OFFERED)
        .select_related("session__agency")
        .prefetch_related("session__themes")
        .order_by("share_status", "-answered_at")
    )
    groups = [
        (status.label, [f for f in follow_ups if f.share_status == status])
        for status in (ShareStatus.WAITING, ShareStatus.PUBLISHED, ShareStatus.DECLINED)
    ]
    return render(
        request,
        "evidence/staff/good_practice_list.html",
        _nav(groups=groups, can_publish=can_publish(request.user)),
    )


@require_http_methods(["GET", "POST"])
@staff_view(is_staff_role)
def good_practice_review(request, pk: int):
    follow_up = get_object_or_404(
        FollowUp.objects.answered()
        .exclude(share_status=ShareStatus.NOT_OFFERED)
        .select_related("session__agency"),
        pk=pk,
    )
    allowed = can_publish(request.user)
    form = GoodPracticeForm(
        request.POST or None, initial={"shared_text": follow_up.shared_text or follow_up.example}
    )
    status = 200
    if request.method == "POST":
        if not allowed:
            return render(request, "evidence/forbidden.html", {}, status=403)
        decision = request.POST.get("decision")
        if decision == "decline":
            services.good_practice_decline(follow_up, request.user)
            return redirect("evidence_staff:good_practice")
        if decision == "publish" and form.is_valid():
            services.good_practice_publish(
                follow_up, request.user, form.cleaned_data["shared_text"]
            )
            return redirect("evidence_staff:good_practice")
        if decision not in ("publish", "decline"):
            form.add_error(None, "Choose Publish or Do not publish.")
        status = 400
    return render(
        request,
        "evidence/staff/good_practice_review.html",
        _nav(
            follow_up=follow_up,
            session=follow_up.session,
            form=form,
            can_publish=allowed,
            show_errors=True,
        ),
        status=status,
    )


# --- Feedback answers ----------------------------------------------------------------


@require_GET
@staff_view(is_staff_role)
def feedback_list(request):
    answers = (
        Feedback.objects.exclude(differently="")
        .select_related("practice_point", "theme")
        .order_by("-created_at", "-id")
    )
    page = Paginator(answers, FEEDBACK_PER_PAGE).get_page(request.GET.get("page"))
    return render(request, "evidence/staff/feedback_list.html", _nav(page=page))


@require_POST
@staff_view(is_staff_role)
def feedback_hide(request, pk: int):
    answer = get_object_or_404(Feedback, pk=pk)
    services.feedback_hide(answer, request.user, hidden=request.POST.get("hidden") != "0")
    url = reverse("evidence_staff:feedback")
    page = request.POST.get("page", "")
    return redirect(
        f"{url}?page={page}#answer-{answer.pk}" if page.isdigit() else f"{url}#answer-{answer.pk}"
    )


# --- Allowed email domains -----------------------------------------------------------


@require_http_methods(["GET", "POST"])
@staff_view(can_edit_domains)
def domains(request):
    form = AllowedDomainForm(request.POST or None)
    status = 200
    if request.method == "POST":
        if form.is_valid():
            services.allowed_domain_add(form.cleaned_data["domain"], request.user)
            return redirect("evidence_staff:domains")
        status = 400
    return render(
        request,
        "evidence/staff/domains.html",
        _nav(
            form=form,
            domains=AllowedDomain.objects.all(),
            configured=sorted(getattr(settings, "EVIDENCE_ALLOWED_EMAIL_DOMAINS", [])),
            show_errors=True,
        ),
        status=status,
    )


@require_POST
@staff_view(can_edit_domains)
def domain_remove(request, pk: int):
    services.allowed_domain_remove(get_object_or_404(AllowedDomain, pk=pk))
    return redirect("evidence_staff:domains")
