"""The signature page read on a phone: what to sign at the top, folded axes, a PDF to read
offline, the capacity shown read-only, correct French, the signed PDF and seal after."""

import io
import re

import pytest
from django.urls import reverse
from pypdf import PdfReader

from feuilles_de_route import services
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def _url(name, version):
    return reverse(f"feuilles_de_route:{name}", args=[version.feuille.atelier_id, version.numero])


def _text(pdf: bytes) -> str:
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(pdf)).pages)


def test_top_of_the_page_says_what_to_sign_and_links_to_the_form(
    client, feuille, pilote, elu, etat
):
    version = f.send(feuille, pilote, elu, etat)
    client.force_login(elu)
    page = client.get(_url("signer", version)).content.decode()
    haut = page.split('class="fdr-version"', 1)[0]
    assert "Ce que vous signez" in haut and 'href="#signer"' in haut
    assert _url("version_pdf", version) in haut
    assert version.empreinte in haut
    # The axes are folded DSFR accordions.
    assert page.count('class="fr-accordion__btn" aria-expanded="false"') == 2
    # The capacity is shown, prefilled and read-only, never a field the browser submits.
    champ = re.search(r'<input class="fr-input" id="capacite"[^>]*>', page).group(0)
    assert 'value="Maire, Commune de Quintin"' in champ and "readonly" in champ
    assert "name=" not in champ


def test_french_of_the_capacity(client, feuille, pilote, elu, etat):
    version = f.send(feuille, pilote, elu, etat)
    client.force_login(elu)
    page = client.get(_url("signer", version)).content.decode()
    assert "en tant qu'élu·e du territoire" in page and "en tant que élu" not in page
    client.force_login(etat)
    page = client.get(_url("signer", version)).content.decode()
    assert "en tant que représentant·e de l'État" in page
    assert "représentant·e de l'état" not in page


def test_version_pdf_has_its_hash_then_the_signatures_and_seals(
    client, feuille, pilote, elu, etat, password
):
    version = f.send(feuille, pilote, elu, etat)
    client.force_login(elu)
    response = client.get(_url("version_pdf", version))
    assert response["Content-Type"] == "application/pdf"
    assert "attachment" in response["Content-Disposition"]
    flat = "".join(_text(response.content).split())
    assert version.empreinte in flat and "Aucunesignature" in flat
    signature = services.version_sign(version=version, by=elu, password=password)
    page = client.get(_url("signer", version)).content.decode()
    assert "Télécharger la version signée (PDF)" in page and signature.sceau in page
    flat = "".join(_text(client.get(_url("version_pdf", version)).content).split())
    assert signature.sceau in flat and "Maire,CommunedeQuintin" in flat
