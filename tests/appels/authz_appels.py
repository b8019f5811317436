"""Authorization matrix entries for calls, candidatures and the DGALN back-office (issue 4)."""

import datetime as dt

from django.utils import timezone

from appels.models import AppelACandidatures, Candidature
from tests.authz import Entry, dgaln_only, expect, public, signed_in
from tests.factories import SessionFactory
from tests.factories.appels import (
    appel_complet,
    candidature_complete,
    candidature_en_etat,
    document_appel,
)


def entries(world) -> list[Entry]:
    applicant = world.users["applicant"]
    rapporteur = world.users["habitant"]  # a participant of an atelier, assigned as rapporteur
    ouvert = appel_complet()
    candidature_complete(appel=ouvert, auteur=applicant)  # the applicant's draft
    clos = appel_complet(
        statut=AppelACandidatures.Statut.CLOS,
        ouverture=timezone.now() - dt.timedelta(days=60),
        cloture=timezone.now() - dt.timedelta(days=1),
    )
    deposee = candidature_en_etat(Candidature.Statut.EN_INSTRUCTION, appel=clos, auteur=applicant)
    deposee.rapporteurs.add(rapporteur)
    decidee = candidature_en_etat(Candidature.Statut.NON_RETENUE, appel=clos, auteur=applicant)
    a_retirer_c = candidature_en_etat(Candidature.Statut.DEPOSEE, appel=clos, auteur=applicant)
    piece = deposee.pieces_jointes.first()
    session = SessionFactory()
    critere = ouvert.criteres.first()
    cahier = document_appel(ouvert)
    a_retirer = document_appel(ouvert, titre="Foire aux questions", name="faq.pdf")
    brouillon_appel = appel_complet(statut=AppelACandidatures.Statut.BROUILLON)
    cahier_brouillon = document_appel(brouillon_appel)

    author_only = expect(404, anonymous=302, applicant=200)
    readers = expect(404, anonymous=302, applicant=200, habitant=200, dgaln=200)
    instructors = expect(404, anonymous=302, habitant=200, dgaln=200)
    instructors_list = expect(403, anonymous=302, habitant=200, dgaln=200)
    c = {"pk": deposee.pk}
    return [
        Entry(name="appels:appels", expected=public()),
        Entry(name="appels:appel", kwargs={"slug": ouvert.slug}, expected=public()),
        Entry(
            name="appels:appel_document",
            kwargs={"slug": ouvert.slug, "document_id": cahier.pk},
            expected=public(),
        ),
        # A draft call's files: 404 to everyone but DGALN (existence not revealed).
        Entry(
            name="appels:appel_document",
            kwargs={"slug": brouillon_appel.slug, "document_id": cahier_brouillon.pk},
            expected=expect(404, dgaln=200),
        ),
        Entry(name="appels:candidater", kwargs={"slug": ouvert.slug}, expected=signed_in()),
        # Only the author has a draft on this call: others get a 404 for the recap.
        Entry(
            name="appels:candidature_recapitulatif",
            kwargs={"slug": ouvert.slug},
            expected=expect(404, anonymous=302, applicant=200),
        ),
        Entry(name="appels:recepisse", kwargs={"pk": deposee.pk}, expected=author_only),
        Entry(name="appels:lettre_decision", kwargs={"pk": decidee.pk}, expected=author_only),
        Entry(
            name="appels:candidature_retirer",
            kwargs={"pk": a_retirer_c.pk},
            method="post",
            expected=expect(404, anonymous=302, applicant=302),
        ),
        Entry(name="appels:candidature_piece", kwargs={"piece_id": piece.pk}, expected=readers),
        Entry(name="appels:ma_candidature", kwargs={"pk": deposee.pk}, expected=author_only),
        # DGALN back-office
        Entry(name="appels:gestion", expected=dgaln_only()),
        Entry(name="appels:gestion_sessions", expected=dgaln_only()),
        Entry(name="appels:gestion_session_creer", expected=dgaln_only()),
        Entry(name="appels:gestion_session", kwargs={"pk": session.pk}, expected=dgaln_only()),
        Entry(name="appels:gestion_appels", expected=dgaln_only()),
        Entry(name="appels:gestion_appel_creer", expected=dgaln_only()),
        Entry(name="appels:gestion_appel", kwargs={"pk": ouvert.pk}, expected=dgaln_only()),
        # Confirmation pages (GET, without JavaScript): only DGALN sees what would happen.
        Entry(
            name="appels:gestion_appel_statut",
            kwargs={"pk": ouvert.pk},
            query="?action=clore",
            expected=dgaln_only(),
        ),
        Entry(
            name="appels:gestion_appel_statut",
            kwargs={"pk": ouvert.pk},
            method="post",
            data={"action": ""},
            expected=dgaln_only(302),
        ),
        Entry(
            name="appels:gestion_appel_element_ajouter",
            kwargs={"pk": ouvert.pk, "kind": "critere"},
            method="post",
            expected=dgaln_only(400),
        ),
        Entry(
            name="appels:gestion_appel_element_supprimer",
            kwargs={"pk": ouvert.pk, "kind": "critere", "element_id": critere.pk},
            method="post",
            expected=dgaln_only(302),
        ),
        Entry(
            name="appels:gestion_appel_document_ajouter",
            kwargs={"pk": ouvert.pk},
            method="post",
            data={"document-titre": "Règlement"},  # no file: the form is refused
            expected=dgaln_only(400),
        ),
        Entry(
            name="appels:gestion_appel_document_supprimer",
            kwargs={"pk": ouvert.pk, "document_id": a_retirer.pk},
            expected=dgaln_only(),
        ),
        Entry(
            name="appels:gestion_appel_document_supprimer",
            kwargs={"pk": ouvert.pk, "document_id": a_retirer.pk},
            method="post",
            expected=dgaln_only(302),
        ),
        Entry(name="appels:gestion_candidatures", expected=instructors_list),
        Entry(name="appels:gestion_candidatures_csv", expected=instructors_list),
        Entry(name="appels:gestion_candidatures_avis_csv", expected=instructors_list),
        Entry(name="appels:gestion_candidatures_xlsx", expected=instructors_list),
        Entry(
            name="appels:gestion_candidatures_rapporteurs",
            method="post",
            expected=dgaln_only(302),
        ),
        Entry(
            name="appels:gestion_appel_classement", kwargs={"pk": clos.pk}, expected=dgaln_only()
        ),
        Entry(name="appels:gestion_candidature", kwargs=c, expected=instructors),
        Entry(name="appels:gestion_candidature_pdf", kwargs=c, expected=instructors),
        Entry(
            name="appels:gestion_candidature_recevabilite",
            kwargs=c,
            method="post",
            expected=expect(404, anonymous=302, habitant=403, dgaln=400),
        ),
        Entry(
            name="appels:gestion_candidature_rapporteurs",
            kwargs=c,
            method="post",
            data={"autres": "inconnu@exemple.fr"},
            expected=expect(404, anonymous=302, habitant=403, dgaln=400),
        ),
        Entry(
            name="appels:gestion_candidature_avis",
            kwargs=c,
            method="post",
            expected=expect(404, anonymous=302, habitant=400, dgaln=403),
        ),
        Entry(
            name="appels:gestion_candidature_decision",
            kwargs=c,
            method="post",
            expected=expect(404, anonymous=302, habitant=403, dgaln=400),
        ),
    ]
