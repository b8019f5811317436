"""The database itself refuses inconsistent rows (check and unique constraints)."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db import IntegrityError, transaction
from django.utils import timezone

from acteurs.models import Invitation, Organisation, Participation, Presence, Role
from appels.models import AppelACandidatures, Avis, Candidature, Critere, NoteCritere
from ateliers.formats import Format
from ateliers.models import Atelier, Document, Etape, Livrable, SessionNationale
from feuilles_de_route.models import (
    Action,
    FeuilleDeRoute,
    Financement,
    PointSuivi,
    RappelSuivi,
    Rapport,
    Version,
)
from territoires.models import Region, Territoire
from tests import factories

pytestmark = pytest.mark.django_db


def refused(make):
    """``make()`` must raise IntegrityError; the savepoint keeps the test transaction usable."""
    with pytest.raises(IntegrityError), transaction.atomic():
        make()


def test_session_years_in_order_and_plausible():
    refused(lambda: SessionNationale.objects.create(titre="A", slug="a", annee_debut=2024, annee_fin=2023))  # fmt: skip
    refused(lambda: SessionNationale.objects.create(titre="B", slug="b", annee_debut=1999))
    SessionNationale.objects.create(titre="C", slug="c", annee_debut=2024, annee_fin=2024)


def test_duplicate_slugs_and_codes_are_refused():
    session = factories.SessionFactory()
    refused(lambda: SessionNationale.objects.create(titre="x", slug=session.slug, annee_debut=2024))
    territoire = factories.TerritoireFactory()
    refused(lambda: factories.TerritoireFactory(slug=territoire.slug))
    appel = factories.AppelFactory()
    refused(lambda: factories.AppelFactory(slug=appel.slug))
    org = factories.OrganisationFactory()
    refused(lambda: factories.OrganisationFactory(slug=org.slug))
    refused(lambda: Region.objects.create(code="53", nom="Bretagne bis", slug="bretagne-bis"))
    factories.TerritoireFactory(siren="200069409")
    refused(lambda: factories.TerritoireFactory(siren="200069409"))
    # An empty SIREN is not a value: many territories have none.
    factories.TerritoireFactory(siren="")
    factories.TerritoireFactory(siren="")


def test_territoire_point_is_complete_and_in_range():
    refused(lambda: factories.TerritoireFactory(latitude=91))
    refused(lambda: factories.TerritoireFactory(longitude=-181))
    refused(lambda: factories.TerritoireFactory(latitude=48.0, longitude=None))
    factories.TerritoireFactory(latitude=None, longitude=None)


def test_appel_closes_after_it_opens_and_an_ami_has_a_session():
    now = timezone.now()
    refused(lambda: factories.AppelFactory(ouverture=now, cloture=now - dt.timedelta(days=1)))
    refused(lambda: factories.AppelFactory(ouverture=now, cloture=now))
    refused(lambda: factories.AppelFactory(nature=AppelACandidatures.Nature.SESSION, session=None))
    factories.AppelFactory(nature=AppelACandidatures.Nature.A_LA_CARTE, session=None, cloture=None)


def test_atelier_dates_session_and_publication():
    debut = dt.date(2025, 3, 1)
    before = debut - dt.timedelta(days=1)
    refused(lambda: factories.AtelierFactory(date_debut=debut, date_fin=before))
    refused(lambda: factories.AtelierFactory(date_debut=debut, date_fin_prevue=before))
    refused(lambda: factories.AtelierFactory(contrat_debut=debut, contrat_fin=before))
    refused(lambda: factories.AtelierFactory(format=Format.MULTISITE, session=None))
    refused(lambda: factories.AtelierFactory(publie=True, publie_le=None))
    factories.AtelierFactory(format=Format.MULTISITE, session=factories.SessionFactory())
    factories.AtelierFactory(publie=True, publie_le=timezone.now())


def test_etape_order_and_cancellation_reason(atelier):
    now = timezone.now()
    refused(lambda: Etape.objects.create(atelier=atelier, nature="atelier_1", debut=now, fin=now - dt.timedelta(hours=1)))  # fmt: skip
    refused(lambda: Etape.objects.create(atelier=atelier, nature="atelier_1", statut="annulee"))
    Etape.objects.create(atelier=atelier, nature="atelier_1", statut="annulee", motif_annulation="Neige")  # fmt: skip


def test_one_livrable_per_nature_and_stage(atelier):
    etape = Etape.objects.create(atelier=atelier, nature="atelier_1")
    Livrable.objects.create(etape=etape, nature="compte_rendu")
    refused(lambda: Livrable.objects.create(etape=etape, nature="compte_rendu"))


def test_candidature_deposee_is_dated():
    refused(lambda: factories.CandidatureFactory(statut=Candidature.Statut.DEPOSEE, deposee_le=None))  # fmt: skip
    factories.CandidatureFactory(statut=Candidature.Statut.DEPOSEE, deposee_le=timezone.now())


@pytest.mark.parametrize("note", [0, 6])
def test_note_is_between_1_and_5(note, dgaln):
    candidature = factories.CandidatureFactory()
    critere = Critere.objects.create(appel=candidature.appel, libelle="Portage politique")
    avis = Avis.objects.create(candidature=candidature, rapporteur=dgaln, commentaire="Bien")
    refused(lambda: NoteCritere.objects.create(avis=avis, critere=critere, note=note))
    NoteCritere.objects.create(avis=avis, critere=critere, note=3)
    refused(lambda: Avis.objects.create(candidature=candidature, rapporteur=dgaln, commentaire="2"))


def test_one_participation_and_one_presence_per_person(atelier):
    acteur = factories.ActeurFactory()
    participation = Participation.objects.create(acteur=acteur, atelier=atelier, role=Role.ELU)
    refused(lambda: Participation.objects.create(acteur=acteur, atelier=atelier, role=Role.HABITANT))  # fmt: skip
    etape = Etape.objects.create(atelier=atelier, nature="lancement")
    Presence.objects.create(etape=etape, participation=participation)
    refused(lambda: Presence.objects.create(etape=etape, participation=participation))


def test_invitation_expires_after_it_is_sent(atelier):
    refused(lambda: Invitation.objects.create(atelier=atelier, email="a@b.fr", role=Role.HABITANT, expire_le=timezone.now() - dt.timedelta(days=1)))  # fmt: skip


def test_document_versions_are_positive_and_unique(atelier):
    common = {"atelier": atelier, "categorie": "rapport", "titre": "R", "fichier": "x.pdf",
              "nom_original": "x.pdf", "type_mime": "application/pdf", "taille": 1, "sha256": "0" * 64}  # fmt: skip
    refused(lambda: Document.objects.create(**common, version=0))
    first = Document.objects.create(**common)
    Document.objects.create(**common, serie=first, version=2)
    refused(lambda: Document.objects.create(**common, serie=first, version=2))


def test_roadmap_constraints(atelier):
    feuille = FeuilleDeRoute.objects.create(atelier=atelier, titre="Feuille")
    refused(lambda: FeuilleDeRoute.objects.filter(pk=feuille.pk).update(publiee=True))
    refused(lambda: Version.objects.create(feuille=feuille, numero=1, contenu={}, empreinte="a" * 64, statut="adoptee"))  # fmt: skip
    Version.objects.create(feuille=feuille, numero=1, contenu={}, empreinte="a" * 64)
    refused(lambda: Version.objects.create(feuille=feuille, numero=1, contenu={}, empreinte="b" * 64))  # fmt: skip
    action = factories.ActionFactory(axe=factories.AxeFactory(feuille=feuille))
    refused(lambda: Action.objects.filter(pk=action.pk).update(cout_estime=Decimal("-1")))
    refused(lambda: Action.objects.filter(pk=action.pk).update(avancement=101))
    refused(lambda: Financement.objects.create(action=action, financeur="etat", montant=Decimal("-5")))  # fmt: skip
    refused(lambda: Financement.objects.create(action=action, financeur="autre", montant=Decimal("5")))  # fmt: skip
    refused(lambda: PointSuivi.objects.create(action=action, date=dt.date(2026, 1, 1), etat="en_cours", commentaire="x", pourcentage=150))  # fmt: skip
    refused(lambda: RappelSuivi.objects.create(feuille=feuille, mois=0))
    RappelSuivi.objects.create(feuille=feuille, mois=6)
    refused(lambda: RappelSuivi.objects.create(feuille=feuille, mois=6))


def test_rapport_ready_has_a_hash_and_only_ready_is_published(atelier):
    refused(lambda: Rapport.objects.create(atelier=atelier, statut="pret"))
    refused(lambda: Rapport.objects.create(atelier=atelier, statut="echec", publie=True))
    Rapport.objects.create(atelier=atelier, statut="pret", empreinte="c" * 64, publie=True)


def test_organisation_state_services_are_recognised():
    assert Organisation(nature=Organisation.Nature.DDT).est_etat
    assert not Organisation(nature=Organisation.Nature.COLLECTIVITE).est_etat
    assert Territoire.Nature.PNR in Territoire.Nature.values
    assert Atelier.Statut.CLOS in Atelier.Statut.values
