"""Security headers, CSP (static scripts only), CSRF, refused-access log, and a clean ``check --deploy``."""

import base64
import logging
import os
import re
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.template import Context, Template
from django.test import Client, RequestFactory
from django.urls import reverse

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]


def _csp(response) -> dict[str, str]:
    header = response["Content-Security-Policy"]
    return {part.split()[0]: part for part in (p.strip() for p in header.split(";")) if part}


def test_csp_and_frame_headers_on_every_page(client):
    response = client.get("/")
    csp = _csp(response)
    assert csp["object-src"] == "object-src 'none'"
    assert csp["base-uri"] == "base-uri 'none'"
    assert csp["frame-ancestors"] == "frame-ancestors 'none'"
    assert "'unsafe-inline'" not in csp["script-src"]
    assert response["X-Frame-Options"] == "DENY"
    assert response["X-Content-Type-Options"] == "nosniff"


@pytest.mark.parametrize("adresse", ["account_login", "public:laureats", "public:carte"])
def test_every_script_is_a_static_file_allowed_by_self(client, adresse):
    """No inline script: each one is a file of the site, which ``script-src 'self'`` allows
    with or without a nonce. A public page reads no nonce at all, so it can be cached whole."""
    response = client.get(reverse(adresse))
    script_src = _csp(response)["script-src"]
    assert "'self'" in script_src and "'unsafe-inline'" not in script_src
    html = response.content.decode()
    scripts = re.findall(r"<script\b([^>]*)>(.*?)</script>", html, flags=re.S)
    assert scripts
    for attributs, contenu in scripts:
        if "application/json" in attributs:
            continue
        assert re.search(r'\bsrc="/static/', attributs) and not contenu.strip(), attributs
    if adresse.startswith("public:"):
        assert "nonce" not in html and "'nonce-" not in script_src


def test_leaflet_map_script_gets_the_nonce():
    request = RequestFactory().get("/")
    request.csp_nonce = "abc123"
    html = Template(
        "{% load leaflet_tags %}{% leaflet_map 'carte' csp_nonce=request.csp_nonce %}"
    ).render(Context({"request": request}))
    assert '<script nonce="abc123">' in html


def test_csrf_is_enforced_on_login():
    client = Client(enforce_csrf_checks=True)
    response = client.post(reverse("account_login"), {"login": "a@b.fr", "password": "x"})
    assert response.status_code == 403


def test_refused_access_is_logged(client, habitant, caplog):
    client.force_login(habitant)
    with caplog.at_level(logging.INFO, logger="atelier.securite"):
        assert client.get(reverse("journal:journal")).status_code == 403
    assert (
        f"acces_refuse user={habitant.pk} ip=127.0.0.1 methode=GET chemin=/gestion/journal/"
        in caplog.text
    )


def test_check_deploy_is_clean_with_production_variables(tmp_path):
    env = {
        "PATH": os.environ.get("PATH", ""),
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(60),
        "ATELIER_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_ALLOWED_HOSTS": "atelier.example.gouv.fr",
        # Production infrastructure (nothing is contacted by the checks): without it, start-up
        # is refused, and with ATELIER_DEMO_SANS_INFRA=1 check --deploy warns (atelier.W00x).
        "DATABASE_URL": "postgres://atelier@127.0.0.1:5432/atelier",
        "REDIS_URL": "redis://127.0.0.1:6379/6",
        "EMAIL_HOST": "smtp.example.gouv.fr",
        "ATELIER_SITE_URL": "https://atelier.example.gouv.fr",
    }
    result = subprocess.run(
        [sys.executable, "manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )
    output = result.stdout + result.stderr
    assert result.returncode == 0, output
    assert "WARNING" not in output and "?: (" not in output, output
    assert "no issues" in output
