"""Reads of the audit trail: an atelier's history, the DGALN log, and their French labels."""

import functools
from collections.abc import Iterable
from typing import Any

from django.db.models import QuerySet

from .models import EvenementAudit


def historique_atelier(atelier: Any, *, limit: int | None = 50) -> list[EvenementAudit]:
    """The audit entries of one atelier, newest first, for ``journal/includes/historique.html``
    (labelled by ``libeller``)."""
    qs = (
        EvenementAudit.objects.filter(atelier=atelier)
        .select_related("auteur", "content_type")
        .order_by("-quand", "-id")
    )
    return libeller(qs[:limit] if limit else qs)


# What each audited action is called on screen; codes are written by the services.
LIBELLES_ACTIONS = {
    "carnet_demande": "Carnet de suivi demandé",
    "carnet_depublie": "Carnet de suivi retiré du site public",
    "carnet_echec": "Échec du rendu du carnet de suivi",
    "carnet_pret": "Carnet de suivi prêt",
    "carnet_publie": "Carnet de suivi publié",
    "carnet_rendu_commence": "Rendu du carnet de suivi commencé",
    "consultation_close": "Concertation close",
    "consultation_commentaire": "Commentaire de concertation",
    "consultation_commentaire_masque": "Commentaire de concertation masqué",
    "consultation_ouverte": "Concertation ouverte",
    "consultation_reponse": "Réponse à un commentaire de concertation",
    "appel_clos": "Appel clos",
    "appel_cree": "Appel créé",
    "appel_decide": "Appel décidé",
    "appel_document_ajoute": "Document ajouté à un appel",
    "appel_document_supprime": "Document retiré d'un appel",
    "appel_publie": "Appel publié",
    "appel_rouvert": "Appel rouvert",
    "appel_question_ajoute": "Question ajoutée à l'appel",
    "appel_question_supprime": "Question retirée de l'appel",
    "appel_piece_ajoute": "Pièce requise ajoutée à l'appel",
    "appel_piece_supprime": "Pièce requise retirée de l'appel",
    "appel_critere_ajoute": "Critère ajouté à l'appel",
    "appel_critere_supprime": "Critère retiré de l'appel",
    "atelier.demarrer": "Atelier démarré",
    "atelier.equipe": "Équipe et contrat modifiés",
    "atelier.publier": "Atelier publié sur le site public",
    "atelier.depublier": "Atelier retiré du site public",
    "atelier_cree_par_selection": "Atelier créé (candidature retenue)",
    "agent_etat_proconnect": "Agent de l'État reconnu par ProConnect",
    "agent_etat_revoque": "Agent de l'État révoqué",
    "agent_etat_verifie": "Agent de l'État vérifié",
    "avis_donne": "Avis de rapporteur donné",
    "candidature_creee": "Candidature créée",
    "candidature_deposee": "Candidature déposée",
    "candidature_en_instruction": "Candidature mise en instruction",
    "candidature_recevable": "Recevabilité décidée",
    "candidature_retenue": "Décision de sélection",
    "compte_cloture": "Compte clôturé",
    "donnees_retention": "Données supprimées (durées de conservation)",
    "candidature_retiree": "Candidature retirée par son auteur",
    "decision_sans_tous_les_avis": "Décision prise sans tous les avis (motif donné)",
    "deliberation": "Délibération déposée",
    "document.depot": "Document déposé",
    "document.publier": "Publication d'un document",
    "document.depublier": "Document retiré de la publication",
    "etape.ajout": "Étape ajoutée",
    "etape.annuler": "Étape annulée",
    "etape.planifiee": "Étape planifiée",
    "etape.deplacee": "Étape déplacée",
    "etape.presences": "Présences enregistrées",
    "etape.realiser": "Étape réalisée",
    "etape.replanifier": "Étape replanifiée après annulation",
    "feuille_adoptee": "Feuille de route adoptée",
    "feuille_publiee": "Publication de la feuille de route",
    "invitation_acceptee": "Invitation acceptée",
    "invitation_annulee": "Invitation annulée",
    "invitation_envoyee": "Invitation envoyée",
    "participation_ajoutee": "Participant ajouté",
    "participation_retiree": "Participant retiré",
    "participation_role_modifie": "Rôle d'un participant modifié",
    "piece_jointe_ajoutee": "Pièce jointe ajoutée",
    "piece_jointe_supprimee": "Pièce jointe supprimée",
    "point_suivi": "Point de suivi",
    "rappel_suivi": "Rappel de suivi envoyé",
    "rapport_demande": "Rapport de restitution demandé",
    "rapport_echec": "Échec de la génération du rapport",
    "rapport_pret": "Rapport de restitution prêt",
    "rapport_publie": "Rapport de restitution publié",
    "rapport_relance": "Génération du rapport relancée",
    "rapport_rendu_commence": "Génération du rapport commencée",
    "profil_inscription": "Profil renseigné à l'inscription",
    "rapporteurs_designes": "Rapporteurs désignés",
    "service_etat_cree": "Service de l'État créé",
    "service_etat_modifie": "Service de l'État modifié",
    "session_creee": "Session nationale créée",
    "site.ajout": "Site démonstrateur ajouté",
    "site.suppression": "Site démonstrateur supprimé",
    "version_adoptee": "Version adoptée",
    "version_envoyee_signature": "Version envoyée pour signature",
    "version_figee": "Version figée",
    "version_remplacee": "Version remplacée",
    "version_signee": "Version signée",
    "sceau_signe": "Sceau signé par la clé de la plateforme",
}


