"""SRI hashes of the DSFR bundle are those of the files served (see
atelier/templatetags/integrite.py; the production storage is checked in Chromium by
tests/production)."""

import base64
import hashlib
import re

import pytest
from django.contrib.staticfiles import finders


@pytest.mark.django_db
def test_dsfr_integrity_is_the_hash_of_the_file_served(client):
    page = client.get("/").content.decode()
    tags = re.findall(r'(?:href|src)="/static/([^"]+)"\s+integrity="([^"]+)"', page)
    assert {path for path, _ in tags} == {
        "dsfr/dist/dsfr/dsfr.min.css",
        "dsfr/dist/utility/utility.min.css",
        "dsfr/dist/dsfr/dsfr.module.min.js",
        "dsfr/dist/dsfr/dsfr.nomodule.min.js",
    }
    for path, integrity in tags:
        with open(finders.find(path), "rb") as handle:
            digest = hashlib.sha384(handle.read()).digest()
        assert integrity == "sha384-" + base64.b64encode(digest).decode(), path


@pytest.mark.django_db
def test_integrity_holds_after_the_manifest_storage_rewrote_the_css(client, settings, tmp_path):
    """ManifestStaticFilesStorage rewrites the url()s inside dsfr.min.css: django-dsfr's
    shipped hashes no longer match, the hashes of the stored copies must."""
    from django.core.management import call_command

    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.ManifestStaticFilesStorage"},
    }
    call_command("collectstatic", interactive=False, verbosity=0)
    page = client.get("/").content.decode()
    tags = re.findall(r'href="/static/([^"]+\.css)"\s+integrity="([^"]+)"', page)
    assert len(tags) == 2
    for stored, integrity in tags:
        assert re.search(r"\.[0-9a-f]{12}\.css$", stored), stored  # the hashed copy is served
        digest = hashlib.sha384((settings.STATIC_ROOT / stored).read_bytes()).digest()
        assert integrity == "sha384-" + base64.b64encode(digest).decode(), stored
