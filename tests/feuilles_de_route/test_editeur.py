"""The roadmap editor: axes and actions with every field, reordering, rights, query counts."""

import pytest
from django.urls import reverse

from feuilles_de_route.models import Action, Axe
from tests import factories
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def url(name, atelier, **kw):
    return reverse(f"feuilles_de_route:{name}", kwargs={"pk": atelier.pk, **kw})


def lignes(*rows, initial=0):
    """The POST of the funding formset: (financeur, libelle, montant, statut[, supprimer])."""
    data = {"financements-TOTAL_FORMS": str(len(rows)), "financements-INITIAL_FORMS": str(initial)}
    for i, (financeur, libelle, montant, statut, *supprimer) in enumerate(rows):
        data |= {
            f"financements-{i}-financeur": financeur,
            f"financements-{i}-libelle": libelle,
            f"financements-{i}-montant": montant,
            f"financements-{i}-statut": statut,
        }
        if supprimer:
            data[f"financements-{i}-DELETE"] = "on"
    return data


def test_equipe_creates_axis_and_action_with_all_fields(client, atelier, equipe):
    site = f.site(atelier, "Friche de la gare")
    porteur = factories.OrganisationFactory(nom="Commune de Quintin")
    partenaire = factories.OrganisationFactory(nom="Banque des territoires")
    client.force_login(equipe)
    r = client.post(
        url("axe_ajouter", atelier), {"titre": "Habiter le centre-bourg", "description": "Axe 1"}
    )
    assert r.status_code == 302
    axe = Axe.objects.get()
    r = client.post(
        url("action_ajouter", atelier),
        {
            "axe": axe.pk,
            "titre": "Réhabiliter la halle",
            "description": "Halle de 1890",
            "porteur": porteur.pk,
            "partenaires": [partenaire.pk],
            "echeance": "2027-12-31",
            "cout_estime": "450000",
            **lignes(("etat", "DSIL", "200 000", "acquis"), ("region", "", "120000,50", "demande")),
            "indicateurs": "Fréquentation",
            "site": site.pk,
            "priorite": "haute",
        },
    )
    assert r.status_code == 302, r.content.decode()[:2000]
    action = Action.objects.get()
    assert action.porteur == porteur and list(action.partenaires.all()) == [partenaire]
    assert action.site == site and action.priorite == "haute"
    assert [(x.source, str(x.montant), x.statut) for x in action.financements.all()] == [
        ("État — DSIL", "200000.00", "acquis"),
        ("Région", "120000.50", "demande"),
    ]
    page = client.get(url("action_modifier", atelier, action_id=action.pk))
    assert 'value="DSIL"' in page.content.decode() and 'value="120000,50"' in page.content.decode()
    assert 'value="2027-12-31"' in page.content.decode()


def test_each_action_row_says_its_priority_and_lists_only_what_it_has(client, atelier, pilote):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    axe = feuille.axes.get()
    complete = axe.actions.get()
    nue = Action.objects.create(axe=axe, titre="Action sans détail", priorite="basse", ordre=9)
    client.force_login(pilote)
    html = client.get(url("feuille", atelier)).content.decode()

    def ligne_de(action):
        return html.split(f'id="action-{action.pk}"')[1].split('class="fdr-action"')[0]

    ligne = ligne_de(complete)
    assert "Priorité haute" in ligne and "fr-badge--warning" in ligne
    assert f"Porteur : {complete.porteur.nom}." in ligne
    assert (
        "Partenaires : Agence de l&#x27;eau" in ligne
        and "Indicateurs : Nombre de logements" in ligne
    )
    ligne = ligne_de(nue).split("</ol>")[0]
    assert "Priorité basse" in ligne and "fr-badge--warning" not in ligne
    assert 'class="fr-text--xs fr-mb-0"' not in ligne  # no empty summary paragraph


def test_bad_funding_line_is_explained(client, atelier, pilote):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    client.force_login(pilote)
    r = client.post(
        url("action_ajouter", atelier),
        {
            "axe": feuille.axes.first().pk,
            "titre": "X",
            "priorite": "haute",
            **lignes(("etat", "", "beaucoup", "acquis"), ("autre", "", "100", "envisage")),
        },
    )
    html = r.content.decode()
    assert r.status_code == 400 and "Saisissez un nombre." in html
    assert "Nommez le financeur choisi comme « Autre »." in html
    assert 'aria-invalid="true"' in html


