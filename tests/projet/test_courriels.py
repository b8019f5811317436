"""E-mails: subject and text body carry names as typed; only the HTML body is escaped."""

import pytest
from django.core import mail
from django.utils import timezone

from acteurs.models import Invitation, Role
from atelier.emails import send_templated
from tests import factories

pytestmark = pytest.mark.django_db

NOM = 'Côtes-d\'Armor <Nord> & "Trégor"'


def _sent(template, context):
    send_templated(template=template, to=["x@example.fr"], context=context)
    message = mail.outbox[-1]
    return message.subject, message.body, message.alternatives[0][0]


def test_invitation_names_reach_subject_and_text_unescaped():
    atelier = factories.AtelierFactory(titre=NOM)
    invitation = Invitation(
        atelier=atelier, prenom="Anne d'Arc", role=Role.ELU, expire_le=timezone.now()
    )
    subject, text, html = _sent(
        "acteurs/emails/invitation",
        {"atelier": atelier, "invitation": invitation, "lien": "/invitations/x/"},
    )
    assert NOM in subject and NOM in text and "Anne d'Arc" in text
    assert "&lt;Nord&gt;" in html and "<Nord>" not in html and "d&#x27;Armor" in html


def test_candidature_subject_unescaped():
    candidature = factories.CandidatureFactory(territoire_nom=NOM)
    subject, _text, html = _sent("appels/emails/candidature_recue", {"candidature": candidature})
    assert NOM in subject and "&#x27;" not in subject
    assert "<Nord>" not in html
