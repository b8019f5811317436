"""Reads of the reference geography: the autocomplete over communes and EPCI, a territory's
communes. Public reference data; no Django app but territoires is imported."""

from django.db.models import Case, IntegerField, Q, Value, When

from . import contours
from .models import EPCI, Commune, Territoire
from .reference import nom_recherche

LIEUX_MAX = 10


def lieux_search(requete: str, *, types: tuple[str, ...] = ("commune", "epci")) -> list[dict]:
    """Communes and EPCI of the current vintage matching ``requete``: a name (any word's
    start, accents, case, hyphens and apostrophes ignored), a postcode, an INSEE code or a
    SIREN. The most populous first; EPCI before communes; at most ``LIEUX_MAX``."""
    texte = nom_recherche(requete)[:100]
    if not texte:
        return []
    communes = Commune.objects.actifs().select_related("departement")
    epci = EPCI.objects.actifs()
    if texte.replace(" ", "").isdigit():
        chiffres = texte.replace(" ", "")
        communes = communes.filter(
            Q(code__startswith=chiffres)
            | Q(codes_postaux__startswith=chiffres)
            | Q(codes_postaux__contains=f" {chiffres}")
        )
        epci = epci.filter(siren__startswith=chiffres) if len(chiffres) > 5 else epci.none()
    else:
        nom = Q(nom_recherche__startswith=texte) | Q(nom_recherche__contains=f" {texte}")
        # The name itself, then names that start with the words typed, then the others.
        rang = Case(
            When(nom_recherche=texte, then=Value(0)),
            When(nom_recherche__startswith=texte, then=Value(1)),
            default=Value(2),
            output_field=IntegerField(),
        )
        communes = communes.filter(nom).annotate(rang=rang)
        epci = epci.filter(nom).annotate(rang=rang)
    ordre = ("rang", "-population", "nom") if not texte.replace(" ", "").isdigit() else (
        "-population", "nom")  # fmt: skip
    resultats = []
    if "epci" in types:
        for groupement in epci.order_by(*ordre)[:4].prefetch_related("departements"):
            deps = ", ".join(d.code for d in groupement.departements.all())
            resultats.append(
                {
                    "type": "epci",
                    "code": groupement.siren,
                    "nom": groupement.nom,
                    "detail": f"{groupement.get_nature_display()} · {deps}",
                    "population": groupement.population,
                    "point": _point(groupement),
                }
            )
    if "commune" in types:
        for commune in communes.order_by(*ordre)[: LIEUX_MAX - len(resultats)]:
            resultats.append(
                {
                    "type": "commune",
                    "code": commune.code,
                    "nom": commune.nom,
                    "detail": f"{commune.departement.nom} ({commune.departement.code}) · "
                    f"{commune.codes_postaux.split(' ')[0]}",
                    "population": commune.population,
                    "point": _point(commune),
                }
            )
    return resultats


def _point(lieu) -> list[float] | None:
    """[lon, lat] (GeoJSON order) of a commune's or an EPCI's representative point."""
    if lieu.latitude is None or lieu.longitude is None:
        return None
    return [lieu.longitude, lieu.latitude]


def communes_du_territoire(territoire: Territoire, *, limite: int = 400) -> list[dict]:
    """The member communes of a territory (chosen one by one or through its EPCI), with
    their contours as GeoJSON, for its map. One query."""
    communes = (
        Commune.objects.filter(Q(territoires=territoire) | Q(epci__territoires=territoire))
        .distinct()
        .order_by("code")
        .values_list("code", "nom", "contour")[:limite]
    )
    return [
        {"code": code, "nom": nom, "contour": contours.decode(contour)}
        for code, nom, contour in communes
        if contour
    ]
