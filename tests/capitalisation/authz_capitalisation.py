"""Authorization matrix entries of the national capitalisation pages (contract: tests/authz.py)."""

from feuilles_de_route.models import Indicateur
from tests.authz import Entry, dgaln_only


def entries(world) -> list[Entry]:
    indicateur = Indicateur.objects.create(
        nom="Surface désimperméabilisée", definition="x", unite="m2"
    )
    a_supprimer = Indicateur.objects.create(nom="À supprimer", definition="x", unite="nombre")
    return [
        Entry(name="capitalisation:catalogue", expected=dgaln_only()),
        Entry(name="capitalisation:indicateur_ajouter", expected=dgaln_only()),
        Entry(
            name="capitalisation:indicateur_modifier",
            kwargs={"indicateur_id": indicateur.pk},
            expected=dgaln_only(),
        ),
        Entry(
            name="capitalisation:indicateur_supprimer",
            kwargs={"indicateur_id": a_supprimer.pk},
            method="post",
            expected=dgaln_only(302),
        ),
    ]
