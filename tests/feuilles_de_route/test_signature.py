"""Versions, freezing, co-signature and adoption."""

import pytest
from django.core import mail
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from atelier.workflow import TransitionError
from feuilles_de_route import canonical, services
from feuilles_de_route.models import Action, FeuilleDeRoute, Qualite, Signature, Version
from journal.models import EvenementAudit
from tests import factories
from tests.factories import feuilles_de_route as f

pytestmark = pytest.mark.django_db


def test_version_is_frozen_snapshot(feuille, pilote):
    version = services.version_create(feuille=feuille, by=pilote)
    assert version.numero == 1 and version.empreinte == canonical.empreinte(version.contenu)
    # Unchanged draft: no new version.
    assert services.version_create(feuille=feuille, by=pilote).pk == version.pk
    action = Action.objects.filter(axe__feuille=feuille).first()
    services.action_save(axe=action.axe, by=pilote, data={"titre": "Nouveau titre"}, action=action)
    version.refresh_from_db()
    assert "Nouveau titre" not in str(version.contenu)
    second = services.version_create(feuille=feuille, by=pilote)
    assert second.numero == 2 and second.empreinte != version.empreinte


def test_send_requires_elu_and_state(feuille, pilote, elu, etat):
    with pytest.raises(TransitionError, match="co-portée"):
        services.version_send_for_signature(
            feuille=feuille, by=pilote, signataires=[(elu, Qualite.ELU)]
        )
    with pytest.raises(TransitionError, match="qu'une fois"):
        services.version_send_for_signature(
            feuille=feuille, by=pilote, signataires=[(elu, Qualite.ELU), (elu, Qualite.ETAT)]
        )
    with pytest.raises(TransitionError, match="ne peut pas signer"):
        services.version_send_for_signature(
            feuille=feuille, by=pilote, signataires=[(etat, Qualite.ELU), (pilote, Qualite.ETAT)]
        )
    outsider = factories.UtilisateurFactory()
    with pytest.raises(TransitionError):
        services.version_send_for_signature(
            feuille=feuille, by=pilote, signataires=[(outsider, Qualite.ELU), (etat, Qualite.ETAT)]
        )


def test_only_pilote_sends(feuille, equipe, elu, etat):
    with pytest.raises(PermissionDenied):
        f.send(feuille, equipe, elu, etat)


