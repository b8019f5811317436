"""The instructors' side (issue 14): independent reviews, informed decisions, the ranked
list, bulk assignment, exports and the comité dossier."""

import io

import pytest
from django.urls import reverse
from openpyxl import load_workbook
from pypdf import PdfReader

from appels import services
from appels.models import AppelACandidatures, Candidature, Critere
from atelier.pdf import render_pdf
from atelier.workflow import TransitionError
from journal.models import EvenementAudit
from tests.factories import UtilisateurFactory
from tests.factories.appels import _attach, appel_complet, candidature_en_etat, pdf

pytestmark = pytest.mark.django_db
S = Candidature.Statut


@pytest.fixture
def deux_rapporteurs(db):
    return (
        UtilisateurFactory(email="alice@cerema.fr", first_name="Alice", last_name="Rapporteure"),
        UtilisateurFactory(email="bruno@ddt.gouv.fr", first_name="Bruno", last_name="Rapporteur"),
    )


def _instruite(rapporteurs, **kwargs):
    appel = kwargs.pop("appel", None) or appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(S.EN_INSTRUCTION, appel=appel, **kwargs)
    candidature.rapporteurs.add(*rapporteurs)
    return candidature


def _avis(candidature, by, notes, commentaire):
    criteres = list(candidature.appel.criteres.all())
    return services.avis_donner(
        candidature=candidature,
        by=by,
        notes={c.pk: n for c, n in zip(criteres, notes, strict=True)},
        commentaire=commentaire,
    )


def test_a_reviewer_sees_the_others_opinions_only_after_giving_theirs(
    client, dgaln, deux_rapporteurs
):
    alice, bruno = deux_rapporteurs
    candidature = _instruite(deux_rapporteurs)
    _avis(candidature, alice, [5, 1], "Avis d'Alice : portage exemplaire.")
    url = reverse("appels:gestion_candidature", args=[candidature.pk])

    client.force_login(bruno)
    html = client.get(url).content.decode()
    assert "Avis d&#x27;Alice" not in html and 'id="moyenne"' not in html
    assert 'id="avis-masques"' in html
    listing = client.get(reverse("appels:gestion_candidatures")).content.decode()
    assert "3,00" not in listing and "3.00" not in listing and "après votre avis" in listing
    dossier = client.get(reverse("appels:gestion_candidature_pdf", args=[candidature.pk]))
    assert "Alice" not in _text(dossier.content)
    export = client.get(reverse("appels:gestion_candidatures_avis_csv")).content.decode()
    assert "Avis d'Alice" not in export
    liste = client.get(reverse("appels:gestion_candidatures_csv")).content.decode()
    assert "3,00" not in liste and "1 / 2" in liste

    _avis(candidature, bruno, [3, 3], "Avis de Bruno.")
    html = client.get(url).content.decode()
    assert "Avis d&#x27;Alice" in html and 'id="moyenne"' in html

    # DGALN sees every opinion without giving one.
    client.force_login(dgaln)
    html = client.get(url).content.decode()
    assert "Avis d&#x27;Alice" in html and "Avis de Bruno." in html


def test_the_list_shows_opinions_received_out_of_expected(client, dgaln, deux_rapporteurs):
    candidature = _instruite(deux_rapporteurs)
    _avis(candidature, deux_rapporteurs[0], [4, 4], "Bien.")
    client.force_login(dgaln)
    html = client.get(reverse("appels:gestion_candidatures")).content.decode()
    assert '<td class="avis-recus" data-label="Avis reçus">1 / 2</td>' in html
    page = client.get(reverse("appels:gestion_candidature", args=[candidature.pk]))
    assert "reçus 1 / 2" in page.content.decode()


def test_deciding_with_a_missing_opinion_needs_an_audited_reason(dgaln, deux_rapporteurs):
    candidature = _instruite(deux_rapporteurs)
    _avis(candidature, deux_rapporteurs[0], [4, 4], "Bien.")
    with pytest.raises(TransitionError, match="1 avis manquent"):
        services.candidature_decider(
            candidature=candidature, by=dgaln, retenue=False, motivation="Hors sujet."
        )
    candidature.refresh_from_db()
    assert candidature.statut == S.EN_INSTRUCTION
    services.candidature_decider(
        candidature=candidature,
        by=dgaln,
        retenue=False,
        motivation="Hors sujet.",
        sans_tous_les_avis="Bruno est en congé ; le comité siège aujourd'hui.",
    )
    candidature.refresh_from_db()
    assert candidature.statut == S.NON_RETENUE
    assert candidature.motif_avis_manquants.startswith("Bruno est en congé")
    row = EvenementAudit.objects.get(action="decision_sans_tous_les_avis")
    assert "bruno@ddt.gouv.fr" in row.resume and "Bruno est en congé" in row.resume


