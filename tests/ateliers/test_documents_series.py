"""A document's publication belongs to its whole series of versions: withdrawing it
withdraws every version, and an older version is never public on its own."""

import pytest
from django.urls import reverse

from ateliers import services as s
from ateliers.models import Document
from tests.factories.ateliers import document, pdf

pytestmark = pytest.mark.django_db


@pytest.fixture
def serie(atelier, pilote):
    s.atelier_demarrer(atelier=atelier, by=pilote)
    s.atelier_publier(atelier=atelier, by=pilote, publie=True)
    v1 = document(atelier, by=pilote, titre="Diagnostic")
    s.document_publier(document=v1, by=pilote, publie=True)
    v2 = s.document_deposer(
        atelier=atelier, by=pilote, fichier=pdf("v2.pdf"), titre="", categorie="",
        precedent=v1,
    )  # fmt: skip
    v3 = s.document_deposer(
        atelier=atelier, by=pilote, fichier=pdf("v3.pdf"), titre="", categorie="",
        precedent=v2,
    )  # fmt: skip
    return atelier, [v1, v2, v3]


def _public(client, atelier, doc) -> int:
    """200 when a visitor not signed in downloads it, 302 (sent to sign in) when not public."""
    return client.get(
        reverse("ateliers:document_telecharger", args=[atelier.pk, doc.pk])
    ).status_code


def test_new_versions_of_a_published_document_are_published_with_it(client, serie):
    atelier, versions = serie
    assert [_public(client, atelier, v) for v in versions] == [200, 200, 200]


def test_withdrawing_the_current_version_withdraws_every_older_one(client, serie, pilote):
    atelier, versions = serie
    s.document_publier(document=versions[-1], by=pilote, publie=False)
    assert [_public(client, atelier, v) for v in versions] == [302, 302, 302]
    assert not Document.objects.filter(publie=True).exists()


def test_an_older_version_left_published_alone_is_not_public(client, serie):
    """Rows written before the series rule (only the current version withdrawn)."""
    atelier, versions = serie
    Document.objects.filter(pk=versions[-1].pk).update(publie=False)
    assert [_public(client, atelier, v) for v in versions] == [302, 302, 302]


def test_the_list_shows_each_series_once_at_its_current_version(client, serie, pilote):
    from ateliers import selectors as sel

    atelier, (v1, _v2, v3) = serie
    seul = document(atelier, by=pilote, titre="Note seule")
    w1 = document(atelier, by=pilote, titre="Plan")
    w2 = s.document_deposer(
        atelier=atelier, by=pilote, fichier=pdf("plan-2.pdf"), titre="", categorie="",
        precedent=w1,
    )  # fmt: skip
    courants = sel.documents(atelier)
    assert {d.pk: d.nb_anciennes for d in courants} == {v3.pk: 2, seul.pk: 0, w2.pk: 1}
    assert courants.count() == 3 and [d.pk for d in courants[1:]] == [d.pk for d in courants][1:]
    assert sel.documents(atelier).filter(pk=v1.pk).count() == 0  # an older version: not listed
    client.force_login(pilote)
    html = client.get(reverse("ateliers:documents", args=[atelier.pk])).content.decode()
    assert "3 (2 précédentes)" in html and "2 (1 précédente)" in html
