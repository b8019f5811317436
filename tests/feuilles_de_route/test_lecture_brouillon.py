"""``selectors.axes_with_actions`` reads a roadmap's draft by four statements written once per
process (``_sql_brouillon``, over ``atelier.requetes.jointure``): the same axes, actions,
porteurs, sites, partners and funding lines, in the same order, as the ORM loads them, and no
further query when the editor, the totals or the fingerprint read them."""

import datetime as dt
from decimal import Decimal

import pytest
from django.db.models import Prefetch

from ateliers.models import SiteDemonstrateur
from feuilles_de_route import canonical, financements, selectors
from feuilles_de_route.models import Action, Axe, Financement, PointSuivi
from tests import factories

pytestmark = pytest.mark.django_db


def _champs(instance):
    return {f.attname: getattr(instance, f.attname) for f in instance._meta.concrete_fields}


def _as_orm(feuille):
    actions = Action.objects.select_related("porteur", "site").prefetch_related(
        Prefetch("partenaires", to_attr="orm_partenaires"),
        Prefetch("financements", queryset=Financement.objects.order_by("id"), to_attr="orm_lignes"),
    )
    axes = list(
        Axe.objects.filter(feuille=feuille)
        .order_by("ordre", "id")
        .prefetch_related(Prefetch("actions", queryset=actions.order_by("ordre", "id")))
    )
    for axe in axes:
        for action in axe.actions.all():
            action.liste_partenaires = sorted(action.orm_partenaires, key=lambda o: o.nom)
            action.liste_financements = action.orm_lignes
    return axes


@pytest.fixture
def feuille():
    feuille = factories.FeuilleDeRouteFactory()
    autre = factories.AxeFactory(feuille=factories.FeuilleDeRouteFactory())
    factories.ActionFactory(axe=autre)  # another roadmap's: never read
    premier = factories.AxeFactory(feuille=feuille, ordre=2, titre="Mobilités")
    factories.AxeFactory(feuille=feuille, ordre=3, titre="Vide")  # an axis with no action
    second = factories.AxeFactory(feuille=feuille, ordre=1, titre="Habiter")
    site = SiteDemonstrateur.objects.create(
        atelier=feuille.atelier,
        nom="Friche",
        geometrie={"type": "Point", "coordinates": [-2.8, 48.2]},
    )
    zebre, abeille = (
        factories.OrganisationFactory(nom="Zèbre"),
        factories.OrganisationFactory(nom="Abeille"),
    )
    riche = factories.ActionFactory(
        axe=premier,
        ordre=2,
        porteur=zebre,
        site=site,
        echeance=dt.date(2027, 6, 30),
        cout_estime=Decimal("120000.50"),
        priorite=Action.Priorite.HAUTE,
    )
    riche.partenaires.set([zebre, abeille])
    Financement.objects.create(action=riche, financeur="region", montant=Decimal("20000"))
    Financement.objects.create(
        action=riche, financeur="autre", libelle="DSIL", montant=Decimal("5000.25")
    )
    factories.ActionFactory(axe=premier, ordre=1, titre="Sans rien")
    factories.ActionFactory(axe=second, ordre=1)
    return feuille


def test_the_draft_is_the_orm_s_own_in_the_same_order(feuille, django_assert_num_queries):
    with django_assert_num_queries(4):
        axes = selectors.axes_with_actions(feuille)
    orm = _as_orm(feuille)
    feuille.atelier  # noqa: B018 (the fingerprint names it)
    with django_assert_num_queries(0):
        # What the editor, the totals and the fingerprint read: nothing more from the database.
        assert [a.titre for a in axes] == ["Habiter", "Mobilités", "Vide"]
        assert [[x.pk for x in a.actions.all()] for a in axes] == [
            [x.pk for x in a.actions.all()] for a in orm
        ]
        for lu, attendu in zip(axes, orm, strict=True):
            assert type(lu) is Axe and _champs(lu) == _champs(attendu)
            assert lu.feuille.atelier_id == feuille.atelier_id
            for action, reference in zip(lu.actions.all(), attendu.actions.all(), strict=True):
                assert _champs(action) == _champs(reference)
                assert action.axe is lu and action._state.adding is False
                for relation in ("porteur", "site"):
                    mien, sien = getattr(action, relation), getattr(reference, relation)
                    assert (mien and _champs(mien)) == (sien and _champs(sien))
                assert [_champs(o) for o in action.liste_partenaires] == [
                    _champs(o) for o in reference.liste_partenaires
                ]
                assert [_champs(f) for f in action.liste_financements] == [
                    _champs(f) for f in reference.liste_financements
                ]
        riche = axes[1].actions.all()[1]
        assert [o.nom for o in riche.liste_partenaires] == ["Abeille", "Zèbre"]
        assert riche.site.geometrie == {"type": "Point", "coordinates": [-2.8, 48.2]}
        assert riche.cout_estime == Decimal("120000.50") and riche.echeance == dt.date(2027, 6, 30)
        assert [f.montant for f in riche.liste_financements] == [
            Decimal("20000"),
            Decimal("5000.25"),
        ]
        assert financements.annoter(axes) == financements.annoter(orm)
        assert axes[1].totaux == orm[1].totaux and axes[1].totaux.cout is not None
        # The draft's document (and so its fingerprint) is the one of the roadmap the ORM read.
        assert canonical.snapshot(feuille, axes) == canonical.snapshot(feuille, orm)


