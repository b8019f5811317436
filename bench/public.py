"""Benchmark of the public site under gunicorn, on loopback.

Seeds PostgreSQL with 35,000 territories and 5,000 published lauréat ateliers (bulk_create,
once: reused while the counts match), serves the app with gunicorn on 127.0.0.1, then
measures median / p95 latency and requests per second for the public pages, each beside a
minimal Django view through the same stack (the framework's floor), and prints the ratios.

    DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_public \\
    REDIS_URL=redis://127.0.0.1:6379/5 python bench/public.py [--requetes 200]

Targets (issue 7): cached public pages within 2x the floor; uncached /laureats/ with filters
under 50 ms median; full GeoJSON under 300 ms uncached, gzip-compressed. Issue 16: the map's
data layer for the 5,000 lauréats at most 100 KB gzip.
Every loop is bounded; nothing leaves the loopback interface.
"""

import argparse
import gzip
import http.client
import os
import random
import socket
import statistics
import subprocess
import sys
import threading
import time
from pathlib import Path

RACINE = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(RACINE))

N_TERRITOIRES = 35_000
N_ATELIERS = 5_000
GRAINE = 20_060
PLANCHER = "/bench/plancher/"


def configurer() -> None:
    url = os.environ.get("DATABASE_URL", "")
    if not url.startswith("postgres"):
        sys.exit("bench/public.py : DATABASE_URL doit désigner une base PostgreSQL.")
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "bench.settings_public")
    os.environ["DJANGO_DEBUG"] = "0"
    os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
    os.environ.setdefault("ATELIER_SIGNING_KEY", "YmVuY2gtc2V1bGVtZW50LXBhcy11bmUtdnJhaWUtY2w=")
    os.environ["DJANGO_ALLOWED_HOSTS"] = "127.0.0.1,localhost"
    os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
    # No SMTP (nor, optionally, Redis) on a bench: DEBUG off would refuse to start without.
    os.environ.setdefault("ATELIER_DEMO_SANS_INFRA", "1")
    os.environ["ATELIER_SITE_URL"] = "http://127.0.0.1"
    import django

    django.setup()


MOTS = [
    "Val",
    "Pays",
    "Haut",
    "Bas",
    "Coeur",
    "Portes",
    "Rives",
    "Monts",
    "Plaine",
    "Vallée",
    "Côte",
    "Marais",
    "Forêt",
    "Plateau",
    "Bocage",
    "Causses",
    "Estuaire",
    "Lacs",
]
LIEUX = [
    "Loire",
    "Rhône",
    "Garonne",
    "Seine",
    "Dordogne",
    "Vilaine",
    "Meuse",
    "Moselle",
    "Allier",
    "Charente",
    "Drôme",
    "Isère",
    "Aude",
    "Orne",
    "Somme",
    "Marne",
    "Durance",
    "Vienne",
    "Creuse",
    "Ardèche",
    "Lot",
    "Tarn",
    "Gers",
    "Cher",
    "Indre",
    "Oise",
]
THEMES = [
    "Transition écologique des territoires ruraux",
    "Littoral et risques côtiers",
    "Revitalisation des centres-bourgs",
    "Eau, agriculture et paysages",
    "Mobilités du quotidien",
    "Sobriété foncière",
    "Adaptation au changement climatique",
    "Transition énergétique",
    "Tourisme durable en montagne",
    "Friches et reconversions",
]
RESUMES = ["Construire une stratégie de transition écologique partagée par les élus.",
           "Préserver les paysages littoraux face à l'érosion et à la submersion.",
           "Réinvestir les centres-bourgs et les logements vacants.",
           "Concilier ressources en eau, agricultures et biodiversité.",
           "Organiser les mobilités entre villes moyennes et campagnes."]  # fmt: skip


