"""A pilote invites someone by e-mail; the invitee creates an account and joins the atelier."""

import re

import pytest
from django.core import mail

from acteurs.models import Participation, Role
from tests.e2e.conftest import login

pytestmark = pytest.mark.django_db(transaction=True)


def test_invitation_end_to_end(page, atelier, pilote, password):
    login(page, pilote.email, password)
    page.goto(f"{page.base_url}/espace/ateliers/{atelier.pk}/participants/")
    page.get_by_label("Adresse électronique").fill("nouvelle.elue@commune.fr")
    page.fill("#id_prenom", "Inès")
    page.fill("#id_nom", "Martin")
    page.get_by_label("Rôle dans l'atelier").select_option(Role.ELU)
    page.fill("#id_collectivite", "Commune de Quintin")
    page.fill("#id_mandat", "Adjointe à l'urbanisme")
    page.get_by_role("button", name="Envoyer l'invitation").click()
    page.wait_for_load_state("networkidle")
    assert page.get_by_text("Invitation envoyée à nouvelle.elue@commune.fr").is_visible()

    # The e-mail leaves from a task queued after the commit (eager in tests, locmem backend).
    assert len(mail.outbox) == 1
    link = re.search(r"https?://\S+(/invitations/\S+/)", mail.outbox[0].body).group(1)

    page.get_by_role("button", name="Se déconnecter").first.click()
    page.wait_for_load_state("networkidle")

    page.goto(page.base_url + link)
    assert page.get_by_role("heading", level=1).inner_text().startswith("Invitation à l'atelier")
    page.get_by_role("link", name="Créer mon compte").click()
    page.fill("#id_email", "nouvelle.elue@commune.fr")
    page.fill("#id_password1", "Un-mot-de-passe-solide-42")
    page.fill("#id_password2", "Un-mot-de-passe-solide-42")
    if not page.input_value("#id_first_name"):
        page.fill("#id_first_name", "Nouvelle")
    if not page.input_value("#id_last_name"):
        page.fill("#id_last_name", "Élue")
    page.fill("#id_organisation", "Commune de Plouër-sur-Rance")
    page.get_by_role("button", name="Créer mon compte").click()
    page.wait_for_load_state("networkidle")

    # Back on the invitation, signed in: join.
    assert "/invitations/" in page.url
    page.get_by_role("button", name="Rejoindre l'atelier").click()
    page.wait_for_load_state("networkidle")
    assert f"/espace/ateliers/{atelier.pk}/" in page.url
    assert page.get_by_text("en tant que Élu·e").first.is_visible()

    participation = Participation.objects.get(acteur__utilisateur__email="nouvelle.elue@commune.fr")
    assert participation.atelier_id == atelier.pk and participation.role == Role.ELU

    page.goto(f"{page.base_url}/espace/")
    assert page.get_by_text("Mon rôle : Élu·e").is_visible()
