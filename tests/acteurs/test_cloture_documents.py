"""Closing an account re-renders the generated PDFs that named the person (issue 12: « their
name is then replaced by a pseudonym wherever a record must stay as evidence »).

The worker renders each document again from the pseudonymised data; the new file has a new
hash and a new seal; the old file (it held the name) is deleted; the old hash stays known to
/verifier/, which says the document was replaced, when, why, and by which hash, and its
seal still verifies, online and offline.
"""

import pytest
from django.core.files.storage import default_storage
from django.test import TestCase
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from ateliers.models import EntreeJournal
from feuilles_de_route import services
from feuilles_de_route.documents import RAPPORT, document_rerender
from feuilles_de_route.models import CarnetDeSuivi, EmpreinteRemplacee, Rapport, RegenerationDue
from feuilles_de_route.tasks import rerender_document
from journal.models import Action, EvenementAudit
from tests import factories
from tests.acteurs.cloture import cles, close, script
from tests.acteurs.cloture import pdftotext as _pdftotext
from tests.acteurs.cloture import published_report as _published_report
from tests.acteurs.cloture import verifier_page as _page
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def test_closing_a_signatory_re_renders_the_report_and_keeps_the_old_hash(
    client, atelier, pilote, elu, autre_atelier, autre_pilote
):
    nom = elu.get_full_name()
    version = f.adopt(f.feuille_with_actions(atelier), pilote, elu, f.etat_signataire(atelier))
    f.publish(version)
    # Someone else names the élu in the logbook: free text, not sealed.
    entree = EntreeJournal.objects.create(
        atelier=atelier, auteur=pilote, date=timezone.localdate(), texte=f"Visite avec {nom}."
    )
    rapport = _published_report(atelier, pilote)
    with TestCase.captureOnCommitCallbacks(execute=True):
        carnet = services.carnet_request(atelier=atelier, by=pilote)
    carnet.refresh_from_db()
    ancien, ancien_fichier, ancien_sceau = (
        rapport.empreinte,
        rapport.fichier.name,
        rapport.sceau_signature,
    )
    ancien_carnet = carnet.empreinte
    assert nom in _pdftotext(rapport.fichier.read())
    # A report elsewhere, where the élu took no part, is left alone.
    f.adopt(
        f.feuille_with_actions(autre_atelier),
        autre_pilote,
        factories.participant(autre_atelier, Role.ELU, email="maire@ailleurs.fr"),
        f.etat_signataire(autre_atelier, email="prefet@ailleurs.gouv.fr"),
    )
    autre = _published_report(autre_atelier, autre_pilote)
    avant_autre = autre.empreinte
    contenu, empreinte_version = version.contenu, version.empreinte

    close(client, elu)
    pseudonyme = f"Compte clôturé n° {elu.pk}"

    # The worker rendered the report again: new file, new hash, new seal, no name.
    rapport.refresh_from_db()
    assert rapport.statut == Rapport.Statut.PRET and rapport.publie
    assert rapport.empreinte != ancien and rapport.sceau_signature != ancien_sceau
    content = rapport.fichier.read()
    texte = _pdftotext(content)
    assert nom not in texte and elu.email not in texte
    assert pseudonyme in texte
    assert not default_storage.exists(ancien_fichier)  # the old file held the name
    # So did the carnet (the logbook entry, rewritten at closure, is in it).
    carnet.refresh_from_db()
    assert carnet.empreinte != ancien_carnet
    texte_carnet = _pdftotext(carnet.fichier.read())
    assert nom not in texte_carnet and f"Visite avec {pseudonyme}." in " ".join(
        texte_carnet.split()
    )
    entree.refresh_from_db()
    assert entree.texte == f"Visite avec {pseudonyme}."

    # The old hash is still known: replaced, when, why, by which hash; its seal verifies.
    remplacee = EmpreinteRemplacee.objects.get(empreinte=ancien)
    assert remplacee.nouvelle_empreinte == rapport.empreinte
    assert remplacee.sceau_signature == ancien_sceau
    page = _page(client, ancien)
    assert "Document remplacé par une nouvelle version" in page
    assert "parce qu'une personne a clos son compte" in page
    assert "remplacé le " in page and str(timezone.localdate().year) in page
    assert reverse("feuilles_de_route:verifier", kwargs={"empreinte": rapport.empreinte}) in page
    assert "L'ancienne empreinte est signée par la plateforme" in page
    assert "échec</span>" not in page and nom not in page
    # The new hash is a genuine report.
    page = _page(client, rapport.empreinte)
    assert "Rapport de restitution authentique" in page and "échec</span>" not in page
    assert nom not in page

    # Offline, with the published keys only: the new hash with its PDF, and the old one.
    module = script()
    for empreinte, pdf in ((rapport.empreinte, content), (ancien, None)):
        preuve = client.get(
            reverse("feuilles_de_route:verifier_preuve", kwargs={"empreinte": empreinte})
        ).json()
        resultats = module.verifier(preuve, cles(), pdf)
        assert resultats and all(ok for ok, _ in resultats), (empreinte, resultats)
        assert not any(nom in libelle for _, libelle in resultats)

    # Journaled, without the name.
    regeneres = EvenementAudit.objects.filter(action=Action.DOCUMENT_REGENERE)
    assert regeneres.count() == 2
    assert all(nom not in e.resume for e in regeneres)
    assert regeneres.filter(resume__contains=ancien).exists()

    # Nothing else changed: the other atelier's report, the signed version's frozen content.
    autre.refresh_from_db()
    assert autre.empreinte == avant_autre
    assert not EmpreinteRemplacee.objects.filter(nouvelle_empreinte=avant_autre).exists()
    version.refresh_from_db()
    assert version.contenu == contenu and version.empreinte == empreinte_version

    # Running the task again (a redelivery) replaces nothing more: nothing is owed now.
    assert not RegenerationDue.objects.exists()
    assert not document_rerender(genre=RAPPORT, document_id=rapport.pk)
    assert EmpreinteRemplacee.objects.count() == 2


