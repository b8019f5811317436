"""The DGALN back-office: calls, candidatures list and export, instruction, selection."""

import csv
import io

import pytest
from django.urls import reverse
from pypdf import PdfReader

from acteurs.models import Acteur, Invitation, Participation, Role
from appels import services
from appels.models import AppelACandidatures, Candidature, NotificationCandidature
from ateliers.models import Atelier
from journal.models import EvenementAudit
from territoires.models import Territoire
from tests.factories import TerritoireFactory, UtilisateurFactory, service_etat, vetted_agent
from tests.factories.appels import appel_complet, candidature_en_etat

pytestmark = pytest.mark.django_db
S = Candidature.Statut


# --- Selection ------------------------------------------------------------------------------


def _agent(email="claire.martin@developpement-durable.gouv.fr", code="ddt-35"):
    user = UtilisateurFactory(email=email, first_name="Claire", last_name="Martin")
    return vetted_agent(user, service=service_etat(code), fonction="Cheffe du service aménagement")


def _pdf_text(content: bytes) -> str:
    import io

    from pypdf import PdfReader

    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_selection_creates_the_atelier_its_territory_and_its_pilote(
    dgaln, mailoutbox, django_capture_on_commit_callbacks
):
    agent = _agent()
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(
        S.EN_INSTRUCTION,
        appel=appel,
        territoire_nom="Pays de Redon",
        territoire_siren="200087492",
        contact_etat_nom="Claire Martin",
        contact_etat_email="Claire.Martin@developpement-durable.gouv.fr",
        contact_etat_service="DDTM d'Ille-et-Vilaine",
    )
    with django_capture_on_commit_callbacks(execute=True):
        atelier = services.candidature_decider(
            candidature=candidature,
            by=dgaln,
            retenue=True,
            motivation="Projet exemplaire.",
            pilote=agent,
        )
    atelier.refresh_from_db()
    assert atelier.statut == Atelier.Statut.EN_PREPARATION
    assert atelier.candidature == candidature
    assert atelier.session == appel.session and atelier.format == "multisite"
    territoire = atelier.territoire
    assert territoire.nom == "Pays de Redon" and territoire.siren == "200087492"
    assert list(territoire.departements.values_list("code", flat=True)) == ["22"]
    # The pilote DGALN chose is invited (the acteurs invitation), not yet in the atelier.
    invitation = Invitation.objects.get(atelier=atelier)
    assert invitation.role == Role.PILOTE and invitation.email == agent.utilisateur.email
    assert (invitation.prenom, invitation.nom) == ("Claire", "Martin")
    assert invitation.statut == Invitation.Statut.ENVOYEE
    assert not Participation.objects.filter(atelier=atelier, role=Role.PILOTE).exists()
    assert atelier.service_pilote == agent.service.organisation
    assert "Ille-et-Vilaine" in atelier.service_pilote.nom
    assert EvenementAudit.objects.filter(action="atelier_cree_par_selection").count() == 1
    assert EvenementAudit.objects.filter(action="candidature_retenue").count() == 1
    # The applicant hears of the decision, the pilote DGALN chose of their atelier.
    assert len(mailoutbox) == 2
    laureat = next(m for m in mailoutbox if "lauréat" in m.subject)
    assert "Pays de Redon" in laureat.subject
    (au_pilote,) = [m for m in mailoutbox if m.to == [agent.utilisateur.email]]
    assert au_pilote.subject.endswith(
        f"Vous êtes désigné·e pilote de l'atelier « {atelier.titre} »"
    )
    assert "/invitations/" in au_pilote.body and "Bonjour Claire" in au_pilote.body
    assert "réservé aux agents de l'État vérifiés" in au_pilote.body
    # The applicant is in the atelier, with the role their organisation (a collectivité) implies.
    candidat = Participation.objects.get(atelier=atelier, acteur__utilisateur=candidature.auteur)
    assert candidat.role == Role.TECHNICIEN
    # The decision letter goes with the e-mail.
    (nom, contenu, mime) = laureat.attachments[0]
    assert nom == f"decision-{candidature.pk}.pdf" and mime == "application/pdf"
    assert "Projet exemplaire." in _pdf_text(contenu)


