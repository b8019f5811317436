#!/usr/bin/env python3
"""Vérifie hors ligne une feuille de route signée, une signature ou un rapport d'Atelier.

Script autonome : bibliothèque standard et `cryptography` (``pip install cryptography``).
Il ne fait confiance qu'aux clés publiques qu'on lui donne, obtenues par un autre canal que
la preuve (page ``/verifier/cle-publique/`` de la plateforme, rapport PDF imprimé…).

    python scripts/verifier_sceau.py preuve.json --cles cle-publique.json [--pdf rapport.pdf]
    python scripts/verifier_sceau.py preuve.json --cle <clé publique base64> [--pdf rapport.pdf]
    python scripts/verifier_sceau.py --nouvelle-cle     # crée une clé privée (administrateurs)

``preuve.json`` se télécharge sur ``/verifier/<empreinte>/`` (« Télécharger la preuve »). Le
script recalcule l'empreinte du contenu de la version (JSON canonique : UTF-8, clés triées,
sans espace, caractères non ASCII tels quels), le sceau de chaque signature, l'empreinte du
PDF si on le donne, et vérifie la signature Ed25519 de la plateforme sur chaque sceau,
avec une clé valide à la date du sceau. Code de sortie 0 si tout est vérifié, 1 sinon.

Sceau au format 2 : il couvre un engagement salé sur l'identité (SHA-256 du JSON canonique
``{"nom", "sel"}``), pas le nom ; tant que le compte existe, le nom et le sel sont dans la
preuve et le script vérifie que le nom affiché est celui que couvre le sceau. Après la
clôture du compte, le nom est un pseudonyme et le sel est effacé : le sceau se recalcule
toujours. Sceau au format 1 (plus ancien, il couvrait le nom en clair) d'un compte clos : il
ne peut plus être recalculé, seule la signature de la plateforme est vérifiée.
"""

from __future__ import annotations

import argparse
import base64
import datetime as dt
import hashlib
import json
import os
import sys
from pathlib import Path

from cryptography.exceptions import InvalidSignature
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PublicKey

SCHEMA_SCEAU = "atelier-des-territoires/sceau/1"


def canonique(data) -> bytes:
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=False).encode()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def identifiant(brute: bytes) -> str:
    return sha256(brute)[:16]


def lire_cles(args) -> dict[str, dict]:
    """{identifiant: {"cle": bytes, "du": date|None, "au": date|None}}."""
    entrees = []
    if args.cles:
        entrees = json.loads(Path(args.cles).read_text(encoding="utf-8"))["cles"]
    for texte in args.cle or []:
        entrees.append({"cle": texte, "valide_du": None, "valide_au": None})
    cles = {}
    for entree in entrees:
        brute = base64.b64decode(entree["cle"], validate=True)
        cles[identifiant(brute)] = {
            "cle": brute,
            "du": dt.date.fromisoformat(entree["valide_du"]) if entree.get("valide_du") else None,
            "au": dt.date.fromisoformat(entree["valide_au"]) if entree.get("valide_au") else None,
        }
    return cles


def signature_plateforme(cles, nature: str, empreinte: str, cle: str, signature: str, le):
    """Message d'échec, ou "" si la signature de la plateforme est valide."""
    if not signature:
        return "aucune signature de la plateforme"
    if cle not in cles:
        return f"clé {cle or '?'} absente des clés publiques fournies"
    info = cles[cle]
    jour = dt.datetime.fromisoformat(le).astimezone(dt.UTC).date()
    if (info["du"] and jour < info["du"]) or (info["au"] and jour > info["au"]):
        return f"la clé {cle} n'était pas en service le {jour.isoformat()}"
    message = canonique({"schema": SCHEMA_SCEAU, "nature": nature, "empreinte": empreinte})
    try:
        Ed25519PublicKey.from_public_bytes(info["cle"]).verify(
            base64.b64decode(signature, validate=True), message
        )
    except (InvalidSignature, ValueError):
        return "signature invalide"
    return ""


