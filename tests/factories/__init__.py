"""factory_boy factories for every app. Reference data (régions, départements, historical
sessions) comes from the migrations, so factories pick existing rows for those."""

import datetime as dt

import factory
from django.contrib.auth.models import Group
from django.utils import timezone
from django.utils.text import slugify

from acteurs.models import (
    DGALN_GROUP,
    Acteur,
    AgentEtat,
    Organisation,
    Participation,
    Role,
    ServiceEtat,
    Utilisateur,
)
from appels.models import AppelACandidatures, Candidature
from ateliers.formats import Format
from ateliers.models import Atelier, Etape, SessionNationale
from feuilles_de_route.models import Action, Axe, FeuilleDeRoute
from territoires.models import Departement, Region, Territoire

PASSWORD = "motdepasse-de-test-42"


class UtilisateurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Utilisateur
        django_get_or_create = ("email",)
        skip_postgeneration_save = True

    email = factory.Sequence(lambda n: f"personne{n}@exemple.fr")
    first_name = factory.Faker("first_name", locale="fr_FR")
    last_name = factory.Faker("last_name", locale="fr_FR")
    password = factory.django.Password(PASSWORD)

    @factory.post_generation
    def verified(self, create, extracted, **kwargs):
        """Mark the e-mail verified, as allauth requires before a login."""
        if not create:
            return
        from allauth.account.models import EmailAddress

        EmailAddress.objects.update_or_create(
            user=self, email=self.email, defaults={"verified": True, "primary": True}
        )


class DgalnFactory(UtilisateurFactory):
    @factory.post_generation
    def groupe(self, create, extracted, **kwargs):
        if create:
            self.groups.add(Group.objects.get(name=DGALN_GROUP))

    @factory.post_generation
    def totp(self, create, extracted, **kwargs):
        """DGALN agents pass the MFA gate by default; ``DgalnFactory(totp=False)`` to test it."""
        if create and extracted is not False:
            with_totp(self)


def region(code: str = "53") -> Region:
    return Region.objects.get(code=code)


def departement(code: str = "22") -> Departement:
    return Departement.objects.get(code=code)


class TerritoireFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Territoire
        skip_postgeneration_save = True

    nom = factory.Sequence(lambda n: f"Communauté de communes n°{n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.nom))
    nature = Territoire.Nature.EPCI
    region = factory.LazyFunction(lambda: region("53"))
    latitude = 48.40
    longitude = -2.93

    @factory.post_generation
    def departements(self, create, extracted, **kwargs):
        if create:
            self.departements.set(extracted or [departement("22")])


class OrganisationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Organisation

    nom = factory.Sequence(lambda n: f"DDT des Côtes-d'Armor {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.nom))
    nature = Organisation.Nature.DDT


class SessionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SessionNationale

    titre = factory.Sequence(lambda n: f"Session de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.titre))
    theme = "Transition écologique"
    annee_debut = 2025


class AppelFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = AppelACandidatures

    titre = factory.Sequence(lambda n: f"AMI de test {n}")
    slug = factory.LazyAttribute(lambda o: slugify(o.titre))
    nature = AppelACandidatures.Nature.SESSION
    session = factory.SubFactory(SessionFactory)
    ouverture = factory.LazyFunction(lambda: timezone.now() - dt.timedelta(days=10))
    cloture = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=20))
    statut = AppelACandidatures.Statut.PUBLIE
    eligibilite = "Intercommunalités et groupements de communes."


class CandidatureFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Candidature

    appel = factory.SubFactory(AppelFactory)
    auteur = factory.SubFactory(UtilisateurFactory)
    format_demande = Format.MULTISITE
    territoire_nom = factory.Sequence(lambda n: f"Territoire candidat {n}")
    territoire_nature = Territoire.Nature.EPCI
    region = factory.LazyFunction(lambda: region("53"))
    departement = factory.LazyFunction(lambda: departement("22"))
    porteur = "Communauté de communes candidate"
    contact_etat_nom = "Claire Martin"
    contact_etat_email = factory.Sequence(lambda n: f"ddt{n}@developpement-durable.gouv.fr")
    contact_etat_service = "DDTM des Côtes-d'Armor"


class AtelierFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Atelier

    titre = factory.LazyAttribute(lambda o: f"Atelier {o.territoire.nom}")
    territoire = factory.SubFactory(TerritoireFactory)
    format = Format.LOCAL
    annee = 2025
    service_pilote = factory.SubFactory(OrganisationFactory)
    date_debut = dt.date(2025, 3, 1)
    date_fin_prevue = dt.date(2026, 2, 28)


class EtapeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Etape

    atelier = factory.SubFactory(AtelierFactory)
    nature = "atelier_1"
    ordre = 1
    debut = factory.LazyFunction(lambda: timezone.now() + dt.timedelta(days=7))


class ActeurFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Acteur

    utilisateur = factory.SubFactory(UtilisateurFactory)
    prenom = factory.LazyAttribute(lambda o: o.utilisateur.first_name if o.utilisateur else "Jo")
    nom = factory.LazyAttribute(lambda o: o.utilisateur.last_name if o.utilisateur else "Doe")
    email = factory.LazyAttribute(lambda o: o.utilisateur.email if o.utilisateur else "")


class ParticipationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Participation

    acteur = factory.SubFactory(ActeurFactory)
    atelier = factory.SubFactory(AtelierFactory)
    role = Role.HABITANT


class FeuilleDeRouteFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = FeuilleDeRoute

    atelier = factory.SubFactory(AtelierFactory)
    titre = factory.LazyAttribute(lambda o: f"Feuille de route — {o.atelier.territoire.nom}")


class AxeFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Axe

    feuille = factory.SubFactory(FeuilleDeRouteFactory)
    titre = factory.Sequence(lambda n: f"Axe {n}")


class ActionFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Action

    axe = factory.SubFactory(AxeFactory)
    titre = factory.Sequence(lambda n: f"Action {n}")


def participant(
    atelier: Atelier,
    role: str,
    *,
    totp: bool = True,
    agent: bool | None = None,
    mandat: bool = True,
    **user_kwargs,
) -> Utilisateur:
    """A user with an account taking part in ``atelier`` with ``role``.

    A pilote gets a TOTP authenticator (the MFA gate) unless ``totp=False``, and is a vetted
    State agent (``agent=False`` to test an unvetted one; ``agent=True`` vets any role).
    An élu has a mandate vouched for by a pilote unless ``mandat=False``.
    """
    user = UtilisateurFactory(**user_kwargs)
    acteur, _ = Acteur.objects.get_or_create(
        utilisateur=user,
        defaults={"prenom": user.first_name, "nom": user.last_name, "email": user.email},
    )
    attestation = {}
    if role == Role.ELU and mandat:
        attestation = {
            "collectivite": "Commune de Quintin",
            "mandat": "Maire",
            "atteste_par_nom": "Claire Martin (pilote)",
            "atteste_le": timezone.now(),
        }
    Participation.objects.create(acteur=acteur, atelier=atelier, role=role, **attestation)
    if role == Role.PILOTE and totp:
        with_totp(user)
    if agent or (agent is None and role == Role.PILOTE):
        vetted_agent(user)
    return user


def service_etat(code: str = "ddt-22") -> ServiceEtat:
    """A reference State service (loaded by the migrations): DDTM des Côtes-d'Armor."""
    return ServiceEtat.objects.get(code=code)


def agent_etat(
    email: str = "agent.ddtm@developpement-durable.gouv.fr", code: str = "ddt-22"
) -> AgentEtat:
    """A new account vetted as an agent of the State service ``code`` (a pilote to pick)."""
    return vetted_agent(UtilisateurFactory(email=email), service=service_etat(code))


def vetted_agent(
    user: Utilisateur, *, service: ServiceEtat | None = None, fonction: str = ""
) -> AgentEtat:
    """Make ``user`` a State agent vetted by DGALN (without going through the service)."""
    agent, _ = AgentEtat.objects.update_or_create(
        utilisateur=user,
        defaults={
            "service": service or service_etat(),
            "fonction": fonction or "Chef·fe du service aménagement",
            "verifie_le": timezone.now(),
            "revoque_le": None,
        },
    )
    user.__dict__.pop("_agent_etat", None)
    return agent


TOTP_SECRET = "JBSWY3DPEHPK3PXPJBSWY3DPEHPK3PXP"


def with_totp(user: Utilisateur, secret: str = TOTP_SECRET):
    """Give ``user`` an activated TOTP authenticator (passes the staff MFA gate).

    Returns the authenticator; ``totp_code(secret)`` gives a currently valid code.
    """
    from allauth.mfa.models import Authenticator
    from allauth.mfa.totp.internal.auth import TOTP

    existing = Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).first()
    if existing is not None:
        return existing
    user.__dict__.pop("_a_mfa", None)
    return TOTP.activate(user, secret).instance


def totp_code(secret: str = TOTP_SECRET) -> str:
    import time

    from allauth.mfa import app_settings
    from allauth.mfa.totp.internal.auth import format_hotp_value, hotp_value

    return format_hotp_value(hotp_value(secret, int(time.time()) // app_settings.TOTP_PERIOD))
