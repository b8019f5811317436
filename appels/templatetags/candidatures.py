"""``{% ligne_candidature c url_candidature masse_form %}``: one row of the back-office list of
candidatures (``appels/gestion/candidature_list.html``), written in Python.

The fifty rows through the template language were two thirds of the page's time (nine cells,
about forty lookups and filters each); this writes the same markup. Every value that comes
from a person or the database is escaped (``html.escape``, as
``atelier.templatetags.confirmation`` does); numbers are written as they are, the way the
list's ``{% localize off %}`` block wrote them.
"""

import html

from django import template
from django.template.defaultfilters import floatformat, truncatechars
from django.utils.safestring import SafeString, mark_safe

from atelier.dates import date_fr

register = template.Library()

_BADGES = {
    "retenue": "fr-badge--success",
    "non_retenue": "fr-badge--error",
    "irrecevable": "fr-badge--error",
}


def _t(valeur) -> str:
    return "" if valeur is None else html.escape(str(valeur))


@register.simple_tag
def ligne_candidature(c, url_candidature, masse_form) -> SafeString:
    pk = str(c.pk)
    nom = f'<a href="{_t(url_candidature.pour(c.pk))}" id="nom-{pk}">{_t(c.territoire_nom)}</a>'
    if masse_form:
        nom = (
            '<div class="atelier-tableau__selection"><div class="fr-checkbox-group '
            f'fr-checkbox-group--sm"><input type="checkbox" name="candidatures" value="{pk}" '
            f'id="selection-{pk}" aria-describedby="nom-{pk}"><label class="fr-label" '
            f'for="selection-{pk}"><span class="fr-sr-only">Sélectionner la candidature n° '
            f"{pk}</span></label></div>{nom}</div>"
        )
    # The list prefetches them as a list (appels.gestion.candidature_list).
    liste = getattr(c, "rapporteurs_affiches", None)
    if liste is None:
        liste = c.rapporteurs.all()
    rapporteurs = ", ".join(_t(r.get_full_name() or r.email) for r in liste)
    if not c.voit_les_avis:
        moyenne = '<span class="fr-hint-text">après votre avis</span>'
    elif c.moyenne is not None:
        moyenne = _t(floatformat(c.moyenne, 2))
    else:
        moyenne = "—"
    departement = c.departement
    lignes = (
        "<tr>",
        f'    <th scope="row" class="fr-cell--fixed fr-cell--multiline">{nom}</th>',
        f'    <td class="fr-cell--multiline" title="{_t(c.appel.titre)}" data-label="Appel">'
        f"{_t(truncatechars(c.appel.titre, 40))}</td>",
        f'    <td data-label="Format">{_t(c.get_format_demande_display())}</td>',
        '    <td class="fr-cell--multiline" data-label="Département">'
        f"{_t(departement and departement.code)} {_t(departement and departement.nom)}</td>",
        f'    <td data-label="Déposée le">{_t(date_fr(c.deposee_le))}</td>',
        f'    <td class="fr-cell--multiline" data-label="Rapporteurs">{rapporteurs}</td>',
        f'    <td class="avis-recus" data-label="Avis reçus">{_t(c.nb_avis)} / '
        f"{_t(c.nb_rapporteurs)}</td>",
        f'    <td data-label="Moyenne">{moyenne}</td>',
        f'    <td data-label="État"><p class="fr-badge {_BADGES.get(c.statut, "fr-badge--info")} '
        f'fr-badge--no-icon fr-badge--sm">{_t(c.get_statut_display())}</p></td>',
        "  </tr>",
    )
    # Every value above is escaped by _t.
    return mark_safe("\n".join(lignes))  # noqa: S308
