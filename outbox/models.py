from django.db import models
from django.db.models import Q
from django.utils.translation import gettext_lazy as _


class PendingTask(models.Model):
    """A Celery task owed by a committed change; ``sent_at`` is set once the broker has it."""

    task = models.CharField(_("tâche"), max_length=200)
    args = models.JSONField(_("arguments"), default=list)
    kwargs = models.JSONField(_("arguments nommés"), default=dict)
    created_at = models.DateTimeField(_("créée le"), auto_now_add=True)
    sent_at = models.DateTimeField(_("transmise le"), null=True, blank=True)
    attempts = models.PositiveIntegerField(_("tentatives de transmission"), default=0)
    last_error = models.TextField(_("dernière erreur"), blank=True)

    class Meta:
        verbose_name = _("tâche en attente d'envoi")
        verbose_name_plural = _("tâches en attente d'envoi")
        indexes = [
            models.Index(
                fields=["created_at"], condition=Q(sent_at__isnull=True), name="outbox_waiting"
            ),
        ]

    def __str__(self) -> str:
        return f"{self.task}{tuple(self.args)}"
