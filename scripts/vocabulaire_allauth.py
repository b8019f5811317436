"""One word per thing, allauth included: rewrite allauth's French messages with the platform's
words and write them to ``locale/fr/LC_MESSAGES/django.po`` and ``.mo`` (``LOCALE_PATHS``
wins over the apps' catalogues).

The field is an « adresse électronique » (the DSFR's label), the message a « courriel »;
allauth says « e-mail » and « email » for both. Run again after upgrading allauth::

    .venv/bin/python scripts/vocabulaire_allauth.py

tests/projet/test_une_voix.py checks that the .mo is the .po compiled and that no page of
the accounts says « e-mail ».
"""

import ast
import re
import struct
import sys
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
SORTIE = BASE_DIR / "locale" / "fr" / "LC_MESSAGES"

# (pattern, replacement), in order: the address first, then the message.
REMPLACEMENTS = [
    (
        r"\bNom d'utilisateur, email ou téléphone",
        "Nom d'utilisateur, adresse électronique ou téléphone",
    ),
    (r"\bNom d'utilisateur ou e-mail", "Nom d'utilisateur ou adresse électronique"),
    (r"\bEmail ou téléphone", "Adresse électronique ou téléphone"),
    (r"\b([Aa])dresses e-mail", r"\1dresses électroniques"),
    (r"\b([Aa])dresse e-mail", r"\1dresse électronique"),
    (r"^E-mail \((confirmation|facultatif)\)$", r"Adresse électronique (\1)"),
    (r"le même e-mail", "la même adresse électronique"),
    (r"^E-mail actuel$", "Adresse électronique actuelle"),
    (r"Changer d['’]e-mail", "Changer d'adresse électronique"),
    (r"Ajouter un e-mail", "Ajouter une adresse électronique"),
    (r"Votre e-mail a été confirmé\.", "Votre adresse électronique est confirmée."),
    (r"^E-mail (modifié|retiré)$", lambda m: f"Adresse électronique {m[1]}e"),
    (r"^E-mail$", "Adresse électronique"),
    (r"l['’]email (%\(email\)s)", r"l'adresse \1"),
    (r"\b[Cc]et e-?mail\b", "ce courriel"),
    (r"\bl['’]e-mail\b", "le courriel"),
    (r"\bun e-mail\b", "un courriel"),
    (r"\bpar e-mail\b", "par courriel"),
    (r"^E-mail de", "Courriel de"),
]
# Left alone: OAuth scopes typed by administrators (« openid, profile, email »).
_TECHNIQUE = re.compile(r"\(ENT(?:ER|RÉE)\)email")
_MOT = re.compile(r"(?i)\be-?mails?\b")
_VARIABLES = re.compile(r"%\(\w+\)s|\{\w+\}|mailto:[^\"]*")


def dit_email(texte: str) -> bool:
    """True when ``texte`` still says « e-mail » to a person (variables left aside)."""
    return bool(_MOT.search(_VARIABLES.sub("", texte))) and not _TECHNIQUE.search(texte)


def reecrire(texte: str) -> str:
    for motif, remplacement in REMPLACEMENTS:
        texte = re.sub(motif, remplacement, texte, flags=re.M)
    return texte


def _chaine(lignes: list[str]) -> str:
    return "".join(ast.literal_eval(ligne) for ligne in lignes)


def lire_po(texte: str) -> list[dict]:
    """The entries of a .po file: {"msgctxt"?, "msgid", "msgid_plural"?, "msgstr" | "msgstr[n]"}."""
    entrees = []
    for bloc in re.split(r"\n\s*\n", texte):
        entree, cle = {}, None
        for ligne in bloc.splitlines():
            if ligne.startswith("#") or not ligne.strip():
                continue
            if ligne.startswith('"'):
                entree[cle].append(ligne)
                continue
            cle, _espace, valeur = ligne.partition(" ")
            entree[cle] = [valeur]
        if "msgid" in entree:
            entrees.append({k: _chaine(v) for k, v in entree.items()})
    return entrees


