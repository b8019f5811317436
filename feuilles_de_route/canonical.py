"""The canonical content of a roadmap version and its SHA-256.

What is signed is not a database row but a document: :func:`snapshot` turns the live axes
and actions into plain data, :func:`canonical_bytes` serialises it in one stable way, and
:func:`empreinte` is the SHA-256 (hex) of those bytes. The same content gives the same
hash on any machine, any database (SQLite, PostgreSQL ``jsonb`` reorders keys), any run.

The serialisation, documented here because anyone must be able to recompute it:

- JSON (RFC 8259) encoded in UTF-8, no BOM, no trailing newline;
- object keys sorted by code point (``sort_keys``), no insignificant whitespace
  (separators ``,`` and ``:``), non-ASCII characters written as themselves (not ``\\u`` escapes);
- every string normalised to Unicode NFC, line endings to ``\\n``, surrounding spaces trimmed;
- no floating-point numbers: amounts are strings with two decimals (``"12500.00"``), dates are
  ISO 8601 strings (``"2027-06-30"``), identifiers are integers, absent values are ``null``;
- lists keep the document order (axes, then actions by their order), except partner
  organisations which are sorted by name.

The document has the form::

    {"schema": "atelier-des-territoires/feuille-de-route/1",
     "atelier": {"id": 12, "titre": "...", "territoire": "...", "format": "local"},
     "feuille": {"titre": "...", "preambule": "..."},
     "axes": [{"ref": 3, "titre": "...", "description": "...",
               "actions": [{"ref": 8, "titre": "...", "description": "...",
                            "porteur": "..."|null, "partenaires": ["..."],
                            "echeance": "2027-06-30"|null, "cout_estime": "12500.00"|null,
                            "financements": [{"source": "...", "montant": "5000.00"}],
                            "indicateurs": "...", "site": "..."|null,
                            "priorite": "haute"}]}]}
"""

import hashlib
import json
import unicodedata
from decimal import Decimal
from typing import Any

SCHEMA = "atelier-des-territoires/feuille-de-route/1"

ACTION_FIELDS = [
    ("titre", "Titre"),
    ("description", "Description"),
    ("porteur", "Porteur"),
    ("partenaires", "Partenaires"),
    ("echeance", "Échéance"),
    ("cout_estime", "Coût estimé"),
    ("financements", "Financements"),
    ("indicateurs", "Indicateurs"),
    ("site", "Site démonstrateur"),
    ("priorite", "Priorité"),
]


def _text(value: Any) -> str:
    text = str(value or "")
    if text.isascii() and "\r" not in text:  # most text: NFC leaves ASCII as it is
        return text.strip()
    text = unicodedata.normalize("NFC", text)
    return text.replace("\r\n", "\n").replace("\r", "\n").strip()


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def normalise(data: Any) -> Any:
    """Apply the string rules recursively (used on data read back from the database too)."""
    if isinstance(data, dict):
        return {_text(k): normalise(v) for k, v in data.items()}
    if isinstance(data, list):
        return [normalise(v) for v in data]
    if isinstance(data, str):
        return _text(data)
    if isinstance(data, float):
        raise TypeError("Aucun nombre flottant dans le contenu canonique.")
    return data


def _leaf(value: Any) -> Any:
    """What :func:`normalise` makes of a value that is not a list or a dict."""
    return normalise(value) if not isinstance(value, str) else _text(value)


