"""ProConnect against a local fake provider: discovery, JWKS, token and signed userinfo.

The provider's HTTP endpoints are served by monkeypatching ``requests.Session.request``;
RSA keys are generated for each test.
"""

import json
import time
from urllib.parse import parse_qs, urlparse

import jwt
import pytest
import requests
from allauth.socialaccount.models import SocialAccount
from cryptography.hazmat.primitives.asymmetric import rsa
from django.urls import reverse

from acteurs.models import Utilisateur
from tests import factories

pytestmark = pytest.mark.django_db

SERVER = "https://fake-proconnect.test/api/v2"
CLIENT_ID = "atelier-client"


def _key():
    return rsa.generate_private_key(public_exponent=65537, key_size=2048)


class FakeProConnect:
    """Discovery, JWKS, token and userinfo endpoints of a ProConnect-like provider."""

    def __init__(self):
        self.key = _key()
        self.kid = "cle-test"
        self.userinfo_key = self.key  # a test may sign userinfo with another key
        self.nonce_override = None
        self.claims = {
            "sub": "agent-123",
            "email": "claire.martin@developpement-durable.gouv.fr",
            "given_name": "Claire",
            "usual_name": "Martin",
            "uid": "1234",
            "siret": "11000601200010",
            "idp_id": "idp-mte",
        }
        self.nonce = None
        self.calls = []

    def config(self):
        return {
            "issuer": SERVER,
            "authorization_endpoint": f"{SERVER}/authorize",
            "token_endpoint": f"{SERVER}/token",
            "userinfo_endpoint": f"{SERVER}/userinfo",
            "jwks_uri": f"{SERVER}/jwks",
            "end_session_endpoint": f"{SERVER}/session/end",
            "token_endpoint_auth_methods_supported": ["client_secret_post"],
        }

    def _sign(self, payload, key):
        return jwt.encode(payload, key, algorithm="RS256", headers={"kid": self.kid})

    def id_token(self):
        now = int(time.time())
        return self._sign(
            {
                "iss": SERVER,
                "aud": CLIENT_ID,
                "sub": self.claims["sub"],
                "iat": now,
                "exp": now + 60,
                "nonce": self.nonce_override or self.nonce,
                "acr": "eidas1",
            },
            self.key,
        )

    def userinfo(self):
        now = int(time.time())
        return self._sign(
            {"iss": SERVER, "aud": CLIENT_ID, "iat": now, "exp": now + 60, **self.claims},
            self.userinfo_key,
        )

    def __call__(self, session, method, url, **kwargs):
        self.calls.append((method, url))
        path = urlparse(url).path
        base = urlparse(SERVER).path
        if path == f"{base}/.well-known/openid-configuration":
            return _response(200, json.dumps(self.config()), "application/json")
        if path == f"{base}/jwks":
            jwk = json.loads(jwt.algorithms.RSAAlgorithm.to_jwk(self.key.public_key()))
            jwk.update({"kid": self.kid, "alg": "RS256", "use": "sig"})
            return _response(200, json.dumps({"keys": [jwk]}), "application/json")
        if path == f"{base}/token" and method.upper() == "POST":
            body = {
                "access_token": "jeton-acces",
                "token_type": "Bearer",
                "expires_in": 60,
                "id_token": self.id_token(),
            }
            return _response(200, json.dumps(body), "application/json")
        if path == f"{base}/userinfo":
            return _response(200, self.userinfo(), "application/jwt")
        return _response(404, "", "text/plain")


def _response(status, text, content_type):
    response = requests.Response()
    response.status_code = status
    response._content = text.encode()
    response.headers["Content-Type"] = content_type
    response.encoding = "utf-8"
    return response


@pytest.fixture
def fake(settings, monkeypatch):
    settings.PROCONNECT_ENABLED = True
    settings.SOCIALACCOUNT_PROVIDERS = {
        "proconnect": {
            "APPS": [
                {"client_id": CLIENT_ID, "secret": "secret", "settings": {"server_url": SERVER}}
            ],
            "OAUTH_PKCE_ENABLED": True,
        }
    }
    provider = FakeProConnect()
    monkeypatch.setattr(
        requests.Session,
        "request",
        lambda session, method, url, **kw: provider(session, method, url, **kw),
    )
    return provider


