"""Closing the account of a signatory: the name leaves every page, export, API answer and the
audit trail, the pseudonym takes its place, and every seal still verifies (issue 12).

The database keeps its guarantees meanwhile: the audit trail and the sealed signatures
accept one rewrite only, a name replaced by a pseudonym (SQLite and PostgreSQL triggers).
"""

import html as html_lib
import io
import json

import pypdf
import pytest
from django.db import DatabaseError, IntegrityError, connection, transaction
from django.urls import reverse

from atelier import signing
from feuilles_de_route.models import Signature
from feuilles_de_route.services import identity_commitment, signature_sceau
from journal.models import EvenementAudit, RemplacementNom
from journal.services import audit, audit_names_replace, names_replaced
from tests import factories
from tests.acteurs.cloture import cles, close, script
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


@pytest.fixture
def adoptee(atelier, pilote, elu):
    feuille = f.feuille_with_actions(atelier)
    version = f.adopt(feuille, pilote, elu, f.etat_signataire(atelier))
    f.publish(version)
    return version


def _texts(client, urls) -> dict[str, str]:
    pages = {}
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        body = b"".join(response.streaming_content) if response.streaming else response.content
        if response["Content-Type"].startswith("application/pdf"):
            reader = pypdf.PdfReader(io.BytesIO(body))
            pages[url] = " ".join(page.extract_text() for page in reader.pages)
        else:
            pages[url] = html_lib.unescape(body.decode())
    return pages


def test_closing_a_signatory_leaves_no_name_and_every_seal_valid(
    client, atelier, adoptee, elu, pilote, dgaln
):
    nom, email = elu.get_full_name(), elu.email
    signature = adoptee.signatures.get(signataire=elu)
    sceau = signature.sceau
    # The name is in the trail before: the signature's summary, the author column.
    assert EvenementAudit.objects.filter(resume__contains=nom).exists()
    assert EvenementAudit.objects.filter(auteur_repr__contains=email).exists()
    public_urls = [
        reverse("public:detail", kwargs={"slug": atelier.territoire.slug}),
        reverse("feuilles_de_route:verifier", kwargs={"empreinte": adoptee.empreinte}),
        reverse("feuilles_de_route:verifier", kwargs={"empreinte": sceau}),
        reverse("feuilles_de_route:verifier_preuve", kwargs={"empreinte": adoptee.empreinte}),
        "/api/feuilles-de-route/",
        f"/api/territoires/{atelier.territoire.slug}/",
    ]
    assert any(nom in text for text in _texts(client, public_urls).values())

    # Before closing, the person downloads the salt that ties them to the sealed commitment.
    client.force_login(elu)
    data = client.get(reverse("acteurs:mes_donnees") + "?format=json").json()
    (gardee,) = data["Signatures de feuilles de route"]
    assert gardee["sel de l'engagement sur l'identité"] == signature.sel_identite != ""
    assert gardee["nom couvert par l'engagement"] == nom

    close(client, elu)
    pseudonyme = f"Compte clôturé n° {elu.pk}"

    # Every page, export and API answer, public or behind a sign-in.
    pages = _texts(client, public_urls)
    client.force_login(pilote)
    pages |= _texts(
        client,
        [
            reverse("ateliers:atelier", kwargs={"pk": atelier.pk}),
            reverse("feuilles_de_route:versions", kwargs={"pk": atelier.pk}),
            reverse("feuilles_de_route:version", kwargs={"pk": atelier.pk, "numero": 1}),
            reverse("feuilles_de_route:version_pdf", kwargs={"pk": atelier.pk, "numero": 1}),
        ],
    )
    client.force_login(dgaln)
    pages |= _texts(client, [reverse("journal:journal"), reverse("journal:journal") + "?page=2"])
    for url, text in pages.items():
        assert nom not in text and email not in text, url
    assert pseudonyme in pages[public_urls[0]] and pseudonyme in pages[public_urls[1]]

    # The audit trail itself, column by column, whatever page shows it.
    for row in EvenementAudit.objects.all():
        for text in (row.auteur_repr, row.objet_repr, row.resume):
            assert nom not in text and email not in text, (row.action, text)
    assert EvenementAudit.objects.filter(resume__contains=f"Signée par {pseudonyme}").exists()

    # /verifier/ still says every seal is valid, for the version and for the signature.
    verifier = pages[public_urls[1]]
    assert "Version de feuille de route authentique" in verifier and "échec</span>" not in verifier
    assert "Signature authentique" in pages[public_urls[2]]
    signature.refresh_from_db()
    assert signature.nom_signataire == pseudonyme and signature.sel_identite == ""
    assert signature.sceau == sceau == signature_sceau(signature)
    # With the salt they kept, the former signatory can still prove the seal covers them.
    sel = gardee["sel de l'engagement sur l'identité"]
    assert identity_commitment(nom=nom, sel=sel) == signature.engagement_identite

    # And offline, with the published keys only.
    module = script()
    preuve = json.loads(pages[public_urls[3]])
    resultats = module.verifier(preuve, cles(), None)
    assert resultats and all(ok for ok, _ in resultats), resultats
    assert not any(nom in libelle for _, libelle in resultats)


