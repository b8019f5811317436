"""The demo roadmaps: axes and actions, versions hashed with ``feuilles_de_route.canonical``, signatures, follow-up.

A mixin of :class:`demo.seed.DemoSeeder`, whose ``__init__`` loads the rows of a previous run.
"""

from __future__ import annotations

import copy
import datetime as dt
from decimal import Decimal

from acteurs.models import Acteur, Organisation, Participation, Role, Utilisateur
from ateliers.formats import NatureEtape
from ateliers.models import Atelier, Etape, SiteDemonstrateur
from feuilles_de_route import canonical
from feuilles_de_route.models import (
    Action,
    Axe,
    FeuilleDeRoute,
    Financement,
    PointSuivi,
    Qualite,
    Rapport,
    SignataireRequis,
    Signature,
    StatutSuivi,
    Version,
)
from feuilles_de_route.services import rapport_generate, signature_seal, signing_capacity

from . import data
from .base import (
    ETATS_TERMINES,
    PILOTE,
    add_months,
    upsert,
)

# How many published roadmaps get their restitution report: each one is a real WeasyPrint
# render (about a second), so a handful only.
RAPPORTS_DEMO = 2


class FeuillesDeRouteDemo:
    """Demo roadmaps of the ateliers."""

    def _feuille(
        self,
        atelier: Atelier,
        statut: str,
        index: int,
        etapes: list[Etape],
        participations: dict[str, list[Participation]],
        sites: list[SiteDemonstrateur],
        collectivite: Organisation,
        ddt: Organisation,
    ) -> None:
        if statut == Atelier.Statut.EN_PREPARATION or not sites:
            return
        feuille, created = upsert(
            FeuilleDeRoute,
            atelier=atelier,
            defaults={
                "titre": f"Feuille de route — {atelier.territoire.nom} (démo)",
                "preambule": (
                    f"Issue de l'Atelier des territoires de {atelier.territoire.nom}, cette "
                    "feuille de route (démo) traduit l'engagement conjoint des élus et de "
                    "l'État pour la mise en œuvre d'un plan d'actions."
                ),
            },
        )
        if not created:
            # Written by a previous run and, since, perhaps edited, signed, published or
            # followed up: the roadmap, its versions and its actions are the people's now.
            return
        porteurs = {"collectivite": collectivite, "etat": ddt, "operateur": self.cerema}
        echeance_base = atelier.date_fin or atelier.date_fin_prevue
        actions = []
        for axe_ordre, (axe_titre, axe_desc, actions_spec) in enumerate(data.AXES, start=1):
            axe, _ = upsert(
                Axe,
                existing=None,
                feuille=feuille,
                ordre=axe_ordre,
                defaults={"titre": axe_titre, "description": axe_desc},
            )
            for ordre, (titre, desc, porteur, cout, financements) in enumerate(
                actions_spec, start=1
            ):
                action, _ = upsert(
                    Action,
                    existing=None,
                    axe=axe,
                    ordre=ordre,
                    defaults={
                        "titre": titre,
                        "description": desc,
                        "porteur": porteurs[porteur],
                        "echeance": add_months(echeance_base, 6 * ordre + 6 * axe_ordre),
                        "cout_estime": Decimal(cout),
                        "indicateurs": "Avancement des études ; surfaces désimperméabilisées.",
                        "site": sites[(axe_ordre + ordre) % len(sites)],
                        "priorite": Action.Priorite.HAUTE
                        if ordre == 1
                        else Action.Priorite.MOYENNE,
                    },
                )
                partenaires = [ddt, self.ademe] if porteur != "etat" else [collectivite]
                action.partenaires.set(partenaires)
                if statut not in ETATS_TERMINES and titre == data.DEPASSEMENT[0]:
                    financements = [*financements, data.DEPASSEMENT[1]]
                for financeur, libelle, montant, statut_financement in financements:
                    upsert(
                        Financement,
                        existing=None,
                        action=action,
                        financeur=financeur,
                        libelle=libelle,
                        defaults={"montant": Decimal(montant), "statut": statut_financement},
                    )
                actions.append(action)

        if statut not in ETATS_TERMINES:
            return  # a draft roadmap, still being written

        elu = participations[Role.ELU][0].acteur
        pilote = participations[Role.PILOTE][0].acteur
        restitution = next(e for e in etapes if e.nature == NatureEtape.RESTITUTION)
        signing_day = restitution.debut + dt.timedelta(days=20)
        snapshot = canonical.snapshot(feuille)
        numero = 1
        if statut == Atelier.Statut.CLOS and index % 2 == 0:
            # A first version replaced by a second one, to show the versioning.
            draft = copy.deepcopy(snapshot)
            draft["feuille"]["preambule"] += " Version de travail."
            self._version(feuille, 1, draft, Version.Statut.REMPLACEE, pilote, None)
            numero = 2

        awaits_all = atelier.territoire.nom == "Quintin"
        if statut == Atelier.Statut.RESTITUE and (awaits_all or index % 3 != 1):
            # In signature: Quintin (the demo accounts) awaits both signatures, the others
            # the State's only.
            version = self._version(
                feuille, numero, snapshot, Version.Statut.EN_SIGNATURE, pilote, None
            )
            self._requis(version, elu, pilote)
            if not awaits_all:
                self._signe(version, elu, Qualite.ELU, signing_day)
            FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
                version_adoptee=None, publiee=False, publiee_le=None
            )
            return

        adoption = signing_day + dt.timedelta(days=7)
        version = self._version(feuille, numero, snapshot, Version.Statut.ADOPTEE, pilote, adoption)
        self._requis(version, elu, pilote)
        self._signe(version, elu, Qualite.ELU, signing_day)
        self._signe(version, pilote, Qualite.ETAT, signing_day + dt.timedelta(days=5))
        publiee = statut != Atelier.Statut.RESTITUE and atelier.publie
        FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
            version_adoptee=version,
            publiee=publiee,
            publiee_le=adoption + dt.timedelta(days=3) if publiee else None,
        )
        if statut in (Atelier.Statut.EN_MISE_EN_OEUVRE, Atelier.Statut.CLOS):
            self._suivi(actions, adoption.date(), pilote.utilisateur, statut)

    def _version(
        self,
        feuille: FeuilleDeRoute,
        numero: int,
        contenu: dict,
        statut: str,
        auteur: Acteur,
        adoptee_le: dt.datetime | None,
    ) -> Version:
        defaults = {
            "contenu": contenu,
            "empreinte": canonical.empreinte(contenu),
            "statut": statut,
            "creee_par": auteur.utilisateur,
            "adoptee_le": adoptee_le,
            "deliberation_reference": (
                f"Délibération n° {adoptee_le:%Y}-{feuille.pk:03d} (démo)" if adoptee_le else ""
            ),
            "deliberation_date": adoptee_le.date() if adoptee_le else None,
        }
        version, _ = upsert(Version, feuille=feuille, numero=numero, defaults=defaults)
        return version

    def _requis(self, version: Version, elu: Acteur, pilote: Acteur) -> None:
        for acteur, qualite in ((elu, Qualite.ELU), (pilote, Qualite.ETAT)):
            SignataireRequis.objects.get_or_create(
                version=version, utilisateur=acteur.utilisateur, defaults={"qualite": qualite}
            )

    def _signe(self, version: Version, acteur: Acteur, qualite: str, when: dt.datetime) -> None:
        # A signature is sealed once written (database triggers): create it whole, with its
        # demo date and its seal, and never touch it again.
        if Signature.objects.filter(version=version, signataire=acteur.utilisateur).exists():
            return
        # The capacity as the platform gives it: the vetted profile or the vouched mandate.
        capacite, attestation = signing_capacity(
            user=acteur.utilisateur, atelier=version.feuille.atelier, qualite=qualite
        )
        signature = Signature(
            version=version,
            signataire=acteur.utilisateur,
            nom_signataire=str(acteur),
            qualite=qualite,
            capacite=capacite,
            attestation=attestation,
            empreinte=version.empreinte,
            signee_le=when,
        )
        signature_seal(signature)
        signature.save()

    def _suivi(
        self, actions: list[Action], adoption: dt.date, auteur: Utilisateur | None, statut: str
    ) -> None:
        etats = [
            (StatutSuivi.REALISEE, 100),
            (StatutSuivi.EN_COURS, 60),
            (StatutSuivi.EN_COURS, 30),
            (StatutSuivi.BLOQUEE, 10),
            (StatutSuivi.A_VENIR, None),
        ]
        for position, action in enumerate(actions):
            etat, pourcentage = etats[position % len(etats)]
            if statut == Atelier.Statut.CLOS and etat != StatutSuivi.A_VENIR:
                etat, pourcentage = StatutSuivi.REALISEE, 100
            Action.objects.filter(pk=action.pk).update(statut_suivi=etat, avancement=pourcentage)
            if etat == StatutSuivi.A_VENIR:
                continue
            # Keyed on the comment, not the date: a date capped at today moves from day to
            # day, the row must not be duplicated.
            upsert(
                PointSuivi,
                action=action,
                commentaire="Point d'étape du comité de suivi (démo).",
                defaults={
                    "date": min(add_months(adoption, 6), self.today),
                    "etat": etat,
                    "pourcentage": pourcentage,
                    "auteur": auteur,
                },
            )

    def _rapports(self) -> None:
        """Restitution reports, rendered and sealed by the platform's own service.

        For the first published roadmaps whose atelier has no report yet (one a person
        asked for, withdrew or published is left as it is): a ready, published report, so
        that a visitor finds one to download from the territory's page.
        """
        feuilles = (
            FeuilleDeRoute.objects.filter(
                atelier__est_demo=True,
                atelier__publie=True,
                publiee=True,
                version_adoptee__isnull=False,
            )
            .select_related("atelier__territoire")
            .order_by("atelier__territoire__nom", "pk")
        )
        for feuille in feuilles[:RAPPORTS_DEMO]:
            if Rapport.objects.filter(atelier=feuille.atelier).exists():
                continue
            rapport = Rapport.objects.create(
                atelier=feuille.atelier,
                version_id=feuille.version_adoptee_id,
                demande_par=self.users[PILOTE],
            )
            rapport_generate(rapport_id=rapport.pk)
            Rapport.objects.filter(pk=rapport.pk, statut=Rapport.Statut.PRET).update(publie=True)
