"""``{% ligne_document doc url_document %}``: one row of an atelier's list of documents
(``ateliers/documents.html``), written in Python: the fifty rows through the template
language were most of the page's rendering. Same markup; every value that comes from a
person or the database is escaped (``html.escape``)."""

import html

from django import template
from django.template.defaultfilters import pluralize
from django.utils.formats import localize
from django.utils.safestring import SafeString, mark_safe

from atelier.dates import date_fr

register = template.Library()


def _t(valeur) -> str:
    return "" if valeur is None else html.escape(str(valeur))


@register.simple_tag
def ligne_document(doc, url_document) -> SafeString:
    publie = (
        ' <span class="fr-badge fr-badge--sm fr-badge--green-emeraude">publié</span>'
        if doc.publie
        else ""
    )
    version = f"v{_t(localize(doc.version))}"
    if doc.nb_anciennes:
        version += f" ({_t(localize(doc.nb_anciennes))} précédente{pluralize(doc.nb_anciennes)})"
    depose = _t(date_fr(doc.cree_le))
    if doc.depose_par:
        depose += f" par {_t(doc.depose_par.get_full_name() or doc.depose_par.email)}"
    lignes = (
        "<tr>",
        f'        <th scope="row"><a href="{_t(url_document.pour(doc.pk))}">{_t(doc.titre)}</a>'
        f"{publie}</th>",
        f"        <td>{_t(doc.get_categorie_display())}</td>",
        f"        <td>{_t(doc.etape or '—')}</td>",
        f"        <td>{version}</td>",
        f"        <td>{depose}</td>",
        "      </tr>",
    )
    # Every value above is escaped by _t.
    return mark_safe("\n".join(lignes))  # noqa: S308
