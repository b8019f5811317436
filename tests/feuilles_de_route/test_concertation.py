"""Concertation on a frozen draft: open, comment, support, answer, hide, close, summary."""

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from acteurs.models import Role
from atelier.workflow import TransitionError
from feuilles_de_route import services
from feuilles_de_route.models import Commentaire, Consultation, PriseEnCompte, Version
from journal.models import EvenementAudit
from tests import factories

pytestmark = pytest.mark.django_db

ROLES = [Role.ELU, Role.HABITANT]


@pytest.fixture
def version(feuille, pilote):
    return services.version_create(feuille=feuille, by=pilote)


@pytest.fixture
def consultation(version, pilote):
    return services.consultation_open(
        version=version,
        by=pilote,
        cloture_prevue=timezone.now() + dt.timedelta(days=10),
        roles=ROLES,
    )


def _refs(version):
    axe = version.contenu["axes"][0]
    return axe["ref"], axe["actions"][0]["ref"]


def _url(name, version, **kw):
    return reverse(
        f"feuilles_de_route:{name}",
        kwargs={"pk": version.feuille.atelier_id, "numero": version.numero, **kw},
    )


def test_only_the_pilote_opens_on_a_frozen_version_not_in_signature(
    version, pilote, elu, feuille, etat
):
    demain = timezone.now() + dt.timedelta(days=1)
    with pytest.raises(PermissionDenied):
        services.consultation_open(version=version, by=elu, cloture_prevue=demain, roles=ROLES)
    with pytest.raises(TransitionError, match="futur"):
        services.consultation_open(
            version=version, by=pilote, cloture_prevue=timezone.now(), roles=ROLES
        )
    with pytest.raises(TransitionError, match="rôle"):
        services.consultation_open(
            version=version, by=pilote, cloture_prevue=demain, roles=[Role.PILOTE]
        )
    services.version_send_for_signature(
        feuille=feuille, by=pilote, signataires=[(elu, "elu"), (etat, "etat")]
    )
    en_signature = Version.objects.get(feuille=feuille, statut=Version.Statut.EN_SIGNATURE)
    with pytest.raises(TransitionError, match="pas encore en signature"):
        services.consultation_open(
            version=en_signature, by=pilote, cloture_prevue=demain, roles=ROLES
        )


def test_one_consultation_per_version(consultation, version, pilote):
    with pytest.raises(TransitionError, match="déjà"):
        services.consultation_open(
            version=version,
            by=pilote,
            cloture_prevue=timezone.now() + dt.timedelta(days=3),
            roles=ROLES,
        )


def test_invited_roles_comment_and_support_once(consultation, version, habitant, elu, atelier):
    axe_ref, action_ref = _refs(version)
    services.commentaire_add(
        consultation=consultation, by=habitant, cible="action", ref=action_ref, texte="Oui !"
    )
    services.soutien_add(consultation=consultation, by=elu, cible="axe", ref=axe_ref)
    with pytest.raises(TransitionError, match="déjà"):
        services.soutien_add(consultation=consultation, by=elu, cible="axe", ref=axe_ref)
    technicien = factories.participant(atelier, Role.TECHNICIEN)
    with pytest.raises(TransitionError, match="pas invité"):
        services.commentaire_add(
            consultation=consultation, by=technicien, cible="axe", ref=axe_ref, texte="Et moi ?"
        )
    with pytest.raises(TransitionError, match="ne fait pas partie"):
        services.commentaire_add(
            consultation=consultation, by=elu, cible="action", ref=999999, texte="?"
        )


def test_no_reaction_after_the_closing_date(consultation, version, habitant):
    Consultation.objects.filter(pk=consultation.pk).update(
        cloture_prevue=timezone.now() - dt.timedelta(minutes=1)
    )
    consultation.refresh_from_db()
    axe_ref, _ = _refs(version)
    with pytest.raises(TransitionError, match="close"):
        services.soutien_add(consultation=consultation, by=habitant, cible="axe", ref=axe_ref)