def test_a_render_that_began_before_the_closure_committed_is_re_rendered(
    monkeypatch, atelier, pilote
):
    """The closure is stamped, then commits a little later; a render that began in between
    read the name although it began after the stamp. What is owed is the closure's own row,
    committed with it: a render settles it only if it could already see it before reading
    the data; otherwise the re-render replaces the file."""
    from feuilles_de_route import rendering
    from feuilles_de_route.documents import CARNET, DocumentEnCours, rerender_queue
    from feuilles_de_route.models import RegenerationDue

    with TestCase.captureOnCommitCallbacks(execute=False):
        carnet = services.carnet_request(atelier=atelier, by=pilote)
    estampille = timezone.now()  # the closure's timestamp, taken before the render begins
    rendu = rendering.render_carnet_pdf

    def render_during_the_closure(document):
        pdf = rendu(document)  # read the data: the closure has not committed yet
        rerender_queue(documents=[document])  # ... it commits now
        RegenerationDue.objects.update(demandee_le=estampille)
        return pdf

    monkeypatch.setattr(rendering, "render_carnet_pdf", render_during_the_closure)
    services.carnet_generate(carnet_id=carnet.pk)
    monkeypatch.setattr(rendering, "render_carnet_pdf", rendu)
    carnet.refresh_from_db()
    assert carnet.statut == CarnetDeSuivi.Statut.PRET and carnet.genere_le > estampille
    # Rendered after the timestamp, yet before the commit: still owed, and done.
    assert RegenerationDue.objects.filter(document_id=carnet.pk).exists()
    EntreeJournal.objects.create(
        atelier=atelier, auteur=pilote, date=timezone.localdate(), texte="Compte rendu repris."
    )
    ancien = carnet.empreinte
    assert rerender_document.delay("carnet", carnet.pk).get() is True
    carnet.refresh_from_db()
    assert EmpreinteRemplacee.objects.get(empreinte=ancien).nouvelle_empreinte == carnet.empreinte
    assert "Compte rendu repris." in _pdftotext(carnet.fichier.read())
    assert not RegenerationDue.objects.exists()

    # A render under way at the closure: the re-render waits for it (the task retries); once
    # it began after the closure committed, it shows the pseudonymised data: nothing owed.
    with TestCase.captureOnCommitCallbacks(execute=False):
        suivant = services.carnet_request(atelier=atelier, by=pilote)
        rerender_queue(documents=[suivant])
    with pytest.raises(DocumentEnCours):
        document_rerender(genre=CARNET, document_id=suivant.pk)
    # Without a worker (tasks run in-process) there is nothing to wait for: no loop, no error.
    assert rerender_document.delay("carnet", suivant.pk).get() is False
    services.carnet_generate(carnet_id=suivant.pk)
    assert not RegenerationDue.objects.exists()
    assert not document_rerender(genre=CARNET, document_id=suivant.pk)
    assert not EmpreinteRemplacee.objects.filter(document_id=suivant.pk).exists()


