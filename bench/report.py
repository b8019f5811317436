"""Benchmark: our full restitution report generation against WeasyPrint alone.

Builds a large atelier (80 actions in 8 axes, 40 participants, 8 stages with deliverables,
demonstrator sites), adopts its roadmap with two real signatures, then measures in the same
run:

- **ours**: ``services.rapport_generate`` — everything the Celery task does: state
  transitions and audit rows, the context queries, the template, the inline SVG map, the
  PDF through ``atelier.pdf.render_pdf`` (safe fetcher, attachment stripping), SHA-256,
  storage;
- **WeasyPrint alone**: ``weasyprint.HTML(string=final_html).write_pdf()`` on the very same
  final HTML, with the same URL fetcher (it must load the same fonts and stylesheet).

Time is the median of several runs without tracing; peak memory is measured in separate
runs with ``tracemalloc`` (Python allocations). Target: ours ≤ 1.30 × WeasyPrint alone.

Usage: ``.venv/bin/python bench/report.py [--runs 5]``. Uses a temporary SQLite database and
media folder unless ``DATABASE_URL`` is set.
"""

import argparse
import os
import statistics
import sys
import tempfile
import time
import tracemalloc
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

_tmp = tempfile.mkdtemp(prefix="atelier-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("ATELIER_MEDIA_ROOT", f"{_tmp}/media")
os.environ.pop("REDIS_URL", None)  # tasks are called directly; no broker needed
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")

import django  # noqa: E402

django.setup()

import datetime as dt  # noqa: E402
import logging  # noqa: E402
from decimal import Decimal  # noqa: E402

from django.conf import settings  # noqa: E402
from django.core.management import call_command  # noqa: E402
from weasyprint import HTML  # noqa: E402

logging.getLogger("weasyprint").setLevel(logging.ERROR)
logging.getLogger("weasyprint.progress").setLevel(logging.ERROR)
logging.getLogger("fontTools").setLevel(logging.ERROR)
settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
settings.EMAIL_BACKEND = "django.core.mail.backends.locmem.EmailBackend"
logging.getLogger("celery").setLevel(logging.WARNING)


def build():
    from django.utils import timezone

    from acteurs.models import (
        Acteur,
        AgentEtat,
        Organisation,
        Participation,
        Role,
        ServiceEtat,
        Utilisateur,
    )
    from ateliers.models import Atelier, Etape, Livrable, SiteDemonstrateur
    from feuilles_de_route import services
    from feuilles_de_route.models import Action, Axe, Financement, Qualite
    from territoires.models import Region, Territoire

    region = Region.objects.first()
    territoire = Territoire.objects.create(
        nom="Communauté de communes du Pays de Quintin",
        slug="bench-quintin",
        nature=Territoire.Nature.EPCI,
        region=region,
        latitude=48.40,
        longitude=-2.91,
        description="Un territoire rural et périurbain de 30 000 habitants. " * 5,
        perimetre={
            "type": "Polygon",
            "coordinates": [
                [[-3.05, 48.32], [-2.78, 48.33], [-2.75, 48.48], [-3.02, 48.49], [-3.05, 48.32]]
            ],
        },
    )
    ddt = Organisation.objects.create(nom="DDTM des Côtes-d'Armor", slug="bench-ddtm", nature="ddt")
    atelier = Atelier.objects.create(
        titre="Atelier des territoires du Pays de Quintin",
        territoire=territoire,
        format="local",
        annee=2025,
        service_pilote=ddt,
        resume="Revitaliser les centres-bourgs et adapter le territoire au changement climatique. "
        * 8,
        date_debut=dt.date(2025, 3, 1),
        date_fin_prevue=dt.date(2026, 2, 28),
        equipe_nom="Agence Paysages & Territoires",
    )
    orgs = [
        Organisation.objects.create(
            nom=f"Organisation partenaire {i}", slug=f"bench-org-{i}", nature="collectivite"
        )
        for i in range(12)
    ]
    roles = [Role.PILOTE, Role.PILOTE] + [Role.EQUIPE] * 5 + [Role.ELU] * 8 + [Role.TECHNICIEN] * 10
    roles += [Role.SOCIO_PROFESSIONNEL] * 7 + [Role.HABITANT] * 8
    users = {}
    for i, role in enumerate(roles[:39]):  # + the State signatory = 40
        user = Utilisateur.objects.create_user(
            email=f"p{i}@bench.fr",
            password="motdepasse-bench-42",
            first_name=f"Prénom{i}",
            last_name=f"Nom{i}",
        )
        acteur = Acteur.objects.create(
            utilisateur=user,
            prenom=user.first_name,
            nom=user.last_name,
            email=user.email,
            organisation=orgs[i % 12],
        )
        mandat = (
            {"mandat": "Maire", "collectivite": "Commune de Quintin", "atteste_par_nom": "Pilote"}
            if role == Role.ELU
            else {}
        )
        Participation.objects.create(acteur=acteur, atelier=atelier, role=role, **mandat)
        users.setdefault(role, user)
    etat = Utilisateur.objects.create_user(
        email="prefet@bench.fr", password="motdepasse-bench-42", last_name="Préfet"
    )
    Participation.objects.create(
        acteur=Acteur.objects.create(utilisateur=etat, prenom="P", nom="Préfet", organisation=ddt),
        atelier=atelier,
        role=Role.OBSERVATEUR,
    )
    # Only a vetted State agent signs for the State (capacity from the vetted profile).
    AgentEtat.objects.create(
        utilisateur=etat,
        service=ServiceEtat.objects.get(code="ddt-22"),
        fonction="Préfet des Côtes-d'Armor",
        verifie_le=timezone.now(),
    )
    natures = [
        "seminaire_lancement",
        "visite_terrain",
        "atelier_1",
        "inter_atelier",
        "atelier_2",
        "atelier_3",
        "seminaire_restitution",
        "presentation_publique",
    ]
    for i, nature in enumerate(natures):
        etape = Etape.objects.create(
            atelier=atelier,
            nature=nature,
            ordre=i,
            lieu="Salle des fêtes",
            resume="Synthèse. " * 30,
        )
        Livrable.objects.create(etape=etape, nature="compte_rendu")
    sites = [
        SiteDemonstrateur.objects.create(
            atelier=atelier,
            nom=f"Site démonstrateur {i}",
            geometrie={"type": "Point", "coordinates": [-3.0 + i * 0.04, 48.35 + (i % 3) * 0.04]},
        )
        for i in range(6)
    ]
    feuille = services.feuille_get_or_create(atelier=atelier)
    for a in range(8):
        axe = Axe.objects.create(
            feuille=feuille,
            titre=f"Axe {a + 1} : orientation stratégique",
            ordre=a,
            description="Une orientation partagée par les élus et l'État. " * 3,
        )
        for j in range(10):
            action = Action.objects.create(
                axe=axe,
                titre=f"Action {a + 1}.{j + 1} : opération d'aménagement",
                description="Description détaillée de l'action, de ses étapes et de ses effets attendus. "
                * 4,
                porteur=orgs[(a + j) % 12],
                echeance=dt.date(2028, 1 + j % 12, 1),
                cout_estime=Decimal("250000.00"),
                indicateurs="Surface désimperméabilisée ; logements remis sur le marché",
                site=sites[(a + j) % 6],
                priorite=["haute", "moyenne", "basse"][j % 3],
                ordre=j,
            )
            action.partenaires.set(orgs[:3])
            Financement.objects.bulk_create(
                [
                    Financement(action=action, financeur=f, libelle=s, montant=Decimal("50000"))
                    for f, s in (("etat", "DSIL"), ("region", ""), ("europe", "FEDER"))
                ]
            )
    pilote, elu = users[Role.PILOTE], users[Role.ELU]
    version = services.version_send_for_signature(
        feuille=feuille, by=pilote, signataires=[(elu, Qualite.ELU), (etat, Qualite.ETAT)]
    )
    services.version_sign(version=version, by=elu, password="motdepasse-bench-42")
    services.version_sign(version=version, by=etat, password="motdepasse-bench-42")
    version.refresh_from_db()
    return atelier, version, pilote


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()

    call_command("migrate", verbosity=0)
    from atelier.pdf import BASE_URL, SafeURLFetcher
    from feuilles_de_route import services
    from feuilles_de_route.models import Action, Rapport
    from feuilles_de_route.rendering import rapport_html, rapport_media_dirs

    atelier, version, pilote = build()
    rapport = Rapport.objects.create(atelier=atelier, version=version, demande_par=pilote)
    print(
        f"Atelier : {Action.objects.filter(axe__feuille__atelier=atelier).count()} actions, "
        f"{atelier.participations.count()} participants, {atelier.etapes.count()} étapes"
    )

    def ours() -> bytes:
        Rapport.objects.filter(pk=rapport.pk).update(
            statut=Rapport.Statut.EN_ATTENTE, empreinte="", fichier=""
        )
        services.rapport_generate(rapport_id=rapport.pk)
        return Rapport.objects.get(pk=rapport.pk).fichier.read()

    html = rapport_html(rapport)

    def alone() -> bytes:
        fetcher = SafeURLFetcher(media_dirs=tuple(Path(d) for d in rapport_media_dirs(atelier.pk)))
        return HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).write_pdf()

    # Warm-up (imports, font loading, template compilation) for both.
    pdf_ours, pdf_alone = ours(), alone()
    assert pdf_ours.startswith(b"%PDF") and pdf_alone.startswith(b"%PDF")

    times = {"ours": [], "alone": []}
    for _ in range(args.runs):
        for name, fn in (("alone", alone), ("ours", ours)):
            start = time.perf_counter()
            fn()
            times[name].append(time.perf_counter() - start)

    peaks = {}
    for name, fn in (("alone", alone), ("ours", ours)):
        tracemalloc.start()
        fn()
        peaks[name] = tracemalloc.get_traced_memory()[1]
        tracemalloc.stop()

    t_ours, t_alone = statistics.median(times["ours"]), statistics.median(times["alone"])
    ratio_t, ratio_m = t_ours / t_alone, peaks["ours"] / peaks["alone"]
    import io

    from pypdf import PdfReader

    pages = len(PdfReader(io.BytesIO(pdf_ours)).pages)
    print(
        f"PDF : {pages} pages, {len(pdf_ours) / 1024:.0f} Kio ; médiane de {args.runs} exécutions"
    )
    print(f"{'':28}{'temps (s)':>12}{'pic mémoire (Mio)':>20}")
    print(f"{'WeasyPrint seul':28}{t_alone:>12.3f}{peaks['alone'] / 2**20:>20.1f}")
    print(f"{'notre génération complète':28}{t_ours:>12.3f}{peaks['ours'] / 2**20:>20.1f}")
    print(f"{'ratio (cible ≤ 1,30)':28}{ratio_t:>12.2f}{ratio_m:>20.2f}")
    ok = ratio_t <= 1.30 and ratio_m <= 1.30
    print("Objectif atteint." if ok else "Objectif NON atteint.")
    sys.exit(0 if ok else 1)


if __name__ == "__main__":
    main()