def test_the_decision_form_says_why_it_cannot_be_used_while_the_call_is_open(client, dgaln):
    candidature = candidature_en_etat(S.EN_INSTRUCTION)  # the call is still published
    client.force_login(dgaln)
    html = client.get(reverse("appels:gestion_candidature", args=[candidature.pk])).content.decode()
    form = html.split('id="form-decision"')[1].split("</form>")[0]
    assert "encore ouvert" in form.split("<fieldset")[0]
    assert "disabled" in form.split("<fieldset")[1].split(">")[0]


def test_the_ranked_list_uses_the_weights_and_shows_the_spread(client, dgaln, deux_rapporteurs):
    alice, bruno = deux_rapporteurs
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    portage, _demonstratif = appel.criteres.all()
    Critere.objects.filter(pk=portage.pk).update(poids=3)
    a = _instruite(deux_rapporteurs, appel=appel, territoire_nom="Pays A")
    b = _instruite(deux_rapporteurs, appel=appel, territoire_nom="Pays B")
    # Same plain mean (3) for both; the weighted score ranks B (strong on the heavy one) first.
    _avis(a, alice, [1, 5], "A1")
    _avis(a, bruno, [2, 4], "A2")
    _avis(b, alice, [5, 1], "B1")
    _avis(b, bruno, [3, 3], "B2")
    client.force_login(dgaln)
    html = client.get(reverse("appels:gestion_appel_classement", args=[appel.pk])).content.decode()
    table = html.split('id="classement"')[1]
    assert table.index("Pays B") < table.index("Pays A")
    # B: Alice (5*3+1)/4 = 4.00, Bruno 3.00 → 3.50, spread 1.00.
    ligne_b = table.split("Pays B")[1].split("</tr>")[0]
    assert "3,50" in ligne_b and "1,00" in ligne_b


def test_criteria_and_weights_are_locked_once_a_mark_exists(client, dgaln, deux_rapporteurs):
    candidature = _instruite(deux_rapporteurs)
    appel = candidature.appel
    url = reverse("appels:gestion_appel", args=[appel.pk])
    client.force_login(dgaln)
    assert 'id="ajout-critere"' in client.get(url).content.decode()
    _avis(candidature, deux_rapporteurs[0], [4, 4], "Bien.")
    html = client.get(url).content.decode()
    assert 'id="ajout-critere"' not in html and "leurs poids ne changent plus" in html
    client.post(
        reverse("appels:gestion_appel_element_ajouter", args=[appel.pk, "critere"]),
        {"critere-libelle": "Nouveau", "critere-poids": "5"},
    )
    assert appel.criteres.count() == 2


def test_reviewers_are_assigned_to_several_candidatures_at_once(
    client, dgaln, deux_rapporteurs, mailoutbox, django_capture_on_commit_callbacks
):
    alice, bruno = deux_rapporteurs
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    r1 = candidature_en_etat(S.RECEVABLE, appel=appel, territoire_nom="Pays Un")
    r2 = candidature_en_etat(S.EN_INSTRUCTION, appel=appel, territoire_nom="Pays Deux")
    r2.rapporteurs.add(bruno)
    d = candidature_en_etat(S.DEPOSEE, appel=appel, territoire_nom="Pays Trois")
    client.force_login(dgaln)
    with django_capture_on_commit_callbacks(execute=True):
        response = client.post(
            reverse("appels:gestion_candidatures_rapporteurs"),
            {"candidatures": [r1.pk, r2.pk, d.pk], "autres": alice.email},
            follow=True,
        )
    html = response.content.decode()
    assert "pour 2 candidatures" in html and "Pays Trois" in html
    r1.refresh_from_db()
    assert r1.statut == S.EN_INSTRUCTION and list(r1.rapporteurs.all()) == [alice]
    assert set(r2.rapporteurs.all()) == {alice, bruno}  # Bruno stays
    assert not d.rapporteurs.exists()
    assert sorted(m.to[0] for m in mailoutbox) == [alice.email, alice.email]
    # Nothing ticked: a message, nothing changed.
    response = client.post(
        reverse("appels:gestion_candidatures_rapporteurs"), {"autres": alice.email}, follow=True
    )
    assert "Cochez au moins une candidature." in response.content.decode()