def semer() -> None:
    from django.db import connection, transaction
    from django.utils import timezone

    from ateliers.models import Atelier, SessionNationale
    from territoires.models import Departement, Territoire

    if (
        Territoire.objects.count() == N_TERRITOIRES
        and Atelier.objects.filter(publie=True).count() == N_ATELIERS
    ):
        print(f"Données déjà en place : {N_TERRITOIRES} territoires, {N_ATELIERS} lauréats.")
        _historiques()
        return
    debut = time.perf_counter()
    rng = random.Random(GRAINE)
    with transaction.atomic():
        with connection.cursor() as cursor:
            cursor.execute(
                "TRUNCATE ateliers_atelier, territoires_territoire_departements, "
                "territoires_territoire RESTART IDENTITY CASCADE"
            )
        departements = list(Departement.objects.select_related("region"))
        sessions = list(SessionNationale.objects.all())
        territoires = []
        for i in range(N_TERRITOIRES):
            d = rng.choice(departements)
            nom = f"{rng.choice(MOTS)} de {rng.choice(LIEUX)} {i}"
            territoires.append(
                Territoire(
                    nom=nom,
                    slug=f"territoire-{i}",
                    nature=rng.choice(["commune", "epci", "petr", "pnr"]),
                    region_id=d.region_id,
                    latitude=round((d.latitude or 46.5) + rng.uniform(-0.3, 0.3), 5),
                    longitude=round((d.longitude or 2.5) + rng.uniform(-0.3, 0.3), 5),
                    description=rng.choice(RESUMES),
                )
            )
            territoires[-1]._departement = d
        Territoire.objects.bulk_create(territoires, batch_size=5000)
        lien = Territoire.departements.through
        lien.objects.bulk_create(
            [lien(territoire_id=t.pk, departement_id=t._departement.pk) for t in territoires],
            batch_size=5000,
        )
        maintenant = timezone.now()
        ateliers = []
        for t in rng.sample(territoires, N_ATELIERS):
            fmt = rng.choice(["multisite", "local", "flash"])
            session = rng.choice(sessions) if fmt == "multisite" else None
            ateliers.append(
                Atelier(
                    titre=f"Atelier {t.nom}",
                    territoire_id=t.pk,
                    format=fmt,
                    session=session,
                    theme=rng.choice(THEMES),
                    resume=rng.choice(RESUMES),
                    annee=session.annee_debut if session else rng.randint(2015, 2025),
                    statut=rng.choice(list(Atelier.Statut.values)),
                    publie=True,
                    publie_le=maintenant,
                )
            )
        Atelier.objects.bulk_create(ateliers, batch_size=5000)
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(f"Semis : {N_TERRITOIRES} territoires, {N_ATELIERS} lauréats en "
          f"{time.perf_counter() - debut:.1f} s.")  # fmt: skip
    _historiques()


def _historiques() -> None:
    """The historical lauréats of the shipped file, on the map layer beside the ateliers
    (without the COG here: each at its département's point, as a partial load leaves them)."""
    from ateliers.reference import load_laureats_historiques

    print(f"Lauréats historiques : {load_laureats_historiques()['laureats']}.")


def port_libre() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def demarrer_gunicorn(port: int, workers: int) -> subprocess.Popen:
    env = {**os.environ, "PYTHONPATH": str(RACINE)}
    process = subprocess.Popen(
        [sys.executable, "-m", "gunicorn", "bench.wsgi_public:application",
         "--bind", f"127.0.0.1:{port}", "--workers", str(workers), "--worker-class", "gthread",
         "--threads", "2", "--log-level", "warning", "--keep-alive", "30"],
        cwd=RACINE, env=env,
    )  # fmt: skip
    for _ in range(100):  # bounded wait for the server to answer
        try:
            requete(port, "/bench/plancher/")
            return process
        except OSError:
            time.sleep(0.1)
    process.terminate()
    sys.exit("gunicorn n'a pas démarré.")


def requete(port: int, chemin: str, conn=None, gzip_ok=False, verifier=False):
    """(status, body size, seconds) of one GET. ``verifier``: also decompress the body, to
    check that it is valid gzip — done on the warm-up request only, outside any timing:
    decompressing hundreds of kilobytes between two timed requests leaves the next one
    with cold CPU caches and adds a millisecond to it that the server did not spend."""
    propre = conn is None
    conn = conn or http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    en_tetes = {"Accept-Encoding": "gzip"} if gzip_ok else {}
    debut = time.perf_counter()
    conn.request("GET", chemin, headers=en_tetes)
    r = conn.getresponse()
    corps = r.read()
    duree = time.perf_counter() - debut
    if propre:
        conn.close()
    if r.status != 200:
        raise RuntimeError(f"{chemin} : HTTP {r.status}")
    if verifier and r.getheader("Content-Encoding") == "gzip":
        gzip.decompress(corps)
    return r.status, len(corps), duree


