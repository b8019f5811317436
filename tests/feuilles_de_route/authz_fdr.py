"""Authorization matrix entries of the roadmap app (contract: tests/authz.py)."""

import datetime as dt
import hashlib

from django.core.files.base import ContentFile
from django.utils import timezone

from feuilles_de_route.models import (
    Action,
    Axe,
    CarnetDeSuivi,
    Commentaire,
    Consultation,
    Indicateur,
    IndicateurAction,
    Rapport,
    RegenerationDue,
)
from tests.authz import Entry, expect
from tests.factories import feuilles_de_route as f
from tests.factories.public import laureat, rapport_publie

# Participants and DGALN read; others do not learn the atelier exists.
LECTURE = expect(404, anonymous=302, habitant=200, elu=200, equipe=200, pilote=200, dgaln=200)


def _edition(status: int) -> dict[str, int]:
    return expect(
        404, anonymous=302, habitant=403, elu=403, equipe=status, pilote=status, dgaln=status
    )


def _pilotage(status: int) -> dict[str, int]:
    return expect(
        404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=status, dgaln=status
    )


def entries(world) -> list[Entry]:
    atelier = world.atelier
    pilote, elu = world.users["pilote"], world.users["elu"]
    feuille = f.feuille_with_actions(atelier, axes=2, actions_per_axe=2)
    etat = f.etat_signataire(atelier)
    version = f.adopt(feuille, pilote, elu, etat)
    axe = feuille.axes.order_by("ordre").first()
    action = Action.objects.filter(axe=axe).order_by("ordre").first()
    suivi = IndicateurAction.objects.create(
        action=action,
        indicateur=Indicateur.objects.create(nom="Logements", definition="x", unite="logements"),
    )
    a_supprimer = Axe.objects.create(feuille=feuille, titre="Axe à supprimer", ordre=9)
    action_a_supprimer = Action.objects.create(axe=axe, titre="Action à supprimer", ordre=9)
    pdf = b"%PDF-1.7 test"
    rapport = Rapport.objects.create(
        atelier=atelier,
        version=version,
        statut=Rapport.Statut.PRET,
        empreinte=hashlib.sha256(pdf).hexdigest(),
        taille=len(pdf),
        publie=True,
    )
    rapport.fichier.save("rapport.pdf", ContentFile(pdf))
    rapport_public = rapport_publie(laureat(nom="Pays de Lorient"))
    cache = Rapport.objects.create(
        atelier=world.autre_atelier, version=None, statut=Rapport.Statut.EN_ATTENTE
    )
    # A re-render after an account closure that failed for good (DGALN relaunches it).
    regeneration = RegenerationDue.objects.create(
        nature="rapport",
        document_id=rapport.pk,
        statut=RegenerationDue.Statut.ECHEC,
        tentatives=5,
        relance_le=timezone.now(),
        erreur="ValueError",
    )

    # Made directly: the service opens a consultation only on a version not yet signed.
    consultation = Consultation.objects.create(
        version=version,
        roles=["elu", "habitant"],
        cloture_prevue=timezone.now() + dt.timedelta(days=5),
    )
    axe_ref = version.contenu["axes"][0]["ref"]
    commentaire = Commentaire.objects.create(
        consultation=consultation,
        cible="axe",
        ref=axe_ref,
        axe_ref=axe_ref,
        cible_titre="Axe",
        auteur=elu,
        role="elu",
        texte="Un avis",
    )
    c = {"pk": atelier.pk, "numero": version.numero, "commentaire_id": commentaire.pk}
    reaction = {"cible": "axe", "ref": axe_ref, "texte": "Mon avis"}
    # Invited roles react (302); others may not (403); others do not learn the atelier exists.
    reagir = expect(404, anonymous=302, habitant=302, elu=302, equipe=403, pilote=403, dgaln=403)

    carnet = CarnetDeSuivi.objects.create(
        atelier=atelier,
        numero=1,
        statut=CarnetDeSuivi.Statut.PRET,
        empreinte=hashlib.sha256(b"%PDF-1.7 carnet").hexdigest(),
        taille=15,
    )
    carnet.fichier.save("carnet.pdf", ContentFile(b"%PDF-1.7 carnet"))
    k = {"pk": atelier.pk, "carnet_id": carnet.pk}

    pk = {"pk": atelier.pk}
    v = {"pk": atelier.pk, "numero": version.numero}
    r = {"pk": atelier.pk, "rapport_id": rapport.pk}
    return [
        Entry(name="feuilles_de_route:feuille", kwargs=pk, expected=LECTURE),
        Entry(name="feuilles_de_route:versions", kwargs=pk, expected=LECTURE),
        Entry(name="feuilles_de_route:version", kwargs=v, expected=LECTURE),
        Entry(name="feuilles_de_route:signer", kwargs=v, expected=LECTURE),
        Entry(name="feuilles_de_route:version_pdf", kwargs=v, expected=LECTURE),
        Entry(name="feuilles_de_route:suivi", kwargs=pk, expected=LECTURE),
        # The live actions are the draft: not for inhabitants (nor socio-professionals).
        *[
            Entry(
                name="feuilles_de_route:export_actions",
                kwargs={**pk, "extension": extension},
                expected={**LECTURE, "habitant": 403},
            )
            for extension in ("xlsx", "csv")
        ],
        Entry(name="feuilles_de_route:consultation", kwargs=v, expected=LECTURE),
        Entry(name="feuilles_de_route:carnet_telecharger", kwargs=k, expected=LECTURE),
        Entry(
            name="feuilles_de_route:carnet_demander",
            kwargs=pk,
            method="post",
            expected=_pilotage(302),
        ),
        # Confirmation pages (GET, without JavaScript): who may act sees what will happen.
        Entry(name="feuilles_de_route:carnet_publier", kwargs=k, expected=_pilotage(200)),
        Entry(
            name="feuilles_de_route:carnet_publier",
            kwargs=k,
            method="post",
            data={"publier": "1"},
            expected=_pilotage(302),
        ),
        Entry(
            name="feuilles_de_route:consultation_commenter",
            kwargs=v,
            method="post",
            data=reaction,
            expected=reagir,
        ),
        Entry(
            name="feuilles_de_route:consultation_soutenir",
            kwargs=v,
            method="post",
            data=reaction,
            expected=reagir,
        ),
        Entry(
            name="feuilles_de_route:consultation_repondre",
            kwargs=c,
            method="post",
            data={"prise_en_compte": "retenu", "reponse": "Repris"},
            expected=_pilotage(302),
        ),
        Entry(
            name="feuilles_de_route:consultation_masquer",
            kwargs=c,
            method="post",
            data={"motif": "Hors sujet"},
            expected=_pilotage(302),
        ),
        Entry(
            name="feuilles_de_route:consultation_clore",
            kwargs=v,
            method="post",
            expected=_pilotage(302),
        ),
        Entry(name="feuilles_de_route:rapport_etat", kwargs=r, expected=LECTURE),
        Entry(name="feuilles_de_route:rapport_telecharger", kwargs=r, expected=LECTURE),
        Entry(name="feuilles_de_route:feuille_modifier", kwargs=pk, expected=_edition(200)),
        Entry(name="feuilles_de_route:axe_ajouter", kwargs=pk, expected=_edition(200)),
        Entry(
            name="feuilles_de_route:axe_modifier",
            kwargs={**pk, "axe_id": axe.pk},
            expected=_edition(200),
        ),
        Entry(name="feuilles_de_route:action_ajouter", kwargs=pk, expected=_edition(200)),
        Entry(
            name="feuilles_de_route:action_modifier",
            kwargs={**pk, "action_id": action.pk},
            expected=_edition(200),
        ),
        Entry(
            name="feuilles_de_route:point_suivi",
            kwargs={**pk, "action_id": action.pk},
            expected=_edition(200),
        ),
        Entry(
            name="feuilles_de_route:indicateurs_action",
            kwargs={**pk, "action_id": action.pk},
            expected=_edition(200),
        ),
        Entry(
            name="feuilles_de_route:mesure_ajouter",
            kwargs={**pk, "action_id": action.pk, "suivi_id": suivi.pk},
            method="post",
            data={f"m{suivi.pk}-date": "2026-01-15", f"m{suivi.pk}-valeur": "12"},
            expected=_edition(302),
        ),
        Entry(name="feuilles_de_route:envoyer_signature", kwargs=pk, expected=_pilotage(200)),
        Entry(
            name="feuilles_de_route:deplacer",
            kwargs=pk,
            method="post",
            data={"type": "action", "id": action.pk, "sens": "bas"},
            expected=_edition(302),
        ),
        Entry(
            name="feuilles_de_route:version_figer", kwargs=pk, method="post", expected=_edition(302)
        ),
        Entry(
            name="feuilles_de_route:deliberation",
            kwargs=v,
            method="post",
            data={"reference": "DCM-1", "date": "2026-01-15"},
            expected=_pilotage(302),
        ),
        Entry(name="feuilles_de_route:publier", kwargs=pk, expected=_pilotage(200)),
        Entry(name="feuilles_de_route:publier", kwargs=pk, method="post", expected=_pilotage(302)),
        Entry(
            name="feuilles_de_route:rapport_demander",
            kwargs=pk,
            method="post",
            expected=_pilotage(302),
        ),
        Entry(
            name="feuilles_de_route:rapport_relancer",
            kwargs=r,
            method="post",
            expected=_pilotage(302),
        ),
        Entry(name="feuilles_de_route:rapport_publier", kwargs=r, expected=_pilotage(200)),
        Entry(
            name="feuilles_de_route:rapport_publier",
            kwargs=r,
            method="post",
            expected=_pilotage(302),
        ),
        Entry(
            name="feuilles_de_route:action_supprimer",
            kwargs={**pk, "action_id": action_a_supprimer.pk},
            expected=_edition(200),
        ),
        Entry(
            name="feuilles_de_route:action_supprimer",
            kwargs={**pk, "action_id": action_a_supprimer.pk},
            method="post",
            expected=_edition(302),
        ),
        Entry(
            name="feuilles_de_route:axe_supprimer",
            kwargs={**pk, "axe_id": a_supprimer.pk},
            expected=_edition(200),
        ),
        Entry(
            name="feuilles_de_route:axe_supprimer",
            kwargs={**pk, "axe_id": a_supprimer.pk},
            method="post",
            expected=_edition(302),
        ),
        Entry(
            name="feuilles_de_route:gestion_suivi",
            expected=expect(403, anonymous=302, dgaln=200),
        ),
        Entry(
            name="feuilles_de_route:gestion_regeneration_relancer",
            kwargs={"regeneration_id": regeneration.pk},
            method="post",
            expected=expect(403, anonymous=302, dgaln=302),
        ),
        Entry(name="feuilles_de_route:verifier_formulaire", expected=expect(200)),
        Entry(
            name="feuilles_de_route:verifier",
            kwargs={"empreinte": version.empreinte},
            expected=expect(200),
        ),
        Entry(
            name="feuilles_de_route:verifier", kwargs={"empreinte": "f" * 64}, expected=expect(404)
        ),
        Entry(name="feuilles_de_route:cle_publique", expected=expect(200)),
        Entry(name="feuilles_de_route:cle_publique_json", expected=expect(200)),
        Entry(
            name="feuilles_de_route:verifier_preuve",
            kwargs={"empreinte": rapport_public.empreinte},
            expected=expect(200),
        ),
        # Known but not public: no proof, for anyone.
        Entry(
            name="feuilles_de_route:verifier_preuve",
            kwargs={"empreinte": version.empreinte},
            expected=expect(404),
        ),
        Entry(
            name="feuilles_de_route:rapport_public",
            kwargs={"rapport_id": rapport_public.pk},
            expected=expect(200),
        ),
        # Published report, but its atelier is not on the public site: 404 to everyone
        # (participants download it from the workspace, rapport_telecharger above).
        Entry(
            name="feuilles_de_route:rapport_public",
            kwargs={"rapport_id": rapport.pk},
            expected=expect(404),
        ),
        # A report that is not published does not exist for the public.
        Entry(
            name="feuilles_de_route:rapport_public",
            kwargs={"rapport_id": cache.pk},
            expected=expect(404),
        ),
    ]
