from django.core.paginator import EmptyPage, PageNotAnInteger, Paginator
from django.http import Http404

PAGE_SIZES = (20, 50, 100)


def page_size_from(request, default: int = PAGE_SIZES[0]) -> int:
    try:
        size = int(request.GET.get("page_size", default))
    except (TypeError, ValueError):
        return default
    return size if size in PAGE_SIZES else default


def paginate(request, queryset, per_page: int):
    """One page of ``queryset``. A page that does not exist is a 404 with a clear message,
    never a 500. The links to the other pages keep the request's other parameters with
    Django's ``{% querystring page=n %}`` (templates/includes/govuk/pagination.html)."""
    paginator = Paginator(queryset, per_page)
    number = request.GET.get("page") or 1
    try:
        page = paginator.page(number)
    except PageNotAnInteger as exc:
        raise Http404("That page number is not a number.") from exc
    except EmptyPage as exc:
        raise Http404(f"There is no page {number} of these results.") from exc
    return page
