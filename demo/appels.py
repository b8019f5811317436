"""The demo calls for applications, candidatures and reviews.

A mixin of :class:`demo.seed.DemoSeeder`, whose ``__init__`` loads the rows of a previous run.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Q
from django.utils.text import slugify

from acteurs.models import Utilisateur
from appels.models import (
    AppelACandidatures,
    Avis,
    Candidature,
    Critere,
    NoteCritere,
    PieceRequise,
    Question,
)
from ateliers.models import Atelier, SessionNationale
from territoires.models import Territoire

from . import data
from .base import (
    DEMO_DOMAIN,
    DGALN,
    add_months,
    aware,
    upsert,
)


class AppelsDemo:
    """Demo calls, candidatures and reviews."""

    def _appels(self) -> None:
        session, _ = upsert(
            SessionNationale,
            slug="session-nationale-demo",
            defaults={
                "titre": "Territoires en adaptation : sobriété foncière et résilience (démo)",
                "theme": "Adaptation au changement climatique",
                "annee_debut": self.today.year,
                "annee_fin": self.today.year + 1,
                "description": (
                    "Session nationale de démonstration (démo) : accompagner les territoires "
                    "dans l'adaptation au changement climatique et la sobriété foncière."
                ),
                "est_historique": False,
            },
        )
        ami, _ = upsert(
            AppelACandidatures,
            slug="ami-session-nationale-demo",
            defaults={
                "titre": f"AMI Atelier des territoires {self.today.year} — {session.titre}",
                "nature": AppelACandidatures.Nature.SESSION,
                "session": session,
                "description": (
                    "Appel à manifestation d'intérêt de démonstration (démo) pour la session "
                    "nationale Multisite : dix territoires seront accompagnés pendant dix à "
                    "douze mois par une équipe pluridisciplinaire."
                ),
                "eligibilite": (
                    "Intercommunalités, groupements de communes, PETR et parcs naturels "
                    "régionaux, avec le soutien de leur DDT(M) et de la DREAL."
                ),
                "ouverture": aware(add_months(self.ref, -1), 9),
                "cloture": aware(add_months(self.ref, 3), 12),
                "statut": AppelACandidatures.Statut.PUBLIE,
                "est_demo": True,
            },
        )
        carte, _ = upsert(
            AppelACandidatures,
            slug="appel-a-la-carte",
            defaults={
                "titre": "Atelier des territoires « à la carte » — ateliers Local et Flash",
                "nature": AppelACandidatures.Nature.A_LA_CARTE,
                "session": None,
                "description": (
                    "Depuis 2020, les territoires peuvent demander au fil de l'eau un atelier "
                    "Local (10 à 12 mois, trois ateliers) ou Flash (3 à 6 mois, un atelier), "
                    "sur une thématique spécifique locale."
                ),
                "eligibilite": (
                    "Collectivités et groupements, avec l'appui de la DDT(M) ou de la DREAL."
                ),
                "ouverture": aware(dt.date(2020, 9, 1), 9),
                "cloture": None,
                "statut": AppelACandidatures.Statut.PUBLIE,
                "est_demo": True,
            },
        )
        upsert(
            AppelACandidatures,
            slug="ami-territoires-productifs-2023-demo",
            defaults={
                "titre": (
                    "AMI « Aménagement, territoires productifs et création de valeurs » (démo)"
                ),
                "nature": AppelACandidatures.Nature.SESSION,
                "session": self.sessions[data.SESSION_PRODUCTIFS[0]],
                "description": "Appel clos de la session 2023, conservé pour l'historique (démo).",
                "ouverture": aware(dt.date(2023, 3, 1), 9),
                "cloture": aware(dt.date(2023, 5, 31), 12),
                "statut": AppelACandidatures.Statut.DECIDE,
                "est_demo": True,
            },
        )
        for appel in (ami, carte):
            self._contenu_appel(appel)
        self._candidatures({"ami": ami, "carte": carte})

    def _contenu_appel(self, appel: AppelACandidatures) -> None:
        for ordre, (libelle, type_, choix, obligatoire) in enumerate(data.QUESTIONS, start=1):
            upsert(
                Question,
                appel=appel,
                ordre=ordre,
                defaults={
                    "libelle": libelle,
                    "type": type_,
                    "choix": choix,
                    "obligatoire": obligatoire,
                },
            )
        for ordre, (libelle, description, obligatoire) in enumerate(data.PIECES, start=1):
            upsert(
                PieceRequise,
                appel=appel,
                ordre=ordre,
                defaults={
                    "libelle": libelle,
                    "description": description,
                    "obligatoire": obligatoire,
                },
            )
        for ordre, libelle in enumerate(data.CRITERES, start=1):
            upsert(Critere, appel=appel, ordre=ordre, defaults={"libelle": libelle})

    def _candidatures(self, appels: dict[str, AppelACandidatures]) -> None:
        dgaln = self.users[DGALN]
        S = Candidature.Statut
        for position, spec in enumerate(data.CANDIDATURES, start=1):
            nom, nature, region, dep, lat, lon, fmt, statut, appel_cle = spec
            appel = appels[appel_cle]
            auteur = self._user(
                f"candidat{position}@{DEMO_DOMAIN}", "Service", f"urbanisme n°{position}"
            )
            questions = list(appel.questions.order_by("ordre"))
            reponses = {
                str(q.pk): (
                    q.choix[1]
                    if q.type == Question.Type.CHOIX
                    else "12"
                    if q.type == Question.Type.NOMBRE
                    else f"Réponse de démonstration (démo) de {nom}."
                )
                for q in questions
            }
            depose = statut != S.BROUILLON
            base = max(appel.ouverture, aware(add_months(self.ref, -3), 9))
            deposee_le = base + dt.timedelta(days=3 + position) if depose else None
            decidee = statut in (S.RETENUE, S.NON_RETENUE, S.IRRECEVABLE)
            departement = self.departements[dep]
            candidature, created = upsert(
                Candidature,
                appel=appel,
                territoire_nom=nom,
                est_demo=True,
                defaults={
                    "auteur": auteur,
                    "statut": statut,
                    "format_demande": fmt,
                    "territoire_nature": nature,
                    "region": self.regions[region],
                    "departement": departement,
                    "latitude": lat,
                    "longitude": lon,
                    "porteur": nom,
                    "contact_etat_nom": "Service aménagement (démo)",
                    "contact_etat_email": f"ddt{dep.lower()}@{DEMO_DOMAIN}",
                    "contact_etat_service": f"DDT(M) — {departement.nom}",
                    "resume": (
                        f"Candidature de démonstration (démo) : {nom} souhaite construire une "
                        "stratégie d'aménagement partagée avec l'appui de l'État."
                    ),
                    "reponses": reponses,
                    "motif_irrecevabilite": (
                        "Dossier incomplet : délibération de la collectivité manquante (démo)."
                        if statut == S.IRRECEVABLE
                        else ""
                    ),
                    "motivation_decision": (
                        "Projet retenu : portage politique fort et enjeux partagés (démo)."
                        if statut == S.RETENUE
                        else "Projet à mûrir avec la DDT avant une nouvelle candidature (démo)."
                        if statut == S.NON_RETENUE
                        else ""
                    ),
                    "deposee_le": deposee_le,
                    "decidee_le": (
                        min(deposee_le + dt.timedelta(days=20), self.now) if decidee else None
                    ),
                },
            )
            if not created:
                continue  # instructed since, perhaps: the dossier is its instructors'
            if statut in (S.EN_INSTRUCTION, S.RETENUE, S.NON_RETENUE):
                candidature.rapporteurs.set([dgaln])
                self._avis(candidature, dgaln, position)
            if statut == S.RETENUE:
                territoire = Territoire.objects.filter(slug=f"{slugify(nom)}-demo").first()
                if territoire:
                    atelier = (
                        Atelier.objects.filter(territoire=territoire, est_demo=True)
                        .filter(Q(candidature__isnull=True) | Q(candidature=candidature))
                        .first()
                    )
                    Candidature.objects.filter(pk=candidature.pk).update(
                        territoire=territoire, atelier=atelier
                    )

    def _avis(self, candidature: Candidature, rapporteur: Utilisateur, position: int) -> None:
        avis, _ = upsert(
            Avis,
            candidature=candidature,
            rapporteur=rapporteur,
            defaults={
                "commentaire": (
                    "Territoire mobilisé, enjeux bien identifiés ; le périmètre "
                    "inter-communal reste à préciser (démo)."
                )
            },
        )
        for critere in candidature.appel.criteres.all():
            upsert(
                NoteCritere,
                avis=avis,
                critere=critere,
                defaults={"note": 2 + (critere.ordre + position) % 4},
            )
