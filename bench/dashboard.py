"""Benchmark of the national dashboard, the 40-atelier comparison and the synthesis PDF.

Seeds PostgreSQL (bulk_create, once: reused while the counts match) with 5,000 ateliers,
100,000 actions and 200,000 indicator values, then requests, in-process through the whole
middleware stack as a DGALN agent with a second factor, the uncached dashboard, the
comparison of a 40-atelier session and a minimal view (the framework's floor), interleaved
one by one, and prints medians side by side; finally renders the synthesis PDF of that
session and prints its duration.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_capi python bench/dashboard.py

Targets (issue 17): dashboard and comparison median under 300 ms uncached; synthesis PDF of
40 ateliers under 60 s. Nothing leaves the machine.
"""

import argparse
import os
import random
import statistics
import sys
import time
from decimal import Decimal
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

N_ATELIERS = 5_000
N_ACTIONS = 100_000
N_MESURES = 200_000
N_SESSION = 40
GRAINE = 17


def configurer() -> None:
    if not os.environ.get("DATABASE_URL", "").startswith("postgres"):
        sys.exit("bench/dashboard.py : DATABASE_URL doit désigner une base PostgreSQL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_dashboard")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("ATELIER_SIGNING_KEY", "YmVuY2gtc2V1bGVtZW50LXBhcy11bmUtdnJhaWUtY2w=")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    import django

    django.setup()