def test_partner_id_no_column_holds_is_refused_and_the_action_kept(client, atelier, pilote):
    # On SQLite, pk__in=[99999999999999999999] raised OverflowError: a 500.
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    action = Action.objects.get(axe__feuille=feuille)
    client.force_login(pilote)
    r = client.post(
        url("action_modifier", atelier, action_id=action.pk),
        {
            "axe": action.axe_id,
            "titre": "Titre retapé",
            "priorite": "haute",
            "partenaires": ["99999999999999999999"],
        },
    )
    page = r.content.decode()
    assert r.status_code == 400 and "Sélectionnez un choix valide" in page
    assert 'value="Titre retapé"' in page  # what was typed is shown again
    action.refresh_from_db()
    assert action.titre != "Titre retapé"


def test_site_of_another_atelier_refused(client, atelier, pilote, autre_atelier):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    foreign = f.site(autre_atelier, "Ailleurs")
    client.force_login(pilote)
    r = client.post(
        url("action_ajouter", atelier),
        {"axe": feuille.axes.first().pk, "titre": "X", "priorite": "haute", "site": foreign.pk},
    )
    assert r.status_code == 400 and Action.objects.count() == 1


def test_elu_reads_but_cannot_edit(client, atelier, elu):
    f.feuille_with_actions(atelier)
    client.force_login(elu)
    page = client.get(url("feuille", atelier)).content.decode()
    assert "Action 1.1" in page and "Ajouter un axe" not in page and "data-deplacer" not in page
    assert client.post(url("axe_ajouter", atelier), {"titre": "X"}).status_code == 403


def test_reorder_json_and_plain_post(client, atelier, equipe):
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=3)
    first, second, third = Action.objects.filter(axe__feuille=feuille).order_by("ordre")
    client.force_login(equipe)
    r = client.post(
        url("deplacer", atelier),
        {"type": "action", "id": third.pk, "sens": "haut"},
        HTTP_ACCEPT="application/json",
    )
    assert r.json() == {"ok": True, "deplace": True}
    order = list(
        Action.objects.filter(axe__feuille=feuille).order_by("ordre").values_list("pk", flat=True)
    )
    assert order == [first.pk, third.pk, second.pk]
    r = client.post(
        url("deplacer", atelier),
        {"type": "action", "id": first.pk, "sens": "haut"},
        HTTP_ACCEPT="application/json",
    )
    assert r.json() == {"ok": True, "deplace": False}
    r = client.post(url("deplacer", atelier), {"type": "action", "id": first.pk, "sens": "bas"})
    assert r.status_code == 302 and r["Location"].endswith(f"#action-{first.pk}")
    r = client.post(
        url("deplacer", atelier), {"type": "rien", "id": "x"}, HTTP_ACCEPT="application/json"
    )
    assert r.status_code == 400 and "invalide" in r.json()["message"]


def test_reorder_needs_csrf(atelier, equipe):
    from django.test import Client

    feuille = f.feuille_with_actions(atelier, axes=2, actions_per_axe=1)
    csrf_client = Client(enforce_csrf_checks=True)
    csrf_client.force_login(equipe)
    r = csrf_client.post(
        url("deplacer", atelier), {"type": "axe", "id": feuille.axes.first().pk, "sens": "bas"}
    )
    assert r.status_code == 403


def test_editor_query_count_is_constant(client, atelier, pilote, django_assert_max_num_queries):
    f.feuille_with_actions(atelier, axes=6, actions_per_axe=8)
    client.force_login(pilote)
    # 13 with 48 actions as with 200 (bench/espace.py); the draft's fingerprint reads the
    # atelier the page already holds; without any version, no concertation to look for.
    with django_assert_max_num_queries(13):
        r = client.get(url("feuille", atelier))
    assert r.status_code == 200 and r.content.decode().count('data-element="action"') == 48


