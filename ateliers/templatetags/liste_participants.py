"""``{% ligne_participant p url_role peut_inviter %}``: one row of an atelier's list of
participants (``ateliers/participants.html``), written in Python: the fifty rows through the
template language (a role form, a refused button, a confirmation each) were most of the
page's rendering. Same markup; every value that comes from a person or the database is
escaped (``html.escape``, as ``atelier.templatetags.confirmation`` does)."""

import html

from django import template
from django.utils.safestring import SafeString, mark_safe

from atelier.dates import date_fr
from atelier.templatetags.confirmation import champ_csrf, confirmer

register = template.Library()

_RETIRER = "fr-btn--tertiary fr-icon-delete-line fr-btn--icon-left"


def _t(valeur) -> str:
    return html.escape(str(valeur))


@register.simple_tag(takes_context=True)
def ligne_participant(context, p, url_role, peut_inviter) -> SafeString:
    acteur = p.acteur
    nom = _t(acteur)
    user = context.get("user")
    vous = (
        ' <span class="fr-badge fr-badge--sm fr-badge--info">vous</span>'
        if user is not None and acteur.utilisateur_id == user.pk
        else ""
    )
    organisation = acteur.organisation
    if p.role == "elu" and p.mandat:
        atteste = f" le {_t(date_fr(p.atteste_le))}" if p.atteste_le else ""
        fonction = (
            f'{_t(p.qualite_elu)}<br><span class="fr-text--xs">Mandat attesté par '
            f"{_t(p.atteste_par_nom)}{atteste}</span>"
        )
    else:
        fonction = _t(acteur.fonction or "—")
    lignes = [
        "<tr>",
        f"        <td>{nom}{vous}</td>",
        f"        <td>{_t((organisation.nom if organisation else '') or '—')}</td>",
        f"        <td>{fonction}</td>",
    ]
    if peut_inviter:
        pk = _t(p.pk)
        disabled = " disabled" if p.refus_role else ""
        if p.refus_role:
            bouton = (
                '<button class="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w" type="button" '
                f'disabled aria-describedby="raison-role-{pk}">Changer</button>\n'
                f'<p class="fr-hint-text fr-mt-1v" id="raison-role-{pk}" data-raison-refus>'
                f"{_t(p.refus_role)}</p>"
            )
        else:
            bouton = (
                '<button class="fr-btn fr-btn--sm fr-btn--secondary fr-mt-1w" type="submit">'
                f'Changer<span class="fr-sr-only"> le rôle de {nom}</span></button>'
            )
        lignes += [
            "        <td>",
            f'          <form method="post" action="{_t(url_role.pour(p.pk))}" '
            'class="participant-role">',
            f"            {champ_csrf(context)}",
            '            <div class="fr-select-group fr-mb-0">',
            f'              <label class="fr-label fr-sr-only" for="role-{pk}">Rôle de {nom}'
            "</label>",
            f'              <select class="fr-select" id="role-{pk}" name="role"{disabled}>',
            # The options are written and escaped by ateliers.participants._options_role.
            f"                {p.options_role}",
            "              </select>",
            "            </div>",
            f"            {bouton}",
            "          </form>",
            "        </td>",
            "        <td>",
            f"          {confirmer(context, 'ateliers:participation_retirer', p, classe=_RETIRER)}",
            "        </td>",
        ]
    lignes.append("      </tr>")
    # Every value above is escaped by _t, or by the helpers that wrote it.
    return mark_safe("\n".join(lignes))  # noqa: S308
