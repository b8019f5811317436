"""What an account closure owes stays owed until it is done (a re-render that fails is
recorded, journaled, tried again by the watchdog a bounded number of times, then shown to
DGALN on /gestion/), and the name also leaves the concertation's summary kept as JSON."""

import datetime as dt
import html as html_lib

import pytest
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from feuilles_de_route import rendering, services
from feuilles_de_route.documents import REGENERATIONS_MAX
from feuilles_de_route.models import (
    CarnetDeSuivi,
    Consultation,
    EmpreinteRemplacee,
    Rapport,
    RegenerationDue,
)
from feuilles_de_route.tasks import rapports_watchdog
from journal.models import Action, EvenementAudit
from tests.acteurs.cloture import atelier_public, close, pdftotext, published_report, verifier_page
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def _texte(rapport: Rapport) -> str:
    return pdftotext(rapport.fichier.read())


def _report_naming(atelier, pilote, elu) -> Rapport:
    """A published report on a roadmap the élu signed: it names them."""
    version = f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    f.publish(version)
    rapport = published_report(atelier, pilote)
    assert elu.get_full_name() in _texte(rapport)
    return rapport


class _Panne:
    """The report's renderer, failing its first ``fois`` calls (a rendering error, not a
    transient one)."""

    def __init__(self, monkeypatch, fois: int):
        self.fois, self.appels, self.rendu = fois, 0, rendering.render_rapport_pdf
        monkeypatch.setattr(rendering, "render_rapport_pdf", self)

    def __call__(self, rapport):
        self.appels += 1
        if self.appels <= self.fois:
            raise ValueError(f"gabarit illisible pour {rapport.atelier}")
        return self.rendu(rapport)


def _watchdog_later() -> int:
    """The beat's watchdog, once what is owed is due again (time has passed)."""
    RegenerationDue.objects.update(relance_le=timezone.now() - dt.timedelta(seconds=1))
    with TestCase.captureOnCommitCallbacks(execute=True):
        return rapports_watchdog.delay().get()


def test_a_re_render_that_fails_once_is_done_by_the_watchdog(
    client, monkeypatch, atelier, pilote, elu
):
    nom = elu.get_full_name()
    rapport = _report_naming(atelier, pilote, elu)
    ancien = rapport.empreinte
    panne = _Panne(monkeypatch, fois=1)

    close(client, elu)

    # The render failed: the old file (with the name) is still there, and that is recorded.
    rapport.refresh_from_db()
    assert rapport.empreinte == ancien and nom in _texte(rapport)
    due = RegenerationDue.objects.get(nature="rapport", document_id=rapport.pk)
    assert due.statut == RegenerationDue.Statut.EN_ATTENTE and due.tentatives == 1
    assert "ValueError" in due.erreur
    echec = EvenementAudit.objects.get(action=Action.DOCUMENT_REGENERATION_ECHOUEE)
    assert "tentative 1 sur" in echec.resume and nom not in echec.resume
    assert "gabarit" not in echec.resume + due.erreur  # an error's text may quote the data
    assert not EmpreinteRemplacee.objects.exists()

    # Not yet due: the watchdog leaves it. Due: it queues it again, and the render succeeds.
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert rapports_watchdog.delay().get() == 0
    assert _watchdog_later() == 1
    assert panne.appels == 2
    rapport.refresh_from_db()
    texte = _texte(rapport)
    assert nom not in texte and f"Compte clôturé n° {elu.pk}" in texte
    assert EmpreinteRemplacee.objects.get(empreinte=ancien).nouvelle_empreinte == rapport.empreinte
    assert "Document remplacé par une nouvelle version" in verifier_page(client, ancien)
    assert not RegenerationDue.objects.exists()
    assert EvenementAudit.objects.filter(action=Action.DOCUMENT_REGENERE).count() == 1


