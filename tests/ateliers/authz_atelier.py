"""Authorization matrix entries for the atelier workspace and /gestion/ateliers/."""

import datetime as dt

from django.utils import timezone

from ateliers.models import SiteDemonstrateur
from ateliers.services import jeton_calendrier_creer, journal_ecrire
from tests import factories
from tests.authz import Entry, atelier_members, dgaln_only, expect, signed_in
from tests.factories.ateliers import document

# Pilot-only pages: participants see the atelier exists (403), others do not (404).
PILOTE_SEULEMENT = expect(
    404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=200, dgaln=200
)
# POST-only endpoints fetched with GET.
POST_SEULEMENT = expect(405, anonymous=302)
# An action's confirmation page (GET, for a browser without JavaScript): who may act sees it.
CONFIRMATION_PILOTE = PILOTE_SEULEMENT


def entries(world) -> list[Entry]:
    atelier = world.atelier
    pilote = world.users["pilote"]
    etape = factories.EtapeFactory(atelier=atelier, nature="atelier_1", ordre=1)
    annulee = factories.EtapeFactory(
        atelier=atelier,
        nature="atelier_2",
        ordre=2,
        debut=timezone.now() + dt.timedelta(days=10),
        statut="annulee",
        motif_annulation="Salle indisponible",
    )
    doc = document(atelier, by=pilote)
    site = SiteDemonstrateur.objects.create(
        atelier=atelier, nom="Friche", geometrie={"type": "Point", "coordinates": [-2.9, 48.4]}
    )
    jeton = jeton_calendrier_creer(by=world.users["habitant"], atelier=atelier)
    entree = journal_ecrire(
        atelier=atelier, by=world.users["equipe"], texte="Visite", date=timezone.localdate()
    )
    a = {"pk": atelier.pk}
    e = {"pk": atelier.pk, "etape_id": etape.pk}
    d = {"pk": atelier.pk, "document_id": doc.pk}
    demain = (timezone.localtime() + dt.timedelta(days=2)).strftime("%Y-%m-%dT%H:%M")
    return [
        Entry(name="ateliers:atelier", kwargs=a, expected=atelier_members()),
        Entry(name="ateliers:atelier_statut", kwargs=a, expected=POST_SEULEMENT),
        Entry(
            name="ateliers:atelier_statut",
            kwargs=a,
            method="post",
            data={"vers": "en_cours"},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=302, dgaln=302
            ),
        ),
        Entry(name="ateliers:atelier_publication", kwargs=a, expected=CONFIRMATION_PILOTE),
        Entry(
            name="ateliers:atelier_publication",
            kwargs=a,
            method="post",
            data={"publier": "0"},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=302, dgaln=302
            ),
        ),
        Entry(name="ateliers:atelier_equipe", kwargs=a, expected=PILOTE_SEULEMENT),
        Entry(name="ateliers:etapes", kwargs=a, expected=atelier_members()),
        Entry(name="ateliers:etape_ajouter", kwargs=a, expected=PILOTE_SEULEMENT),
        Entry(name="ateliers:etape", kwargs=e, expected=atelier_members()),
        Entry(name="ateliers:etape_planifier", kwargs=e, expected=POST_SEULEMENT),
        Entry(
            name="ateliers:etape_planifier",
            kwargs=e,
            method="post",
            data={"debut": demain, "lieu": "Mairie"},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=302, dgaln=302
            ),
        ),
        Entry(name="ateliers:etape_annuler", kwargs=e, expected=POST_SEULEMENT),
        Entry(
            name="ateliers:etape_replanifier",
            kwargs={**e, "etape_id": annulee.pk},
            expected=POST_SEULEMENT,
        ),
        Entry(
            name="ateliers:etape_replanifier",
            kwargs={**e, "etape_id": annulee.pk},
            method="post",
            data={"lieu": "Mairie"},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=302, dgaln=302
            ),
        ),
        Entry(name="ateliers:etape_realiser", kwargs=e, expected=POST_SEULEMENT),
        Entry(name="ateliers:etape_presences", kwargs=e, expected=POST_SEULEMENT),
        Entry(name="ateliers:documents", kwargs=a, expected=atelier_members()),
        Entry(name="ateliers:document", kwargs=d, expected=atelier_members()),
        Entry(name="ateliers:document_publier", kwargs=d, expected=CONFIRMATION_PILOTE),
        Entry(
            name="ateliers:document_publier",
            kwargs=d,
            method="post",
            data={"publie": "1"},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=302, dgaln=302
            ),
        ),
        # Not published: a signed-in non-participant gets 404; the anonymous visitor is sent
        # to sign in, as for a document that does not exist (the redirect confirms nothing).
        Entry(name="ateliers:document_telecharger", kwargs=d, expected=atelier_members()),
        Entry(
            name="ateliers:document_telecharger",
            kwargs={"pk": atelier.pk, "document_id": 999_999},
            expected=expect(404, anonymous=302),
        ),
        Entry(name="ateliers:journal", kwargs=a, expected=atelier_members()),
        # An entry by the équipe: its author edits it; its author, the pilote or DGALN remove it.
        Entry(
            name="ateliers:journal_modifier",
            kwargs={"pk": atelier.pk, "entree_id": entree.pk},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=200, pilote=403, dgaln=403
            ),
        ),
        Entry(
            name="ateliers:journal_retirer",
            kwargs={"pk": atelier.pk, "entree_id": entree.pk},
            expected=expect(
                404, anonymous=302, habitant=403, elu=403, equipe=200, pilote=200, dgaln=200
            ),
        ),
        Entry(name="ateliers:sites", kwargs=a, expected=atelier_members()),
        Entry(
            name="ateliers:site_supprimer",
            kwargs={"pk": atelier.pk, "site_id": site.pk},
            expected=CONFIRMATION_PILOTE,
        ),
        Entry(name="ateliers:atelier_calendrier", kwargs=a, expected=atelier_members()),
        Entry(name="ateliers:calendrier_personnel", expected=signed_in()),
        # The feed URL is its own credential: whoever holds it reads it, session or not.
        Entry(name="ateliers:flux_ical", kwargs={"jeton": jeton.jeton}, expected=expect(200)),
        Entry(
            name="ateliers:flux_ical",
            kwargs={"jeton": "jeton-inconnu"},
            expected=expect(404),
        ),
        Entry(name="ateliers:gestion_ateliers", expected=dgaln_only()),
        Entry(name="ateliers:gestion_ateliers_csv", expected=dgaln_only()),
    ]
