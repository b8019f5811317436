"""A logged-out visitor following a private link is sent to sign in, then back to it."""

import pytest
from django.urls import reverse

from tests import factories
from tests.factories.ateliers import document as deposer_document

pytestmark = pytest.mark.django_db


def _sign_in_from(client, response, email):
    """Follow the login redirect, sign in there, and return the answer of the login form."""
    assert response.status_code == 302
    assert response.url.split("?")[0] == reverse("account_login")
    return client.post(response.url, {"login": email, "password": factories.PASSWORD})


def test_a_private_workspace_link_leads_to_sign_in_and_back(client, atelier, habitant):
    lien = reverse("ateliers:journal", kwargs={"pk": atelier.pk}) + "?page=1"

    response = _sign_in_from(client, client.get(lien), habitant.email)

    assert response.status_code == 302
    assert response.url == lien
    assert client.get(response.url).status_code == 200


def test_a_private_document_link_leads_to_sign_in_and_back_to_the_file(
    client, atelier, habitant, pilote
):
    document = deposer_document(atelier, by=pilote)
    lien = reverse(
        "ateliers:document_telecharger", kwargs={"pk": atelier.pk, "document_id": document.pk}
    )

    response = _sign_in_from(client, client.get(lien), habitant.email)

    assert response.url == lien
    fichier = client.get(lien)
    assert fichier.status_code == 200
    assert b"".join(fichier.streaming_content).startswith(b"%PDF")


def test_the_redirect_does_not_tell_whether_a_document_exists(client, atelier, pilote):
    document = deposer_document(atelier, by=pilote)
    existing = client.get(
        reverse(
            "ateliers:document_telecharger", kwargs={"pk": atelier.pk, "document_id": document.pk}
        )
    )
    missing = client.get(
        reverse("ateliers:document_telecharger", kwargs={"pk": atelier.pk, "document_id": 999_999})
    )
    assert existing.status_code == missing.status_code == 302
    assert existing.url.split("?")[0] == missing.url.split("?")[0] == reverse("account_login")
