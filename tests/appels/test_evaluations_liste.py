"""The back-office list's marks: each candidature's mean mark, opinions received and reviewers
(``appels.selectors.candidatures_gestion``, subqueries written once per process), as the
models say, whatever the list's filter, sort and reader."""

import csv
import io

import pytest
from django.db.models import Avg
from django.urls import reverse

from appels import selectors, services
from appels.models import AppelACandidatures, Candidature, NoteCritere
from tests.factories import UtilisateurFactory
from tests.factories.appels import appel_complet, candidature_en_etat

pytestmark = pytest.mark.django_db
S = Candidature.Statut


@pytest.fixture
def dossier(db):
    """Four candidatures under review: two marked by both reviewers, one by one of them, one
    by none; a fifth without any reviewer."""
    alice = UtilisateurFactory(email="alice@cerema.fr", first_name="Alice", last_name="Aubert")
    bruno = UtilisateurFactory(email="bruno@ddt.gouv.fr", first_name="Bruno", last_name="Blanc")
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    notes = {
        "Annecy": {alice: [5, 4], bruno: [3, 3]},
        "Brest": {alice: [1, 2], bruno: [2, 1]},
        "Colmar": {alice: [4, 4]},
        "Dax": {},
    }
    candidatures = {}
    for nom, par_rapporteur in notes.items():
        c = candidature_en_etat(S.EN_INSTRUCTION, appel=appel, territoire_nom=nom)
        c.rapporteurs.add(alice, bruno)
        criteres = list(appel.criteres.all())
        for rapporteur, marks in par_rapporteur.items():
            services.avis_donner(
                candidature=c,
                by=rapporteur,
                notes={cr.pk: n for cr, n in zip(criteres, marks, strict=True)},
                commentaire=f"Avis sur {nom}",
            )
        candidatures[nom] = c
    candidatures["Épinal"] = candidature_en_etat(S.DEPOSEE, appel=appel, territoire_nom="Épinal")
    return alice, bruno, candidatures


def _attendu(c):
    """What the models say of ``c``: the mean of every mark, the opinions, the reviewers."""
    moyenne = NoteCritere.objects.filter(avis__candidature=c).aggregate(m=Avg("note"))["m"]
    return (moyenne, c.avis.count(), c.rapporteurs.count())


def test_each_candidature_has_its_marks_for_every_reader_filter_and_sort(dgaln, dossier):
    alice, _bruno, candidatures = dossier
    attendus = {nom: _attendu(c) for nom, c in candidatures.items()}
    assert attendus["Annecy"] == (3.75, 2, 2) and attendus["Dax"] == (None, 0, 2)
    assert attendus["Épinal"] == (None, 0, 0)
    for user, noms in ((dgaln, set(attendus)), (alice, set(attendus) - {"Épinal"})):
        base = selectors.candidatures_gestion(user=user)
        for qs in (
            base,
            base.filter(statut=S.EN_INSTRUCTION),
            base.filter(rapporteurs=alice),  # a join on the reviewers beside the subqueries
            base.filter(appel__session__isnull=True).order_by("-nb_avis", "moyenne"),
            base.order_by("-moyenne"),
        ):
            lus = {c.territoire_nom: (c.moyenne, c.nb_avis, c.nb_rapporteurs) for c in qs}
            assert lus == {n: attendus[n] for n in lus}
            assert set(lus) <= noms
            assert qs.count() == len(lus)
        assert {c.territoire_nom for c in base} == noms
        moyennes = [c.moyenne for c in base.order_by("-moyenne", "pk") if c.moyenne is not None]
        assert moyennes == sorted(moyennes, reverse=True) and len(moyennes) == 3
        assert all(isinstance(m, float) for m in moyennes)


def test_the_list_shows_and_sorts_by_the_marks(client, dgaln, dossier):
    client.force_login(dgaln)
    url = reverse("appels:gestion_candidatures")
    html = client.get(url, {"tri": "-moyenne"}).content.decode()
    # Annecy 3.75, Colmar 4.00, Brest 1.50; then the unmarked.
    positions = [html.index(f">{nom}</a>") for nom in ("Colmar", "Annecy", "Brest")]
    assert positions == sorted(positions)
    assert "3,75" in html and "4,00" in html and "1,50" in html
    assert ">2 / 2</td>" in html and ">1 / 2</td>" in html and ">0 / 0</td>" in html
    filtre = client.get(url, {"statut": S.DEPOSEE}).content.decode()
    assert "1 candidature" in filtre and ">0 / 0</td>" in filtre and "Annecy" not in filtre
    par_avis = client.get(url, {"tri": "-avis", "rapporteur": dossier[0].pk}).content.decode()
    assert par_avis.index(">Brest</a>") < par_avis.index(">Colmar</a>") < par_avis.index(">Dax</a>")


def test_a_reviewer_sees_the_mean_mark_only_after_giving_an_opinion(client, dossier):
    _alice, bruno, candidatures = dossier
    candidatures["Épinal"].rapporteurs.add(bruno)  # a fixture: assigned, not yet marked
    client.force_login(bruno)
    export = client.get(reverse("appels:gestion_candidatures_csv")).content.decode("utf-8-sig")
    lignes = {r["Territoire"]: r for r in csv.DictReader(io.StringIO(export), delimiter=";")}
    assert lignes["Annecy"]["Note moyenne"] == "3,75" and lignes["Annecy"]["Avis reçus"] == "2 / 2"
    assert lignes["Colmar"]["Note moyenne"] == "" and lignes["Colmar"]["Avis reçus"] == "1 / 2"
    assert lignes["Épinal"]["Avis reçus"] == "0 / 1"


def test_each_row_names_its_own_reviewers_in_the_accounts_order(client, dgaln, dossier):
    """``selectors.rapporteurs_affiches``: one statement for the page's reviewers, in the order
    of a candidature's page (the accounts' ``Meta.ordering``, by address)."""
    candidatures = dossier[2]
    sans_nom = UtilisateurFactory(email="0-sans-nom@ddt.gouv.fr", first_name="", last_name="")
    candidatures["Colmar"].rapporteurs.add(sans_nom)
    candidatures["Dax"].rapporteurs.clear()
    client.force_login(dgaln)
    html = client.get(reverse("appels:gestion_candidatures")).content.decode()
    cellules = {}
    for ligne in html.split("<tr>")[2:]:
        nom = ligne.split('id="nom-')[1].split(">")[1].split("<")[0]
        cellules[nom] = ligne.split('data-label="Rapporteurs">')[1].split("</td>")[0]
    assert cellules == {
        "Annecy": "Alice Aubert, Bruno Blanc",
        "Brest": "Alice Aubert, Bruno Blanc",
        "Colmar": "0-sans-nom@ddt.gouv.fr, Alice Aubert, Bruno Blanc",
        "Dax": "",
        "Épinal": "",
    }
    page = list(selectors.candidatures_gestion(user=dgaln))
    selectors.rapporteurs_affiches(page)
    for c in page:
        assert [u.pk for u in c.rapporteurs_affiches] == [u.pk for u in c.rapporteurs.all()]
    selectors.rapporteurs_affiches([])