def test_exports_carry_every_opinion_for_french_spreadsheets(client, dgaln, deux_rapporteurs):
    candidature = _instruite(deux_rapporteurs, territoire_nom="Pays de Redon")
    _avis(candidature, deux_rapporteurs[0], [5, 3], '=HYPERLINK("http://x") ; très bien')
    _avis(candidature, deux_rapporteurs[1], [4, 4], "Démarche exemplaire, élus mobilisés.")
    client.force_login(dgaln)
    raw = client.get(reverse("appels:gestion_candidatures_avis_csv")).content
    assert raw.startswith("\ufeff".encode())
    text = raw.decode("utf-8-sig")
    header = text.splitlines()[0].split(";")
    assert header[:2] == ["Candidature", "Territoire"] and "Commentaire" in header
    assert "Démarche exemplaire, élus mobilisés." in text
    assert "'=HYPERLINK" in text  # a formula is neutralised
    assert "Portage politique (poids 1) : 5/5" in text

    response = client.get(reverse("appels:gestion_candidatures_xlsx"))
    assert response["Content-Type"].startswith("application/vnd.openxmlformats")
    workbook = load_workbook(io.BytesIO(response.content))
    assert workbook.sheetnames == ["Candidatures", "Avis"]
    avis = [[c.value for c in row] for row in workbook["Avis"].iter_rows()]
    assert len(avis) == 3 and avis[0][-1] == "Commentaire"
    assert {row[-1] for row in avis[1:]} == {
        '\'=HYPERLINK("http://x") ; très bien',
        "Démarche exemplaire, élus mobilisés.",
    }
    candidatures = [[c.value for c in row] for row in workbook["Candidatures"].iter_rows()]
    assert candidatures[1][3] == "Pays de Redon" and "2 / 2" in candidatures[1]


def _text(content: bytes) -> str:
    return "\n".join(page.extract_text() for page in PdfReader(io.BytesIO(content)).pages)


def test_the_comite_dossier_is_in_marianne_and_appends_the_attached_pdfs(
    client, dgaln, deux_rapporteurs
):
    candidature = _instruite(deux_rapporteurs)
    annexe = render_pdf("<p>ANNEXE-DELIBERATION-2027</p>")
    _attach(candidature)  # a second, unreadable "PDF" (the factory's minimal bytes)
    piece = candidature.pieces_jointes.first()
    piece.fichier.save("vraie.pdf", pdf("vraie.pdf", annexe), save=False)
    piece.nom_original = "délibération.pdf"
    piece.taille = len(annexe)
    piece.save()
    client.force_login(dgaln)
    response = client.get(reverse("appels:gestion_candidature_pdf", args=[candidature.pk]))
    assert response.status_code == 200
    reader = PdfReader(io.BytesIO(response.content))
    text = _text(response.content)
    assert "ANNEXE-DELIBERATION-2027" in text.split("Documents joints")[-1]
    assert "délibération.pdf" in text and "annexé en fin de dossier" in text
    assert "non annexé" in text  # the unreadable one is named, the dossier still renders
    fonts = {
        str(font.get_object()["/BaseFont"])
        for page in reader.pages[:1]
        for font in page["/Resources"]["/Font"].values()
    }
    assert any("Marianne" in name for name in fonts), fonts


def test_the_decision_form_asks_for_the_reason_when_an_opinion_is_missing(
    client, dgaln, deux_rapporteurs
):
    candidature = _instruite(deux_rapporteurs)
    _avis(candidature, deux_rapporteurs[0], [4, 4], "Bien.")
    client.force_login(dgaln)
    url = reverse("appels:gestion_candidature", args=[candidature.pk])
    html = client.get(url).content.decode()
    assert 'id="avis-manquants"' in html and 'name="sans_tous_les_avis"' in html
    decision = reverse("appels:gestion_candidature_decision", args=[candidature.pk])
    response = client.post(decision, {"decision": "non_retenue", "motivation": "Hors sujet."})
    assert response.status_code == 400 and "1 avis manquent" in response.content.decode()
    response = client.post(
        decision,
        {
            "decision": "non_retenue",
            "motivation": "Hors sujet.",
            "sans_tous_les_avis": "Le comité siège aujourd'hui.",
        },
    )
    assert response.status_code == 302
    candidature.refresh_from_db()
    assert candidature.statut == S.NON_RETENUE