def semer() -> None:
    from django.core.management import call_command
    from django.db import connection, transaction
    from django.utils import timezone

    from ateliers.models import Atelier, SessionNationale
    from feuilles_de_route.models import (
        Action,
        Axe,
        FeuilleDeRoute,
        Financement,
        Indicateur,
        IndicateurAction,
        MesureIndicateur,
        StatutSuivi,
    )
    from territoires.models import Departement, Territoire

    call_command("migrate", verbosity=0)
    if (
        Atelier.objects.count() == N_ATELIERS
        and Action.objects.count() == N_ACTIONS
        and MesureIndicateur.objects.count() == N_MESURES
    ):
        print(f"Données déjà en place : {N_ATELIERS} ateliers, {N_ACTIONS} actions, "
              f"{N_MESURES} valeurs.")  # fmt: skip
        return
    debut = time.perf_counter()
    rng = random.Random(GRAINE)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE feuilles_de_route_synthese, ateliers_atelier, "
                "territoires_territoire_departements, territoires_territoire, "
                "feuilles_de_route_indicateur RESTART IDENTITY CASCADE"
            )
        departements = list(Departement.objects.select_related("region"))
        session = SessionNationale.objects.create(
            titre="Session de mesure", slug="session-de-mesure", annee_debut=2025
        )
        territoires = []
        for i in range(N_ATELIERS):
            d = rng.choice(departements)
            territoires.append(
                Territoire(
                    nom=f"Territoire {i}",
                    slug=f"territoire-{i}",
                    nature=rng.choice(["commune", "epci", "petr", "pnr"]),
                    region_id=d.region_id,
                    population=rng.randint(2_000, 200_000),
                    latitude=round((d.latitude or 46.5) + rng.uniform(-0.3, 0.3), 5),
                    longitude=round((d.longitude or 2.5) + rng.uniform(-0.3, 0.3), 5),
                )
            )
            territoires[-1]._departement = d
        Territoire.objects.bulk_create(territoires, batch_size=5000)
        lien = Territoire.departements.through
        lien.objects.bulk_create(
            [lien(territoire_id=t.pk, departement_id=t._departement.pk) for t in territoires],
            batch_size=5000,
        )
        now = timezone.now()
        ateliers = [
            Atelier(
                titre=f"Atelier {t.nom}",
                territoire_id=t.pk,
                format="multisite" if i < N_SESSION else rng.choice(["local", "flash"]),
                session=session if i < N_SESSION else None,
                theme=rng.choice(["Revitalisation", "Littoral", "Mobilités", "Eau", "Habitat"]),
                annee=rng.randint(2015, 2025),
                statut=rng.choice(list(Atelier.Statut.values)),
                publie=True,
                publie_le=now,
            )
            for i, t in enumerate(territoires)
        ]
        Atelier.objects.bulk_create(ateliers, batch_size=5000)
        feuilles = FeuilleDeRoute.objects.bulk_create(
            [FeuilleDeRoute(atelier_id=a.pk, titre=f"Feuille {a.pk}") for a in ateliers],
            batch_size=5000,
        )
        axes = Axe.objects.bulk_create(
            [Axe(feuille_id=f.pk, titre=f"Axe {k}", ordre=k) for f in feuilles for k in range(4)],
            batch_size=10000,
        )
        par_axe = N_ACTIONS // len(axes)
        actions = Action.objects.bulk_create(
            [
                Action(
                    axe_id=axe.pk,
                    titre=f"Action {axe.pk}.{k}",
                    ordre=k,
                    cout_estime=Decimal(rng.randint(10, 500) * 1000),
                    statut_suivi=rng.choice(list(StatutSuivi.values)),
                    avancement=rng.randint(0, 100),
                )
                for axe in axes
                for k in range(par_axe)
            ],
            batch_size=10000,
        )
        Financement.objects.bulk_create(
            [
                Financement(
                    action_id=a.pk,
                    financeur=rng.choice(["etat", "region", "europe", "autre", "ademe"]),
                    libelle=rng.choice(["DSIL", "Fonds vert", "Anah"]),
                    statut=rng.choice(["envisage", "demande", "acquis"]),
                    montant=Decimal(rng.randint(5, 100) * 1000),
                )
                for a in actions[::2]
            ],
            batch_size=10000,
        )
        indicateurs = Indicateur.objects.bulk_create(
            [
                Indicateur(
                    nom=f"Indicateur {k}",
                    definition="x",
                    unite="nombre",
                    cible_nationale=Decimal(100_000),
                )
                for k in range(20)
            ]
        )
        suivis = IndicateurAction.objects.bulk_create(
            [
                IndicateurAction(
                    action_id=a.pk,
                    indicateur_id=indicateurs[i % 20].pk,
                    valeur_initiale=Decimal(0),
                    valeur_cible=Decimal(100),
                    derniere_valeur=Decimal(rng.randint(0, 120)),
                    derniere_date=now.date(),
                )
                for i, a in enumerate(actions[: N_MESURES // 4])
            ],
            batch_size=10000,
        )
        MesureIndicateur.objects.bulk_create(
            [
                MesureIndicateur(
                    suivi_id=s.pk,
                    date=now.date(),
                    valeur=Decimal(rng.randint(0, 120)),
                )
                for s in suivis
                for _k in range(4)
            ],
            batch_size=10000,
        )
        versions = []
        from feuilles_de_route.models import Version

        for f in feuilles:
            versions.append(
                Version(
                    feuille_id=f.pk,
                    numero=1,
                    contenu={},
                    empreinte="0" * 64,
                    statut="adoptee",
                    adoptee_le=now,
                )
            )
        Version.objects.bulk_create(versions, batch_size=5000)
        for f, v in zip(feuilles, versions, strict=True):
            f.version_adoptee_id = v.pk
            f.publiee = True
        FeuilleDeRoute.objects.bulk_update(
            feuilles, ["version_adoptee", "publiee"], batch_size=5000
        )
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Semis : {N_ATELIERS} ateliers, {len(actions)} actions, {N_MESURES} valeurs en "
          f"{time.perf_counter() - debut:.1f} s.")  # fmt: skip


def client_dgaln():
    from django.test import Client

    from tests import factories

    user = factories.DgalnFactory(email=f"bench-{time.time_ns()}@dgaln.gouv.fr")
    factories.with_totp(user)
    client = Client()
    client.force_login(user)
    return client


def mesurer(client, chemins: dict[str, str], n: int) -> dict[str, float]:
    """Medians (ms) of each path, requests interleaved one by one; cache cleared first."""
    from django.core.cache import cache

    temps = {nom: [] for nom in chemins}
    for chemin in chemins.values():
        assert client.get(chemin).status_code == 200, chemin  # warm-up, and a check
    for _ in range(n):
        for nom, chemin in chemins.items():
            cache.clear()
            debut = time.perf_counter()
            client.get(chemin)
            temps[nom].append((time.perf_counter() - debut) * 1000)
    return {nom: statistics.median(v) for nom, v in temps.items()}


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--requetes", type=int, default=15)
    args = parser.parse_args()
    configurer()
    semer()
    from ateliers.models import SessionNationale
    from feuilles_de_route.syntheses import synthese_generate, synthese_request

    session = SessionNationale.objects.get(slug="session-de-mesure")
    client = client_dgaln()
    medianes = mesurer(
        client,
        {
            "plancher": "/bench/plancher/",
            "tableau": "/gestion/tableau-national/",
            "tableau filtré": "/gestion/tableau-national/?format=local&annee=2020",
            "comparaison 40": f"/gestion/comparaison/?session={session.pk}",
        },
        args.requetes,
    )
    print(f"\n{'page':24} {'médiane':>10} {'× plancher':>11}")
    for nom, ms in medianes.items():
        print(f"{nom:24} {ms:8.1f}ms {ms / medianes['plancher']:10.1f}×")
    print("Cible : tableau et comparaison < 300 ms (sans cache, requêtes alternées).")

    from django.contrib.auth import get_user_model

    dgaln = get_user_model().objects.filter(email__startswith="bench-").last()
    from unittest import mock

    with mock.patch("django.db.transaction.on_commit"):
        synthese = synthese_request(by=dgaln, session=session, lecons="Mesure.")
    debut = time.perf_counter()
    synthese_generate(synthese_id=synthese.pk)
    duree = time.perf_counter() - debut
    synthese.refresh_from_db()
    print(f"\nSynthèse PDF de {N_SESSION} ateliers : {duree:.1f} s, {synthese.taille or 0} octets, "
          f"état {synthese.statut} (cible < 60 s).")  # fmt: skip


if __name__ == "__main__":
    main()