def test_answer_needs_a_status_and_a_reason_and_hiding_is_audited(
    consultation, version, habitant, pilote
):
    _, action_ref = _refs(version)
    c = services.commentaire_add(
        consultation=consultation, by=habitant, cible="action", ref=action_ref, texte="Trop cher"
    )
    with pytest.raises(TransitionError, match="Motivez"):
        services.commentaire_answer(
            commentaire=c, by=pilote, reponse=" ", prise_en_compte=PriseEnCompte.NON_RETENU
        )
    services.commentaire_answer(
        commentaire=c, by=pilote, reponse="Budget voté.", prise_en_compte=PriseEnCompte.NON_RETENU
    )
    with pytest.raises(PermissionDenied):
        services.commentaire_hide(commentaire=c, by=habitant, motif="x")
    services.commentaire_hide(commentaire=c, by=pilote, motif="Propos injurieux")
    assert EvenementAudit.objects.filter(
        action="consultation_commentaire_masque", object_id=str(c.pk)
    ).exists()


def test_hidden_comment_shows_its_reason_to_its_author_only(
    client, consultation, version, habitant, elu, pilote
):
    _, action_ref = _refs(version)
    c = services.commentaire_add(
        consultation=consultation, by=habitant, cible="action", ref=action_ref, texte="Texte X7"
    )
    services.commentaire_hide(commentaire=c, by=pilote, motif="Hors sujet Q9")
    client.force_login(habitant)
    page = client.get(_url("consultation", version)).content.decode()
    assert "Texte X7" in page and "Hors sujet Q9" in page
    client.force_login(elu)
    page = client.get(_url("consultation", version)).content.decode()
    assert "Texte X7" not in page and "Hors sujet Q9" not in page and "Masqué" in page


def test_an_inhabitant_does_not_see_another_inhabitants_name(
    client, consultation, version, habitant, atelier
):
    voisin = factories.participant(
        atelier, Role.HABITANT, first_name="Gwenola", last_name="Le Bras"
    )
    axe_ref, _ = _refs(version)
    services.commentaire_add(
        consultation=consultation, by=voisin, cible="axe", ref=axe_ref, texte="Avis du voisin"
    )
    client.force_login(habitant)
    page = client.get(_url("consultation", version)).content.decode()
    assert "Avis du voisin" in page and "Le Bras" not in page and "Un·e habitant·e" in page


def test_close_keeps_the_summary_with_the_version(consultation, version, habitant, elu, pilote):
    axe_ref, action_ref = _refs(version)
    c = services.commentaire_add(
        consultation=consultation, by=habitant, cible="action", ref=action_ref, texte="Bien"
    )
    services.commentaire_add(
        consultation=consultation, by=elu, cible="axe", ref=axe_ref, texte="Ok"
    )
    services.soutien_add(consultation=consultation, by=habitant, cible="axe", ref=axe_ref)
    services.commentaire_answer(
        commentaire=c, by=pilote, reponse="Repris.", prise_en_compte=PriseEnCompte.RETENU
    )
    services.consultation_close(consultation=consultation, by=pilote)
    synthese = Consultation.objects.get(pk=consultation.pk).synthese
    assert synthese["commentaires"] == 2 and synthese["soutiens"] == 1
    assert synthese["axes"][0]["commentaires"] == 2 and synthese["axes"][0]["soutiens"] == 1
    roles = {r["role"]: r for r in synthese["roles"]}
    assert roles["habitant"]["commentaires"] == 1 and roles["habitant"]["soutiens"] == 1
    assert synthese["prises_en_compte"]["retenu"] == 1
    assert any(r["reponse"] == "Repris." for r in synthese["reponses"])
    with pytest.raises(TransitionError):
        services.commentaire_add(
            consultation=consultation, by=elu, cible="axe", ref=axe_ref, texte="Trop tard"
        )


def test_refused_comment_keeps_the_text_and_says_why(client, consultation, version, atelier):
    technicien = factories.participant(atelier, Role.TECHNICIEN)
    client.force_login(technicien)
    axe_ref, _ = _refs(version)
    response = client.post(
        _url("consultation_commenter", version),
        {"cible": "axe", "ref": axe_ref, "texte": "Mon long texte"},
    )
    assert response.status_code == 400
    assert "pas invité" in response.content.decode()
    assert not Commentaire.objects.exists()


