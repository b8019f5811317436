"""Every generated PDF is a tagged PDF (PDF/UA) with its title and language."""

import io

import pikepdf
import pytest
from django.urls import reverse

from appels.models import Candidature
from feuilles_de_route.rendering import render_rapport_pdf
from tests.factories.appels import candidature_en_etat
from tests.factories.public import laureat, rapport_publie

pytestmark = pytest.mark.django_db


def structure(pdf_bytes: bytes) -> dict:
    with pikepdf.open(io.BytesIO(pdf_bytes)) as pdf:
        root = pdf.Root
        racine = root.get("/StructTreeRoot")
        elements = racine.get("/K") if racine is not None else None
        return {
            "tagged": bool(root.get("/MarkInfo", {}).get("/Marked", False)),
            "structure": elements is not None,
            "langue": str(root.get("/Lang", "")),
            "titre": str(pdf.open_metadata().get("dc:title", "")),
            "affiche_titre": bool(
                root.get("/ViewerPreferences", {}).get("/DisplayDocTitle", False)
            ),
        }


def assert_accessible(pdf_bytes: bytes, titre: str) -> None:
    infos = structure(pdf_bytes)
    assert infos["tagged"] and infos["structure"], "PDF sans arbre de structure"
    assert infos["langue"] == "fr"
    assert titre in infos["titre"]
    assert infos["affiche_titre"]


def test_the_restitution_report_is_tagged():
    atelier = laureat(nom="Quintin")
    assert_accessible(render_rapport_pdf(rapport_publie(atelier)), "Rapport de restitution")


def test_the_comite_dossier_is_tagged(client, dgaln):
    candidature = candidature_en_etat(
        Candidature.Statut.EN_INSTRUCTION, territoire_nom="Pays d'Auge"
    )
    client.force_login(dgaln)
    response = client.get(reverse("appels:gestion_candidature_pdf", args=[candidature.pk]))
    assert response.status_code == 200
    assert_accessible(response.content, "Dossier de candidature")


def test_the_report_cover_names_the_ministry_from_its_setting(settings):
    from feuilles_de_route.rendering import rapport_html

    settings.ATELIER_MINISTERE = "Ministère de la Cohésion imaginaire des territoires"
    html = rapport_html(rapport_publie(laureat(nom="Quintin")))
    assert "République<br>française" in html
    assert "Ministère<br>de la Cohésion" in html