def _stats(mesures: list[float], taille: int = 0) -> dict:
    mesures = sorted(mesures)
    return {
        "mediane": statistics.median(mesures),
        "p95": mesures[min(len(mesures) - 1, int(len(mesures) * 0.95))],
        "octets": taille,
    }


def latences(port, chemin, n, *, invalider=False, inedite=None, gzip_ok=True) -> dict:
    """Sequential latencies. ``invalider``: the first request after a publication (the
    whole public cache is stale); ``inedite``: a function giving the i-th address never
    requested before (the page is computed, the shared facets stay cached) — another page
    of the list, another territory, another département: parameters the page ignores do
    not make a new cache entry."""
    from atelier.cache import invalidate_public_cache

    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    requete(port, chemin, conn, gzip_ok, verifier=True)  # warm-up (fills the cache)
    mesures = []
    taille = 0
    for i in range(n):
        if invalider:
            invalidate_public_cache()
        url = inedite(i) if inedite else chemin
        _, taille, duree = requete(port, url, conn, gzip_ok)
        mesures.append(duree * 1000)
    conn.close()
    return _stats(mesures, taille)


def comparer(port, chemin, n) -> tuple[dict, dict]:
    """Cached latencies of ``chemin`` and of the floor, requests interleaved one by one
    (each on its own keep-alive connection): both see the same state of the machine, so
    their ratio holds even when other work slows the whole run down."""
    conn_page = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn_plancher = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    requete(port, chemin, conn_page, True, verifier=True)  # warm-up (fills the cache)
    requete(port, PLANCHER, conn_plancher, True)
    page, plancher = [], []
    taille = 0
    for _ in range(n):
        _, taille, duree = requete(port, chemin, conn_page, True)
        page.append(duree * 1000)
        plancher.append(requete(port, PLANCHER, conn_plancher, True)[2] * 1000)
    conn_page.close()
    conn_plancher.close()
    return _stats(page, taille), _stats(plancher)


