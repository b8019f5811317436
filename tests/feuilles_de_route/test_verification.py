"""/verifier/: seals signed by the platform key, recomputed and checked, one named check each.

The attack these replay: someone with write access to the database inserts an "adopted"
version and its signatures with correctly computed (unkeyed) SHA-256 seals. It must show as
NOT genuine, because only the platform's private key, kept outside the database, can sign
a seal.
"""

import base64
import html as html_lib
import json
import subprocess
import sys
from pathlib import Path

import pytest
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey
from django.urls import reverse
from django.utils import timezone

from atelier import signing
from feuilles_de_route import canonical
from feuilles_de_route.models import Qualite, Signature, Version
from feuilles_de_route.services import signature_sceau
from tests import factories
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db

ROOT = Path(__file__).resolve().parents[2]
CLE_A = bytes(range(32))
CLE_B = bytes(range(1, 33))


def _public(seed: bytes) -> str:
    from cryptography.hazmat.primitives.serialization import Encoding, PublicFormat

    raw = (
        Ed25519PrivateKey.from_private_bytes(seed)
        .public_key()
        .public_bytes(Encoding.Raw, PublicFormat.Raw)
    )
    return base64.b64encode(raw).decode()


def _page(client, empreinte):
    response = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": empreinte}))
    return response.status_code, response.content.decode()


def _forged(feuille, *, sign_with: bytes | None = None) -> Version:
    """An adopted version and two signatures written straight into the database."""
    contenu = canonical.snapshot(feuille)
    version = Version.objects.create(
        feuille=feuille,
        numero=1,
        contenu=contenu,
        empreinte=canonical.empreinte(contenu),
        statut=Version.Statut.ADOPTEE,
        adoptee_le=timezone.now(),
    )
    for qualite, nom in [(Qualite.ELU, "Maire complice"), (Qualite.ETAT, "Faux préfet")]:
        signature = Signature(
            version=version,
            signataire=factories.UtilisateurFactory(),
            nom_signataire=nom,
            qualite=qualite,
            capacite="Préfet des Côtes-d'Armor",
            empreinte=version.empreinte,
            signee_le=timezone.now().replace(microsecond=0),
        )
        signature.sceau = signature_sceau(signature)
        if sign_with is not None:  # an attacker's own key
            raw = Ed25519PrivateKey.from_private_bytes(sign_with).sign(
                signing.message("signature", signature.sceau)
            )
            signature.sceau_signature = base64.b64encode(raw).decode()
            signature.sceau_cle = signing.key_id(base64.b64decode(_public(sign_with)))
        signature.save()
    f.publish(version)
    return version


def test_genuine_adopted_version_passes_every_check(client, adoptee):
    f.publish(adoptee)
    status, html = _page(client, adoptee.empreinte)
    assert status == 200 and "Version de feuille de route authentique" in html
    assert "échec</span>" not in html and html.count("vérifié</span>") == 10
    assert "Action 1.1" in html
    texte = html_lib.unescape(html)
    assert all(s.capacite and s.capacite in texte for s in adoptee.signatures.all())
    for signature in adoptee.signatures.all():
        assert len(signature.sceau_signature) == 88 and signature.sceau_cle
        status, html = _page(client, signature.sceau)
        assert status == 200 and "Signature authentique" in html


def test_row_inserted_in_the_database_with_a_correct_hash_is_not_genuine(client, feuille):
    version = _forged(feuille)
    status, html = _page(client, version.empreinte)
    assert status == 200 and "NON authentique" in html
    assert "aucune signature de la plateforme" in html
    assert "Version de feuille de route authentique" not in html
    sceau = version.signatures.first().sceau
    status, html = _page(client, sceau)
    assert "NON authentique" in html and "Signature authentique" not in html


def test_seal_signed_by_another_key_is_not_genuine(client, feuille):
    version = _forged(feuille, sign_with=CLE_B)
    _status, html = _page(client, version.empreinte)
    assert "NON authentique" in html and "clé que la plateforme ne publie pas" in html


