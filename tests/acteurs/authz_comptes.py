"""Matrix entries for the project pages, accounts (allauth), admin and the acteurs app."""

from django.contrib import admin
from django.core import signing

from acteurs.models import Role
from acteurs.services import RESUME_SEL
from tests import factories
from tests.authz import Entry, atelier_members, dgaln_only, expect, public, signed_in

ADMIN_VIEWS = ("changelist", "add", "history", "delete", "change")


def _admin_entries() -> list[Entry]:
    """The admin is for superusers only: none of the 8 roles is staff, so every admin page
    sends them to the login page; the admin login (through allauth) refuses a signed-in
    non-staff user. ``test_admin_superuser`` checks the superuser side."""
    redirect_all = expect(302)
    entries = [
        Entry("admin:index", redirect_all),
        Entry("admin:login", expect(403, anonymous=302)),
        Entry("admin:logout", redirect_all),
        Entry("admin:password_change", redirect_all),
        Entry("admin:password_change_done", redirect_all),
        Entry("admin:autocomplete", redirect_all),
        Entry("admin:jsi18n", redirect_all),
        Entry("admin:view_on_site", redirect_all, {"content_type_id": 1, "object_id": 1}),
        Entry("admin:auth_user_password_change", redirect_all, {"id": 1}),
    ]
    app_labels = set()
    for model in admin.site._registry:
        opts = model._meta
        app_labels.add(opts.app_label)
        for view in ADMIN_VIEWS:
            kwargs = {} if view in ("changelist", "add") else {"object_id": 1}
            entries.append(
                Entry(f"admin:{opts.app_label}_{opts.model_name}_{view}", redirect_all, kwargs)
            )
    entries += [
        Entry("admin:app_list", redirect_all, {"app_label": label}) for label in sorted(app_labels)
    ]
    return entries


def _account_entries() -> list[Entry]:
    anonymous_only = expect(302, anonymous=200)
    return [
        Entry("account_login", anonymous_only),
        Entry("account_signup", anonymous_only),
        Entry("account_logout", expect(200, anonymous=302)),
        Entry("account_inactive", public()),
        Entry("account_reauthenticate", signed_in()),
        # Re-authentication by an e-mailed code is switched off (settings).
        Entry("account_request_reauthentication_code", signed_in(403)),
        Entry("account_confirm_reauthentication_code", signed_in(403)),
        Entry("account_email", signed_in()),
        Entry("account_email_verification_sent", public()),
        Entry("account_change_password", signed_in()),
        Entry("account_set_password", signed_in(302)),
        Entry("account_reset_password", public()),
        Entry("account_reset_password_done", public()),
        Entry("account_reset_password_from_key_done", public()),
        Entry("account_reset_password_from_key", public(), {"uidb36": "0", "key": "invalide"}),
        Entry("account_confirm_login_code", expect(302)),
        Entry("account_confirm_email", public(), {"key": "cle-invalide"}),
        Entry("mfa_index", signed_in()),
        Entry("mfa_authenticate", expect(302)),
        # Without a second factor there is nothing to reauthenticate with (as for the
        # roles that have none).
        Entry(
            "mfa_reauthenticate",
            expect(
                302,
                pilote=200,
                autre_pilote=200,
                dgaln=200,
                pilote_sans_mfa=302,
                dgaln_sans_mfa=302,
            ),
        ),
        # allauth asks for a recent authentication first (force_login records none).
        Entry("mfa_activate_totp", expect(302)),
        Entry(
            "mfa_deactivate_totp",
            expect(
                404,
                anonymous=302,
                pilote=302,
                autre_pilote=302,
                dgaln=302,
                pilote_sans_mfa=404,
                dgaln_sans_mfa=404,
            ),
        ),
        Entry("mfa_view_recovery_codes", signed_in(404)),
        Entry("mfa_generate_recovery_codes", expect(302)),
        Entry("mfa_download_recovery_codes", signed_in(404)),
        Entry("socialaccount_login_cancelled", public()),
        Entry("socialaccount_login_error", public(401)),
        Entry("socialaccount_signup", expect(302)),
        Entry("socialaccount_connections", signed_in()),
        # ProConnect is not configured in tests: 404 (tests/acteurs/test_proconnect.py).
        Entry("proconnect_login", public(404)),
        Entry("proconnect_callback", public(404)),
    ]


