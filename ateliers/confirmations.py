"""What the atelier workspace's irreversible actions will do, said before they are done
(``atelier.confirmation``: the modal and the page without JavaScript read these)."""

import functools

from django.urls import reverse
from django.utils.translation import get_language
from django.utils.translation import gettext as _

from acteurs.models import Participation
from acteurs.services import participation_remove_refusal
from atelier.confirmation import Confirmation, register
from atelier.liens import url as lien

from .models import Atelier, Document, SiteDemonstrateur


@register("ateliers:atelier_publication")
def atelier_publication(atelier: Atelier, donnees: dict) -> Confirmation:
    url = reverse("ateliers:atelier_publication", args=[atelier.pk])
    if donnees.get("publier") == "1":
        return Confirmation(
            url=url,
            titre=_("Publier l'atelier « %(t)s » sur le site public ?") % {"t": atelier},
            consequences=[
                _(
                    "Tout le monde verra, sur la page publique du territoire « %(territoire)s », "
                    "l'atelier, ses étapes et son équipe. Les documents, la feuille de route et "
                    "le rapport ne sont montrés que s'ils sont publiés eux aussi."
                )
                % {"territoire": atelier.territoire},
                _("Vous pourrez retirer l'atelier du site public plus tard."),
            ],
            bouton=_("Publier sur le site public"),
            retour=atelier.get_absolute_url(),
            champs={"publier": "1"},
            danger=False,
        )
    return Confirmation(
        url=url,
        titre=_("Retirer l'atelier « %(t)s » du site public ?") % {"t": atelier},
        consequences=[
            _(
                "La page publique du territoire « %(territoire)s » ne montrera plus l'atelier, "
                "ni ses documents, sa feuille de route et son rapport publiés ; les liens déjà "
                "partagés ne mèneront plus à rien."
            )
            % {"territoire": atelier.territoire},
            _(
                "Rien n'est effacé : l'espace de l'atelier reste tel quel et vous pourrez le "
                "publier à nouveau."
            ),
        ],
        bouton=_("Retirer du site public"),
        retour=atelier.get_absolute_url(),
        champs={"publier": "0"},
    )


@register("ateliers:document_publier")
def document_publier(document: Document, donnees: dict) -> Confirmation:
    url = reverse("ateliers:document_publier", args=[document.atelier_id, document.pk])
    retour = reverse("ateliers:document", args=[document.atelier_id, document.pk])
    if donnees.get("publie") == "1":
        return Confirmation(
            url=url,
            titre=_("Publier le document « %(t)s » ?") % {"t": document.titre},
            consequences=[
                _(
                    "Toutes ses versions pourront être téléchargées par tout le monde depuis "
                    "la page publique du territoire, une fois l'atelier publié."
                ),
                _("Vous pourrez retirer la publication plus tard."),
            ],
            bouton=_("Publier ce document"),
            retour=retour,
            champs={"publie": "1"},
            danger=False,
        )
    return Confirmation(
        url=url,
        titre=_("Retirer la publication du document « %(t)s » ?") % {"t": document.titre},
        consequences=[
            _(
                "Aucune de ses versions ne pourra plus être téléchargée hors de l'atelier ; "
                "les liens déjà partagés ne mèneront plus à rien. Le document reste dans "
                "l'espace de l'atelier."
            ),
        ],
        bouton=_("Retirer la publication"),
        retour=retour,
        champs={"publie": "0"},
    )


@register("ateliers:site_supprimer")
def site_supprimer(site: SiteDemonstrateur, donnees: dict) -> Confirmation:
    return Confirmation(
        url=reverse("ateliers:site_supprimer", args=[site.atelier_id, site.pk]),
        titre=_("Supprimer le site démonstrateur « %(nom)s » ?") % {"nom": site.nom},
        consequences=[
            _(
                "Le site et son tracé sur la carte sont effacés définitivement. Les actions de "
                "la feuille de route qui s'y rattachaient restent, sans site."
            ),
        ],
        bouton=_("Supprimer le site"),
        declencheur=_("Supprimer"),
        cible=site.nom,
        retour=reverse("ateliers:sites", args=[site.atelier_id]),
    )


@functools.lru_cache(maxsize=8)
def _textes_retirer(langue: str | None) -> tuple[str, str, str, str, str]:
    """The texts of a participant's removal, translated once per language: the participants
    page asks for one per row (five translations each, a tenth of the page)."""
    return (
        _("Retirer %(acteur)s de l'atelier ?"),
        _(
            "%(acteur)s n'aura plus accès à l'espace de l'atelier et ses présences aux "
            "étapes sont effacées. Ce que cette personne a écrit ou déposé reste."
        ),
        _("Pour la faire revenir, il faudra l'inviter à nouveau."),
        _("Retirer de l'atelier"),
        _("Retirer"),
    )


@register("ateliers:participation_retirer")
def participation_retirer(participation: Participation, donnees: dict) -> Confirmation:
    acteur = {"acteur": str(participation.acteur)}
    titre, consequence, revenir, bouton, declencheur = _textes_retirer(get_language())
    return Confirmation(
        # One per row of the participants page: from a cached URL model, not reverse().
        url=lien("ateliers:participation_retirer", participation.atelier_id, participation.pk),
        titre=titre % acteur,
        consequences=[consequence % acteur, revenir],
        bouton=bouton,
        declencheur=declencheur,
        cible=acteur["acteur"],
        retour=lien("ateliers:participants", participation.atelier_id),
        # The participants page counts the pilotes once for all its rows.
        impossible=participation_remove_refusal(
            participation, pilotes=getattr(participation, "pilotes_de_l_atelier", None)
        ),
    )
