"""The platform's Ed25519 key: it signs every seal, so that a seal proves it was made here.

A seal (the SHA-256 of a signature's canonical document, or of a report PDF) is only a
fingerprint: anyone with write access to the database could compute one for a forged row.
The platform therefore signs each seal with a private key kept **outside the database**
(``ATELIER_SIGNING_KEY`` or ``ATELIER_SIGNING_KEY_FILE``), and publishes the public keys
(``/verifier/cle-publique/``, every report PDF) so that anyone can check a seal offline
(``scripts/verifier_sceau.py``).

What is signed, documented here because anyone must be able to check it: the canonical JSON
(``feuilles_de_route.canonical.canonical_bytes``: UTF-8, sorted keys, no whitespace) of ::

    {"schema": "atelier-des-territoires/sceau/1", "nature": "signature" | "rapport",
     "empreinte": "<the seal, 64 lowercase hex>"}

A key is named by its *identifier*: the first 16 hex characters of the SHA-256 of its raw
32-byte public key. Key rotation: the current key signs; earlier public keys stay listed
(``ATELIER_SIGNING_PREVIOUS_KEYS``) with the dates they were valid, so old seals stay
verifiable and a seal dated outside its key's validity is refused.

This module is imported by the settings (to fail at start-up on a missing or malformed key):
it must not import Django models.
"""

import base64
import binascii
import datetime as dt
import hashlib
import json
from dataclasses import dataclass
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives import serialization
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey, Ed25519PublicKey
from django.core.exceptions import ImproperlyConfigured

SCHEMA = "atelier-des-territoires/sceau/1"
NATURES = ("signature", "rapport", "synthese")


@dataclass(frozen=True)
class PublicKey:
    identifiant: str
    raw: bytes  # the 32-byte Ed25519 public key
    valide_du: dt.date | None = None
    valide_au: dt.date | None = None
    courante: bool = False
    developpement: bool = False

    @property
    def base64(self) -> str:
        return base64.b64encode(self.raw).decode("ascii")

    @property
    def pem(self) -> str:
        return (
            Ed25519PublicKey.from_public_bytes(self.raw)
            .public_bytes(
                serialization.Encoding.PEM, serialization.PublicFormat.SubjectPublicKeyInfo
            )
            .decode("ascii")
            .strip()
        )

    def valid_on(self, day: dt.date) -> bool:
        return (self.valide_du is None or self.valide_du <= day) and (
            self.valide_au is None or day <= self.valide_au
        )

    def as_json(self) -> dict:
        return {
            "identifiant": self.identifiant,
            "algorithme": "Ed25519",
            "cle": self.base64,
            "valide_du": self.valide_du.isoformat() if self.valide_du else None,
            "valide_au": self.valide_au.isoformat() if self.valide_au else None,
            "courante": self.courante,
            "developpement": self.developpement,
        }


def key_id(raw_public: bytes) -> str:
    return hashlib.sha256(raw_public).hexdigest()[:16]


