"""Mixed load on a production-like instance, on loopback: 200 concurrent users, bounded.

Starts what ``.ci/production`` starts (gunicorn with ``DJANGO_DEBUG=0``, a Celery worker and
beat, on PostgreSQL and Redis, e-mails to ``.ci/smtp_sink.py``; media on local disk), fills a
database with ateliers, people and an open call, then runs at once:

- anonymous visitors on the cached public pages (home, lauréats, calls) and on ``/sante/``,
  the framework floor (a view that renders nothing), measured in the same run;
- signed-in participants on workspace pages, each with their own session (opened beforehand,
  as for people already signed in);
- pilotes who sign in through the real login form and its TOTP step, ask for the restitution
  report of their adopted roadmap and invite someone (one e-mail each);
- applicants saving candidature drafts.

Each user makes a fixed number of requests with a short pause between them, so the run is
bounded (a few minutes). Then it waits for the queued work and checks that every report was
rendered exactly once and every e-mail delivered exactly once, and prints requests per second,
p50/p95/p99 per page, the error count and the machine's load average.

    .venv/bin/python bench/load.py [--utilisateurs 200] [--requetes 12]
        [--workers 3] [--threads 1]   # gunicorn: sync when --threads 1, else gthread
        [--pause 0.2 1]               # seconds between two clicks of one user
        [--ensemble]                  # every user starts at once (default: staggered)
        [--nice 10]                   # the Celery worker's niceness (web first)

Needs PostgreSQL on 127.0.0.1:5432 (database ``atelier_perf``, recreated) and a Redis
(``--redis``, default ``redis://127.0.0.1:6381``: db 1 broker, db 2 cache, both emptied).
Targets (issue 13): zero errors, zero lost or duplicated jobs, p99 under 1 s for cached
public pages and under 2 s for workspace pages.
"""

import argparse
import base64
import hashlib
import hmac
import http.client
import json
import os
import random
import re
import secrets
import shutil
import socket
import statistics
import struct
import subprocess
import sys
import tempfile
import threading
import time
from collections import Counter, defaultdict
from email import message_from_bytes
from pathlib import Path
from urllib.parse import urlencode

ROOT = Path(__file__).resolve().parent.parent
PY = sys.executable
DB = "atelier_perf"
PASSWORD = "charge-atelier-2026"

N_ATELIERS = 10  # each with a pilote who signs in, asks for a report and invites someone
PUBLIC = ["/", "/laureats/", "/appels/"]
FLOOR = "/sante/"


# --- The instance ---------------------------------------------------------------------------


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def production_env(work: Path, web_port: int, smtp_port: int, redis: str) -> dict[str, str]:
    return {
        "PATH": os.environ["PATH"],
        "HOME": os.environ.get("HOME", "/tmp"),
        "LANG": "C.UTF-8",
        "DJANGO_SETTINGS_MODULE": "atelier.settings",
        "DJANGO_DEBUG": "0",
        "DJANGO_SECRET_KEY": secrets.token_urlsafe(50),
        "DJANGO_ALLOWED_HOSTS": "127.0.0.1,localhost",
        "ATELIER_SIGNING_KEY": base64.b64encode(secrets.token_bytes(32)).decode(),
        "DJANGO_CSRF_TRUSTED_ORIGINS": f"http://127.0.0.1:{web_port}",
        "DJANGO_SECURE_SSL_REDIRECT": "0",
        "ATELIER_SITE_URL": f"http://127.0.0.1:{web_port}",
        "ATELIER_CARTE_TUILES_URL": "",
        "DATABASE_URL": f"postgres://postgres@127.0.0.1:5432/{DB}",
        "REDIS_URL": f"{redis}/1",
        "ATELIER_CACHE_REDIS_URL": f"{redis}/2",
        "EMAIL_HOST": "127.0.0.1",
        "EMAIL_PORT": str(smtp_port),
        "EMAIL_USE_TLS": "0",
        "ATELIER_STATIC_ROOT": str(work / "static"),
        "ATELIER_MEDIA_ROOT": str(work / "media"),
    }


def wait_http(port: int, path: str, timeout: float) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        try:
            conn = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
            conn.request("GET", path)
            if conn.getresponse().status == 200:
                return
        except OSError:
            pass
        time.sleep(0.5)
    raise SystemExit(f"Erreur : rien ne répond sur le port {port} après {timeout:.0f} s.")


