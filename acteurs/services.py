"""Writes for people, roles, invitations and participants."""

from typing import Any

from django.utils.translation import gettext as _

from atelier.errors import BusinessError
from journal.models import Action
from journal.services import audit
from outbox.services import enqueue

from .models import (
    Acteur,
    AgentEtat,
    Invitation,
    Organisation,
    Participation,
    ResumeEnvoye,
    Role,
    ServiceEtat,
    Utilisateur,
)
from .permissions import active_agent_etat, forget, require_perm

# --- Invitations and participants --------------------------------------------------------


class ParticipationError(BusinessError):
    """A refused change of participants (a 4xx with a French message, not a bug)."""

    def __init__(self, message: str, field: str = "email") -> None:
        super().__init__(message)
        # The form field the message belongs to, where a form shows it.
        self.field = field


def invitation_create(
    *,
    atelier: Any,
    by: Any,
    email: str,
    role: str,
    prenom: str = "",
    nom: str = "",
    collectivite: str = "",
    mandat: str = "",
) -> Invitation:
    """Invite ``email`` to ``atelier`` with ``role``; the e-mail leaves after commit.

    Requires ``ateliers.invite`` on the atelier (pilote or DGALN). Refused when the address
    already takes part in the atelier. A previous pending invitation for the same address
    is cancelled (only the newest link works). The pilote role goes only to an account
    vetted as a State agent; inviting an élu means vouching for their mandate
    (``collectivite`` and ``mandat``, both required), recorded with who vouched.
    """
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from atelier.workflow import transition

    from . import tasks

    require_perm(by, "ateliers.invite", atelier)
    email = email.strip().lower()
    collectivite = " ".join(collectivite.split())
    mandat = " ".join(mandat.split())
    if role not in Role.values:
        raise ParticipationError(_("Rôle inconnu."))
    if role == Role.PILOTE:
        _require_agent_etat_email(email)
    if role == Role.ELU:
        if not (collectivite and mandat):
            raise ParticipationError(
                "Pour inviter un·e élu·e, indiquez sa collectivité et son mandat : vous en "
                "attestez, et sa signature le mentionnera.",
                field="mandat" if collectivite else "collectivite",
            )
    else:
        collectivite = mandat = ""
    if Participation.objects.filter(atelier=atelier, acteur__email__iexact=email).exists() or (
        Participation.objects.filter(
            atelier=atelier, acteur__utilisateur__email__iexact=email
        ).exists()
    ):
        raise ParticipationError(_("Cette personne participe déjà à l'atelier."))
    with transaction.atomic():
        for ancienne in Invitation.objects.filter(
            atelier=atelier, email__iexact=email, statut=Invitation.Statut.ENVOYEE
        ):
            transition(
                obj=ancienne,
                to=Invitation.Statut.ANNULEE,
                by=by,
                action=Action.INVITATION_ANNULEE,
                summary=_("Remplacée par une nouvelle invitation."),
                atelier=atelier,
            )
        invitation = Invitation.objects.create(
            atelier=atelier,
            email=email,
            prenom=prenom,
            nom=nom,
            role=role,
            collectivite=collectivite,
            mandat=mandat,
            invitee_par=by,
            expire_le=timezone.now() + timezone.timedelta(days=settings.ATELIER_INVITATION_JOURS),
        )
        audit(
            by=by,
            obj=invitation,
            action=Action.INVITATION_ENVOYEE,
            to_state=invitation.statut,
            summary=_("%(email)s invité·e comme %(role)s.")
            % {"email": email, "role": invitation.get_role_display()},
            atelier=atelier,
        )
        enqueue(tasks.envoyer_invitation, invitation.pk)
    return invitation


def invitation_cancel(*, invitation: Invitation, by: Any) -> None:
    """Cancel a pending invitation: its link stops working. Pilote or DGALN only."""
    from atelier.workflow import transition

    require_perm(by, "ateliers.invite", invitation.atelier)
    transition(
        obj=invitation,
        to=Invitation.Statut.ANNULEE,
        by=by,
        action=Action.INVITATION_ANNULEE,
        summary=_("Invitation de %(email)s annulée.") % {"email": invitation.email},
        atelier=invitation.atelier,
    )


