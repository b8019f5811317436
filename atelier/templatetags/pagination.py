"""``{% pagination page_obj %}``: the links between the pages of a list, written in Python.

The markup of django-dsfr's ``{% dsfr_pagination %}`` (its ``dsfr/pagination.html``, with its
own French labels), which drew them through a template and one ``{% url_remplace_params %}``
per link: a millisecond of each paginated list. As there, every link keeps the query string
(the active filters and sort) with only ``page`` replaced, and ``page_obj.pages_list``
(:func:`atelier.pagination.paginer`) gives the numbered links, ``1 2 … 9 10``. A link to no
page is marked as the DSFR does (``role="link" aria-disabled="true"``): greyed without it, it
failed axe-core's contrast check.
"""

from html import escape

from django import template
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _

register = template.Library()


@register.simple_tag(takes_context=True)
def pagination(context, page_obj) -> SafeString:
    requete = context["request"].GET.copy()

    def lien(numero) -> str:
        requete["page"] = numero
        return f' href="?{escape(requete.urlencode())}"'

    def bord(classes: str, numero, libelle: str) -> str:
        """A link to the first, previous, next or last page; to none (``numero`` None) at an end."""
        cible = lien(numero) if numero is not None else ' role="link" aria-disabled="true"'
        return (
            f'<li><a class="fr-pagination__link fr-pagination__link--{classes}"{cible}>'
            f"{escape(libelle)}</a></li>"
        )

    nombre = page_obj.paginator.num_pages
    precedente = page_obj.previous_page_number() if page_obj.has_previous() else None
    suivante = page_obj.next_page_number() if page_obj.has_next() else None
    items = [
        bord("first", 1 if precedente else None, _("First page")),
        bord("prev fr-pagination__link--lg-label", precedente, _("Previous page")),
    ]
    pages = getattr(page_obj, "pages_list", None)
    libelle = escape(_("Page"))
    if pages:
        for item in pages:
            if not isinstance(item, int):  # the paginator's ellipsis
                items.append(
                    f'<li><a class="fr-pagination__link fr-unhidden-lg">{escape(str(item))}</a></li>'
                )
                continue
            courante = ' aria-current="page"' if item == page_obj.number else ""
            items.append(
                f'<li><a class="fr-pagination__link"{courante} title="{libelle} {item}"'
                f"{lien(item)}>{item}</a></li>"
            )
    else:
        items.append(
            f'<li><a class="fr-pagination__link" aria-current="page" title="{libelle} '
            f'{page_obj.number} / {nombre}"{lien(page_obj.number)}>{page_obj.number} / {nombre}'
            "</a></li>"
        )
    items += [
        bord("next fr-pagination__link--lg-label", suivante, _("Next page")),
        bord("last", nombre if suivante else None, _("Last page")),
    ]
    # Every value above is escaped (numbers are the paginator's own).
    return mark_safe(  # noqa: S308
        f'<nav role="navigation" class="fr-pagination" aria-label="{escape(_("Pagination"))}">'
        f'<ul class="fr-pagination__list">{"".join(items)}</ul></nav>'
    )
