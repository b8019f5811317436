"""Participants page: by role and organisation; role changes and removals; last pilote kept."""

import re

import pytest
from django.urls import reverse

from acteurs.models import Participation, Role
from journal.models import EvenementAudit
from tests import factories

pytestmark = pytest.mark.django_db


def test_participants_grouped_by_role(
    client, atelier, pilote, habitant, elu, django_assert_max_num_queries
):
    org = factories.OrganisationFactory(nom="Mairie de Quintin")
    for i in range(15):
        user = factories.participant(atelier, Role.TECHNICIEN, email=f"tech{i}@exemple.fr")
        user.acteur.organisation = org
        user.acteur.save()
    # Élus whose mandate the pilote attested: their row reads the mandate, not another query.
    from django.utils import timezone

    for i in range(4):
        factories.participant(atelier, Role.ELU, email=f"elu{i}@exemple.fr")
    Participation.objects.filter(atelier=atelier, role=Role.ELU).update(
        mandat="Maire adjointe", collectivite="Quintin", atteste_le=timezone.now(),
        atteste_par_nom="Paul Pilote",
    )  # fmt: skip
    client.force_login(pilote)
    # Measured: 7 with 3 or 18 participants (bench/espace.py: the same with 300). The list's
    # length and the pilotes (for the last pilote's disabled buttons) come from the counts by role.
    with django_assert_max_num_queries(7):
        response = client.get(reverse("ateliers:participants", args=[atelier.pk]))
    html = response.content.decode()
    assert response.status_code == 200
    assert "Pilote (1)" in html and "Technicien·ne (15)" in html
    assert "Mairie de Quintin" in html
    assert html.count("Maire adjointe, Quintin") == 5
    assert html.count("Mandat attesté par Paul Pilote") == 5
    assert "Inviter une personne" in html


def test_participant_sees_the_list_without_management(client, atelier, habitant, pilote):
    client.force_login(habitant)
    html = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    assert "Inviter une personne" not in html
    assert "Retirer" not in html


def test_pilote_changes_a_role(client, atelier, pilote, habitant):
    participation = Participation.objects.get(acteur__utilisateur=habitant)
    client.force_login(pilote)
    client.post(
        reverse("ateliers:participation_role", args=[atelier.pk, participation.pk]),
        {"role": Role.TECHNICIEN},
    )
    participation.refresh_from_db()
    assert participation.role == Role.TECHNICIEN
    event = EvenementAudit.objects.get(action="participation_role_modifie")
    assert (event.etat_avant, event.etat_apres, event.auteur) == (
        Role.HABITANT,
        Role.TECHNICIEN,
        pilote,
    )
    assert event.atelier_id == atelier.pk


def test_pilote_removes_a_participant(client, atelier, pilote, habitant):
    participation = Participation.objects.get(acteur__utilisateur=habitant)
    client.force_login(pilote)
    client.post(reverse("ateliers:participation_retirer", args=[atelier.pk, participation.pk]))
    assert not Participation.objects.filter(pk=participation.pk).exists()
    assert EvenementAudit.objects.filter(action="participation_retiree").exists()


def test_last_pilote_cannot_be_removed_or_demoted(client, atelier, pilote):
    participation = Participation.objects.get(acteur__utilisateur=pilote)
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:participation_retirer", args=[atelier.pk, participation.pk]), follow=True
    )
    assert "dernier pilote" in response.content.decode()
    client.post(
        reverse("ateliers:participation_role", args=[atelier.pk, participation.pk]),
        {"role": Role.HABITANT},
    )
    participation.refresh_from_db()
    assert participation.role == Role.PILOTE


def test_the_last_pilotes_role_button_is_disabled_with_the_reason(
    client, atelier, pilote, habitant
):
    mine = Participation.objects.get(acteur__utilisateur=pilote)
    other = Participation.objects.get(acteur__utilisateur=habitant)
    client.force_login(pilote)
    url = reverse("ateliers:participants", args=[atelier.pk])
    html = client.get(url).content.decode()
    assert re.search(
        rf'<button[^>]*disabled aria-describedby="raison-role-{mine.pk}">Changer</button>', html
    )
    raison = re.search(rf'id="raison-role-{mine.pk}"[^>]*>([^<]*)<', html).group(1)
    assert (
        raison
        == "L&#x27;atelier doit garder au moins un pilote : désignez-en un autre d&#x27;abord."
    )
    assert re.search(rf'id="role-{mine.pk}" name="role" disabled>', html)
    # Another participant's role can still be changed.
    assert f"raison-role-{other.pk}" not in html
    assert re.search(rf'id="role-{other.pk}" name="role">', html)

    factories.participant(atelier, Role.PILOTE, email="second@ddt.gouv.fr")
    assert f"raison-role-{mine.pk}" not in client.get(url).content.decode()


