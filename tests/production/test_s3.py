"""Media on S3-compatible object storage (SeaweedFS in CI), private, through django-storages.

Uses the bucket and keys of the instance ``.ci/production`` started (``ATELIER_PRODUCTION_ENV``);
skipped without it (and failed when ``ATELIER_REFUSE_SKIP=1``).
"""

import hashlib
import io
import time
import urllib.error
import urllib.request

import pytest
from django.core.files.base import ContentFile
from django.db.models.fields.files import FieldFile
from django.test import override_settings
from PIL import Image
from pypdf import PdfReader

from atelier.pdf import render_pdf
from atelier.uploads import protected_download


def _options(env: dict[str, str], **changes) -> dict:
    return {
        "bucket_name": env["ATELIER_S3_BUCKET"],
        "endpoint_url": env["ATELIER_S3_ENDPOINT_URL"],
        "region_name": env["ATELIER_S3_REGION"],
        "access_key": env["AWS_ACCESS_KEY_ID"],
        "secret_key": env["AWS_SECRET_ACCESS_KEY"],
        "addressing_style": "path",
        "signature_version": "s3v4",
        "default_acl": None,
        "file_overwrite": False,
        "querystring_auth": True,
        "querystring_expire": 300,
        **changes,
    }


@pytest.fixture
def s3_settings(production_env):
    """This test process's default storage is the production bucket."""
    storages = {
        "default": {
            "BACKEND": "storages.backends.s3.S3Storage",
            "OPTIONS": _options(production_env),
        },
        "staticfiles": {"BACKEND": "django.contrib.staticfiles.storage.StaticFilesStorage"},
    }
    with override_settings(STORAGES=storages):
        from django.core.files.storage import default_storage

        yield default_storage


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=10) as response:  # loopback SeaweedFS only
            return response.status
    except urllib.error.HTTPError as exc:
        return exc.code


def test_stored_file_round_trip_and_the_bucket_is_private(s3_settings, production_env):
    name = s3_settings.save("ateliers/essai/compte-rendu.txt", ContentFile(b"Compte rendu (essai)"))
    try:
        assert s3_settings.exists(name)
        with s3_settings.open(name) as handle:
            assert handle.read() == b"Compte rendu (essai)"
        # Same name again: a new object, the first one is never overwritten.
        other = s3_settings.save("ateliers/essai/compte-rendu.txt", ContentFile(b"autre"))
        assert other != name
        s3_settings.delete(other)
        endpoint, bucket = (
            production_env["ATELIER_S3_ENDPOINT_URL"],
            production_env["ATELIER_S3_BUCKET"],
        )
        assert _status(f"{endpoint}/{bucket}/{name}") == 403  # no anonymous read
        assert _status(s3_settings.url(name)) == 200  # a signed URL opens it
    finally:
        s3_settings.delete(name)
    assert not s3_settings.exists(name)


def test_signed_urls_expire(production_env):
    from storages.backends.s3 import S3Storage

    storage = S3Storage(**_options(production_env, querystring_expire=1))
    name = storage.save("ateliers/essai/bref.txt", ContentFile(b"bref"))
    try:
        url = storage.url(name)
        time.sleep(2.5)
        assert _status(url) == 403
    finally:
        storage.delete(name)


def test_download_view_streams_the_object_after_the_permission_check(s3_settings):
    """``protected_download`` (every document, attachment and report download) reads S3."""
    body = b"%PDF-1.4 essai " + bytes(range(256)) * 64
    name = s3_settings.save("ateliers/essai/plan.pdf", ContentFile(body))
    try:
        fieldfile = FieldFile(None, type("Champ", (), {"storage": s3_settings})(), name)
        response = protected_download(fieldfile, filename="plan.pdf")
        assert b"".join(response.streaming_content) == body
        assert response["Content-Type"] == "application/pdf"
        assert response["Cache-Control"] == "private, no-store"
    finally:
        s3_settings.delete(name)


def test_report_pdf_embeds_the_atelier_media_from_the_bucket(s3_settings):
    image = io.BytesIO()
    Image.new("RGB", (20, 20), (0, 0, 145)).save(image, "PNG")
    name = s3_settings.save("ateliers/424242/carte.png", ContentFile(image.getvalue()))
    try:
        pdf = render_pdf(f'<img src="/media/{name}">', media_dirs=("ateliers/424242",))
        assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) == 1
        # Another atelier's folder in the same bucket stays out.
        pdf = render_pdf(f'<img src="/media/{name}">', media_dirs=("ateliers/1",))
        assert sum(len(page.images) for page in PdfReader(io.BytesIO(pdf)).pages) == 0
    finally:
        s3_settings.delete(name)


def test_the_report_the_worker_rendered_is_in_the_bucket(s3_settings, production_url):
    """test_production made the worker render a report: its PDF is an object of the bucket,
    and the SHA-256 of that object is the one the public check knows."""
    folders, _ = s3_settings.listdir("rapports")
    names = [f"rapports/{d}/{f}" for d in folders for f in s3_settings.listdir(f"rapports/{d}")[1]]
    assert names, "aucun rapport dans le bucket : test_production n'a-t-il pas tourné ?"
    for name in names:
        with s3_settings.open(name) as handle:
            digest = hashlib.sha256(handle.read()).hexdigest()
        with urllib.request.urlopen(f"{production_url}/verifier/{digest}/", timeout=10) as page:
            corps = page.read().decode()
            assert "Empreinte connue" in corps or "Rapport de restitution authentique" in corps