def test_selection_links_an_existing_account_and_an_existing_territory(dgaln):
    agent = _agent(email="pilote.ddt@developpement-durable.gouv.fr", code="ddt-22")
    territoire = TerritoireFactory(siren="243500139")
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(
        S.EN_INSTRUCTION,
        appel=appel,
        territoire_siren="243500139",
        contact_etat_email="PILOTE.ddt@developpement-durable.gouv.fr",
    )
    atelier = services.candidature_decider(
        candidature=candidature, by=dgaln, retenue=True, motivation="Oui.", pilote=agent
    )
    assert atelier.territoire == territoire
    assert Territoire.objects.count() == 1
    from acteurs.permissions import is_pilote
    from acteurs.services import invitation_accept

    assert not is_pilote(agent.utilisateur, atelier)
    # The agent already has an account: accepting the invitation makes them the pilote.
    invitation_accept(invitation=Invitation.objects.get(atelier=atelier), user=agent.utilisateur)
    acteur = Participation.objects.get(atelier=atelier, role=Role.PILOTE).acteur
    assert acteur.utilisateur == agent.utilisateur
    # The new pilote now has the role, as the permission predicates see it.
    assert is_pilote(agent.utilisateur, atelier)


def test_selection_is_all_or_nothing(dgaln, monkeypatch):
    agent = _agent()
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    acteurs_avant = Acteur.objects.count()

    def boom(*args, **kwargs):
        raise RuntimeError("panne")

    monkeypatch.setattr(services, "participation_ajouter_candidat", boom)
    with pytest.raises(RuntimeError):
        services.candidature_decider(
            candidature=candidature, by=dgaln, retenue=True, motivation="Oui.", pilote=agent
        )
    assert Candidature.objects.get(pk=candidature.pk).statut == S.EN_INSTRUCTION
    assert not Atelier.objects.exists() and not Territoire.objects.exists()
    assert Acteur.objects.count() == acteurs_avant
    assert not Invitation.objects.exists()


def test_an_applicant_typing_their_own_address_as_contact_does_not_become_pilote(
    client, dgaln, applicant
):
    """The forgery: a self-registered applicant gives their own address as the DDT/DREAL
    contact. DGALN is warned, and retaining needs a vetted agent DGALN picks."""
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(
        S.EN_INSTRUCTION,
        appel=appel,
        auteur=applicant,
        contact_etat_email=applicant.email,
        contact_etat_service="DDTM des Côtes-d'Armor",
    )
    client.force_login(dgaln)
    page = client.get(reverse("appels:gestion_candidature", args=[candidature.pk]))
    assert "celle du candidat lui-même" in page.content.decode()
    response = client.post(
        reverse("appels:gestion_candidature_decision", args=[candidature.pk]),
        {"decision": "retenue", "motivation": "Oui."},
    )
    assert response.status_code == 400
    assert "parmi les agents de l&#x27;État vérifiés" in response.content.decode()
    assert not Atelier.objects.exists()
    # Nor can the service be called with the applicant as pilote: they are no vetted agent.
    from atelier.workflow import TransitionError

    with pytest.raises(TransitionError):
        services.candidature_decider(
            candidature=candidature, by=dgaln, retenue=True, motivation="Oui.", pilote=None
        )
    assert not Participation.objects.filter(acteur__utilisateur=applicant).exists()


def test_a_contact_who_is_a_vetted_agent_is_suggested_and_a_stranger_is_flagged(client, dgaln):
    agent = _agent()
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    connu = candidature_en_etat(
        S.EN_INSTRUCTION, appel=appel, contact_etat_email=agent.utilisateur.email
    )
    inconnu = candidature_en_etat(
        S.EN_INSTRUCTION, appel=appel, contact_etat_email="qui@exemple.fr"
    )
    client.force_login(dgaln)
    page = client.get(reverse("appels:gestion_candidature", args=[connu.pk])).content.decode()
    assert f'value="{agent.pk}" selected' in page
    page = client.get(reverse("appels:gestion_candidature", args=[inconnu.pk])).content.decode()
    assert "pas un agent de l&#x27;État vérifié" in page
    response = client.post(
        reverse("appels:gestion_candidature_decision", args=[inconnu.pk]),
        {"decision": "retenue", "motivation": "Oui.", "pilote": agent.pk},
    )
    assert response.status_code == 302
    atelier = Atelier.objects.get()
    assert Invitation.objects.get(atelier=atelier, role=Role.PILOTE).email == (
        agent.utilisateur.email
    )


