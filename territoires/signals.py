"""Safety net for the public cache: any saved or deleted public-facing row bumps the
generation. Publication services call ``invalider_cache_public`` themselves; this catches the
admin and any other write path. Cache maintenance only — no business logic here."""

from django.db.models.signals import m2m_changed, post_delete, post_save

from .services import invalider_cache_public


def _invalider(sender, **kwargs):
    invalider_cache_public()


def connecter() -> None:
    from ateliers.models import Atelier, Etape, SessionNationale, SiteDemonstrateur
    from feuilles_de_route.models import Action, Axe, FeuilleDeRoute, Rapport

    from .models import Territoire

    for model in (
        Atelier,
        Etape,
        SiteDemonstrateur,
        FeuilleDeRoute,
        Axe,
        Action,
        Rapport,
        Territoire,
        SessionNationale,
    ):
        uid = f"territoires-cache-public-{model._meta.label_lower}"
        post_save.connect(_invalider, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(_invalider, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _invalider,
        sender=Territoire.departements.through,
        dispatch_uid="territoires-cache-public-departements",
    )
