"""``{% pagination %}`` writes what django-dsfr's ``{% dsfr_pagination %}`` writes, its links to
no page marked as the DSFR does (``role="link" aria-disabled="true"``)."""

import re

import pytest
from django.core.paginator import Paginator
from django.template import Context, Template
from django.test import RequestFactory

from atelier.pagination import paginer


def _rendu(tag: str, page_obj, requete) -> str:
    charge = "dsfr_tags" if tag == "dsfr_pagination" else "pagination"
    html = Template(f"{{% load {charge} %}}{{% {tag} page_obj %}}").render(
        Context({"page_obj": page_obj, "request": requete})
    )
    # The same markup once the template's indentation is gone.
    html = re.sub(r"\s+", " ", html)
    return re.sub(r"\s*(<|>)\s*", r"\1", html).replace(" >", ">").strip()


@pytest.mark.parametrize("numero", ["1", "2", "5", "9", "10", "x"])
@pytest.mark.parametrize(
    "query", ["", "q=Pays+de+Caux&tri=-moyenne", "statut=deposee&q=%3Cb%3E%22'%26"]
)
def test_the_links_are_dsfr_s_with_the_filters_kept(numero, query):
    requete = RequestFactory().get(f"/gestion/candidatures/?{query}&page={numero}")
    page = paginer(requete, list(range(500)), par_page=50)
    attendu = re.sub(
        r'(<a class="fr-pagination__link fr-pagination__link--[^"]+")>',
        r'\1 role="link" aria-disabled="true">',
        _rendu("dsfr_pagination", page, requete),
    )
    assert _rendu("pagination", page, requete) == attendu
    assert attendu.count("<li>") > 6
    if query:
        assert "tri=-moyenne" in attendu or "statut=deposee" in attendu
    if numero in ("1", "x"):
        assert attendu.count('aria-disabled="true"') == 2


def test_without_numbered_links_the_page_and_the_count():
    requete = RequestFactory().get("/capitalisation/?page=2")
    page = Paginator(list(range(30)), 10).get_page(2)
    html = _rendu("pagination", page, requete)
    assert 'aria-current="page" title="Page 2 / 3" href="?page=2">2 / 3</a>' in html
    assert 'href="?page=1">Première page</a>' in html
    assert 'href="?page=3">Dernière page</a>' in html
