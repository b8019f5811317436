"""The historical lauréats (``territoires/data/laureats_historiques.csv``): loaded by
``load_reference``, distinct from the ateliers run on the platform, shown with their source
on /laureats/, on the map and on the session pages."""

import pytest
from django.forms.models import model_to_dict

from ateliers import reference
from ateliers.models import LaureatHistorique, SessionNationale
from demo import data as demo_data
from territoires import contours
from territoires.models import Territoire
from territoires.reference import load_communes
from tests.factories.public import donnees_de_reference, laureat

pytestmark = pytest.mark.django_db

ANTIBES = "06004"
SOURCE_LITTORAL = "http://www.logement.gouv.fr/atelier-littoral?id_courant=477"


@pytest.fixture
def historiques():
    """The reference for a few départements (Antibes, the Rousses, Mayotte), then the file."""
    donnees_de_reference()
    load_communes(departements={"06", "39", "976"})
    reference.load_laureats_historiques()


def _etat() -> list:
    return [
        (
            model_to_dict(h, exclude=["departements", "regions"]),
            sorted(h.departements.values_list("code", flat=True)),
            sorted(h.regions.values_list("code", flat=True)),
        )
        for h in LaureatHistorique.objects.order_by("pk")
    ]


def test_charger_deux_fois_ne_change_rien(historiques):
    avant, territoires = _etat(), list(Territoire.objects.order_by("pk").values())
    assert len(avant) == len(reference._csv_laureats()) == 57

    resultat = reference.load_laureats_historiques()

    assert resultat == {"laureats": 57, "crees": 0, "modifies": 0, "retires": 0}

    assert _etat() == avant
    assert list(Territoire.objects.order_by("pk").values()) == territoires


def test_un_nouveau_millesime_du_fichier_remplace_sans_doublon(historiques, monkeypatch):
    lignes = reference._csv_laureats()
    antibes = next(ligne for ligne in lignes if ligne["territoire_nom"] == "Antibes")
    antibes["source_titre"] = "L'Atelier littoral (page mise à jour)"
    retiree = next(ligne for ligne in lignes if ligne["territoire_nom"] == "Gien")
    monkeypatch.setattr(reference, "_csv_laureats", lambda: [x for x in lignes if x != retiree])

    resultat = reference.load_laureats_historiques()

    assert resultat == {"laureats": 56, "crees": 0, "modifies": 1, "retires": 1}
    assert LaureatHistorique.objects.get(nom="Antibes").source_titre.endswith("mise à jour)")
    assert not LaureatHistorique.objects.filter(nom="Gien").exists()


def test_un_laureat_nomme_par_ses_codes_a_son_territoire_du_referentiel(historiques):
    antibes = LaureatHistorique.objects.get(nom="Antibes")
    assert antibes.territoire.code_insee == ANTIBES and antibes.territoire.perimetre
    assert antibes.localisation == LaureatHistorique.Localisation.TERRITOIRE
    assert antibes.annee == 2009 and antibes.session.titre == "Littoral 2"
    # A département given as its communes: Mayotte's perimeter is the union of its communes.
    mayotte = LaureatHistorique.objects.get(nom="Mayotte").territoire
    assert mayotte.nature == Territoire.Nature.DEPARTEMENT and mayotte.communes.count() == 17
    # A place the source names in words only: its département, no invented perimeter.
    etel = LaureatHistorique.objects.get(nom="la ria d'Etel")
    assert etel.territoire is None
    assert etel.localisation == LaureatHistorique.Localisation.DEPARTEMENT
    assert list(etel.departements.values_list("code", flat=True)) == ["56"]
    # Not an atelier: nothing of the platform's workspace was made for it.
    assert not antibes.territoire.ateliers.exists()


def test_la_liste_montre_le_laureat_historique_avec_sa_source(historiques, client):
    laureat(nom="Baie d'Armor")
    html = client.get("/laureats/").content.decode()
    assert "58 territoires lauréats" in html and "dont 57 lauréats historiques" in html

    html = client.get("/laureats/?q=Antibes").content.decode()
    assert "1 territoire lauréat" in html
    assert "Lauréat historique" in html
    assert SOURCE_LITTORAL in html and "L&#x27;Atelier littoral" in html
    assert "Baie d&#x27;Armor" not in html


@pytest.mark.parametrize(
    ("requete", "attendu"),
    [
        ("Bretagne", "la ria d&#x27;Etel"),
        ("22", "l&#x27;agglomération de Saint-Brieuc"),
        ("côtes d'armor", "l&#x27;agglomération de Saint-Brieuc"),
        ("Prémanon", "communauté de communes des Rousses (Jura)"),  # a commune of the CC
        ("Villes patrimoniales", "Saint-Dié-des-Vosges"),
    ],
)
def test_la_recherche_trouve_les_laureats_historiques(historiques, client, requete, attendu):
    html = client.get("/laureats/", {"q": requete}).content.decode()
    assert attendu in html


def test_les_filtres_s_appliquent_aux_laureats_historiques(historiques, client):
    html = client.get("/laureats/?region=53&annee=2006").content.decode()
    assert "1 territoire lauréat" in html and "la ria d&#x27;Etel" in html
    html = client.get("/laureats/?departement=976").content.decode()
    assert "Mayotte" in html
    # No other format than the Multisite of the national sessions, and no platform state.
    for requete in ("format=local", "statut=en_cours"):
        assert "0 territoires lauréats" in client.get(f"/laureats/?{requete}").content.decode()


