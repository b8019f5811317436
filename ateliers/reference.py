"""The history of national sessions, 2006–2023, exactly as the programme lists it.

Source: ``shared/seed/atelier-des-territoires.txt`` (Ateliers Multisites 2006–2019 and the
2020–2023 editions). Loaded by a data migration and by ``manage.py load_reference``.
"""

import csv
import re
from pathlib import Path

from django.apps import apps as django_apps
from django.utils.text import slugify

from atelier.cache import invalidate_public_cache

# (titre, année de début, année de fin, thème)
SESSIONS_HISTORIQUES: list[tuple[str, int, int | None, str]] = [
    ("Littoral 1", 2006, None, "Littoral"),
    ("Montagne", 2007, None, "Montagne"),
    ("Littoral 2", 2009, None, "Littoral"),
    ("Atelier flash Xynthia", 2010, None, "Risques littoraux après la tempête Xynthia"),
    ("Territoires économiques", 2011, None, "Économie et aménagement"),
    ("Territoires en mutation exposés aux risques", 2012, None, "Risques"),
    ("Atelier des territoires session 1", 2013, None, "Projet de territoire"),
    ("Atelier des territoires session 2", 2014, None, "Projet de territoire"),
    ("Comment requalifier par le paysage des territoires à vivre ?", 2015, None, "Paysage"),
    ("Mieux vivre ensemble dans le périurbain", 2016, None, "Périurbain"),
    ("Vivre et travailler en montagne", 2016, None, "Montagne"),
    ("Faire de l'eau une ressource pour l'aménagement", 2017, None, "Eau"),
    ("Villes patrimoniales", 2017, None, "Patrimoine"),
    (
        "Amplifier la transition écologique avec les territoires",
        2019,
        None,
        "Transition écologique",
    ),
    ("Mieux aménager avec des sols vivants", 2021, 2022, "Sols vivants"),
    (
        "AMI « Aménagement touristique durable »",
        2021,
        2022,
        "Tourisme durable (Atelier des territoires, EcoQuartier, PPA)",
    ),
    (
        "Aménagement, territoires productifs et création de valeurs",
        2023,
        None,
        "Territoires productifs",
    ),
]


def session_slug(titre: str, annee: int) -> str:
    return slugify(f"{titre} {annee}")[:250]


def load_sessions(apps=django_apps) -> int:
    """Create or update the historical national sessions; return how many exist."""
    SessionNationale = apps.get_model("ateliers", "SessionNationale")
    for titre, debut, fin, theme in SESSIONS_HISTORIQUES:
        SessionNationale.objects.update_or_create(
            slug=session_slug(titre, debut),
            defaults={
                "titre": titre,
                "annee_debut": debut,
                "annee_fin": fin,
                "theme": theme,
                "est_historique": True,
            },
        )
    return SessionNationale.objects.filter(est_historique=True).count()


# --- Historical lauréats -------------------------------------------------------------------

_COMMUNES_DE_LA_SOURCE = re.compile(r"\b(\d{5}|2[AB]\d{3})\b")


def _csv_laureats() -> list[dict[str, str]]:
    import territoires

    chemin = Path(territoires.__file__).parent / "data" / "laureats_historiques.csv"
    with chemin.open(encoding="utf-8", newline="") as fichier:
        return list(csv.DictReader(fichier))


def _codes_de_reference(ligne: dict[str, str]) -> list[str]:
    """The reference members a row names: a commune's INSEE code, an EPCI's SIREN, the
    communes of a grouping (listed in ``remarque`` as « Communes (COG) : … »), or every
    commune of a département. Empty when the source names no reference place."""
    from territoires.models import Commune

    if ligne["type"] == "commune":
        return [ligne["code_insee"]]
    if ligne["type"] == "epci" and ligne["siren"]:
        return [ligne["siren"]]
    if ligne["type"] == "groupement" and ligne["remarque"].startswith("Communes (COG)"):
        return _COMMUNES_DE_LA_SOURCE.findall(ligne["remarque"])
    if ligne["type"] == "departement" and ligne["departements"]:
        return list(
            Commune.objects.actifs()
            .filter(departement__code__in=ligne["departements"].split("|"))
            .order_by("code")
            .values_list("code", flat=True)
        )
    return []


_NATURES = {"commune": "commune", "epci": "epci", "pnr": "pnr", "pays": "petr",
            "departement": "departement", "groupement": "inter_territorial"}  # fmt: skip