def test_a_re_render_that_always_fails_is_bounded_and_shown_to_dgaln(
    client, monkeypatch, atelier, pilote, elu, dgaln
):
    nom = elu.get_full_name()
    rapport = _report_naming(atelier, pilote, elu)
    ancien = rapport.empreinte
    panne = _Panne(monkeypatch, fois=10_000)

    close(client, elu)
    for _i in range(REGENERATIONS_MAX + 3):
        _watchdog_later()

    # Tried REGENERATIONS_MAX times, not one more; each failure journaled; then left failed.
    assert panne.appels == REGENERATIONS_MAX
    due = RegenerationDue.objects.get(nature="rapport", document_id=rapport.pk)
    assert due.statut == RegenerationDue.Statut.ECHEC and due.tentatives == REGENERATIONS_MAX
    echecs = EvenementAudit.objects.filter(action=Action.DOCUMENT_REGENERATION_ECHOUEE)
    assert echecs.count() == REGENERATIONS_MAX
    assert "abandonnée" in echecs.order_by("-quand", "-pk").first().resume
    rapport.refresh_from_db()
    assert rapport.empreinte == ancien

    # DGALN sees it on its dashboard, with the error, and may relaunch it.
    client.force_login(dgaln)
    page = html_lib.unescape(client.get(reverse("appels:gestion")).content.decode())
    assert "Documents à régénérer après une clôture de compte" in page
    assert str(rapport) in page and "(ValueError)" in page
    relancer = reverse(
        "feuilles_de_route:gestion_regeneration_relancer", kwargs={"regeneration_id": due.pk}
    )
    assert relancer in page

    # A pilote may not relaunch it; DGALN, once the cause is fixed, does.
    client.force_login(pilote)
    assert client.post(relancer).status_code == 403
    monkeypatch.setattr(rendering, "render_rapport_pdf", panne.rendu)
    client.force_login(dgaln)
    with TestCase.captureOnCommitCallbacks(execute=True):
        assert client.post(relancer).status_code == 302
    rapport.refresh_from_db()
    assert rapport.empreinte != ancien and nom not in _texte(rapport)
    assert not RegenerationDue.objects.exists()
    assert EvenementAudit.objects.filter(action=Action.DOCUMENT_REGENERATION_RELANCEE).exists()
    page = html_lib.unescape(client.get(reverse("appels:gestion")).content.decode())
    assert "Documents à régénérer" not in page
    # Nothing is owed any more: nothing to relaunch.
    assert client.post(relancer).status_code == 404


def test_the_name_leaves_the_concertation_summary(client, atelier, pilote, elu):
    """The summary kept at the concertation's close (JSON) quotes comments and answers: the
    name gives way to the pseudonym there too, as a whole word only (a non-ASCII name too,
    whatever JSON escapes it)."""
    elu.first_name = "Hélène"
    elu.save()
    nom = elu.get_full_name()
    version = f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    consultation = Consultation.objects.create(
        version=version,
        cloture_prevue=timezone.now(),
        statut=Consultation.Statut.CLOSE,
        synthese={
            "commentaires": 2,
            "reponses": [
                {"cible_titre": "Axe 1", "texte": f"Comme l'a dit {nom}.", "reponse": "Retenu."},
                {"cible_titre": "Axe 2", "texte": f"Voir {nom}ez.", "reponse": ""},
            ],
        },
    )
    autre = Consultation.objects.filter(pk=consultation.pk).values_list("synthese", flat=True)

    close(client, elu)

    pseudonyme = f"Compte clôturé n° {elu.pk}"
    synthese = autre.get()
    assert synthese["reponses"][0]["texte"] == f"Comme l'a dit {pseudonyme}."
    assert synthese["reponses"][1]["texte"] == f"Voir {nom}ez."  # another person's name
    assert synthese["commentaires"] == 2 and synthese["reponses"][0]["reponse"] == "Retenu."


def test_a_replaced_carnet_says_how_to_check_its_new_hash(client, atelier, pilote, elu):
    """A carnet is neither sealed nor on /verifier/: the page of its old hash gives the new
    one without a link that would answer « inconnue », and says how to check a copy."""
    atelier_public(atelier, pilote)
    with TestCase.captureOnCommitCallbacks(execute=True):
        carnet = services.carnet_request(atelier=atelier, by=pilote)
    carnet.refresh_from_db()
    services.carnet_publish(carnet=carnet, by=pilote)
    ancien = carnet.empreinte
    EmpreinteRemplacee.objects.create(
        nature="carnet",
        document_id=carnet.pk,
        empreinte=ancien,
        genere_le=carnet.genere_le,
        nouvelle_empreinte="b" * 64,
        motif=EmpreinteRemplacee.Motif.CLOTURE_COMPTE,
    )
    CarnetDeSuivi.objects.filter(pk=carnet.pk).update(empreinte="b" * 64)
    page = verifier_page(client, ancien)
    assert "Document remplacé par une nouvelle version" in page and "b" * 64 in page
    assert reverse("feuilles_de_route:verifier", kwargs={"empreinte": "b" * 64}) not in page
    assert "calculez l'empreinte SHA-256 de son fichier PDF" in page and "sha256sum" in page