def libelle_action(code: str) -> str:
    """The French name of an audited action; a state change of an atelier
    (``atelier.<state>``) is named after that state."""
    if code in LIBELLES_ACTIONS:
        return LIBELLES_ACTIONS[code]
    if code.startswith("atelier."):
        return "Changement d'état de l'atelier"
    return code


# Closed accounts get an address in this reserved domain (acteurs.donnees.compte_close).
DOMAINE_COMPTES_CLOS = "compte-clos.invalid"


def libeller(evenements: Iterable[EvenementAudit]) -> list[EvenementAudit]:
    """The entries as a list, each with ``action_libelle`` and ``avant_libelle`` /
    ``apres_libelle``: its state codes as the French labels of the audited model's status
    field (the code itself when unknown). Needs ``content_type`` selected.

    The trail is append-only: the author of an entry whose account was since closed is
    shown under the account's pseudonym (its current name), not the name written then."""
    evenements = list(evenements)
    champ_auteur = EvenementAudit._meta.get_field("auteur")
    a_charger = {
        ev.auteur_id for ev in evenements if ev.auteur_id and not champ_auteur.is_cached(ev)
    }
    pseudonymes = {
        ev.auteur_id: ev.auteur.first_name
        for ev in evenements
        if ev.auteur_id
        and champ_auteur.is_cached(ev)
        and ev.auteur.email.endswith(f"@{DOMAINE_COMPTES_CLOS}")
    }
    if a_charger:
        from django.contrib.auth import get_user_model

        pseudonymes |= {
            u.pk: u.first_name
            for u in get_user_model().objects.filter(
                pk__in=a_charger, email__endswith=f"@{DOMAINE_COMPTES_CLOS}"
            )
        }
    for ev in evenements:
        if ev.auteur_id in pseudonymes:
            ev.auteur_repr = pseudonymes[ev.auteur_id]
        libelles = _libelles_etats(ev.content_type.model_class() if ev.content_type else None)
        ev.action_libelle = libelle_action(ev.action)
        ev.avant_libelle = libelles.get(ev.etat_avant, ev.etat_avant)
        ev.apres_libelle = libelles.get(ev.etat_apres, ev.etat_apres)
    return evenements


@functools.cache
def _libelles_etats(model: Any) -> dict[str, str]:
    """French labels of the state codes of ``model``: the choices of its ``statut*`` fields
    (``atelier.workflow.transition`` records the value of such a field)."""
    if model is None:
        return {}
    libelles: dict[str, str] = {}
    for f in model._meta.get_fields():
        if f.name.startswith("statut") and getattr(f, "choices", None):
            libelles.update({str(code): str(label) for code, label in f.flatchoices})
    return libelles


def journal() -> QuerySet[EvenementAudit]:
    """Every audit entry, for the DGALN log (filtered by ``journal.filters.JournalFilter``)."""
    return EvenementAudit.objects.select_related("auteur", "content_type", "atelier").order_by(
        "-quand", "-id"
    )
