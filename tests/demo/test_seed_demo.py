"""``manage.py seed_demo``: idempotent, consistent, and it prints the demo accounts."""

import hashlib
import io
import json
import time

import pytest
from allauth.mfa.models import Authenticator
from django.apps import apps
from django.core import serializers
from django.core.management import call_command
from django.db import connection, transaction
from django.test.utils import override_settings
from django.urls import reverse
from django.utils import timezone

from acteurs.models import DGALN_GROUP, Participation, Role, Utilisateur
from appels.models import AppelACandidatures, Candidature
from ateliers.formats import Format
from ateliers.models import Atelier, Etape, Livrable
from demo.seed import COMPTES, DEMO_PASSWORD, DEMO_TOTP_SECRET
from feuilles_de_route import canonical
from feuilles_de_route.models import Action as FeuilleAction
from feuilles_de_route.models import FeuilleDeRoute, Rapport, Signature, StatutSuivi, Version
from feuilles_de_route.services import signature_sceau
from territoires.geo import parse_geojson, validate_point
from territoires.models import Territoire

pytestmark = pytest.mark.django_db


def _run() -> str:
    out = io.StringIO()
    # pytest-django runs with DEBUG=False, like production.
    call_command("seed_demo", production=True, stdout=out)
    return out.getvalue()


def _counts() -> dict[str, int]:
    return {m._meta.label: m._default_manager.count() for m in apps.get_models()}


def _dump() -> str:
    rows = []
    for model in apps.get_models():
        if model._meta.label in ("sessions.Session", "contenttypes.ContentType"):
            continue
        rows.append(serializers.serialize("json", model._default_manager.order_by("pk")))
    return "\n".join(rows)


@pytest.fixture(scope="module")
def demo_world(django_db_setup, django_db_blocker, tmp_path_factory):
    """The demo data set, built once for the module (these tests only read it).

    Built inside a transaction rolled back at the end of the module, so the other tests
    still start from the reference data only; each test's own transaction nests in it.
    """
    media = tmp_path_factory.mktemp("media")
    hashers = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    with (
        django_db_blocker.unblock(),
        override_settings(MEDIA_ROOT=media, PASSWORD_HASHERS=hashers),
        transaction.atomic(),
    ):
        # CPU time, not wall time: the machine may be busy with other work, and on SQLite
        # the database work happens in this process.
        start = time.process_time()
        first_output = _run()
        first_duration = time.process_time() - start
        counts, dump = _counts(), _dump()
        second_output = _run()
        yield {
            "outputs": (first_output, second_output),
            "duration": first_duration,
            "counts": (counts, _counts()),
            "dumps": (dump, _dump()),
            "media": media,
        }
        transaction.set_rollback(True)


def test_second_run_changes_nothing(demo_world):
    first, second = demo_world["counts"]
    assert first == second
    assert first["territoires.Territoire"] >= 40
    assert first["ateliers.Atelier"] >= 40
    assert demo_world["dumps"][0] == demo_world["dumps"][1], "a second run modified rows"


def test_it_prints_the_demo_accounts_password_totp_and_address(demo_world):
    for output in demo_world["outputs"]:
        for compte in COMPTES:
            assert compte.email in output
        assert DEMO_PASSWORD in output
        assert DEMO_TOTP_SECRET in output
        assert "http://" in output


def test_it_is_fast(demo_world):
    if connection.vendor != "sqlite":
        pytest.skip("budget mesuré sur SQLite (le premier lancement de make run)")
    assert demo_world["duration"] < 15


def test_territories_spread_over_regions_with_valid_geometry(demo_world):
    territoires = Territoire.objects.filter(est_demo=True)
    assert territoires.values("region").distinct().count() >= 15
    assert territoires.filter(perimetre__isnull=False).count() >= 3
    for territoire in territoires:
        validate_point(territoire.latitude, territoire.longitude)
        if territoire.perimetre:
            parse_geojson(territoire.perimetre)
        assert territoire.departements.exists()
        assert "démo" in territoire.description


