"""The national indicator catalogue kept by DGALN."""

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from atelier.workflow import TransitionError
from feuilles_de_route import indicateurs
from feuilles_de_route.models import Action, Indicateur, IndicateurAction, MesureIndicateur
from journal.models import EvenementAudit
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db

CHAMPS = {
    "nom": "Surface désimperméabilisée",
    "definition": "Surface rendue perméable dans l'année.",
    "unite": "m2",
    "source": "Collectivité",
    "periodicite": "annuelle",
    "sens": "hausse",
    "themes": "sobriété foncière, eau",
    "cible_nationale": "50000",
    "actif": "on",
}


def test_dgaln_adds_and_changes_an_indicator(client, dgaln):
    client.force_login(dgaln)
    r = client.post(reverse("capitalisation:indicateur_ajouter"), CHAMPS)
    assert r.status_code == 302
    indicateur = Indicateur.objects.get()
    assert indicateur.liste_themes == ["sobriété foncière", "eau"] and not indicateur.local
    r = client.post(
        reverse("capitalisation:indicateur_modifier", kwargs={"indicateur_id": indicateur.pk}),
        {**CHAMPS, "cible_nationale": "60000", "actif": ""},
    )
    assert r.status_code == 302
    indicateur.refresh_from_db()
    assert indicateur.cible_nationale == 60000 and not indicateur.actif
    actions = EvenementAudit.objects.filter(object_id=str(indicateur.pk)).values_list(
        "action", flat=True
    )
    assert sorted(actions) == ["indicateur_cree", "indicateur_modifie"]
    page = client.get(reverse("capitalisation:catalogue"))
    assert "Surface désimperméabilisée" in page.content.decode()


def test_bad_input_keeps_the_form(client, dgaln):
    client.force_login(dgaln)
    r = client.post(
        reverse("capitalisation:indicateur_ajouter"), {**CHAMPS, "cible_nationale": "beaucoup"}
    )
    assert r.status_code == 400 and "Surface désimperméabilisée" in r.content.decode()
    assert not Indicateur.objects.exists()


def test_only_dgaln_keeps_the_catalogue(pilote):
    with pytest.raises(PermissionDenied):
        indicateurs.indicateur_save(by=pilote, nom="x", definition="x", unite="nombre")


def test_indicator_in_use_is_not_deleted_and_keeps_its_unit(atelier, pilote, dgaln):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    indicateur = indicateurs.indicateur_save(
        by=dgaln, nom="Emplois", definition="x", unite="emplois"
    )
    suivi = IndicateurAction.objects.create(
        action=Action.objects.get(axe__feuille=feuille), indicateur=indicateur
    )
    with pytest.raises(TransitionError, match="retirez-le du catalogue"):
        indicateurs.indicateur_delete(by=dgaln, indicateur=indicateur)
    MesureIndicateur.objects.create(suivi=suivi, date="2026-01-01", valeur=3)
    with pytest.raises(TransitionError, match="unité"):
        indicateurs.indicateur_save(by=dgaln, indicateur=indicateur, unite="nombre")
    assert Indicateur.objects.filter(pk=indicateur.pk, unite="emplois").exists()