def invitation_send_email(*, invitation_id: int) -> bool:
    """Send the invitation e-mail with its signed link, at most once (``send_once``).

    Returns False when nothing was sent: unknown, accepted or cancelled invitation, or the
    e-mail already sent by an earlier or concurrent delivery of the task.
    """
    from django.conf import settings
    from django.utils import timezone

    from atelier.emails import send_once

    from .invitations import make_token

    invitation = (
        Invitation.objects.select_related("atelier", "invitee_par")
        .filter(pk=invitation_id, statut=Invitation.Statut.ENVOYEE)
        .first()
    )
    if invitation is None:
        return False
    from django.urls import reverse

    lien = settings.SITE_URL + reverse(
        "acteurs:invitation", kwargs={"token": make_token(invitation)}
    )
    return send_once(
        record=lambda: Invitation.objects.filter(
            pk=invitation.pk, statut=Invitation.Statut.ENVOYEE, courriel_envoye_le__isnull=True
        ).update(courriel_envoye_le=timezone.now()),
        template="acteurs/emails/invitation",
        to=[invitation.email],
        context={"invitation": invitation, "lien": lien, "atelier": invitation.atelier},
    )


def invitation_accept(*, invitation: Invitation, user: Any) -> Participation:
    """Accept a pending invitation for ``user``: create or update their Participation.

    The invitation must still be pending and not expired; the conditional transition makes
    a replayed link fail even when two requests race. ``user`` must own the invited address
    and have verified it (an account created through the link with exactly that address
    is verified by the link itself); a pilote invitation needs a vetted State agent.
    """
    from allauth.account.models import EmailAddress
    from django.db import transaction
    from django.utils import timezone

    from atelier.workflow import transition

    if invitation.statut != Invitation.Statut.ENVOYEE:
        raise ParticipationError(_("Cette invitation a déjà été utilisée ou annulée."))
    if invitation.expire_le <= timezone.now():
        raise ParticipationError(_("Cette invitation a expiré."))
    if (
        user.email.lower() != invitation.email.lower()
        or not EmailAddress.objects.filter(
            user=user, email__iexact=invitation.email, verified=True
        ).exists()
    ):
        raise ParticipationError(
            "Confirmez d'abord votre adresse électronique (le lien de confirmation vous a été "
            "envoyé par courriel), puis revenez à cette invitation."
        )
    if invitation.role == Role.PILOTE and active_agent_etat(user) is None:
        raise ParticipationError(
            "Le rôle de pilote est réservé aux agents de l'État vérifiés par la DGALN : "
            "demandez-lui de vérifier votre compte."
        )
    with transaction.atomic():
        transition(
            obj=invitation,
            to=Invitation.Statut.ACCEPTEE,
            by=user,
            action=Action.INVITATION_ACCEPTEE,
            summary=_("Acceptée par %(email)s.") % {"email": user.email},
            atelier=invitation.atelier,
            updates={"acceptee_le": timezone.now()},
        )
        acteur = acteur_for_user(user=user, prenom=invitation.prenom, nom=invitation.nom)
        attestation = _attestation_elu(invitation)
        participation, created = Participation.objects.get_or_create(
            acteur=acteur,
            atelier=invitation.atelier,
            defaults={"role": invitation.role, **attestation},
        )
        if not created and participation.role != invitation.role:
            ancien = participation.role
            Participation.objects.filter(pk=participation.pk).update(
                role=invitation.role, **attestation
            )
            participation.role = invitation.role
            audit(
                by=user,
                obj=participation,
                action=Action.PARTICIPATION_ROLE_MODIFIE,
                from_state=ancien,
                to_state=invitation.role,
                summary=_("Rôle donné par une invitation."),
            )
        elif created:
            audit(
                by=user,
                obj=participation,
                action=Action.PARTICIPATION_AJOUTEE,
                to_state=participation.role,
                summary=_("%(acteur)s rejoint l'atelier sur invitation.") % {"acteur": acteur},
            )
    forget(user, "_roles_par_atelier")
    return participation


