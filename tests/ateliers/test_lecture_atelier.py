"""``get_atelier_for_user`` reads the atelier, what its pages show of it and the reader's role in
one statement written once per process (``ateliers.selectors._sql_atelier``, over
``atelier.requetes.jointure``): the same instances as ``select_related`` made, values converted
as the ORM converts them, and no further query when a page reads them."""

import datetime as dt

import pytest
from django.http import Http404

from acteurs.models import Role
from ateliers import selectors
from ateliers.models import Atelier
from tests import factories

pytestmark = pytest.mark.django_db

PERIMETRE = {"type": "Polygon", "coordinates": [[[-3, 48], [-2.5, 48], [-2.5, 48.5], [-3, 48]]]}


def _as_orm(pk):
    return Atelier.objects.select_related(*selectors.RELATIONS_DE_L_ATELIER).get(pk=pk)


def test_the_atelier_and_its_relations_are_the_orm_s_own(django_assert_num_queries):
    session = factories.SessionFactory()
    atelier = factories.AtelierFactory(session=session)
    atelier.territoire.perimetre = PERIMETRE
    atelier.territoire.save()
    pilote = factories.participant(atelier, Role.PILOTE)
    assert selectors.get_atelier_for_user(pilote, atelier.pk).pk == atelier.pk
    with django_assert_num_queries(1):
        lu = selectors._lire_atelier(atelier.pk, pilote)
        # Decoded as the ORM decodes them: the JSON perimeter, dates, the session, the service.
        assert lu.territoire.perimetre == PERIMETRE
        assert lu.date_debut == dt.date(2025, 3, 1)
        assert lu.territoire.region.nom == atelier.territoire.region.nom
        assert lu.session.titre == session.titre
        assert lu.service_pilote.nom == atelier.service_pilote.nom
        assert lu.role_du_lecteur == Role.PILOTE
    orm = _as_orm(atelier.pk)
    for a, b in (
        (lu, orm),
        (lu.territoire, orm.territoire),
        (lu.territoire.region, orm.territoire.region),
        (lu.session, orm.session),
        (lu.service_pilote, orm.service_pilote),
    ):
        assert type(a) is type(b)
        assert {f.attname: getattr(a, f.attname) for f in a._meta.concrete_fields} == {
            f.attname: getattr(b, f.attname) for f in b._meta.concrete_fields
        }
        assert a._state.adding is False and a._state.db == "default"
    lu.titre = "Renommé"
    lu.save(update_fields=["titre"])  # a real instance: it saves
    assert Atelier.objects.get(pk=atelier.pk).titre == "Renommé"


def test_empty_foreign_keys_are_none_without_a_query(django_assert_num_queries):
    atelier = factories.AtelierFactory(session=None, service_pilote=None)
    dgaln = factories.DgalnFactory()
    lu = selectors.get_atelier_for_user(dgaln, atelier.pk)
    with django_assert_num_queries(0):
        assert lu.session is None and lu.service_pilote is None
        assert lu.role_du_lecteur is None


def test_role_is_the_reader_s_own_and_refusals_stay_404():
    atelier = factories.AtelierFactory()
    autre = factories.AtelierFactory()
    habitant = factories.participant(atelier, Role.HABITANT)
    assert selectors.get_atelier_for_user(habitant, atelier.pk).role_du_lecteur == Role.HABITANT
    with pytest.raises(Http404):
        selectors.get_atelier_for_user(habitant, autre.pk)  # not hers: private
    for pk in (10**30, -(10**30), "abc", autre.pk + 1000):
        with pytest.raises(Http404):
            selectors.get_atelier_for_user(habitant, pk)


def test_stages_are_the_orm_s_own_with_attendance_and_deliverables(django_assert_num_queries):
    from django.db.models import Count, Q
    from django.utils import timezone

    from acteurs.models import Participation, Presence
    from ateliers.models import Etape, Livrable

    atelier = factories.AtelierFactory()
    autre = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE)
    for a in (atelier, autre):
        for i, debut in enumerate((timezone.now(), None, timezone.now())):
            etape = Etape.objects.create(
                atelier=a, nature="atelier_1", ordre=1 + i % 2, titre=f"É{i}", debut=debut
            )
            Livrable.objects.create(etape=etape, nature="compte_rendu", obligatoire=bool(i))
    habitants = [factories.participant(atelier, Role.HABITANT) for _ in range(3)]
    premiere = atelier.etapes.order_by("ordre", "debut", "id").first()
    for i, user in enumerate([pilote, *habitants]):
        Presence.objects.create(
            etape=premiere,
            participation=Participation.objects.get(atelier=atelier, acteur__utilisateur=user),
            present=i != 1,
        )
    with django_assert_num_queries(2):
        lues = selectors.etapes(atelier)
    orm = list(
        atelier.etapes.annotate(nb_presents=Count("presences", filter=Q(presences__present=True)))
        .prefetch_related("livrables")
        .order_by("ordre", "debut", "id")
    )
    champs = ("id", "atelier_id", "nature", "titre", "debut", "lieu", "statut", "motif_annulation")
    assert [tuple(getattr(e, c) for c in champs) for e in lues] == [
        tuple(getattr(e, c) for c in champs) for e in orm
    ]
    assert [e.nb_presents for e in lues] == [e.nb_presents for e in orm] and lues[
        0
    ].nb_presents == 3
    with django_assert_num_queries(0):
        for lue, attendue in zip(lues, orm, strict=True):
            livrables = list(lue.livrables.all())
            assert [(lv.pk, lv.obligatoire, lv.document_id) for lv in livrables] == [
                (lv.pk, lv.obligatoire, lv.document_id) for lv in attendue.livrables.all()
            ]
            assert all(lv.etape is lue for lv in livrables) and lue.atelier is atelier
    # The related queryset stays the stage's own when a page filters it.
    assert list(lues[0].livrables.filter(obligatoire=False)) == [
        lv for lv in orm[0].livrables.all() if not lv.obligatoire
    ]
    assert selectors.etapes(factories.AtelierFactory()) == []
