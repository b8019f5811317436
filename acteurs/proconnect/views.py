"""ProConnect login and callback: signed userinfo, nonce check, discovery cached."""

from typing import Any

import requests
from allauth.socialaccount.adapter import get_adapter
from allauth.socialaccount.models import SocialApp, SocialToken
from allauth.socialaccount.providers.oauth2.client import OAuth2Error
from allauth.socialaccount.providers.oauth2.views import OAuth2CallbackView, OAuth2LoginView
from allauth.socialaccount.providers.openid_connect.views import OpenIDConnectOAuth2Adapter
from allauth.utils import build_absolute_uri
from django.core.cache import cache
from django.http import Http404, HttpRequest
from django.urls import reverse

from acteurs.adapter import jwtkit, login_not_required

DISCOVERY_CACHE_SECONDS = 3600


class ProConnectAdapter(OpenIDConnectOAuth2Adapter):
    expected_nonce: str | None = None

    def __init__(self, request: HttpRequest) -> None:
        super().__init__(request, "proconnect")

    @property
    def openid_config(self) -> dict:
        if not hasattr(self, "_openid_config"):
            url = self.get_provider().server_url
            key = f"proconnect:discovery:{url}"
            config = cache.get(key)
            if config is None:
                with get_adapter().get_requests_session() as session:
                    response = session.get(url, timeout=10)
                    response.raise_for_status()
                    config = response.json()
                cache.set(key, config, DISCOVERY_CACHE_SECONDS)
            self._openid_config = config
        return self._openid_config

    @property
    def basic_auth(self) -> bool:
        return False  # ProConnect expects client_secret_post

    def get_callback_url(self, request: HttpRequest, app) -> str:
        return build_absolute_uri(
            request, reverse("proconnect_callback"), self.redirect_uri_protocol
        )

    def complete_login(self, request: HttpRequest, app, token: SocialToken, **kwargs):
        response = kwargs["response"]
        id_token_str = response.get("id_token")
        if not id_token_str:
            raise OAuth2Error("ProConnect n'a pas renvoyé de jeton d'identité.")
        id_token = self._verify(id_token_str, app)
        nonce = id_token.get("nonce")
        if not self.expected_nonce or not nonce or nonce != self.expected_nonce:
            raise OAuth2Error("Le nonce du jeton d'identité ne correspond pas.")
        userinfo = self._signed_userinfo(token.token, app)
        if userinfo.get("sub") != id_token.get("sub"):
            raise OAuth2Error("Les informations d'identité ne concernent pas le même agent.")
        # Kept for the logout through ProConnect's end_session_endpoint (id_token_hint).
        from .provider import ID_TOKEN_SESSION_KEY

        request.session[ID_TOKEN_SESSION_KEY] = id_token_str
        data = {"id_token": id_token, "userinfo": userinfo}
        return self.get_provider().sociallogin_from_response(request, data)

    def _verify(self, credential: str, app) -> dict[str, Any]:
        try:
            return jwtkit.verify_and_decode(
                credential=credential,
                keys_url=self.openid_config["jwks_uri"],
                issuer=self.openid_config["issuer"],
                audience=app.client_id,
                lookup_kid=jwtkit.lookup_kid_jwk,
                verify_signature=True,
            )
        except (KeyError, ValueError, requests.RequestException) as exc:
            raise OAuth2Error("Jeton ProConnect illisible.") from exc

    def _signed_userinfo(self, access_token: str, app) -> dict[str, Any]:
        with get_adapter().get_requests_session() as session:
            response = session.get(
                self.profile_url,
                headers={"Authorization": f"Bearer {access_token}"},
                timeout=10,
            )
            response.raise_for_status()
        content_type = response.headers.get("Content-Type", "").split(";")[0].strip()
        if content_type != "application/jwt":
            raise OAuth2Error("ProConnect doit renvoyer des informations d'identité signées.")
        return self._verify(response.text.strip(), app)


class ProConnectCallbackView(OAuth2CallbackView):
    def _get_state(self, request: HttpRequest, provider):
        state, response = super()._get_state(request, provider)
        if state is not None:
            self.adapter.expected_nonce = state.get("nonce")
        return state, response


@login_not_required
def login(request: HttpRequest):
    try:
        return OAuth2LoginView.adapter_view(ProConnectAdapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None


@login_not_required
def callback(request: HttpRequest):
    try:
        return ProConnectCallbackView.adapter_view(ProConnectAdapter(request))(request)
    except SocialApp.DoesNotExist:
        raise Http404 from None
