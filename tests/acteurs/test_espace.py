"""/espace/: my ateliers with my role, my candidatures, what awaits me."""

import datetime as dt

import pytest
import time_machine
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Invitation, Role
from feuilles_de_route.models import Qualite, SignataireRequis, Signature, Version
from tests import factories

pytestmark = pytest.mark.django_db


def _version(atelier, statut=Version.Statut.EN_SIGNATURE):
    feuille = factories.FeuilleDeRouteFactory(atelier=atelier)
    return Version.objects.create(
        feuille=feuille, numero=1, contenu={}, empreinte="0" * 64, statut=statut
    )


def test_anonymous_is_sent_to_login(client):
    response = client.get(reverse("acteurs:espace"))
    assert response.status_code == 302
    assert response.url.startswith(reverse("account_login"))


def test_my_ateliers_with_my_role(client, atelier, elu, autre_atelier):
    factories.ParticipationFactory(acteur=elu.acteur, atelier=autre_atelier, role=Role.OBSERVATEUR)
    client.force_login(elu)
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert atelier.titre in html and autre_atelier.titre in html
    assert "Mon rôle : Élu·e" in html and "Mon rôle : Observateur·rice" in html
    assert f'href="/espace/ateliers/{atelier.pk}/"' in html


def test_my_candidatures_with_their_state(client, applicant):
    factories.CandidatureFactory(auteur=applicant, territoire_nom="Pays de Quintin")
    factories.CandidatureFactory(territoire_nom="Pas à moi")
    client.force_login(applicant)
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert "Pays de Quintin" in html and "Brouillon" in html
    assert "Pas à moi" not in html


# A Wednesday morning: the week's stages still to come are those until Sunday night.
MERCREDI = dt.datetime(2026, 3, 11, 9, 0, tzinfo=dt.UTC)


@time_machine.travel(MERCREDI, tick=False)
def test_what_awaits_me(client, atelier, elu, pilote):
    version = _version(atelier)
    SignataireRequis.objects.create(version=version, utilisateur=elu, qualite=Qualite.ELU)
    etape = factories.EtapeFactory(
        atelier=atelier, titre="Atelier 2 consolidation", debut=MERCREDI + dt.timedelta(days=2)
    )
    factories.EtapeFactory(
        atelier=atelier, titre="Déjà passée", debut=MERCREDI - dt.timedelta(days=1)
    )
    factories.EtapeFactory(
        atelier=atelier, titre="Plus tard", debut=MERCREDI + dt.timedelta(days=40)
    )
    Invitation.objects.create(
        atelier=factories.AtelierFactory(titre="Atelier voisin"),
        email=elu.email,
        role=Role.ELU,
        expire_le=timezone.now() + dt.timedelta(days=3),
    )
    client.force_login(elu)
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert "Feuille de route à signer" in html
    # Straight to the signing page of that version.
    assert f'href="/espace/ateliers/{atelier.pk}/feuille-de-route/versions/1/signer/"' in html
    assert "Atelier 2 consolidation" in html
    assert f'href="/espace/ateliers/{atelier.pk}/etapes/{etape.pk}/"' in html
    assert "Plus tard" not in html and "Déjà passée" not in html
    assert "Atelier voisin" in html


def test_links_to_my_candidatures_my_calendar_and_what_i_instruct(client, atelier, elu, dgaln):
    candidature = factories.CandidatureFactory(auteur=elu, territoire_nom="Pays de Quintin")
    client.force_login(elu)
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert f'href="/espace/candidatures/{candidature.pk}/"' in html
    assert 'href="/espace/calendrier/"' in html
    assert 'href="/gestion/candidatures/"' not in html
    candidature.rapporteurs.add(elu)
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert 'href="/gestion/candidatures/"' in html
    client.force_login(dgaln)
    assert 'href="/gestion/candidatures/"' in client.get(reverse("acteurs:espace")).content.decode()


def test_signed_version_no_longer_awaits(client, atelier, elu):
    version = _version(atelier)
    SignataireRequis.objects.create(version=version, utilisateur=elu, qualite=Qualite.ELU)
    Signature.objects.create(
        version=version,
        signataire=elu,
        nom_signataire="Élu",
        qualite=Qualite.ELU,
        empreinte="0" * 64,
    )
    client.force_login(elu)
    html = client.get(reverse("acteurs:espace")).content.decode()
    assert "Feuille de route à signer" not in html


def test_query_count_does_not_grow(client, elu, django_assert_max_num_queries):
    for _ in range(12):
        other = factories.AtelierFactory()
        factories.ParticipationFactory(acteur=elu.acteur, atelier=other, role=Role.ELU)
        factories.EtapeFactory(atelier=other, debut=timezone.now())
        factories.CandidatureFactory(auteur=elu)
    client.force_login(elu)
    with django_assert_max_num_queries(14):
        response = client.get(reverse("acteurs:espace"))
    assert response.status_code == 200


def test_the_team_sees_a_required_stage_report_due(client, atelier, equipe, habitant):
    """It said « Rien » to the team while a required stage report was due."""
    from ateliers.formats import NatureLivrable
    from ateliers.models import Livrable

    etape = factories.EtapeFactory(
        atelier=atelier, debut=timezone.now() - dt.timedelta(days=2), nature="atelier_1"
    )
    Livrable.objects.create(etape=etape, nature=NatureLivrable.COMPTE_RENDU, obligatoire=True)
    Livrable.objects.create(
        etape=etape, nature=NatureLivrable.RAPPORT_ETONNEMENT, obligatoire=False
    )
    lointaine = factories.EtapeFactory(
        atelier=atelier, debut=timezone.now() + dt.timedelta(days=60), nature="atelier_2"
    )
    Livrable.objects.create(etape=lointaine, nature=NatureLivrable.VISION_PARTAGEE)
    client.force_login(equipe)
    page = client.get(reverse("acteurs:espace")).content.decode()
    assert "Rien ne vous attend" not in page
    assert "Livrable à déposer (en retard)" in page and "Compte rendu de la séance" in page
    assert "Rapport d&#x27;étonnement" not in page and "Vision territoriale" not in page
    client.force_login(habitant)
    page = client.get(reverse("acteurs:espace")).content.decode()
    assert "Livrable à déposer" not in page


def test_an_open_concertation_awaits_the_invited_roles(client, atelier, pilote, habitant, equipe):
    from feuilles_de_route import services
    from tests.factories import feuilles_de_route as f

    version = services.version_create(feuille=f.feuille_with_actions(atelier), by=pilote)
    services.consultation_open(
        version=version,
        by=pilote,
        cloture_prevue=timezone.now() + dt.timedelta(days=5),
        roles=[Role.HABITANT],
    )
    client.force_login(habitant)
    assert "Concertation ouverte" in client.get(reverse("acteurs:espace")).content.decode()
    client.force_login(equipe)
    assert "Concertation ouverte" not in client.get(reverse("acteurs:espace")).content.decode()