# --- Notifications --------------------------------------------------------------------------


def test_admissibility_and_decision_notifications_are_sent_once(
    dgaln, mailoutbox, django_capture_on_commit_callbacks
):
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(S.DEPOSEE, appel=appel)
    with django_capture_on_commit_callbacks(execute=True):
        services.candidature_statuer_recevabilite(
            candidature=candidature, by=dgaln, recevable=False, motif="Territoire hors zone."
        )
    assert len(mailoutbox) == 1
    message = mailoutbox[0]
    assert "irrecevable" in message.subject
    assert "Territoire hors zone." in message.body
    assert "Territoire hors zone." in message.alternatives[0][0]
    # A retried task sends nothing more.
    assert (
        services.candidature_notifier(
            candidature_id=candidature.pk, nature=NotificationCandidature.Nature.RECEVABILITE
        )
        is False
    )
    assert len(mailoutbox) == 1


def test_nothing_is_sent_when_the_transaction_rolls_back(dgaln, mailoutbox):
    from django.db import transaction

    candidature = candidature_en_etat(S.DEPOSEE)
    with pytest.raises(RuntimeError), transaction.atomic():
        services.candidature_statuer_recevabilite(candidature=candidature, by=dgaln, recevable=True)
        raise RuntimeError
    assert mailoutbox == []


# --- The list, its filters, its export -------------------------------------------------------


def _many(n=12):
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    rapporteur = UtilisateurFactory()
    made = []
    for i in range(n):
        c = candidature_en_etat(
            [S.DEPOSEE, S.RECEVABLE, S.EN_INSTRUCTION][i % 3],
            appel=appel,
            territoire_nom=f"Communauté d'Agglomération n°{i} — Évreux",
        )
        c.rapporteurs.add(rapporteur)
        made.append(c)
    return appel, rapporteur, made


def test_list_query_count_does_not_grow_with_rows(client, dgaln, django_assert_max_num_queries):
    _many(15)
    client.force_login(dgaln)
    # Measured: 12 with 1 or 15 rows (bench/espace.py: the same with 300).
    with django_assert_max_num_queries(12):
        response = client.get(reverse("appels:gestion_candidatures"))
    assert response.status_code == 200
    assert response.content.decode().count("Évreux") >= 15
    # Sorted, or on another page, it is the same list: no second count of it.
    for params in ({"tri": "-moyenne"}, {"tri": "territoire", "page": 1}):
        with django_assert_max_num_queries(12):
            response = client.get(reverse("appels:gestion_candidatures"), params)
        assert "15 candidatures" in response.content.decode()


def test_list_selects_read_without_a_server_side_cursor(client, dgaln, monkeypatch):
    # Each model select (session, call, région, reviewer, the reviewers to add) was read with
    # QuerySet.iterator(): on PostgreSQL a cursor declared WITH HOLD, four round trips each.
    from django.db import connection

    _many(3)
    client.force_login(dgaln)
    declares = []
    chunked = connection.chunked_cursor
    monkeypatch.setattr(connection, "chunked_cursor", lambda: declares.append(1) or chunked())
    html = client.get(reverse("appels:gestion_candidatures")).content.decode()
    assert 'name="rapporteurs"' in html and 'name="departement"' in html
    assert declares == []


def test_list_is_paginated_and_pages_keep_the_filters(client, dgaln, monkeypatch):
    from atelier import pagination

    monkeypatch.setattr(pagination.paginer, "__defaults__", (4, None))
    _many(6)
    client.force_login(dgaln)
    url = reverse("appels:gestion_candidatures")
    html = client.get(url, {"tri": "territoire"}).content.decode()
    assert html.count("Évreux") == 4 and "6 candidatures" in html
    assert "tri=territoire&amp;page=2" in html
    html = client.get(url, {"tri": "territoire", "page": 2}).content.decode()
    assert html.count("Évreux") == 2 and "n°5" in html