def _attestation_elu(invitation: Invitation) -> dict:
    """The élu mandate vouched for by whoever sent the invitation (empty for other roles)."""
    if invitation.role != Role.ELU:
        return {"collectivite": "", "mandat": "", "atteste_par": None, "atteste_par_nom": ""}
    garant = invitation.invitee_par
    nom = (garant.get_full_name() or garant.email) if garant else ""
    return {
        "collectivite": invitation.collectivite,
        "mandat": invitation.mandat,
        "atteste_par": garant,
        "atteste_par_nom": nom,
        "atteste_le": invitation.cree_le,
    }


def _require_agent_etat_email(email: str) -> None:
    from .models import Utilisateur

    user = Utilisateur.objects.filter(email__iexact=email).first()
    if user is None or active_agent_etat(user) is None:
        raise ParticipationError(
            "Le rôle de pilote est réservé aux agents de l'État vérifiés par la DGALN : cette "
            "adresse n'est pas celle d'un agent vérifié.",
            field="role",
        )


def acteur_for_user(*, user: Any, prenom: str = "", nom: str = "") -> Acteur:
    """The acteur linked to ``user``; links an acteur with the same e-mail, or creates one."""
    acteur = Acteur.objects.filter(utilisateur=user).first()
    if acteur is not None:
        return acteur
    acteur = Acteur.objects.filter(utilisateur__isnull=True, email__iexact=user.email).first()
    if acteur is not None:
        Acteur.objects.filter(pk=acteur.pk).update(utilisateur=user)
        acteur.utilisateur = user
        return acteur
    return Acteur.objects.create(
        utilisateur=user,
        prenom=user.first_name or prenom or user.email.split("@")[0],
        nom=user.last_name or nom,
        email=user.email,
    )


def role_pour_organisation(organisation: Any) -> str:
    """The role someone's organisation implies when they join an atelier on their own file
    (an applicant whose candidature is retained). Pilote and élu are never implied: the
    pilote is a vetted State agent chosen by DGALN, the élu is vouched for by the pilote."""
    from .models import Organisation

    nature = getattr(organisation, "nature", Organisation.Nature.COLLECTIVITE)
    if nature in Organisation.NATURES_ETAT:
        return Role.OBSERVATEUR
    if nature == Organisation.Nature.COLLECTIF_CITOYEN:
        return Role.HABITANT
    if nature == Organisation.Nature.COLLECTIVITE:
        return Role.TECHNICIEN
    return Role.SOCIO_PROFESSIONNEL


def participation_ajouter_candidat(*, atelier: Any, by: Any, user: Any) -> Participation:
    """Add the author of a retained candidature to its new atelier, with the role their
    organisation implies (``role_pour_organisation``); an existing participation is kept.
    DGALN only (the selection)."""
    require_perm(by, "ateliers.manage_programme")
    acteur = acteur_for_user(user=user)
    participation, created = Participation.objects.get_or_create(
        acteur=acteur,
        atelier=atelier,
        defaults={"role": role_pour_organisation(acteur.organisation)},
    )
    if created:
        audit(
            by=by,
            obj=participation,
            action=Action.PARTICIPATION_AJOUTEE,
            to_state=participation.role,
            summary=f"{acteur} rejoint l'atelier : sa candidature est retenue.",
        )
    return participation


