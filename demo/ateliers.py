"""The demo ateliers: stages, participants, documents, sites, logbook.

A mixin of :class:`demo.seed.DemoSeeder`, whose ``__init__`` loads the rows of a previous run.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import random
from typing import Any

from django.core.files.base import ContentFile
from django.utils.text import slugify

from acteurs.models import (
    Acteur,
    Invitation,
    Organisation,
    Participation,
    Presence,
    Role,
    Utilisateur,
)
from ateliers.formats import FORMATS, Format, NatureEtape, NatureLivrable
from ateliers.models import Atelier, Document, EntreeJournal, Etape, Livrable, SiteDemonstrateur
from territoires.models import Territoire

from . import data
from .base import (
    DECALAGES,
    DECALAGES_FLASH,
    DEMO_DOMAIN,
    ETATS_TERMINES,
    LIEUX,
    PARTICIPATIONS_DEMO,
    PILOTE,
    add_months,
    aware,
    theme_for,
    tiny_pdf,
    upsert,
)
from .territoires import perimetre_autour


class AteliersDemo:
    """Demo territories and ateliers (one per entry of ``data.ATELIERS``)."""

    def _atelier(self, index: int, spec: tuple) -> None:
        nom, fmt, session_slug, statut, annee, debut, publie = spec
        territoire = self._territoire(nom)
        departement = self.departements[next(t for t in data.TERRITOIRES if t[0] == nom)[3][0]]
        rng = random.Random(territoire.slug)  # noqa: S311 — deterministic demo content

        if isinstance(debut, int):
            date_debut = add_months(self.ref, debut).replace(day=10)
        else:
            date_debut = dt.date(debut[0], debut[1], 10)
        session = self.sessions[session_slug] if session_slug else None
        duree = FORMATS[fmt].duree_max_mois - (1 if fmt != Format.FLASH else 0)
        theme = session.titre if session else theme_for(nom, index)
        dates = self._dates_etapes(fmt, date_debut, index, statut)
        date_fin = dates[NatureEtape.RESTITUTION] if statut in ETATS_TERMINES else None
        # Announced a fortnight before the month of a coming start, never in the future.
        publie_le = (
            min(aware(date_debut, 10), aware(self.ref, 10) - dt.timedelta(days=14))
            if publie
            else None
        )

        ddt = self._ddt(departement)
        collectivite = self._org(
            f"{territoire.slug}-collectivite",
            f"{nom} (démo)" if territoire.nature != "commune" else f"Commune de {nom} (démo)",
            Organisation.Nature.COLLECTIVITE,
            departement,
        )
        agence_nom = data.AGENCES[index % len(data.AGENCES)]
        agence = self._org(slugify(agence_nom), agence_nom, Organisation.Nature.BUREAU_ETUDES)

        atelier, _ = upsert(
            Atelier,
            territoire=territoire,
            est_demo=True,
            defaults={
                "titre": f"{nom} — {theme} (démo)",
                "format": fmt,
                "session": session,
                "service_pilote": ddt,
                "theme": theme,
                "resume": (
                    f"Atelier {Format(fmt).label} de démonstration (démo). Les élus de {nom}, "
                    "les services de l'État et une équipe pluridisciplinaire construisent "
                    f"ensemble une vision d'avenir du territoire autour de l'enjeu « {theme} »."
                ),
                # The year of selection: a lauréat starting next year was selected this year.
                "annee": annee or min(date_debut.year, self.today.year),
                "statut": statut,
                "date_debut": date_debut,
                "date_fin_prevue": add_months(date_debut, duree),
                "date_fin": date_fin,
                "equipe_nom": agence_nom,
                "contrat_debut": date_debut - dt.timedelta(days=30),
                "contrat_fin": add_months(date_debut, duree + 1),
                "publie": publie,
                "publie_le": publie_le,
            },
        )
        participations = self._participants(
            atelier, nom, rng, ddt=ddt, collectivite=collectivite, agence=agence, index=index
        )
        etapes = self._etapes(atelier, fmt, dates, statut, index, participations, rng)
        sites = self._sites(atelier, territoire, etapes, statut, rng)
        self._journal(atelier, etapes, participations)
        if nom == "Lannion-Trégor Communauté":
            self._invitations(atelier)
        self._feuille(atelier, statut, index, etapes, participations, sites, collectivite, ddt)

    def _dates_etapes(
        self, fmt: str, date_debut: dt.date, index: int, statut: str
    ) -> dict[str, dt.date]:
        if fmt == Format.FLASH:
            return {
                nature: date_debut + dt.timedelta(days=d) for nature, d in DECALAGES_FLASH.items()
            }
        natures = [
            NatureEtape.LANCEMENT,
            NatureEtape.ATELIER_1,
            NatureEtape.ATELIER_2,
            NatureEtape.INTER_ATELIER,
            NatureEtape.ATELIER_3,
            NatureEtape.RESTITUTION,
        ]
        if index % 2 == 0:
            natures.append(NatureEtape.VISITE)
        if statut in (Atelier.Statut.EN_MISE_EN_OEUVRE, Atelier.Statut.CLOS):
            natures.append(NatureEtape.PRESENTATION)
        return {n: date_debut + dt.timedelta(days=DECALAGES[n]) for n in natures}

    def _participants(
        self,
        atelier: Atelier,
        nom: str,
        rng: random.Random,
        *,
        ddt: Organisation,
        collectivite: Organisation,
        agence: Organisation,
        index: int,
    ) -> dict[str, list[Participation]]:
        slug = atelier.territoire.slug
        dreal = self._dreal(atelier.territoire.region)
        socio = self._org(
            f"{slug}-socio",
            f"Chambre d'agriculture et coopératives — {nom} (démo)",
            Organisation.Nature.ENTREPRISE,
        )
        collectif = self._org(
            f"{slug}-habitants",
            f"Collectif d'habitants — {nom} (démo)",
            Organisation.Nature.COLLECTIF_CITOYEN,
        )
        demo_roles = PARTICIPATIONS_DEMO.get(nom, {})

        def person() -> tuple[str, str]:
            return rng.choice(data.PRENOMS), rng.choice(data.NOMS)

        # (key, role, organisation, fonction, spécialité, with an account?)
        cast: list[tuple[str, str, Organisation, str, str, bool]] = [
            ("pilote", Role.PILOTE, ddt, "Chef·fe de projet, service aménagement", "", True),
            ("equipe-1", Role.EQUIPE, agence, "Mandataire", Acteur.Specialite.ARCHITECTE, False),
            ("equipe-2", Role.EQUIPE, agence, "Paysagiste", Acteur.Specialite.PAYSAGISTE, False),
            (
                "equipe-3",
                Role.EQUIPE,
                agence,
                "Experte associée",
                [
                    Acteur.Specialite.ECONOMISTE,
                    Acteur.Specialite.EXPERT_MOBILITE,
                    Acteur.Specialite.EXPERT_EAU,
                    Acteur.Specialite.SOCIOLOGUE,
                ][index % 4],
                False,
            ),
            ("elu-1", Role.ELU, collectivite, self._fonction_elu(atelier), "", True),
            ("elu-2", Role.ELU, collectivite, "Adjoint·e à l'urbanisme", "", False),
            (
                "technicien",
                Role.TECHNICIEN,
                collectivite,
                "Directeur·rice de l'aménagement",
                "",
                False,
            ),
            (
                "dreal",
                Role.OBSERVATEUR,
                dreal,
                "Chargé·e de mission aménagement durable",
                "",
                False,
            ),
            ("socio", Role.SOCIO_PROFESSIONNEL, socio, "Conseiller·ère territorial·e", "", False),
            ("habitant-1", Role.HABITANT, collectif, "Habitant·e", "", False),
            ("habitant-2", Role.HABITANT, collectif, "Habitant·e", "", False),
        ]
        result: dict[str, list[Participation]] = {}
        existing = {p.acteur_id: p for p in atelier.participations.all()}
        pilote: Acteur | None = None
        for key, role, org, fonction, specialite, with_account in cast:
            prenom, nom_famille = person()
            if key in demo_roles:
                acteur = self.acteurs_demo[demo_roles[key]]
            else:
                email = f"{key}.{slug}@{DEMO_DOMAIN}"
                user = self._user(email, prenom, nom_famille) if with_account else None
                acteur = self._acteur(
                    email,
                    prenom,
                    nom_famille,
                    organisation=org,
                    fonction=fonction,
                    specialite=specialite,
                    utilisateur=user,
                )
            defaults: dict[str, Any] = {"role": role}
            if role == Role.PILOTE:
                pilote = acteur
                if acteur.utilisateur is not None:
                    self._agent(acteur.utilisateur, self._service_code(ddt.departement), fonction)
            if role == Role.ELU and pilote is not None:
                # The pilote vouched for the élu's mandate when inviting them.
                defaults.update(
                    mandat=acteur.fonction,
                    collectivite=collectivite.nom,
                    atteste_par=pilote.utilisateur,
                    atteste_par_nom=str(pilote),
                    atteste_le=aware(atelier.date_debut, 9) - dt.timedelta(days=20),
                )
            participation, _ = upsert(
                Participation,
                existing=existing.get(acteur.pk),
                acteur=acteur,
                atelier=atelier,
                defaults=defaults,
            )
            participation.acteur = acteur
            result.setdefault(role, []).append(participation)
        return result

    @staticmethod
    def _fonction_elu(atelier: Atelier) -> str:
        nature = atelier.territoire.nature
        if nature == Territoire.Nature.COMMUNE:
            return f"Maire de {atelier.territoire.nom}"
        if nature == Territoire.Nature.PNR:
            return "Président·e du syndicat mixte du Parc"
        if nature == Territoire.Nature.PETR:
            return "Président·e du PETR"
        return "Président·e de l'intercommunalité"

    def _etapes(
        self,
        atelier: Atelier,
        fmt: str,
        dates: dict[str, dt.date],
        statut: str,
        index: int,
        participations: dict[str, list[Participation]],
        rng: random.Random,
    ) -> list[Etape]:
        modeles = {m.nature: m for m in FORMATS[fmt].etapes}
        ordered = sorted(dates.items(), key=lambda item: item[1])
        pilote_user = participations[Role.PILOTE][0].acteur.utilisateur
        everyone = [p for group in participations.values() for p in group]
        etapes = []
        presences = []
        existing = {e.ordre: e for e in atelier.etapes.all()}
        for position, (nature, day) in enumerate(ordered, start=1):
            debut, fin = aware(day, 9, 30), aware(day, 17, 0)
            if statut == Atelier.Statut.EN_PREPARATION:
                etat = Etape.Statut.PREVUE
            elif statut in ETATS_TERMINES and nature != NatureEtape.PRESENTATION:
                etat = Etape.Statut.REALISEE
            else:
                # Decided against the first day of the month, like every relative date here:
                # a rerun later in the month must not turn a done stage back into a planned
                # one (its attendance and deliverables would be left behind).
                etat = Etape.Statut.REALISEE if day < self.ref else Etape.Statut.PREVUE
            motif = ""
            if (
                nature == NatureEtape.INTER_ATELIER
                and statut == Atelier.Statut.EN_COURS
                and etat == Etape.Statut.REALISEE
                and index % 3 == 0
            ):
                etat = Etape.Statut.ANNULEE
                motif = "Report demandé par les élus en raison d'un conseil exceptionnel (démo)."
            label = NatureEtape(nature).label
            etape, created = upsert(
                Etape,
                existing=existing.get(position * 10),
                atelier=atelier,
                ordre=position * 10,
                defaults={
                    "nature": nature,
                    "titre": str(label),
                    "debut": debut,
                    "fin": fin,
                    "lieu": f"{LIEUX[position % len(LIEUX)]} — {atelier.territoire.nom}",
                    "resume": (
                        f"{label} (démo) : échanges entre élus, techniciens, habitants et "
                        "équipe pluridisciplinaire ; les points clés figurent au compte rendu."
                        if etat == Etape.Statut.REALISEE
                        else ""
                    ),
                    "statut": etat,
                    "motif_annulation": motif,
                },
            )
            etapes.append(etape)
            if not created:
                # Held, moved or cancelled since, perhaps: its deliverables and attendance
                # are the people's.
                continue
            modele = modeles.get(nature)
            for livrable_nature in modele.livrables if modele else ():
                document = None
                if etat == Etape.Statut.REALISEE:
                    document = self._document(atelier, etape, livrable_nature, pilote_user)
                Livrable.objects.create(
                    etape=etape, nature=livrable_nature, obligatoire=True, document=document
                )
            if etat == Etape.Statut.REALISEE:
                for participation in everyone:
                    always = participation.role in (Role.PILOTE, Role.EQUIPE)
                    presences.append(
                        Presence(
                            etape=etape,
                            participation=participation,
                            present=always or rng.random() < 0.8,
                        )
                    )
        Presence.objects.bulk_create(presences, ignore_conflicts=True)
        return etapes

    def _document(
        self, atelier: Atelier, etape: Etape, nature: str, auteur: Utilisateur | None
    ) -> Document:
        titre = f"{NatureLivrable(nature).label} — {etape.titre} (démo)"
        existing = Document.objects.filter(
            atelier=atelier, etape=etape, titre=titre, version=1
        ).first()
        if existing:
            return existing
        categorie = {
            NatureLivrable.COMPTE_RENDU: Document.Categorie.COMPTE_RENDU,
            NatureLivrable.SITES_DEMONSTRATEURS: Document.Categorie.CARTE,
        }.get(nature, Document.Categorie.RAPPORT)
        content = tiny_pdf(titre)
        filename = f"{slugify(titre)[:80]}.pdf"
        document = Document(
            atelier=atelier,
            etape=etape,
            categorie=categorie,
            titre=titre,
            nom_original=filename,
            type_mime="application/pdf",
            taille=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            depose_par=auteur,
            publie=atelier.publie and nature != NatureLivrable.COMPTE_RENDU,
        )
        document.fichier.save(filename, ContentFile(content), save=False)
        document.save()
        return document

    def _sites(
        self,
        atelier: Atelier,
        territoire: Territoire,
        etapes: list[Etape],
        statut: str,
        rng: random.Random,
    ) -> list[SiteDemonstrateur]:
        consolidated = any(
            e.nature in (NatureEtape.ATELIER_2, NatureEtape.ATELIER_FLASH)
            and e.statut == Etape.Statut.REALISEE
            for e in etapes
        )
        if not consolidated:
            return []
        sites = []
        existing = {site.nom: site for site in atelier.sites_demonstrateurs.all()}
        count = 3 if atelier.format != Format.FLASH else 1
        for position, (nom, description) in enumerate(data.SITES[:count]):
            dx, dy = rng.uniform(-0.04, 0.04), rng.uniform(-0.03, 0.03)
            lon, lat = round(territoire.longitude + dx, 5), round(territoire.latitude + dy, 5)
            if position == 2:
                geometrie = perimetre_autour(lat, lon, rayon=0.006)
            else:
                geometrie = {"type": "Point", "coordinates": [lon, lat]}
            site, _ = upsert(
                SiteDemonstrateur,
                existing=existing.get(f"{nom} (démo)"),
                atelier=atelier,
                nom=f"{nom} (démo)",
                defaults={"description": description, "geometrie": geometrie},
            )
            sites.append(site)
        return sites

    def _journal(
        self,
        atelier: Atelier,
        etapes: list[Etape],
        participations: dict[str, list[Participation]],
    ) -> None:
        auteur = participations[Role.PILOTE][0].acteur.utilisateur
        done = [e for e in etapes if e.statut == Etape.Statut.REALISEE]
        if not done:
            entries = [(data.JOURNAL[0], min(self.today, self.ref), None)]
        else:
            entries = [
                (texte, min(self.today, etape.debut.date() + dt.timedelta(days=2)), etape)
                for texte, etape in zip(data.JOURNAL, done, strict=False)
            ]
        existing = {entree.texte: entree for entree in atelier.journal.all()}
        for texte, day, etape in entries:
            upsert(
                EntreeJournal,
                existing=existing.get(texte),
                atelier=atelier,
                texte=texte,
                defaults={"date": day, "etape": etape, "auteur": auteur},
            )

    def _invitations(self, atelier: Atelier) -> None:
        for position, role in enumerate((Role.ELU, Role.HABITANT, Role.TECHNICIEN), start=1):
            Invitation.objects.get_or_create(
                atelier=atelier,
                email=f"invite{position}.{atelier.territoire.slug}@{DEMO_DOMAIN}",
                defaults={
                    "role": role,
                    "invitee_par": self.users[PILOTE],
                    "expire_le": self.now + dt.timedelta(days=14),
                },
            )
