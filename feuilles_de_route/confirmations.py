"""What the roadmap's irreversible actions will do, said before they are done
(``atelier.confirmation``: the modal and the page without JavaScript read these)."""

from functools import lru_cache

from django.utils.translation import get_language, ngettext
from django.utils.translation import gettext as _

from atelier.confirmation import Confirmation, register
from atelier.liens import url as lien

from .models import Action, Axe, CarnetDeSuivi, FeuilleDeRoute, Rapport


# The editor shows one deletion per axis and per action: their links come from one reverse().
def _feuille_url(atelier_id: int, ancre: str = "") -> str:
    return lien("feuilles_de_route:feuille", atelier_id) + ancre


@register("feuilles_de_route:axe_supprimer")
def axe_supprimer(axe: Axe, donnees: dict) -> Confirmation:
    atelier_id = axe.feuille.atelier_id
    n = len(axe.actions.all())
    return Confirmation(
        url=lien("feuilles_de_route:axe_supprimer", atelier_id, axe.pk),
        titre=_("Supprimer l'axe « %(t)s » ?") % {"t": axe.titre},
        consequences=[
            ngettext(
                "L'axe et son action sont retirés du brouillon de la feuille de route.",
                "L'axe et ses %(n)s actions sont retirés du brouillon de la feuille de route.",
                n,
            )
            % {"n": n}
            if n
            else _("L'axe est retiré du brouillon de la feuille de route."),
            _("Les versions déjà figées les gardent ; le brouillon, lui, ne les retrouvera pas."),
        ],
        bouton=_("Supprimer l'axe"),
        declencheur=_("Supprimer"),
        cible=_("l'axe « %(t)s »") % {"t": axe.titre},
        retour=_feuille_url(atelier_id, f"#axe-{axe.pk}"),
    )


@lru_cache(maxsize=8)
def _textes_action(_langue: str) -> dict[str, str]:
    # The editor builds this confirmation for each of its actions (200 on a large roadmap):
    # what does not depend on the action is translated once per language.
    return {
        "titre": _("Supprimer l'action « %(t)s » ?"),
        "consequences": [
            _(
                "L'action est retirée du brouillon de la feuille de route, avec sa description, "
                "son porteur, ses partenaires, son coût et ses financements."
            ),
            _("Les versions déjà figées la gardent ; le brouillon, lui, ne la retrouvera pas."),
        ],
        "bouton": _("Supprimer l'action"),
        "declencheur": _("Supprimer"),
        "cible": _("l'action « %(t)s »"),
    }


def textes_action() -> dict[str, str]:
    """The texts of an action's deletion in the current language (``titre`` and ``cible``
    take the action's title as ``%(t)s``); the editor writes its triggers from them."""
    return _textes_action(get_language())


@register("feuilles_de_route:action_supprimer")
def action_supprimer(action: Action, donnees: dict) -> Confirmation:
    atelier_id = action.axe.feuille.atelier_id
    textes = textes_action()
    return Confirmation(
        url=lien("feuilles_de_route:action_supprimer", atelier_id, action.pk),
        titre=textes["titre"] % {"t": action.titre},
        consequences=list(textes["consequences"]),
        bouton=textes["bouton"],
        declencheur=textes["declencheur"],
        cible=textes["cible"] % {"t": action.titre},
        retour=_feuille_url(atelier_id),
    )


