"""``{% frise %}``: the timeline of an atelier's stages (overview and « Étapes » pages), written
in Python: forty stages through the template language (a date, a badge, the deliverables of
each) were most of both pages' rendering. Same markup as the template it replaces; every value
that comes from a person or the database is escaped.

Reads ``etapes`` (``ateliers.selectors.etapes``: attendance counted, deliverables prefetched),
``courante``, ``atelier`` and ``optionnelles`` from the context."""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

from atelier.dates import date_fr
from atelier.liens import modele

register = template.Library()

_BADGES = {
    "realisee": '<span class="fr-badge fr-badge--success fr-badge--sm">Réalisée</span>',
    "annulee": '<span class="fr-badge fr-badge--error fr-badge--sm">Annulée</span>',
    "courante": '<span class="fr-badge fr-badge--info fr-badge--sm">Prochaine étape</span>',
    "a_planifier": '<span class="fr-badge fr-badge--warning fr-badge--sm">À planifier</span>',
    "prevue": '<span class="fr-badge fr-badge--sm">Prévue</span>',
}
_FACULTATIVE = '<span class="fr-badge fr-badge--no-icon fr-badge--sm">Facultative</span>'


def _t(valeur) -> str:
    return html.escape(str(valeur))


def _livrables(etape) -> str:
    livrables = etape.livrables.all()
    if not livrables:
        return ""
    items = []
    for livrable in livrables:
        nature = _t(livrable.get_nature_display())
        if livrable.fourni:
            badge = f'<span class="fr-badge fr-badge--success fr-badge--no-icon fr-badge--sm">✓ {nature}</span>'
        else:
            attendu = " · attendu" if livrable.obligatoire else ""
            badge = (
                f'<span class="fr-badge fr-badge--no-icon fr-badge--sm">{nature}{attendu}</span>'
            )
        items.append(f"        <li>{badge}</li>")
    return (
        '\n      <ul class="frise__livrables" aria-label="Livrables">\n'
        + "\n".join(items)
        + "\n      </ul>"
    )


def _etape(etape, courante, optionnelles, url_etape) -> str:
    est_courante = courante is not None and etape.pk == courante.pk
    statut = etape.statut
    if etape.debut:
        quand = _t(date_fr(etape.debut, "l j F Y, H\\hi"))
        if etape.lieu:
            quand += f" · {_t(etape.lieu)}"
    else:
        quand = "Date à fixer"
    if statut in ("realisee", "annulee"):
        badge = _BADGES[statut]
    elif est_courante:
        badge = _BADGES["courante"]
    elif not etape.debut:
        badge = _BADGES["a_planifier"]
    else:
        badge = _BADGES["prevue"]
    if etape.nature in optionnelles and statut == "prevue":
        badge += _FACULTATIVE
    n = getattr(etape, "nb_presents", 0)
    if n:
        badge += f'<span class="fr-text--sm"> · {n} présent{"s" if n != 1 else ""}</span>'
    motif = (
        f'\n      <p class="fr-text--sm fr-mb-1v">Motif : {_t(etape.motif_annulation)}</p>'
        if statut == "annulee" and etape.motif_annulation
        else ""
    )
    classes = f"frise__etape frise__etape--{_t(statut)}"
    if est_courante:
        classes += " frise__etape--courante"
    return (
        f'  <li class="{classes}" data-etape="{_t(etape.nature)}" data-statut="{_t(statut)}">\n'
        '    <span class="frise__marque" aria-hidden="true"></span>\n'
        '    <div class="frise__contenu">\n'
        f'      <p class="fr-text--sm fr-mb-0">{quand}</p>\n'
        f'      <h3 class="fr-h6 fr-mb-1v frise__titre"><a href="{url_etape.pour(etape.pk)}">'
        f"{_t(etape)}</a></h3>\n"
        f'      <p class="fr-mb-1v">{badge}</p>{motif}{_livrables(etape)}\n'
        "    </div>\n"
        "  </li>"
    )


@register.simple_tag(takes_context=True)
def frise(context) -> SafeString:
    etapes = context.get("etapes") or []
    atelier = context["atelier"]
    if not etapes:
        return mark_safe(  # noqa: S308 — the format's label is escaped
            '<div class="fr-callout">\n  <p class="fr-callout__text">Les étapes seront créées à '
            f"partir du modèle du format {_t(atelier.get_format_display())} au démarrage de "
            "l'atelier.</p>\n</div>"
        )
    url_etape = modele("ateliers:etape", atelier.pk)
    courante = context.get("courante")
    optionnelles = context.get("optionnelles") or ()
    lignes = "\n".join(_etape(e, courante, optionnelles, url_etape) for e in etapes)
    return mark_safe(  # noqa: S308 — every value escaped in _etape
        f'<ol class="frise" aria-label="Frise des étapes de l\'atelier">\n{lignes}\n</ol>'
    )
