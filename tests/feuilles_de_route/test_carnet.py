"""The carnet de suivi: a PDF rendered by the worker, versioned with its hash, publishable."""

import datetime as dt
import io

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone
from pypdf import PdfReader

from acteurs.models import Participation, Presence
from ateliers.models import EntreeJournal
from feuilles_de_route import services
from feuilles_de_route.models import CarnetDeSuivi
from tests import factories

pytestmark = pytest.mark.django_db


def _text(carnet) -> str:
    carnet.fichier.open("rb")
    content = carnet.fichier.read()
    carnet.fichier.close()
    return "\n".join(p.extract_text() for p in PdfReader(io.BytesIO(content)).pages)


def test_carnet_rendered_by_the_worker_with_the_course_logbook_and_proposals(
    atelier, feuille, pilote, habitant, elu, django_capture_on_commit_callbacks
):
    etape = factories.EtapeFactory(
        atelier=atelier,
        debut=timezone.now() - dt.timedelta(days=3),
        lieu="Salle des fêtes de Quintin",
        resume="Diagnostic partagé du centre-bourg",
        statut="realisee",
    )
    for user in (habitant, elu):
        Presence.objects.create(
            etape=etape, participation=Participation.objects.get(acteur__utilisateur=user)
        )
    EntreeJournal.objects.create(
        atelier=atelier, auteur=pilote, date=timezone.localdate(), texte="Visite des friches"
    )
    with django_capture_on_commit_callbacks(execute=True):
        carnet = services.carnet_request(atelier=atelier, by=pilote)
    carnet.refresh_from_db()
    assert carnet.statut == CarnetDeSuivi.Statut.PRET and len(carnet.empreinte) == 64
    text = _text(carnet)
    assert "Salle des fêtes de Quintin" in text and "Diagnostic partagé" in text
    assert "habitant·e : 1" in text and "élu·e : 1" in text
    assert "Visite des friches" in text
    assert "Action 1.1" in text  # the proposals: the roadmap draft


def test_regenerated_on_request_as_a_new_edition(
    atelier, feuille, pilote, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        premier = services.carnet_request(atelier=atelier, by=pilote)
    EntreeJournal.objects.create(
        atelier=atelier, auteur=pilote, date=timezone.localdate(), texte="Nouvelle entrée"
    )
    with django_capture_on_commit_callbacks(execute=True):
        second = services.carnet_request(atelier=atelier, by=pilote)
    premier.refresh_from_db()
    second.refresh_from_db()
    assert (premier.numero, second.numero) == (1, 2)
    assert premier.empreinte != second.empreinte
    assert "Nouvelle entrée" in _text(second) and "Nouvelle entrée" not in _text(premier)


def test_a_pending_edition_is_not_asked_twice(atelier, pilote):
    premier = services.carnet_request(atelier=atelier, by=pilote)  # not committed: pending
    assert services.carnet_request(atelier=atelier, by=pilote).pk == premier.pk


def test_only_pilote_generates_and_publishes(
    client, atelier, pilote, equipe, django_capture_on_commit_callbacks
):
    with pytest.raises(PermissionDenied):
        services.carnet_request(atelier=atelier, by=equipe)
    with django_capture_on_commit_callbacks(execute=True):
        carnet = services.carnet_request(atelier=atelier, by=pilote)
    carnet.refresh_from_db()
    services.carnet_publish(carnet=carnet, by=pilote)
    assert CarnetDeSuivi.objects.get(pk=carnet.pk).publie
    client.force_login(equipe)
    url = reverse("feuilles_de_route:carnet_telecharger", args=[atelier.pk, carnet.pk])
    assert client.get(url)["Content-Type"] == "application/pdf"
