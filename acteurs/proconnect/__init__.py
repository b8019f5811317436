"""ProConnect, the State agents' OpenID Connect federation, as an allauth provider.

ProConnect differs from plain OpenID Connect (https://github.com/numerique-gouv/proconnect-documentation):

* scopes ``openid given_name usual_name email uid siret idp_id`` — no ``profile``;
* the userinfo endpoint answers a **signed JWT** (``application/jwt``), verified here
  against the provider's JWKS, issuer and audience like the ID token;
* a ``nonce`` of 32+ characters is sent, kept in the session (in allauth's stashed state)
  and compared with the ID token's; the ``state`` is 32+ characters too;
* there is no ``email_verified`` claim: the e-mail policy is in ``acteurs.adapter``;
* logout goes through the ``end_session_endpoint`` with ``id_token_hint``
  (``acteurs.adapter.AccountAdapter.get_logout_redirect_url``).

Configured only from the environment (``PROCONNECT_CLIENT_ID``, ``PROCONNECT_CLIENT_SECRET``,
``PROCONNECT_SERVER_URL``); without them the login URL answers 404 and no button shows.
"""
