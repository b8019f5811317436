"""The whole-page cache for visitors: correct gzip, a fresh CSP nonce on every response."""

import gzip
import re

import pytest

from territoires import compression
from tests.factories_public import laureat

pytestmark = pytest.mark.django_db


def test_stitched_gzip_is_a_valid_stream():
    corps = b"<html>" + b"a" * 5000 + b"MARQUE<script>" + "é".encode() * 300 + b"MARQUE</html>"
    page = compression.preparer(corps, b"MARQUE")
    assert gzip.decompress(page.gzip(b"nonce-123")) == corps.replace(b"MARQUE", b"nonce-123")
    assert page.brute(b"n") == corps.replace(b"MARQUE", b"n")
    assert gzip.decompress(compression.preparer(b"", b"X").gzip(b"n")) == b""


def _nonce(response, corps: str) -> tuple[str, list[str]]:
    entete = re.search(r"'nonce-([^']+)'", response["Content-Security-Policy"]).group(1)
    return entete, re.findall(r'nonce="([^"]+)"', corps)


@pytest.mark.parametrize("gzip_ok", [True, False])
def test_cached_page_gets_a_fresh_nonce_matching_its_header(client, gzip_ok):
    laureat(nom="Nonce frais")
    headers = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    vus = set()
    for _ in range(3):
        response = client.get("/laureats/carte/", headers=headers)
        assert response.status_code == 200
        brut = response.content
        if response.get("Content-Encoding") == "gzip":
            brut = gzip.decompress(brut)
        entete, dans_la_page = _nonce(response, brut.decode())
        assert dans_la_page and set(dans_la_page) == {entete}
        vus.add(entete)
        assert "__ATELIER_CSP_NONCE__" not in brut.decode()
    assert len(vus) == 3


def test_signed_in_users_get_their_own_menu(client, dgaln):
    laureat(nom="Vu par la DGALN")
    client.get("/laureats/")  # fills the visitors' cache
    client.force_login(dgaln)
    html = client.get("/laureats/").content.decode()
    assert 'href="/gestion/"' in html
    assert "Vu par la DGALN" in html
