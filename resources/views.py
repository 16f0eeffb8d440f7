from django.db.models import Prefetch
from django.shortcuts import render

from content.pagination import page_size_from, paginate
from themes.models import Theme

from .filters import PublicResourceFilter
from .models import Resource


def resource_list(request):
    filterset = PublicResourceFilter(request.GET or None, queryset=Resource.objects.public())
    problems = []
    if filterset.is_bound and not filterset.is_valid():
        labels = {name: f.label for name, f in filterset.filters.items()}
        problems = [
            f"{labels.get(name, name)}: we did not recognise that value, so it was left out."
            for name in filterset.errors
        ]
    resources = filterset.qs.prefetch_related(Prefetch("themes", queryset=Theme.objects.public()))
    if not resources.query.order_by:  # a search orders by relevance; else A to Z
        resources = resources.order_by("title", "id")
    page = paginate(request, resources, page_size_from(request))
    return render(
        request,
        "resources/resource_list.html",
        {
            "nav_section": "resources",
            "filterset": filterset,
            "problems": problems,
            "page_obj": page,
            "resources": page.object_list,
            "result_count": page.paginator.count,
        },
    )


def resource_preview_queryset():
    """Every resource, whatever its status, as the staff preview shows it."""
    return Resource.objects.prefetch_related(Prefetch("themes", queryset=Theme.objects.public()))


def resource_preview_context(resource: Resource) -> dict:
    """A resource has no page of its own: its preview is its entry in the list."""
    return {"nav_section": "resources", "resource": resource}
