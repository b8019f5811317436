"""The append-only journal allows one rewrite: a closed account's name replaced by its
pseudonym (journal.services.audit_names_replace), on PostgreSQL and now on SQLite too.

An UPDATE passes only when every column but the three texts (author, object, summary) is
unchanged, and each text is unchanged or equal to the old one with a name replaced by a
pseudonym, as listed in ``journal_remplacementnom`` in that same transaction (its rows must
be a pseudonym ``Compte clôturé n° …`` and a name of four characters or more). DELETE stays
refused on PostgreSQL (SQLite keeps it so that tests can flush the table).
"""


import django.db.models.functions.text
import django.db.models.lookups
from django.db import migrations, models

FIXED = (
    "id",
    "quand",
    "auteur_id",
    "content_type_id",
    "object_id",
    "action",
    "etat_avant",
    "etat_apres",
    "atelier_id",
)
TEXTS = ("auteur_repr", "objet_repr", "resume")
MESSAGE = "Le journal d''audit est en ajout seul"


def _replaced(column, same):
    return (
        f"(NEW.{column} {same} OLD.{column} OR EXISTS (SELECT 1 FROM journal_remplacementnom r"
        f" WHERE NEW.{column} = replace(OLD.{column}, r.nom, r.pseudonyme)))"
    )


def allowed(same):
    """SQL true when an UPDATE only replaces names by pseudonyms (``same``: the null-safe
    equality of the database)."""
    return " AND ".join(
        [f"NEW.{c} {same} OLD.{c}" for c in FIXED] + [_replaced(c, same) for c in TEXTS]
    )


PG = f"""
CREATE OR REPLACE FUNCTION journal_audit_ajout_seul() RETURNS trigger AS $$
BEGIN
    IF TG_OP = 'UPDATE' AND {allowed("IS NOT DISTINCT FROM")} THEN
        RETURN NEW;
    END IF;
    RAISE EXCEPTION '{MESSAGE} (% refusé).', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
PG_BACK = f"""
CREATE OR REPLACE FUNCTION journal_audit_ajout_seul() RETURNS trigger AS $$
BEGIN
    RAISE EXCEPTION '{MESSAGE} (% refusé).', TG_OP;