# --- The data (run inside the production environment: --preparer) ---------------------------


def totp_now(secret: str) -> str:
    key = base64.b32decode(secret)
    digest = hmac.new(key, struct.pack(">Q", int(time.time()) // 30), hashlib.sha1).digest()
    offset = digest[-1] & 0x0F
    code = struct.unpack(">I", digest[offset : offset + 4])[0] & 0x7FFFFFFF
    return f"{code % 1_000_000:06d}"


def prepare(n_workspace: int, n_applicants: int) -> None:
    """Create the people and places of the load; print what the users need, as JSON."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from django.conf import settings
    from django.contrib.auth.hashers import PBKDF2PasswordHasher
    from django.test import Client
    from django.urls import reverse

    # Quick hashes for the people whose session is opened here; the pilotes who sign in
    # through the form get a real PBKDF2 hash below.
    settings.PASSWORD_HASHERS = [
        "django.contrib.auth.hashers.MD5PasswordHasher",
        "django.contrib.auth.hashers.PBKDF2PasswordHasher",
    ]
    from acteurs.models import Role
    from tests import factories
    from tests.factories import feuilles_de_route as fdr
    from tests.factories.appels import appel_complet
    from tests.factories.ateliers import document

    def session_of(user) -> str:
        client = Client()
        client.force_login(user)
        return client.cookies[settings.SESSION_COOKIE_NAME].value

    pilotes, workspace, applicants = [], [], []
    for i in range(N_ATELIERS):
        atelier = factories.AtelierFactory()
        pilote = factories.participant(
            atelier, Role.PILOTE, totp=False, email=f"pilote{i}@charge.fr"
        )
        secret = base64.b32encode(secrets.token_bytes(20)).decode()
        factories.with_totp(pilote, secret)
        elu = factories.participant(atelier, Role.ELU, email=f"elu{i}@charge.fr")
        etat = fdr.etat_signataire(atelier, email=f"etat{i}@charge.fr")
        feuille = fdr.feuille_with_actions(atelier, axes=3, actions_per_axe=5)
        fdr.adopt(feuille, pilote, elu, etat)
        for n in range(15):
            factories.EtapeFactory(atelier=atelier, ordre=n + 1)
        for n in range(20):
            document(atelier, by=pilote, titre=f"Document {n}")
        pilote.password = PBKDF2PasswordHasher().encode(PASSWORD, secrets.token_hex(8))
        pilote.save(update_fields=["password"])
        pk = atelier.pk
        pilotes.append(
            {
                "email": pilote.email,
                "secret": secret,
                "feuille": reverse("feuilles_de_route:feuille", kwargs={"pk": pk}),
                "rapport": reverse("feuilles_de_route:rapport_demander", kwargs={"pk": pk}),
                "participants": reverse("ateliers:participants", kwargs={"atelier_id": pk}),
                "atelier": pk,
            }
        )
        for n in range(n_workspace // N_ATELIERS):
            user = factories.participant(
                atelier, (Role.EQUIPE, Role.TECHNICIEN)[n % 2], email=f"p{i}-{n}@charge.fr"
            )
            workspace.append(
                {
                    "session": session_of(user),
                    "pages": [
                        "/espace/",
                        reverse("ateliers:atelier", kwargs={"pk": pk}),
                        reverse("ateliers:etapes", kwargs={"pk": pk}),
                        reverse("ateliers:documents", kwargs={"pk": pk}),
                        reverse("ateliers:participants", kwargs={"atelier_id": pk}),
                        reverse("feuilles_de_route:feuille", kwargs={"pk": pk}),
                        reverse("feuilles_de_route:suivi", kwargs={"pk": pk}),
                    ],
                }
            )
    appel = appel_complet()
    for n in range(n_applicants):
        user = factories.UtilisateurFactory(email=f"candidat{n}@charge.fr")
        applicants.append({"session": session_of(user)})
    print(
        json.dumps(
            {
                "cookie": settings.SESSION_COOKIE_NAME,
                "csrf_cookie": settings.CSRF_COOKIE_NAME,
                "pilotes": pilotes,
                "workspace": workspace,
                "applicants": applicants,
                "candidater": reverse("appels:candidater", args=[appel.slug]),
            }
        )
    )


def check_jobs(reports: list[int]) -> dict:
    """Inside the production environment: what the worker did, counted in the database."""
    sys.path.insert(0, str(ROOT))
    import django

    django.setup()
    from feuilles_de_route.models import Rapport
    from journal.models import Action, EvenementAudit
    from outbox.models import PendingTask

    rapports = list(Rapport.objects.filter(atelier_id__in=reports))
    events = Counter(
        (e.object_id, e.action)
        for e in EvenementAudit.objects.filter(
            action__in=[Action.RAPPORT_PRET, Action.RAPPORT_RENDU_COMMENCE],
            object_id__in=[str(r.pk) for r in rapports],
        )
    )
    return {
        "rapports": len(rapports),
        "prets": sum(1 for r in rapports if r.statut == Rapport.Statut.PRET),
        "statuts": dict(Counter(r.statut for r in rapports)),
        "rendus_plus_d_une_fois": sum(
            1 for r in rapports if events[(str(r.pk), Action.RAPPORT_RENDU_COMMENCE)] > 1
        ),
        "prets_plus_d_une_fois": sum(
            1 for r in rapports if events[(str(r.pk), Action.RAPPORT_PRET)] > 1
        ),
        "taches_en_attente": PendingTask.objects.filter(sent_at__isnull=True).count(),
    }


# --- The users ------------------------------------------------------------------------------


class User:
    """One person: their own connection and cookies; records every request's time."""

    def __init__(self, port: int, results: list, cookies: dict | None = None):
        self.port = port
        self.results = results
        self.cookies = dict(cookies or {})
        self.conn = None

    def request(self, label: str, method: str, path: str, data: dict | None = None):
        body = urlencode(data).encode() if data is not None else None
        headers = {"Cookie": "; ".join(f"{k}={v}" for k, v in self.cookies.items())}
        if body is not None:
            headers["Content-Type"] = "application/x-www-form-urlencoded"
            headers["Referer"] = f"http://127.0.0.1:{self.port}{path}"
        start = time.perf_counter()
        status, text = 0, ""
        for _attempt in range(2):  # a kept-alive connection the server closed: reconnect once
            try:
                if self.conn is None:
                    self.conn = http.client.HTTPConnection("127.0.0.1", self.port, timeout=60)
                self.conn.request(method, path, body=body, headers=headers)
                response = self.conn.getresponse()
                text = response.read().decode("utf-8", "replace")
                status = response.status
                for header, value in response.getheaders():
                    if header.lower() == "set-cookie":
                        name, _, rest = value.partition("=")
                        self.cookies[name.strip()] = rest.split(";", 1)[0]
                if response.getheader("Connection", "").lower() == "close":
                    self.conn.close()
                    self.conn = None
                break
            except TimeoutError:  # no answer in 60 s: an error, not retried (it adds load)
                self.conn.close()
                self.conn = None
                break
            except (http.client.HTTPException, OSError):
                if self.conn is not None:
                    self.conn.close()
                self.conn = None
        self.results.append((label, (time.perf_counter() - start) * 1000, status))
        return status, text

    def csrf(self, html: str) -> str:
        match = re.search(r'name="csrfmiddlewaretoken" value="([^"]+)"', html)
        return match.group(1) if match else ""


# Time a person spends on a page before the next click (``--pause MIN MAX``, seconds). The
# default, 0.2–1 s, asks ~330 requests per second of 200 users: it measures saturation. A
# person reading a page takes longer (``--pause 3 10``: ~30 requests per second).
PAUSE = (0.2, 1.0)


def pause() -> None:
    time.sleep(random.uniform(*PAUSE))


# People do not all click in the same millisecond: each user arrives at a random moment of a
# first pause (``--ensemble`` makes them all start at once, a burst of 200 requests).
ENSEMBLE = False


def arrive(target, *args) -> None:
    if not ENSEMBLE:
        time.sleep(random.uniform(0, PAUSE[1]))
    target(*args)


def anonymous(port, results, n):
    user = User(port, results)
    for i in range(n):
        if i % 4 == 3:
            user.request("plancher /sante/", "GET", FLOOR)
        else:
            path = random.choice(PUBLIC)
            user.request(f"public {path}", "GET", path)
        pause()


def participant(port, results, n, data, cookie):
    user = User(port, results, {cookie: data["session"]})
    names = ["/espace/", "atelier", "étapes", "documents", "participants", "feuille", "suivi"]
    for i in range(n):
        k = i % len(data["pages"])
        user.request(f"espace {names[k]}", "GET", data["pages"][k])
        pause()


def pilote(port, results, n, data, done: dict):
    """Sign in with the password then the TOTP code, ask for the report, invite someone."""
    user = User(port, results)
    _, html = user.request("connexion (page)", "GET", "/comptes/login/")
    status, _ = user.request(
        "connexion (mot de passe)",
        "POST",
        "/comptes/login/",
        {"login": data["email"], "password": PASSWORD, "csrfmiddlewaretoken": user.csrf(html)},
    )
    _, html = user.request("connexion (TOTP)", "GET", "/comptes/2fa/authenticate/")
    status, _ = user.request(
        "connexion (TOTP)",
        "POST",
        "/comptes/2fa/authenticate/",
        {"code": totp_now(data["secret"]), "csrfmiddlewaretoken": user.csrf(html)},
    )
    status, html = user.request("espace feuille", "GET", data["feuille"])
    if status != 200:
        print(f"{data['email']} : connexion refusée ({status})", file=sys.stderr)
    token = user.csrf(html)
    status, _ = user.request(
        "rapport (demande)", "POST", data["rapport"], {"csrfmiddlewaretoken": token}
    )
    if status == 302:
        done["rapports"].append(data["atelier"])
    email = f"invite-{data['atelier']}@charge.fr"
    _, html = user.request("espace participants", "GET", data["participants"])
    status, _ = user.request(
        "invitation (envoi)",
        "POST",
        data["participants"],
        {"email": email, "role": "technicien", "csrfmiddlewaretoken": user.csrf(html)},
    )
    if status == 302:
        done["invitations"].append(email)
    for _ in range(max(0, n - 8)):
        pause()
        user.request("espace feuille", "GET", data["feuille"])


def applicant(port, results, n, data, cookie, url):
    user = User(port, results, {cookie: data["session"]})
    for i in range(n):
        _, html = user.request("candidature (formulaire)", "GET", url)
        pause()
        if i % 3 == 2:
            user.request(
                "candidature (brouillon)",
                "POST",
                url,
                {
                    "territoire_nom": f"Pays de charge {i}",
                    "action": "enregistrer",
                    "csrfmiddlewaretoken": user.csrf(html),
                },
            )
            pause()


# --- The run --------------------------------------------------------------------------------


def percentile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, round(q * (len(values) - 1)))]


