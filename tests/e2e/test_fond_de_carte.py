"""The base map when online, seen in a browser: a tile service started by the test (this
machine and CI have no internet) stands for the Géoplateforme. On the lauréats map, a
territory's page and the demonstrator-site editor, its tiles load (the CSP lets their origin
through), the tile layer is credited, the shipped départements' contours lie beneath it and
the territory's perimeter and communes are drawn above it. Screenshots under
test-artifacts/fond-de-carte/."""

import copy
import io
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer

import pytest
from PIL import Image, ImageDraw

from acteurs.models import Role
from territoires.models import EPCI
from territoires.reference import load_communes
from territoires.services import territoire_derive
from tests import factories
from tests.e2e.conftest import ARTEFACTS, login, new_page
from tests.factories.public import laureat

pytestmark = pytest.mark.django_db(transaction=True)

ATTRIBUTION = "Tuiles d'essai © Atelier"


def _tuile() -> bytes:
    """A 256×256 tile that cannot be mistaken for the contours: a pale green ground with a
    grid and a diagonal."""
    image = Image.new("RGB", (256, 256), (214, 234, 206))
    dessin = ImageDraw.Draw(image)
    for i in range(0, 256, 32):
        dessin.line([(i, 0), (i, 255)], fill=(150, 190, 140), width=1)
        dessin.line([(0, i), (255, i)], fill=(150, 190, 140), width=1)
    dessin.line([(0, 0), (255, 255)], fill=(90, 150, 90), width=3)
    sortie = io.BytesIO()
    image.save(sortie, format="PNG")
    return sortie.getvalue()


@pytest.fixture
def tuiles(settings):
    """A tile service on its own origin (as the Géoplateforme is), named by the settings and
    allowed by the CSP as settings.py would allow it; yields the paths it served."""
    contenu = _tuile()
    servies: list[str] = []

    class Tuiles(BaseHTTPRequestHandler):
        def do_GET(self):  # http.server calls it by this name
            servies.append(self.path)
            self.send_response(200)
            self.send_header("Content-Type", "image/png")
            self.send_header("Content-Length", str(len(contenu)))
            self.end_headers()
            self.wfile.write(contenu)

        def log_message(self, *args):
            pass

    serveur = ThreadingHTTPServer(("127.0.0.1", 0), Tuiles)
    threading.Thread(target=serveur.serve_forever, daemon=True).start()
    origine = f"http://127.0.0.1:{serveur.server_port}"
    settings.CARTE_TUILES_URL = origine + "/{z}/{x}/{y}.png"
    settings.CARTE_TUILES_ATTRIBUTION = ATTRIBUTION
    politique = copy.deepcopy(settings.CONTENT_SECURITY_POLICY)
    politique["DIRECTIVES"]["img-src"].append(origine)
    settings.CONTENT_SECURITY_POLICY = politique
    yield servies
    serveur.shutdown()
    serveur.server_close()


@pytest.fixture
def scene(live_server):
    """A lauréat made of the EPCI around Quintin, with its real communes and perimeter, and
    its pilote."""
    atelier = laureat(nom="Pays de Quintin", departements=("22",), lat=48.4, lon=-2.9)
    load_communes(departements={"22"})
    territoire = atelier.territoire
    territoire.epci.set(EPCI.objects.filter(communes__code="22262")[:1])
    territoire_derive(territoire=territoire)
    factories.participant(atelier, Role.PILOTE, email="pilote@e2e.fr")
    return atelier


def _surveiller(page):
    """What a page reports going wrong: console errors (a CSP refusal among them) and
    failed requests, except the tiles Leaflet itself gives up on as the view moves."""
    erreurs = []

    def echec(requete):
        if requete.failure != "net::ERR_ABORTED":
            erreurs.append(f"{requete.url} : {requete.failure}")

    page.on("console", lambda m: erreurs.append(m.text) if m.type == "error" else None)
    page.on("requestfailed", echec)
    return erreurs


def _attendre_tuiles(page, carte):
    tuiles = page.locator(f"{carte} img.leaflet-tile-loaded")
    tuiles.first.wait_for(state="attached")
    page.wait_for_load_state("networkidle")
    return tuiles


def _verifier(page, carte, erreurs, *, perimetre=True):
    tuiles = _attendre_tuiles(page, carte)
    assert tuiles.count() > 0
    # Real images, from the tile service, not broken ones.
    assert tuiles.first.evaluate("t => t.naturalWidth") == 256
    assert page.locator(f"{carte} img.leaflet-tile:not(.leaflet-tile-loaded)").count() == 0
    assert erreurs == []
    assert ATTRIBUTION in page.locator(f"{carte} .leaflet-control-attribution").inner_text()
    # The shipped contours beneath the tiles, the territory above them.
    z = page.evaluate(
        "(sel) => { const c = document.querySelector(sel); const z = (p) =>"
        " Number(getComputedStyle(c.querySelector('.leaflet-' + p + '-pane')).zIndex);"
        " return [z('contours'), z('tile'), z('overlay')]; }",
        carte,
    )
    contours, tuile, dessus = z
    assert contours < tuile < dessus
    assert page.locator(f"{carte} .leaflet-contours-pane path").count() > 0
    if perimetre:
        assert page.locator(f"{carte} .leaflet-overlay-pane path").count() > 0


def test_les_cartes_montrent_le_fond_de_carte_en_ligne(
    browser, live_server, tuiles, scene, password
):
    dossier = ARTEFACTS / "fond-de-carte"
    dossier.mkdir(parents=True, exist_ok=True)
    page = new_page(browser, live_server)
    largeurs = (375, 1280)
    try:
        erreurs = _surveiller(page)
        for largeur in largeurs:  # as a visitor
            page.set_viewport_size({"width": largeur, "height": 900})
            page.goto(page.base_url + "/laureats/carte/")
            page.wait_for_selector("[data-carte=laureats][data-chargee]", state="attached")
            _verifier(page, "#carte-laureats", erreurs, perimetre=False)
            page.screenshot(path=str(dossier / f"laureats-{largeur}.png"), full_page=True)

            page.goto(page.base_url + scene.territoire.get_absolute_url())
            _verifier(page, "#carte-territoire", erreurs)
            page.locator("#carte-territoire").screenshot(
                path=str(dossier / f"territoire-{largeur}.png")
            )

        # Signed in once (a TOTP code is accepted once), the pilote draws on the tiles.
        login(page, "pilote@e2e.fr", password)
        for largeur in largeurs:
            page.set_viewport_size({"width": largeur, "height": 900})
            page.goto(f"{page.base_url}/espace/ateliers/{scene.pk}/sites/")
            _verifier(page, "#geo-widget-carte", erreurs)
            page.locator("#geo-widget-carte").screenshot(
                path=str(dossier / f"editeur-sites-{largeur}.png")
            )
    finally:
        page.context.close()
    assert tuiles and all(chemin.endswith(".png") for chemin in tuiles)
