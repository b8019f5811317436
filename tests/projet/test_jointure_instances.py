"""``atelier.requetes.Jointure.instances`` makes the instances of rows read by a statement of
``jointure`` without ``Model.__init__`` when that gives the same instance as ``from_db``, and
goes through ``from_db`` otherwise (a receiver of ``post_init``, a field whose attribute
converts what is set, a model of its own ``__init__``)."""

import pytest
from django.db import connection
from django.db.models import signals

from acteurs.models import Role
from atelier import requetes
from ateliers.models import Atelier, Document
from feuilles_de_route.models import Action
from tests import factories
from tests.factories.ateliers import document

pytestmark = pytest.mark.django_db


def _lire(model, chemins=(), ou=""):
    j = requetes.jointure(model, chemins, "default")
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {j.colonnes} FROM {j.tables} {ou} ORDER BY t0.id")
        return j.instances(cursor.fetchall())


def _valeurs(objet):
    return {f.attname: getattr(objet, f.attname) for f in objet._meta.concrete_fields}


def test_instances_made_directly_are_the_ones_from_db_makes(django_assert_num_queries):
    atelier = factories.AtelierFactory()
    axe = factories.AxeFactory(feuille=factories.FeuilleDeRouteFactory(atelier=atelier))
    porteur = factories.OrganisationFactory(nom="Commune d'Arve")
    factories.ActionFactory(axe=axe, titre="Avec porteur", porteur=porteur)
    factories.ActionFactory(axe=axe, titre="Sans porteur", porteur=None)
    assert requetes._se_construit_directement(Action)
    avec, sans = _lire(Action, ("porteur",))
    orm = list(Action.objects.select_related("porteur").order_by("id"))
    for lu, attendu in zip((avec, sans), orm, strict=True):
        assert type(lu) is Action and _valeurs(lu) == _valeurs(attendu)
        assert lu._state.adding is False and lu._state.db == "default"
        assert lu.get_deferred_fields() == set()
    with django_assert_num_queries(0):  # the porteur came with the row
        assert avec.porteur.nom == "Commune d'Arve" and sans.porteur is None
    avec.titre = "Renommée"
    avec.save(update_fields=["titre"])  # a real instance: it saves, and not as a new row
    assert Action.objects.get(pk=avec.pk).titre == "Renommée" and Action.objects.count() == 2


def test_a_field_read_or_not_is_deferred_as_only_leaves_it():
    factories.ActionFactory(titre="Seule")
    j = requetes.jointure(Action, (), "default", (("", ("titre",)),))
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT {j.colonnes} FROM {j.tables}")
        (lue,) = j.instances(cursor.fetchall())
    assert lue.get_deferred_fields() == Action.objects.only("titre").get().get_deferred_fields()
    assert lue.titre == "Seule"


def test_a_receiver_of_post_init_is_heard_as_with_from_db():
    factories.ActionFactory(titre="Écoutée")
    vues = []

    def recepteur(sender, instance, **kwargs):
        vues.append(instance.titre)

    signals.post_init.connect(recepteur, sender=Action)
    try:
        assert not requetes._se_construit_directement(Action)
        (lue,) = _lire(Action)
    finally:
        signals.post_init.disconnect(recepteur, sender=Action)
    assert vues == ["Écoutée"] and lue.titre == "Écoutée"
    assert requetes._se_construit_directement(Action)


def test_models_whose_attributes_convert_go_through_from_db():
    # A document's file is a FieldFile made by its field's descriptor.
    atelier = factories.AtelierFactory()
    document(atelier, by=factories.participant(atelier, Role.PILOTE), titre="Compte rendu")
    assert not requetes._se_construit_directement(Document)
    (lu,) = _lire(Document)
    assert lu.fichier.name == Document.objects.get().fichier.name
    assert type(lu.fichier) is type(Document.objects.get().fichier)
    assert requetes._se_construit_directement(Atelier)