def test_unfiltered_list_counts_what_it_lists_and_no_draft(client, dgaln, monkeypatch):
    # Unfiltered, the total comes from the counts by state (no second count): drafts stay out.
    from atelier import pagination

    monkeypatch.setattr(pagination.paginer, "__defaults__", (4, None))
    appel, _rapporteur, _made = _many(6)
    candidature_en_etat(S.BROUILLON, appel=appel, territoire_nom="Brouillon — Évreux")
    client.force_login(dgaln)
    html = client.get(reverse("appels:gestion_candidatures")).content.decode()
    assert "6 candidatures" in html and html.count("Évreux") == 4
    assert "page=2" in html and "page=3" not in html and "Brouillon" not in html


def test_list_filters_search_sort_and_counts(client, dgaln):
    _appel, rapporteur, _made = _many(6)
    client.force_login(dgaln)
    url = reverse("appels:gestion_candidatures")
    html = client.get(url, {"statut": "recevable"}).content.decode()
    assert html.count("Évreux") == 2
    assert "Recevable : 2" in html and "Déposée : 2" in html
    html = client.get(url, {"q": "n°4"}).content.decode()
    assert html.count("Évreux") == 1
    html = client.get(url, {"rapporteur": rapporteur.pk, "format": "multisite"}).content.decode()
    assert html.count("Évreux") == 6
    html = client.get(url, {"region": "53", "departement": "22"}).content.decode()
    assert html.count("Évreux") == 6
    html = client.get(url, {"departement": "29"}).content.decode()
    assert html.count("Évreux") == 0
    html = client.get(url, {"tri": "territoire"}).content.decode()
    assert html.index("n°0") < html.index("n°5")
    html = client.get(url, {"tri": "-territoire"}).content.decode()
    assert html.index("n°5") < html.index("n°0")
    # A malformed filter gives a 200 with an empty list, not a 500.
    assert client.get(url, {"statut": "n-importe-quoi"}).status_code == 200


def test_list_filter_selects_offer_every_choice_as_the_models_name_it(client, dgaln):
    """The région, département and call selects are written from rows, not model instances
    (atelier.forms.ChoixLus): each option is still the model's name, escaped, the chosen one
    selected, and choosing one still filters."""
    import html as html_lib
    import re

    from territoires.models import Departement, Region

    appel, rapporteur, _made = _many(2)
    rapporteur.first_name, rapporteur.last_name = "Zoé <b>", "L'Hôte & fils"
    rapporteur.save(update_fields=["first_name", "last_name"])
    appel.titre = "AMI <Sobriété> & « eau »"
    appel.save(update_fields=["titre"])
    client.force_login(dgaln)
    url = reverse("appels:gestion_candidatures")
    page = client.get(url, {"region": "53", "departement": "22", "appel": appel.pk})
    html = page.content.decode()
    assert html.count("Évreux") == 2

    def options(nom):
        select = re.search(rf'<select name="{nom}"[^>]*>(.*?)</select>', html, re.S).group(1)
        return re.findall(r'<option value="([^"]*)"( selected)?>([^<]*)</option>', select)

    attendues = [("", "", "Tous")] + [
        (d.code, " selected" if d.code == "22" else "", html_lib.escape(str(d)))
        for d in Departement.objects.order_by("code")
    ]
    assert options("departement") == attendues
    assert ("22", " selected", "Côtes-d&#x27;Armor (22)") in attendues
    assert options("region") == [("", "", "Toutes")] + [
        (r.code, " selected" if r.code == "53" else "", html_lib.escape(str(r)))
        for r in Region.objects.order_by("slug")
    ]
    assert (str(appel.pk), " selected", "AMI &lt;Sobriété&gt; &amp; « eau »") in options("appel")
    # The session and reviewer selects too: each label is the model's __str__, escaped.
    assert (
        str(rapporteur.pk),
        "",
        html_lib.escape(str(rapporteur)),
    ) in options("rapporteur")
    assert "Zoé &lt;b&gt; L&#x27;Hôte &amp; fils &lt;" in html_lib.escape(str(rapporteur))
    assert (str(appel.session.pk), "", html_lib.escape(str(appel.session))) in options("session")
    assert "AMI <Sobriété>" not in html and "Zoé <b>" not in html
    # Each row names its reviewers (prefetched as a list), escaped.
    rapporteurs = '<td class="fr-cell--multiline" data-label="Rapporteurs">'
    assert html.count(f"{rapporteurs}Zoé &lt;b&gt; L&#x27;Hôte &amp; fils</td>") == 2
    html = client.get(url, {"departement": "29"}).content.decode()
    assert html.count("Évreux") == 0
    assert ("29", " selected", "Finistère (29)") in options("departement")