def test_a_format_1_seal_stays_verifiable_honestly(client, monkeypatch, atelier, pilote, elu):
    """A seal made before the commitment covered the clear name: the platform recomputes it
    just before erasing the name, and /verifier/ says so (no longer recomputable)."""
    from feuilles_de_route import services

    def seal_format_1(signature):  # as signatures were sealed before format 2
        signature.sceau = signature_sceau(signature)
        signature.sceau_cle, signature.sceau_signature = signing.sign("signature", signature.sceau)

    monkeypatch.setattr(services, "signature_seal", seal_format_1)
    adoptee = f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    monkeypatch.undo()
    f.publish(adoptee)
    old = adoptee.signatures.get(signataire=elu)
    assert not old.engagement_identite

    close(client, elu)
    page = html_lib.unescape(
        client.get(
            reverse("feuilles_de_route:verifier", kwargs={"empreinte": adoptee.empreinte})
        ).content.decode()
    )
    assert "Version de feuille de route authentique" in page and "échec</span>" not in page
    assert "a été recalculé par la plateforme avant l'effacement du nom" in page
    assert "il ne peut plus être recalculé" in page and old.nom_signataire not in page
    preuve = client.get(
        reverse("feuilles_de_route:verifier_preuve", kwargs={"empreinte": adoptee.empreinte})
    ).json()
    module = script()
    resultats = module.verifier(preuve, cles(), None)
    assert all(ok for ok, _ in resultats), resultats
    assert any("non recalculable" in libelle for _, libelle in resultats)


def _refused(sql, params):
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute(sql, params)


