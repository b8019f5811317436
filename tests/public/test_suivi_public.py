"""The public territory page: follow-up of each published action, funding by funder, the
concertation's summary once the roadmap is adopted and published."""

import datetime as dt
from decimal import Decimal

import pytest
from django.urls import reverse
from django.utils import timezone

from feuilles_de_route.models import (
    Action,
    Consultation,
    Financement,
    PointSuivi,
    StatutSuivi,
)
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db


def test_public_page_shows_follow_up_funding_and_concertation(client):
    atelier = laureat(nom="Quintin")
    feuille = feuille_publiee(atelier, financements=[("Région", "12000"), ("ADEME", "3000")])
    action = Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre", "ordre").first()
    Action.objects.filter(pk=action.pk).update(statut_suivi=StatutSuivi.EN_COURS, avancement=40)
    PointSuivi.objects.create(
        action=action, date=dt.date(2026, 5, 4), etat="en_cours", commentaire="x", pourcentage=40
    )
    # Funding added to the draft after adoption is not what was signed: not shown.
    Financement.objects.create(action=action, financeur="europe", montant=Decimal("999"))
    Consultation.objects.create(
        version=feuille.version_adoptee,
        roles=["habitant"],
        cloture_prevue=timezone.now(),
        statut=Consultation.Statut.CLOSE,
        close_le=timezone.now(),
        synthese={
            "axes": [],
            "roles": [
                {"role": "habitant", "libelle": "Habitant·e", "commentaires": 3, "soutiens": 5}
            ],
            "commentaires": 3,
            "masques": 0,
            "soutiens": 5,
            "prises_en_compte": {},
            "reponses": [
                {
                    "cible_titre": "Action 1.1",
                    "role": "Habitant·e",
                    "texte": "Plus d'arbres",
                    "prise_en_compte": "Retenu",
                    "reponse": "Ajouté",
                }
            ],
        },
    )
    page = client.get(reverse("public:detail", args=[atelier.territoire.slug]))
    html = page.content.decode()
    assert "Suivi des actions" in html and 'value="40"' in html and "4 mai 2026" in html
    assert "Région : 12" in html and "ADEME : 3" in html and "Europe" not in html
    assert "3 commentaires, 5 soutiens" in html and "Plus d&#x27;arbres" in html