END;
$$ LANGUAGE plpgsql;
"""
SQLITE = f"""CREATE TRIGGER IF NOT EXISTS journal_audit_ajout_seul
    BEFORE UPDATE ON journal_evenementaudit WHEN NOT ({allowed("IS")})
    BEGIN SELECT RAISE(ABORT, '{MESSAGE}.'); END;"""


def add_path(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG, params=None)
    elif vendor == "sqlite":
        schema_editor.execute(SQLITE, params=None)


def remove_path(apps, schema_editor):
    vendor = schema_editor.connection.vendor
    if vendor == "postgresql":
        schema_editor.execute(PG_BACK, params=None)
    elif vendor == "sqlite":
        schema_editor.execute("DROP TRIGGER IF EXISTS journal_audit_ajout_seul;", params=None)


class Migration(migrations.Migration):

    dependencies = [
        ('journal', '0002_ajout_seul'),
    ]

    operations = [
        migrations.AlterField(
            model_name='evenementaudit',
            name='action',
            field=models.CharField(choices=[('appel_cree', 'Appel créé'), ('appel_modifie', 'Appel modifié'), ('appel_publie', 'Appel publié'), ('appel_clos', 'Appel clos'), ('appel_rouvert', 'Appel rouvert'), ('appel_decide', 'Appel décidé'), ('appel_document_ajoute', 'Document ajouté à un appel'), ('appel_document_supprime', "Document retiré d'un appel"), ('appel_question_ajoute', "Question ajoutée à l'appel"), ('appel_question_supprime', "Question retirée de l'appel"), ('appel_piece_ajoute', "Pièce requise ajoutée à l'appel"), ('appel_piece_supprime', "Pièce requise retirée de l'appel"), ('appel_critere_ajoute', "Critère ajouté à l'appel"), ('appel_critere_supprime', "Critère retiré de l'appel"), ('session_creee', 'Session nationale créée'), ('session_modifiee', 'Session nationale modifiée'), ('candidature_creee', 'Candidature créée'), ('candidature_deposee', 'Candidature déposée'), ('candidature_recevable', 'Recevabilité décidée'), ('candidature_irrecevable', 'Candidature déclarée irrecevable'), ('candidature_en_instruction', 'Candidature mise en instruction'), ('candidature_retenue', 'Décision de sélection'), ('candidature_non_retenue', 'Candidature non retenue'), ('piece_jointe_ajoutee', 'Pièce jointe ajoutée'), ('piece_jointe_supprimee', 'Pièce jointe supprimée'), ('rapporteurs_designes', 'Rapporteurs désignés'), ('avis_donne', 'Avis de rapporteur donné'), ('avis_modifie', 'Avis de rapporteur modifié'), ('atelier_cree_par_selection', 'Atelier créé (candidature retenue)'), ('atelier_demarre', 'Atelier démarré'), ('atelier_restitue', 'Atelier restitué'), ('atelier_mis_en_oeuvre', 'Atelier en mise en œuvre'), ('atelier_clos', 'Atelier clos'), ('atelier_equipe_modifiee', 'Équipe et contrat modifiés'), ('atelier_publie', 'Atelier publié sur le site public'), ('atelier_depublie', 'Atelier retiré du site public'), ('etape_ajoutee', 'Étape ajoutée'), ('etape_planifiee', 'Étape planifiée'), ('etape_deplacee', 'Étape déplacée'), ('etape_annulee', 'Étape annulée'), ('etape_replanifiee', 'Étape replanifiée après annulation'), ('etape_realisee', 'Étape réalisée'), ('etape_presences_enregistrees', 'Présences enregistrées'), ('document_depose', 'Document déposé'), ('document_publie', "Publication d'un document"), ('document_depublie', 'Document retiré de la publication'), ('site_ajoute', 'Site démonstrateur ajouté'), ('site_supprime', 'Site démonstrateur supprimé'), ('invitation_envoyee', 'Invitation envoyée'), ('invitation_acceptee', 'Invitation acceptée'), ('invitation_annulee', 'Invitation annulée'), ('participation_ajoutee', 'Participant ajouté'), ('participation_retiree', 'Participant retiré'), ('participation_role_modifie', "Rôle d'un participant modifié"), ('version_figee', 'Version figée'), ('version_envoyee_signature', 'Version envoyée pour signature'), ('version_remplacee', 'Version remplacée'), ('version_signee', 'Version signée'), ('version_adoptee', 'Version adoptée'), ('deliberation_enregistree', 'Délibération déposée'), ('feuille_adoptee', 'Feuille de route adoptée'), ('feuille_publiee', 'Publication de la feuille de route'), ('feuille_depubliee', 'Feuille de route retirée du site public'), ('rapport_demande', 'Rapport de restitution demandé'), ('rapport_relance', 'Génération du rapport relancée'), ('rapport_rendu_commence', 'Génération du rapport commencée'), ('rapport_pret', 'Rapport de restitution prêt'), ('rapport_echoue', 'Échec de la génération du rapport'), ('rapport_publie', 'Rapport de restitution publié'), ('rapport_depublie', 'Rapport de restitution retiré du site public'), ('point_suivi_ajoute', 'Point de suivi'), ('rappel_suivi_envoye', 'Rappel de suivi envoyé'), ('sceau_signe', 'Sceau signé par la clé de la plateforme'), ('candidature_retiree', 'Candidature retirée par son auteur'), ('decision_sans_tous_les_avis', 'Décision prise sans tous les avis (motif donné)'), ('profil_inscription', "Profil renseigné à l'inscription"), ('agent_etat_verifie', "Agent de l'État vérifié"), ('agent_etat_revoque', "Agent de l'État révoqué"), ('agent_etat_proconnect', "Agent de l'État reconnu par ProConnect"), ('service_etat_cree', "Service de l'État créé"), ('service_etat_modifie', "Service de l'État modifié"), ('compte_cloture', 'Compte clôturé'), ('donnees_retention', 'Données supprimées (durées de conservation)'), ('rapport_reprogramme', 'Rapport bloqué remis en file'), ('carnet_demande', 'Carnet de suivi demandé'), ('carnet_depublie', 'Carnet de suivi retiré du site public'), ('carnet_echec', 'Échec du rendu du carnet de suivi'), ('carnet_pret', 'Carnet de suivi prêt'), ('carnet_publie', 'Carnet de suivi publié'), ('carnet_rendu_commence', 'Rendu du carnet de suivi commencé'), ('consultation_close', 'Concertation close'), ('consultation_commentaire', 'Commentaire de concertation'), ('consultation_commentaire_masque', 'Commentaire de concertation masqué'), ('consultation_ouverte', 'Concertation ouverte'), ('consultation_reponse', 'Réponse à un commentaire de concertation'), ('indicateur_cree', 'Indicateur ajouté au catalogue national'), ('indicateur_modifie', 'Indicateur du catalogue modifié'), ('indicateur_supprime', 'Indicateur supprimé du catalogue'), ('indicateur_action_ajoute', 'Indicateur suivi sur une action'), ('indicateur_action_modifie', "Référence ou cible d'un indicateur modifiée"), ('mesure_indicateur', "Valeur d'indicateur mesurée"), ('fiche_capitalisation_enregistree', 'Fiche de capitalisation enregistrée'), ('fiche_capitalisation_soumise', 'Fiche de capitalisation soumise à la DGALN'), ('fiche_capitalisation_validee', 'Fiche de capitalisation validée'), ('fiche_capitalisation_a_revoir', 'Fiche de capitalisation renvoyée au pilote'), ('synthese_demandee', 'Synthèse nationale demandée'), ('synthese_relancee', 'Synthèse nationale relancée'), ('synthese_rendu_commence', 'Rendu de la synthèse nationale commencé'), ('synthese_prete', 'Synthèse nationale prête'), ('synthese_echec', 'Échec du rendu de la synthèse nationale'), ('synthese_publiee', 'Synthèse nationale publiée'), ('synthese_depubliee', 'Synthèse nationale retirée du site public'), ('signature_pseudonymisee', "Nom d'un signataire remplacé par son pseudonyme (compte clos)")], max_length=100, verbose_name='action'),
        ),
        migrations.CreateModel(
            name='RemplacementNom',
            fields=[
                ('id', models.BigAutoField(auto_created=True, primary_key=True, serialize=False, verbose_name='ID')),
                ('nom', models.CharField(max_length=300)),
                ('pseudonyme', models.CharField(max_length=100)),
            ],
            options={
                'constraints': [models.CheckConstraint(condition=models.Q(('pseudonyme__startswith', 'Compte clôturé n° ')), name='remplacement_par_un_pseudonyme'), models.CheckConstraint(condition=django.db.models.lookups.GreaterThanOrEqual(django.db.models.functions.text.Length('nom'), 4), name='remplacement_d_un_nom')],
            },
        ),
        migrations.RunPython(add_path, remove_path),
    ]
