"""Reads for people, participants, the personal workspace and the audit trail."""

import datetime as dt
import functools
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

from django.db.models import QuerySet
from django.utils import timezone

from .models import EvenementAudit, Invitation, Participation


def participations_of_atelier(atelier: Any) -> QuerySet[Participation]:
    """Participants of an atelier, grouped by role then organisation in the template."""
    return (
        Participation.objects.filter(atelier=atelier)
        .select_related("acteur", "acteur__organisation", "acteur__utilisateur")
        .order_by("role", "acteur__organisation__nom", "acteur__nom", "acteur__prenom")
    )


def pending_invitations_of_atelier(atelier: Any) -> QuerySet[Invitation]:
    return (
        Invitation.objects.filter(
            atelier=atelier, statut=Invitation.Statut.ENVOYEE, expire_le__gt=timezone.now()
        )
        .select_related("invitee_par")
        .order_by("-cree_le")
    )


def historique_atelier(atelier: Any, *, limit: int | None = 50) -> list[EvenementAudit]:
    """The audit entries of one atelier, newest first, for ``acteurs/includes/historique.html``
    (labelled by ``libeller``)."""
    qs = (
        EvenementAudit.objects.filter(atelier=atelier)
        .select_related("auteur", "content_type")
        .order_by("-quand", "-id")
    )
    return libeller(qs[:limit] if limit else qs)


# What each audited action is called on screen; codes are written by the services.
LIBELLES_ACTIONS = {
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
    "avis_donne": "Avis de rapporteur donné",
    "candidature_creee": "Candidature créée",
    "candidature_deposee": "Candidature déposée",
    "candidature_en_instruction": "Candidature mise en instruction",
    "candidature_recevable": "Recevabilité décidée",
    "candidature_retenue": "Décision de sélection",
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
    "rapporteurs_designes": "Rapporteurs désignés",
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


def libeller(evenements: Iterable[EvenementAudit]) -> list[EvenementAudit]:
    """The entries as a list, each with ``action_libelle`` and ``avant_libelle`` /
    ``apres_libelle``: its state codes as the French labels of the audited model's status
    field (the code itself when unknown). Needs ``content_type`` selected."""
    evenements = list(evenements)
    for ev in evenements:
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
    """Every audit entry, for the DGALN log (filtered by ``acteurs.filters.JournalFilter``)."""
    return EvenementAudit.objects.select_related("auteur", "content_type", "atelier").order_by(
        "-quand", "-id"
    )


@dataclass
class Espace:
    participations: list = field(default_factory=list)
    candidatures: list = field(default_factory=list)
    signatures: list = field(default_factory=list)
    invitations: list = field(default_factory=list)
    etapes: list = field(default_factory=list)

    @property
    def a_faire(self) -> int:
        return len(self.signatures) + len(self.invitations) + len(self.etapes)


def espace_for_user(user: Any, *, today: dt.date | None = None) -> Espace:
    """What ``/espace/`` shows: my ateliers and role, my candidatures, what awaits me (the
    roadmaps to sign, my invitations, and the stages still to come this week)."""
    from ateliers.models import Candidature
    from ateliers.selectors.atelier import prochaines_etapes
    from feuilles_de_route.selectors import signatures_attendues

    participations = list(
        Participation.objects.filter(acteur__utilisateur=user)
        .select_related("atelier", "atelier__territoire")
        .order_by("-atelier__annee", "atelier__titre")
    )
    candidatures = list(
        Candidature.objects.filter(auteur=user).select_related("appel").order_by("-id")
    )
    invitations = list(
        Invitation.objects.filter(
            email__iexact=user.email,
            statut=Invitation.Statut.ENVOYEE,
            expire_le__gt=timezone.now(),
        ).select_related("atelier")
    )
    today = today or timezone.localdate()
    fin_semaine = today + dt.timedelta(days=7 - today.weekday())
    tz = timezone.get_current_timezone()
    etapes = list(
        prochaines_etapes(
            user, limite=None, avant=dt.datetime.combine(fin_semaine, dt.time.min, tzinfo=tz)
        )
    )
    return Espace(
        participations=participations,
        candidatures=candidatures,
        signatures=list(signatures_attendues(user)),
        invitations=invitations,
        etapes=etapes,
    )
