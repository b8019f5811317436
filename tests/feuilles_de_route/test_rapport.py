"""The restitution report: generation by the Celery task, idempotence, failure and retry."""

import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from ateliers.models import Atelier
from ateliers.services import atelier_publier
from feuilles_de_route import services
from feuilles_de_route.models import Rapport, Signature
from feuilles_de_route.tasks import generate_rapport
from tests.factories.public import rapport_publie

pytestmark = pytest.mark.django_db


def _publier_atelier(atelier, pilote, publie=True):
    Atelier.objects.filter(pk=atelier.pk).update(statut=Atelier.Statut.EN_COURS)
    atelier.refresh_from_db()
    atelier_publier(atelier=atelier, by=pilote, publie=publie)


def pdf_text(content: bytes) -> str:
    reader = PdfReader(io.BytesIO(content))
    return "\n".join(page.extract_text() for page in reader.pages)


def test_report_contains_territory_actions_hashes(
    atelier, pilote, adoptee, tmp_path, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        rapport = services.rapport_request(atelier=atelier, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET
    content = rapport.fichier.read()
    (tmp_path / "r.pdf").write_bytes(content)
    text = pdf_text(content)
    flat = "".join(text.split())
    assert atelier.territoire.nom in text
    assert "Action 1.1" in text and "Action 2.2" in text
    assert adoptee.empreinte in flat
    for signature in Signature.objects.filter(version=adoptee):
        assert signature.sceau in flat and signature.sceau_signature in flat
    from atelier import signing

    assert signing.current_key().base64 in flat  # anyone can check the seals offline
    assert rapport.sceau_cle == signing.current_key().identifiant
    assert (
        signing.verify(
            nature="rapport",
            empreinte=rapport.empreinte,
            cle=rapport.sceau_cle,
            signature=rapport.sceau_signature,
            le=rapport.genere_le,
        )
        == ""
    )
    import hashlib

    assert rapport.empreinte == hashlib.sha256(content).hexdigest()
    assert rapport.taille == len(content)
    reader = PdfReader(io.BytesIO(content))
    assert len(reader.pages) >= 6
    assert "Page 2 / " in pdf_text(content)


def test_asking_twice_gives_one_report(
    atelier, pilote, adoptee, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        first = services.rapport_request(atelier=atelier, by=pilote)
        second = services.rapport_request(atelier=atelier, by=pilote)
    assert first.pk == second.pk
    assert Rapport.objects.count() == 1
    first.refresh_from_db()
    digest, name = first.empreinte, first.fichier.name
    generate_rapport.delay(first.pk)  # a duplicate delivery: nothing changes
    first.refresh_from_db()
    assert (first.empreinte, first.fichier.name, first.tentatives) == (digest, name, 1)


def test_report_needs_adopted_roadmap(atelier, pilote, feuille):
    from atelier.workflow import TransitionError

    with pytest.raises(TransitionError, match="adoptée"):
        services.rapport_request(atelier=atelier, by=pilote)


def test_worker_killed_mid_render_is_completed_by_next_delivery(atelier, pilote, adoptee):
    """A worker died after moving the report to en_cours: the redelivered task finishes it."""
    rapport = Rapport.objects.create(atelier=atelier, version=adoptee, demande_par=pilote)
    Rapport.objects.filter(pk=rapport.pk).update(statut=Rapport.Statut.EN_COURS, tentatives=1)
    generate_rapport.delay(rapport.pk)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET and rapport.tentatives == 2
    assert rapport.fichier.read().startswith(b"%PDF")


def test_failure_then_retry(
    atelier, pilote, adoptee, monkeypatch, django_capture_on_commit_callbacks
):
    def boom(html, **kwargs):
        raise RuntimeError("cassé")

    monkeypatch.setattr("feuilles_de_route.rendering.render_pdf", boom)
    with django_capture_on_commit_callbacks(execute=True):
        rapport = services.rapport_request(atelier=atelier, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.ECHEC and "RuntimeError" in rapport.erreur
    monkeypatch.undo()
    with django_capture_on_commit_callbacks(execute=True):
        services.rapport_retry(rapport=rapport, by=pilote)
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET and rapport.erreur == ""


def test_status_endpoint_download_publish(
    client, atelier, pilote, habitant, adoptee, django_capture_on_commit_callbacks
):
    client.force_login(pilote)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("feuilles_de_route:rapport_demander", kwargs={"pk": atelier.pk})
        )
    assert response.status_code == 302
    rapport = Rapport.objects.get()
    etat = client.get(
        reverse(
            "feuilles_de_route:rapport_etat", kwargs={"pk": atelier.pk, "rapport_id": rapport.pk}
        )
    )
    data = etat.json()
    assert data["statut"] == "pret" and data["termine"] and data["empreinte"] == rapport.empreinte
    pdf = client.get(data["telecharger"])
    assert pdf.status_code == 200 and b"".join(pdf.streaming_content).startswith(b"%PDF")
    public = reverse("feuilles_de_route:rapport_public", kwargs={"rapport_id": rapport.pk})
    client.logout()
    assert client.get(public).status_code == 404
    client.force_login(habitant)
    assert (
        client.post(
            reverse(
                "feuilles_de_route:rapport_publier",
                kwargs={"pk": atelier.pk, "rapport_id": rapport.pk},
            )
        ).status_code
        == 403
    )
    client.force_login(pilote)
    client.post(
        reverse(
            "feuilles_de_route:rapport_publier", kwargs={"pk": atelier.pk, "rapport_id": rapport.pk}
        )
    )
    client.logout()
    assert Rapport.objects.filter(publie=True).count() == 1
    # The atelier itself is not on the public site yet: neither is its report.
    assert client.get(public).status_code == 404
    _publier_atelier(atelier, pilote)
    assert client.get(public).status_code == 200
    verif = client.get(
        reverse("feuilles_de_route:verifier", kwargs={"empreinte": rapport.empreinte})
    )
    assert (
        verif.status_code == 200 and "Rapport de restitution authentique" in verif.content.decode()
    )


def test_unpublishing_the_atelier_withdraws_its_report_from_the_public(
    client, atelier, pilote, habitant
):
    """Report ids are sequential: a published report of an atelier withdrawn from the
    public site must not stay downloadable by guessing its address."""
    rapport = rapport_publie(atelier)
    public = reverse("feuilles_de_route:rapport_public", kwargs={"rapport_id": rapport.pk})
    _publier_atelier(atelier, pilote)
    assert client.get(public).status_code == 200
    territoire = client.get(atelier.territoire.get_absolute_url()).content.decode()
    assert public in territoire
    _publier_atelier(atelier, pilote, publie=False)
    rapport.refresh_from_db()
    assert rapport.publie  # the report itself stays published...
    assert client.get(public).status_code == 404  # ...but not to the public
    client.force_login(habitant)
    assert client.get(public).status_code == 404
    # Participants still get it from the workspace.
    espace = reverse(
        "feuilles_de_route:rapport_telecharger",
        kwargs={"pk": atelier.pk, "rapport_id": rapport.pk},
    )
    for user in (habitant, pilote):
        client.force_login(user)
        response = client.get(espace)
        assert response.status_code == 200
        assert b"".join(response.streaming_content).startswith(b"%PDF")


def test_feuille_page_shows_state_and_polling_script(client, atelier, pilote, adoptee):
    Rapport.objects.create(atelier=atelier, version=adoptee, demande_par=pilote)
    client.force_login(pilote)
    html = client.get(
        reverse("feuilles_de_route:feuille", kwargs={"pk": atelier.pk})
    ).content.decode()
    assert "En attente" in html and "data-rapport-etat" in html and "feuille_rapport.js" in html


def test_progress_says_plainly_when_no_worker_took_the_job(client, atelier, pilote, adoptee):
    import datetime as dt

    from django.utils import timezone

    rapport = Rapport.objects.create(atelier=atelier, version=adoptee, demande_par=pilote)
    url = reverse("feuilles_de_route:rapport_etat", args=[atelier.pk, rapport.pk])
    client.force_login(pilote)
    assert "aucun worker" not in client.get(url).json()["message"]
    Rapport.objects.filter(pk=rapport.pk).update(
        demande_le=timezone.now() - dt.timedelta(minutes=2, seconds=5)
    )
    message = client.get(url).json()["message"]
    assert "depuis 2 min 05 s" in message and "aucun worker" in message
    page = client.get(reverse("feuilles_de_route:feuille", args=[atelier.pk])).content.decode()
    assert "aucun worker n&#x27;a encore pris" in page
