"""The PDF renderer fetches nothing but our static files and the atelier's own media.

Checked by inspecting the PDF (pypdf): no image, no attachment came from a hostile URL, and
no socket was opened.
"""

import io
import socket
from pathlib import Path

import pytest
from django.conf import settings
from PIL import Image
from pypdf import PdfReader

from atelier.pdf import SafeURLFetcher, render_pdf
from feuilles_de_route import services
from feuilles_de_route.models import Action, Rapport

HOSTILE = [
    "http://169.254.169.254/latest/meta-data/iam/security-credentials/",
    "file:///etc/passwd",
    "https://example.com/pixel.png",
    "/media/ateliers/999/secret.png",
    "/media/../../../etc/passwd",
    "/media-non-public/ateliers/999/secret.png",
    "ftp://169.254.169.254/x",
]


@pytest.fixture
def no_network(monkeypatch):
    attempts = []

    def refuse(self, address, *args, **kwargs):
        attempts.append(address)
        raise OSError("réseau interdit pendant le test")

    monkeypatch.setattr(socket.socket, "connect", refuse)
    monkeypatch.setattr(socket, "create_connection", lambda address, *a, **k: refuse(None, address))
    return attempts


def _png(path: Path, colour=(200, 0, 0)) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    Image.new("RGB", (20, 20), colour).save(path, "PNG")


def _images(pdf: bytes) -> int:
    return sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages)


def _attachments(pdf: bytes) -> dict:
    return PdfReader(io.BytesIO(pdf)).attachments


def test_direct_render_refuses_hostile_urls(no_network):
    media = Path(settings.MEDIA_ROOT)
    _png(media / "ateliers/999/secret.png")
    _png(media / "ateliers/1/ok.png", (0, 0, 145))
    hostile = "".join(f'<img src="{url}"><link rel="attachment" href="{url}">' for url in HOSTILE)
    hostile += '<link rel="stylesheet" href="http://169.254.169.254/x.css">'
    hostile += '<link rel="attachment" href="/static/css/rapport.css" title="fuite">'
    hostile += '<a rel="attachment" href="/media/ateliers/1/ok.png">pièce</a>'
    html = f"<html><body><p>Contenu</p>{hostile}</body></html>"

    pdf = render_pdf(html, media_dirs=("ateliers/1",))
    assert pdf.startswith(b"%PDF")
    assert _images(pdf) == 0
    assert _attachments(pdf) == {}
    assert b"/EmbeddedFile" not in pdf
    assert no_network == []

    # Control: the atelier's own media is embedded, so the checks above are meaningful.
    allowed = render_pdf('<img src="/media/ateliers/1/ok.png">', media_dirs=("ateliers/1",))
    assert _images(allowed) == 1


def test_fetcher_refuses_each_hostile_url():
    fetcher = SafeURLFetcher(media_dirs=(Path("ateliers/1"),))
    for url in HOSTILE:
        absolute = url if ":" in url else f"https://atelier.invalid{url}"
        with pytest.raises(ValueError):
            fetcher.fetch(absolute)
    assert len(fetcher.refused) == len(HOSTILE)


@pytest.mark.django_db
def test_hostile_markup_in_user_fields_is_text_not_fetched(
    atelier, pilote, adoptee, no_network, django_capture_on_commit_callbacks, elu, etat
):
    """An action description with hostile HTML: autoescaped, rendered as text, nothing fetched."""
    from tests.factories import feuilles_de_route as f

    media = Path(settings.MEDIA_ROOT)
    _png(media / "ateliers/999/secret.png")
    payload = " ".join(
        [f'<img src="{u}">' for u in HOSTILE]
        + [
            '<link rel="attachment" href="/media/ateliers/999/secret.png">',
            "<style>@import url(http://169.254.169.254/);</style>",
        ]
    )
    action = Action.objects.filter(axe__feuille__atelier=atelier).first()
    services.action_save(axe=action.axe, by=pilote, data={"description": payload}, action=action)
    feuille = action.axe.feuille
    f.adopt(feuille, pilote, elu, etat)
    with django_capture_on_commit_callbacks(execute=True):
        rapport = services.rapport_request(atelier=atelier, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET
    pdf = rapport.fichier.read()
    assert _images(pdf) == 0
    assert _attachments(pdf) == {}
    assert no_network == []
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(pdf)).pages)
    assert "169.254.169.254" in "".join(text.split())  # shown as text, harmlessly
