"""The timeline of stages on the overview and « Étapes » pages (ateliers/templatetags/frise.py):
each stage's date and place, its badge, its deliverables and its attendance, as text."""

import pytest
from django.utils import timezone

from acteurs.models import Participation, Presence, Role
from ateliers.models import Etape, Livrable
from tests import factories
from tests.factories.ateliers import document


@pytest.fixture
def frise(client):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE)
    factories.with_totp(pilote)
    for i in range(2):
        factories.participant(atelier, Role.ELU, email=f"elu{i}@exemple.fr")
    now, jours = timezone.now(), timezone.timedelta(days=1)

    def etape(**champs):
        return Etape.objects.create(atelier=atelier, **champs)

    lancement = etape(
        nature="lancement", ordre=1, debut=now - 20 * jours, lieu="<i>Mairie</i>", statut="realisee"
    )
    etape(
        nature="atelier_1",
        ordre=2,
        titre="Atelier <b>1</b>",
        debut=now - 10 * jours,
        statut="annulee",
        motif_annulation="<b>Pluie</b> & vent",
    )
    prochaine = etape(nature="atelier_2", ordre=3, titre="Deux", debut=now + 3 * jours)
    etape(nature="visite", ordre=4, titre="Visite")
    Livrable.objects.create(
        etape=lancement, nature="compte_rendu", document=document(atelier, by=pilote)
    )
    Livrable.objects.create(etape=lancement, nature="note_cadrage", obligatoire=True)
    Livrable.objects.create(etape=lancement, nature="rapport_etonnement", obligatoire=False)
    participations = list(Participation.objects.filter(atelier=atelier))
    for p in participations[:2]:
        Presence.objects.create(etape=lancement, participation=p)
    Presence.objects.create(etape=lancement, participation=participations[2], present=False)
    client.force_login(pilote)
    return atelier, lancement, prochaine


@pytest.mark.django_db
@pytest.mark.parametrize("page", ["", "etapes/"])
def test_each_stage_says_when_where_how_it_went_and_what_it_owes(client, frise, page):
    atelier, _, prochaine = frise
    html = client.get(f"/espace/ateliers/{atelier.pk}/{page}").content.decode()
    frise_html = html[html.index('<ol class="frise"') :]
    frise_html = frise_html[: frise_html.index("</ol>\n", frise_html.index("Visite"))]
    items = frise_html.split('<li class="frise__etape ')[1:]
    assert len(items) == 4
    fait, annule, prochain, visite = items
    # Typed text is text.
    assert "&lt;i&gt;Mairie&lt;/i&gt;" in fait and "<i>Mairie" not in fait
    assert "Motif : &lt;b&gt;Pluie&lt;/b&gt; &amp; vent" in annule
    assert "Atelier &lt;b&gt;1&lt;/b&gt;</a>" in annule
    # Badges, attendance (two present, one absent), deliverables.
    assert "Réalisée" in fait and "· 2 présents" in fait
    assert "✓ Compte rendu de la séance" in fait
    assert "Note de cadrage (méthode et calendrier) · attendu" in fait
    assert "Rapport d&#x27;étonnement</span>" in fait  # not attendu: optional
    assert "Annulée" in annule
    assert prochain.startswith("frise__etape--prevue frise__etape--courante")
    assert "Prochaine étape" in prochain
    assert f'href="/espace/ateliers/{atelier.pk}/etapes/{prochaine.pk}/"' in prochain
    assert "Date à fixer" in visite and "À planifier" in visite and "Facultative" in visite


@pytest.mark.django_db
def test_an_atelier_without_stages_says_they_will_come_from_its_format(client):
    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE)
    factories.with_totp(pilote)
    client.force_login(pilote)
    html = client.get(f"/espace/ateliers/{atelier.pk}/etapes/").content.decode()
    assert "Les étapes seront créées à partir du modèle du format" in html
    assert '<ol class="frise"' not in html
