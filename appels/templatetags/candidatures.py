"""``{% ligne_candidature c url_candidature masse_form %}``: one row of the back-office list of
candidatures (``appels/gestion/candidature_list.html``), written in Python; and
``{% champs_masse masse_form %}``, the list's bulk-assignment fields, likewise.

The fifty rows through the template language were two thirds of the page's time (nine cells,
about forty lookups and filters each); this writes the same markup. Every value that comes
from a person or the database is escaped (``html.escape``, as
``atelier.templatetags.confirmation`` does); numbers are written as they are, the way the
list's ``{% localize off %}`` block wrote them.
"""

import html

from django import template
from django.template.defaultfilters import floatformat, truncatechars
from django.utils.html import conditional_escape
from django.utils.safestring import SafeString, mark_safe
from dsfr.templatetags.dsfr_tags import dsfr_mark_optionnal_fields

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


@register.simple_tag
def champs_masse(form) -> SafeString:
    """The reviewers of :class:`appels.forms.RapporteursMasseForm` (the DGALN agents to tick,
    other addresses), as DSFR's field templates write them, on every page of the list: through
    the templates, the two fields were a tenth of its time. The list's form is never bound (a
    refused submission comes back as messages) and starts empty; a bound one, with its
    errors, or one with initial values, is left to the templates."""
    if form.is_bound or form.initial:
        return mark_safe(  # noqa: S308 — Django's own rendering, escaped by the templates
            "\n".join(
                f'<div class="fr-fieldset__element">{form[nom].as_field_group()}</div>'
                for nom in ("rapporteurs", "autres")
            )
        )
    agents, autres = form["rapporteurs"], form["autres"]
    ident = _t(agents.auto_id)
    cases = "".join(
        f'<div class="fr-fieldset__element"><div class="fr-checkbox-group">'
        f'<input type="checkbox" name="{_t(agents.html_name)}" value="{_t(valeur)}" '
        f'id="{ident}_{i}"><label class="fr-label" for="{ident}_{i}">{_t(libelle)}</label>'
        "</div></div>"
        for i, (valeur, libelle) in enumerate(agents.field.widget.choices)
    )
    aide = _t(autres.auto_id) + "_helptext"
    lignes = (
        '<div class="fr-fieldset__element">',
        f'<fieldset class="fr-fieldset" id="checkboxes-{ident}" aria-labelledby="{ident}-legend">',
        f'<legend class="fr-fieldset__legend fr-fieldset__legend--regular" id="{ident}-legend">'
        f"{_t(agents.label)}{conditional_escape(dsfr_mark_optionnal_fields(agents))}</legend>",
        cases,
        "</fieldset></div>",
        '<div class="fr-fieldset__element"><div class="fr-input-group">',
        f'<label for="{_t(autres.auto_id)}" class="fr-label">{_t(autres.label)}'
        f"{conditional_escape(dsfr_mark_optionnal_fields(autres))}"
        f'<span class="fr-hint-text" id="{aide}">{_t(autres.help_text)}</span></label>',
        f'<input type="text" name="{_t(autres.html_name)}" class="fr-input" '
        f'aria-describedby="{aide}" id="{_t(autres.auto_id)}">',
        "</div></div>",
    )
    # Every value above is escaped by _t.
    return mark_safe("\n".join(lignes))  # noqa: S308