def test_unpublished_hash_shows_nothing_but_that_it_is_known(client, adoptee):
    status, html = _page(client, adoptee.empreinte)
    assert status == 200 and "Empreinte connue, contenu non public" in html
    assert "Action 1.1" not in html
    assert not any(s.nom_signataire in html for s in adoptee.signatures.all())
    assert "authentique" not in html
    signature = adoptee.signatures.first()
    _status, html = _page(client, signature.sceau)
    assert "contenu non public" in html and signature.nom_signataire not in html
    preuve = reverse("feuilles_de_route:verifier_preuve", kwargs={"empreinte": adoptee.empreinte})
    assert client.get(preuve).status_code == 404


def test_rotation_old_seals_stay_verifiable_within_their_key_dates(client, settings, adoptee):
    f.publish(adoptee)
    ancienne = _public(settings.ATELIER_SIGNING_KEY)
    settings.ATELIER_SIGNING_KEY = CLE_B  # the new key signs from now on
    settings.ATELIER_SIGNING_PREVIOUS_KEYS = signing.parse_previous_keys(
        [f"{ancienne}:2020-01-01:2099-12-31"]
    )
    _status, html = _page(client, adoptee.empreinte)
    assert "Version de feuille de route authentique" in html
    assert ancienne in client.get(reverse("feuilles_de_route:cle_publique")).content.decode()
    # The old key retired before the signature was made: the seal is refused.
    settings.ATELIER_SIGNING_PREVIOUS_KEYS = signing.parse_previous_keys(
        [f"{ancienne}:2020-01-01:2020-12-31"]
    )
    _status, html = _page(client, adoptee.empreinte)
    assert "NON authentique" in html and "pas en service à cette date" in html
    # Forgotten entirely: unknown key.
    settings.ATELIER_SIGNING_PREVIOUS_KEYS = []
    _status, html = _page(client, adoptee.empreinte)
    assert "clé que la plateforme ne publie pas" in html


def test_public_keys_are_published(client, settings):
    settings.ATELIER_SIGNING_KEY = CLE_A
    html = client.get(reverse("feuilles_de_route:cle_publique")).content.decode()
    assert _public(CLE_A) in html and "BEGIN PUBLIC KEY" in html
    data = client.get(reverse("feuilles_de_route:cle_publique_json")).json()
    assert data["cles"][0]["cle"] == _public(CLE_A) and data["cles"][0]["courante"]


def _offline(tmp_path, client, empreinte, *, alter=None, pdf=None):
    preuve = client.get(
        reverse("feuilles_de_route:verifier_preuve", kwargs={"empreinte": empreinte})
    ).json()
    if alter:
        alter(preuve)
    (tmp_path / "preuve.json").write_text(json.dumps(preuve, ensure_ascii=False))
    (tmp_path / "cles.json").write_bytes(
        client.get(reverse("feuilles_de_route:cle_publique_json")).content
    )
    args = [str(tmp_path / "preuve.json"), "--cles", str(tmp_path / "cles.json")]
    if pdf is not None:
        (tmp_path / "rapport.pdf").write_bytes(pdf)
        args += ["--pdf", str(tmp_path / "rapport.pdf")]
    return subprocess.run(
        [sys.executable, str(ROOT / "scripts" / "verifier_sceau.py"), *args],
        capture_output=True,
        text=True,
        timeout=60,
    )


def test_offline_script_checks_a_published_version(tmp_path, client, adoptee):
    f.publish(adoptee)
    result = _offline(tmp_path, client, adoptee.empreinte)
    assert result.returncode == 0, result.stdout + result.stderr
    assert result.stdout.strip().endswith("AUTHENTIQUE") and "ÉCHEC" not in result.stdout

    def falsify(preuve):
        preuve["version"]["signatures"][0]["document"]["capacite"] = "Préfet"

    result = _offline(tmp_path, client, adoptee.empreinte, alter=falsify)
    assert result.returncode == 1 and "NON AUTHENTIQUE" in result.stdout


