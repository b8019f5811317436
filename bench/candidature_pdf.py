"""Benchmark: the candidature documents of issue 14 — the applicant's receipt (récépissé)
and the comité dossier with its attached PDFs appended (pypdf).

Builds a candidature with 6 answers of about 3 000 characters and N attachments that are
real 3-page PDFs, then measures (median of several runs):

- the receipt (``appels.documents.recepisse_pdf``), sent with every deposit e-mail;
- the comité dossier (``appels.documents.dossier_comite_pdf``), 0 or N PDFs appended;
- the dossier's SHA-256 (``appels.services.empreinte_dossier``), computed at deposit.

Usage: ``.venv/bin/python bench/candidature_pdf.py [--runs 5] [--pieces 5]``. Uses a
temporary SQLite database and media folder unless ``DATABASE_URL`` is set.
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

_tmp = tempfile.mkdtemp(prefix="atelier-bench-")
os.environ.setdefault("DATABASE_URL", f"sqlite:///{_tmp}/bench.sqlite3")
os.environ.setdefault("ATELIER_MEDIA_ROOT", f"{_tmp}/media")
os.environ.pop("REDIS_URL", None)
os.environ.setdefault("DJANGO_SETTINGS_MODULE", "atelier.settings")

import django  # noqa: E402

django.setup()

from django.core.files.base import ContentFile  # noqa: E402
from django.core.management import call_command  # noqa: E402
from django.utils import timezone  # noqa: E402


def _build(pieces: int):
    from acteurs.models import Utilisateur
    from appels.models import AppelACandidatures, Candidature, PieceJointe, Question
    from atelier.pdf import render_pdf
    from ateliers.models import SessionNationale
    from territoires.models import Departement

    session = SessionNationale.objects.create(
        titre="Bench", slug="bench", annee_debut=2027, est_historique=False
    )
    appel = AppelACandidatures.objects.create(
        titre="AMI bench",
        slug="ami-bench",
        nature="session",
        session=session,
        ouverture=timezone.now() - timezone.timedelta(days=1),
        cloture=timezone.now() + timezone.timedelta(days=30),
        statut="publie",
    )
    texte = "Le territoire porte une démarche de sobriété foncière. " * 55
    reponses = {}
    for i in range(6):
        q = Question.objects.create(
            appel=appel, ordre=i, libelle=f"Question {i}", type="texte_long"
        )
        reponses[str(q.pk)] = texte
    departement = Departement.objects.get(code="35")
    auteur = Utilisateur.objects.create_user(email="bench@exemple.fr", password="x")
    candidature = Candidature.objects.create(
        appel=appel,
        auteur=auteur,
        statut="deposee",
        deposee_le=timezone.now(),
        format_demande="multisite",
        territoire_nom="Pays de Redon",
        territoire_nature="epci",
        region=departement.region,
        departement=departement,
        porteur="Redon Agglomération",
        reponses=reponses,
    )
    annexe = render_pdf(
        "".join(f"<h1>Annexe, page {p}</h1><p>{texte}</p>" for p in range(1, 4)).replace(
            "</p><h1>", '</p><h1 style="break-before: page">'
        )
    )
    for i in range(pieces):
        piece = PieceJointe(
            candidature=candidature,
            nom_original=f"annexe-{i}.pdf",
            type_mime="application/pdf",
            taille=len(annexe),
            sha256="0" * 64,
        )
        piece.fichier.save(f"annexe-{i}.pdf", ContentFile(annexe), save=False)
        piece.save()
    return (
        Candidature.objects.select_related("appel", "region", "departement", "auteur")
        .prefetch_related("pieces_jointes", "appel__questions", "appel__criteres", "avis")
        .get(pk=candidature.pk)
    )


def _median(fn, runs: int) -> tuple[float, int]:
    times, size = [], 0
    for _ in range(runs):
        start = time.perf_counter()
        result = fn()
        times.append(time.perf_counter() - start)
        size = len(result) if isinstance(result, bytes | str) else 0
    return statistics.median(times), size


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--pieces", type=int, default=5)
    args = parser.parse_args()
    call_command("migrate", verbosity=0)
    from appels.documents import dossier_comite_pdf, recepisse_pdf, reponses_affichees
    from appels.services import empreinte_dossier

    candidature = _build(args.pieces)
    contexte = {
        "reponses": reponses_affichees(candidature),
        "avis_visibles": [],
        "moyennes": [],
        "evaluation": None,
    }
    mesures = {
        "récépissé": lambda: recepisse_pdf(candidature),
        f"dossier du comité + {args.pieces} PDF annexés": lambda: dossier_comite_pdf(
            candidature, context=contexte
        ),
        "empreinte du dossier": lambda: empreinte_dossier(candidature),
    }
    recepisse_pdf(candidature)  # warm-up: fonts and stylesheet loaded once
    for nom, fn in mesures.items():
        duree, taille = _median(fn, args.runs)
        print(f"{nom:45s} {duree * 1000:8.1f} ms  {taille / 1024:8.1f} Kio")


if __name__ == "__main__":
    main()
