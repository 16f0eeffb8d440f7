from django.db.models.functions import Lower
from django.shortcuts import render
from django.views.decorators.http import require_safe

from themes.models import GlossaryTerm
from themes.selectors import glossary_context

from .kinds import KINDS
from .services import site_search, zero_result_record
from .text import MAX_QUERY_LENGTH, clean_query


@require_safe
def search_page(request):
    """Search everything published: practice points, themes, reviews and resources,
    grouped by kind with a count for each."""
    raw = request.GET.get("q", "") or ""
    q = clean_query(raw)
    kind = request.GET.get("kind", "")
    only = kind if kind in KINDS else None
    results = site_search(q, only=only) if q else None
    if results is not None and not results.plan.is_blank and results.total == 0:
        zero_result_record(q, request)
    return render(
        request,
        "search/search.html",
        {
            "nav_section": "search",
            "q": q,
            "results": results,
            "only": only,
            "shortened": len(raw) > MAX_QUERY_LENGTH,
            "max_length": MAX_QUERY_LENGTH,
        },
    )


@require_safe
def glossary(request):
    """The acronyms and terms of safeguarding practice, A to Z."""
    terms = GlossaryTerm.objects.public().order_by(Lower("term"), "id")
    return render(request, "search/glossary.html", glossary_context(terms))
