"""Long lists of the workspace (issue 13): documents and participants come 50 a page, with
everything each row showed before (versions, roles, forms), the links to the other pages,
and counts of the whole atelier; the row links are the URLs Django would reverse."""

import re

import pytest
from django.template import Context, Template
from django.urls import reverse

from acteurs.models import Acteur, Participation, Role, Utilisateur
from ateliers import services
from tests import factories
from tests.factories.ateliers import document, documents, pdf

pytestmark = pytest.mark.django_db


def _rows(html: str, table_id: str) -> list[str]:
    body = html.split(f'id="{table_id}"', 1)[1].split("<tbody>", 1)[1].split("</tbody>", 1)[0]
    return re.findall(r"<tr>.*?</tr>", body, re.S)


def test_documents_come_fifty_a_page_with_the_link_to_the_next(client, atelier, pilote):
    documents(atelier, by=pilote, n=55)
    client.force_login(pilote)
    url = reverse("ateliers:documents", kwargs={"pk": atelier.pk})
    html = client.get(url).content.decode()
    assert len(_rows(html, "liste-documents")) == 50
    assert "55 documents, du plus récent au plus ancien\u00a0: 1 à 50." in html
    assert "?page=2" in html
    page2 = client.get(url, {"page": 2}).content.decode()
    assert len(_rows(page2, "liste-documents")) == 5
    # A page number that is not one is the first page, not an error.
    assert client.get(url, {"page": "²"}).status_code == 200


def test_a_document_shows_its_current_version_and_how_many_came_before(client, atelier, pilote):
    v1 = document(atelier, by=pilote, titre="Rapport d'étonnement")
    for nom in ("v2.pdf", "v3.pdf"):
        v = services.document_deposer(
            atelier=atelier, by=pilote, fichier=pdf(nom), titre="", categorie="", precedent=v1
        )
    client.force_login(pilote)
    html = client.get(reverse("ateliers:documents", kwargs={"pk": atelier.pk})).content.decode()
    rows = _rows(html, "liste-documents")
    assert len(rows) == 1
    assert "v3 (2 précédentes)" in rows[0]
    assert f'href="{reverse("ateliers:document", args=[atelier.pk, v.pk])}"' in rows[0]


def _people(atelier, role: str, n: int, prefix: str) -> None:
    users = Utilisateur.objects.bulk_create(
        Utilisateur(email=f"{prefix}{i}@exemple.fr", last_name=f"{prefix}{i:03d}", password="!")
        for i in range(n)
    )
    acteurs = Acteur.objects.bulk_create(
        Acteur(utilisateur=u, nom=u.last_name, email=u.email) for u in users
    )
    Participation.objects.bulk_create(
        Participation(acteur=a, atelier=atelier, role=role) for a in acteurs
    )


def test_participants_come_fifty_a_page_grouped_by_role_with_the_role_totals(
    client, atelier, pilote
):
    _people(atelier, Role.EQUIPE, 40, "equipe")
    _people(atelier, Role.TECHNICIEN, 30, "tech")
    client.force_login(pilote)
    url = reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk})
    html = client.get(url).content.decode()
    assert 'Participants <span class="fr-badge fr-badge--sm">71</span>' in html
    assert "1 à 50 sur 71." in html
    # The technicians' group goes on over the next page: its caption counts all of them.
    assert "Technicien·nes (30)" in html or "(30)</caption>" in html
    assert html.count('class="participant-role"') == 50
    page2 = client.get(url, {"page": 2}).content.decode()
    assert page2.count('class="participant-role"') == 21
    assert "tech029" in page2 and "tech029" not in html
    # Each row's forms post to the URLs of that participation.
    p = Participation.objects.get(acteur__nom="tech029")
    assert f'action="{reverse("ateliers:participation_role", args=[atelier.pk, p.pk])}"' in page2
    assert f'action="{reverse("ateliers:participation_retirer", args=[atelier.pk, p.pk])}"' in page2


def test_an_inhabitant_still_sees_only_themselves_and_how_many_others(client, atelier, pilote):
    _people(atelier, Role.HABITANT, 60, "hab")
    moi = factories.participant(atelier, Role.HABITANT, email="moi@exemple.fr")
    client.force_login(moi)
    html = client.get(
        reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk})
    ).content.decode()
    assert "hab001" not in html
    assert "vous</span>" in html
    assert "Et 60 autres habitant·es" in html
    assert "?page=2" not in html  # the pilote and this person: one page


def test_url_modele_gives_the_url_reverse_gives():
    html = Template(
        "{% load liens %}{% url_modele 'ateliers:document' 12 as modele %}"
        "{{ modele|lien:345 }} {{ modele|lien:6 }}"
    ).render(Context())
    assert html == (
        f"{reverse('ateliers:document', args=[12, 345])} {reverse('ateliers:document', args=[12, 6])}"
    )


def test_a_cached_url_model_follows_the_script_prefix():
    from django.urls import get_script_prefix, set_script_prefix

    from atelier.liens import url

    assert url("ateliers:document", 12, 345) == reverse("ateliers:document", args=[12, 345])
    ancien = get_script_prefix()
    set_script_prefix("/sous-dossier/")
    try:
        assert url("ateliers:document", 12, 345) == reverse("ateliers:document", args=[12, 345])
        assert url("ateliers:document", 12, 345).startswith("/sous-dossier/")
    finally:
        set_script_prefix(ancien)
    assert not url("ateliers:document", 12, 345).startswith("/sous-dossier/")