def _po_chaine(valeur: str) -> str:
    morceaux = valeur.split("\n")
    echappe = [
        (m + ("\n" if i < len(morceaux) - 1 else ""))
        .replace("\\", "\\\\")
        .replace('"', '\\"')
        .replace("\n", "\\n")
        for i, m in enumerate(morceaux)
    ]
    echappe = [e for e in echappe if e]
    if len(echappe) <= 1:
        return f'"{echappe[0] if echappe else ""}"'
    return '""\n' + "\n".join(f'"{e}"' for e in echappe)


def ecrire_po(entrees: list[dict]) -> str:
    blocs = []
    for entree in entrees:
        blocs.append("\n".join(f"{k} {_po_chaine(v)}" for k, v in entree.items()))
    return "\n\n".join(blocs) + "\n"


def compiler(entrees: list[dict]) -> bytes:
    """The GNU .mo of ``entrees`` (what msgfmt writes, without the hash table)."""
    catalogue = {}
    for entree in entrees:
        cle = entree["msgid"]
        if "msgid_plural" in entree:
            cle += "\0" + entree["msgid_plural"]
            valeur = "\0".join(entree[k] for k in sorted(entree) if k.startswith("msgstr["))
        else:
            valeur = entree["msgstr"]
        if "msgctxt" in entree:
            cle = entree["msgctxt"] + "\x04" + cle
        catalogue[cle.encode()] = valeur.encode()
    cles = sorted(catalogue)
    n = len(cles)
    debut_cles = 7 * 4
    debut_valeurs = debut_cles + n * 8
    donnees = debut_valeurs + n * 8
    table_cles, table_valeurs, corps = [], [], b""
    for cle in cles:
        table_cles.append((len(cle), donnees + len(corps)))
        corps += cle + b"\0"
    for cle in cles:
        valeur = catalogue[cle]
        table_valeurs.append((len(valeur), donnees + len(corps)))
        corps += valeur + b"\0"
    entete = struct.pack("<7I", 0x950412DE, 0, n, debut_cles, debut_valeurs, 0, 0)
    tables = b"".join(struct.pack("<2I", *t) for t in table_cles + table_valeurs)
    return entete + tables + corps


def catalogue_allauth() -> Path:
    import allauth

    return Path(allauth.__file__).parent / "locale" / "fr" / "LC_MESSAGES" / "django.po"


def construire() -> list[dict]:
    entrees = lire_po(catalogue_allauth().read_text(encoding="utf-8"))
    entete = next(e for e in entrees if e["msgid"] == "")
    gardees = [{"msgid": "", "msgstr": entete["msgstr"]}]
    for entree in entrees[1:]:
        changee = dict(entree)
        for cle, valeur in entree.items():
            if cle.startswith("msgstr") and not _TECHNIQUE.search(valeur):
                changee[cle] = reecrire(valeur)
        if changee != entree:
            gardees.append(changee)
    return gardees


def main() -> int:
    entrees = construire()
    restes = [v for e in entrees for k, v in e.items() if k.startswith("msgstr") and dit_email(v)]
    if restes:
        print("Encore « e-mail » dans :", *restes, sep="\n  ", file=sys.stderr)
        return 1
    SORTIE.mkdir(parents=True, exist_ok=True)
    en_tete = (
        "# Les messages d'allauth avec les mots de la plateforme (adresse électronique,\n"
        "# courriel) : généré par scripts/vocabulaire_allauth.py, ne pas modifier à la main.\n"
    )
    (SORTIE / "django.po").write_text(en_tete + ecrire_po(entrees), encoding="utf-8")
    (SORTIE / "django.mo").write_bytes(compiler(entrees))
    print(f"{len(entrees) - 1} messages réécrits dans {SORTIE.relative_to(BASE_DIR)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