def message(nature: str, empreinte: str) -> bytes:
    """The exact bytes the platform signs for a seal (see the module docstring)."""
    if nature not in NATURES:
        raise ValueError(nature)
    return json.dumps(
        {"empreinte": empreinte, "nature": nature, "schema": SCHEMA},
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


# --- Reading the configuration (called from settings.py) ----------------------------------


def _b64(text: str) -> bytes:
    """Standard or URL-safe base64, padding optional; b"" when it is not base64."""
    text = text.strip().replace("-", "+").replace("_", "/")
    try:
        return base64.b64decode(text + "=" * (-len(text) % 4), validate=True)
    except (binascii.Error, ValueError):
        return b""


def _decode_private(text: str, origin: str) -> bytes:
    text = text.strip()
    if text.startswith("-----BEGIN"):
        try:
            key = serialization.load_pem_private_key(text.encode("ascii"), password=None)
        except (ValueError, TypeError) as exc:
            raise ImproperlyConfigured(f"{origin} : clé PEM illisible ({exc}).") from None
        if not isinstance(key, Ed25519PrivateKey):
            raise ImproperlyConfigured(f"{origin} : la clé doit être une clé Ed25519.")
        return key.private_bytes(
            serialization.Encoding.Raw,
            serialization.PrivateFormat.Raw,
            serialization.NoEncryption(),
        )
    raw = _b64(text)
    if len(raw) != 32:
        raise ImproperlyConfigured(
            f"{origin} : clé privée Ed25519 attendue, 32 octets en base64 ou un fichier PEM "
            "(pour en créer une : python scripts/verifier_sceau.py --nouvelle-cle)."
        )
    return raw


def read_private_key(*, value: str, file: str, debug: bool, secret_key: str) -> tuple[bytes, bool]:
    """The 32-byte private key and whether it is a development key.

    ``value`` (ATELIER_SIGNING_KEY) wins over ``file`` (ATELIER_SIGNING_KEY_FILE). In debug
    mode without either, a development key is derived from the Django secret key (stable
    from one ``make run`` to the next, and announced as such on /verifier/cle-publique/);
    without debug, a missing key stops the start-up.
    """
    if value.strip() and file.strip():
        raise ImproperlyConfigured(
            "ATELIER_SIGNING_KEY et ATELIER_SIGNING_KEY_FILE : n'en définir qu'une."
        )
    if value.strip():
        return _decode_private(value, "ATELIER_SIGNING_KEY"), False
    if file.strip():
        try:
            text = Path(file.strip()).read_text(encoding="ascii")
        except (OSError, UnicodeDecodeError) as exc:
            raise ImproperlyConfigured(
                f"ATELIER_SIGNING_KEY_FILE={file!r} : fichier illisible ({exc})."
            ) from None
        return _decode_private(text, "ATELIER_SIGNING_KEY_FILE"), False
    if not debug:
        raise ImproperlyConfigured(
            "ATELIER_SIGNING_KEY (ou ATELIER_SIGNING_KEY_FILE) est obligatoire quand "
            "DJANGO_DEBUG=0 : c'est la clé qui signe les sceaux des signatures et des rapports "
            "(pour en créer une : python scripts/verifier_sceau.py --nouvelle-cle)."
        )
    seed = hashlib.sha256(b"atelier-des-territoires/cle-de-developpement/" + secret_key.encode())
    return seed.digest(), True


def _date(text: str, origin: str) -> dt.date | None:
    if not text:
        return None
    try:
        return dt.date.fromisoformat(text)
    except ValueError:
        raise ImproperlyConfigured(f"{origin} : date AAAA-MM-JJ attendue, pas {text!r}.") from None


def parse_date(text: str, origin: str) -> dt.date | None:
    return _date(text.strip(), origin)


def parse_previous_keys(entries: list[str]) -> list[PublicKey]:
    """``<public key, base64>:<valid from>:<valid until>`` entries (dates AAAA-MM-JJ)."""
    keys = []
    for entry in entries:
        parts = entry.strip().split(":")
        origin = "ATELIER_SIGNING_PREVIOUS_KEYS"
        if len(parts) != 3:
            raise ImproperlyConfigured(
                f"{origin} : chaque entrée s'écrit <clé publique base64>:<du AAAA-MM-JJ>:"
                f"<au AAAA-MM-JJ>, pas {entry!r}."
            )
        raw = _b64(parts[0])
        if len(raw) != 32:
            raise ImproperlyConfigured(
                f"{origin} : {parts[0]!r} n'est pas une clé publique Ed25519 (32 octets en base64)."
            )
        du, au = _date(parts[1], origin), _date(parts[2], origin)
        if au is None:
            raise ImproperlyConfigured(f"{origin} : une ancienne clé a une date de fin.")
        keys.append(PublicKey(identifiant=key_id(raw), raw=raw, valide_du=du, valide_au=au))
    return keys


# --- Signing and checking (at run time) -----------------------------------------------------


def _settings():
    from django.conf import settings

    return settings


def _private_key() -> Ed25519PrivateKey:
    return Ed25519PrivateKey.from_private_bytes(_settings().ATELIER_SIGNING_KEY)


def current_key() -> PublicKey:
    settings = _settings()
    raw = (
        _private_key()
        .public_key()
        .public_bytes(serialization.Encoding.Raw, serialization.PublicFormat.Raw)
    )
    return PublicKey(
        identifiant=key_id(raw),
        raw=raw,
        valide_du=settings.ATELIER_SIGNING_KEY_SINCE,
        courante=True,
        developpement=settings.ATELIER_SIGNING_KEY_DEVELOPPEMENT,
    )


def public_keys() -> list[PublicKey]:
    """The current key first, then the earlier ones."""
    return [current_key(), *_settings().ATELIER_SIGNING_PREVIOUS_KEYS]


def sign(nature: str, empreinte: str) -> tuple[str, str]:
    """``(key identifier, base64 signature)`` of a seal, by the current key."""
    signature = _private_key().sign(message(nature, empreinte))
    return current_key().identifiant, base64.b64encode(signature).decode("ascii")


def verify(*, nature: str, empreinte: str, cle: str, signature: str, le: dt.datetime) -> str:
    """Why the platform signature of a seal does not hold, or "" when it does.

    ``le`` is when the seal was made: the key must have been valid that day.
    """
    if not signature:
        return "absente"
    key = next((k for k in public_keys() if k.identifiant == cle), None)
    if key is None:
        return "cle_inconnue"
    if not key.valid_on(le.astimezone(dt.UTC).date()):
        return "cle_hors_validite"
    try:
        Ed25519PublicKey.from_public_bytes(key.raw).verify(
            base64.b64decode(signature, validate=True), message(nature, empreinte)
        )
    except (InvalidSignature, binascii.Error, ValueError):
        return "invalide"
    return ""
