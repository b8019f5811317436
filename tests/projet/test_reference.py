"""Reference data shipped with the code: geography and the history of national sessions."""

import pytest
from django.core.management import call_command

from ateliers.models import SessionNationale
from territoires.models import Departement, Region

pytestmark = pytest.mark.django_db

# Typed here from shared/seed/atelier-des-territoires.txt, not imported from the code, so
# that a change to the loaded history has to be a deliberate change to this list.
SESSIONS_DU_PROGRAMME = {
    ("Littoral 1", 2006),
    ("Montagne", 2007),
    ("Littoral 2", 2009),
    ("Atelier flash Xynthia", 2010),
    ("Territoires économiques", 2011),
    ("Territoires en mutation exposés aux risques", 2012),
    ("Atelier des territoires session 1", 2013),
    ("Atelier des territoires session 2", 2014),
    ("Comment requalifier par le paysage des territoires à vivre ?", 2015),
    ("Mieux vivre ensemble dans le périurbain", 2016),
    ("Vivre et travailler en montagne", 2016),
    ("Faire de l'eau une ressource pour l'aménagement", 2017),
    ("Villes patrimoniales", 2017),
    ("Amplifier la transition écologique avec les territoires", 2019),
    ("Mieux aménager avec des sols vivants", 2021),
    ("AMI « Aménagement touristique durable »", 2021),
    ("Aménagement, territoires productifs et création de valeurs", 2023),
}


def test_eighteen_regions_and_hundred_and_one_departements():
    assert Region.objects.count() == 18
    assert Departement.objects.count() == 101
    overseas = {"971": "01", "972": "02", "973": "03", "974": "04", "976": "06"}
    for code, region in overseas.items():
        assert Departement.objects.get(code=code).region.code == region
    assert set(Departement.objects.filter(region__code="94").values_list("code", flat=True)) == {
        "2A",
        "2B",
    }
    assert Departement.objects.get(code="22").nom == "Côtes-d'Armor"
    # Every région has at least one département, every département a position.
    assert not Region.objects.filter(departements__isnull=True).exists()
    assert not Departement.objects.filter(latitude__isnull=True).exists()


def test_the_seventeen_national_sessions_of_the_programme():
    historiques = SessionNationale.objects.filter(est_historique=True)
    assert historiques.count() == 17
    assert set(historiques.values_list("titre", "annee_debut")) == SESSIONS_DU_PROGRAMME
    sols = historiques.get(titre="Mieux aménager avec des sols vivants")
    assert (sols.annee_debut, sols.annee_fin, sols.annees) == (2021, 2022, "2021–2022")
    assert historiques.order_by("annee_debut").first().titre == "Littoral 1"
    assert historiques.order_by("-annee_debut").first().titre == (
        "Aménagement, territoires productifs et création de valeurs"
    )


def test_load_reference_is_idempotent(capsys):
    before = (Region.objects.count(), Departement.objects.count(), SessionNationale.objects.count())
    call_command("load_reference")
    call_command("load_reference")
    after = (Region.objects.count(), Departement.objects.count(), SessionNationale.objects.count())
    assert before == after == (18, 101, 17)
    assert "18 régions, 101 départements, 17 sessions" in capsys.readouterr().out


def test_load_reference_sets_the_site_record_from_site_url(settings):
    """allauth's e-mails and Django's sitemaps read the Site record: not ``example.com``."""
    from django.contrib.sites.models import Site

    settings.SITE_URL = "https://atelier.example.gouv.fr"
    try:
        call_command("load_reference")
        site = Site.objects.get_current()
        assert (site.domain, site.name) == ("atelier.example.gouv.fr", "Atelier des territoires")
    finally:
        Site.objects.clear_cache()  # the rolled-back row must not outlive the test
