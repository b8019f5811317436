"""Deployment headers: a spoofed X-Forwarded-For is ignored without a trusted proxy (it
would defeat every per-IP limit), a Permissions-Policy on every response, and styles
without 'unsafe-inline'."""

import logging
import re

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def _echecs(client, count: int, *, spoof: bool):
    response = None
    for i in range(count):
        headers = {"X-Forwarded-For": f"203.0.113.{i + 1}"} if spoof else {}
        response = client.post(
            reverse("account_login"),
            {"login": f"inconnu{i}@exemple.fr", "password": "faux"},
            headers=headers,
        )
    return response


def test_spoofed_forwarded_for_is_ignored_without_a_trusted_proxy(client, settings, caplog):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 0
    with caplog.at_level(logging.INFO, logger="atelier.securite"):
        response = _echecs(client, 11, spoof=True)
    # Ten failures a minute from one address, whatever address each request claimed.
    assert "Trop de tentatives" in response.content.decode()
    assert "ip=203.0.113." not in caplog.text and "ip=127.0.0.1" in caplog.text


def test_behind_one_trusted_proxy_the_forwarded_address_counts(client, settings, caplog):
    settings.ALLAUTH_TRUSTED_PROXY_COUNT = 1
    with caplog.at_level(logging.INFO, logger="atelier.securite"):
        response = _echecs(client, 11, spoof=True)
    assert "Trop de tentatives" not in response.content.decode()
    assert "ip=203.0.113.11" in caplog.text


@pytest.mark.parametrize("path", ["/", "/laureats/", "/verifier/", "/api/openapi.json", "/sante/"])
def test_permissions_policy_on_every_response(client, path):
    policy = client.get(path)["Permissions-Policy"]
    for feature in ("camera=()", "microphone=()", "geolocation=()", "payment=()"):
        assert feature in policy


def test_styles_without_unsafe_inline_and_no_style_attribute_in_public_pages(client):
    from tests.factories.public import laureat

    atelier = laureat(nom="Pays de Quintin")
    for path in ("/", "/laureats/carte/", atelier.territoire.get_absolute_url()):
        response = client.get(path)
        csp = response["Content-Security-Policy"]
        style_src = re.search(r"style-src[^;]*", csp).group(0)
        assert "'unsafe-inline'" not in style_src
        html = response.content.decode()
        assert not re.search(r"<[a-z][^>]*\sstyle=", html), path
        assert "<style" not in html
