"""A frozen version stores dates and amounts as JSON text; people read them in French."""

from django.template.loader import render_to_string

from feuilles_de_route.templatetags.fdr_formats import date_fr, euros


def test_filters():
    assert date_fr("2029-03-06") == "6 mars 2029"
    assert date_fr("pas une date") == "pas une date"
    assert euros("1200000.00") == "1\xa0200\xa0000,00 €"
    assert euros("125000.5") == "125\xa0000,50 €"
    assert euros("n/a") == "n/a"


def test_version_content_shows_french_dates_and_amounts():
    contenu = {
        "feuille": {"titre": "Feuille"},
        "axes": [
            {
                "titre": "Axe",
                "actions": [
                    {
                        "titre": "Action",
                        "priorite": "haute",
                        "echeance": "2027-06-30",
                        "cout_estime": "125000.50",
                        "financements": [{"source": "Région", "montant": "40000.00"}],
                    }
                ],
            }
        ],
    }
    html = render_to_string("feuilles_de_route/includes/version_contenu.html", {"contenu": contenu})
    assert "Échéance : 30 juin 2027" in html
    assert "Coût estimé : 125\xa0000,50 €" in html
    assert "Région (40\xa0000,00 €)" in html
