"""Query helpers shared by the apps' selectors."""

from django.db.models import Count, QuerySet, Subquery
from django.db.models.functions import Coalesce


def compte(qs: QuerySet, groupe: str) -> Coalesce:
    """``COUNT(*)`` of ``qs``, correlated to the outer row through ``OuterRef`` on its
    ``groupe`` field, as a subquery (0 when empty). Counting several relations through joins
    at once multiplies the rows; a subquery per count does not."""
    return Coalesce(
        Subquery(qs.order_by().values(groupe).annotate(n=Count("pk")).values("n")[:1]), 0
    )