def test_offline_script_refuses_a_forged_version(tmp_path, client, feuille):
    version = _forged(feuille)
    result = _offline(tmp_path, client, version.empreinte)
    assert result.returncode == 1 and "aucune signature de la plateforme" in result.stdout


def test_offline_script_checks_a_report_and_its_pdf(tmp_path, client, atelier):
    from tests.factories.public import PDF, rapport_publie

    factories.Atelier.objects.filter(pk=atelier.pk).update(publie=True, publie_le=timezone.now())
    rapport = rapport_publie(atelier)
    _status, html = _page(client, rapport.empreinte)
    assert "Rapport de restitution authentique" in html
    assert _offline(tmp_path, client, rapport.empreinte, pdf=PDF).returncode == 0
    assert _offline(tmp_path, client, rapport.empreinte, pdf=PDF + b" ").returncode == 1


def _unsign_as_before(version):
    """Signatures as the platform wrote them before seals were signed: the guard trigger is
    lifted for this test's transaction only, then put back."""
    from importlib import import_module

    from django.db import connection

    garde = import_module("feuilles_de_route.migrations.0003_sceau_signature_ecrite_une_fois")
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = replica")
        else:
            cursor.execute(garde.SQLITE[0])
        Signature.objects.filter(version=version).update(sceau_signature="", sceau_cle="")
        if connection.vendor == "postgresql":
            cursor.execute("SET LOCAL session_replication_role = origin")
        else:
            cursor.execute(garde.SQLITE[1])


@pytest.fixture
def feuille_b():
    return f.feuille_with_actions(factories.AtelierFactory())


def test_existing_seals_recorded_by_the_platform_get_signed_forged_ones_do_not(
    client, adoptee, feuille_b
):
    from django.core.management import call_command

    f.publish(adoptee)
    _unsign_as_before(adoptee)
    forgee = _forged(feuille_b)
    assert "NON authentique" in _page(client, adoptee.empreinte)[1]
    call_command("seals_sign_existing")
    assert "Version de feuille de route authentique" in _page(client, adoptee.empreinte)[1]
    assert "NON authentique" in _page(client, forgee.empreinte)[1]
    # Once written, the platform signature of a seal never changes.
    from django.db import DatabaseError, transaction

    with pytest.raises(DatabaseError), transaction.atomic():
        Signature.objects.filter(version=adoptee).update(sceau_signature="x")


def test_integrity_check_reads_every_version_by_batches_and_finds_one_altered_in_the_last(
    feuille, monkeypatch, django_assert_num_queries
):
    """Without server-side cursors (settings), the check reads a table by primary-key batches:
    each row once, in order, and an altered row past the first batch is still found."""
    import functools

    from feuilles_de_route import selectors

    contenu = canonical.snapshot(feuille)
    versions = [
        Version.objects.create(
            feuille=feuille, numero=n, contenu=contenu, empreinte=canonical.empreinte(contenu)
        )
        for n in range(1, 6)
    ]
    with django_assert_num_queries(3):  # 2 + 2 + 1
        lus = list(selectors.par_lots(Version.objects.all(), taille=2))
    assert [v.pk for v in lus] == [v.pk for v in versions]
    with django_assert_num_queries(3):  # 2 + 2 + 0: a full last batch asks once more
        assert len(list(selectors.par_lots(Version.objects.exclude(pk=versions[0].pk), 2))) == 4

    f.tamper_version(versions[-1], {**contenu, "titre": "Réécrite"})
    monkeypatch.setattr(selectors, "par_lots", functools.partial(selectors.par_lots, taille=2))
    result = selectors.integrity_check()
    assert result["counts"]["versions"] == 5
    assert result["failures"] == [f"version {versions[-1].pk} : contenu altéré"]