def test_a_second_pilote_allows_removing_the_first(client, atelier, pilote):
    second = factories.participant(atelier, Role.PILOTE, email="second@ddt.gouv.fr")
    participation = Participation.objects.get(acteur__utilisateur=pilote)
    client.force_login(second)
    client.post(reverse("ateliers:participation_retirer", args=[atelier.pk, participation.pk]))
    assert not Participation.objects.filter(pk=participation.pk).exists()


def test_participation_of_another_atelier_is_not_found(
    client, atelier, autre_atelier, pilote, autre_pilote
):
    other = Participation.objects.get(acteur__utilisateur=autre_pilote)
    client.force_login(pilote)
    response = client.post(reverse("ateliers:participation_retirer", args=[atelier.pk, other.pk]))
    assert response.status_code == 404
    assert Participation.objects.filter(pk=other.pk).exists()


def test_bad_role_is_refused_with_a_message(client, atelier, pilote, habitant):
    participation = Participation.objects.get(acteur__utilisateur=habitant)
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:participation_role", args=[atelier.pk, participation.pk]),
        {"role": "roi"},
        follow=True,
    )
    assert "Choisissez un rôle" in response.content.decode()


def test_inhabitants_do_not_see_each_other(client, atelier, habitant, elu):
    factories.participant(
        atelier, Role.HABITANT, email="voisin@exemple.fr", first_name="Yvon", last_name="Voisin"
    )
    client.force_login(habitant)
    page = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    assert "Voisin" not in page and "voisin@exemple.fr" not in page
    assert "Et 1 autre habitant·e" in page
    assert habitant.last_name in page  # their own line, and the other roles
    assert elu.last_name in page
    client.force_login(elu)
    page = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    assert "Yvon Voisin" in page
    assert "voisin@exemple.fr" not in page  # addresses are never listed


def test_each_rows_role_select_offers_every_role_with_its_own_selected(
    client, atelier, pilote, habitant, elu
):
    client.force_login(pilote)
    html = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    for user, role in ((pilote, Role.PILOTE), (habitant, Role.HABITANT), (elu, Role.ELU)):
        pk = Participation.objects.get(acteur__utilisateur=user).pk
        select = re.search(
            rf'<select class="fr-select" id="role-{pk}"[^>]*>(.*?)</select>', html, re.S
        )
        options = re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select[1])
        assert [(v, label) for v, _s, label in options] == [
            (v, str(label)) for v, label in Role.choices
        ]
        assert [v for v, selected, _label in options if selected] == [role]


def test_a_row_writes_typed_names_as_text_with_its_links_and_labels(
    client, atelier, pilote, habitant, elu
):
    """Rows are written in Python (ateliers/templatetags/liste_participants.py): what people
    typed (name, organisation, function, mandate) reaches the page escaped, and each row keeps
    its role form, its labelled select and its removal confirmation."""
    org = factories.OrganisationFactory(nom="Mairie <b>&</b> Cie")
    acteur = habitant.acteur
    acteur.prenom, acteur.nom = "<script>x</script>", "O'Brien & fils"
    acteur.organisation, acteur.fonction = org, "Chef <i>de</i> projet"
    acteur.save()
    p_elu = Participation.objects.get(acteur__utilisateur=elu)
    p_elu.mandat, p_elu.atteste_par_nom = "Maire <adjoint>", "Claire & Co"
    p_elu.save()
    client.force_login(pilote)
    html = client.get(reverse("ateliers:participants", args=[atelier.pk])).content.decode()
    assert "<script>x</script>" not in html and "<b>&</b>" not in html and "<i>de" not in html
    nom = "&lt;script&gt;x&lt;/script&gt; O&#x27;Brien &amp; fils"
    assert f"<td>{nom}</td>" in html
    assert "<td>Mairie &lt;b&gt;&amp;&lt;/b&gt; Cie</td>" in html
    assert "<td>Chef &lt;i&gt;de&lt;/i&gt; projet</td>" in html
    assert "Maire &lt;adjoint&gt;, Commune de Quintin<br>" in html
    assert "Mandat attesté par Claire &amp; Co le " in html
    pk = Participation.objects.get(acteur__utilisateur=habitant).pk
    role = reverse("ateliers:participation_role", args=[atelier.pk, pk])
    assert f'<form method="post" action="{role}" class="participant-role">' in html
    assert f'<label class="fr-label fr-sr-only" for="role-{pk}">Rôle de {nom}</label>' in html
    assert f'<span class="fr-sr-only"> le rôle de {nom}</span>' in html
    retirer = reverse("ateliers:participation_retirer", args=[atelier.pk, pk])
    assert re.search(rf'<form method="post" action="{retirer}" id="confirmation-\d+-form"', html)
    assert f'<span class="fr-sr-only"> {nom}</span></button></form>' in html
    assert '<span class="fr-badge fr-badge--sm fr-badge--info">vous</span>' in html
    assert html.count('name="csrfmiddlewaretoken"') >= 6
