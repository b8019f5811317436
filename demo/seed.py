"""Builds the demonstration data set behind ``manage.py seed_demo``.

Reference/demo data, written directly through the ORM (not through the workflow services,
except the restitution reports, rendered by ``rapport_generate``): every object is looked up
by a stable key (slug, e-mail, atelier + order…) and created when missing, never updated, so
that running the command again changes nothing, not even what a person did with the demo
(a version signed, an atelier published, an action marked réalisée). Every row respects the models'
check constraints (dated publications, adopted versions with a date, stages in order…).
Dates are computed from the first day of the current month, so that the ateliers "en cours"
stay in progress and the open call stays open whenever the command is run.
"""

from __future__ import annotations

from django.db import transaction
from django.utils import timezone

from acteurs.models import Acteur, Organisation, ServiceEtat, Utilisateur
from ateliers.models import Atelier, SessionNationale
from territoires.models import Departement, Region, Territoire

from . import data
from .acteurs import ActeursDemo
from .appels import AppelsDemo
from .ateliers import AteliersDemo
from .base import (
    COMPTES,
    DEMO_DOMAIN,
    DEMO_PASSWORD,
    DEMO_TOTP_SECRET,
    Resultat,
)
from .feuilles_de_route import FeuillesDeRouteDemo
from .territoires import TerritoiresDemo


class DemoSeeder(TerritoiresDemo, ActeursDemo, AteliersDemo, FeuillesDeRouteDemo, AppelsDemo):
    """Creates what is missing of the demo data set; see the module docstring."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.ref = self.today.replace(day=1)
        self.regions = {r.code: r for r in Region.objects.all()}
        self.departements = {d.code: d for d in Departement.objects.all()}
        self.sessions = {s.slug: s for s in SessionNationale.objects.all()}
        self.services_etat = {s.code: s for s in ServiceEtat.objects.all()}
        self.users: dict[str, Utilisateur] = {}
        self.acteurs_demo: dict[str, Acteur] = {}
        self.organisations: dict[str, Organisation] = {}
        # Rows of a previous run, fetched once rather than one query each.
        self.users_by_email = {
            u.email: u for u in Utilisateur.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        }
        self.acteurs_libres = {
            a.email: a for a in Acteur.objects.filter(est_demo=True, utilisateur__isnull=True)
        }
        self.acteurs_comptes = {
            a.utilisateur_id: a
            for a in Acteur.objects.filter(utilisateur__email__endswith=f"@{DEMO_DOMAIN}")
        }
        self.organisations = {o.slug: o for o in Organisation.objects.filter(est_demo=True)}
        self.organisations_a_jour: set[str] = set()
        self.password_hash = ""

    # --- entry point --------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> Resultat:
        self._check_reference()
        self._organisations_nationales()
        self._comptes_demo()
        for index, spec in enumerate(data.ATELIERS):
            self._atelier(index, spec)
        self._appels()
        self._rapports()
        return Resultat(
            comptes=COMPTES,
            mot_de_passe=DEMO_PASSWORD,
            secret_totp=DEMO_TOTP_SECRET,
            territoires=Territoire.objects.filter(est_demo=True).count(),
            ateliers=Atelier.objects.filter(est_demo=True).count(),
        )

    def _check_reference(self) -> None:
        missing = [slug for slug, _ in (data.SESSION_SOLS, data.SESSION_PRODUCTIFS)]
        missing = [slug for slug in missing if slug not in self.sessions]
        if (
            len(self.regions) < 18
            or len(self.departements) < 101
            or missing
            or not self.services_etat
        ):
            raise RuntimeError(
                "Données de référence absentes : lancez d'abord « python manage.py migrate » "
                "puis « python manage.py load_reference »."
            )


def seed_demo() -> Resultat:
    """Create what is missing of the demo data set; existing rows are left alone."""
    return DemoSeeder().run()