def test_every_format_and_state_is_represented(demo_world):
    ateliers = Atelier.objects.filter(est_demo=True)
    assert {a.format for a in ateliers} == set(Format.values)
    assert {a.statut for a in ateliers} == set(Atelier.Statut.values)
    # Local and Flash are taken as they come: every state; the Multisite ones belong to the
    # 2021 and 2023 sessions, so they are over or in their follow-up.
    for fmt in (Format.LOCAL, Format.FLASH):
        assert {a.statut for a in ateliers if a.format == fmt} == set(Atelier.Statut.values)
    assert all("(démo)" in a.titre for a in ateliers)
    assert ateliers.filter(publie=True).count() > ateliers.count() / 2
    multisite_sessions = {
        a.session.titre for a in ateliers.filter(format=Format.MULTISITE).select_related("session")
    }
    assert multisite_sessions == {
        "Mieux aménager avec des sols vivants",
        "Aménagement, territoires productifs et création de valeurs",
    }


def test_selection_years_are_never_in_the_future(demo_world):
    # An atelier starting next month was selected this year, not in the year it starts.
    this_year = timezone.localdate().year
    years = list(Atelier.objects.filter(est_demo=True).values_list("annee", flat=True))
    assert years and max(years) <= this_year


def test_stages_follow_the_format_and_the_state(demo_world):
    now = timezone.now()
    for atelier in Atelier.objects.filter(est_demo=True).prefetch_related("etapes"):
        etapes = list(atelier.etapes.all())
        natures = {e.nature for e in etapes}
        if atelier.format == Format.FLASH:
            assert natures == {"lancement", "atelier_flash", "restitution"}
        else:
            assert {"lancement", "atelier_1", "atelier_2", "atelier_3", "restitution"} <= natures
        for etape in etapes:
            if etape.statut == Etape.Statut.REALISEE:
                assert etape.fin < now
                assert all(livrable.document_id for livrable in etape.livrables.all())
                assert etape.presences.exists()
        if atelier.statut == Atelier.Statut.EN_PREPARATION:
            assert all(e.statut == Etape.Statut.PREVUE for e in etapes)
        if atelier.statut in ("restitue", "en_mise_en_oeuvre", "clos"):
            assert atelier.date_fin and atelier.date_fin <= now.date()
            restitution = next(e for e in etapes if e.nature == "restitution")
            assert restitution.statut == Etape.Statut.REALISEE
        if atelier.statut == Atelier.Statut.EN_COURS:
            assert any(e.statut == Etape.Statut.REALISEE for e in etapes)
            assert any(e.statut == Etape.Statut.PREVUE for e in etapes)
    assert Livrable.objects.filter(document__isnull=True, etape__statut="prevue").exists()


