"""Funding as structured lines: funder from the list, amount, status; totals per action, axis
and roadmap; the warning when acquired + requested exceed the cost; the audit trail; the
carried-over lines; the dashboard, the public page and the report by funder and by status."""

import importlib
import io
from decimal import Decimal

import pytest
from django.apps import apps as django_apps
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from acteurs.models import Role
from atelier.errors import BusinessError
from feuilles_de_route import canonical, services
from feuilles_de_route.financements import totaux_feuille
from feuilles_de_route.models import Action, Financement, Rapport
from feuilles_de_route.rendering import rapport_context
from journal.models import Action as AuditAction
from journal.models import EvenementAudit
from tests import factories
from tests.factories import feuilles_de_route as f
from tests.factories.public import feuille_publiee, laureat
from tests.feuilles_de_route.test_editeur import lignes

pytestmark = pytest.mark.django_db


def url(name, atelier, **kw):
    return reverse(f"feuilles_de_route:{name}", kwargs={"pk": atelier.pk, **kw})


def _ligne(financeur, montant, statut, libelle=""):
    return {"financeur": financeur, "libelle": libelle, "montant": montant, "statut": statut}


def test_lines_are_audited_once_and_checked(atelier, pilote):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    action = Action.objects.get(axe__feuille=feuille)
    nouvelles = [_ligne("region", Decimal("1000"), "acquis"), _ligne("autre", 5, "demande", "Anah")]
    assert services.action_financements_set(action=action, by=pilote, lignes=nouvelles)
    assert not services.action_financements_set(action=action, by=pilote, lignes=nouvelles)
    (entree,) = EvenementAudit.objects.filter(action=AuditAction.FINANCEMENTS_MODIFIES)
    assert (
        "Région : 1000.00 € (Acquis)" in entree.resume
        and "Anah : 5.00 € (Demandé)" in entree.resume
    )
    with pytest.raises(BusinessError):
        services.action_financements_set(
            action=action, by=pilote, lignes=[_ligne("autre", 1, "acquis")]
        )
    observateur = factories.participant(atelier, Role.OBSERVATEUR, email="obs@exemple.fr")
    with pytest.raises(PermissionDenied):
        services.action_financements_set(action=action, by=observateur, lignes=[])
    assert action.financements.count() == 2


def test_formset_adds_changes_and_removes_lines_without_javascript(client, atelier, pilote):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    action = Action.objects.get(axe__feuille=feuille)
    (dsil,) = action.financements.all()
    client.force_login(pilote)
    page = client.get(url("action_modifier", atelier, action_id=action.pk)).content.decode()
    # The existing line and three spare rows, each field labelled.
    assert 'name="financements-TOTAL_FORMS" value="4"' in page
    assert '<label for="id_financements-3-montant" class="fr-label">' in page
    base = {"axe": action.axe_id, "titre": action.titre, "priorite": "haute"}
    r = client.post(
        url("action_modifier", atelier, action_id=action.pk),
        base
        | lignes(
            ("autre", "DSIL", "50000", "acquis", "supprimer"),
            ("europe", "FEDER", "12 500,50", "demande"),
            ("", "", "", "envisage"),  # a spare row left empty: ignored
            initial=1,
        ),
    )
    assert r.status_code == 302
    assert [(x.source, x.montant, x.statut) for x in action.financements.all()] == [
        ("Europe — FEDER", Decimal("12500.50"), "demande")
    ]
    assert not Financement.objects.filter(pk=dsil.pk).exists()


def test_totals_by_status_and_the_warning_on_the_editor_and_follow_up(client, atelier, elu):
    feuille = f.feuille_with_actions(atelier, axes=2, actions_per_axe=1)
    premiere, seconde = Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre")
    premiere.financements.all().delete()
    seconde.financements.all().delete()
    # Cost 125,000.50: 100,000 acquired + 30,000 requested exceed it; the planned line doesn't count.
    Financement.objects.bulk_create(
        [
            Financement(action=premiere, financeur="etat", montant=100_000, statut="acquis"),
            Financement(action=premiere, financeur="region", montant=30_000, statut="demande"),
            Financement(action=premiere, financeur="ademe", montant=90_000, statut="envisage"),
            Financement(action=seconde, financeur="commune", montant=10_000, statut="acquis"),
        ]
    )
    totaux = totaux_feuille(feuille.pk)
    assert totaux.actions[premiere.pk].depasse_cout and not totaux.actions[seconde.pk].depasse_cout
    assert totaux.axes[premiere.axe_id].ecart == Decimal("4999.50")
    assert (totaux.feuille.acquis, totaux.feuille.demande, totaux.feuille.envisage) == (
        Decimal(110_000), Decimal(30_000), Decimal(90_000)
    )  # fmt: skip
    client.force_login(elu)
    html = client.get(url("feuille", atelier)).content.decode()
    assert "dépassent le coût estimé (125\xa0000,50 €) de 4\xa0999,50 €" in html
    assert "axe : acquis 100\xa0000,00 €, demandés 30\xa0000,00 €, envisagés 90\xa0000,00 €" in html
    assert '<th scope="row">Acquis</th><td class="fr-cell--right">110\xa0000,00 €</td>' in html
    suivi = client.get(url("suivi", atelier)).content.decode()
    assert "Dépasse le coût de 4\xa0999,50 €" in suivi and "Envisagé : 90\xa0000,00 €" in suivi