def acteur_profil_enregistrer(
    *, user: Any, prenom: str, nom: str, organisation: str, nature: str
) -> Acteur:
    """At signup: the account's names, and its acteur linked to the organisation named
    (an existing one of that name, else a new one of that nature). The organisation says
    nothing about rights: ``role_pour_organisation`` never implies pilote or élu."""
    from django.db import transaction
    from django.utils.text import slugify

    from .models import Organisation

    prenom, nom, organisation = prenom.strip(), nom.strip(), organisation.strip()
    with transaction.atomic():
        type(user).objects.filter(pk=user.pk).update(first_name=prenom, last_name=nom)
        user.first_name, user.last_name = prenom, nom
        org = None
        if organisation:
            org = Organisation.objects.filter(nom__iexact=organisation).first()
            if org is None:
                base = slugify(organisation)[:200] or "organisation"
                slug, n = base, 2
                while Organisation.objects.filter(slug=slug).exists():
                    slug, n = f"{base}-{n}", n + 1
                org = Organisation.objects.create(nom=organisation, slug=slug, nature=nature)
        acteur = acteur_for_user(user=user, prenom=prenom, nom=nom)
        Acteur.objects.filter(pk=acteur.pk).update(prenom=prenom, nom=nom, organisation=org)
        acteur.prenom, acteur.nom, acteur.organisation = prenom, nom, org
        audit(by=user, obj=acteur, action=Action.PROFIL_INSCRIPTION, summary=organisation[:200])
    return acteur


def participation_change_role(*, participation: Participation, by: Any, role: str) -> None:
    """Change a participant's role. The last pilote of an atelier keeps that role."""
    from django.db import transaction

    require_perm(by, "ateliers.invite", participation.atelier)
    if role not in Role.values:
        raise ParticipationError(_("Rôle inconnu."))
    if role == participation.role:
        return
    if role == Role.PILOTE and active_agent_etat(participation.acteur.utilisateur) is None:
        raise ParticipationError(
            "Le rôle de pilote est réservé aux agents de l'État vérifiés par la DGALN."
        )
    if role == Role.ELU:
        raise ParticipationError(
            "Un·e élu·e rejoint l'atelier par une invitation où vous attestez sa collectivité "
            "et son mandat : retirez cette personne puis invitez-la comme élu·e."
        )
    with transaction.atomic():
        _lock_pilotes(participation.atelier_id)
        if refus := participation_role_refusal(participation):
            raise ParticipationError(refus)
        ancien = participation.role
        Participation.objects.filter(pk=participation.pk).update(role=role)
        participation.role = role
        audit(
            by=by,
            obj=participation,
            action=Action.PARTICIPATION_ROLE_MODIFIE,
            from_state=ancien,
            to_state=role,
            summary=_("Rôle de %(acteur)s modifié.") % {"acteur": participation.acteur},
        )


def participation_remove(*, participation: Participation, by: Any) -> None:
    """Remove a participant. The last pilote of an atelier cannot be removed."""
    from django.db import transaction

    require_perm(by, "ateliers.invite", participation.atelier)
    with transaction.atomic():
        _lock_pilotes(participation.atelier_id)
        if refus := participation_remove_refusal(participation):
            raise ParticipationError(refus)
        audit(
            by=by,
            obj=participation,
            action=Action.PARTICIPATION_RETIREE,
            from_state=participation.role,
            summary=_("%(acteur)s retiré·e de l'atelier.") % {"acteur": participation.acteur},
        )
        participation.delete()


def participation_remove_refusal(
    participation: Participation, *, pilotes: int | None = None
) -> str:
    """Why ``participation`` cannot be removed now ("" when it can): the one reason the
    service raises and the page shows beside the disabled button. ``pilotes``: the atelier's
    number of pilotes, when the caller has already counted them."""
    if _dernier_pilote(participation, pilotes):
        return _(
            "Le dernier pilote de l'atelier ne peut pas être retiré : désignez d'abord un autre "
            "pilote."
        )
    return ""


def participation_role_refusal(participation: Participation, *, pilotes: int | None = None) -> str:
    """Why the role of ``participation`` cannot be changed now ("" when it can): the reason
    the service raises and the participants page shows beside the disabled button.
    ``pilotes``: the atelier's number of pilotes, when the caller has already counted them."""
    if _dernier_pilote(participation, pilotes):
        return _("L'atelier doit garder au moins un pilote : désignez-en un autre d'abord.")
    return ""


def _dernier_pilote(participation: Participation, pilotes: int | None) -> bool:
    if participation.role != Role.PILOTE:
        return False
    if pilotes is None:
        pilotes = _pilote_count(participation.atelier_id)
    return pilotes <= 1


