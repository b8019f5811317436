"""The ProConnect provider: scopes, nonce and state, claims mapping."""

import secrets

from allauth.account.models import EmailAddress
from allauth.socialaccount.providers.openid_connect.provider import (
    OpenIDConnectProvider,
    OpenIDConnectProviderAccount,
)
from django.http import HttpRequest
from django.urls import reverse
from django.utils.http import urlencode

from .views import ProConnectAdapter

SCOPES = ["openid", "given_name", "usual_name", "email", "uid", "siret", "idp_id"]
ID_TOKEN_SESSION_KEY = "proconnect_id_token"  # noqa: S105 (a session key name)


def random_token() -> str:
    # 32 random bytes, URL-safe: 43 characters, above ProConnect's 32 minimum.
    return secrets.token_urlsafe(32)


class ProConnectAccount(OpenIDConnectProviderAccount):
    def to_str(self) -> str:
        data = self.get_user_data() or {}
        return data.get("email") or super().to_str()


class ProConnectProvider(OpenIDConnectProvider):
    id = "proconnect"
    name = "ProConnect"
    account_class = ProConnectAccount
    oauth2_adapter_class = ProConnectAdapter
    pkce_enabled_default = True

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self.name = "ProConnect"

    def get_login_url(self, request: HttpRequest, **kwargs) -> str:
        url = reverse("proconnect_login")
        return f"{url}?{urlencode(kwargs)}" if kwargs else url

    def get_callback_url(self) -> str:
        return reverse("proconnect_callback")

    def get_default_scope(self) -> list[str]:
        return list(SCOPES)

    def get_oauth2_adapter(self, request: HttpRequest) -> ProConnectAdapter:
        return ProConnectAdapter(request)

    def redirect(self, request: HttpRequest, process, next_url=None, data=None, **kwargs):
        nonce = random_token()
        auth_params = dict(kwargs.pop("auth_params", None) or self.get_auth_params())
        auth_params["nonce"] = nonce
        # The nonce travels in allauth's state, which lives in the session.
        return super().redirect(
            request,
            process,
            next_url,
            data,
            auth_params=auth_params,
            nonce=nonce,
            state_id=random_token(),
            **kwargs,
        )

    def extract_uid(self, data) -> str:
        return str(data["id_token"]["sub"])

    def extract_common_fields(self, data) -> dict:
        info = data.get("userinfo") or {}
        return {
            "email": (info.get("email") or "").strip().lower(),
            "first_name": info.get("given_name", ""),
            "last_name": info.get("usual_name", ""),
        }

    def extract_email_addresses(self, data) -> list[EmailAddress]:
        email = ((data.get("userinfo") or {}).get("email") or "").strip().lower()
        if not email:
            return []
        # No email_verified claim in ProConnect: addresses come from the public bodies'
        # identity providers and are trusted (see acteurs.adapter, "ProConnect e-mail policy").
        return [EmailAddress(email=email, verified=True, primary=True)]


provider_classes = [ProConnectProvider]
