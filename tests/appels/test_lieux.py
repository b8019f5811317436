"""A candidature's territory is chosen from the reference (communes, EPCI), with or without
JavaScript; the lauréat's territory gets its real perimeter from it."""

import re

import pytest
import shapely.geometry
from django.urls import reverse

from appels import services
from appels.models import AppelACandidatures, Candidature
from territoires.models import Commune
from territoires.reference import load_communes
from tests import factories
from tests.appels.test_candidater import _data
from tests.factories.appels import appel_complet, candidature_en_etat

pytestmark = pytest.mark.django_db
AGGLO = "200069409"


@pytest.fixture(autouse=True)
def cotes_d_armor():
    load_communes(departements={"22"})


def _choix(appel, **overrides):
    data = _data(appel, territoire_siren="", region="", departement="", **overrides)
    return data


def test_sans_javascript_la_recherche_propose_des_cases_sans_rien_enregistrer(client, applicant):
    appel = appel_complet()
    client.force_login(applicant)
    url = reverse("appels:candidater", args=[appel.slug])

    reponse = client.post(url, _choix(appel, lieux_q="Quintin", action="chercher_lieux"))

    assert reponse.status_code == 200
    page = reponse.content.decode()
    assert 'value="commune:22262"' in page and "Quintin — Côtes-d&#x27;Armor (22)" in page
    assert 'value="Quintin"' in page  # the search kept
    assert "Communauté de communes du Val d&#x27;Émeraude" in page  # what was typed, kept
    assert "Le formulaire contient des erreurs" not in page
    assert not Candidature.objects.exists()

    # Ticking the EPCI found by a second search, the first choice kept.
    reponse = client.post(
        url,
        _choix(appel, lieux_q="saint-brieuc", lieux=["commune:22262"], action="chercher_lieux"),
    )
    page = reponse.content.decode()
    assert f'value="epci:{AGGLO}"' in page
    [case] = re.findall(r'<input[^>]*value="commune:22262"[^>]*>', page)
    assert "checked" in case


def test_un_epci_choisi_donne_sa_region_son_departement_et_son_siren(client, applicant):
    appel = appel_complet()
    client.force_login(applicant)
    url = reverse("appels:candidater", args=[appel.slug])

    reponse = client.post(url, _choix(appel, lieux=[f"epci:{AGGLO}"], action="enregistrer"))

    assert reponse.status_code == 302
    candidature = Candidature.objects.get()
    assert [e.siren for e in candidature.epci.all()] == [AGGLO]
    assert (candidature.region.code, candidature.departement.code) == ("53", "22")
    assert candidature.territoire_siren == AGGLO
    page = client.get(url).content.decode()
    assert f'value="epci:{AGGLO}"' in page and "checked" in page


def test_sans_lieu_ni_region_le_depot_demande_la_region(client, applicant):
    appel = appel_complet()
    client.force_login(applicant)
    url = reverse("appels:candidater", args=[appel.slug])

    # A draft is saved without its places (issue 14); the deposit then asks for the région.
    reponse = client.post(url, _choix(appel, action="enregistrer"))
    assert reponse.status_code == 302
    candidature = Candidature.objects.get()
    assert any(nom == "region" for nom, _phrase in services.manquants_par_champ(candidature))
    candidature.delete()

    reponse = client.post(url, _choix(appel, lieux=["commune:99999"], action="enregistrer"))
    assert reponse.status_code == 400
    assert not Candidature.objects.exists()


def test_le_laureat_recoit_le_vrai_perimetre_de_son_epci(dgaln):
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(
        Candidature.Statut.EN_INSTRUCTION, appel=appel, territoire_nom="Saint-Brieuc Armor",
        territoire_siren="",
    )  # fmt: skip
    candidature.communes.set(Commune.objects.filter(code__in=["22262", "22278"]))

    atelier = services.candidature_decider(
        candidature=candidature,
        by=dgaln,
        retenue=True,
        motivation="Projet exemplaire.",
        pilote=factories.agent_etat(),
        sans_tous_les_avis="Le comité siège aujourd'hui.",
    )

    territoire = atelier.territoire
    territoire.refresh_from_db()
    assert sorted(territoire.communes.values_list("code", flat=True)) == ["22262", "22278"]
    perimetre = shapely.geometry.shape(territoire.perimetre)
    assert perimetre.contains(shapely.geometry.Point(territoire.longitude, territoire.latitude))
    quintin = Commune.objects.get(code="22262")
    assert perimetre.contains(shapely.geometry.Point(quintin.longitude, quintin.latitude))
    assert territoire.population == sum(
        Commune.objects.filter(code__in=["22262", "22278"]).values_list("population", flat=True)
    )


def test_la_dgaln_voit_les_lieux_choisis(client, dgaln):
    from territoires.models import EPCI

    candidature = candidature_en_etat(Candidature.Statut.DEPOSEE, appel=appel_complet())
    candidature.epci.set([EPCI.objects.get(siren=AGGLO)])
    client.force_login(dgaln)

    page = client.get(reverse("appels:gestion_candidature", args=[candidature.pk]))

    assert "CA Saint-Brieuc Armor Agglomération (SIREN 200069409)" in page.content.decode()
