"""The official geography (COG communes and EPCI, contours) and territories derived from it."""

import copy
import io

import pytest
import shapely.geometry
from django.core.management import call_command

from territoires import contours
from territoires.models import EPCI, Commune, Territoire
from territoires.reference import load_communes, nom_recherche
from territoires.services import territoire_derive
from tests.factories import TerritoireFactory

pytestmark = pytest.mark.django_db

SAINT_BRIEUC_ARMOR = "200069409"
QUINTIN = "22262"


@pytest.fixture
def cotes_d_armor():
    load_communes(departements={"22"})


def test_la_reference_donne_les_communes_et_epci_reels(cotes_d_armor):
    quintin = Commune.objects.get(code=QUINTIN)
    assert quintin.nom == "Quintin"
    assert quintin.departement.code == "22"
    assert "22800" in quintin.codes_postaux
    assert quintin.population > 2000
    agglo = EPCI.objects.get(siren=SAINT_BRIEUC_ARMOR)
    assert agglo.nature == EPCI.Nature.CA
    assert agglo.communes.filter(code=QUINTIN).exists()
    assert list(agglo.departements.values_list("code", flat=True)) == ["22"]
    assert agglo.contour and agglo.latitude and agglo.longitude


def test_un_epci_a_cheval_appartient_a_tous_ses_departements_et_regions():
    # Redon Agglomération: Ille-et-Vilaine and Morbihan (Bretagne), Loire-Atlantique (Pays
    # de la Loire).
    load_communes(departements={"35", "44", "56"})
    redon = EPCI.objects.get(nom__icontains="Redon")
    assert set(redon.departements.values_list("code", flat=True)) == {"35", "44", "56"}
    assert set(redon.regions.values_list("code", flat=True)) == {"52", "53"}


def test_recharger_le_meme_millesime_ne_change_rien(cotes_d_armor, django_assert_max_num_queries):
    with django_assert_max_num_queries(5):
        load_communes(departements={"22"})
    assert Commune.objects.filter(departement__code="22").count() > 300


def test_un_nouveau_millesime_garde_lisible_la_commune_fusionnee(cotes_d_armor, monkeypatch):
    territoire = TerritoireFactory(nature=Territoire.Nature.COMMUNE, nom="Quintin")
    territoire.communes.set([Commune.objects.get(code=QUINTIN)])
    lire = contours.lire

    def millesime_suivant(nom):
        donnees = copy.deepcopy(lire(nom))
        if nom == "cog":
            donnees["millesime"] = "2027"
            donnees["communes"] = [c for c in donnees["communes"] if c[0] != QUINTIN]
            for epci in donnees["epci"]:
                epci[3] = [m for m in epci[3] if m != QUINTIN]
        return donnees

    monkeypatch.setattr(contours, "lire", millesime_suivant)
    load_communes()

    quintin = Commune.objects.get(code=QUINTIN)
    assert not quintin.actif
    assert Commune.objects.get(code="22278").actif  # Saint-Brieuc, in the new vintage
    assert not EPCI.objects.get(siren=SAINT_BRIEUC_ARMOR).communes.filter(code=QUINTIN).exists()
    territoire.refresh_from_db()
    assert list(territoire.communes.all()) == [quintin]
    assert territoire.code_insee == QUINTIN


def test_un_epci_donne_au_territoire_son_perimetre_reel(cotes_d_armor):
    territoire = TerritoireFactory(nom="Saint-Brieuc Armor Agglomération", latitude=None,
                                   longitude=None, population=None)  # fmt: skip
    agglo = EPCI.objects.get(siren=SAINT_BRIEUC_ARMOR)
    territoire.epci.set([agglo])

    territoire_derive(territoire=territoire)

    territoire.refresh_from_db()
    assert territoire.siren == SAINT_BRIEUC_ARMOR
    assert territoire.region.code == "53"
    assert list(territoire.departements.values_list("code", flat=True)) == ["22"]
    assert territoire.population == agglo.population
    perimetre = shapely.geometry.shape(territoire.perimetre)
    # The real perimeter, not an octagon: it holds Quintin's and Saint-Brieuc's points…
    for code in (QUINTIN, "22278"):
        commune = Commune.objects.get(code=code)
        assert perimetre.contains(shapely.geometry.Point(commune.longitude, commune.latitude))
    assert len(shapely.get_coordinates(perimetre)) > 50
    # …and the marker lies inside it.
    point = shapely.geometry.Point(territoire.longitude, territoire.latitude)
    assert perimetre.contains(point)
    assert "Quintin" in territoire.lieux