def test_bad_reference_is_a_400_not_a_500(client, consultation, version, habitant):
    client.force_login(habitant)
    response = client.post(
        _url("consultation_commenter", version), {"cible": "axe", "ref": "abc", "texte": "x"}
    )
    assert response.status_code == 400


def test_pages_flow_open_comment_answer_close(client, version, pilote, habitant):
    client.force_login(pilote)
    demain = (timezone.localdate() + dt.timedelta(days=7)).isoformat()
    response = client.post(
        _url("consultation", version), {"cloture": demain, "roles": ["habitant", "elu"]}
    )
    assert response.status_code == 302
    axe_ref, _ = _refs(version)
    client.force_login(habitant)
    client.post(
        _url("consultation_commenter", version), {"cible": "axe", "ref": axe_ref, "texte": "Top"}
    )
    client.post(_url("consultation_soutenir", version), {"cible": "axe", "ref": axe_ref})
    c = Commentaire.objects.get()
    client.force_login(pilote)
    client.post(
        _url("consultation_repondre", version, commentaire_id=c.pk),
        {"prise_en_compte": "partiellement", "reponse": "En partie"},
    )
    client.post(_url("consultation_clore", version))
    consultation = Consultation.objects.get()
    assert consultation.statut == "close" and consultation.synthese["soutiens"] == 1
    client.force_login(habitant)
    page = client.get(_url("consultation", version)).content.decode()
    assert "Partiellement retenu" in page and "En partie" in page


def test_the_restitution_report_includes_the_summary(atelier, feuille, pilote, elu, habitant, etat):
    from feuilles_de_route.models import Rapport
    from feuilles_de_route.rendering import rapport_html
    from tests.factories import feuilles_de_route as f

    version = services.version_create(feuille=feuille, by=pilote)
    consultation = services.consultation_open(
        version=version,
        by=pilote,
        cloture_prevue=timezone.now() + dt.timedelta(days=3),
        roles=ROLES,
    )
    axe_ref, _ = _refs(version)
    c = services.commentaire_add(
        consultation=consultation, by=habitant, cible="axe", ref=axe_ref, texte="Plus de vélo"
    )
    services.commentaire_answer(
        commentaire=c, by=pilote, reponse="Ajouté en action 1.3", prise_en_compte="retenu"
    )
    services.consultation_close(consultation=consultation, by=pilote)
    adoptee = f.adopt(feuille, pilote, elu, etat)
    rapport = Rapport.objects.create(atelier=atelier, version=adoptee)
    html = rapport_html(rapport)
    assert "Concertation sur la version 1" in html
    assert "Plus de vélo" in html and "Ajouté en action 1.3" in html


def test_a_closed_consultation_says_cloturee(client, consultation, version, pilote, habitant):
    # "Close" went through Django's own catalogue and read « Fermer » on the page.
    services.consultation_close(consultation=consultation, by=pilote)
    client.force_login(habitant)
    page = client.get(_url("consultation", version)).content.decode()
    assert "Clôturée" in page and "Fermer" not in page.split("<main", 1)[-1].split("</main>")[0]


def test_the_habitant_does_not_read_the_working_draft(client, feuille, pilote, habitant, equipe):
    from django.urls import reverse as rev

    version = services.version_create(feuille=feuille, by=pilote)
    page_feuille = rev("feuilles_de_route:feuille", args=[feuille.atelier_id])
    client.force_login(habitant)
    assert "Action 1.1" not in client.get(page_feuille).content.decode()
    assert client.get(_url("version", version)).status_code == 404
    assert client.get(_url("version_pdf", version)).status_code == 404
    client.force_login(equipe)
    assert "Action 1.1" in client.get(page_feuille).content.decode()
    # Put to concertation, the version is read by everyone.
    services.consultation_open(
        version=version,
        by=pilote,
        cloture_prevue=timezone.now() + dt.timedelta(days=3),
        roles=ROLES,
    )
    client.force_login(habitant)
    assert "Action 1.1" in client.get(_url("version", version)).content.decode()
