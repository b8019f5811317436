"""State services and vetted State agents: reference data, DGALN's pages, ProConnect."""

import pytest
from django.urls import reverse

from acteurs import services
from acteurs.models import AgentEtat, ServiceEtat
from acteurs.permissions import is_agent_etat
from acteurs.reference import services_de_reference
from journal.models import EvenementAudit
from tests import factories

pytestmark = pytest.mark.django_db


def test_reference_state_services_are_loaded():
    natures = [s["nature"] for s in services_de_reference()]
    assert natures.count("dgaln") == 1
    assert natures.count("dreal") == 18  # 13 DREAL (DRIEAT in Île-de-France) + 5 DEAL/DGTM
    assert ServiceEtat.objects.count() == len(natures)
    assert ServiceEtat.objects.get(code="ddt-22").nom == "DDTM — Côtes-d'Armor (22)"
    assert ServiceEtat.objects.get(code="ddt-23").nom.startswith("DDT — Creuse")
    assert ServiceEtat.objects.get(code="dreal-53").nom == "DREAL Bretagne"
    assert not ServiceEtat.objects.filter(code="ddt-75").exists()  # the DRIEAT acts there
    from acteurs.reference import load_services_etat

    assert load_services_etat() == len(natures)  # idempotent


def test_dgaln_vets_then_revokes_an_agent(client, dgaln):
    user = factories.UtilisateurFactory(email="claire.martin@developpement-durable.gouv.fr")
    client.force_login(dgaln)
    service = ServiceEtat.objects.get(code="ddt-22")
    response = client.post(
        reverse("acteurs:gestion_agents"),
        {"email": user.email.upper(), "service": service.pk, "fonction": "Cheffe de service"},
    )
    assert response.status_code == 302
    agent = AgentEtat.objects.get(utilisateur=user)
    assert (agent.service, agent.fonction, agent.verifie_par) == (
        service,
        "Cheffe de service",
        dgaln,
    )
    assert user.acteur.organisation == service.organisation
    assert is_agent_etat(user)
    assert EvenementAudit.objects.filter(action="agent_etat_verifie", auteur=dgaln).exists()
    page = client.get(reverse("acteurs:gestion_agents")).content.decode()
    assert "Cheffe de service, DDTM — Côtes-d&#x27;Armor (22)" in page

    client.post(reverse("acteurs:gestion_agent_revoke", args=[agent.pk]))
    user.__dict__.pop("_agent_etat", None)
    assert not is_agent_etat(user)
    assert EvenementAudit.objects.filter(action="agent_etat_revoque").exists()


def test_vetting_an_unknown_address_is_a_clear_400(client, dgaln):
    client.force_login(dgaln)
    response = client.post(
        reverse("acteurs:gestion_agents"),
        {"email": "personne@nulle-part.fr", "service": 1, "fonction": "X"},
    )
    assert response.status_code == 400
    assert "Aucun compte n&#x27;existe" in response.content.decode()
    assert not AgentEtat.objects.exists()


def test_only_dgaln_vets(pilote):
    from django.core.exceptions import PermissionDenied

    with pytest.raises(PermissionDenied):
        services.agent_etat_vet(
            by=pilote, user=pilote, service=ServiceEtat.objects.first(), fonction="Préfet"
        )


def test_dgaln_creates_and_edits_a_service(client, dgaln):
    client.force_login(dgaln)
    response = client.post(
        reverse("acteurs:gestion_service_creer"),
        {"nom": "DDT de test", "nature": "ddt", "siret": "1234"},
    )
    assert response.status_code == 400 and "14 chiffres" in response.content.decode()
    response = client.post(
        reverse("acteurs:gestion_service_creer"),
        {"nom": "DDT de test", "nature": "ddt", "siret": "130 012 345 00017", "actif": "on"},
    )
    assert response.status_code == 302
    service = ServiceEtat.objects.get(nom="DDT de test")
    assert service.siret == "13001234500017" and service.organisation.nom == "DDT de test"
    client.post(
        reverse("acteurs:gestion_service_etat", args=[service.pk]),
        {"nom": "DDT de test renommée", "nature": "ddt", "siret": ""},
    )
    service.refresh_from_db()
    assert service.nom == "DDT de test renommée" and not service.actif
    assert EvenementAudit.objects.filter(action="service_etat_modifie").exists()


def test_an_inactive_service_gives_its_agents_no_right(pilote):
    assert is_agent_etat(pilote)
    ServiceEtat.objects.filter(agents__utilisateur=pilote).update(actif=False)
    pilote.__dict__.pop("_agent_etat", None)
    assert not is_agent_etat(pilote)


def test_proconnect_siret_of_a_state_service_makes_an_agent():
    service = ServiceEtat.objects.get(code="ddt-22")
    service.siret = "13001234500017"
    service.save()
    user = factories.UtilisateurFactory()
    assert services.agent_etat_from_proconnect(user=user, siret="99999999999999") is None
    agent = services.agent_etat_from_proconnect(user=user, siret="13001234500017")
    assert agent.service == service and agent.source == AgentEtat.Source.PROCONNECT
    assert is_agent_etat(user)
    # DGALN has the last word: a revoked profile is not revived by the next login.
    AgentEtat.objects.filter(pk=agent.pk).update(revoque_le=agent.verifie_le)
    assert services.agent_etat_from_proconnect(user=user, siret="13001234500017") is None
    user.__dict__.pop("_agent_etat", None)
    assert not is_agent_etat(user)
