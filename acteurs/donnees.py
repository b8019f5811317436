"""Personal data (RGPD): what the platform holds about a person, closing an account, and the
retention periods of the acteurs app.

What other apps hold comes through ``atelier.contributions`` (slots ``DONNEES_PERSONNELLES``
and ``CLOTURE_COMPTE``), as for ``/espace/``.

Closing an account keeps, under a pseudonym, the records that are evidence of the
programme's decisions and acts; everything else is deleted (see :data:`RAISONS`):

* the account row stays (signatures, candidatures retained and reviews point to it), with
  its name and address replaced by the pseudonym, no password, inactive;
* the signatures of a roadmap are a public act, sealed when signed: they stay (RGPD art.
  17-3-b and d: legal obligation and archiving in the public interest), with the name
  replaced by the pseudonym; their seals still verify (a seal covers a salted commitment to
  the identity, not the name: ``feuilles_de_route.services.signature_document``); the
  audit trail is append-only, and its one rewrite path replaces the name by the pseudonym
  (``journal.services.audit_names_replace``);
* retained candidatures (they founded an atelier) and reviews stay; drafts and candidatures
  not retained are deleted with their files; participations, invitations, e-mail
  addresses, second factors and ProConnect links are deleted; a State-agent profile is
  revoked (it stays as the proof of who was vetted when);
* the name leaves the free text others typed (logbook, minutes, comments, follow-up: each
  app's own, ``ateliers.services.texts_names_replace`` and ``feuilles_de_route``), and every
  generated PDF that may show the person is rendered again by the worker, the old hash kept
  verifiable (``feuilles_de_route.documents.document_rerender``); a signed version's
  content, frozen by its hash, stays as it is.
"""

import datetime as dt
import logging
from typing import Any

from django.db import transaction
from django.utils import timezone

from atelier import contributions
from atelier.cache import invalidate_public_cache
from journal.models import Action
from journal.selectors import DOMAINE_COMPTES_CLOS, libeller
from journal.services import audit, audit_names_replace, names_replaced, names_rewrite

from .models import Acteur, AgentEtat, Invitation, Participation, Role

logger = logging.getLogger("atelier.donnees")


RAISONS = [
    (
        "Supprimé",
        "Vos adresses électroniques, votre mot de passe, votre double authentification et "
        "votre lien ProConnect ; vos participations aux ateliers et les invitations qui vous "
        "sont adressées ; vos candidatures en brouillon ou non retenues, avec leurs pièces "
        "jointes.",
    ),
    (
        "Conservé sous un pseudonyme",
        "Les traces de ce que vous avez fait au titre du programme, qui en sont la preuve : "
        "vos signatures de feuilles de route, le journal d'audit, les candidatures retenues "
        "(elles ont fondé un atelier), vos avis de rapporteur, vos commentaires de "
        "concertation, vos contributions au cahier de suivi et vos documents déposés. Votre "
        "nom et votre adresse y sont remplacés par « Compte clôturé n° … », partout où ils "
        "apparaissent, y compris dans le journal d'audit.",
    ),
    (
        "Pourquoi vos signatures restent",
        "Une signature de feuille de route est un acte public : elle est conservée au titre "
        "de l'obligation légale et de l'archivage dans l'intérêt public (article 17-3-b et d "
        "du RGPD), avec votre qualité (par exemple « Maire de Quintin ») et sa date. Son sceau "
        "reste vérifiable sur la page de vérification : il porte sur une empreinte de votre "
        "identité calculée avec un sel aléatoire, pas sur votre nom en clair. Ce sel figure "
        "dans vos données téléchargées et sera effacé de la plateforme : gardez-le si vous "
        "voulez pouvoir prouver plus tard que vous étiez le signataire.",
    ),
    (
        "Les documents PDF qui vous nomment",
        "Les rapports de restitution, carnets de suivi et synthèses déjà produits pour les "
        "ateliers auxquels vous avez pris part sont produits à nouveau, avec le pseudonyme, "
        "dans les minutes qui suivent ; l'ancien fichier est supprimé. Son empreinte reste "
        "connue de la page de vérification, qui indique qu'il a été remplacé et pourquoi. "
        "Votre nom est aussi remplacé dans les textes libres écrits par d'autres (cahier de "
        "suivi, comptes rendus, commentaires, suivi des actions). Seules les versions signées "
        "des feuilles de route ne changent pas : leur contenu est figé par l'empreinte que "
        "les signataires ont signée.",
    ),
]


class ClotureError(Exception):
    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


