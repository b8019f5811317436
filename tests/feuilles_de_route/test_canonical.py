"""The canonical serialisation and its SHA-256 are stable across runs, key orders and databases."""

import hashlib
import json
import subprocess
import sys

import pytest

from feuilles_de_route import canonical
from feuilles_de_route.models import Version

DOC = {
    "schema": canonical.SCHEMA,
    "atelier": {"id": 1, "titre": "Atelier Quintin", "territoire": "Quintin", "format": "local"},
    "feuille": {"titre": "Feuille de route", "preambule": "Élan\r\ncommun "},
    "axes": [{"ref": 1, "titre": "Axe", "description": "", "actions": []}],
}


def test_serialisation_is_documented_form():
    data = canonical.canonical_bytes(DOC)
    assert data.startswith(b'{"atelier":{"format":"local","id":1,')
    assert "Élan\\ncommun".encode() in data  # NFC, \n line endings, trimmed, not \u-escaped
    assert b" " not in data.replace(b"Atelier Quintin", b"").replace(b"Feuille de route", b"")


def test_same_content_same_hash_whatever_the_key_order():
    reordered = json.loads(json.dumps(DOC, sort_keys=True))
    reordered = dict(reversed(list(reordered.items())))
    assert canonical.empreinte(reordered) == canonical.empreinte(DOC)


def test_unicode_normalisation_gives_same_hash():
    decomposed = json.loads(json.dumps(DOC))
    decomposed["feuille"]["preambule"] = "E\u0301lan\ncommun"
    assert canonical.empreinte(decomposed) == canonical.empreinte(DOC)


def test_hash_is_stable_across_processes():
    """A fresh interpreter computes the same hash: nothing depends on hash seeds or dict order."""
    code = (
        "import hashlib, json, unicodedata;"
        f"doc = json.loads({json.dumps(json.dumps(DOC))});"
        "from feuilles_de_route import canonical;"
        "print(canonical.empreinte(doc))"
    )
    out = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        env={"PYTHONHASHSEED": "123", "PATH": ""},
    )
    assert out.stdout.strip() == canonical.empreinte(DOC)
    expected = hashlib.sha256(canonical.canonical_bytes(DOC)).hexdigest()
    assert out.stdout.strip() == expected


def test_floats_are_refused():
    with pytest.raises(TypeError):
        canonical.canonical_bytes({"montant": 1.5})


@pytest.mark.django_db
def test_hash_survives_a_database_round_trip(feuille):
    """Stored in a JSONField (jsonb on PostgreSQL reorders keys), read back: same hash."""
    contenu = canonical.snapshot(feuille)
    version = Version.objects.create(
        feuille=feuille, numero=99, contenu=contenu, empreinte=canonical.empreinte(contenu)
    )
    version = Version.objects.get(pk=version.pk)
    assert canonical.empreinte(version.contenu) == version.empreinte
    assert canonical.snapshot(feuille) == version.contenu


@pytest.mark.django_db
def test_snapshot_has_every_action_field(feuille):
    action = canonical.snapshot(feuille)["axes"][0]["actions"][0]
    assert action["cout_estime"] == "125000.50"
    assert action["financements"] == [{"source": "DSIL", "montant": "50000.00"}]
    assert action["echeance"] == "2027-06-30"
    assert action["site"] == "Centre-bourg"
    assert action["porteur"].startswith("Commune de Quintin")
    assert action["partenaires"][0].startswith("Agence de l'eau")
    assert action["priorite"] == "haute"


@pytest.mark.django_db
def test_snapshot_strings_already_follow_the_rules(feuille):
    """The draft's fingerprint (the editor hashes its snapshot with ``normalise_deja``) is the
    one a frozen version gets: every string of the snapshot is already trimmed, NFC, with
    ``\\n`` line endings, whatever was typed; the hash is that of the normalised document."""
    from feuilles_de_route.models import Action, Axe, Financement

    sale = "  E\u0301lan\r\ncommun\r "
    action = Action.objects.filter(axe__feuille=feuille).order_by("pk").first()
    Axe.objects.filter(pk=action.axe_id).update(titre=sale, description=sale)
    Action.objects.filter(pk=action.pk).update(titre=sale, description=sale, indicateurs=sale)
    Financement.objects.filter(action=action).update(libelle=sale)
    action.porteur.nom = sale
    action.porteur.save()
    type(feuille).objects.filter(pk=feuille.pk).update(titre=sale, preambule=sale)
    feuille.refresh_from_db()
    contenu = canonical.snapshot(feuille)
    assert contenu == canonical.normalise(contenu)
    premiere = contenu["axes"][0]["actions"][0]
    assert premiere["titre"] == premiere["porteur"] == "Élan\ncommun"
    assert premiere["financements"][0]["source"] == "Élan\ncommun"
    assert contenu["feuille"] == {"titre": "Élan\ncommun", "preambule": "Élan\ncommun"}
    assert canonical.empreinte(contenu, normalise_deja=True) == canonical.empreinte(
        json.loads(json.dumps(contenu))
    )
