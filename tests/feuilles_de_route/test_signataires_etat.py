"""Only vetted State agents sign for the State, élus sign with the mandate the pilote
vouched for; the capacity is never typed, and who vouched shows wherever a signature does."""

import pytest
from django.urls import reverse
from django.utils import timezone

from acteurs.models import AgentEtat, Role
from atelier.workflow import TransitionError
from feuilles_de_route import services
from feuilles_de_route.models import Qualite, Signature
from tests import factories
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def test_an_unvetted_user_cannot_be_named_nor_sign_as_state(feuille, pilote, elu, atelier):
    """The forgery: an observateur whose organisation claims to be the State, not vetted."""
    faux = factories.participant(atelier, Role.OBSERVATEUR, email="faux-prefet@exemple.fr")
    with pytest.raises(TransitionError, match="ne peut pas signer"):
        f.send(feuille, pilote, elu, faux)
    assert not faux.has_perm("feuilles_de_route.sign_etat", atelier)
    # Nor a pilote who was never vetted (made pilote before the rule, say).
    non_verifie = factories.participant(
        atelier, Role.PILOTE, email="pilote-non-verifie@exemple.fr", agent=False
    )
    with pytest.raises(TransitionError, match="ne peut pas signer"):
        f.send(feuille, pilote, elu, non_verifie)


def test_state_capacity_comes_from_the_vetted_profile(feuille, pilote, elu, etat, dgaln):
    AgentEtat.objects.filter(utilisateur=etat).update(verifie_par=dgaln)
    version = f.send(feuille, pilote, elu, etat)
    signature = services.version_sign(version=version, by=etat, password=factories.PASSWORD)
    assert signature.capacite == "Directrice départementale, DDTM — Côtes-d'Armor (22)"
    assert signature.attestation.startswith(
        f"Agent de l'État vérifié par {dgaln.get_full_name()} (DGALN) le "
    )
    elu_signature = services.version_sign(version=version, by=elu, password=factories.PASSWORD)
    assert elu_signature.capacite == "Maire, Commune de Quintin"
    assert elu_signature.attestation.startswith("Mandat attesté par Claire Martin (pilote) le ")


def test_a_revoked_agent_can_no_longer_sign(client, feuille, pilote, elu, etat, atelier):
    version = f.send(feuille, pilote, elu, etat)
    AgentEtat.objects.filter(utilisateur=etat).update(revoque_le=timezone.now())
    etat.__dict__.pop("_agent_etat", None)
    with pytest.raises(TransitionError, match="agent de l'État vérifié"):
        services.version_sign(version=version, by=etat, password=factories.PASSWORD)
    client.force_login(etat)
    url = reverse("feuilles_de_route:signer", args=[atelier.pk, version.numero])
    page = client.get(url).content.decode()
    assert "Vous ne pouvez pas signer cette version" in page
    assert 'name="password"' not in page
    response = client.post(url, {"password": factories.PASSWORD, "confirmation": "on"})
    assert response.status_code == 403
    assert not Signature.objects.filter(signataire=etat).exists()


def test_an_elu_without_a_vouched_mandate_cannot_be_named(feuille, pilote, etat, atelier):
    sans_mandat = factories.participant(atelier, Role.ELU, email="sans@mandat.fr", mandat=False)
    with pytest.raises(TransitionError, match="ne peut pas signer"):
        services.version_send_for_signature(
            feuille=feuille,
            by=pilote,
            signataires=[(sans_mandat, Qualite.ELU), (etat, Qualite.ETAT)],
        )


def test_the_signature_page_shows_the_capacity_and_who_vouched(client, feuille, pilote, elu, etat):
    version = f.send(feuille, pilote, elu, etat)
    client.force_login(elu)
    url = reverse("feuilles_de_route:signer", args=[feuille.atelier_id, version.numero])
    page = client.get(url).content.decode()
    assert "Maire, Commune de Quintin" in page and "Mandat attesté par Claire Martin" in page
    assert 'name="capacite"' not in page
    # A capacity posted anyway is ignored.
    client.post(
        url,
        {
            "capacite": "Préfet des Côtes-d'Armor",
            "password": factories.PASSWORD,
            "confirmation": "on",
        },
    )
    assert Signature.objects.get(signataire=elu).capacite == "Maire, Commune de Quintin"