def _lock_pilotes(atelier_id: int) -> None:
    # Two pilotes removing each other at once must not leave the atelier without one.
    list(
        Participation.objects.select_for_update()
        .filter(atelier_id=atelier_id, role=Role.PILOTE)
        .values_list("pk", flat=True)
    )


def _pilote_count(atelier_id: int) -> int:
    return Participation.objects.filter(atelier_id=atelier_id, role=Role.PILOTE).count()


# --- State services and vetted State agents ------------------------------------------------


class AgentEtatError(ParticipationError):
    """A refused change to the State services or agents (a 4xx with a French message)."""


def service_etat_save(
    *,
    by: Any,
    service: ServiceEtat | None = None,
    nom: str,
    nature: str,
    code: str = "",
    region: Any = None,
    departement: Any = None,
    siret: str = "",
    actif: bool = True,
) -> ServiceEtat:
    """Create or update a State service (DGALN only); a new one gets its Organisation.
    Deactivating a service deactivates its agents' rights (``AgentEtat.objects.actifs``)."""
    from django.db import IntegrityError, transaction
    from django.utils.text import slugify

    require_perm(by, "acteurs.manage_agents_etat")
    nom = " ".join(nom.split())
    if nature not in ServiceEtat.Nature.values:
        raise AgentEtatError("Nature de service inconnue.")
    siret = "".join(siret.split())
    if siret and not (siret.isdigit() and len(siret) == 14):
        raise AgentEtatError("Le SIRET compte 14 chiffres.")
    values = {
        "nom": nom,
        "nature": nature,
        "region": region,
        "departement": departement,
        "siret": siret,
        "actif": actif,
    }
    with transaction.atomic():
        if service is None:
            code = slugify(code or nom)[:40]
            if ServiceEtat.objects.filter(code=code).exists():
                raise AgentEtatError("Un service porte déjà ce code.")
            organisation = Organisation.objects.create(
                nom=nom, slug=_free_slug(f"etat-{code}"), nature=nature, departement=departement
            )
            try:
                service = ServiceEtat.objects.create(code=code, organisation=organisation, **values)
            except IntegrityError:
                raise AgentEtatError("Un service porte déjà ce code.") from None
            action = Action.SERVICE_ETAT_CREE
        else:
            ServiceEtat.objects.filter(pk=service.pk).update(**values)
            Organisation.objects.filter(pk=service.organisation_id).update(nom=nom)
            for field, value in values.items():
                setattr(service, field, value)
            action = Action.SERVICE_ETAT_MODIFIE
        audit(by=by, obj=service, action=action, summary=f"{service.nom} ({service.code}).")
    return service


def _free_slug(base: str) -> str:
    slug, n = base[:200], 2
    while Organisation.objects.filter(slug=slug).exists():
        slug, n = f"{base[:195]}-{n}", n + 1
    return slug


def agent_etat_vet(*, by: Any, user: Any, service: ServiceEtat, fonction: str) -> AgentEtat:
    """DGALN vets ``user`` as an agent of ``service`` with ``fonction`` (what they sign as).

    Vetting again an agent (revoked, or moving to another service) updates the same profile:
    a person is the agent of one service at a time. The agent's acteur joins the service's
    organisation."""
    from django.db import transaction
    from django.utils import timezone

    require_perm(by, "acteurs.manage_agents_etat")
    fonction = " ".join(fonction.split())
    if not fonction:
        raise AgentEtatError("Indiquez la fonction de l'agent : elle figure sur ses signatures.")
    if not service.actif:
        raise AgentEtatError("Ce service de l'État n'est plus actif.")
    now = timezone.now()
    with transaction.atomic():
        agent, _created = AgentEtat.objects.update_or_create(
            utilisateur=user,
            defaults={
                "service": service,
                "fonction": fonction,
                "source": AgentEtat.Source.DGALN,
                "verifie_par": by,
                "verifie_le": now,
                "revoque_par": None,
                "revoque_le": None,
            },
        )
        acteur = acteur_for_user(user=user)
        Acteur.objects.filter(pk=acteur.pk).update(
            organisation=service.organisation, fonction=fonction
        )
        audit(
            by=by,
            obj=agent,
            action=Action.AGENT_ETAT_VERIFIE,
            summary=f"{user.email} : {fonction}, {service.nom}.",
        )
    forget(user, "_agent_etat")
    return agent


