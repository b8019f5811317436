from django.urls import path

from . import indicateurs_views, views

app_name = "feuilles_de_route"

_base = "espace/ateliers/<int:pk>/feuille-de-route/"
_c = f"{_base}versions/<int:numero>/concertation/"

urlpatterns = [
    path(_base, views.feuille, name="feuille"),
    path(f"{_base}modifier/", views.feuille_modifier, name="feuille_modifier"),
    path(f"{_base}axes/ajouter/", views.axe_editer, name="axe_ajouter"),
    path(f"{_base}axes/<int:axe_id>/modifier/", views.axe_editer, name="axe_modifier"),
    path(f"{_base}axes/<int:axe_id>/supprimer/", views.axe_supprimer, name="axe_supprimer"),
    path(f"{_base}actions/ajouter/", views.action_editer, name="action_ajouter"),
    path(f"{_base}actions/<int:action_id>/modifier/", views.action_editer, name="action_modifier"),
    path(
        f"{_base}actions/<int:action_id>/supprimer/",
        views.action_supprimer,
        name="action_supprimer",
    ),
    path(f"{_base}deplacer/", views.deplacer, name="deplacer"),
    path(f"{_base}versions/", views.versions, name="versions"),
    path(f"{_base}versions/figer/", views.version_figer, name="version_figer"),
    path(f"{_base}versions/<int:numero>/", views.version_detail, name="version"),
    path(f"{_base}versions/<int:numero>/signer/", views.signer, name="signer"),
    path(f"{_base}versions/<int:numero>/pdf/", views.version_pdf, name="version_pdf"),
    path(f"{_base}versions/<int:numero>/deliberation/", views.deliberation, name="deliberation"),
    path(f"{_c}", views.consultation, name="consultation"),
    path(f"{_c}commenter/", views.consultation_commenter, name="consultation_commenter"),
    path(f"{_c}soutenir/", views.consultation_soutenir, name="consultation_soutenir"),
    path(
        f"{_c}commentaires/<int:commentaire_id>/repondre/",
        views.consultation_repondre,
        name="consultation_repondre",
    ),
    path(
        f"{_c}commentaires/<int:commentaire_id>/masquer/",
        views.consultation_masquer,
        name="consultation_masquer",
    ),
    path(f"{_c}clore/", views.consultation_clore, name="consultation_clore"),
    path(f"{_base}signature/", views.envoyer_signature, name="envoyer_signature"),
    path(f"{_base}publier/", views.publier, name="publier"),
    path(f"{_base}rapport/", views.rapport_demander, name="rapport_demander"),
    path(f"{_base}rapport/<int:rapport_id>/etat/", views.rapport_etat, name="rapport_etat"),
    path(
        f"{_base}rapport/<int:rapport_id>/telecharger/",
        views.rapport_telecharger,
        name="rapport_telecharger",
    ),
    path(
        f"{_base}rapport/<int:rapport_id>/relancer/",
        views.rapport_relancer,
        name="rapport_relancer",
    ),
    path(
        f"{_base}rapport/<int:rapport_id>/publier/", views.rapport_publier, name="rapport_publier"
    ),
    path(f"{_base}carnet/", views.carnet_demander, name="carnet_demander"),
    path(
        f"{_base}carnet/<int:carnet_id>/telecharger/",
        views.carnet_telecharger,
        name="carnet_telecharger",
    ),
    path(f"{_base}carnet/<int:carnet_id>/publier/", views.carnet_publier, name="carnet_publier"),
    path(f"{_base}suivi/", views.suivi, name="suivi"),
    path(f"{_base}actions.<str:extension>", views.export_actions, name="export_actions"),
    path(f"{_base}suivi/actions/<int:action_id>/", views.point_suivi, name="point_suivi"),
    path(
        f"{_base}suivi/actions/<int:action_id>/indicateurs/",
        indicateurs_views.indicateurs_action,
        name="indicateurs_action",
    ),
    path(
        f"{_base}suivi/actions/<int:action_id>/indicateurs/<int:suivi_id>/mesure/",
        indicateurs_views.mesure_ajouter,
        name="mesure_ajouter",
    ),
    path("gestion/suivi/", views.gestion_suivi, name="gestion_suivi"),
    path(
        "gestion/regenerations/<int:regeneration_id>/relancer/",
        views.gestion_regeneration_relancer,
        name="gestion_regeneration_relancer",
    ),
    path("verifier/", views.verifier_formulaire, name="verifier_formulaire"),
    path("verifier/cle-publique/", views.cle_publique, name="cle_publique"),
    path("verifier/cle-publique.json", views.cle_publique_json, name="cle_publique_json"),
    path("verifier/<str:empreinte>/", views.verifier, name="verifier"),
    path("verifier/<str:empreinte>/preuve.json", views.verifier_preuve, name="verifier_preuve"),
    path("rapports/<int:rapport_id>/telecharger/", views.rapport_public, name="rapport_public"),
]
