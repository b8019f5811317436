"""Signed invitation links: ``signing`` gives integrity and expiry, the row gives single use."""

from django.conf import settings
from django.core import signing
from django.utils.translation import gettext as _

from atelier.errors import BusinessError

from .models import Invitation

SALT = "acteurs.invitation"


class InvitationLinkError(BusinessError):
    """A link that cannot be used; ``status`` is the HTTP status of the page explaining it."""


def make_token(invitation: Invitation) -> str:
    # The e-mail is part of the payload: a link cannot be replayed for another address.
    return signing.dumps({"i": invitation.pk, "e": invitation.email}, salt=SALT, compress=True)


def invitation_from_token(token: str) -> Invitation:
    """The pending invitation a link designates, or :class:`InvitationLinkError`."""
    max_age = settings.ATELIER_INVITATION_JOURS * 24 * 3600
    try:
        data = signing.loads(token, salt=SALT, max_age=max_age)
    except signing.SignatureExpired:
        raise InvitationLinkError(
            _(
                "Ce lien d'invitation a expiré. Demandez au pilote de l'atelier de vous inviter "
                "à nouveau."
            ),
            410,
        ) from None
    except signing.BadSignature:
        raise InvitationLinkError(
            _("Ce lien d'invitation n'est pas valide. Vérifiez qu'il a été copié en entier."),
            400,
        ) from None
    invitation = (
        Invitation.objects.select_related("atelier", "atelier__territoire", "invitee_par")
        .filter(pk=data.get("i"), email=data.get("e"))
        .first()
    )
    if invitation is None:
        raise InvitationLinkError(_("Cette invitation n'existe plus."), 410)
    if invitation.statut == Invitation.Statut.ACCEPTEE:
        raise InvitationLinkError(
            _(
                "Cette invitation a déjà été utilisée. Connectez-vous pour retrouver l'atelier "
                "dans votre espace."
            ),
            410,
        )
    if invitation.statut == Invitation.Statut.ANNULEE:
        raise InvitationLinkError(
            _("Cette invitation a été annulée ou remplacée par une plus récente."), 410
        )
    from django.utils import timezone

    if invitation.expire_le <= timezone.now():
        raise InvitationLinkError(
            _(
                "Ce lien d'invitation a expiré. Demandez au pilote de l'atelier de vous inviter "
                "à nouveau."
            ),
            410,
        )
    return invitation