def entries(world) -> list[Entry]:
    atelier = world.atelier
    cible = factories.participant(atelier, Role.HABITANT, email="cible-matrice@exemple.fr")
    participation = cible.acteur.participations.get(atelier=atelier)
    from acteurs import services
    from acteurs.invitations import make_token

    pilote = world.users["pilote"]
    invitation = services.invitation_create(
        atelier=atelier,
        by=pilote,
        email="invite-matrice@exemple.fr",
        role=Role.ELU,
        collectivite="Commune de Quintin",
        mandat="Maire",
    )
    invitation_token = make_token(invitation)
    a_annuler = services.invitation_create(
        atelier=atelier, by=pilote, email="annulee-matrice@exemple.fr", role=Role.HABITANT
    )
    pilot_post = expect(
        404,
        anonymous=302,
        habitant=403,
        elu=403,
        equipe=403,
        pilote=302,
        dgaln=302,
    )
    return [
        Entry("home", public()),
        Entry("sante", public()),
        Entry("accessibilite", public()),
        Entry("mentions_legales", public()),
        Entry("donnees_personnelles", public()),
        Entry("contact", public()),
        Entry("plan_du_site", public()),
        *_account_entries(),
        *_admin_entries(),
        Entry("acteurs:espace", signed_in()),
        Entry("acteurs:organisations", signed_in(), query="?q=commune"),
        Entry("acteurs:resume_preference", expect(405, anonymous=302)),
        Entry(
            "acteurs:resume_preference",
            expect(302),
            method="post",
            data={"resume_frequence": "quotidien"},
        ),
        # The unsubscribe link is its own credential: whoever holds it, signed in or not.
        Entry(
            "acteurs:resume_desabonnement",
            public(),
            {"jeton": signing.dumps({"u": factories.UtilisateurFactory().pk}, salt=RESUME_SEL)},
        ),
        Entry("acteurs:resume_desabonnement", expect(404), {"jeton": "faux"}),
        Entry("acteurs:mes_donnees", signed_in()),
        Entry("acteurs:mes_donnees", signed_in(), query="?format=json"),
        Entry("acteurs:cloturer_compte", signed_in()),
        Entry("acteurs:mfa_suite", signed_in(302)),
        # An empty confirmation closes nothing: a 400 for everyone signed in.
        Entry("acteurs:cloturer_compte", signed_in(400), method="post"),
        Entry("ateliers:participants", atelier_members(), {"atelier_id": atelier.pk}),
        Entry(
            "ateliers:participants",
            expect(404, anonymous=302, autre_pilote=200, dgaln=200),
            {"atelier_id": world.autre_atelier.pk},
        ),
        Entry(
            "ateliers:participants",
            expect(403, anonymous=302, applicant=404, autre_pilote=404, pilote=400, dgaln=400),
            {"atelier_id": atelier.pk},
            method="post",
            data={"email": "", "role": "habitant"},
        ),
        Entry(
            "ateliers:participation_role",
            expect(405, anonymous=302),
            {"atelier_id": atelier.pk, "pk": participation.pk},
        ),
        Entry(
            "ateliers:participation_role",
            pilot_post,
            {"atelier_id": atelier.pk, "pk": participation.pk},
            method="post",
            data={"role": Role.ELU},
        ),
        Entry(
            "ateliers:participation_retirer",
            # The confirmation page, for a browser without JavaScript.
            expect(404, anonymous=302, habitant=403, elu=403, equipe=403, pilote=200, dgaln=200),
            {"atelier_id": atelier.pk, "pk": participation.pk},
        ),
        Entry(
            "ateliers:participation_retirer",
            pilot_post,
            {"atelier_id": atelier.pk, "pk": participation.pk},
            method="post",
        ),
        Entry(
            "ateliers:invitation_annuler",
            expect(405, anonymous=302),
            {"atelier_id": atelier.pk, "pk": invitation.pk},
        ),
        Entry(
            "ateliers:invitation_annuler",
            pilot_post,
            {"atelier_id": atelier.pk, "pk": a_annuler.pk},
            method="post",
        ),
        Entry("acteurs:invitation", public(400), {"token": "jeton-invalide"}),
        # A valid link: the visitor may sign in or up; a signed-in person with another
        # address is refused.
        Entry("acteurs:invitation", expect(403, anonymous=200), {"token": invitation_token}),
        Entry("journal:journal", dgaln_only()),
        *_agents_entries(),
    ]


def _agents_entries() -> list[Entry]:
    """The DGALN pages of State services and vetted agents."""
    a_revoquer = factories.agent_etat(email="a-revoquer-matrice@developpement-durable.gouv.fr")
    service = factories.service_etat("ddt-29")
    dgaln_post = expect(403, anonymous=302, dgaln=302)
    return [
        Entry("acteurs:gestion_agents", dgaln_only()),
        Entry(
            "acteurs:gestion_agents",
            dgaln_only(400),
            method="post",
            data={"email": "", "fonction": ""},
        ),
        Entry("acteurs:gestion_agent_revoke", dgaln_only(405), {"pk": a_revoquer.pk}),
        Entry("acteurs:gestion_agent_revoke", dgaln_post, {"pk": a_revoquer.pk}, method="post"),
        Entry("acteurs:gestion_services_etat", dgaln_only()),
        Entry("acteurs:gestion_services_etat", dgaln_only(), query="?q=Finist"),
        Entry("acteurs:gestion_service_creer", dgaln_only()),
        Entry(
            "acteurs:gestion_service_creer",
            dgaln_only(400),
            method="post",
            data={"nom": "", "nature": "ddt"},
        ),
        Entry("acteurs:gestion_service_etat", dgaln_only(), {"pk": service.pk}),
    ]