def test_la_carte_montre_les_laureats_historiques(historiques, client):
    donnees = client.get("/laureats/carte/donnees.json").json()
    lignes = {ligne[3]: ligne for ligne in donnees["historiques"]}
    lon, lat, slug, _nom, annee, session, region, localisation = lignes["Antibes"]
    assert (slug, annee) == ("littoral-2-2009", 2009)
    assert donnees["sessions"][session] == "Littoral 2"
    assert donnees["regions"][region] == "Provence-Alpes-Côte d'Azur"
    assert donnees["localisations"][localisation] == "territoire"
    assert 6.9 < lon < 7.2 and 43.5 < lat < 43.7
    assert donnees["localisations"][lignes["la ria d'Etel"][7]] == "departement"
    # The overseas ones are there for their insets (Mayotte, Martinique, Guyane, Guadeloupe).
    assert -13.1 < lignes["Mayotte"][1] < -12.6
    # Not located at all by the source (no département, no région): not on the map.
    assert "Vallée de l'Oise" not in lignes
    filtree = client.get("/laureats/carte/donnees.json?session=littoral-1-2006").json()
    assert len(filtree["historiques"]) == 3 and filtree["laureats"] == []
    html = client.get("/laureats/carte/").content.decode()
    assert "Lauréat historique" in html  # in the legend


def test_la_page_de_session_liste_ses_laureats_avec_leurs_sources(historiques, client):
    html = client.get("/sessions/littoral-1-2006/").content.decode()
    for nom in ("la ria d&#x27;Etel", "Montreuil-sur-mer, Berck et Le Touquet"):
        assert nom in html
    assert html.count(SOURCE_LITTORAL) == 3
    assert "ont pas été retrouvés" not in html


def test_une_session_sans_laureat_retrouve_le_dit(historiques, client):
    for slug in ("territoires-economiques-2011", "atelier-des-territoires-session-1-2013"):
        html = client.get(f"/sessions/{slug}/").content.decode()
        assert (
            "Les lauréats de cette session n'ont pas été retrouvés dans les sources "
            "publiques consultées" in html
        )
    liste = client.get("/sessions/").content.decode()
    assert liste.count("Lauréats non retrouvés dans les sources publiques") == 3
    assert "5 lauréats historiques d'après les sources" in liste  # Littoral 2
    # A session of today without lauréats yet says what it says.
    session = SessionNationale.objects.create(
        titre="Session à venir", slug="session-a-venir", annee_debut=2027
    )
    html = client.get(f"/sessions/{session.slug}/").content.decode()
    assert "pas encore publiés sur la plateforme" in html


def test_les_laureats_historiques_ont_leur_fichier_de_donnees_ouvertes(historiques, client):
    laureat(nom="Baie d'Armor")
    reponse = client.get("/donnees/laureats-historiques.csv?q=Antibes")
    lignes = reponse.content.decode("utf-8-sig").splitlines()
    assert reponse["Content-Disposition"] == 'attachment; filename="laureats-historiques.csv"'
    assert lignes[0].startswith("session;session_slug;annee;territoire;")
    assert len(lignes) == 2
    assert "Littoral 2;littoral-2-2009;2009;Antibes;commune;06004;" in lignes[1]
    assert SOURCE_LITTORAL in lignes[1]
    # Not mixed into the ateliers' files (rows of ateliers run on the platform).
    ateliers = client.get("/donnees/laureats.csv").content.decode("utf-8-sig").splitlines()
    assert len(ateliers) == 2 and "Baie d'Armor" in ateliers[1]


def test_l_accueil_compte_les_laureats_historiques_depuis_2006(historiques, client):
    laureat(nom="Baie d'Armor")
    html = client.get("/").content.decode()
    assert "58</p>" in html and "dont 57 des sessions passées" in html


# --- The demo PNR, given as their member communes ----------------------------------------


def test_les_pnr_de_la_demo_sont_faits_de_communes_reelles_de_leurs_departements():
    communes = {c[0]: c[2] for c in contours.lire("cog")["communes"]}
    parcs = [t for t in demo_data.TERRITOIRES if t[1] == "pnr"]
    assert len(parcs) == 10
    for nom, _nature, _region, departements, *_reste in parcs:
        membres = demo_data.MEMBRES[nom]
        assert len(membres) >= 10, nom
        assert {communes[code] for code in membres} <= set(departements), nom


def test_un_pnr_de_la_demo_a_le_perimetre_de_ses_communes():
    from demo.seed import DemoSeeder

    donnees_de_reference()
    load_communes(departements={"56"})
    parc = DemoSeeder()._territoire("Parc naturel régional du Golfe du Morbihan")

    assert parc.nature == Territoire.Nature.PNR
    assert parc.communes.count() == len(demo_data.MEMBRES[parc.nom])
    assert parc.population == sum(c.population for c in parc.communes.all())
    anneau = parc.perimetre["coordinates"][0]
    anneau = anneau[0] if parc.perimetre["type"] == "MultiPolygon" else anneau
    assert len(anneau) > 50  # the communes' contours, not a typed octagon
    assert "Vannes" in parc.lieux