def main() -> None:
    global PAUSE, ENSEMBLE
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--utilisateurs", type=int, default=200)
    parser.add_argument("--requetes", type=int, default=12, help="requêtes par utilisateur")
    parser.add_argument("--workers", type=int, default=3)
    parser.add_argument("--threads", type=int, default=1)
    parser.add_argument("--port", type=int, default=8112)
    parser.add_argument("--redis", default="redis://127.0.0.1:6381")
    parser.add_argument(
        "--pause",
        nargs=2,
        type=float,
        default=PAUSE,
        metavar=("MIN", "MAX"),
        help="secondes entre deux clics d'un même utilisateur",
    )
    parser.add_argument(
        "--ensemble", action="store_true", help="tous les utilisateurs commencent en même temps"
    )
    parser.add_argument(
        "--nice", type=int, default=10, help="priorité (nice) du worker Celery : le web d'abord"
    )
    parser.add_argument("--preparer", nargs=2, type=int, help=argparse.SUPPRESS)
    parser.add_argument("--verifier", help=argparse.SUPPRESS)
    args = parser.parse_args()
    PAUSE = tuple(args.pause)
    ENSEMBLE = args.ensemble
    if args.preparer:
        return prepare(*args.preparer)
    if args.verifier is not None:
        reports = [int(x) for x in args.verifier.split(",") if x]
        print(json.dumps(check_jobs(reports)))
        return None

    n_users = args.utilisateurs
    n_pilotes = N_ATELIERS
    n_workspace = (n_users * 3 // 10) // N_ATELIERS * N_ATELIERS
    n_applicants = n_users // 10
    n_anonymous = n_users - n_pilotes - n_workspace - n_applicants
    load_before = os.getloadavg()
    work = Path(tempfile.mkdtemp(prefix="atelier-charge-"))
    smtp_port = free_port()
    env = production_env(work, args.port, smtp_port, args.redis)
    (work / "production.env").write_text("".join(f"{k}={v}\n" for k, v in env.items()))
    procs: list[subprocess.Popen] = []

    def start(name: str, *command: str) -> None:
        log = open(work / f"{name}.log", "w")  # noqa: SIM115 (closed with the process)
        procs.append(
            subprocess.Popen(command, cwd=ROOT, env=env, stdout=log, stderr=subprocess.STDOUT)
        )

    def run(*command: str) -> str:
        return subprocess.run(
            command, cwd=ROOT, env=env, check=True, capture_output=True, text=True
        ).stdout

    try:
        print(f"Instance : {work} (charge de la machine avant : {load_before[0]:.1f})")
        subprocess.run(
            ["psql", "-h", "127.0.0.1", "-U", "postgres", "-q", "-c", f"DROP DATABASE IF EXISTS {DB}",
             "-c", f"CREATE DATABASE {DB}"],
            check=True,
        )  # fmt: skip
        for db in (1, 2):
            host, port = args.redis.removeprefix("redis://").split(":")
            subprocess.run(
                ["redis-cli", "-h", host, "-p", port, "-n", str(db), "flushdb"],
                check=True,
                capture_output=True,
            )
        start(
            "smtp", PY, ".ci/smtp_sink.py", "--port", str(smtp_port), "--dir", str(work / "mails")
        )
        run(PY, "manage.py", "migrate", "--noinput", "-v", "0")
        run(PY, "manage.py", "collectstatic", "--noinput", "-v", "0")
        started = time.perf_counter()
        data = json.loads(
            run(PY, "bench/load.py", "--preparer", str(n_workspace), str(n_applicants))
            .strip()
            .splitlines()[-1]
        )
        print(f"Données : {time.perf_counter() - started:.0f} s")
        worker_class = "sync" if args.threads == 1 else "gthread"
        start(
            "gunicorn", str(Path(PY).parent / "gunicorn"), "atelier.wsgi:application",
            "--bind", f"127.0.0.1:{args.port}", "--workers", str(args.workers),
            "--threads", str(args.threads), "--worker-class", worker_class,
            "--backlog", "2048", "--timeout", "60", "--access-logfile", "-",
        )  # fmt: skip
        celery = str(Path(PY).parent / "celery")
        start("worker", "nice", "-n", str(args.nice), celery, "-A", "atelier", "worker", "--concurrency", "1",
              "--loglevel", "INFO", "--without-gossip", "--without-mingle")  # fmt: skip
        start("beat", celery, "-A", "atelier", "beat", "--loglevel", "INFO",
              "--schedule", str(work / "celerybeat-schedule"))  # fmt: skip
        wait_http(args.port, FLOOR, 60)
        for path in PUBLIC:  # the first visit fills the public cache
            wait_http(args.port, path, 30)

        results: list[tuple[str, float, int]] = []
        done = {"rapports": [], "invitations": []}
        n = args.requetes
        threads = (
            [threading.Thread(target=arrive, args=(anonymous, args.port, results, n)) for _ in range(n_anonymous)]
            + [threading.Thread(target=arrive, args=(participant, args.port, results, n, d, data["cookie"]))
               for d in data["workspace"]]
            + [threading.Thread(target=arrive, args=(pilote, args.port, results, n, d, done))
               for d in data["pilotes"]]
            + [threading.Thread(target=arrive, args=(applicant, args.port, results, n, d, data["cookie"], data["candidater"]))
               for d in data["applicants"]]
        )  # fmt: skip
        random.shuffle(threads)
        print(
            f"Charge : {len(threads)} utilisateurs simultanés ({n_anonymous} anonymes, "
            f"{n_workspace} participants, {n_pilotes} pilotes avec TOTP, {n_applicants} "
            f"candidats), {n} requêtes chacun ; gunicorn {worker_class} "
            f"{args.workers} workers × {args.threads} threads ; pause entre deux clics "
            f"{PAUSE[0]:g} à {PAUSE[1]:g} s ; arrivées "
            f"{'simultanées' if ENSEMBLE else 'échelonnées'} ; worker Celery nice {args.nice}"
        )
        t0 = time.perf_counter()
        for t in threads:
            t.start()
        load_during = []
        while any(t.is_alive() for t in threads):
            time.sleep(1)
            load_during.append(os.getloadavg()[0])
        elapsed = time.perf_counter() - t0

        # The queued work: every report rendered once, every e-mail delivered once.
        deadline = time.monotonic() + 240
        while True:
            jobs = json.loads(
                run(PY, "bench/load.py", "--verifier", ",".join(map(str, done["rapports"])))
                .strip()
                .splitlines()[-1]
            )
            mails = [message_from_bytes(p.read_bytes()) for p in (work / "mails").glob("*.eml")]
            received = Counter(m["To"] for m in mails)
            if (
                jobs["prets"] == len(done["rapports"])
                and not jobs["taches_en_attente"]
                and all(received[e] >= 1 for e in done["invitations"])
            ) or time.monotonic() > deadline:
                break
            time.sleep(3)
        duplicates = [
            k for k, c in Counter((m["To"], m["Subject"]) for m in mails).items() if c > 1
        ]

        by_page = defaultdict(list)
        errors = Counter()
        for label, ms, status in results:
            by_page[label].append(ms)
            if status == 0 or status >= 400:
                errors[(label, status)] += 1
        print(f"\n{len(results)} requêtes en {elapsed:.1f} s : {len(results) / elapsed:.0f} req/s")
        print(
            f"Charge de la machine (load average 1 min, 2 cœurs) : avant {load_before[0]:.1f}, "
            f"pendant {statistics.median(load_during):.1f} (médiane), max {max(load_during):.1f}"
        )
        print(f"{'page':34} {'n':>5} {'p50':>8} {'p95':>8} {'p99':>8}")
        floor_times = by_page.get(f"plancher {FLOOR}")
        floor = statistics.median(floor_times) if floor_times else 0
        for label in sorted(by_page, key=lambda k: (not k.startswith("plancher"), k)):
            values = by_page[label]
            p50 = statistics.median(values)
            print(
                f"{label:34} {len(values):5d} {p50:6.0f}ms {percentile(values, 0.95):6.0f}ms "
                f"{percentile(values, 0.99):6.0f}ms" + (f"  ({p50 / floor:.1f}× le plancher)" if floor else "")
            )  # fmt: skip
        print(f"\nErreurs : {sum(errors.values())}" + (f" {dict(errors)}" if errors else ""))
        print(
            f"Rapports : {len(done['rapports'])} demandés, {jobs['prets']} prêts "
            f"({jobs['statuts']}), rendus plus d'une fois : {jobs['rendus_plus_d_une_fois']}, "
            f"prêts plus d'une fois : {jobs['prets_plus_d_une_fois']}"
        )
        print(
            f"Courriels : {len(mails)} reçus ; invitations : {len(done['invitations'])} envoyées, "
            f"{sum(1 for e in done['invitations'] if received[e] == 1)} reçues une fois, "
            f"{sum(1 for e in done['invitations'] if received[e] == 0)} perdues ; doublons : "
            f"{len(duplicates)} ; tâches encore en attente : {jobs['taches_en_attente']}"
        )
        public_p99 = max(percentile(v, 0.99) for k, v in by_page.items() if k.startswith("public"))
        workspace_p99 = max(
            percentile(v, 0.99) for k, v in by_page.items() if k.startswith("espace")
        )
        ok = (
            not errors
            and not duplicates
            and jobs["prets"] == len(done["rapports"]) == n_pilotes
            and len(done["invitations"]) == n_pilotes
            and all(received[e] == 1 for e in done["invitations"])
            and not jobs["rendus_plus_d_une_fois"]
            and not jobs["taches_en_attente"]
        )
        print(
            f"p99 public en cache : {public_p99:.0f} ms (cible < 1000), espace : "
            f"{workspace_p99:.0f} ms (cible < 2000) ; travaux : {'OK' if ok else 'ÉCHEC'}"
        )
    finally:
        for proc in procs:
            proc.terminate()
        for proc in procs:
            try:
                proc.wait(timeout=20)
            except subprocess.TimeoutExpired:
                proc.kill()
        if os.environ.get("ATELIER_CHARGE_GARDER") != "1":
            shutil.rmtree(work, ignore_errors=True)


if __name__ == "__main__":
    main()
