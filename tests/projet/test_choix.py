"""``get_<field>_display()`` answers as Django's own, from choices built once per field."""

from django.apps import apps
from django.utils import translation

from appels.models import Candidature
from atelier import choix


def _champs_a_choix():
    for model in apps.get_models(include_auto_created=True):
        for field in model._meta.concrete_fields:
            if field.choices and f"get_{field.name}_display" in model.__dict__:
                yield model, field


def test_every_generated_display_uses_the_kept_choices():
    champs = list(_champs_a_choix())
    assert len(champs) > 20
    for model, field in champs:
        methode = model.__dict__[f"get_{field.name}_display"]
        assert getattr(methode, "func", None) is choix.display, (model, field.name)


def test_every_label_reads_as_django_writes_it():
    for model, field in _champs_a_choix():
        for valeur in [v for v, _libelle in field.flatchoices] + ["valeur-inconnue", None]:
            objet = model()
            setattr(objet, field.attname, valeur)
            assert choix.display(objet, field) == choix._DJANGO(objet, field), (model, valeur)


def test_the_label_follows_the_active_language_and_new_choices():
    candidature = Candidature(statut=Candidature.Statut.DEPOSEE)
    assert candidature.get_statut_display() == "Déposée"
    with translation.override("en"):
        assert candidature.get_statut_display() == str(Candidature.Statut.DEPOSEE.label)
    field = Candidature._meta.get_field("statut")
    anciens = field.choices
    try:
        field.choices = [("deposee", "Reçue")]
        assert candidature.get_statut_display() == "Reçue"
    finally:
        field.choices = anciens
    assert candidature.get_statut_display() == "Déposée"
