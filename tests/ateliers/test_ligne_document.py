"""An atelier's list of documents writes each row in Python (``{% ligne_document %}``): the
same markup as the template it replaced."""

import pytest
from django.template import Context, Template

from atelier.liens import modele
from ateliers import selectors
from tests import factories
from tests.factories.ateliers import document

pytestmark = pytest.mark.django_db

# The row as ateliers/documents.html wrote it before.
ANCIENNE_LIGNE = """{% load liens %}<tr>
        <th scope="row"><a href="{{ url_document|lien:doc.pk }}">{{ doc.titre }}</a>{% if doc.publie %} <span class="fr-badge fr-badge--sm fr-badge--green-emeraude">publié</span>{% endif %}</th>
        <td>{{ doc.get_categorie_display }}</td>
        <td>{{ doc.etape|default:"—" }}</td>
        <td>v{{ doc.version }}{% if doc.nb_anciennes %} ({{ doc.nb_anciennes }} précédente{{ doc.nb_anciennes|pluralize }}){% endif %}</td>
        <td>{{ doc.cree_le|date_fr }}{% if doc.depose_par %} par {{ doc.depose_par.get_full_name|default:doc.depose_par.email }}{% endif %}</td>
      </tr>"""

NOUVELLE_LIGNE = "{% load liste_documents %}{% ligne_document doc url_document %}"


def test_each_row_is_written_as_the_template_wrote_it(atelier, pilote):
    etape = factories.EtapeFactory(atelier=atelier, titre="Atelier « n°1 » d'ouverture")
    document(atelier, by=pilote, titre="Plan <guide> d'action", etape=etape)
    document(atelier, by=pilote, titre="Sans étape")
    docs = list(selectors.documents(atelier))
    docs[0].publie, docs[0].nb_anciennes = True, 2
    docs[1].nb_anciennes, docs[1].depose_par = 1, None
    url = modele("ateliers:document", atelier.pk)
    for doc in docs:
        ctx = Context({"doc": doc, "url_document": url})
        ancienne = Template(ANCIENNE_LIGNE).render(ctx)
        assert Template(NOUVELLE_LIGNE).render(ctx) == ancienne
    assert "publié" in Template(NOUVELLE_LIGNE).render(
        Context({"doc": docs[0], "url_document": url})
    )