def _start(client, fake):
    response = client.post(reverse("proconnect_login"))
    assert response.status_code == 302
    url = urlparse(response.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{SERVER}/authorize"
    params = {k: v[0] for k, v in parse_qs(url.query).items()}
    fake.nonce = params["nonce"]
    return params


def _callback(client, state, code="code-autorisation"):
    return client.get(reverse("proconnect_callback"), {"code": code, "state": state})


def test_button_only_when_configured(client, fake, settings):
    assert "S'identifier avec ProConnect" in client.get(reverse("account_login")).content.decode()
    settings.PROCONNECT_ENABLED = False
    settings.SOCIALACCOUNT_PROVIDERS = {}
    assert "ProConnect" not in client.get(reverse("account_login")).content.decode()
    assert client.post(reverse("proconnect_login")).status_code == 404


def test_authorize_request_has_proconnect_scopes_nonce_and_state(client, fake):
    params = _start(client, fake)
    assert set(params["scope"].split()) == {
        "openid",
        "given_name",
        "usual_name",
        "email",
        "uid",
        "siret",
        "idp_id",
    }
    assert "profile" not in params["scope"]
    assert len(params["nonce"]) >= 32 and len(params["state"]) >= 32
    assert params["client_id"] == CLIENT_ID
    assert params["code_challenge_method"] == "S256"
    # The nonce is kept in the session, inside allauth's stashed state.
    states = client.session["socialaccount_states"]
    assert states[params["state"]][0]["nonce"] == params["nonce"]


def test_good_login_creates_a_verified_account(client, fake):
    params = _start(client, fake)
    response = _callback(client, params["state"])
    assert response.status_code == 302, response.content.decode()[:500]
    user = Utilisateur.objects.get(email="claire.martin@developpement-durable.gouv.fr")
    assert (user.first_name, user.last_name) == ("Claire", "Martin")
    assert not user.is_staff and not user.groups.exists()
    assert user.emailaddress_set.get().verified
    account = SocialAccount.objects.get(user=user)
    assert account.provider == "proconnect" and account.uid == "agent-123"
    assert client.get(reverse("acteurs:espace")).status_code == 200


def test_tampered_userinfo_jwt_is_refused(client, fake):
    fake.userinfo_key = _key()  # signed with a key that is not in the JWKS
    params = _start(client, fake)
    response = _callback(client, params["state"])
    assert response.status_code == 401
    assert not Utilisateur.objects.exists()


def test_tampered_id_token_is_refused(client, fake, monkeypatch):
    original = fake.id_token

    def altered():
        header, payload, signature = original().split(".")
        data = json.loads(jwt.utils.base64url_decode(payload))
        data["sub"] = "usurpateur"
        payload = jwt.utils.base64url_encode(json.dumps(data).encode()).decode()
        return f"{header}.{payload}.{signature}"

    monkeypatch.setattr(fake, "id_token", altered)
    params = _start(client, fake)
    assert _callback(client, params["state"]).status_code == 401
    assert not Utilisateur.objects.exists()


def test_wrong_nonce_is_refused(client, fake):
    fake.nonce_override = "n" * 43
    params = _start(client, fake)
    response = _callback(client, params["state"])
    assert response.status_code == 401
    assert not Utilisateur.objects.exists()


def test_replayed_callback_is_refused(client, fake):
    params = _start(client, fake)
    assert _callback(client, params["state"]).status_code == 302
    assert _callback(client, params["state"]).status_code == 401
    assert Utilisateur.objects.count() == 1


def test_existing_account_with_same_email_is_linked_not_duplicated(client, fake):
    existing = factories.UtilisateurFactory(email="claire.martin@developpement-durable.gouv.fr")
    params = _start(client, fake)
    assert _callback(client, params["state"]).status_code == 302
    assert Utilisateur.objects.count() == 1
    assert SocialAccount.objects.get(provider="proconnect").user == existing
    assert int(client.session["_auth_user_id"]) == existing.pk


def test_logout_goes_through_end_session_endpoint(client, fake):
    params = _start(client, fake)
    _callback(client, params["state"])
    response = client.post(reverse("account_logout"))
    assert response.status_code == 302
    url = urlparse(response.url)
    assert f"{url.scheme}://{url.netloc}{url.path}" == f"{SERVER}/session/end"
    query = {k: v[0] for k, v in parse_qs(url.query).items()}
    assert query["id_token_hint"].count(".") == 2
    assert query["post_logout_redirect_uri"] == "http://testserver/"
    assert len(query["state"]) >= 32
    assert client.get(reverse("acteurs:espace")).status_code == 302


def test_a_proconnect_login_with_a_state_service_siret_makes_a_state_agent(client, fake):
    from acteurs.models import AgentEtat, ServiceEtat
    from acteurs.permissions import is_agent_etat

    service = ServiceEtat.objects.get(code="ddt-35")
    ServiceEtat.objects.filter(pk=service.pk).update(siret=fake.claims["siret"])
    params = _start(client, fake)
    assert _callback(client, params["state"]).status_code == 302
    user = Utilisateur.objects.get(email="claire.martin@developpement-durable.gouv.fr")
    agent = AgentEtat.objects.get(utilisateur=user)
    assert agent.service == service and agent.source == AgentEtat.Source.PROCONNECT
    assert is_agent_etat(user)


def test_a_proconnect_login_with_another_siret_gives_no_state_role(client, fake):
    from acteurs.models import AgentEtat

    existing = factories.UtilisateurFactory(email="claire.martin@developpement-durable.gouv.fr")
    params = _start(client, fake)
    assert _callback(client, params["state"]).status_code == 302
    assert not AgentEtat.objects.filter(utilisateur=existing).exists()


def test_an_existing_account_signing_in_with_a_state_siret_becomes_an_agent(client, fake):
    from acteurs.models import AgentEtat, ServiceEtat

    ServiceEtat.objects.filter(code="ddt-35").update(siret=fake.claims["siret"])
    existing = factories.UtilisateurFactory(email="claire.martin@developpement-durable.gouv.fr")
    for _ in range(2):  # linked at the first login, known at the second
        params = _start(client, fake)
        assert _callback(client, params["state"]).status_code == 302
        client.logout()
    assert AgentEtat.objects.get(utilisateur=existing).service.code == "ddt-35"