def pseudonyme(user: Any) -> str:
    return f"Compte clôturé n° {user.pk}"


def _date(value: Any) -> str | None:
    if value is None:
        return None
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).isoformat(timespec="seconds")
    return value.isoformat()


def personal_data(user: Any) -> dict[str, Any]:
    """Everything the platform holds about ``user``, as plain JSON-able data, by section."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    acteur = Acteur.objects.select_related("organisation").filter(utilisateur=user).first()
    agent = AgentEtat.objects.select_related("service").filter(utilisateur=user).first()
    sections: dict[str, Any] = {
        "Compte": [
            {
                "adresse électronique": user.email,
                "prénom": user.first_name,
                "nom": user.last_name,
                "inscrit le": _date(user.date_joined),
                "dernière connexion": _date(user.last_login),
                "adresses": [
                    {"adresse": e.email, "vérifiée": e.verified, "principale": e.primary}
                    for e in EmailAddress.objects.filter(user=user)
                ],
                "double authentification": [
                    a.get_type_display()
                    for a in Authenticator.objects.filter(user=user).order_by("type")
                ],
                "comptes ProConnect": [
                    s.uid for s in SocialAccount.objects.filter(user=user, provider="proconnect")
                ],
            }
        ],
        "Fiche de participant": [
            {
                "prénom": acteur.prenom,
                "nom": acteur.nom,
                "adresse électronique": acteur.email,
                "organisation": acteur.organisation.nom if acteur.organisation else "",
                "fonction": acteur.fonction,
            }
        ]
        if acteur
        else [],
        "Agent de l'État": [
            {
                "service": agent.service.nom,
                "fonction": agent.fonction,
                "origine": agent.get_source_display(),
                "vérifié le": _date(agent.verifie_le),
                "révoqué le": _date(agent.revoque_le),
            }
        ]
        if agent
        else [],
        "Participations aux ateliers": [
            {
                "atelier": p.atelier.titre,
                "rôle": p.get_role_display(),
                "depuis le": _date(p.cree_le),
                "mandat attesté": p.qualite_elu,
                "mandat attesté par": p.atteste_par_nom,
            }
            for p in Participation.objects.filter(acteur__utilisateur=user).select_related(
                "atelier"
            )
        ],
        "Invitations reçues": [
            {
                "atelier": i.atelier.titre,
                "rôle": i.get_role_display(),
                "statut": i.get_statut_display(),
                "envoyée le": _date(i.cree_le),
            }
            for i in Invitation.objects.filter(email__iexact=user.email).select_related("atelier")
        ],
        "Invitations envoyées": [
            {
                "atelier": i.atelier.titre,
                "adresse invitée": i.email,
                "rôle": i.get_role_display(),
                "statut": i.get_statut_display(),
                "envoyée le": _date(i.cree_le),
            }
            for i in Invitation.objects.filter(invitee_par=user).select_related("atelier")
        ],
    }
    sections.update(contributions.gather(contributions.DONNEES_PERSONNELLES, user=user))
    from journal.models import EvenementAudit

    sections["Journal d'audit (vos actions)"] = [
        {
            "date": _date(e.quand),
            "action": e.action_libelle,
            "type d'objet": e.type_libelle,
            "objet": e.objet_repr,
            "changement": e.changement,
            "résumé": e.resume,
        }
        for e in libeller(
            EvenementAudit.objects.filter(auteur=user)
            .select_related("content_type")
            .order_by("quand")
        )
    ]
    return sections


def cloture_blockers(user: Any) -> list[str]:
    """What must be done before ``user`` can close their account (empty: nothing)."""
    blockers = []
    for participation in Participation.objects.filter(
        acteur__utilisateur=user, role=Role.PILOTE
    ).select_related("atelier"):
        autres = (
            Participation.objects.filter(atelier=participation.atelier, role=Role.PILOTE)
            .exclude(pk=participation.pk)
            .exists()
        )
        if not autres:
            blockers.append(
                f"Vous êtes le dernier pilote de l'atelier « {participation.atelier.titre} » : "
                "demandez à la DGALN d'en désigner un autre avant de clore votre compte."
            )
    if user.is_superuser:
        blockers.append("Un compte d'administration se clôt par un autre administrateur.")
    return blockers


def names_of(user: Any) -> list[str]:
    """Every text that named ``user`` in the records kept after closure: the account's name
    and addresses as shown (``Prénom Nom <adresse>``), the participant card's name and
    address. Bare first names are left out: they name other people too."""
    from allauth.account.models import EmailAddress

    noms = {str(user), user.get_full_name(), user.email}
    noms |= set(EmailAddress.objects.filter(user=user).values_list("email", flat=True))
    for acteur in Acteur.objects.filter(utilisateur=user):
        noms |= {str(acteur), acteur.email}
    return sorted(n for n in (n.strip() for n in noms) if len(n) >= 4)


def compte_close(*, user: Any) -> dict[str, int]:
    """Close ``user``'s account (they asked, after re-authentication in the view): delete
    what is not evidence, pseudonymise the rest, see the module docstring. Returns the
    counts of what was done (also written to the audit trail)."""
    from allauth.account.models import EmailAddress
    from allauth.mfa.models import Authenticator
    from allauth.socialaccount.models import SocialAccount

    blockers = cloture_blockers(user)
    if blockers:
        raise ClotureError(blockers[0])
    nom = pseudonyme(user)
    with transaction.atomic():
        noms = names_of(user)
        counts = dict(
            contributions.gather(contributions.CLOTURE_COMPTE, user=user, pseudonyme=nom, noms=noms)
        )
        with names_replaced([(n, nom) for n in noms]) as paires:
            counts["attestations de mandat"] = names_rewrite(
                table=Participation._meta.db_table, columns=("atteste_par_nom",), paires=paires
            )
        counts["participations"] = Participation.objects.filter(acteur__utilisateur=user).delete()[
            0
        ]
        counts["invitations"] = Invitation.objects.filter(email__iexact=user.email).delete()[0]
        Acteur.objects.filter(utilisateur=user).update(prenom=nom, nom="", email="", fonction="")
        AgentEtat.objects.filter(utilisateur=user, revoque_le__isnull=True).update(
            revoque_le=timezone.now()
        )
        counts["adresses"] = EmailAddress.objects.filter(user=user).delete()[0]
        Authenticator.objects.filter(user=user).delete()
        SocialAccount.objects.filter(user=user).delete()
        user.email = f"compte-{user.pk}@{DOMAINE_COMPTES_CLOS}"
        user.first_name, user.last_name = nom, ""
        user.is_active = user.is_staff = False
        user.set_unusable_password()
        user.save()
        user.groups.clear()
        counts["journal"] = audit_names_replace(remplacements=[(n, nom) for n in noms])
        # Public pages name signatories: none may keep showing the name from the cache.
        invalidate_public_cache()
        audit(
            by=None,
            obj=user,
            action=Action.COMPTE_CLOTURE,
            summary=f"{nom} : " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())),
        )
    logger.info("compte_cloture user=%s %s", user.pk, counts)
    return counts


def invitations_purge(*, now: dt.datetime | None = None) -> int:
    """Delete invitations expired or cancelled for longer than
    ``ATELIER_CONSERVATION_INVITATIONS_JOURS`` (accepted ones stay: they carry who invited
    and vouched). Returns how many were deleted."""
    from django.conf import settings
    from django.db.models import Q

    now = now or timezone.now()
    limite = now - dt.timedelta(days=settings.ATELIER_CONSERVATION_INVITATIONS_JOURS)
    qs = Invitation.objects.filter(
        Q(statut=Invitation.Statut.ENVOYEE, expire_le__lt=limite)
        | Q(statut=Invitation.Statut.ANNULEE, cree_le__lt=limite)
    )
    return qs.delete()[0]


def securite_purge(*, now: dt.datetime | None = None) -> int:
    """Delete the connection traces kept in the database for longer than
    ``ATELIER_CONSERVATION_SECURITE_JOURS``: expired sessions and stale e-mail confirmations.
    (The ``atelier.securite`` log lines go to the standard output: their retention is the
    log collector's, see the README.)"""
    from allauth.account.models import EmailConfirmation
    from django.conf import settings
    from django.contrib.sessions.models import Session

    now = now or timezone.now()
    limite = now - dt.timedelta(days=settings.ATELIER_CONSERVATION_SECURITE_JOURS)
    sessions = Session.objects.filter(expire_date__lt=limite).delete()[0]
    confirmations = EmailConfirmation.objects.filter(created__lt=limite).delete()[0]
    return sessions + confirmations


def report_retention(removed: dict[str, int]) -> None:
    logger.info("retention %s", " ".join(f"{k.replace(' ', '_')}={v}" for k, v in removed.items()))
    if any(removed.values()):
        from django.contrib.sites.models import Site

        audit(
            by=None,
            obj=Site.objects.get_current(),
            action=Action.DONNEES_RETENTION,
            summary=", ".join(f"{k} : {v}" for k, v in removed.items() if v),
        )
