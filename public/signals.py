"""Safety net for the public cache: a saved or deleted row that the public can see bumps
the generation. Publication services call ``invalidate_public_cache`` themselves; this catches
the admin and any other write path. Cache maintenance only — no business logic here.

Rows of an atelier that is not published (and was not, before this save) are invisible to
the public: writing them leaves the cache alone, so a busy back office does not empty it.
The live roadmap (axes, actions) is never public — only its adopted, frozen version is.
"""

from django.db.models.signals import m2m_changed, post_delete, post_save, pre_save

from atelier.cache import invalidate_public_cache


def _invalider(sender, **kwargs):
    invalidate_public_cache()


def _atelier_avant(sender, instance, **kwargs):
    """Remember whether the atelier was published before this save."""
    instance._publie_avant = bool(
        instance.pk and sender.objects.filter(pk=instance.pk, publie=True).exists()
    )


def _atelier_apres(sender, instance, **kwargs):
    if instance.publie or getattr(instance, "_publie_avant", True):
        invalidate_public_cache()


def _ligne_d_atelier(sender, instance, **kwargs):
    from ateliers.models import Atelier

    if Atelier.objects.filter(pk=instance.atelier_id, publie=True).exists():
        invalidate_public_cache()


def connecter() -> None:
    from ateliers.models import Atelier, Etape, SessionNationale, SiteDemonstrateur
    from feuilles_de_route.models import FeuilleDeRoute, Rapport
    from territoires.models import Territoire

    pre_save.connect(_atelier_avant, sender=Atelier, dispatch_uid="territoires-cache-atelier-pre")
    post_save.connect(_atelier_apres, sender=Atelier, dispatch_uid="territoires-cache-atelier")
    post_delete.connect(
        _atelier_apres, sender=Atelier, dispatch_uid="territoires-cache-atelier-delete"
    )
    for model, recepteur in (
        (Etape, _ligne_d_atelier),
        (SiteDemonstrateur, _ligne_d_atelier),
        (FeuilleDeRoute, _ligne_d_atelier),
        (Rapport, _ligne_d_atelier),
        (Territoire, _invalider),
        (SessionNationale, _invalider),
    ):
        uid = f"territoires-cache-public-{model._meta.label_lower}"
        post_save.connect(recepteur, sender=model, dispatch_uid=f"{uid}-save")
        post_delete.connect(recepteur, sender=model, dispatch_uid=f"{uid}-delete")
    m2m_changed.connect(
        _invalider,
        sender=Territoire.departements.through,
        dispatch_uid="territoires-cache-public-departements",
    )
