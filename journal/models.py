"""The append-only audit trail: one row per change of state, whoever made it."""

from django.conf import settings
from django.contrib.contenttypes.fields import GenericForeignKey
from django.contrib.contenttypes.models import ContentType
from django.db import models
from django.utils.translation import gettext_lazy as _


class EvenementAuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul.")

    def delete(self):
        raise PermissionError("Le journal d'audit est en ajout seul.")


class EvenementAudit(models.Model):
    """An append-only row per change of state. Written only by ``journal.services.audit``."""

    quand = models.DateTimeField(_("date"), auto_now_add=True, db_index=True)
    auteur = models.ForeignKey(
        settings.AUTH_USER_MODEL,
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="+",
        verbose_name=_("auteur"),
    )
    auteur_repr = models.CharField(_("auteur (texte)"), max_length=300, blank=True)
    content_type = models.ForeignKey(
        ContentType, on_delete=models.PROTECT, verbose_name=_("type d'objet")
    )
    object_id = models.CharField(_("identifiant de l'objet"), max_length=64)
    objet = GenericForeignKey("content_type", "object_id")
    objet_repr = models.CharField(_("objet"), max_length=300)
    action = models.CharField(_("action"), max_length=100)
    etat_avant = models.CharField(_("état avant"), max_length=50, blank=True)
    etat_apres = models.CharField(_("état après"), max_length=50, blank=True)
    resume = models.TextField(_("résumé"), blank=True)
    atelier = models.ForeignKey(
        "ateliers.Atelier",
        on_delete=models.SET_NULL,
        null=True,
        blank=True,
        related_name="evenements_audit",
        verbose_name=_("atelier"),
    )

    objects = EvenementAuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("événement du journal d'audit")
        verbose_name_plural = _("journal d'audit")
        ordering = ["-quand", "-id"]
        indexes = [
            models.Index(fields=["content_type", "object_id"]),
            models.Index(fields=["atelier", "-quand"]),
            models.Index(fields=["action"]),
        ]

    def __str__(self) -> str:
        return f"{self.quand:%d/%m/%Y %H:%M} {self.action} {self.objet_repr}"

    def save(self, *args, **kwargs):
        # Append-only: an existing row is never rewritten.
        if self.pk is not None:
            raise PermissionError("Le journal d'audit est en ajout seul.")
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise PermissionError("Le journal d'audit est en ajout seul.")
