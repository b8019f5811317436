"""Benchmark of the pages where people work, on a large atelier, beside the framework floor.

Builds one atelier with 300 participants, 40 stages, 500 documents and a roadmap of 200
actions (10 axes), plus 300 candidatures for the back-office lists, then measures in the
same run, in-process through Django's full stack (middleware, sessions, the MFA gate,
templates; DEBUG off, production static storage): the median and p95 server time and the
query count of each workspace page and back-office list, beside a minimal view (the floor),
each page's requests in a row (``--alterner``: one request per page in turn, round after
round, as a worker serving mixed traffic does: every page then starts with the processor's
caches full of another's, and takes longer); then a fixed piece of work, the *étalon*, timed
before and after the table (the phase the machine was in: a shared machine's phases change
every figure by up to twice); then the garbage collector's time per request and its longest
pause, before the process freezes what it holds for good (``atelier/memoire.py``: the
baseline, ``--tours-sans-gel`` passes over every page) and after (the table's requests).

    .venv/bin/python bench/espace.py [--runs 30] [--tours-sans-gel 10] [--alterner]

Uses a temporary SQLite database unless ``DATABASE_URL`` is set (PostgreSQL:
``DATABASE_URL=postgres://postgres@127.0.0.1:5432/atelier_resil_bench``, created empty).
Target (issue 13): median under 25 ms for each page. Nothing leaves the process.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_tmp = tempfile.mkdtemp(prefix="atelier-bench-espace-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ["ATELIER_MEDIA_ROOT"] = f"{_tmp}/media"
os.environ.pop("REDIS_URL", None)  # locmem cache, tasks in-process: the page is what we time
os.environ["DJANGO_SETTINGS_MODULE"] = "bench.settings_public"
os.environ["ATELIER_BENCH_STATIC_ROOT"] = f"{_tmp}/static"
os.environ["DJANGO_DEBUG"] = "0"
os.environ.setdefault("DJANGO_SECRET_KEY", "bench-" + "x" * 60)
os.environ.setdefault("ATELIER_SIGNING_KEY", "YmVuY2gtc2V1bGVtZW50LXBhcy11bmUtdnJhaWUtY2w=")
os.environ["DJANGO_ALLOWED_HOSTS"] = "testserver,127.0.0.1"
os.environ["DJANGO_SECURE_SSL_REDIRECT"] = "0"
os.environ["ATELIER_DEMO_SANS_INFRA"] = "1"

import django  # noqa: E402

django.setup()

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402

settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"

N_PARTICIPANTS = 300
N_ETAPES = 40
N_DOCUMENTS = 500
N_AXES, N_ACTIONS_PAR_AXE = 10, 20
N_CANDIDATURES = 300


def build() -> dict:
    from django.utils import timezone

    from acteurs.models import Acteur, Participation, Role, Utilisateur
    from appels.models import Candidature
    from ateliers.models import Etape
    from tests import factories
    from tests.factories.ateliers import documents

    atelier = factories.AtelierFactory()
    pilote = factories.participant(atelier, Role.PILOTE, email="pilote@bench.fr")
    dgaln = factories.DgalnFactory(email="dgaln@bench.fr")
    factories.with_totp(dgaln)
    roles = [Role.EQUIPE, Role.ELU, Role.TECHNICIEN, Role.SOCIO_PROFESSIONNEL, Role.HABITANT]
    users = Utilisateur.objects.bulk_create(
        Utilisateur(
            email=f"p{i}@bench.fr", first_name=f"Prénom{i}", last_name=f"Nom{i}", password="!"
        )
        for i in range(N_PARTICIPANTS - 1)
    )
    acteurs = Acteur.objects.bulk_create(
        Acteur(utilisateur=u, prenom=u.first_name, nom=u.last_name, email=u.email) for u in users
    )
    Participation.objects.bulk_create(
        Participation(acteur=a, atelier=atelier, role=roles[i % len(roles)])
        for i, a in enumerate(acteurs)
    )
    now = timezone.now()
    Etape.objects.bulk_create(
        Etape(
            atelier=atelier,
            nature="atelier_1",
            ordre=i + 1,
            titre=f"Étape {i + 1}",
            debut=now + timezone.timedelta(days=7 * i),
        )
        for i in range(N_ETAPES)
    )
    documents(atelier, by=pilote, n=N_DOCUMENTS)
    feuille = factories.FeuilleDeRouteFactory(atelier=atelier)
    for a in range(N_AXES):
        axe = factories.AxeFactory(feuille=feuille, titre=f"Axe {a + 1}", ordre=a + 1)
        for n in range(N_ACTIONS_PAR_AXE):
            factories.ActionFactory(axe=axe, titre=f"Action {a + 1}.{n + 1}", ordre=n + 1)
    appel = factories.AppelFactory()
    Candidature.objects.bulk_create(
        factories.CandidatureFactory.build(
            appel=appel,
            auteur=users[i % len(users)],
            statut=Candidature.Statut.DEPOSEE,
            deposee_le=now,
        )
        for i in range(N_CANDIDATURES)
    )
    return {"atelier": atelier, "pilote": pilote, "dgaln": dgaln, "appel": appel}


def queries(client, url: str) -> tuple[int, int]:
    """The number of SQL queries of one request for ``url``, and its status."""
    from django.db import connection

    executed = []

    def count(execute, sql, params, many, context):
        executed.append(sql)
        return execute(sql, params, many, context)

    with connection.execute_wrapper(count):
        status = client.get(url).status_code
    return len(executed), status


def measure(pages: list, runs: int, alterner: bool) -> list[list[float]]:
    """Each page's server times (ms): ``runs`` requests in a row for each page, or ``runs``
    rounds of one request per page in turn (``alterner``)."""
    times: list[list[float]] = [[] for _ in pages]
    ordre = [i for _ in range(runs) for i in range(len(pages))]
    if not alterner:
        ordre.sort()
    precedente = None
    for i in ordre:
        _name, client, url = pages[i]
        if not alterner and i != precedente:
            for _ in range(3):  # a page's first requests after another's are not timed
                client.get(url)
            precedente = i
        start = time.perf_counter()
        client.get(url)
        times[i].append((time.perf_counter() - start) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--runs", type=int, default=30)
    parser.add_argument(
        "--tours-sans-gel",
        type=int,
        default=10,
        help="passes over every page before the freeze (the collector's baseline)",
    )
    parser.add_argument(
        "--alterner",
        action="store_true",
        help="one request per page in turn, round after round (mixed traffic)",
    )
    parser.add_argument(
        "--profil", metavar="PAGE", help="profile (cProfile) the pages whose name contains PAGE"
    )
    args = parser.parse_args()

    from django.db import connection
    from django.test import Client
    from django.urls import reverse

    call_command("migrate", verbosity=0)
    call_command("collectstatic", interactive=False, verbosity=0)
    started = time.perf_counter()
    data = build()
    if connection.vendor == "postgresql":
        # What autovacuum does on a live database after such a load: the planner's statistics.
        with connection.cursor() as cursor:
            cursor.execute("ANALYZE")
    print(
        f"Données : {time.perf_counter() - started:.1f} s ({settings.DATABASES['default']['ENGINE']})"
    )
    atelier = data["atelier"]
    pk = {"pk": atelier.pk}
    pilote, dgaln = Client(), Client()
    pilote.force_login(data["pilote"])
    dgaln.force_login(data["dgaln"])
    pages = [
        ("plancher (vue minimale)", pilote, "/bench/plancher/"),
        ("atelier (vue d'ensemble)", pilote, reverse("ateliers:atelier", kwargs=pk)),
        ("étapes", pilote, reverse("ateliers:etapes", kwargs=pk)),
        ("documents", pilote, reverse("ateliers:documents", kwargs=pk)),
        (
            "participants",
            pilote,
            reverse("ateliers:participants", kwargs={"atelier_id": atelier.pk}),
        ),
        ("feuille de route (éditeur)", pilote, reverse("feuilles_de_route:feuille", kwargs=pk)),
        ("suivi", pilote, reverse("feuilles_de_route:suivi", kwargs=pk)),
        ("gestion : ateliers", dgaln, reverse("ateliers:gestion_ateliers")),
        ("gestion : candidatures", dgaln, reverse("appels:gestion_candidatures")),
        (
            "gestion : candidatures triées",
            dgaln,
            reverse("appels:gestion_candidatures") + "?tri=-moyenne",
        ),
        ("gestion : appels", dgaln, reverse("appels:gestion_appels")),
        ("gestion : sessions", dgaln, reverse("appels:gestion_sessions")),
        ("gestion : suivi", dgaln, reverse("feuilles_de_route:gestion_suivi")),
        ("gestion : journal", dgaln, reverse("journal:journal")),
        ("gestion : agents", dgaln, reverse("acteurs:gestion_agents")),
    ]
    # As a serving process after its first requests (atelier/memoire.py): the pages a few
    # times (the collector's baseline, unfrozen), then what the process holds for good is
    # frozen out of the collector's full collections; the table below runs frozen.
    from atelier import memoire

    collecteur = Collecteur()
    for _ in range(args.tours_sans_gel):
        for _name, client, url in pages:
            client.get(url)
    sans_gel = collecteur.releve()
    memoire.figer()
    collecteur.remettre()
    for name, client, url in pages:
        if args.profil and args.profil in name:
            import cProfile
            import pstats

            profile = cProfile.Profile()
            profile.runcall(lambda c=client, u=url: [c.get(u) for _ in range(5)])
            pstats.Stats(profile).sort_stats(
                os.environ.get("ATELIER_BENCH_TRI", "cumulative")
            ).print_stats(30)
    comptes = [queries(client, url) for _name, client, url in pages]
    avant = etalon(args.runs)
    print(f"{'page':32} {'médiane':>9} {'p95':>9} {'requêtes':>9}  statut")
    floor = None
    for (name, _client, _url), times, (nombre, status) in zip(
        pages, measure(pages, args.runs, args.alterner), comptes, strict=True
    ):
        times.sort()
        median, p95 = statistics.median(times), times[int(len(times) * 0.95) - 1]
        floor = floor or median
        print(
            f"{name:32} {median:7.1f}ms {p95:7.1f}ms {nombre:9d}  {status}"
            f"  ({median / floor:.1f}× le plancher)"
        )
    print(
        f"Étalon (un gabarit fixe de {ETALON_LIGNES} lignes, sans base ni requête) : "
        f"{avant:.2f} ms avant le tableau, {etalon(args.runs):.2f} ms après"
    )
    print(f"Ramasse-miettes, {sans_gel}")
    print(f"Ramasse-miettes, après le gel (le tableau) : {collecteur.releve()}")


# The speed of the machine during a run: a shared machine's phases change every figure above
# by up to twice; the same fixed work, timed before and after the table, tells which phase a
# run met (the README gives it beside each run it reports).
ETALON_LIGNES = 300


def etalon(runs: int) -> float:
    """The median time (ms) of a fixed piece of work like a page's: a template of
    ``ETALON_LIGNES`` rows, with lookups, a filter and escaping, and no database."""
    from django.template import Context, Template

    gabarit = Template(
        "{% for ligne in lignes %}<tr><td>{{ ligne.nom }}</td>"
        "<td>{{ ligne.note|floatformat:2 }}</td><td>{{ ligne.texte }}</td></tr>{% endfor %}"
    )
    lignes = [
        {"nom": f"Territoire n° {i}", "note": i / 7, "texte": "<Pays d'Armor & Co>"}
        for i in range(ETALON_LIGNES)
    ]
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        gabarit.render(Context({"lignes": lignes}))
        times.append((time.perf_counter() - start) * 1000)
    return statistics.median(times)


class Collecteur:
    """The garbage collector's pauses (``gc.callbacks``) over the requests that follow."""

    def __init__(self):
        import gc

        self.pauses: list[tuple[int, float]] = []
        self._debut = 0.0
        self.requetes = 0
        gc.callbacks.append(self._rappel)
        from django.core.signals import request_finished

        request_finished.connect(self._requete, weak=False)

    def _rappel(self, phase, info):
        if phase == "start":
            self._debut = time.perf_counter()
        else:
            self.pauses.append((info["generation"], (time.perf_counter() - self._debut) * 1000))

    def _requete(self, **_kwargs):
        self.requetes += 1

    def remettre(self):
        self.pauses, self.requetes = [], 0

    def releve(self) -> str:
        n = max(self.requetes, 1)
        completes = [ms for generation, ms in self.pauses if generation == 2]
        return (
            f"{self.requetes} requêtes : {sum(ms for _g, ms in self.pauses) / n:.1f} ms par requête, "
            f"{len(completes)} collecte(s) complète(s) (jusqu'à {max(completes, default=0):.0f} ms), "
            f"pause la plus longue {max((ms for _g, ms in self.pauses), default=0):.0f} ms"
        )


if __name__ == "__main__":
    main()
