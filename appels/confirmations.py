"""What the calls' and candidatures' irreversible actions will do, said before they are done
(``atelier.confirmation``: the modal and the page without JavaScript read these)."""

from django.urls import reverse
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from atelier.confirmation import Confirmation, register
from atelier.dates import format_date

from .models import AppelACandidatures, Candidature, DocumentAppel


def _appel_url(appel: AppelACandidatures, ancre: str = "") -> str:
    return reverse("appels:gestion_appel", kwargs={"pk": appel.pk}) + ancre


@register("appels:gestion_appel_statut")
def appel_statut(appel: AppelACandidatures, donnees: dict) -> Confirmation:
    action = donnees.get("action", "")
    url = reverse("appels:gestion_appel_statut", kwargs={"pk": appel.pk})
    commun = {"url": url, "retour": _appel_url(appel), "champs": {"action": action}}
    if action == "clore":
        brouillons = appel.candidatures.filter(statut=Candidature.Statut.BROUILLON).count()
        return Confirmation(
            **commun,
            titre=_("Clore l'appel « %(t)s » ?") % {"t": appel.titre},
            consequences=[
                _(
                    "Plus aucune candidature ne pourra être déposée, même avant la date de "
                    "clôture annoncée ; l'instruction des candidatures déposées continue."
                ),
                ngettext(
                    "%(n)s brouillon de candidature ne pourra plus être déposé.",
                    "%(n)s brouillons de candidature ne pourront plus être déposés.",
                    brouillons,
                )
                % {"n": brouillons}
                if brouillons
                else _("Aucun brouillon de candidature n'est en cours."),
                _("Vous pourrez le rouvrir tant que sa date de clôture n'est pas passée."),
            ],
            bouton=_("Clore l'appel"),
        )
    if action == "publier":
        cloture = (
            _("jusqu'au %(date)s") % {"date": format_date(appel.cloture, "DATETIME_FORMAT")}
            if appel.cloture
            else _("sans date limite")
        )
        return Confirmation(
            **commun,
            titre=_("Publier l'appel « %(t)s » ?") % {"t": appel.titre},
            consequences=[
                _(
                    "L'appel paraît sur le site public et les territoires peuvent candidater "
                    "%(cloture)s."
                )
                % {"cloture": cloture},
                _("Ses questions et ses pièces demandées ne pourront plus être modifiées."),
            ],
            bouton=_("Publier l'appel"),
            danger=False,
        )
    if action == "rouvrir":
        return Confirmation(
            **commun,
            titre=_("Rouvrir l'appel « %(t)s » ?") % {"t": appel.titre},
            consequences=[_("Les territoires pourront de nouveau déposer leur candidature.")],
            bouton=_("Rouvrir l'appel"),
            danger=False,
        )
    return Confirmation(
        **commun,
        titre=_("Marquer l'appel « %(t)s » comme décidé ?") % {"t": appel.titre},
        consequences=[
            _(
                "L'appel est terminé : ses critères ne pourront plus changer et il ne pourra "
                "plus être rouvert."
            )
        ],
        bouton=_("Marquer l'appel comme décidé"),
        danger=False,
    )


@register("appels:gestion_appel_document_supprimer")
def appel_document_supprimer(document: DocumentAppel, donnees: dict) -> Confirmation:
    appel = document.appel
    return Confirmation(
        url=reverse(
            "appels:gestion_appel_document_supprimer",
            kwargs={"pk": appel.pk, "document_id": document.pk},
        ),
        titre=_("Retirer le document « %(t)s » de l'appel ?") % {"t": document.titre},
        consequences=[
            _(
                "Le fichier « %(nom)s » est supprimé définitivement : il ne pourra plus être "
                "téléchargé depuis la page de l'appel."
            )
            % {"nom": document.nom_original},
        ],
        bouton=_("Retirer le document"),
        declencheur=_("Retirer"),
        cible=document.titre,
        retour=_appel_url(appel, "#documents"),
    )


@register("appels:gestion_candidature_decision")
def candidature_decision(candidature: Candidature, donnees: dict) -> Confirmation:
    decision = donnees.get("decision", "")
    if decision == "retenue":
        effets = [
            _(
                "La candidature « %(c)s » sera retenue : son atelier est créé (en préparation), "
                "son territoire aussi s'il est nouveau, le candidat y est inscrit et l'agent de "
                "l'État choisi en devient le pilote, prévenu par courriel."
            )
            % {"c": candidature},
        ]
    elif decision == "non_retenue":
        effets = [_("La candidature « %(c)s » ne sera pas retenue.") % {"c": candidature}]
    else:
        effets = []
    motivation = donnees.get("motivation", "").strip()
    return Confirmation(
        url=reverse("appels:gestion_candidature_decision", kwargs={"pk": candidature.pk}),
        titre=_("Enregistrer la décision sur « %(c)s » ?") % {"c": candidature},
        consequences=[
            *effets,
            _(
                "La décision est définitive : le candidat reçoit aussitôt sa lettre de décision "
                "par courriel, avec la motivation."
            ),
            *([_("Motivation : %(m)s") % {"m": motivation}] if motivation else []),
        ],
        bouton=_("Enregistrer la décision"),
        retour=reverse("appels:gestion_candidature", kwargs={"pk": candidature.pk}),
        danger=False,
        choix="decision",
    )