def test_csv_export_opens_in_a_french_spreadsheet(client, dgaln):
    _many(3)
    candidature_en_etat(S.DEPOSEE, porteur='=HYPERLINK("http://x")')
    client.force_login(dgaln)
    response = client.get(reverse("appels:gestion_candidatures_csv"), {"statut": "deposee"})
    assert response.status_code == 200
    assert response["Content-Type"] == "text/csv; charset=utf-8"
    raw = response.content
    assert raw.startswith(b"\xef\xbb\xbf")
    text = raw.decode("utf-8-sig")
    rows = list(csv.reader(io.StringIO(text), delimiter=";"))
    assert rows[0][:4] == ["Identifiant", "Appel", "Session", "Territoire"]
    assert "Région" in rows[0] and "État" in rows[0]
    assert len(rows) == 1 + 2
    assert any("Communauté d'Agglomération n°0 — Évreux" in r for r in rows)
    assert any("Déposée" in r for r in rows)
    assert any(cell.startswith("'=HYPERLINK") for row in rows for cell in row)


def test_a_rapporteur_sees_only_assigned_candidatures(client, habitant):
    _appel, _r, made = _many(3)
    made[2].rapporteurs.add(habitant)
    client.force_login(habitant)
    html = client.get(reverse("appels:gestion_candidatures")).content.decode()
    assert html.count("Évreux") == 1 and "n°2" in html
    assert client.get(reverse("appels:gestion_candidature", args=[made[0].pk])).status_code == 404
    assert client.get(reverse("appels:gestion_candidature", args=[made[2].pk])).status_code == 200
    csv_text = client.get(reverse("appels:gestion_candidatures_csv")).content.decode("utf-8-sig")
    assert csv_text.count("Évreux") == 1
    # The DGALN pages stay closed to them.
    assert client.get(reverse("appels:gestion")).status_code == 403
    assert client.get(reverse("appels:gestion_appels")).status_code == 403


# --- Instruction pages ------------------------------------------------------------------------


def test_instruction_in_the_browser_flow(client, dgaln, django_capture_on_commit_callbacks):
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(S.DEPOSEE, appel=appel)
    second = UtilisateurFactory(email="rapporteur@cerema.fr")
    client.force_login(dgaln)
    base = "appels:gestion_candidature"

    response = client.post(
        reverse(f"{base}_recevabilite", args=[candidature.pk]),
        {"decision": "irrecevable", "motif": ""},
    )
    assert response.status_code == 400
    assert "Indiquez le motif" in response.content.decode()
    client.post(reverse(f"{base}_recevabilite", args=[candidature.pk]), {"decision": "recevable"})
    candidature.refresh_from_db()
    assert candidature.statut == S.RECEVABLE

    response = client.post(
        reverse(f"{base}_rapporteurs", args=[candidature.pk]), {"autres": "inconnu@nulle-part.fr"}
    )
    assert response.status_code == 400
    assert "Aucun compte n&#x27;existe pour « inconnu@nulle-part.fr »" in response.content.decode()
    client.post(
        reverse(f"{base}_rapporteurs", args=[candidature.pk]),
        {"rapporteurs": [dgaln.pk], "autres": "rapporteur@cerema.fr"},
    )
    candidature.refresh_from_db()
    assert candidature.statut == S.EN_INSTRUCTION
    assert set(candidature.rapporteurs.all()) == {dgaln, second}

    criteres = list(appel.criteres.all())
    client.post(
        reverse(f"{base}_avis", args=[candidature.pk]),
        {f"note_{criteres[0].pk}": "5", f"note_{criteres[1].pk}": "3", "commentaire": "Solide."},
    )
    client.force_login(second)
    response = client.post(
        reverse(f"{base}_avis", args=[candidature.pk]),
        {f"note_{criteres[0].pk}": "9", "commentaire": ""},
    )
    assert response.status_code == 400
    client.post(
        reverse(f"{base}_avis", args=[candidature.pk]),
        {f"note_{criteres[0].pk}": "4", f"note_{criteres[1].pk}": "4", "commentaire": "Bien."},
    )
    # The second rapporteur cannot decide.
    response = client.post(
        reverse(f"{base}_decision", args=[candidature.pk]),
        {"decision": "retenue", "motivation": "x"},
    )
    assert response.status_code == 403

    client.force_login(dgaln)
    html = client.get(reverse(base, args=[candidature.pk])).content.decode()
    assert "4,00" in html or "4.00" in html  # (5+3+4+4)/4
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse(f"{base}_decision", args=[candidature.pk]),
            {
                "decision": "retenue",
                "motivation": "Projet exemplaire et bien porté.",
                "pilote": _agent().pk,
            },
        )
    assert response.status_code == 302
    assert Atelier.objects.get(candidature=candidature).statut == "en_preparation"


