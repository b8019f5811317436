"""The contact form (it reaches DGALN by e-mail at ATELIER_CONTACT_EMAIL) and the site map."""

import logging

from django import forms
from django.conf import settings
from django.contrib import messages
from django.core.cache import cache
from django.http import HttpRequest, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy
from django.views.decorators.http import require_http_methods
from dsfr.forms import DsfrBaseForm

from acteurs.securite import client_ip
from outbox.services import enqueue

from . import tasks

logger = logging.getLogger("atelier.securite")

# An anonymous form that sends e-mail: a few messages per address and hour, no more.
MESSAGES_PAR_HEURE = 5


class ContactForm(DsfrBaseForm):
    OBJETS = [
        ("programme", gettext_lazy("Le programme Atelier des territoires")),
        ("candidature", gettext_lazy("Un appel à candidatures ou une candidature")),
        ("atelier", gettext_lazy("Un atelier en cours")),
        ("accessibilite", gettext_lazy("Un problème d'accessibilité")),
        ("donnees", gettext_lazy("Mes données personnelles")),
        ("autre", gettext_lazy("Autre sujet")),
    ]
    nom = forms.CharField(label=gettext_lazy("Nom et prénom"), max_length=200)
    email = forms.EmailField(
        label=gettext_lazy("Adresse électronique"),
        help_text=gettext_lazy("Pour vous répondre. Format attendu : nom@domaine.fr"),
    )
    objet = forms.ChoiceField(label=gettext_lazy("Objet"), choices=OBJETS)
    message = forms.CharField(
        label=gettext_lazy("Message"), max_length=5000, widget=forms.Textarea(attrs={"rows": 8})
    )


def _depasse_la_limite(request: HttpRequest) -> bool:
    cle = f"contact:{client_ip(request)}"
    try:
        if cache.add(cle, 1, timeout=3600):
            return False
        return cache.incr(cle) > MESSAGES_PAR_HEURE
    except Exception:  # the cache is down: the form still works, unlimited for a while
        logger.warning("contact_limite_indisponible")
        return False


@require_http_methods(["GET", "POST"])
def contact(request: HttpRequest) -> HttpResponse:
    form = ContactForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        if _depasse_la_limite(request):
            form.add_error(
                None,
                _(
                    "Vous avez envoyé plusieurs messages en peu de temps : réessayez dans une heure."
                ),
            )
        else:
            donnees = form.cleaned_data
            enqueue(
                tasks.contact_send,
                nom=donnees["nom"],
                email=donnees["email"],
                objet=str(dict(ContactForm.OBJETS)[donnees["objet"]]),
                message=donnees["message"],
            )
            messages.success(
                request,
                _(
                    "Votre message est envoyé à l'équipe du programme, qui vous répondra à %(email)s."
                )
                % {"email": donnees["email"]},
            )
            return redirect("contact")
    return render(
        request,
        "public/contact.html",
        {"form": form, "contact_email": settings.ATELIER_CONTACT_EMAIL},
        status=400 if form.errors else 200,
    )


def plan_du_site(request: HttpRequest) -> HttpResponse:
    return render(request, "public/plan_du_site.html")
