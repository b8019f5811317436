"""Every generated PDF opens on the State's mark, as the site does: the Marianne block,
« République française » and the ministry from ATELIER_MINISTERE (issue 18), drawn by one
shared include (templates/includes/pdf_marianne.html)."""

import io
from pathlib import Path

import pypdf
import pytest
from django.conf import settings as django_settings
from django.urls import reverse

from appels.documents import lettre_decision_pdf, recepisse_pdf
from appels.models import Candidature
from atelier.pdf import render_pdf
from feuilles_de_route import rendering, services
from feuilles_de_route.syntheses import synthese_html, synthese_request
from tests import factories
from tests.factories import feuilles_de_route as f
from tests.factories.appels import candidature_en_etat
from tests.factories.public import laureat, rapport_publie

pytestmark = pytest.mark.django_db
MINISTERE = "Ministère de la Cohésion imaginaire des territoires"
TEMPLATES = Path(django_settings.BASE_DIR) / "templates"


def _cover(pdf: bytes) -> str:
    """The text of the first page, spaces collapsed."""
    return " ".join(pypdf.PdfReader(io.BytesIO(pdf)).pages[0].extract_text().split())


def _pdfs(client, dgaln, atelier, pilote, elu, django_capture_on_commit_callbacks) -> dict:
    deposee = candidature_en_etat(Candidature.Statut.DEPOSEE, territoire_nom="Pays d'Auge")
    retenue = candidature_en_etat(Candidature.Statut.RETENUE, territoire_nom="Pays de Redon")
    version = f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    with django_capture_on_commit_callbacks(execute=True):
        carnet = services.carnet_request(atelier=atelier, by=pilote)
        synthese = synthese_request(by=dgaln, session=factories.SessionFactory())
    carnet.refresh_from_db()
    client.force_login(dgaln)
    return {
        "récépissé de dépôt": recepisse_pdf(deposee),
        "lettre de décision": lettre_decision_pdf(retenue),
        "dossier du comité": client.get(
            reverse("appels:gestion_candidature_pdf", args=[deposee.pk])
        ).content,
        "rapport de restitution": rendering.render_rapport_pdf(
            rapport_publie(laureat(nom="Quintin"))
        ),
        "carnet de suivi": rendering.render_carnet_pdf(carnet),
        "synthèse de session": render_pdf(synthese_html(synthese)),
        "version signée": rendering.version_pdf(version),
    }


def test_every_pdf_cover_carries_the_marianne_block_and_the_ministry(
    client, settings, dgaln, atelier, pilote, elu, django_capture_on_commit_callbacks
):
    settings.ATELIER_MINISTERE = MINISTERE
    pdfs = _pdfs(client, dgaln, atelier, pilote, elu, django_capture_on_commit_callbacks)
    for nom, pdf in pdfs.items():
        assert pdf.startswith(b"%PDF"), nom
        cover = _cover(pdf)
        assert "RÉPUBLIQUE FRANÇAISE" in cover.upper(), (nom, cover[:200])
        assert "Ministère de la Cohésion imaginaire" in cover, (nom, cover[:200])
        # No ministry name typed in a template: the setting only.
        assert "Ministère chargé de l'aménagement" not in cover, nom


def test_the_mark_is_one_include_not_copies():
    """Every PDF template draws the mark through the shared include, none by hand."""
    pdf_templates = [
        "appels/pdf/recepisse.html",
        "appels/pdf/lettre_decision.html",
        "appels/gestion/candidature_pdf.html",
        "feuilles_de_route/rapport/rapport.html",
        "feuilles_de_route/carnet/carnet.html",
        "feuilles_de_route/synthese/synthese.html",
        "feuilles_de_route/version_pdf.html",
    ]
    for name in pdf_templates:
        text = (TEMPLATES / name).read_text(encoding="utf-8")
        assert '{% include "includes/pdf_marianne.html" %}' in text, name
        assert "République française" not in text and "bloc-marque" not in text, name