def test_participants_cover_every_role_and_team_specialities(demo_world):
    roles = set(Participation.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    specialites = set(
        Participation.objects.filter(role=Role.EQUIPE).values_list("acteur__specialite", flat=True)
    )
    assert len(specialites) >= 4 and "" not in specialites


def test_signed_versions_hash_their_canonical_content(demo_world):
    adoptees = Version.objects.filter(statut=Version.Statut.ADOPTEE)
    assert adoptees.count() >= 10
    assert Version.objects.filter(statut=Version.Statut.EN_SIGNATURE).exists()
    assert Version.objects.filter(statut=Version.Statut.REMPLACEE).exists()
    for version in Version.objects.all():
        assert version.empreinte == canonical.empreinte(version.contenu)
        assert json.loads(canonical.canonical_bytes(version.contenu)) == version.contenu
        assert version.contenu["feuille"]["titre"] == version.feuille.titre
    now = timezone.now()
    for signature in Signature.objects.select_related("version"):
        assert signature.empreinte == signature.version.empreinte
        assert signature.signee_le < now
        # Signed as the platform allows: a vetted agent, an élu with a vouched mandate.
        assert signature.sceau == signature_sceau(signature)
        assert signature.capacite and signature.attestation
    assert not Version.objects.filter(adoptee_le__gt=now).exists()
    assert not FeuilleDeRoute.objects.filter(publiee_le__gt=now).exists()
    assert not Atelier.objects.filter(publie_le__gt=now).exists()
    for version in adoptees:
        assert {s.qualite for s in version.signatures.all()} == {"elu", "etat"}
        assert version.feuille.version_adoptee_id is not None
    assert FeuilleDeRoute.objects.filter(publiee=True).exists()
    assert FeuilleDeRoute.objects.filter(version_adoptee__isnull=True).exists()  # drafts


def test_calls_and_candidatures(demo_world):
    now = timezone.now()
    ami = AppelACandidatures.objects.get(slug="ami-session-nationale-demo")
    assert ami.statut == "publie" and ami.ouverture < now < ami.cloture
    assert ami.questions.count() and ami.pieces_requises.count() and ami.criteres.count()
    carte = AppelACandidatures.objects.get(nature="a_la_carte")
    assert carte.statut == "publie" and carte.cloture is None
    assert len(set(Candidature.objects.values_list("statut", flat=True))) >= 6
    retenue = Candidature.objects.get(statut="retenue")
    assert retenue.atelier.statut == Atelier.Statut.EN_PREPARATION


def test_demo_accounts_can_sign_in_and_have_mfa(demo_world, client):
    for compte in COMPTES:
        user = Utilisateur.objects.get(email=compte.email)
        assert user.check_password(DEMO_PASSWORD)
        assert user.emailaddress_set.get(email=compte.email).verified
    dgaln = Utilisateur.objects.get(email=COMPTES[0].email)
    assert dgaln.groups.filter(name=DGALN_GROUP).exists()
    from allauth.mfa.totp.internal.auth import TOTP, format_hotp_value, hotp_value

    for compte in COMPTES:
        authenticator = Authenticator.objects.filter(
            user__email=compte.email, type=Authenticator.Type.TOTP
        ).first()
        assert (authenticator is not None) == compte.totp
        if authenticator:
            code = format_hotp_value(hotp_value(DEMO_TOTP_SECRET, int(time.time()) // 30))
            assert TOTP(authenticator).validate_code(code)
    pilote = Utilisateur.objects.get(email="pilote@demo.atelier.gouv.fr")
    assert Participation.objects.filter(acteur__utilisateur=pilote, role=Role.PILOTE).count() == 4
    assert client.login(username="habitant@demo.atelier.gouv.fr", password=DEMO_PASSWORD)


def test_refused_in_production_without_the_flag(settings):
    from django.core.management.base import CommandError

    settings.DEBUG = False
    before = _counts()
    with pytest.raises(CommandError, match="--production"):
        call_command("seed_demo", stdout=io.StringIO())
    assert _counts() == before


def test_missing_reference_data_gives_a_clear_message(monkeypatch):
    from django.core.management.base import CommandError

    from demo import seed as demo

    monkeypatch.setattr(demo.data, "SESSION_SOLS", ("session-inexistante", 2021))
    with pytest.raises(CommandError, match="load_reference"):
        call_command("seed_demo", production=True, stdout=io.StringIO())


def test_a_rerun_later_in_the_month_adds_nothing(demo_world):
    import datetime as dt

    import time_machine

    today = timezone.localdate()
    other_day = today.replace(day=15 if today.day != 15 else 16)
    before = _counts()
    with time_machine.travel(dt.datetime.combine(other_day, dt.time(12)).astimezone(), tick=False):
        _run()
    assert _counts() == before


def test_demo_documents_are_real_pdfs_accepted_by_the_upload_check(demo_world, settings):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from pypdf import PdfReader

    from atelier.uploads import check_upload
    from ateliers.models import Document

    settings.MEDIA_ROOT = demo_world["media"]
    document = Document.objects.filter(atelier__est_demo=True).first()
    content = document.fichier.read()
    assert hashlib.sha256(content).hexdigest() == document.sha256
    assert len(content) == document.taille
    checked = check_upload(SimpleUploadedFile(document.nom_original, content))
    assert checked.mime == "application/pdf"
    assert checked.sha256 == document.sha256
    text = PdfReader(io.BytesIO(content)).pages[0].extract_text()
    assert "(démo)" in text


def test_no_demo_atelier_in_preparation_is_public(demo_world):
    """The demo follows the publication rule: an atelier is public only once started."""
    from ateliers.models import Atelier

    assert not Atelier.objects.filter(statut="en_preparation", publie=True).exists()
    assert Atelier.objects.filter(publie=True).exists()


def test_the_demo_pilote_and_dgaln_are_vetted_agents_and_the_quintin_roadmap_can_be_signed(
    demo_world,
):
    from acteurs.models import AgentEtat, Participation, Role
    from feuilles_de_route.services import signing_capacity

    pilote = AgentEtat.objects.get(utilisateur__email="pilote@demo.atelier.gouv.fr")
    assert pilote.service.code == "ddt-22" and pilote.est_actif
    assert AgentEtat.objects.get(utilisateur__email="dgaln@demo.atelier.gouv.fr").service.code == (
        "dgaln"
    )
    quintin = Version.objects.get(
        statut=Version.Statut.EN_SIGNATURE, feuille__atelier__territoire__nom="Quintin"
    )
    atelier = quintin.feuille.atelier
    for requis in quintin.signataires_requis.select_related("utilisateur"):
        capacite, attestation = signing_capacity(
            user=requis.utilisateur, atelier=atelier, qualite=requis.qualite
        )
        assert capacite and attestation
    elu = Participation.objects.get(
        atelier=atelier, acteur__utilisateur__email="elu@demo.atelier.gouv.fr"
    )
    assert elu.role == Role.ELU and elu.mandat == "Maire de Quintin"


def test_a_rerun_keeps_what_people_did_with_the_demo(demo_world, settings):
    settings.MEDIA_ROOT = demo_world["media"]
    """Signed to adoption, published, marked réalisée, renamed: seed_demo leaves it all."""
    now = timezone.now()
    feuille = FeuilleDeRoute.objects.get(atelier__territoire__nom="Quintin", atelier__est_demo=True)
    version = feuille.versions.get(statut=Version.Statut.EN_SIGNATURE)
    Version.objects.filter(pk=version.pk).update(statut=Version.Statut.ADOPTEE, adoptee_le=now)
    FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
        version_adoptee=version, publiee=True, publiee_le=now
    )
    brouillon = Atelier.objects.filter(est_demo=True, publie=False).first()
    Atelier.objects.filter(pk=brouillon.pk).update(publie=True, publie_le=now, titre="Renommé")
    action = FeuilleAction.objects.filter(axe__feuille__atelier__est_demo=True).first()
    FeuilleAction.objects.filter(pk=action.pk).update(
        statut_suivi=StatutSuivi.REALISEE, avancement=100, titre="Action reformulée"
    )
    etape = Etape.objects.filter(atelier__est_demo=True, statut=Etape.Statut.PREVUE).first()
    Etape.objects.filter(pk=etape.pk).update(statut=Etape.Statut.ANNULEE, motif_annulation="Pluie")
    Candidature.objects.filter(est_demo=True).update(resume="Réécrit par le porteur.")
    Utilisateur.objects.filter(email=COMPTES[0].email).update(first_name="Prénom choisi")
    before = _dump()

    _run()

    assert _dump() == before, "seed_demo changed rows people had touched"


def test_a_published_restitution_report_can_be_downloaded_from_a_territory_page(
    demo_world, client, settings
):
    settings.MEDIA_ROOT = demo_world["media"]
    rapport = Rapport.objects.filter(
        atelier__est_demo=True, publie=True, statut=Rapport.Statut.PRET
    ).first()
    assert rapport is not None
    with rapport.fichier.open("rb") as pdf:
        assert pdf.read(5) == b"%PDF-"
    assert rapport.empreinte == hashlib.sha256(rapport.fichier.open("rb").read()).hexdigest()

    page = client.get(
        reverse("public:detail", kwargs={"slug": rapport.atelier.territoire.slug})
    ).content.decode()
    lien = reverse("feuilles_de_route:rapport_public", kwargs={"rapport_id": rapport.pk})
    assert lien in page
    response = client.get(lien)
    assert response.status_code == 200
    assert b"".join(response.streaming_content).startswith(b"%PDF-")