def test_pdf_dossier_for_the_committee(client, dgaln):
    candidature = candidature_en_etat(S.EN_INSTRUCTION, territoire_nom="Pays d'Auge — Élan")
    candidature.rapporteurs.add(dgaln)
    services.avis_donner(
        candidature=candidature,
        by=dgaln,
        notes={c.pk: 4 for c in candidature.appel.criteres.all()},
        commentaire="Avis très favorable.",
    )
    client.force_login(dgaln)
    response = client.get(reverse("appels:gestion_candidature_pdf", args=[candidature.pk]))
    assert response.status_code == 200
    assert response["Content-Type"] == "application/pdf"
    text = "".join(p.extract_text() for p in PdfReader(io.BytesIO(response.content)).pages)
    assert "Pays d'Auge — Élan" in text or "Pays d’Auge — Élan" in text
    assert "Avis très favorable." in text
    assert "Réponse détaillée" in text


def test_dgaln_creates_and_publishes_a_call(client, dgaln):
    from tests.factories import SessionFactory

    session = SessionFactory()
    client.force_login(dgaln)
    response = client.post(
        reverse("appels:gestion_appel_creer"),
        {
            "titre": "AMI 2027 — Sobriété foncière",
            "nature": "session",
            "session": session.pk,
            "ouverture": "2027-01-05T09:00",
            "cloture": "2027-03-31T23:59",
        },
    )
    appel = AppelACandidatures.objects.get()
    assert response.status_code == 302 and appel.statut == "brouillon"
    assert appel.slug == "ami-2027-sobriete-fonciere"
    # Publishing without a question is refused with a message; the call stays a draft.
    client.post(reverse("appels:gestion_appel_statut", args=[appel.pk]), {"action": "publier"})
    appel.refresh_from_db()
    assert appel.statut == "brouillon"
    response = client.post(
        reverse("appels:gestion_appel_element_ajouter", args=[appel.pk, "question"]),
        {"question-libelle": "Type ?", "question-type": "choix", "question-choix": "un seul"},
    )
    assert response.status_code == 400
    assert "au moins deux choix" in response.content.decode()
    client.post(
        reverse("appels:gestion_appel_element_ajouter", args=[appel.pk, "question"]),
        {
            "question-libelle": "Vos enjeux ?",
            "question-type": "texte_long",
            "question-obligatoire": "on",
        },
    )
    client.post(reverse("appels:gestion_appel_statut", args=[appel.pk]), {"action": "publier"})
    appel.refresh_from_db()
    assert appel.statut == "publie"
    assert (
        client.get(
            reverse("appels:gestion_appel_element_ajouter", args=[appel.pk, "question"])
        ).status_code
        == 405
    )
    assert (
        client.post(
            reverse("appels:gestion_appel_element_ajouter", args=[appel.pk, "nimporte"])
        ).status_code
        == 404
    )


def test_dgaln_creates_and_edits_a_session(client, dgaln):
    client.force_login(dgaln)
    response = client.post(
        reverse("appels:gestion_session_creer"),
        {"titre": "Session 2027", "annee_debut": "2027", "annee_fin": "2026"},
    )
    assert response.status_code == 400
    assert "précède" in response.content.decode()
    client.post(
        reverse("appels:gestion_session_creer"),
        {"titre": "Session 2027", "theme": "Eau", "annee_debut": "2027", "annee_fin": "2028"},
    )
    from ateliers.models import SessionNationale

    session = SessionNationale.objects.get(slug="session-2027")
    client.post(
        reverse("appels:gestion_session", args=[session.pk]),
        {"titre": "Session 2027", "theme": "Eau et sols", "annee_debut": "2027"},
    )
    session.refresh_from_db()
    assert session.theme == "Eau et sols"