@register("feuilles_de_route:publier")
def feuille_publier(feuille: FeuilleDeRoute, donnees: dict) -> Confirmation:
    atelier_id = feuille.atelier_id
    url = lien("feuilles_de_route:publier", atelier_id)
    if donnees.get("publier", "1") == "1":
        numero = feuille.version_adoptee.numero if feuille.version_adoptee_id else "—"
        return Confirmation(
            url=url,
            titre=_("Publier la feuille de route adoptée ?"),
            consequences=[
                _(
                    "La version adoptée (version %(n)s), ses axes, ses actions et ses "
                    "signatures seront lisibles par tout le monde sur la page publique du "
                    "territoire, et son suivi avec elle."
                )
                % {"n": numero},
                _("Vous pourrez la retirer du site public plus tard."),
            ],
            bouton=_("Publier la feuille de route"),
            declencheur=_("Publier la feuille de route adoptée"),
            retour=_feuille_url(atelier_id),
            champs={"publier": "1"},
            danger=False,
        )
    return Confirmation(
        url=url,
        titre=_("Retirer la feuille de route du site public ?"),
        consequences=[
            _(
                "La page publique du territoire ne montrera plus la feuille de route ni son "
                "suivi. Les versions et les signatures restent dans l'atelier, et leur "
                "vérification par empreinte reste possible."
            ),
        ],
        bouton=_("Retirer du site public"),
        declencheur=_("Retirer la feuille de route du site public"),
        retour=_feuille_url(atelier_id),
        champs={"publier": "0"},
    )


@register("feuilles_de_route:rapport_publier")
def rapport_publier(rapport: Rapport, donnees: dict) -> Confirmation:
    atelier_id = rapport.atelier_id
    url = lien("feuilles_de_route:rapport_publier", atelier_id, rapport.pk)
    if donnees.get("publier", "1") == "1":
        return Confirmation(
            url=url,
            titre=_("Publier le rapport de restitution ?"),
            consequences=[
                _(
                    "Tout le monde pourra télécharger le rapport (PDF) depuis la page publique "
                    "du territoire, une fois l'atelier publié."
                ),
                _("Vous pourrez le retirer du site public plus tard."),
            ],
            bouton=_("Publier le rapport"),
            retour=_feuille_url(atelier_id, "#rapport"),
            champs={"publier": "1"},
            danger=False,
        )
    return Confirmation(
        url=url,
        titre=_("Retirer le rapport de restitution du site public ?"),
        consequences=[
            _(
                "Le rapport ne pourra plus être téléchargé depuis la page publique ; les liens "
                "déjà partagés ne mèneront plus à rien. Il reste dans l'espace de l'atelier."
            ),
        ],
        bouton=_("Retirer le rapport du site public"),
        retour=_feuille_url(atelier_id, "#rapport"),
        champs={"publier": "0"},
    )


@register("feuilles_de_route:carnet_publier")
def carnet_publier(carnet: CarnetDeSuivi, donnees: dict) -> Confirmation:
    atelier_id = carnet.atelier_id
    url = lien("feuilles_de_route:carnet_publier", atelier_id, carnet.pk)
    if donnees.get("publier", "1") != "0":
        return Confirmation(
            url=url,
            titre=_("Publier l'édition %(n)s du carnet de suivi ?") % {"n": carnet.numero},
            consequences=[
                _(
                    "Tout le monde pourra télécharger cette édition du carnet (PDF) avec "
                    "l'atelier publié : le déroulé des étapes, les comptes rendus, le cahier "
                    "de suivi et la concertation."
                ),
                _("Vous pourrez la retirer du site public plus tard."),
            ],
            bouton=_("Publier cette édition"),
            declencheur=_("Publier cette édition avec l'atelier"),
            retour=_feuille_url(atelier_id, "#carnet"),
            champs={"publier": "1"},
            danger=False,
        )
    return Confirmation(
        url=url,
        titre=_("Ne plus publier l'édition %(n)s du carnet de suivi ?") % {"n": carnet.numero},
        consequences=[
            _(
                "Cette édition ne pourra plus être téléchargée hors de l'atelier ; elle reste "
                "dans l'espace de l'atelier."
            ),
        ],
        bouton=_("Ne plus publier cette édition"),
        declencheur=_("Ne plus publier cette édition avec l'atelier"),
        retour=_feuille_url(atelier_id, "#carnet"),
        champs={"publier": "0"},
    )