def debit(port, chemin, *, clients: int, par_client: int) -> float:
    erreurs = []

    def client():
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        try:
            for _ in range(par_client):
                requete(port, chemin, conn, True)
        except Exception as exc:  # reported below
            erreurs.append(exc)
        finally:
            conn.close()

    fils = [threading.Thread(target=client) for _ in range(clients)]
    debut = time.perf_counter()
    for f in fils:
        f.start()
    for f in fils:
        f.join(timeout=120)
    duree = time.perf_counter() - debut
    if erreurs:
        raise RuntimeError(erreurs[0])
    return clients * par_client / duree


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--requetes", type=int, default=200, help="requêtes par mesure")
    parser.add_argument("--clients", type=int, default=4, help="clients simultanés (débit)")
    parser.add_argument("--workers", type=int, default=2, help="processus gunicorn")
    parser.add_argument("--port", type=int, default=0, help="port du serveur (libre si absent)")
    args = parser.parse_args()
    n = max(10, min(args.requetes, 5000))

    configurer()
    from django.core.management import call_command

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    semer()
    from django.core.cache import cache

    from territoires.models import Territoire

    cache.clear()
    from territoires.models import Departement

    slugs = list(Territoire.objects.publics().order_by("pk").values_list("slug", flat=True))
    departements = list(Departement.objects.order_by("code").values_list("code", flat=True))
    filtre = "/laureats/?region=53&q=littoral"
    pages = [  # (label, address, i-th address never requested before)
        ("/laureats/", "/laureats/", lambda i: f"/laureats/?page={i + 2}"),
        (filtre, filtre, lambda i: f"{filtre}&page={i + 2}"),
        ("/donnees/laureats.geojson", "/donnees/laureats.geojson",
         lambda i: f"/donnees/laureats.geojson?departement={departements[i % len(departements)]}"),
        ("/laureats/carte/donnees.json", "/laureats/carte/donnees.json",
         lambda i: f"/laureats/carte/donnees.json?departement={departements[i % len(departements)]}"),
        ("/territoires/<slug>/", f"/territoires/{slugs[0]}/",
         lambda i: f"/territoires/{slugs[1 + i % (len(slugs) - 1)]}/"),
    ]  # fmt: skip
    port = args.port or port_libre()
    serveur = demarrer_gunicorn(port, args.workers)
    try:
        requete(port, PLANCHER)  # each worker's first requests import lazily: not measured
        debit(port, PLANCHER, clients=args.clients, par_client=10)
        plancher = latences(port, PLANCHER, n)
        plancher["rps"] = debit(port, PLANCHER, clients=args.clients, par_client=n // 2)
        print(
            f"\nServeur : gunicorn {args.workers} workers (gthread ×2), 127.0.0.1:{port}; "
            f"{n} requêtes par mesure ; débit avec {args.clients} clients simultanés."
        )
        charge = ", ".join(f"{v:.1f}" for v in os.getloadavg())
        print(f"Machine : {os.cpu_count()} processeurs, charge moyenne (1/5/15 min) : {charge}.")
        print(
            f"Plancher (vue Django minimale) : médiane {plancher['mediane']:.2f} ms, "
            f"p95 {plancher['p95']:.2f} ms, {plancher['rps']:.0f} req/s\n"
        )
        entete = (
            f"{'page':32} {'cache méd.':>10} {'p95':>8} {'plancher':>9} {'× plancher':>11}"
            f" {'req/s':>6} {'plancher':>9} {'inédite méd.':>13} {'p95':>8}"
            f" {'publication méd.':>17} {'p95':>8} {'gzip':>9}"
        )
        print(entete)
        print("-" * len(entete))
        ratios = []
        for libelle, chemin, inedite_i in pages:
            chaud, voisin = comparer(port, chemin, n)
            rps = debit(port, chemin, clients=args.clients, par_client=n // 2)
            rps_plancher = debit(port, PLANCHER, clients=args.clients, par_client=n // 2)
            inedite = latences(port, chemin, max(10, n // 4), inedite=inedite_i)
            froid = latences(port, chemin, max(10, n // 4), invalider=True)
            ratio = chaud["mediane"] / voisin["mediane"]
            ratios.append(ratio)
            print(f"{libelle:32} {chaud['mediane']:8.2f}ms {chaud['p95']:6.2f}ms "
                  f"{voisin['mediane']:7.2f}ms {ratio:10.2f}× {rps:6.0f} {rps_plancher:9.0f} "
                  f"{inedite['mediane']:11.2f}ms {inedite['p95']:6.2f}ms "
                  f"{froid['mediane']:15.2f}ms {froid['p95']:6.2f}ms "
                  f"{froid['octets'] / 1024:6.1f} Ko")  # fmt: skip
        print(
            "\ncache : page déjà en cache, requêtes alternées une à une avec le plancher "
            "(colonne plancher : sa médiane pendant la même mesure) ; × plancher : rapport "
            f"des médianes (le plus élevé : {max(ratios):.2f}×)."
        )
        print(
            "\ninédite : adresse jamais demandée (page suivante de la liste, autre territoire, "
            "export d'un autre département ; facettes des filtres en cache) ; publication : "
            "première requête après une publication (tout le cache public périmé)."
        )
        carte = requete(port, "/laureats/carte/donnees.json", gzip_ok=True)[1]
        export = requete(port, "/donnees/laureats.geojson", gzip_ok=True)[1]
        from ateliers.models import LaureatHistorique

        historiques = LaureatHistorique.objects.filter(latitude__isnull=False).count()
        print(
            f"\nCouche de données de la carte ({N_ATELIERS} lauréats et {historiques} lauréats "
            f"historiques) : {carte / 1024:.1f} Ko gzip "
            f"(objectif ≤ 100 Ko ; l'export GeoJSON complet : {export / 1024:.1f} Ko)."
        )
        print(
            "Cibles : pages en cache ≤ 2× le plancher ; /laureats/ filtré sans cache "
            "< 50 ms (médiane) ; GeoJSON complet sans cache < 300 ms (gzip) ; couche de la "
            "carte ≤ 100 Ko gzip."
        )
    finally:
        serveur.terminate()
        serveur.wait(timeout=30)


if __name__ == "__main__":
    main()
