"""The DGALN national dashboard: figures, filters, downloads, constant query count."""

import io
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from ateliers.models import Atelier
from feuilles_de_route.models import Action, Indicateur, IndicateurAction, StatutSuivi
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db


def _monde(n: int, start: int = 0) -> list[Atelier]:
    indicateur = Indicateur.objects.create(
        nom="Logements rénovés", definition="x", unite="logements", cible_nationale=Decimal(100)
    )
    ateliers = []
    for i in range(start, start + n):
        atelier = laureat(
            nom=f"Territoire {i}",
            annee=2023 + i % 2,
            format="local" if i % 2 else "flash",
            statut=Atelier.Statut.RESTITUE if i % 2 else Atelier.Statut.EN_COURS,
            region="53" if i % 3 else "11",
            departements=("22",) if i % 3 else ("75",),
            theme="Revitalisation" if i % 2 else "Littoral",
        )
        feuille_publiee(atelier, axes=2, actions=2)
        action = Action.objects.filter(axe__feuille__atelier=atelier).first()
        Action.objects.filter(pk=action.pk).update(statut_suivi=StatutSuivi.REALISEE)
        IndicateurAction.objects.create(
            action=action, indicateur=indicateur, derniere_valeur=Decimal(10)
        )
        ateliers.append(atelier)
    return ateliers


def _figures(page) -> dict:
    return {t.cle: t for t in page.context["tableaux"]}


def test_dashboard_figures_and_filters(client, dgaln):
    _monde(4)
    client.force_login(dgaln)
    url = reverse("capitalisation:tableau_national")
    page = client.get(url)
    assert page.status_code == 200
    figures = _figures(page)
    etats = dict(figures["etats"].lignes)
    assert etats["Restitué"] == 2 and etats["En cours"] == 2
    actions = dict(figures["actions_statut"].lignes)
    assert actions["Réalisée"] == 4 and actions["À venir"] == 12
    assert figures["indicateurs"].lignes[0][3] == Decimal(40)  # 4 ateliers × 10
    assert figures["indicateurs"].lignes[0][6] == "40 %"
    html = page.content.decode()
    assert "<bar-chart" in html and "<pie-chart" in html and "données du graphique" in html
    # Filtered on format: only the two Local ateliers.
    figures = _figures(client.get(url, {"format": "local"}))
    assert sum(n for _label, n in figures["etats"].lignes) == 2
    # A bad filter is a 400 with a message, not a 500 and not the unfiltered figures.
    bad = client.get(url, {"annee": "deux-mille"})
    assert bad.status_code == 400 and "Filtres invalides" in bad.content.decode()


def test_csv_and_xlsx_downloads_follow_filters(client, dgaln):
    _monde(2)
    client.force_login(dgaln)
    csv = client.get(
        reverse("capitalisation:tableau_export", args=["etats", "csv"]), {"format": "local"}
    )
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "État;Ateliers" and "Restitué;1" in text
    xlsx = client.get(reverse("capitalisation:tableau_export", args=["etats", "xlsx"]))
    sheet = load_workbook(io.BytesIO(xlsx.content)).active
    rows = list(sheet.iter_rows(values_only=True))
    assert rows[0] == ("État", "Ateliers") and ("Restitué", 1) in rows
    assert any(str(r[0]).startswith("Source : ") for r in rows if r and r[0])
    assert client.get("/gestion/tableau-national/inconnu.csv").status_code == 404


def test_dashboard_query_count_does_not_grow(client, dgaln, django_assert_max_num_queries):
    _monde(2)
    client.force_login(dgaln)
    url = reverse("capitalisation:tableau_national")
    client.get(url)
    with django_assert_max_num_queries(30) as small:
        client.get(url)
    _monde(8, start=2)  # five times the ateliers, actions and values
    with django_assert_max_num_queries(len(small.captured_queries)):
        client.get(url)


def test_participants_by_role_every_role_in_order_zeros_included_filtered(client, dgaln):
    from acteurs.models import Role
    from tests import factories

    local, flash = _monde(2)  # _monde: odd ones Local, even ones Flash
    local, flash = (local, flash) if local.format == "local" else (flash, local)
    for _ in range(2):
        factories.participant(local, Role.ELU)
    factories.participant(flash, Role.HABITANT)
    client.force_login(dgaln)
    url = reverse("capitalisation:tableau_national")
    lignes = _figures(client.get(url))["participants"].lignes
    assert [label for label, _n in lignes] == [str(label) for _c, label in Role.choices]
    assert dict(lignes)[str(Role.ELU.label)] == 2
    assert dict(lignes)[str(Role.HABITANT.label)] == 1
    assert dict(lignes)[str(Role.OBSERVATEUR.label)] == 0
    lignes = _figures(client.get(url, {"format": "local"}))["participants"].lignes
    assert dict(lignes)[str(Role.ELU.label)] == 2
    assert dict(lignes)[str(Role.HABITANT.label)] == 0
