"""Tests against a running production-like instance, started by ``.ci/production``.

``ATELIER_PRODUCTION_URL`` points at gunicorn (DEBUG off); ``ATELIER_PRODUCTION_ENV`` at the
file of variables that instance runs with (the backup drill and the S3 tests use its
database and bucket). Without them the tests are skipped; ``.ci/production`` sets
``ATELIER_REFUSE_SKIP=1`` so that a skip fails there.
"""

import base64
import hashlib
import hmac
import os
import struct
import time
from pathlib import Path

import pytest

from tests.e2e.conftest import CHROMIUM, CHROMIUM_ARGS

os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

DEMO_PASSWORD = "atelier-demo-2026"  # the README's public demo password
DEMO_TOTP_SECRET = "ATELIERDESTERRITOIRESDEMO2345672"  # idem


def totp_now(secret: str) -> str:
    """RFC 6238 code (SHA-1, 30 s, 6 digits), as an authenticator application computes it."""
    key = base64.b32decode(secret)
    counter = struct.pack(">Q", int(time.time()) // 30)
    digest = hmac.new(key, counter, hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


@pytest.fixture(scope="session")
def production_url() -> str:
    url = os.environ.get("ATELIER_PRODUCTION_URL", "").rstrip("/")
    if not url:
        pytest.skip("ATELIER_PRODUCTION_URL absente : lancez .ci/production")
    return url


@pytest.fixture(scope="session")
def production_env() -> dict[str, str]:
    """The variables the running instance was started with."""
    path = os.environ.get("ATELIER_PRODUCTION_ENV", "")
    if not path:
        pytest.skip("ATELIER_PRODUCTION_ENV absente : lancez .ci/production")
    values = {}
    for line in Path(path).read_text().splitlines():
        if line.strip() and not line.startswith("#"):
            name, _, value = line.partition("=")
            values[name] = value
    return values


@pytest.fixture(scope="session")
def browser(production_url):
    # Needs the instance first: without it the tests skip before a second Playwright starts
    # beside the one tests/e2e keeps for the session (two sync Playwrights cannot coexist).
    if not CHROMIUM or not os.path.exists(CHROMIUM):
        pytest.skip("Chromium introuvable : installez le paquet Debian « chromium ».")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        browser = playwright.chromium.launch(
            executable_path=CHROMIUM, headless=True, args=CHROMIUM_ARGS
        )
        yield browser
        browser.close()