def test_a_roadmap_without_axes_is_one_query(django_assert_num_queries):
    feuille = factories.FeuilleDeRouteFactory()
    with django_assert_num_queries(1):
        assert selectors.axes_with_actions(feuille) == []


def test_a_read_action_is_a_real_instance(feuille):
    action = selectors.axes_with_actions(feuille)[0].actions.all()[0]
    action.titre = "Renommée"
    action.save(update_fields=["titre"])
    assert Action.objects.get(pk=action.pk).titre == "Renommée"


def _point(action, jour, commentaire):
    return PointSuivi.objects.create(
        action=action, date=jour, etat="en_cours", commentaire=commentaire
    )


def test_the_follow_up_reads_what_its_page_shows_and_the_latest_point(
    feuille, django_assert_num_queries
):
    """``axes_for_follow_up``: the same axes and actions as the ORM in the same order, only
    the columns the page reads, the funding lines, and each action's latest point (by date,
    then by entry, then by id), with no further query for what the page reads."""
    orm = _as_orm(feuille)
    riche = orm[1].actions.all()[1]
    sans_rien = orm[1].actions.all()[0]
    _point(riche, dt.date(2027, 1, 10), "Ancien")
    premier_du_jour = _point(riche, dt.date(2027, 3, 1), "Saisi d'abord")
    dernier = _point(riche, dt.date(2027, 3, 1), "Saisi ensuite")  # same day, entered later
    _point(riche, dt.date(2026, 12, 1), "Plus ancien, saisi en dernier")
    PointSuivi.objects.filter(pk=premier_du_jour.pk).update(cree_le=dernier.cree_le)  # a tie
    autre = factories.ActionFactory(axe=factories.AxeFactory())  # another roadmap's action
    _point(autre, dt.date(2030, 1, 1), "Ailleurs")
    with django_assert_num_queries(4):
        axes = selectors.axes_for_follow_up(feuille)
    with django_assert_num_queries(0):
        assert [[x.pk for x in a.actions.all()] for a in axes] == [
            [x.pk for x in a.actions.all()] for a in orm
        ]
        for lu, attendu in zip(axes, orm, strict=True):
            assert (lu.pk, lu.titre) == (attendu.pk, attendu.titre)
            for action, reference in zip(lu.actions.all(), attendu.actions.all(), strict=True):
                for nom in ("titre", "porteur_id", "statut_suivi", "avancement", "cout_estime"):
                    assert getattr(action, nom) == getattr(reference, nom)
                assert (action.porteur and action.porteur.nom) == (
                    reference.porteur and reference.porteur.nom
                )
                assert [(f.statut, f.montant) for f in action.liste_financements] == [
                    (f.statut, f.montant) for f in reference.liste_financements
                ]
        lu_riche = axes[1].actions.all()[1]
        # Same day and same entry time: the highest id is the latest.
        assert lu_riche.dernier_point.pk == max(premier_du_jour.pk, dernier.pk)
        assert lu_riche.dernier_point.date == dt.date(2027, 3, 1)
        assert axes[1].actions.all()[0].pk == sans_rien.pk
        assert axes[1].actions.all()[0].dernier_point is None
        assert financements.annoter(axes) == financements.annoter(orm)
    # What the page does not read is deferred, as only() leaves it, and still readable.
    assert lu_riche.description == riche.description
    PointSuivi.objects.filter(pk=dernier.pk).update(date=dt.date(2027, 2, 1))
    assert selectors.axes_for_follow_up(feuille)[1].actions.all()[1].dernier_point.pk == (
        premier_du_jour.pk
    )
