import pytest
from django.urls import reverse

from tests.factories import feuilles_de_route as f


@pytest.mark.django_db
def test_pages_render(client, atelier, pilote, elu):
    feuille = f.feuille_with_actions(atelier)
    etat = f.etat_signataire(atelier)
    version = f.adopt(feuille, pilote, elu, etat)
    client.force_login(pilote)
    for name, kwargs in [
        ("feuille", {"pk": atelier.pk}),
        ("versions", {"pk": atelier.pk}),
        ("version", {"pk": atelier.pk, "numero": version.numero}),
        ("signer", {"pk": atelier.pk, "numero": version.numero}),
        ("envoyer_signature", {"pk": atelier.pk}),
        ("axe_ajouter", {"pk": atelier.pk}),
        ("action_ajouter", {"pk": atelier.pk}),
        ("suivi", {"pk": atelier.pk}),
        ("feuille_modifier", {"pk": atelier.pk}),
    ]:
        r = client.get(reverse(f"feuilles_de_route:{name}", kwargs=kwargs))
        assert r.status_code == 200, name
    r = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": version.empreinte}))
    assert r.status_code == 200
