"""Authorization matrix entries of the national capitalisation pages (contract: tests/authz.py)."""

from django.core.files.base import ContentFile

from ateliers.models import FicheCapitalisation
from feuilles_de_route.models import Indicateur, Synthese
from tests.authz import Entry, atelier_members, dgaln_only, expect


def entries(world) -> list[Entry]:
    indicateur = Indicateur.objects.create(
        nom="Surface désimperméabilisée", definition="x", unite="m2"
    )
    a_supprimer = Indicateur.objects.create(nom="À supprimer", definition="x", unite="nombre")
    fiche = FicheCapitalisation.objects.create(
        atelier=world.autre_atelier, echelle="communale", statut="soumise"
    )
    pdf = b"%PDF-1.7 synthese"
    prete = Synthese.objects.create(
        titre="Synthèse", numero=1, statut="pret", empreinte="a" * 64, publie=True
    )
    prete.fichier.save("synthese.pdf", ContentFile(pdf))
    privee = Synthese.objects.create(titre="Brouillon", numero=2, statut="echec")
    return [
        Entry(name="capitalisation:syntheses", expected=dgaln_only()),
        Entry(
            name="capitalisation:synthese_telecharger",
            kwargs={"synthese_id": prete.pk},
            expected=dgaln_only(),
        ),
        Entry(
            name="capitalisation:synthese_action",
            kwargs={"synthese_id": privee.pk, "action": "relancer"},
            method="post",
            expected=dgaln_only(302),
        ),
        Entry(
            name="capitalisation:synthese_publique",
            kwargs={"synthese_id": prete.pk},
            expected=expect(200),
        ),
        Entry(
            name="ateliers:fiche_capitalisation",
            kwargs={"pk": world.atelier.pk},
            expected=atelier_members(),
        ),
        Entry(name="capitalisation:fiches", expected=dgaln_only()),
        Entry(name="capitalisation:tableau_national", expected=dgaln_only()),
        Entry(name="capitalisation:comparaison", expected=dgaln_only()),
        Entry(
            name="capitalisation:comparaison_synthese",
            method="post",
            data={"atelier": [world.autre_atelier.pk]},
            expected=dgaln_only(302),
        ),
        Entry(
            name="capitalisation:tableau_export",
            kwargs={"cle": "etats", "extension": "csv"},
            expected=dgaln_only(),
        ),
        Entry(
            name="capitalisation:tableau_export",
            kwargs={"cle": "financements", "extension": "xlsx"},
            expected=dgaln_only(),
        ),
        Entry(
            name="capitalisation:fiche_revue",
            kwargs={"fiche_id": fiche.pk},
            expected=dgaln_only(),
        ),
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