def verifier(preuve: dict, cles: dict, pdf: bytes | None) -> list[tuple[bool, str]]:
    resultats: list[tuple[bool, str]] = []

    def noter(ok: bool, libelle: str, detail: str = "") -> None:
        resultats.append((ok, libelle + (f" — {detail}" if detail else "")))

    version = preuve.get("version")
    if version is not None:
        noter(
            sha256(canonique(version["contenu"])) == version["empreinte"],
            f"empreinte du contenu de la version {version['numero']} recalculée",
        )
        for s in version["signatures"]:
            doc = s["document"]
            nom = s.get("nom") or (doc or {}).get("nom", "?")
            if doc is None:
                # Format 1 (the seal covered the clear name), name since erased at the
                # closure of the account: only the platform's signature can be checked.
                noter(
                    True,
                    f"sceau de la signature de {nom} non recalculable",
                    "format 1, nom effacé à la clôture du compte",
                )
            else:
                noter(
                    doc["version"] == version["empreinte"],
                    f"la signature de {nom} porte sur cette version",
                )
                noter(
                    sha256(canonique(doc)) == s["sceau"],
                    f"sceau de la signature de {nom} recalculé",
                )
                if doc.get("identite") and s.get("sel"):
                    engagement = sha256(canonique({"nom": s["nom"], "sel": s["sel"]}))
                    noter(
                        engagement == doc["identite"],
                        f"le nom {nom} est celui que couvre le sceau",
                    )
                elif doc.get("identite"):
                    noter(
                        True,
                        f"identité de {nom} couverte par un engagement salé",
                        "compte clos, sel effacé",
                    )
            le = (doc or {}).get("signee_le") or s["signee_le"]
            echec = signature_plateforme(
                cles, "signature", s["sceau"], s["cle"], s["signature"], le
            )
            noter(not echec, f"sceau de {nom} signé par la plateforme", echec)
    remplacee = preuve.get("remplacee")
    if remplacee is not None and (preuve.get("rapport") or preuve.get("synthese")):
        # The file is gone (it named a person who closed their account): what is left to
        # check is the platform's signature of the old hash (a carnet's is not signed).
        noter(
            True,
            f"empreinte remplacée le {remplacee['remplacee_le'][:10]} par {remplacee['par']}",
            "une personne nommée a clos son compte ; l'ancien fichier est supprimé",
        )
    for nature, libelle in (("rapport", "du rapport"), ("synthese", "de la synthèse")):
        document = preuve.get(nature)
        if document is None:
            continue
        if pdf is not None:
            noter(sha256(pdf) == document["empreinte"], "empreinte du fichier PDF recalculée")
        echec = signature_plateforme(
            cles,
            nature,
            document["empreinte"],
            document["cle"],
            document["signature"],
            document["genere_le"],
        )
        noter(not echec, f"empreinte {libelle} signée par la plateforme", echec)
    if preuve.get("nature") == "signature":
        sceaux = [s["sceau"] for s in (version or {}).get("signatures", [])]
        noter(preuve.get("sceau") in sceaux, "la signature demandée figure dans la preuve")
    if not resultats:
        noter(False, "preuve vide")
    return resultats


def nouvelle_cle() -> int:
    from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    graine = os.urandom(32)
    publique = (
        Ed25519PrivateKey.from_private_bytes(graine)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    print(f"ATELIER_SIGNING_KEY={base64.b64encode(graine).decode()}")
    print(
        f"# clé publique : {base64.b64encode(publique).decode()} (identifiant {identifiant(publique)})"
    )
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "preuve", nargs="?", help="preuve.json téléchargée sur /verifier/<empreinte>/"
    )
    parser.add_argument("--cles", help="cle-publique.json (page /verifier/cle-publique/)")
    parser.add_argument("--cle", action="append", help="une clé publique Ed25519 en base64")
    parser.add_argument("--pdf", help="le fichier PDF du rapport, pour recalculer son empreinte")
    parser.add_argument(
        "--nouvelle-cle", action="store_true", help="crée une clé privée de signature"
    )
    args = parser.parse_args(argv)
    if args.nouvelle_cle:
        return nouvelle_cle()
    if not args.preuve or not (args.cles or args.cle):
        parser.error("indiquez la preuve et les clés publiques (--cles ou --cle)")
    preuve = json.loads(Path(args.preuve).read_text(encoding="utf-8"))
    pdf = Path(args.pdf).read_bytes() if args.pdf else None
    resultats = verifier(preuve, lire_cles(args), pdf)
    for ok, libelle in resultats:
        print(f"[{'OK' if ok else 'ÉCHEC'}] {libelle}")
    authentique = all(ok for ok, _ in resultats)
    print("AUTHENTIQUE" if authentique else "NON AUTHENTIQUE")
    return 0 if authentique else 1


if __name__ == "__main__":
    sys.exit(main())
