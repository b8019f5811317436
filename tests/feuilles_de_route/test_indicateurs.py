"""Indicators of actions: units checked, measures at follow-up, progress rolled up."""

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from atelier.workflow import TransitionError
from feuilles_de_route import indicateurs, selectors
from feuilles_de_route.models import Action, Indicateur, IndicateurAction, StatutSuivi, Unite
from journal.models import EvenementAudit

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize(
    ("texte", "unite", "attendu"),
    [
        ("12", Unite.LOGEMENTS, Decimal(12)),
        ("1 200,5 ha", Unite.HECTARES, Decimal("1200.5")),
        ("45 %", Unite.POURCENTAGE, Decimal(45)),
        ("-3,2", Unite.TONNES_CO2, Decimal("-3.2")),
        ("15000 €", Unite.EUROS, Decimal(15000)),
    ],
)
def test_values_read_in_their_unit(texte, unite, attendu):
    assert indicateurs.parse_valeur(texte, unite) == attendu


@pytest.mark.parametrize(
    ("texte", "unite", "message"),
    [
        ("douze", Unite.LOGEMENTS, "n'est pas un nombre"),
        ("12 ha", Unite.LOGEMENTS, "unité de l'indicateur"),
        ("12,5", Unite.LOGEMENTS, "nombre entier"),
        ("130", Unite.POURCENTAGE, "entre 0 et 100"),
        ("-4", Unite.HECTARES, "négative"),
        ("", Unite.NOMBRE, "n'est pas un nombre"),
    ],
)
def test_value_not_a_number_of_the_unit_refused(texte, unite, message):
    with pytest.raises(indicateurs.ValeurInvalide, match=message):
        indicateurs.parse_valeur(texte, unite)


@pytest.fixture
def logements():
    return Indicateur.objects.create(
        nom="Logements vacants remis sur le marché",
        definition="Nombre de logements vacants depuis plus de deux ans remis en location.",
        unite=Unite.LOGEMENTS,
        cible_nationale=Decimal(1000),
    )


def test_measure_updates_last_value_and_progress(atelier, adoptee, pilote, logements):
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    suivi = indicateurs.indicateur_action_save(
        by=pilote,
        action=action,
        indicateur=logements,
        valeur_initiale="10",
        date_initiale=dt.date(2025, 1, 1),
        valeur_cible="30",
        date_cible=dt.date(2028, 1, 1),
    )
    today = timezone.localdate()
    indicateurs.mesure_add(by=pilote, suivi=suivi, date=today, valeur="25", source="Mairie")
    # An older measure does not replace the latest one.
    indicateurs.mesure_add(by=pilote, suivi=suivi, date=today - dt.timedelta(days=90), valeur="12")
    suivi.refresh_from_db()
    assert suivi.derniere_valeur == 25 and suivi.derniere_date == today
    assert indicateurs.progression_indicateur(suivi) == 75
    assert EvenementAudit.objects.filter(action="mesure_indicateur").count() == 2


def test_local_indicator_when_catalogue_has_none(atelier, feuille, pilote):
    action = Action.objects.filter(axe__feuille=feuille).first()
    suivi = indicateurs.indicateur_action_save(
        by=pilote, action=action, nouveau_nom="Arbres plantés", nouvelle_unite=Unite.NOMBRE
    )
    assert suivi.indicateur.local
    assert not Indicateur.objects.filter(local=False).exists()


def test_measures_only_after_adoption_and_by_those_who_follow(
    atelier, feuille, pilote, habitant, logements
):
    action = Action.objects.filter(axe__feuille=feuille).first()
    suivi = IndicateurAction.objects.create(action=action, indicateur=logements)
    with pytest.raises(TransitionError, match="adoptée"):
        indicateurs.mesure_add(by=pilote, suivi=suivi, date=timezone.localdate(), valeur="3")
    with pytest.raises(PermissionDenied):
        indicateurs.mesure_add(by=habitant, suivi=suivi, date=timezone.localdate(), valeur="3")


def test_bad_value_on_the_page_is_a_400_with_a_french_message(
    client, atelier, adoptee, pilote, logements
):
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    suivi = IndicateurAction.objects.create(action=action, indicateur=logements)
    client.force_login(pilote)
    url = reverse(
        "feuilles_de_route:mesure_ajouter",
        kwargs={"pk": atelier.pk, "action_id": action.pk, "suivi_id": suivi.pk},
    )
    data = {f"m{suivi.pk}-date": "2026-01-10", f"m{suivi.pk}-commentaire": "Relevé de janvier"}
    r = client.post(url, {**data, f"m{suivi.pk}-valeur": "12,5"})
    assert r.status_code == 400
    assert "nombre entier" in r.content.decode()
    assert "Relevé de janvier" in r.content.decode()  # what was typed is kept
    assert not suivi.mesures.exists()
    r = client.post(url, {**data, f"m{suivi.pk}-valeur": "12"})
    assert r.status_code == 302
    assert suivi.mesures.get().valeur == 12


def test_link_an_indicator_from_the_page(client, atelier, adoptee, pilote, logements):
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    client.force_login(pilote)
    url = reverse(
        "feuilles_de_route:indicateurs_action", kwargs={"pk": atelier.pk, "action_id": action.pk}
    )
    r = client.post(url, {"indicateur": logements.pk, "valeur_initiale": "dix"})
    assert r.status_code == 400 and "pas un nombre" in r.content.decode()
    r = client.post(
        url, {"indicateur": logements.pk, "valeur_initiale": "10", "valeur_cible": "40"}
    )
    assert r.status_code == 302
    page = client.get(reverse("feuilles_de_route:suivi", kwargs={"pk": atelier.pk}))
    assert "Logements vacants remis sur le marché" in page.content.decode()


def test_progress_weighted_by_cost_when_every_action_has_one(atelier, adoptee):
    actions = list(Action.objects.filter(axe__feuille__atelier=atelier).order_by("axe", "ordre"))
    # Axe 1: a big done action and a small one not started.
    Action.objects.filter(pk=actions[0].pk).update(
        statut_suivi=StatutSuivi.REALISEE, cout_estime=Decimal(300000)
    )
    Action.objects.filter(pk=actions[1].pk).update(cout_estime=Decimal(100000), avancement=0)

    def par_axe():
        # As the follow-up page: from the axes and actions it has loaded.
        return indicateurs.progression_par_axe(selectors.axes_with_actions(adoptee.feuille))

    axe1 = par_axe()[actions[0].axe_id]
    assert axe1.ponderee and axe1.pourcentage == 75
    assert selectors.avancement(atelier)["ponderee"]
    # One action without a cost: the plain mean.
    Action.objects.filter(pk=actions[1].pk).update(cout_estime=None)
    axe1 = par_axe()[actions[0].axe_id]
    assert not axe1.ponderee and axe1.pourcentage == 50
    # An abandoned action is left out.
    Action.objects.filter(pk=actions[1].pk).update(statut_suivi=StatutSuivi.ABANDONNEE)
    assert par_axe()[actions[0].axe_id].pourcentage == 100
