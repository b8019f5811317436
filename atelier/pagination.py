"""One way to paginate a back-office list, shown with ``{% pagination %}`` (DSFR markup).

The tag builds its links from ``request.GET`` with only ``page`` replaced, so the active
filters stay in every link. ``pages_list`` gives it numbered links (``1 2 … 9 10``).
"""

from django.core.paginator import Page, Paginator
from django.http import HttpRequest


def paginer(
    request: HttpRequest, object_list, par_page: int = 50, nombre: int | None = None
) -> Page:
    """The page asked for in ``?page=`` (the last one if too high, the first if not a number).

    ``nombre``: how many items ``object_list`` holds, when the page has already counted them
    (the counts by state above a list): the paginator does not count them again."""
    paginator = Paginator(object_list, par_page)
    if nombre is not None:
        paginator.count = nombre  # Paginator.count is a cached property
    page = paginator.get_page(request.GET.get("page"))
    page.pages_list = list(paginator.get_elided_page_range(page.number))
    return page