def agent_etat_revoke(*, by: Any, agent: AgentEtat) -> None:
    """Revoke a State agent: they can no longer be named pilote or State signatory, nor
    sign. Their past signatures stay (they were valid when made)."""
    from django.utils import timezone

    require_perm(by, "acteurs.manage_agents_etat")
    updated = AgentEtat.objects.filter(pk=agent.pk, revoque_le__isnull=True).update(
        revoque_le=timezone.now(), revoque_par=by
    )
    if not updated:
        raise AgentEtatError("Cet agent est déjà révoqué.")
    audit(by=by, obj=agent, action=Action.AGENT_ETAT_REVOQUE, summary=f"{agent.utilisateur.email}.")
    agent.utilisateur.__dict__.pop("_agent_etat", None)


def agent_etat_from_proconnect(*, user: Any, siret: str) -> AgentEtat | None:
    """A ProConnect login whose SIRET is a State service's makes the account an agent of
    that service (ProConnect only federates public bodies' identity providers). A profile
    DGALN vetted or revoked is left alone: DGALN has the last word."""
    from django.utils import timezone

    siret = "".join((siret or "").split())
    if not siret:
        return None
    service = ServiceEtat.objects.filter(siret=siret, actif=True).first()
    if service is None or AgentEtat.objects.filter(utilisateur=user).exists():
        return None
    agent = AgentEtat.objects.create(
        utilisateur=user,
        service=service,
        fonction="",
        source=AgentEtat.Source.PROCONNECT,
        verifie_le=timezone.now(),
    )
    audit(
        by=user,
        obj=agent,
        action=Action.AGENT_ETAT_PROCONNECT,
        summary=f"{user.email} : SIRET {siret}, {service.nom}.",
    )
    return agent


# --- Organisations ------------------------------------------------------------------------

# Natures a person may give an organisation added from a form: the State's services are
# created by DGALN with their service (``service_etat_save``), never from a roadmap form.
NATURES_AJOUTABLES = tuple(
    n for n in Organisation.Nature.values if n not in Organisation.NATURES_ETAT
)


def organisation_add(*, by: Any, nom: str, nature: str, atelier: Any = None) -> Organisation:
    """Add an organisation missing from the list (name and kind), audited.

    The caller checks the right to do it where it is offered (the roadmap's action form:
    ``feuilles_de_route.edit_feuille``). A name already listed (case and spaces aside) is
    refused, naming it, so the list does not fill with doubles."""
    from django.db import transaction
    from django.utils.text import slugify

    nom = " ".join((nom or "").split())
    if not nom:
        raise ParticipationError(_("Donnez le nom de l'organisation."), field="nom")
    if len(nom) > 200:
        raise ParticipationError(_("Le nom compte au plus 200 caractères."), field="nom")
    if nature not in NATURES_AJOUTABLES:
        raise ParticipationError(_("Choisissez la nature de l'organisation."), field="nature")
    existante = Organisation.objects.filter(nom__iexact=nom).first()
    if existante is not None:
        raise ParticipationError(
            _("« %(nom)s » est déjà dans la liste : recherchez-la.") % {"nom": existante.nom},
            field="nom",
        )
    with transaction.atomic():
        organisation = Organisation.objects.create(
            nom=nom, slug=_free_slug(slugify(nom) or "organisation"), nature=nature
        )
        audit(
            by=by,
            obj=organisation,
            action=Action.ORGANISATION_AJOUTEE,
            summary=f"{nom} ({organisation.get_nature_display()}).",
            atelier=atelier,
        )
    return organisation


# --- The e-mail digest of « Ce qui m'attend » ----------------------------------------------

RESUME_SEL = "acteurs.resume.desabonnement"


