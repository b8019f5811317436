"""Services of the running atelier: stage templates, transitions, gating, attendance,
documents, logbook and sites."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.utils import timezone

from acteurs.models import Organisation, Participation, Role
from atelier.workflow import TransitionError
from ateliers import selectors as sel
from ateliers import services as s
from ateliers.formats import FORMATS, Format, NatureEtape, NatureLivrable
from ateliers.models import Atelier, Document, Etape
from journal.models import EvenementAudit
from journal.selectors import libelle_action
from tests import factories
from tests.factories.ateliers import document, docx, pdf, png

pytestmark = pytest.mark.django_db


def _passee(etape: Etape, jours: int = 1) -> Etape:
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() - dt.timedelta(days=jours))
    etape.refresh_from_db()
    return etape


# --- Stage templates per format ------------------------------------------------------------


@pytest.mark.parametrize("fmt", [Format.MULTISITE, Format.LOCAL, Format.FLASH])
def test_starting_creates_the_stages_of_the_format_template(fmt, dgaln):
    kwargs = {"session": factories.SessionFactory()} if fmt == Format.MULTISITE else {}
    atelier = factories.AtelierFactory(format=fmt, **kwargs)
    s.atelier_demarrer(atelier=atelier, by=dgaln)
    atelier.refresh_from_db()
    assert atelier.statut == Atelier.Statut.EN_COURS
    natures = list(atelier.etapes.order_by("ordre").values_list("nature", flat=True))
    assert natures == [m.nature for m in FORMATS[fmt].etapes]
    ateliers = {NatureEtape.ATELIER_1, NatureEtape.ATELIER_2, NatureEtape.ATELIER_3}
    workshops = [n for n in natures if n in ateliers or n == NatureEtape.ATELIER_FLASH]
    assert len(workshops) == (1 if fmt == Format.FLASH else 3)
    for modele in FORMATS[fmt].etapes:
        etape = atelier.etapes.get(nature=modele.nature)
        assert set(etape.livrables.values_list("nature", flat=True)) == set(modele.livrables)
    assert EvenementAudit.objects.filter(action="atelier_demarre", atelier=atelier).count() == 1


def test_the_report_is_expected_after_workshop_1_and_roadmap_draft_after_workshop_3(dgaln):
    atelier = factories.AtelierFactory(format=Format.LOCAL)
    s.atelier_demarrer(atelier=atelier, by=dgaln)
    assert (
        atelier.etapes.get(nature="atelier_1")
        .livrables.filter(nature=NatureLivrable.RAPPORT_ETONNEMENT)
        .exists()
    )
    assert (
        atelier.etapes.get(nature="atelier_2")
        .livrables.filter(nature=NatureLivrable.VISION_PARTAGEE)
        .exists()
    )
    assert (
        atelier.etapes.get(nature="atelier_3")
        .livrables.filter(nature=NatureLivrable.PROJET_FEUILLE_DE_ROUTE)
        .exists()
    )


def test_stage_creation_keeps_existing_stages(atelier, pilote):
    existante = factories.EtapeFactory(atelier=atelier, nature="atelier_1", ordre=3)
    s.atelier_demarrer(atelier=atelier, by=pilote)
    assert atelier.etapes.filter(nature="atelier_1").get() == existante
    s.etapes_creer_depuis_modele(atelier=atelier)  # idempotent
    assert atelier.etapes.count() == len(FORMATS[atelier.format].etapes)


# --- Atelier transitions for every role ------------------------------------------------------


@pytest.mark.parametrize(
    "role,allowed",
    [
        ("habitant", False),
        ("elu", False),
        ("equipe", False),
        ("applicant", False),
        ("autre_pilote", False),
        ("pilote", True),
        ("dgaln", True),
    ],
)
def test_only_pilote_and_dgaln_start_an_atelier(request, atelier, role, allowed):
    user = request.getfixturevalue(role)
    if allowed:
        s.atelier_demarrer(atelier=atelier, by=user)
        assert atelier.statut == Atelier.Statut.EN_COURS
    else:
        with pytest.raises(PermissionDenied):
            s.atelier_demarrer(atelier=atelier, by=user)
        atelier.refresh_from_db()
        assert atelier.statut == Atelier.Statut.EN_PREPARATION
        assert not atelier.etapes.exists()


def test_restitue_needs_the_restitution_seminar_done(atelier, pilote):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    with pytest.raises(TransitionError, match="séminaire de restitution"):
        s.atelier_changer_statut(atelier=atelier, by=pilote, to=Atelier.Statut.RESTITUE)
    restitution = _passee(atelier.etapes.get(nature=NatureEtape.RESTITUTION))
    document(atelier, by=pilote)  # unrelated document: the minutes are still missing
    with pytest.raises(TransitionError, match="Compte rendu"):
        s.etape_marquer_realisee(etape=restitution, by=pilote)
    livrable = restitution.livrables.get()
    s.document_deposer(
        atelier=atelier, by=pilote, fichier=pdf(), titre="CR", categorie="compte_rendu",
        livrable=livrable,
    )  # fmt: skip
    s.etape_marquer_realisee(etape=restitution, by=pilote)
    s.atelier_changer_statut(atelier=atelier, by=pilote, to=Atelier.Statut.RESTITUE)
    s.atelier_changer_statut(atelier=atelier, by=pilote, to=Atelier.Statut.EN_MISE_EN_OEUVRE)
    s.atelier_changer_statut(atelier=atelier, by=pilote, to=Atelier.Statut.CLOS)
    atelier.refresh_from_db()
    assert atelier.statut == Atelier.Statut.CLOS
    assert atelier.date_fin is not None
    actions = set(EvenementAudit.objects.filter(atelier=atelier).values_list("action", flat=True))
    assert {"atelier_restitue", "atelier_mis_en_oeuvre", "atelier_clos"} <= actions


@pytest.mark.parametrize(
    "etat,vers",
    [
        (Atelier.Statut.EN_PREPARATION, Atelier.Statut.RESTITUE),
        (Atelier.Statut.EN_PREPARATION, Atelier.Statut.CLOS),
        (Atelier.Statut.EN_COURS, Atelier.Statut.CLOS),
        (Atelier.Statut.CLOS, Atelier.Statut.EN_COURS),
        (Atelier.Statut.RESTITUE, Atelier.Statut.EN_COURS),
    ],
)
def test_forbidden_transitions_are_refused(dgaln, etat, vers):
    atelier = factories.AtelierFactory(statut=etat)
    with pytest.raises(TransitionError):
        s.atelier_changer_statut(atelier=atelier, by=dgaln, to=vers)
    atelier.refresh_from_db()
    assert atelier.statut == etat


# --- Stages: schedule, inter-atelier, cancel, gating ------------------------------------------


@pytest.fixture
def en_cours(atelier, pilote):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    return atelier


def test_schedule_rejects_dates_out_of_order_and_in_the_past(en_cours, pilote):
    etape = en_cours.etapes.get(nature="atelier_1")
    debut = timezone.now() + dt.timedelta(days=5)
    with pytest.raises(ValidationError) as exc:
        s.etape_planifier(etape=etape, by=pilote, debut=debut, fin=debut - dt.timedelta(hours=1))
    assert "précède le début" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() - dt.timedelta(days=1))
    assert "déjà passé" in str(exc.value)
    etape.refresh_from_db()
    assert etape.debut is None


def test_participants_cannot_edit_stages(en_cours, habitant, equipe, elu):
    etape = en_cours.etapes.get(nature="atelier_1")
    for user in (habitant, equipe, elu):
        with pytest.raises(PermissionDenied):
            s.etape_planifier(etape=etape, by=user, debut=timezone.now() + dt.timedelta(days=2))
        with pytest.raises(PermissionDenied):
            s.etape_annuler(etape=etape, by=user, motif="x")


def test_inter_atelier_is_added_in_date_order(en_cours, pilote):
    a1 = en_cours.etapes.get(nature="atelier_1")
    a2 = en_cours.etapes.get(nature="atelier_2")
    s.etape_planifier(etape=a1, by=pilote, debut=timezone.now() + dt.timedelta(days=5))
    s.etape_planifier(etape=a2, by=pilote, debut=timezone.now() + dt.timedelta(days=40))
    inter = s.etape_ajouter_inter_atelier(
        atelier=en_cours, by=pilote, titre="Visite des sites",
        debut=timezone.now() + dt.timedelta(days=20),
    )  # fmt: skip
    ordre = [e.pk for e in sel.etapes(en_cours) if e.debut]
    assert ordre.index(a1.pk) < ordre.index(inter.pk) < ordre.index(a2.pk)
    assert inter.nature == NatureEtape.INTER_ATELIER


def test_cancel_needs_a_reason_and_is_audited(en_cours, pilote):
    etape = en_cours.etapes.get(nature="visite")
    with pytest.raises(ValidationError):
        s.etape_annuler(etape=etape, by=pilote, motif="  ")
    s.etape_annuler(etape=etape, by=pilote, motif="Intempéries")
    etape.refresh_from_db()
    assert etape.statut == Etape.Statut.ANNULEE
    assert etape.motif_annulation == "Intempéries"
    assert EvenementAudit.objects.filter(action="etape_annulee", object_id=str(etape.pk)).exists()
    with pytest.raises(TransitionError):
        s.etape_planifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=3))


def _annulee(atelier, pilote, nature="atelier_1", jours=5, **planif):
    etape = atelier.etapes.get(nature=nature)
    s.etape_planifier(
        etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=jours), **planif
    )
    s.etape_annuler(etape=etape, by=pilote, motif="Salle indisponible")
    return Etape.objects.get(pk=etape.pk)


def test_a_cancelled_stage_is_replanned_and_audited(en_cours, pilote):
    etape = _annulee(en_cours, pilote, lieu="Mairie")
    debut = etape.debut
    s.etape_replanifier(etape=etape, by=pilote)
    etape.refresh_from_db()
    assert etape.statut == Etape.Statut.PREVUE
    assert (etape.debut, etape.lieu) == (debut, "Mairie")  # its future date is kept
    assert etape.motif_annulation == ""  # no longer cancelled: no reason shown
    ligne = EvenementAudit.objects.get(action="etape_replanifiee", object_id=str(etape.pk))
    assert (ligne.etat_avant, ligne.etat_apres, ligne.auteur) == ("annulee", "prevue", pilote)
    assert ligne.atelier_id == en_cours.pk
    assert libelle_action(ligne.action) == "Étape replanifiée après annulation"
    # Planned again, it can be moved and cancelled again like any other stage.
    s.etape_annuler(etape=etape, by=pilote, motif="Grève")
    etape.refresh_from_db()
    assert etape.statut == Etape.Statut.ANNULEE


def test_only_a_cancelled_stage_can_be_replanned(en_cours, pilote):
    etape = en_cours.etapes.get(nature="atelier_1")
    with pytest.raises(TransitionError, match="pas annulée"):
        s.etape_replanifier(etape=etape, by=pilote, debut=timezone.now() + dt.timedelta(days=3))
    realisee = _passee(en_cours.etapes.get(nature="lancement"))
    Etape.objects.filter(pk=realisee.pk).update(statut=Etape.Statut.REALISEE)
    realisee.refresh_from_db()
    with pytest.raises(TransitionError, match="réalisée, pas annulée"):
        s.etape_replanifier(etape=realisee, by=pilote)
    assert not EvenementAudit.objects.filter(action="etape_replanifiee").exists()


def test_participants_cannot_replan_a_stage(en_cours, pilote, habitant, equipe, elu, autre_pilote):
    etape = _annulee(en_cours, pilote)
    for user in (habitant, equipe, elu, autre_pilote):
        with pytest.raises(PermissionDenied):
            s.etape_replanifier(etape=etape, by=user)
    etape.refresh_from_db()
    assert etape.statut == Etape.Statut.ANNULEE
    assert not EvenementAudit.objects.filter(action="etape_replanifiee").exists()


def test_a_replanned_stage_needs_a_date_to_come(en_cours, pilote):
    etape = _passee(_annulee(en_cours, pilote), jours=2)
    with pytest.raises(ValidationError) as exc:
        s.etape_replanifier(etape=etape, by=pilote)
    assert "est passée : indiquez une nouvelle date" in str(exc.value)
    with pytest.raises(ValidationError) as exc:
        s.etape_replanifier(etape=etape, by=pilote, debut=timezone.now() - dt.timedelta(hours=1))
    assert "déjà passé" in str(exc.value)
    Etape.objects.filter(pk=etape.pk).update(debut=None)
    etape.refresh_from_db()
    with pytest.raises(ValidationError, match="Indiquez la date"):
        s.etape_replanifier(etape=etape, by=pilote)
    etape.refresh_from_db()
    assert etape.statut == Etape.Statut.ANNULEE
    nouvelle = timezone.now() + dt.timedelta(days=8)
    s.etape_replanifier(etape=etape, by=pilote, debut=nouvelle, lieu="Salle B")
    etape.refresh_from_db()
    assert (etape.statut, etape.debut, etape.lieu) == (Etape.Statut.PREVUE, nouvelle, "Salle B")


def test_a_stage_of_a_closed_atelier_is_not_replanned(en_cours, pilote, dgaln):
    etape = _annulee(en_cours, pilote)
    Atelier.objects.filter(pk=en_cours.pk).update(statut=Atelier.Statut.CLOS)
    etape = Etape.objects.select_related("atelier").get(pk=etape.pk)
    with pytest.raises(TransitionError, match="calendrier ne change plus"):
        s.etape_replanifier(etape=etape, by=dgaln)


def test_stage_cannot_be_done_while_a_required_deliverable_is_missing(en_cours, pilote, equipe):
    etape = _passee(en_cours.etapes.get(nature="atelier_1"))
    with pytest.raises(TransitionError) as exc:
        s.etape_marquer_realisee(etape=etape, by=pilote)
    assert "Rapport d'étonnement" in exc.value.message
    assert "Compte rendu de la séance" in exc.value.message
    for nature in (NatureLivrable.COMPTE_RENDU, NatureLivrable.RAPPORT_ETONNEMENT):
        s.document_deposer(
            atelier=en_cours, by=equipe, fichier=pdf(), titre=nature, categorie="rapport",
            livrable=etape.livrables.get(nature=nature),
        )  # fmt: skip
    etape = Etape.objects.get(pk=etape.pk)
    s.etape_marquer_realisee(etape=etape, by=pilote, resume="Bien passé")
    etape.refresh_from_db()
    assert etape.statut == Etape.Statut.REALISEE


def test_a_future_or_undated_stage_cannot_be_done(en_cours, pilote):
    lancement = en_cours.etapes.get(nature="lancement")
    with pytest.raises(TransitionError, match="planifiez"):
        s.etape_marquer_realisee(etape=lancement, by=pilote)
    s.etape_planifier(etape=lancement, by=pilote, debut=timezone.now() + dt.timedelta(days=2))
    with pytest.raises(TransitionError, match="pas encore"):
        s.etape_marquer_realisee(etape=lancement, by=pilote)


def test_demonstrator_sites_deliverable_is_met_by_a_site_on_the_map(en_cours, pilote):
    etape = _passee(en_cours.etapes.get(nature="atelier_2"))
    natures = {lv.nature for lv in s.livrables_manquants(etape)}
    assert NatureLivrable.SITES_DEMONSTRATEURS in natures
    s.site_creer(
        atelier=en_cours, by=pilote, nom="Friche", description="",
        geometrie={"type": "Point", "coordinates": [-2.9, 48.4]},
    )  # fmt: skip
    etape = Etape.objects.get(pk=etape.pk)
    assert NatureLivrable.SITES_DEMONSTRATEURS not in {
        lv.nature for lv in s.livrables_manquants(etape)
    }


# --- Attendance ------------------------------------------------------------------------------


def test_type_of_actor_comes_from_role_and_organisation():
    n = Organisation.Nature
    assert sel.type_acteur(Role.ELU, None) == "elus"
    assert sel.type_acteur(Role.PILOTE, n.DDT) == "etat"
    assert sel.type_acteur(Role.TECHNICIEN, n.DREAL) == "etat"
    assert sel.type_acteur(Role.TECHNICIEN, n.COLLECTIVITE) == "elus"
    assert sel.type_acteur(Role.SOCIO_PROFESSIONNEL, n.ENTREPRISE) == "socio"
    assert sel.type_acteur(Role.OBSERVATEUR, n.ASSOCIATION) == "socio"
    assert sel.type_acteur(Role.HABITANT, None) == "habitants"
    assert sel.type_acteur(Role.OBSERVATEUR, n.COLLECTIF_CITOYEN) == "habitants"
    assert sel.type_acteur(Role.EQUIPE, n.BUREAU_ETUDES) == "equipe"


def _tenue(etape):
    """Attendance is recorded once a stage has taken place."""
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() - dt.timedelta(days=1))
    etape.refresh_from_db()
    return etape


def test_attendance_counts_by_kind_of_actor(en_cours, pilote, elu, habitant, equipe):
    socio = factories.participant(en_cours, Role.SOCIO_PROFESSIONNEL, email="socio@x.fr")
    etape = _tenue(en_cours.etapes.get(nature="lancement"))
    part = {
        p.acteur.utilisateur_id: p.pk
        for p in Participation.objects.filter(atelier=en_cours).select_related("acteur")
    }
    s.presences_enregistrer(
        etape=etape, by=pilote, presents={part[pilote.pk], part[elu.pk], part[habitant.pk]}
    )
    comptes = {c["cle"]: c for c in sel.effectifs(en_cours).par_type}
    assert comptes["elus"] == {**comptes["elus"], "inscrits": 1, "presents": 1}
    assert comptes["etat"]["presents"] == 1
    assert comptes["habitants"]["presents"] == 1
    assert comptes["equipe"] == {**comptes["equipe"], "inscrits": 1, "presents": 0}
    assert comptes["socio"] == {**comptes["socio"], "inscrits": 1, "presents": 0}
    # Re-recording replaces: the élu is now absent, the socio-pro and the team present.
    s.presences_enregistrer(
        etape=etape,
        by=pilote,
        presents={part[pilote.pk], part[socio.pk], part[equipe.pk], part[habitant.pk]},
    )
    comptes = {c["cle"]: c for c in sel.effectifs(en_cours).par_type}
    assert comptes["elus"]["presents"] == 0
    assert comptes["socio"]["presents"] == 1
    assert comptes["equipe"]["presents"] == 1
    par_etape = sel.presences_par_etape(en_cours, [etape])
    assert sum(par_etape[etape.pk].values()) == 4
    # Present at two stages, a person is counted once.
    visite = _tenue(en_cours.etapes.exclude(pk=etape.pk).filter(statut="prevue").first())
    s.presences_enregistrer(etape=visite, by=pilote, presents={part[habitant.pk]})
    comptes = {c["cle"]: c for c in sel.effectifs(en_cours).par_type}
    assert comptes["habitants"] == {**comptes["habitants"], "inscrits": 1, "presents": 1}
    # Attendance at cancelled stages does not count; the people are still registered.
    Etape.objects.filter(pk__in=[etape.pk, visite.pk]).update(
        statut=Etape.Statut.ANNULEE, motif_annulation="Intempéries"
    )
    comptes = {c["cle"]: c for c in sel.effectifs(en_cours).par_type}
    assert comptes["habitants"] == {**comptes["habitants"], "inscrits": 1, "presents": 0}
    assert sum(c["presents"] for c in comptes.values()) == 0


def test_attendance_refuses_people_from_another_atelier(en_cours, pilote, autre_pilote):
    etrangere = Participation.objects.get(acteur__utilisateur=autre_pilote)
    with pytest.raises(ValidationError):
        s.presences_enregistrer(
            etape=_tenue(en_cours.etapes.first()), by=pilote, presents={etrangere.pk}
        )


def test_attendance_refused_for_a_stage_still_to_come(en_cours, pilote, habitant):
    etape = en_cours.etapes.get(nature="lancement")
    Etape.objects.filter(pk=etape.pk).update(debut=timezone.now() + dt.timedelta(days=30))
    etape.refresh_from_db()
    present = Participation.objects.get(acteur__utilisateur=habitant)
    with pytest.raises(TransitionError, match="une fois l'étape tenue"):
        s.presences_enregistrer(etape=etape, by=pilote, presents={present.pk})
    assert not etape.presences.exists()


# --- Documents --------------------------------------------------------------------------------


def test_new_versions_keep_the_history(en_cours, pilote, equipe):
    etape = en_cours.etapes.get(nature="atelier_1")
    livrable = etape.livrables.get(nature=NatureLivrable.RAPPORT_ETONNEMENT)
    v1 = s.document_deposer(
        atelier=en_cours, by=equipe, fichier=pdf(), titre="Rapport d'étonnement",
        categorie="rapport", livrable=livrable,
    )  # fmt: skip
    v2 = s.document_deposer(
        atelier=en_cours, by=equipe, fichier=docx("rapport-v2.docx"), titre="", categorie="",
        precedent=v1,
    )  # fmt: skip
    v3 = s.document_deposer(
        atelier=en_cours, by=pilote, fichier=pdf("v3.pdf"), titre="", categorie="", precedent=v1
    )
    assert (v2.serie_id, v2.version, v3.serie_id, v3.version) == (v1.pk, 2, v1.pk, 3)
    assert v3.titre == "Rapport d'étonnement" and v3.etape_id == etape.pk
    livrable.refresh_from_db()
    assert livrable.document_id == v3.pk  # the deliverable follows the newest version
    courants = sel.documents(en_cours)
    assert [d.pk for d in courants] == [v3.pk]
    assert courants[0].nb_anciennes == 2
    assert Document.objects.filter(atelier=en_cours).count() == 3


def test_deliverable_of_the_wrong_type_is_refused(en_cours, pilote):
    livrable = en_cours.etapes.get(nature="atelier_1").livrables.get(
        nature=NatureLivrable.RAPPORT_ETONNEMENT
    )
    with pytest.raises(ValidationError) as exc:
        s.document_deposer(
            atelier=en_cours, by=pilote, fichier=png("rapport.png"), titre="R",
            categorie="rapport", livrable=livrable,
        )  # fmt: skip
    assert "doit être au format" in str(exc.value)
    assert not Document.objects.exists()


def test_upload_is_checked_by_content(en_cours, pilote):
    with pytest.raises(ValidationError) as exc:
        s.document_deposer(
            atelier=en_cours, by=pilote, fichier=pdf("faux.pdf", b"<html>hello</html>"),
            titre="x", categorie="rapport",
        )  # fmt: skip
    assert "format accepté" in str(exc.value)


def test_habitant_cannot_upload(en_cours, habitant):
    with pytest.raises(PermissionDenied):
        document(en_cours, by=habitant)


# --- Logbook, sites, team ---------------------------------------------------------------------


def test_logbook_entry_checks(en_cours, elu, habitant, autre_pilote):
    entree = s.journal_ecrire(atelier=en_cours, by=elu, texte="Bonjour", date=timezone.localdate())
    assert entree.auteur == elu
    with pytest.raises(ValidationError):
        s.journal_ecrire(atelier=en_cours, by=elu, texte="  ", date=timezone.localdate())
    with pytest.raises(ValidationError):
        s.journal_ecrire(
            atelier=en_cours, by=elu, texte="x",
            date=timezone.localdate() + dt.timedelta(days=10),
        )  # fmt: skip
    with pytest.raises(PermissionDenied):
        s.journal_ecrire(atelier=en_cours, by=autre_pilote, texte="x", date=timezone.localdate())
    # Inhabitants give their opinion where invited, not in the logbook (README, roles).
    with pytest.raises(PermissionDenied):
        s.journal_ecrire(atelier=en_cours, by=habitant, texte="x", date=timezone.localdate())


@pytest.mark.parametrize(
    "geometrie,message",
    [
        ({"type": "Point", "coordinates": [-3.7, 40.4]}, "France"),  # Madrid
        ({"type": "Point", "coordinates": [48.4, -2.9]}, "inversées"),
        ({"type": "Polygon", "coordinates": [[[0, 0]]]}, ""),
        ("pas du json", ""),
    ],
)
def test_sites_outside_france_or_malformed_are_refused(en_cours, pilote, geometrie, message):
    with pytest.raises(ValidationError) as exc:
        s.site_creer(atelier=en_cours, by=pilote, nom="S", description="", geometrie=geometrie)
    assert message in " ".join(exc.value.messages)
    assert not en_cours.sites_demonstrateurs.exists()


def test_team_contract_dates_in_order(en_cours, pilote):
    with pytest.raises(ValidationError):
        s.atelier_modifier_equipe(
            atelier=en_cours, by=pilote, equipe_nom="Agence",
            contrat_debut=dt.date(2026, 5, 1), contrat_fin=dt.date(2026, 1, 1),
        )  # fmt: skip
    s.atelier_modifier_equipe(
        atelier=en_cours, by=pilote, equipe_nom="Agence",
        contrat_debut=dt.date(2026, 1, 1), contrat_fin=dt.date(2026, 12, 31),
    )  # fmt: skip
    en_cours.refresh_from_db()
    assert en_cours.equipe_nom == "Agence"


# --- Progress -----------------------------------------------------------------------------------


def test_progress_and_lateness_against_the_format_duration():
    flash = factories.AtelierFactory(
        format=Format.FLASH, date_debut=dt.date(2026, 1, 10), date_fin_prevue=None,
        statut=Atelier.Statut.EN_COURS,
    )  # fmt: skip
    a = sel.avancement(flash, dt.date(2026, 4, 10))
    assert (a.mois_ecoules, a.pourcentage, a.en_retard) == (3, 50, False)
    a = sel.avancement(flash, dt.date(2026, 8, 1))
    assert a.en_retard and a.pourcentage == 100 and a.jours_de_retard == 22
    ids = set(
        Atelier.objects.filter(sel.retard_q(dt.date(2026, 8, 1))).values_list("pk", flat=True)
    )
    assert flash.pk in ids
    Atelier.objects.filter(pk=flash.pk).update(statut=Atelier.Statut.RESTITUE)
    flash.refresh_from_db()
    assert not sel.avancement(flash, dt.date(2026, 8, 1)).en_retard


def test_a_closed_atelier_keeps_its_calendar(dgaln):
    atelier = factories.AtelierFactory(statut=Atelier.Statut.CLOS)
    etape = factories.EtapeFactory(atelier=atelier, debut=None)
    with pytest.raises(TransitionError, match="ne change plus"):
        s.etape_planifier(etape=etape, by=dgaln, debut=timezone.now() + dt.timedelta(days=3))
    with pytest.raises(TransitionError):
        s.etape_ajouter_inter_atelier(
            atelier=atelier, by=dgaln, titre="x", debut=timezone.now() + dt.timedelta(days=3)
        )
