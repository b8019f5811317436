"""What every part of the demo data set shares: accounts, stable keys, ``upsert``, dates."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any

from dateutil.relativedelta import relativedelta
from django.db.models import Model
from django.utils import timezone

from ateliers.formats import NatureEtape
from ateliers.models import Atelier

from . import data

DEMO_DOMAIN = "demo.atelier.gouv.fr"
# Shared by the five demo accounts; printed by the command. Demo data only.
DEMO_PASSWORD = "atelier-demo-2026"  # noqa: S105
# Fixed TOTP secret (base32) of the DGALN and pilote demo accounts, so that a demonstrator
# can add it once to an authenticator app. Demo data only, never on a real account.
DEMO_TOTP_SECRET = "ATELIERDESTERRITOIRESDEMO2345672"  # noqa: S105

# When DGALN vetted the demo State agents: before every demo atelier and signature.
VETTED_ON = dt.datetime(2015, 1, 5, 9, tzinfo=dt.UTC)

DGALN = "dgaln"
PILOTE = "pilote"
EQUIPE = "equipe"
ELU = "elu"
HABITANT = "habitant"


@dataclass(frozen=True)
class CompteDemo:
    cle: str
    email: str
    prenom: str
    nom: str
    role: str
    totp: bool = False


COMPTES = [
    CompteDemo(
        DGALN,
        f"dgaln@{DEMO_DOMAIN}",
        "Delphine",
        "Arnaud",
        "DGALN (bureau des stratégies territoriales)",
        totp=True,
    ),
    CompteDemo(
        PILOTE,
        f"pilote@{DEMO_DOMAIN}",
        "Yannick",
        "Le Goff",
        "Pilote — DDTM des Côtes-d'Armor",
        totp=True,
    ),
    CompteDemo(
        EQUIPE,
        f"equipe@{DEMO_DOMAIN}",
        "Camille",
        "Rivière",
        "Équipe pluridisciplinaire — architecte-urbaniste",
    ),
    CompteDemo(ELU, f"elu@{DEMO_DOMAIN}", "Maryvonne", "Le Bras", "Élue — maire de Quintin"),
    CompteDemo(HABITANT, f"habitant@{DEMO_DOMAIN}", "Erwan", "Guillou", "Habitant de Quintin"),
]

# Which demo account takes part in which demo atelier (by territory), standing in for which
# member of the generated cast (see ``DemoSeeder._participants``).
PARTICIPATIONS_DEMO = {
    "Quintin": {"pilote": PILOTE, "equipe-1": EQUIPE, "elu-1": ELU, "habitant-1": HABITANT},
    "Saint-Brieuc Armor Agglomération": {"pilote": PILOTE, "elu-2": ELU},
    "Loudéac Communauté Bretagne Centre": {
        "pilote": PILOTE,
        "equipe-1": EQUIPE,
        "habitant-1": HABITANT,
    },
    "Lannion-Trégor Communauté": {"pilote": PILOTE},
}

ETATS_TERMINES = {
    Atelier.Statut.RESTITUE,
    Atelier.Statut.EN_MISE_EN_OEUVRE,
    Atelier.Statut.CLOS,
}

# Day offsets of each stage from the atelier's start.
DECALAGES = {
    NatureEtape.LANCEMENT: 0,
    NatureEtape.VISITE: 21,
    NatureEtape.ATELIER_1: 45,
    NatureEtape.ATELIER_2: 120,
    NatureEtape.INTER_ATELIER: 165,
    NatureEtape.ATELIER_3: 225,
    NatureEtape.RESTITUTION: 300,
    NatureEtape.PRESENTATION: 330,
}
DECALAGES_FLASH = {
    NatureEtape.LANCEMENT: 0,
    NatureEtape.ATELIER_FLASH: 45,
    NatureEtape.RESTITUTION: 105,
}
LIEUX = ["Salle du conseil", "Médiathèque", "Salle des fêtes", "Maison du territoire"]


@dataclass
class Resultat:
    comptes: list[CompteDemo]
    mot_de_passe: str
    secret_totp: str
    territoires: int
    ateliers: int


_UNKNOWN = object()


def upsert(
    model: type[Model], *, defaults: dict[str, Any], existing: Any = _UNKNOWN, **lookup: Any
) -> tuple[Any, bool]:
    """Create the row when it is missing; leave an existing one exactly as it is.

    The demo data set is used: a visitor signs a version, publishes an atelier, marks an
    action réalisée. Running ``seed_demo`` again must keep that, so a row found by its stable
    key is never updated (``defaults`` only fills a new row). ``existing`` is the row already
    loaded by the caller (or None when it is known to be missing), which spares one query
    per row when a whole atelier's rows were fetched at once.
    """
    obj = existing
    if obj is _UNKNOWN:
        obj = next(iter(model._default_manager.filter(**lookup).order_by()[:1]), None)
    if obj is None:
        return model._default_manager.create(**lookup, **defaults), True
    return obj, False


def theme_for(nom: str, index: int) -> str:
    """A theme that fits the territory: the coast for coastal ones, valleys for mountains."""
    for shift in range(len(data.THEMES)):
        theme = data.THEMES[(index + shift) % len(data.THEMES)]
        if theme == data.THEME_LITTORAL and nom not in data.LITTORAUX:
            continue
        if theme == data.THEME_MONTAGNE and nom not in data.MONTAGNES:
            continue
        return theme
    raise AssertionError("unreachable: some themes have no condition")


def add_months(day: dt.date, months: int) -> dt.date:
    """``day`` plus ``months`` months, on a day every month has (the 28th at most)."""
    return day.replace(day=min(day.day, 28)) + relativedelta(months=months)


def aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Paris wall-clock time, as UTC: later ``+ timedelta`` arithmetic then gives the same
    instant whether the value comes from this run or back from the database (DST-safe)."""
    local = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return local.astimezone(dt.UTC)


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF showing ``title``: demo documents are real, openable files."""
    safe = title.encode("cp1252", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = (
        b"BT /F1 16 Tf 56 780 Td (" + safe + b") Tj 0 -28 Td /F1 11 Tf "
        b"(Document de demonstration - Atelier des territoires) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)