def load_laureats_historiques() -> dict[str, int]:
    """Load the historical lauréats of ``territoires/data/laureats_historiques.csv``.

    Idempotent: a row is keyed by its session and its name as the source writes it; a new
    vintage of the file updates the rows it keeps and removes those it no longer has (no
    duplicate). Each lauréat whose source names reference places (a commune, an EPCI, the
    communes of a grouping, a département) gets the territory made of them
    (``territoires.services.territoire_from_reference``: real perimeter and point); the
    others keep the départements and région of the file, and a point approximated to their
    département (or région) when there is one, said so wherever it is shown. Rows whose
    codes are not in the loaded reference (a partial load) stay unlocated by territory.
    """
    from territoires.models import Departement, Region
    from territoires.services import territoire_from_reference

    from .models import LaureatHistorique, SessionNationale

    sessions = {(s.annee_debut, s.titre): s for s in SessionNationale.objects.all()}
    departements = {d.code: d for d in Departement.objects.select_related("region")}
    regions = {r.code: r for r in Region.objects.all()}
    existants = {
        (h.session_id, h.nom): h
        for h in LaureatHistorique.objects.select_related("territoire").prefetch_related(
            "territoire__communes", "territoire__epci", "departements", "regions"
        )
    }
    gardes, crees, modifies = set(), 0, 0
    for ligne in _csv_laureats():
        session = sessions[(int(ligne["session_annee_debut"]), ligne["session_titre"])]
        cle = (session.pk, ligne["territoire_nom"])
        gardes.add(cle)
        ancien = existants.get(cle)
        territoire = _territoire(ligne, ancien, territoire_from_reference)
        deps = [departements[c] for c in ligne["departements"].split("|") if c]
        regs = [regions[c] for c in ligne["region"].split("|") if c]
        if territoire is not None:
            deps = sorted(set(deps) | set(territoire.departements.all()), key=lambda d: d.code)
            regs = [*dict.fromkeys([territoire.region, *regs, *(d.region for d in deps)])]
        else:
            regs = [*dict.fromkeys([*regs, *(d.region for d in deps)])]
        latitude = longitude = None
        localisation = LaureatHistorique.Localisation.AUCUNE
        if territoire is not None and territoire.latitude is not None:
            latitude, longitude = territoire.latitude, territoire.longitude
            localisation = LaureatHistorique.Localisation.TERRITOIRE
        elif len(deps) == 1 and deps[0].latitude is not None:
            latitude, longitude = deps[0].latitude, deps[0].longitude
            localisation = LaureatHistorique.Localisation.DEPARTEMENT
        elif len(regs) == 1 and regs[0].latitude is not None:
            latitude, longitude = regs[0].latitude, regs[0].longitude
            localisation = LaureatHistorique.Localisation.REGION
        lieux = [ligne["territoire_nom"], *(f"{r.nom} {r.code}" for r in regs)]
        lieux += [f"{d.nom} {d.code}" for d in deps]
        if territoire is not None:
            lieux.append(territoire.lieux)
        valeurs = {
            "nature": ligne["type"],
            "annee": session.annee_debut,
            "territoire": territoire,
            "latitude": latitude,
            "longitude": longitude,
            "localisation": localisation,
            "source_url": ligne["source_url"],
            "source_titre": ligne["source_titre"],
            "remarque": ligne["remarque"],
            "lieux": " ".join(lieux),
        }
        if ancien is not None and _inchange(ancien, valeurs, deps, regs):
            continue
        laureat, cree = LaureatHistorique.objects.update_or_create(
            session=session, nom=ligne["territoire_nom"], defaults=valeurs
        )
        crees += cree
        modifies += not cree
        laureat.departements.set(deps)
        laureat.regions.set(regs)
    retires = [h.pk for cle, h in existants.items() if cle not in gardes]
    LaureatHistorique.objects.filter(pk__in=retires).delete()
    if crees or modifies or retires:
        invalidate_public_cache()
    return {
        "laureats": LaureatHistorique.objects.count(),
        "crees": crees,
        "modifies": modifies,
        "retires": len(retires),
    }


def _inchange(ancien, valeurs: dict, deps: list, regs: list) -> bool:
    return (
        all(getattr(ancien, champ) == valeur for champ, valeur in valeurs.items())
        and {d.pk for d in ancien.departements.all()} == {d.pk for d in deps}
        and {r.pk for r in ancien.regions.all()} == {r.pk for r in regs}
    )


def _territoire(ligne, ancien, territoire_from_reference):
    """The reference territory of a row: the one it already has when its members are the
    same (no re-derivation on every load; a new COG vintage re-derives territories itself),
    else made from the codes. None when the source names no reference place, or when its
    codes are not in the loaded reference."""
    codes = _codes_de_reference(ligne)
    if not codes:
        return None
    if ancien is not None and ancien.territoire is not None:
        t = ancien.territoire
        membres = {c.code for c in t.communes.all()} | {e.siren for e in t.epci.all()}
        if membres == set(codes):
            return t
    nature = _NATURES.get(ligne["type"], "autre")
    if ligne["type"] == "groupement" and len(codes) == 1:
        nature = ""
    try:
        return territoire_from_reference(nom=ligne["territoire_nom"], codes=codes, nature=nature)
    except ValueError:
        return None