def test_a_synthesis_naming_the_person_is_re_rendered(client, atelier, elu, dgaln):
    """The lessons DGALN wrote name a participant: rewritten at closure, and the synthesis
    of the ateliers they took part in is rendered again, its old hash still verifiable."""
    from feuilles_de_route.models import Synthese
    from feuilles_de_route.syntheses import synthese_publish, synthese_request

    nom = elu.get_full_name()
    with TestCase.captureOnCommitCallbacks(execute=True):
        synthese = synthese_request(by=dgaln, ateliers=[atelier], lecons=f"Portage par {nom}.")
    synthese.refresh_from_db()
    assert synthese.statut == Synthese.Statut.PRET
    synthese_publish(synthese=synthese, by=dgaln)
    ancien = synthese.empreinte
    assert nom in _pdftotext(synthese.fichier.read())

    close(client, elu)

    synthese.refresh_from_db()
    pseudonyme = f"Compte clôturé n° {elu.pk}"
    assert synthese.lecons == f"Portage par {pseudonyme}."
    texte = " ".join(_pdftotext(synthese.fichier.read()).split())
    assert nom not in texte and f"Portage par {pseudonyme}." in texte
    assert synthese.empreinte != ancien
    page = _page(client, ancien)
    assert "Document remplacé par une nouvelle version" in page and "échec</span>" not in page
    assert "Synthèse nationale authentique" in _page(client, synthese.empreinte)


def test_the_name_leaves_the_free_text_others_typed(client, atelier, pilote, elu, dgaln):
    """Minutes, logbook, documents, the draft roadmap, the follow-up, a reviewer's opinion:
    the closed account's name gives way to the pseudonym; a longer name (another person's)
    and the signed version's frozen content stay as they are."""
    from appels.models import Avis, Candidature
    from ateliers.formats import NatureEtape
    from ateliers.models import Etape
    from feuilles_de_route.models import Action as ActionFdr
    from feuilles_de_route.models import PointSuivi
    from tests.factories.appels import candidature_en_etat

    nom = elu.get_full_name()
    feuille = f.feuille_with_actions(atelier)
    version = f.adopt(feuille, pilote, elu, f.etat_signataire(atelier))
    action = ActionFdr.objects.filter(axe__feuille=feuille).first()
    ActionFdr.objects.filter(pk=action.pk).update(description=f"Porté avec {nom}.")
    etape = Etape.objects.create(
        atelier=atelier, nature=NatureEtape.VISITE, resume=f"Accueil par {nom} en mairie."
    )
    autre = Etape.objects.create(
        atelier=atelier, nature=NatureEtape.LANCEMENT, resume=f"Accueil par {nom}ez."
    )
    point = PointSuivi.objects.create(
        action=action, date=timezone.localdate(), etat="en_cours", commentaire=f"Vu {nom}."
    )
    candidature = candidature_en_etat(Candidature.Statut.RECEVABLE)
    avis = Avis.objects.create(
        candidature=candidature, rapporteur=dgaln, commentaire=f"Élu référent : {nom}."
    )
    contenu = version.contenu

    close(client, elu)
    pseudonyme = f"Compte clôturé n° {elu.pk}"

    etape.refresh_from_db()
    autre.refresh_from_db()
    point.refresh_from_db()
    avis.refresh_from_db()
    assert etape.resume == f"Accueil par {pseudonyme} en mairie."
    assert autre.resume == f"Accueil par {nom}ez."
    assert point.commentaire == f"Vu {pseudonyme}."
    assert avis.commentaire == f"Élu référent : {pseudonyme}."
    assert ActionFdr.objects.get(pk=action.pk).description == f"Porté avec {pseudonyme}."
    version.refresh_from_db()
    assert version.contenu == contenu
