"""People and organisations of the demo: accounts, State services, actors.

A mixin of :class:`demo.seed.DemoSeeder`, whose ``__init__`` loads the rows of a previous run.
"""

from __future__ import annotations

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.utils.text import slugify

from acteurs.models import DGALN_GROUP, Acteur, AgentEtat, Organisation, Utilisateur
from territoires.models import Departement, Region

from . import data
from .base import (
    COMPTES,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    DGALN,
    ELU,
    EQUIPE,
    HABITANT,
    PILOTE,
    VETTED_ON,
    upsert,
)


class ActeursDemo:
    """Demo accounts, organisations and actors."""

    def _user(
        self, email: str, prenom: str, nom: str, *, password: str | None = None
    ) -> Utilisateur:
        user = self.users_by_email.get(email)
        if user is not None:
            # An account of a previous run: its name, password and state are its owner's.
            return user
        user = Utilisateur(email=email, first_name=prenom, last_name=nom)
        self.users_by_email[email] = user
        if password is None:
            user.set_unusable_password()
        elif self.password_hash:
            # The demo accounts share one hash (hashing is deliberately slow).
            user.password = self.password_hash
        else:
            user.set_password(password)
            self.password_hash = user.password
        user.save()
        if password is not None:
            upsert(
                EmailAddress, user=user, email=email, defaults={"verified": True, "primary": True}
            )
        return user

    def _org(self, slug: str, nom: str, nature: str, departement=None) -> Organisation:
        if slug in self.organisations_a_jour:
            return self.organisations[slug]
        self.organisations_a_jour.add(slug)
        org, _ = upsert(
            Organisation,
            existing=self.organisations.get(slug),
            slug=slug,
            defaults={"nom": nom, "nature": nature, "departement": departement, "est_demo": True},
        )
        self.organisations[slug] = org
        return org

    def _acteur(
        self,
        email: str,
        prenom: str,
        nom: str,
        *,
        organisation: Organisation | None,
        fonction: str = "",
        specialite: str = "",
        utilisateur: Utilisateur | None = None,
    ) -> Acteur:
        defaults = {
            "prenom": prenom,
            "nom": nom,
            "organisation": organisation,
            "fonction": fonction,
            "specialite": specialite,
        }
        if utilisateur is not None:
            acteur, _ = upsert(
                Acteur,
                existing=self.acteurs_comptes.get(utilisateur.pk) if utilisateur.pk else None,
                utilisateur=utilisateur,
                defaults={**defaults, "email": email, "est_demo": True},
            )
            return acteur
        acteur, _ = upsert(
            Acteur,
            existing=self.acteurs_libres.get(email),
            email=email,
            est_demo=True,
            utilisateur=None,
            defaults=defaults,
        )
        return acteur

    def _organisations_nationales(self) -> None:
        self.dgaln = self._org(
            "dgaln-demo",
            "DGALN — Bureau des stratégies territoriales (démo)",
            Organisation.Nature.DGALN,
        )
        self.cerema = self._org("cerema-demo", "Cerema (démo)", Organisation.Nature.OPERATEUR)
        self.ademe = self._org("ademe-demo", "ADEME (démo)", Organisation.Nature.OPERATEUR)

    def _comptes_demo(self) -> None:
        ddt22 = self._ddt(self.departements["22"])
        quintin = self._org(
            f"{slugify('Quintin')}-demo-collectivite",
            "Commune de Quintin (démo)",
            Organisation.Nature.COLLECTIVITE,
            self.departements["22"],
        )
        habitants = self._org(
            "quintin-demo-habitants",
            "Collectif d'habitants — Quintin (démo)",
            Organisation.Nature.COLLECTIF_CITOYEN,
        )
        agence = self._org(
            slugify(data.AGENCES[0]), data.AGENCES[0], Organisation.Nature.BUREAU_ETUDES
        )
        organisations = {
            DGALN: (self.dgaln, "Cheffe de projet Atelier des territoires", ""),
            PILOTE: (ddt22, "Chef de projet aménagement, service urbanisme", ""),
            EQUIPE: (agence, "Architecte-urbaniste, mandataire", Acteur.Specialite.URBANISTE),
            ELU: (quintin, "Maire de Quintin", ""),
            HABITANT: (habitants, "Habitant", ""),
        }
        group = Group.objects.get(name=DGALN_GROUP)
        for compte in COMPTES:
            user = self._user(compte.email, compte.prenom, compte.nom, password=DEMO_PASSWORD)
            org, fonction, specialite = organisations[compte.cle]
            self.users[compte.cle] = user
            self.acteurs_demo[compte.cle] = self._acteur(
                compte.email,
                compte.prenom,
                compte.nom,
                organisation=org,
                fonction=fonction,
                specialite=specialite,
                utilisateur=user,
            )
            if compte.totp:
                self._totp(user)
        self.users[DGALN].groups.add(group)
        # The demo DGALN agent and pilote are State agents vetted by DGALN (the pilote for
        # the DDTM of the Côtes-d'Armor, where the four demo ateliers are).
        self._agent(self.users[DGALN], "dgaln", "Cheffe de projet Atelier des territoires")
        self._agent(self.users[PILOTE], "ddt-22", "Chef de projet aménagement, service urbanisme")

    def _agent(self, user: Utilisateur, code: str, fonction: str) -> None:
        service = self.services_etat.get(code)
        if service is None or AgentEtat.objects.filter(utilisateur=user).exists():
            return
        AgentEtat.objects.create(
            utilisateur=user,
            service=service,
            fonction=fonction,
            verifie_par=self.users.get(DGALN),
            verifie_le=VETTED_ON,
        )
        user.__dict__.pop("_agent_etat", None)

    def _service_code(self, departement: Departement) -> str:
        """The reference State service of a département: its DDT(M), else its DREAL/DEAL."""
        code = f"ddt-{departement.code.lower()}"
        return code if code in self.services_etat else f"dreal-{departement.region.code}"

    def _totp(self, user: Utilisateur) -> None:
        from allauth.mfa.models import Authenticator

        from acteurs.adapter import encrypt

        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt(DEMO_TOTP_SECRET)},
            )

    def _ddt(self, departement: Departement) -> Organisation:
        return self._org(
            f"ddt-{departement.code.lower()}-demo",
            f"DDT(M) — {departement.nom} (démo)",
            Organisation.Nature.DDT,
            departement,
        )

    def _dreal(self, region: Region) -> Organisation:
        return self._org(
            f"dreal-{region.slug}-demo",
            f"DREAL — {region.nom} (démo)",
            Organisation.Nature.DREAL,
        )