def snapshot(feuille, axes=None) -> dict[str, Any]:
    """The canonical document of the roadmap as it is now (the live draft). ``axes``: the
    roadmap's axes already loaded by ``selectors.axes_with_actions`` (the editor shows them and
    compares the draft with the last version: one load for both). Its strings already follow
    the rules: hash it with ``empreinte(..., normalise_deja=True)``.

    Each value is normalised (:func:`_leaf`) as it is put in, which gives what
    :func:`normalise` of the whole document would (the keys are ASCII constants, dates and
    amounts ASCII): the editor computes it on each view of a roadmap of 200 actions, and a
    second walk over the document was most of that time."""
    from .selectors import axes_with_actions

    atelier = feuille.atelier
    loaded = axes if axes is not None else axes_with_actions(feuille)
    axes = []
    for axe in loaded:
        actions = []
        for action in axe.actions.all():
            actions.append(
                {
                    "ref": action.pk,
                    "titre": _leaf(action.titre),
                    "description": _leaf(action.description),
                    "porteur": _leaf(action.porteur.nom) if action.porteur else None,
                    "partenaires": sorted(_text(o.nom) for o in action.liste_partenaires),
                    "echeance": action.echeance.isoformat() if action.echeance else None,
                    "cout_estime": _amount(action.cout_estime),
                    "financements": [
                        {"source": _leaf(f.source), "montant": _amount(f.montant)}
                        for f in action.liste_financements
                    ],
                    "indicateurs": _leaf(action.indicateurs),
                    "site": _leaf(action.site.nom) if action.site else None,
                    "priorite": _leaf(action.priorite),
                }
            )
        axes.append(
            {
                "ref": axe.pk,
                "titre": _leaf(axe.titre),
                "description": _leaf(axe.description),
                "actions": actions,
            }
        )
    return {
        "schema": SCHEMA,
        "atelier": {
            "id": atelier.pk,
            "titre": _leaf(atelier.titre),
            "territoire": _leaf(atelier.territoire.nom),
            "format": _leaf(atelier.format),
        },
        "feuille": {"titre": _leaf(feuille.titre), "preambule": _leaf(feuille.preambule)},
        "axes": axes,
    }


def canonical_bytes(data: Any, *, normalise_deja: bool = False) -> bytes:
    """The one serialisation of a document (see the module docstring). ``normalise_deja``:
    ``data`` comes from :func:`snapshot`, whose strings already follow the rules."""
    return json.dumps(
        data if normalise_deja else normalise(data),
        sort_keys=True,
        separators=(",", ":"),
        ensure_ascii=False,
    ).encode("utf-8")


def empreinte(data: Any, *, normalise_deja: bool = False) -> str:
    """SHA-256, lowercase hex, of the canonical serialisation of ``data`` (``normalise_deja``:
    see :func:`canonical_bytes`)."""
    return hashlib.sha256(canonical_bytes(data, normalise_deja=normalise_deja)).hexdigest()


def sha256_bytes(content: bytes) -> str:
    return hashlib.sha256(content).hexdigest()


def diff(ancien: dict[str, Any], nouveau: dict[str, Any]) -> dict[str, Any]:
    """A readable difference between two version documents, matched on action ``ref``.

    Returns ``{"ajoutees": [action], "supprimees": [action], "modifiees": [{"action",
    "changements": [(label, before, after)]}], "axes_ajoutes", "axes_supprimes",
    "axes_renommes"}``; actions carry their axis title under ``"axe"``.
    """

    def actions_of(doc):
        found = {}
        for axe in doc.get("axes", []):
            for action in axe.get("actions", []):
                found[action["ref"]] = {**action, "axe": axe["titre"]}
        return found

    def axes_of(doc):
        return {axe["ref"]: axe["titre"] for axe in doc.get("axes", [])}

    before, after = actions_of(ancien), actions_of(nouveau)
    modifiees = []
    for ref in after.keys() & before.keys():
        changes = [
            (label, _show(before[ref].get(key)), _show(after[ref].get(key)))
            for key, label in [*ACTION_FIELDS, ("axe", "Axe")]
            if before[ref].get(key) != after[ref].get(key)
        ]
        if changes:
            modifiees.append({"action": after[ref], "changements": changes})
    axes_avant, axes_apres = axes_of(ancien), axes_of(nouveau)
    order = list(after)
    return {
        "ajoutees": [after[r] for r in order if r not in before],
        "supprimees": [before[r] for r in before if r not in after],
        "modifiees": sorted(modifiees, key=lambda m: order.index(m["action"]["ref"])),
        "axes_ajoutes": [t for r, t in axes_apres.items() if r not in axes_avant],
        "axes_supprimes": [t for r, t in axes_avant.items() if r not in axes_apres],
        "axes_renommes": [
            (axes_avant[r], t)
            for r, t in axes_apres.items()
            if r in axes_avant and axes_avant[r] != t
        ],
        "preambule_modifie": ancien.get("feuille") != nouveau.get("feuille"),
    }


def _show(value: Any) -> str:
    if value is None or value == "" or value == []:
        return "—"
    if isinstance(value, list):
        if value and isinstance(value[0], dict):
            return " ; ".join(f"{v['source']} : {v['montant']} €" for v in value)
        return ", ".join(value)
    return str(value)