def test_un_groupement_de_communes_est_l_union_de_leurs_contours(cotes_d_armor):
    territoire = TerritoireFactory(nature=Territoire.Nature.INTER_TERRITORIAL)
    communes = Commune.objects.filter(code__in=[QUINTIN, "22278"])
    territoire.communes.set(communes)

    territoire_derive(territoire=territoire)

    territoire.refresh_from_db()
    assert territoire.population == sum(c.population for c in communes)
    perimetre = shapely.geometry.shape(territoire.perimetre)
    assert perimetre.geom_type == "MultiPolygon"  # two communes that do not touch
    assert territoire.code_insee == "" and territoire.siren == ""


def test_nom_recherche_ignore_accents_casse_tirets_apostrophes():
    assert nom_recherche("Côtes-d'Armor") == "cotes d armor"
    assert nom_recherche("  L’Île-d’Yeu ") == "l ile d yeu"


def test_les_territoires_de_demo_reposent_sur_les_vrais_codes(cotes_d_armor):
    call_command("seed_demo", production=True, stdout=io.StringIO())

    quintin = Territoire.objects.get(slug="quintin-demo")
    assert quintin.code_insee == QUINTIN
    assert list(quintin.communes.values_list("code", flat=True)) == [QUINTIN]
    agglo = Territoire.objects.get(slug="saint-brieuc-armor-agglomeration-demo")
    assert agglo.siren == SAINT_BRIEUC_ARMOR
    assert shapely.geometry.shape(agglo.perimetre).contains(
        shapely.geometry.Point(quintin.longitude, quintin.latitude)
    )


@pytest.mark.parametrize(
    ("q", "premier"),
    [
        ("Quintin", ("commune", QUINTIN)),
        ("quintin", ("commune", QUINTIN)),
        ("QUINT", ("commune", QUINTIN)),
        ("22800", ("commune", QUINTIN)),  # postcode
        ("22262", ("commune", QUINTIN)),  # INSEE code
        ("200069409", ("epci", SAINT_BRIEUC_ARMOR)),  # SIREN
        ("saint brieuc", ("epci", SAINT_BRIEUC_ARMOR)),
        ("Saint-Brieuc", ("epci", SAINT_BRIEUC_ARMOR)),
        ("brieuc", ("epci", SAINT_BRIEUC_ARMOR)),  # a word inside the name
    ],
)
def test_l_autocompletion_trouve_communes_et_epci(client, cotes_d_armor, q, premier):
    resultats = client.get("/referentiel/lieux/", {"q": q}).json()["resultats"]
    assert (resultats[0]["type"], resultats[0]["code"]) == premier


def test_l_autocompletion_filtre_par_type_et_ignore_le_vide(
    client, cotes_d_armor, django_assert_max_num_queries
):
    with django_assert_max_num_queries(3):
        resultats = client.get("/referentiel/lieux/?q=saint&type=commune").json()["resultats"]
    assert len(resultats) == 10 and {r["type"] for r in resultats} == {"commune"}
    assert client.get("/referentiel/lieux/?q=%20'-").json() == {"resultats": []}
    assert client.get("/referentiel/lieux/?q=zzzz").json() == {"resultats": []}


def test_l_autocompletion_ignore_les_communes_disparues(client, cotes_d_armor):
    Commune.objects.filter(code=QUINTIN).update(actif=False)
    codes = [r["code"] for r in client.get("/referentiel/lieux/?q=quintin").json()["resultats"]]
    assert QUINTIN not in codes


def test_un_territoire_se_cree_depuis_des_codes_officiels(cotes_d_armor):
    from territoires.services import territoire_from_reference

    agglo = territoire_from_reference(nom="Saint-Brieuc Armor Agglomération",
                                      codes=[SAINT_BRIEUC_ARMOR])  # fmt: skip
    assert agglo.nature == Territoire.Nature.EPCI and agglo.siren == SAINT_BRIEUC_ARMOR
    assert agglo.perimetre["type"] in ("Polygon", "MultiPolygon")
    again = territoire_from_reference(nom="Saint-Brieuc Armor Agglomération",
                                      codes=[SAINT_BRIEUC_ARMOR])  # fmt: skip
    assert again.pk == agglo.pk
    groupement = territoire_from_reference(nom="Quintin et Plérin", codes=[QUINTIN, "22187"])
    assert groupement.nature == Territoire.Nature.INTER_TERRITORIAL
    assert groupement.region.code == "53"
    with pytest.raises(ValueError, match="99999"):
        territoire_from_reference(nom="Nulle part", codes=["99999"])
    assert not Territoire.objects.filter(nom="Nulle part").exists()