def test_versions_list_query_count(
    client, atelier, pilote, elu, etat, django_assert_max_num_queries
):
    from feuilles_de_route import services

    feuille = f.feuille_with_actions(atelier, axes=2, actions_per_axe=2)
    action = Action.objects.filter(axe__feuille=feuille).first()
    for i in range(8):
        services.action_save(axe=action.axe, by=pilote, data={"titre": f"T{i}"}, action=action)
        services.version_create(feuille=feuille, by=pilote)
    client.force_login(pilote)
    with django_assert_max_num_queries(15):
        r = client.get(url("versions", atelier) + "?de=1&a=8")
    assert r.status_code == 200 and r.content.decode().count("Version ") >= 8


def test_suivi_page_query_count(client, atelier, elu, adoptee, django_assert_max_num_queries):
    client.force_login(elu)
    # 13 (bench/espace.py: 10 for a pilote, who needs no query for the scope of follow-up):
    # the axes' progress is computed from the actions the page loads, which come without
    # their partners (the page does not show them).
    with django_assert_max_num_queries(13):
        assert client.get(url("suivi", atelier)).status_code == 200


def test_verify_unknown_and_malformed(client, adoptee):
    r = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": "0" * 64}))
    assert r.status_code == 404 and "Empreinte inconnue" in r.content.decode()
    r = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": "pas-un-hash"}))
    assert r.status_code == 404 and "inconnue" in r.content.decode()
    r = client.get(reverse("feuilles_de_route:verifier_formulaire") + "?empreinte=zz")
    assert r.status_code == 400 and "64 caractères" in r.content.decode()
    r = client.get(
        reverse("feuilles_de_route:verifier_formulaire") + f"?empreinte={adoptee.empreinte.upper()}"
    )
    assert r.status_code == 302


def test_verify_version_and_signature(client, adoptee):
    f.publish(adoptee)
    r = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": adoptee.empreinte}))
    html = r.content.decode()
    assert r.status_code == 200 and "Maire, Commune de Quintin" in html and "Action 1.1" in html
    # The public check says who vouched for each capacity.
    assert "Mandat attesté par Claire Martin (pilote)" in html
    assert "Agent de l&#x27;État vérifié par" in html
    signature = adoptee.signatures.first()
    r = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": signature.sceau}))
    assert r.status_code == 200 and "Signature authentique" in r.content.decode()


def test_verify_says_when_stored_content_was_altered(client, adoptee):
    f.publish(adoptee)
    contenu = adoptee.contenu
    contenu["axes"][0]["titre"] = "Falsifié"
    f.tamper_version(adoptee, contenu)
    r = client.get(reverse("feuilles_de_route:verifier", kwargs={"empreinte": adoptee.empreinte}))
    html = r.content.decode()
    assert "NON authentique" in html and "échec</span> L&#x27;empreinte du contenu" in html


def test_draft_version_is_not_verifiable(client, feuille, pilote):
    from feuilles_de_route import services

    version = services.version_create(feuille=feuille, by=pilote)
    assert (
        client.get(
            reverse("feuilles_de_route:verifier", kwargs={"empreinte": version.empreinte})
        ).status_code
        == 404
    )


def test_editor_and_suivi_query_counts_do_not_grow_with_actions(
    client, atelier, pilote, django_assert_num_queries
):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    client.force_login(pilote)
    feuille = f.feuille_with_actions(atelier, axes=1, actions_per_axe=1)
    counts = {}
    for page in ("feuille", "suivi"):
        client.get(url(page, atelier))
        with CaptureQueriesContext(connection) as petit:
            client.get(url(page, atelier))
        counts[page] = len(petit.captured_queries)
    from feuilles_de_route.models import Financement

    modele = Action.objects.get(axe__feuille=feuille)
    for i in range(3):
        axe = Axe.objects.create(feuille=feuille, titre=f"Axe ajouté {i}", ordre=10 + i)
        for j in range(8):
            action = Action.objects.create(
                axe=axe, titre=f"Action {i}.{j}", porteur=modele.porteur, site=modele.site, ordre=j
            )
            action.partenaires.set(modele.partenaires.all())
            Financement.objects.create(
                action=action, financeur="autre", libelle="DSIL", montant=100 + j
            )
    assert Action.objects.filter(axe__feuille=feuille).count() == 25
    for page, n in counts.items():
        with django_assert_num_queries(n):
            r = client.get(url(page, atelier))
        assert r.status_code == 200