def test_each_signatory_gets_an_email(
    feuille, pilote, elu, etat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        version = f.send(feuille, pilote, elu, etat)
    assert sorted(m.to[0] for m in mail.outbox) == sorted([elu.email, etat.email])
    link = reverse(
        "feuilles_de_route:signer", kwargs={"pk": feuille.atelier_id, "numero": version.numero}
    )
    assert all(link in m.body for m in mail.outbox)


def test_wrong_password_refused(feuille, pilote, elu, etat):
    version = f.send(feuille, pilote, elu, etat)
    with pytest.raises(TransitionError, match="Mot de passe incorrect"):
        services.version_sign(version=version, by=elu, password="faux")
    assert not Signature.objects.exists()


def test_adopted_only_when_all_have_signed(feuille, pilote, elu, etat, password):
    version = f.send(feuille, pilote, elu, etat)
    signature = services.version_sign(version=version, by=elu, password=password)
    version.refresh_from_db()
    assert version.statut == Version.Statut.EN_SIGNATURE
    assert signature.empreinte == version.empreinte and len(signature.sceau) == 64
    with pytest.raises(TransitionError, match="déjà signé"):
        services.version_sign(version=version, by=elu, password=password)
    services.version_sign(version=version, by=etat, password=password)
    version.refresh_from_db()
    feuille.refresh_from_db()
    assert version.statut == Version.Statut.ADOPTEE and version.adoptee_le
    assert feuille.version_adoptee_id == version.pk
    assert EvenementAudit.objects.filter(action="version_adoptee").exists()


def test_non_signatory_cannot_sign(feuille, pilote, elu, etat, equipe, password):
    version = f.send(feuille, pilote, elu, etat)
    with pytest.raises(PermissionDenied):
        services.version_sign(version=version, by=equipe, password=password)


def test_editing_after_sending_needs_a_new_version(feuille, pilote, elu, etat, password):
    version = f.adopt(feuille, pilote, elu, etat)
    frozen = dict(version.contenu), version.empreinte
    action = Action.objects.filter(axe__feuille=feuille).first()
    services.action_save(
        axe=action.axe, by=pilote, data={"titre": "Changée après adoption"}, action=action
    )
    version.refresh_from_db()
    assert (version.contenu, version.empreinte) == frozen
    second = f.send(feuille, pilote, elu, etat)
    assert second.numero == 2 and second.statut == Version.Statut.EN_SIGNATURE
    assert not second.signatures.exists()
    services.version_sign(version=second, by=elu, password=password)
    services.version_sign(version=second, by=etat, password=password)
    version.refresh_from_db()
    feuille.refresh_from_db()
    assert version.statut == Version.Statut.REMPLACEE
    assert feuille.version_adoptee_id == second.pk


def test_sending_same_content_again_is_refused(feuille, pilote, elu, etat):
    f.send(feuille, pilote, elu, etat)
    with pytest.raises(TransitionError, match="déjà"):
        f.send(feuille, pilote, elu, etat)


def test_tampered_content_cannot_be_signed(feuille, pilote, elu, etat, password):
    version = f.send(feuille, pilote, elu, etat)
    contenu = version.contenu
    contenu["axes"][0]["titre"] = "Falsifié"
    f.tamper_version(version, contenu)
    with pytest.raises(TransitionError, match="empreinte"):
        services.version_sign(version=version, by=elu, password=password)


def test_mfa_code_required_when_user_has_totp(feuille, pilote, elu, etat, password):
    from allauth.mfa.totp.internal import auth as totp

    secret = totp.generate_totp_secret()
    totp.TOTP.activate(elu, secret)
    version = f.send(feuille, pilote, elu, etat)
    with pytest.raises(TransitionError, match="Code"):
        services.version_sign(version=version, by=elu, password=password)
    code = totp.format_hotp_value(
        totp.hotp_value(secret, next(totp.yield_hotp_counters_from_time()))
    )
    services.version_sign(version=version, by=elu, code=code)


def test_admin_cannot_edit_versions_or_signatures(client, adoptee):
    admin = factories.UtilisateurFactory(is_staff=True, is_superuser=True)
    factories.with_totp(admin)  # else the second-factor gate answers first
    client.force_login(admin)
    signature = adoptee.signatures.first()
    for url in (
        reverse("admin:feuilles_de_route_version_change", args=[adoptee.pk]),
        reverse("admin:feuilles_de_route_signature_change", args=[signature.pk]),
    ):
        response = client.post(url, {"contenu": "{}", "empreinte": "0" * 64})
        assert response.status_code == 403
    assert (
        client.post(
            reverse("admin:feuilles_de_route_version_delete", args=[adoptee.pk]), {"post": "yes"}
        ).status_code
        == 403
    )
    adoptee.refresh_from_db()
    assert canonical.empreinte(adoptee.contenu) == adoptee.empreinte


def test_sign_view_with_wrong_password_then_right(client, feuille, pilote, elu, etat, password):
    version = f.send(feuille, pilote, elu, etat)
    client.force_login(elu)
    url = reverse(
        "feuilles_de_route:signer", kwargs={"pk": feuille.atelier_id, "numero": version.numero}
    )
    page = client.get(url)
    assert page.status_code == 200 and "Je signe" in page.content.decode()
    bad = client.post(url, {"password": "nope", "confirmation": "on"})
    assert bad.status_code == 400 and "Mot de passe incorrect" in bad.content.decode()
    ok = client.post(url, {"password": password, "confirmation": "on"})
    assert ok.status_code == 302
    assert Signature.objects.filter(signataire=elu).exists()


def test_deliberation_recorded_on_adopted_version(adoptee, pilote):
    import datetime as dt

    services.version_set_deliberation(
        version=adoptee, by=pilote, reference="DCM-2026-12", date=dt.date(2026, 3, 2)
    )
    adoptee.refresh_from_db()
    assert adoptee.deliberation_reference == "DCM-2026-12"
    assert canonical.empreinte(adoptee.contenu) == adoptee.empreinte


def test_publish_requires_adoption(feuille, pilote, elu, etat):
    with pytest.raises(TransitionError):
        services.feuille_publish(feuille=feuille, by=pilote)
    f.adopt(feuille, pilote, elu, etat)
    feuille.refresh_from_db()
    services.feuille_publish(feuille=feuille, by=pilote)
    assert FeuilleDeRoute.objects.filter(publiee=True).count() == 1
    assert EvenementAudit.objects.filter(action="feuille_publiee").exists()


def test_diff_lists_added_removed_changed(feuille, pilote):
    v1 = services.version_create(feuille=feuille, by=pilote)
    actions = list(Action.objects.filter(axe__feuille=feuille).order_by("pk"))
    services.action_save(
        axe=actions[0].axe,
        by=pilote,
        data={"titre": "Titre revu", "priorite": "basse"},
        action=actions[0],
    )
    services.action_delete(action=actions[1], by=pilote)
    services.action_save(axe=actions[0].axe, by=pilote, data={"titre": "Toute nouvelle action"})
    v2 = services.version_create(feuille=feuille, by=pilote)
    d = canonical.diff(v1.contenu, v2.contenu)
    assert [a["titre"] for a in d["ajoutees"]] == ["Toute nouvelle action"]
    assert [a["titre"] for a in d["supprimees"]] == [actions[1].titre]
    (changed,) = d["modifiees"]
    labels = {c[0] for c in changed["changements"]}
    assert "Titre" in labels and "Priorité" in labels


def test_diff_page(client, feuille, pilote, elu):
    services.version_create(feuille=feuille, by=pilote)
    action = Action.objects.filter(axe__feuille=feuille).first()
    services.action_save(axe=action.axe, by=pilote, data={"titre": "Titre revu"}, action=action)
    services.version_create(feuille=feuille, by=pilote)
    client.force_login(elu)
    r = client.get(
        reverse("feuilles_de_route:versions", kwargs={"pk": feuille.atelier_id}) + "?de=1&a=2"
    )
    html = r.content.decode()
    assert r.status_code == 200 and "Titre revu" in html and "Actions modifiées" in html
    assert (
        client.get(
            reverse("feuilles_de_route:versions", kwargs={"pk": feuille.atelier_id}) + "?de=1&a=x"
        ).status_code
        == 200
    )


def test_password_guessing_is_limited(feuille, pilote, elu, etat, password):
    version = f.send(feuille, pilote, elu, etat)
    for _ in range(5):
        with pytest.raises(TransitionError, match="Mot de passe incorrect"):
            services.version_sign(version=version, by=elu, password="devine")
    with pytest.raises(TransitionError, match="Trop de tentatives"):
        services.version_sign(version=version, by=elu, password=password)
    assert not Signature.objects.exists()


def test_signatures_attendues_for_my_workspace(feuille, pilote, elu, etat, password):
    from feuilles_de_route.selectors import signatures_attendues

    assert not signatures_attendues(elu).exists()
    version = f.send(feuille, pilote, elu, etat)
    assert [r.version_id for r in signatures_attendues(elu)] == [version.pk]
    services.version_sign(version=version, by=elu, password=password)
    assert not signatures_attendues(elu).exists()
    assert signatures_attendues(etat).count() == 1
    assert not signatures_attendues(None).exists()


def test_text_email_is_not_html_escaped(
    feuille, pilote, elu, etat, django_capture_on_commit_callbacks
):
    with django_capture_on_commit_callbacks(execute=True):
        f.send(feuille, pilote, elu, etat)
    body = next(m.body for m in mail.outbox if etat.email in m.to)
    assert "Représentant·e de l'État" in body and "&#x27;" not in body


def test_pending_signatories_are_told_when_their_version_is_replaced(
    feuille, pilote, elu, etat, password, django_capture_on_commit_callbacks
):
    premiere = f.send(feuille, pilote, elu, etat)
    services.version_sign(version=premiere, by=elu, password=password)
    action = Action.objects.filter(axe__feuille=feuille).first()
    services.action_save(axe=action.axe, by=pilote, data={"titre": "Revue"}, action=action)
    mail.outbox.clear()
    with django_capture_on_commit_callbacks(execute=True):
        seconde = f.send(feuille, pilote, elu, etat)
    remplacee = [m for m in mail.outbox if "est remplacée" in m.subject]
    # Only the State representative had not signed the first version yet.
    assert [m.to for m in remplacee] == [[etat.email]]
    assert f"version {premiere.numero}" in remplacee[0].subject
    assert f"version {seconde.numero}" in remplacee[0].subject
    assert "n'est plus à signer" in remplacee[0].body
    # Both are asked to sign the new one.
    demandes = [m for m in mail.outbox if "signature est demandée" in m.subject]
    assert sorted(m.to[0] for m in demandes) == sorted([elu.email, etat.email])
