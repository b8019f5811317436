"""Writes for people, roles, invitations and participants."""

from typing import Any

from django.utils.translation import gettext as _

from atelier.errors import BusinessError
from journal.models import Action
from journal.services import audit

from .models import Acteur, Invitation, Participation, Role
from .permissions import require_perm

# --- Invitations and participants --------------------------------------------------------


class ParticipationError(BusinessError):
    """A refused change of participants (a 4xx with a French message, not a bug)."""


def invitation_create(
    *,
    atelier: Any,
    by: Any,
    email: str,
    role: str,
    prenom: str = "",
    nom: str = "",
) -> Invitation:
    """Invite ``email`` to ``atelier`` with ``role``; the e-mail leaves after commit.

    Requires ``ateliers.invite`` on the atelier (pilote or DGALN). Refused when the address
    already takes part in the atelier. A previous pending invitation for the same address
    is cancelled (only the newest link works).
    """
    from django.conf import settings
    from django.db import transaction
    from django.utils import timezone

    from atelier.workflow import transition

    from . import tasks

    require_perm(by, "ateliers.invite", atelier)
    email = email.strip().lower()
    if role not in Role.values:
        raise ParticipationError(_("Rôle inconnu."))
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
        transaction.on_commit(lambda: tasks.envoyer_invitation.delay(invitation.pk))
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
    a replayed link fail even when two requests race.
    """
    from django.db import transaction
    from django.utils import timezone

    from atelier.workflow import transition

    if invitation.statut != Invitation.Statut.ENVOYEE:
        raise ParticipationError(_("Cette invitation a déjà été utilisée ou annulée."))
    if invitation.expire_le <= timezone.now():
        raise ParticipationError(_("Cette invitation a expiré."))
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
        participation, created = Participation.objects.get_or_create(
            acteur=acteur, atelier=invitation.atelier, defaults={"role": invitation.role}
        )
        if not created and participation.role != invitation.role:
            ancien = participation.role
            Participation.objects.filter(pk=participation.pk).update(role=invitation.role)
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
    user.__dict__.pop("_roles_par_atelier", None)
    return participation


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


def participation_change_role(*, participation: Participation, by: Any, role: str) -> None:
    """Change a participant's role. The last pilote of an atelier keeps that role."""
    from django.db import transaction

    require_perm(by, "ateliers.invite", participation.atelier)
    if role not in Role.values:
        raise ParticipationError(_("Rôle inconnu."))
    if role == participation.role:
        return
    with transaction.atomic():
        _lock_pilotes(participation.atelier_id)
        if participation.role == Role.PILOTE and _pilote_count(participation.atelier_id) <= 1:
            raise ParticipationError(
                _("L'atelier doit garder au moins un pilote : désignez-en un autre d'abord.")
            )
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
        if participation.role == Role.PILOTE and _pilote_count(participation.atelier_id) <= 1:
            raise ParticipationError(_("Le dernier pilote de l'atelier ne peut pas être retiré."))
        audit(
            by=by,
            obj=participation,
            action=Action.PARTICIPATION_RETIREE,
            from_state=participation.role,
            summary=_("%(acteur)s retiré·e de l'atelier.") % {"acteur": participation.acteur},
        )
        participation.delete()


def _lock_pilotes(atelier_id: int) -> None:
    # Two pilotes removing each other at once must not leave the atelier without one.
    list(
        Participation.objects.select_for_update()
        .filter(atelier_id=atelier_id, role=Role.PILOTE)
        .values_list("pk", flat=True)
    )


def _pilote_count(atelier_id: int) -> int:
    return Participation.objects.filter(atelier_id=atelier_id, role=Role.PILOTE).count()
