"""The append-only audit trail: one row per change of state, whoever made it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.db.models.functions import Length
from django.db.models.lookups import GreaterThanOrEqual
from django.utils.translation import gettext_lazy as _


class Action(models.TextChoices):
    """Every audited action: ``<objet>_<participe passé>``, with the name the journal shows.

    Services write these (``journal.services.audit`` and ``atelier.workflow.transition``
    take an ``Action``); the journal reads its labels from here.
    """

    APPEL_CREE = "appel_cree", _("Appel créé")
    APPEL_MODIFIE = "appel_modifie", _("Appel modifié")
    APPEL_PUBLIE = "appel_publie", _("Appel publié")
    APPEL_CLOS = "appel_clos", _("Appel clos")
    APPEL_ROUVERT = "appel_rouvert", _("Appel rouvert")
    APPEL_DECIDE = "appel_decide", _("Appel décidé")
    APPEL_DOCUMENT_AJOUTE = "appel_document_ajoute", _("Document ajouté à un appel")
    APPEL_DOCUMENT_SUPPRIME = "appel_document_supprime", _("Document retiré d'un appel")
    APPEL_QUESTION_AJOUTE = "appel_question_ajoute", _("Question ajoutée à l'appel")
    APPEL_QUESTION_SUPPRIME = "appel_question_supprime", _("Question retirée de l'appel")
    APPEL_PIECE_AJOUTE = "appel_piece_ajoute", _("Pièce requise ajoutée à l'appel")
    APPEL_PIECE_SUPPRIME = "appel_piece_supprime", _("Pièce requise retirée de l'appel")
    APPEL_CRITERE_AJOUTE = "appel_critere_ajoute", _("Critère ajouté à l'appel")
    APPEL_CRITERE_SUPPRIME = "appel_critere_supprime", _("Critère retiré de l'appel")
    SESSION_CREEE = "session_creee", _("Session nationale créée")
    SESSION_MODIFIEE = "session_modifiee", _("Session nationale modifiée")
    CANDIDATURE_CREEE = "candidature_creee", _("Candidature créée")
    CANDIDATURE_DEPOSEE = "candidature_deposee", _("Candidature déposée")
    CANDIDATURE_RECEVABLE = "candidature_recevable", _("Recevabilité décidée")
    CANDIDATURE_IRRECEVABLE = "candidature_irrecevable", _("Candidature déclarée irrecevable")
    CANDIDATURE_EN_INSTRUCTION = "candidature_en_instruction", _("Candidature mise en instruction")
    CANDIDATURE_RETENUE = "candidature_retenue", _("Décision de sélection")
    CANDIDATURE_NON_RETENUE = "candidature_non_retenue", _("Candidature non retenue")
    PIECE_JOINTE_AJOUTEE = "piece_jointe_ajoutee", _("Pièce jointe ajoutée")
    PIECE_JOINTE_SUPPRIMEE = "piece_jointe_supprimee", _("Pièce jointe supprimée")
    RAPPORTEURS_DESIGNES = "rapporteurs_designes", _("Rapporteurs désignés")
    AVIS_DONNE = "avis_donne", _("Avis de rapporteur donné")
    AVIS_MODIFIE = "avis_modifie", _("Avis de rapporteur modifié")
    ATELIER_CREE_PAR_SELECTION = (
        "atelier_cree_par_selection",
        _("Atelier créé (candidature retenue)"),
    )
    ATELIER_DEMARRE = "atelier_demarre", _("Atelier démarré")
    ATELIER_RESTITUE = "atelier_restitue", _("Atelier restitué")
    ATELIER_MIS_EN_OEUVRE = "atelier_mis_en_oeuvre", _("Atelier en mise en œuvre")
    ATELIER_CLOS = "atelier_clos", _("Atelier clos")
    ATELIER_EQUIPE_MODIFIEE = "atelier_equipe_modifiee", _("Équipe et contrat modifiés")
    ATELIER_PUBLIE = "atelier_publie", _("Atelier publié sur le site public")
    ATELIER_DEPUBLIE = "atelier_depublie", _("Atelier retiré du site public")
    ETAPE_AJOUTEE = "etape_ajoutee", _("Étape ajoutée")
    ETAPE_PLANIFIEE = "etape_planifiee", _("Étape planifiée")
    ETAPE_DEPLACEE = "etape_deplacee", _("Étape déplacée")
    ETAPE_ANNULEE = "etape_annulee", _("Étape annulée")
    ETAPE_REPLANIFIEE = "etape_replanifiee", _("Étape replanifiée après annulation")
    ETAPE_REALISEE = "etape_realisee", _("Étape réalisée")
    ETAPE_PRESENCES_ENREGISTREES = "etape_presences_enregistrees", _("Présences enregistrées")
    ORGANISATION_AJOUTEE = "organisation_ajoutee", _("Organisation ajoutée à la liste")
    JOURNAL_ENTREE_MODIFIEE = "journal_entree_modifiee", _("Entrée du cahier de suivi modifiée")
    JOURNAL_ENTREE_RETIREE = "journal_entree_retiree", _("Entrée du cahier de suivi retirée")
    DOCUMENT_DEPOSE = "document_depose", _("Document déposé")
    DOCUMENT_PUBLIE = "document_publie", _("Publication d'un document")
    DOCUMENT_DEPUBLIE = "document_depublie", _("Document retiré de la publication")
    SITE_AJOUTE = "site_ajoute", _("Site démonstrateur ajouté")
    SITE_SUPPRIME = "site_supprime", _("Site démonstrateur supprimé")
    INVITATION_ENVOYEE = "invitation_envoyee", _("Invitation envoyée")
    INVITATION_ACCEPTEE = "invitation_acceptee", _("Invitation acceptée")
    INVITATION_ANNULEE = "invitation_annulee", _("Invitation annulée")
    PARTICIPATION_AJOUTEE = "participation_ajoutee", _("Participant ajouté")
    PARTICIPATION_RETIREE = "participation_retiree", _("Participant retiré")
    PARTICIPATION_ROLE_MODIFIE = "participation_role_modifie", _("Rôle d'un participant modifié")
    VERSION_FIGEE = "version_figee", _("Version figée")
    VERSION_ENVOYEE_SIGNATURE = "version_envoyee_signature", _("Version envoyée pour signature")
    VERSION_REMPLACEE = "version_remplacee", _("Version remplacée")
    VERSION_SIGNEE = "version_signee", _("Version signée")
    VERSION_ADOPTEE = "version_adoptee", _("Version adoptée")
    DELIBERATION_ENREGISTREE = "deliberation_enregistree", _("Délibération déposée")
    FEUILLE_ADOPTEE = "feuille_adoptee", _("Feuille de route adoptée")
    FEUILLE_PUBLIEE = "feuille_publiee", _("Publication de la feuille de route")
    FEUILLE_DEPUBLIEE = "feuille_depubliee", _("Feuille de route retirée du site public")
    RAPPORT_DEMANDE = "rapport_demande", _("Rapport de restitution demandé")
    RAPPORT_RELANCE = "rapport_relance", _("Génération du rapport relancée")
    RAPPORT_RENDU_COMMENCE = "rapport_rendu_commence", _("Génération du rapport commencée")
    RAPPORT_PRET = "rapport_pret", _("Rapport de restitution prêt")
    RAPPORT_ECHOUE = "rapport_echoue", _("Échec de la génération du rapport")
    RAPPORT_PUBLIE = "rapport_publie", _("Rapport de restitution publié")
    RAPPORT_DEPUBLIE = "rapport_depublie", _("Rapport de restitution retiré du site public")
    POINT_SUIVI_AJOUTE = "point_suivi_ajoute", _("Point de suivi")
    FINANCEMENTS_MODIFIES = "financements_modifies", _("Financements d'une action modifiés")
    RAPPEL_SUIVI_ENVOYE = "rappel_suivi_envoye", _("Rappel de suivi envoyé")
    SCEAU_SIGNE = "sceau_signe", _("Sceau signé par la clé de la plateforme")
    CANDIDATURE_RETIREE = "candidature_retiree", _("Candidature retirée par son auteur")
    DECISION_SANS_TOUS_LES_AVIS = (
        "decision_sans_tous_les_avis",
        _("Décision prise sans tous les avis (motif donné)"),
    )
    PROFIL_INSCRIPTION = "profil_inscription", _("Profil renseigné à l'inscription")
    AGENT_ETAT_VERIFIE = "agent_etat_verifie", _("Agent de l'État vérifié")
    AGENT_ETAT_REVOQUE = "agent_etat_revoque", _("Agent de l'État révoqué")
    AGENT_ETAT_PROCONNECT = "agent_etat_proconnect", _("Agent de l'État reconnu par ProConnect")
    SERVICE_ETAT_CREE = "service_etat_cree", _("Service de l'État créé")
    SERVICE_ETAT_MODIFIE = "service_etat_modifie", _("Service de l'État modifié")
    COMPTE_CLOTURE = "compte_cloture", _("Compte clôturé")
    DONNEES_RETENTION = "donnees_retention", _("Données supprimées (durées de conservation)")
    RAPPORT_REPROGRAMME = "rapport_reprogramme", _("Rapport bloqué remis en file")
    CARNET_DEMANDE = "carnet_demande", _("Carnet de suivi demandé")
    CARNET_DEPUBLIE = "carnet_depublie", _("Carnet de suivi retiré du site public")
    CARNET_ECHEC = "carnet_echec", _("Échec du rendu du carnet de suivi")
    CARNET_PRET = "carnet_pret", _("Carnet de suivi prêt")
    CARNET_PUBLIE = "carnet_publie", _("Carnet de suivi publié")
    CARNET_RENDU_COMMENCE = "carnet_rendu_commence", _("Rendu du carnet de suivi commencé")
    CONSULTATION_CLOSE = "consultation_close", _("Concertation close")
    CONSULTATION_COMMENTAIRE = "consultation_commentaire", _("Commentaire de concertation")
    CONSULTATION_COMMENTAIRE_MASQUE = (
        "consultation_commentaire_masque",
        _("Commentaire de concertation masqué"),
    )
    CONSULTATION_OUVERTE = "consultation_ouverte", _("Concertation ouverte")
    CONSULTATION_REPONSE = "consultation_reponse", _("Réponse à un commentaire de concertation")
    INDICATEUR_CREE = "indicateur_cree", _("Indicateur ajouté au catalogue national")
    INDICATEUR_MODIFIE = "indicateur_modifie", _("Indicateur du catalogue modifié")
    INDICATEUR_SUPPRIME = "indicateur_supprime", _("Indicateur supprimé du catalogue")
    INDICATEUR_ACTION_AJOUTE = "indicateur_action_ajoute", _("Indicateur suivi sur une action")
    INDICATEUR_ACTION_MODIFIE = (
        "indicateur_action_modifie",
        _("Référence ou cible d'un indicateur modifiée"),
    )
    MESURE_INDICATEUR = "mesure_indicateur", _("Valeur d'indicateur mesurée")
    FICHE_CAPITALISATION_ENREGISTREE = (
        "fiche_capitalisation_enregistree",
        _("Fiche de capitalisation enregistrée"),
    )
    FICHE_CAPITALISATION_SOUMISE = (
        "fiche_capitalisation_soumise",
        _("Fiche de capitalisation soumise à la DGALN"),
    )
    FICHE_CAPITALISATION_VALIDEE = (
        "fiche_capitalisation_validee",
        _("Fiche de capitalisation validée"),
    )
    FICHE_CAPITALISATION_A_REVOIR = (
        "fiche_capitalisation_a_revoir",
        _("Fiche de capitalisation renvoyée au pilote"),
    )
    SYNTHESE_DEMANDEE = "synthese_demandee", _("Synthèse nationale demandée")
    SYNTHESE_RELANCEE = "synthese_relancee", _("Synthèse nationale relancée")
    SYNTHESE_RENDU_COMMENCE = (
        "synthese_rendu_commence",
        _("Rendu de la synthèse nationale commencé"),
    )
    SYNTHESE_PRETE = "synthese_prete", _("Synthèse nationale prête")
    SYNTHESE_ECHEC = "synthese_echec", _("Échec du rendu de la synthèse nationale")
    SYNTHESE_PUBLIEE = "synthese_publiee", _("Synthèse nationale publiée")
    SYNTHESE_DEPUBLIEE = "synthese_depubliee", _("Synthèse nationale retirée du site public")
    SIGNATURE_PSEUDONYMISEE = (
        "signature_pseudonymisee",
        _("Nom d'un signataire remplacé par son pseudonyme (compte clos)"),
    )
    DOCUMENT_REGENERE = (
        "document_regenere",
        _("Document régénéré sans le nom d'un compte clos (ancienne empreinte gardée)"),
    )
    DOCUMENT_REGENERATION_ECHOUEE = (
        "document_regeneration_echouee",
        _("Régénération d'un document sans le nom d'un compte clos échouée"),
    )
    DOCUMENT_REGENERATION_RELANCEE = (
        "document_regeneration_relancee",
        _("Régénération d'un document sans le nom d'un compte clos relancée"),
    )


class EvenementAuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul.")

    def delete(self):
        raise PermissionError("Le journal d'audit est en ajout seul.")


class EvenementAudit(models.Model):
    """An append-only row per change of state. Written only by ``journal.services.audit``."""

    quand = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    auteur_repr = models.CharField(_("auteur (texte)"), max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("type d'objet")
    )
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    objet = GenericForeignKey("content_type", "object_id")
    objet_repr = models.CharField(_("objet"), max_length=300)
    action = models.CharField(_("action"), max_length=100, choices=Action.choices)
    etat_avant = models.CharField(_("état avant"), max_length=50, blank=True)
    etat_apres = models.CharField(_("état après"), max_length=50, blank=True)
    resume = models.TextField(_("résumé"), blank=True)
    atelier = models.ForeignKey(
        "ateliers.Atelier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evenements_audit",
        verbose_name=_("atelier"),
    )

    objects = EvenementAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-quand", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["atelier", "-quand"]),
            models.Index(fields=["action"]),
        ]

    def __str__(self) -> str:
        return f"{self.quand:%d/%m/%Y %H:%M} {self.action} {self.objet_repr}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise PermissionError("Le journal d'audit est en ajout seul.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul.")


# What a closed account's name becomes (acteurs.donnees.pseudonyme); the database triggers
# allow a name to be replaced by a text of this form only.
PREFIXE_PSEUDONYME = "Compte clôturé n° "


class RemplacementNom(models.Model):
    """A name being replaced by a closed account's pseudonym, for the length of one
    transaction (:func:`journal.services.names_replaced`; no row is ever committed).

    The triggers of the append-only tables (this journal, the sealed signatures) allow one
    rewrite of their text columns, and only while such a row exists: the old text with this
    name replaced by this pseudonym, every other column unchanged.
    """

    nom = models.CharField(max_length=300)
    pseudonyme = models.CharField(max_length=100)

    class Meta:
        constraints = [
            models.CheckConstraint(
                condition=models.Q(pseudonyme__startswith=PREFIXE_PSEUDONYME),
                name="remplacement_par_un_pseudonyme",
            ),
            # A name, not a letter: replacing "e" everywhere would rewrite history.
            models.CheckConstraint(
                condition=GreaterThanOrEqual(Length("nom"), 4), name="remplacement_d_un_nom"
            ),
        ]

    def __str__(self) -> str:
        return self.pseudonyme