def test_carried_over_lines_keep_their_text_and_the_versions_their_hash(atelier):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    action = Action.objects.get(axe__feuille=feuille)
    action.financements.all().delete()
    # The migration renamed « source » to « libelle », every line « autre » and « envisagé »;
    # then its data step qualifies the texts that are names of the list.
    for source in ("Région", "DSIL", "Agence de l'eau"):
        Financement.objects.create(action=action, financeur="autre", libelle=source, montant=10)
    migration = importlib.import_module("feuilles_de_route.migrations.0006_financement")
    migration.qualifier(django_apps, None)
    rows = list(Financement.objects.filter(action=action).order_by("pk"))
    assert [(r.financeur, r.libelle, r.statut) for r in rows] == [
        ("region", "", "envisage"),
        ("autre", "DSIL", "envisage"),
        ("agence_de_l_eau", "", "envisage"),
    ]
    # What a version frozen before the change recorded reads the same: same hash.
    assert [x["source"] for x in canonical.snapshot(feuille)["axes"][0]["actions"][0]["financements"]] == [
        "Région", "DSIL", "Agence de l'eau"
    ]  # fmt: skip


def test_public_page_and_report_by_funder_and_by_status(client):
    atelier = laureat(nom="Quintin")
    feuille = feuille_publiee(
        atelier,
        financements=[("Région", "12000", "acquis"), ("DSIL", "3000", "demande"), ("ADEME", "500")],
    )
    action = Action.objects.filter(axe__feuille=feuille).order_by("axe__ordre", "ordre").first()
    # After adoption the DSIL line is requalified as the State's and its amount changed: it
    # is not what was signed, so its signed amount shows with no status.
    Financement.objects.filter(action=action, libelle="DSIL").update(
        financeur="etat", montant=Decimal("3500")
    )
    html = client.get(reverse("public:detail", args=[atelier.territoire.slug])).content.decode()
    assert "Financements par statut" in html
    assert "Acquis : 12" in html and "Envisagé : 500" in html and "Statut non suivi : 3" in html
    contexte = rapport_context(Rapport(atelier=atelier, version=feuille.version_adoptee))
    assert ("Région", Decimal(12000)) in contexte["financeurs"]
    assert contexte["financements_statut"] == [
        ("Envisagé", Decimal(500)), ("Acquis", Decimal(12000)), ("Statut non suivi", Decimal(3000))
    ]  # fmt: skip


def test_dashboard_funding_by_funder_and_by_status_with_downloads(client, dgaln):
    from openpyxl import load_workbook

    atelier = laureat(nom="Lannion")
    feuille_publiee(
        atelier,
        financements=[
            ("Région", "12000", "acquis"),
            ("Région", "1000", "demande"),
            ("Anah", "700"),
        ],
    )
    client.force_login(dgaln)
    page = client.get(reverse("capitalisation:tableau_national"))
    tableaux = {t.cle: t for t in page.context["tableaux"]}
    table = tableaux["financements"]
    assert table.colonnes == [
        "Financeur", "Envisagé (€)", "Demandé (€)", "Acquis (€)", "Total (€)", "Actions financées"
    ]  # fmt: skip
    assert table.lignes[0] == ["Région", 0, Decimal(1000), Decimal(12000), Decimal(13000), 1]
    assert table.lignes[1][0] == "Anah" and table.lignes[1][1] == Decimal(700)
    assert dict(tableaux["financements_statut"].lignes)["Acquis"] == Decimal(12000)
    export = reverse("capitalisation:tableau_export", kwargs={"cle": "financements_statut", "extension": "xlsx"})  # fmt: skip
    sheet = load_workbook(io.BytesIO(client.get(export).content)).active
    assert [c.value for c in sheet[1]] == ["Statut", "Montant (€)"]


@pytest.mark.parametrize("montant", ["-5", "1e99999", "NaN", "12,5,3", "1000000000000000"])
def test_bad_amounts_are_refused_in_french_and_nothing_is_lost(client, atelier, pilote, montant):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    action = Action.objects.get(axe__feuille=feuille)
    client.force_login(pilote)
    r = client.post(
        url("action_modifier", atelier, action_id=action.pk),
        {"axe": action.axe_id, "titre": "Nouveau titre", "priorite": "haute"}
        | lignes(("region", "", montant, "acquis")),
    )
    assert r.status_code == 400 and 'aria-invalid="true"' in r.content.decode()
    assert "Nouveau titre" in r.content.decode()  # what was typed is still there
    action.refresh_from_db()
    assert action.titre != "Nouveau titre" and action.financements.count() == 1