def test_the_database_allows_only_a_name_replaced_by_a_pseudonym(atelier, adoptee, elu):
    """The triggers, on SQLite and PostgreSQL: outside the closure's path, nothing changes
    in the trail or in a signature; inside it, only a name replaced by a pseudonym."""
    table = EvenementAudit._meta.db_table
    event = audit(by=None, obj=atelier, action="test", summary="Décidé par Jeanne Carlier.")
    _refused(f"UPDATE {table} SET resume = 'réécrit' WHERE id = %s", [event.pk])
    signature = adoptee.signatures.get(signataire=elu)
    sig_table = Signature._meta.db_table
    _refused(
        f"UPDATE {sig_table} SET nom_signataire = 'Autre' WHERE id = %s",
        [signature.pk],
    )
    _refused(
        f"UPDATE {sig_table} SET sel_identite = 'ab' WHERE id = %s",
        [signature.pk],
    )
    # The path opens for a pseudonym only, and for a name, not a letter.
    for nom, pseudo in [("Jeanne Carlier", "Quelqu'un d'autre"), ("e", "Compte clôturé n° 9")]:
        with pytest.raises(IntegrityError), transaction.atomic():
            RemplacementNom.objects.create(nom=nom, pseudonyme=pseudo)
    with transaction.atomic(), names_replaced([("Jeanne Carlier", "Compte clôturé n° 9")]):
        # Anything but that replacement is still refused...
        _refused(f"UPDATE {table} SET resume = 'réécrit' WHERE id = %s", [event.pk])
        _refused(
            f"UPDATE {table} SET action = 'autre', resume = replace(resume, 'Jeanne Carlier',"
            " 'Compte clôturé n° 9') WHERE id = %s",
            [event.pk],
        )
    with transaction.atomic():
        assert audit_names_replace(remplacements=[("Jeanne Carlier", "Compte clôturé n° 9")])
    event = EvenementAudit.objects.get(pk=event.pk)
    assert event.resume == "Décidé par Compte clôturé n° 9." and event.action == "test"
    assert not RemplacementNom.objects.exists()  # the path closed with the transaction
    _refused(f"UPDATE {table} SET resume = 'réécrit' WHERE id = %s", [event.pk])


def test_closing_a_reviewer_keeps_their_opinion_under_the_pseudonym(client, dgaln):
    """Instruction records (the reviewers named at assignment, their opinions) stay as
    evidence of the selection, under the pseudonym, on the back-office pages and the trail."""
    from appels import services as appels_services
    from appels.models import AppelACandidatures, Candidature
    from tests.factories.appels import appel_complet, candidature_en_etat

    rapporteur = factories.UtilisateurFactory(
        email="alice@cerema.fr", first_name="Alice", last_name="Rapporteure"
    )
    appel = appel_complet(statut=AppelACandidatures.Statut.CLOS)
    candidature = candidature_en_etat(Candidature.Statut.RECEVABLE, appel=appel)
    appels_services.candidature_assigner_rapporteurs(
        candidature=candidature, by=dgaln, rapporteurs=[rapporteur]
    )
    appels_services.avis_donner(
        candidature=candidature,
        by=rapporteur,
        notes={c.pk: 4 for c in appel.criteres.all()},
        commentaire="Portage politique solide.",
    )
    assert EvenementAudit.objects.filter(resume__contains="alice@cerema.fr").exists()

    close(client, rapporteur)
    client.force_login(dgaln)
    pages = _texts(
        client,
        [
            reverse("appels:gestion_candidature", args=[candidature.pk]),
            reverse("appels:gestion_candidature_pdf", args=[candidature.pk]),
            reverse("journal:journal"),
        ],
    )
    for url, text in pages.items():
        assert "Alice Rapporteure" not in text and "alice@cerema.fr" not in text, url
    page = pages[reverse("appels:gestion_candidature", args=[candidature.pk])]
    assert "Portage politique solide." in page  # the opinion itself stays
    assert f"Compte clôturé n° {rapporteur.pk}" in page


def test_only_the_whole_name_is_replaced_never_a_longer_one(atelier):
    """Another person whose name or address contains the closed one keeps theirs."""
    garde = [
        audit(by=None, obj=atelier, action="test", summary="Vu par Jean Martinez."),
        audit(by=None, obj=atelier, action="test", summary="Invitation de jean@x.fr"),
    ]
    remplace = audit(by=None, obj=atelier, action="test", summary="Vu par Jean Martin.")
    pseudo = "Compte clôturé n° 9"
    with transaction.atomic():
        audit_names_replace(remplacements=[("Jean Martin", pseudo), ("an@x.fr", pseudo)])
    assert [EvenementAudit.objects.get(pk=e.pk).resume for e in garde] == [
        "Vu par Jean Martinez.",
        "Invitation de jean@x.fr",
    ]
    assert EvenementAudit.objects.get(pk=remplace.pk).resume == f"Vu par {pseudo}."