def test_back_office_lists_have_a_constant_number_of_queries(
    client, dgaln, django_assert_max_num_queries
):
    for _ in range(10):
        candidature_en_etat(S.DEPOSEE, appel=appel_complet())
    client.force_login(dgaln)
    for name in ("gestion", "gestion_sessions", "gestion_appels"):
        with django_assert_max_num_queries(12):
            assert client.get(reverse(f"appels:{name}")).status_code == 200


def test_counts_per_state_count_candidatures_not_marks(client, dgaln):
    """Regression: the counts joined the reviewers' marks and counted one per mark."""
    second = UtilisateurFactory()
    appel = appel_complet()
    candidature = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    candidature.rapporteurs.add(dgaln, second)
    for rapporteur in (dgaln, second):
        services.avis_donner(
            candidature=candidature,
            by=rapporteur,
            notes={c.pk: 4 for c in appel.criteres.all()},
            commentaire="Favorable.",
        )
    assert appel.criteres.count() >= 2  # several marks per opinion, two opinions
    client.force_login(dgaln)
    response = client.get(reverse("appels:gestion"))
    comptes = {code: n for code, _label, n in response.context["comptes"]}
    assert comptes["en_instruction"] == 1


def test_flash_messages_escape_what_users_typed(client, dgaln):
    """django-dsfr renders alerts as trusted HTML unless told otherwise: a title typed in a
    form and repeated in the confirmation message must come out as text."""
    client.force_login(dgaln)
    response = client.post(
        reverse("appels:gestion_session_creer"),
        {"titre": '<img src=x onerror="alert(1)">Session 2029', "annee_debut": "2029"},
        follow=True,
    )
    html = response.content.decode()
    assert "Session 2029» enregistrée" in html.replace("\u00a0", "").replace(" »", "»")
    assert "<img src=x" not in html and "&lt;img src=x" in html


def test_a_new_atelier_shows_its_first_steps_and_no_attendance_alarm(client, dgaln):
    """Before: a red « absents » badge before any stage had happened, and nothing said what
    to do first; the success message did not link to the atelier."""
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(S.EN_INSTRUCTION, appel=appel)
    agent = _agent()
    client.force_login(dgaln)
    response = client.post(
        reverse("appels:gestion_candidature_decision", args=[candidature.pk]),
        {"decision": "retenue", "motivation": "Projet exemplaire.", "pilote": agent.pk},
        follow=True,
    )
    atelier = Atelier.objects.get(candidature=candidature)
    lien = reverse("ateliers:atelier", kwargs={"pk": atelier.pk})
    alert = response.content.decode().split("fr-alert--success")[1].split("</div>")[0]
    assert f'href="{lien}"' in alert
    html = client.get(lien).content.decode()
    premiers_pas = html.split('id="premiers-pas"')[1].split("</div>")[0]
    for step in (
        "Constituer l",
        "Inviter les participants",
        "Démarrer l",
        "séminaire de lancement",
    ):
        assert step in premiers_pas
    assert "absents" not in html.split('id="comptes-acteurs"')[1].split("</table>")[0]
    assert 'id="presences-a-venir"' in html
    # Until the pilote accepts, DGALN sees whom the atelier waits for; the pilote's own
    # invitation does not tick « Inviter les participants ».
    assert "Le pilote rejoint l" in premiers_pas and agent.utilisateur.email in premiers_pas
    assert "fait</span> Inviter les participants" not in premiers_pas
    from acteurs.services import invitation_accept

    invitation_accept(invitation=Invitation.objects.get(atelier=atelier), user=agent.utilisateur)
    html = client.get(lien).content.decode()
    premiers_pas = html.split('id="premiers-pas"')[1].split("</div>")[0]
    assert "Le pilote rejoint l" not in premiers_pas and "Inviter les participants" in premiers_pas