def resume_periode(frequence: str, now: Any = None) -> str | None:
    """The period a digest sent now belongs to (None before ATELIER_RESUME_HEURE, Paris
    time): the day for a daily digest, the ISO week for a weekly one, so that the first beat
    run after the hour sends it and the next ones find it sent."""
    from django.conf import settings
    from django.utils import timezone

    local = timezone.localtime(now)
    if local.hour < settings.ATELIER_RESUME_HEURE:
        return None
    if frequence == Utilisateur.FrequenceResume.QUOTIDIEN:
        return local.date().isoformat()
    if frequence == Utilisateur.FrequenceResume.HEBDOMADAIRE:
        annee, semaine, _jour = local.isocalendar()
        return f"{annee}-S{semaine:02d}"
    return None


def resumes_due(now: Any = None) -> list[tuple[int, str]]:
    """(person, period) of the digests to try now: people who want one, take part in an
    atelier or are invited to one, and have not had this period's yet."""
    from django.db.models import Exists, OuterRef, Q

    dus = []
    for frequence in (
        Utilisateur.FrequenceResume.QUOTIDIEN,
        Utilisateur.FrequenceResume.HEBDOMADAIRE,
    ):
        periode = resume_periode(frequence, now)
        if periode is None:
            continue
        invite = Invitation.objects.filter(
            email__iexact=OuterRef("email"), statut=Invitation.Statut.ENVOYEE
        )
        ids = (
            Utilisateur.objects.filter(is_active=True, resume_frequence=frequence)
            .filter(Q(acteur__participations__isnull=False) | Exists(invite))
            .exclude(pk__in=ResumeEnvoye.objects.filter(periode=periode).values("utilisateur"))
            .values_list("pk", flat=True)
            .distinct()
        )
        dus += [(pk, periode) for pk in ids]
    return dus


def resume_send(*, user_id: int, periode: str) -> bool:
    """E-mail one person the list of « Ce qui m'attend », once per period (``send_once``
    with a ResumeEnvoye row); nothing when the list is empty or the person switched it off."""
    from django.conf import settings
    from django.core import signing
    from django.urls import reverse

    from atelier.emails import send_once

    from .selectors import espace_for_user

    user = Utilisateur.objects.filter(pk=user_id, is_active=True).first()
    if user is None or user.resume_frequence == Utilisateur.FrequenceResume.AUCUN:
        return False
    espace = espace_for_user(user)
    if not espace.a_faire:
        return False
    jeton = signing.dumps({"u": user.pk}, salt=RESUME_SEL)
    lien = reverse("acteurs:resume_desabonnement", kwargs={"jeton": jeton})
    # The mail client's own « Se désabonner » (RFC 2369), one click (RFC 8058: a POST with
    # no cookie to that address, which only an https address may promise).
    entetes = {"List-Unsubscribe": f"<{settings.SITE_URL}{lien}>"}
    if settings.SITE_URL.startswith("https://"):
        entetes["List-Unsubscribe-Post"] = "List-Unsubscribe=One-Click"
    return send_once(
        record=lambda: ResumeEnvoye.objects.create(utilisateur=user, periode=periode),
        template="acteurs/emails/resume",
        to=[user.email],
        context={
            "user": user,
            "espace": espace,
            "quotidien": user.resume_frequence == Utilisateur.FrequenceResume.QUOTIDIEN,
            "lien_espace": reverse("acteurs:espace"),
            "lien_desabonnement": lien,
        },
        headers=entetes,
    )


def resume_user_from_token(jeton: str) -> Utilisateur | None:
    """The account a digest's unsubscribe link was made for (None if the link is not ours)."""
    from django.core import signing

    try:
        data = signing.loads(jeton, salt=RESUME_SEL)
    except signing.BadSignature:
        return None
    return Utilisateur.objects.filter(pk=data.get("u"), is_active=True).first()


def resume_frequence_set(*, user: Any, frequence: str) -> None:
    """Choose how often one receives the digest (``aucun`` switches it off)."""
    if frequence not in Utilisateur.FrequenceResume.values:
        raise BusinessError(_("Fréquence inconnue."))
    Utilisateur.objects.filter(pk=user.pk).update(resume_frequence=frequence)
    user.resume_frequence = frequence
