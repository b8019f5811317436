"""`/laureats/?q=` knows places: territory, commune, département and région, names and codes.

Runs on SQLite by default and on PostgreSQL with DATABASE_URL set to a PostgreSQL server.
"""

import pytest

from territoires.models import EPCI, Commune
from territoires.reference import load_communes
from territoires.services import territoire_derive
from tests import factories
from tests.factories.public import laureat
from tests.public.test_pages_publiques import noms

pytestmark = pytest.mark.django_db


@pytest.fixture
def lieux():
    load_communes(departements={"22", "14"})
    agglo = laureat(
        nom="Saint-Brieuc Armor Agglomération",
        session=factories.SessionFactory(titre="Territoires en mutation", theme="Sobriété"),
        format="multisite",
    )
    agglo.territoire.epci.set([EPCI.objects.get(siren="200069409")])
    commune = laureat(nom="Bourg de Lisieux", region="28", departements=("14",))
    commune.territoire.communes.set([Commune.objects.get(code="14366")])  # Lisieux
    libre = laureat(nom="Pays d'Auge", region="28", departements=("14", "61"),
                    theme="Revitalisation des bourgs")  # fmt: skip
    for atelier in (agglo, commune, libre):
        territoire_derive(territoire=atelier.territoire)


AGGLO = ["Saint-Brieuc Armor Agglomération"]


@pytest.mark.parametrize(
    ("q", "attendus"),
    [
        ("Bretagne", AGGLO),
        ("bretagne", AGGLO),
        ("côtes d'armor", AGGLO),
        ("Côtes-d'Armor", AGGLO),
        ("COTES D ARMOR", AGGLO),
        ("22", AGGLO),
        ("Quintin", AGGLO),  # a member commune of the EPCI
        ("quintin", AGGLO),
        ("Saint Brieuc", AGGLO),
        ("200069409", AGGLO),  # SIREN
        ("Normandie", ["Bourg de Lisieux", "Pays d'Auge"]),
        ("Calvados", ["Bourg de Lisieux", "Pays d'Auge"]),
        ("Orne", ["Pays d'Auge"]),  # a territory typed with its départements, no members
        ("14366", ["Bourg de Lisieux"]),
        ("Territoires en mutation", AGGLO),  # session title
        ("sobriete", AGGLO),  # session theme
        ("Nouvelle-Aquitaine", []),
    ],
)
def test_la_recherche_trouve_par_lieux(client, lieux, q, attendus):
    response = client.get("/laureats/", {"q": q, "tri": "nom"})
    assert response.status_code == 200
    assert noms(response) == attendus


def test_un_epci_a_cheval_sur_deux_regions_est_dans_chacune(client):
    load_communes(departements={"35", "44", "56"})
    redon = laureat(nom="Redon Agglomération", region="53", departements=("35",))
    redon.territoire.epci.set([EPCI.objects.get(nom__icontains="Redon")])
    territoire_derive(territoire=redon.territoire)

    for filtre in ("region=53", "region=52", "departement=44", "departement=56", "q=nantes"):
        reponse = client.get(f"/laureats/?{filtre}")
        assert noms(reponse) == (["Redon Agglomération"] if filtre != "q=nantes" else []), filtre
    assert noms(client.get("/laureats/?region=84")) == []
