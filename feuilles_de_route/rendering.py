"""The restitution report: its context, its HTML (an autoescaped template), its PDF.

The roadmap part is read from the adopted version's frozen content — the report shows
exactly what was signed, whatever the draft became since.
"""

import math
from typing import Any

from django.conf import settings
from django.db.models import Count, Prefetch
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe

from acteurs.models import Participation, Role
from atelier import signing
from atelier.identite import identite
from atelier.pdf import render_pdf
from territoires.geo import geometry_bbox, simplify_for_display

from .financements import financements_signes
from .models import Consultation, Rapport, Signature

SVG_WIDTH, SVG_HEIGHT = 640, 420
_PALETTE = ["#000091", "#c9191e", "#18753c", "#b34000", "#6a6af4", "#a558a0", "#009081", "#716043"]


def _positions(geometry: dict[str, Any]) -> list[list[list[float]]]:
    """Rings/lines of a geometry as lists of [lon, lat] (a point is a one-position list)."""
    kind, coords = geometry.get("type"), geometry.get("coordinates")
    if kind == "Point":
        return [[coords]]
    if kind in ("LineString", "MultiPoint"):
        return [coords]
    if kind in ("Polygon", "MultiLineString"):
        return list(coords)
    if kind == "MultiPolygon":
        return [ring for polygon in coords for ring in polygon]
    return []


def svg_map(
    sites: list[tuple[str, dict[str, Any]]], perimetre: dict[str, Any] | None = None
) -> SafeString:
    """An inline SVG map of the demonstrator sites (and the territory's perimeter).

    Equirectangular projection scaled by cos(latitude) around the data's bounding box: at the
    scale of a territory it is indistinguishable from a real projection, and it needs no
    tiles, no network and no GIS library. Names are escaped; coordinates are numbers only.
    """
    layers = [("", perimetre)] if perimetre else []
    layers += [(name, geom) for name, geom in sites if geom]
    boxes = []
    for _name, geom in layers:
        try:
            boxes.append(geometry_bbox(geom))
        except (ValueError, TypeError, KeyError):
            continue
    if not boxes:
        return mark_safe("")
    lon0, lat0 = min(b[0] for b in boxes), min(b[1] for b in boxes)
    lon1, lat1 = max(b[2] for b in boxes), max(b[3] for b in boxes)
    kx = math.cos(math.radians((lat0 + lat1) / 2))
    # At least ~2 km around the data, so that a single point sits in the middle of the map.
    minimum = 0.02
    if (lon1 - lon0) * kx < minimum:
        middle = (lon0 + lon1) / 2
        lon0, lon1 = middle - minimum / kx / 2, middle + minimum / kx / 2
    if lat1 - lat0 < minimum:
        middle = (lat0 + lat1) / 2
        lat0, lat1 = middle - minimum / 2, middle + minimum / 2
    span_x = (lon1 - lon0) * kx
    span_y = lat1 - lat0
    margin = 30
    scale = min((SVG_WIDTH - 2 * margin) / span_x, (SVG_HEIGHT - 2 * margin) / span_y)
    off_x = (SVG_WIDTH - span_x * scale) / 2
    off_y = (SVG_HEIGHT - span_y * scale) / 2

    def xy(position) -> tuple[float, float]:
        x = off_x + (float(position[0]) - lon0) * kx * scale
        y = SVG_HEIGHT - (off_y + (float(position[1]) - lat0) * scale)
        return round(x, 1), round(y, 1)

    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" class="carte-sites" viewBox="0 0 {SVG_WIDTH} {SVG_HEIGHT}" '
        f'width="{SVG_WIDTH}" height="{SVG_HEIGHT}" role="img" aria-label="Carte des sites démonstrateurs">',
        f'<rect x="0" y="0" width="{SVG_WIDTH}" height="{SVG_HEIGHT}" fill="#f6f6f6" stroke="#dddddd"/>',
    ]
    legend = []
    numero = 0
    for name, geom in layers:
        kind = geom.get("type") if isinstance(geom, dict) else None
        rings = _positions(geom) if kind else []
        if not rings:
            continue
        if not name:
            colour = "#929292"
        else:
            colour = _PALETTE[numero % len(_PALETTE)]
            numero += 1
        if kind in ("Point", "MultiPoint"):
            for position in rings[0]:
                x, y = xy(position)
                parts.append(
                    f'<circle cx="{x}" cy="{y}" r="7" fill="{colour}" stroke="#ffffff" stroke-width="2"/>'
                )
        else:
            closed = kind in ("Polygon", "MultiPolygon")
            for ring in rings:
                points = " ".join(f"{x},{y}" for x, y in (xy(p) for p in ring))
                if closed:
                    fill = "none" if not name else colour
                    parts.append(
                        f'<polygon points="{points}" fill="{fill}" fill-opacity="0.25" stroke="{colour}" stroke-width="2"/>'
                    )
                else:
                    parts.append(
                        f'<polyline points="{points}" fill="none" stroke="{colour}" stroke-width="3"/>'
                    )
        if name:
            first = rings[0][0]
            x, y = xy(first)
            parts.append(
                f'<text x="{x + 10}" y="{y - 8}" font-size="13" fill="#161616" font-weight="bold">{numero}</text>'
            )
            legend.append((numero, colour, name))
    parts.append("</svg>")
    items = "".join(
        f'<li><span class="pastille" style="background:{c}"></span>{n}. {escape(label)}</li>'
        for n, c, label in legend
    )
    return mark_safe("".join(parts) + f'<ul class="legende-carte">{items}</ul>')  # noqa: S308 — numbers and escaped names


def rapport_context(rapport: Rapport) -> dict[str, Any]:
    """Everything the report shows, read in a fixed number of queries."""
    from ateliers.models import Atelier, Etape, Livrable

    atelier = (
        Atelier.objects.select_related("territoire__region", "session", "service_pilote")
        .prefetch_related("territoire__departements")
        .get(pk=rapport.atelier_id)
    )
    etapes = list(
        Etape.objects.filter(atelier=atelier)
        .prefetch_related(
            Prefetch("livrables", queryset=Livrable.objects.select_related("document"))
        )
        .order_by("ordre", "debut", "id")
    )
    counts = dict(
        Participation.objects.filter(atelier=atelier)
        .values_list("role")
        .annotate(n=Count("id"))
        .values_list("role", "n")
    )
    participation = [
        (label, counts.get(code, 0)) for code, label in Role.choices if counts.get(code)
    ]
    equipe = list(
        Participation.objects.filter(atelier=atelier, role__in=[Role.PILOTE, Role.EQUIPE])
        .select_related("acteur__organisation")
        .order_by("role", "acteur__nom")
    )
    sites = [
        (nom, simplify_for_display(geometrie))
        for nom, geometrie in atelier.sites_demonstrateurs.order_by("nom").values_list(
            "nom", "geometrie"
        )
    ]
    version = rapport.version
    signatures = (
        list(Signature.objects.filter(version=version).order_by("signee_le", "id"))
        if version
        else []
    )
    contenu = version.contenu if version else {"axes": []}
    nb_actions = sum(len(a.get("actions", [])) for a in contenu.get("axes", []))
    financeurs, financements_statut = (
        financements_signes({version.feuille_id: contenu})[version.feuille_id]
        if version
        else ([], [])
    )
    return {
        "financeurs": financeurs,
        "financements_statut": financements_statut,
        "rapport": rapport,
        "atelier": atelier,
        "territoire": atelier.territoire,
        "etapes": etapes,
        "participation": participation,
        "participants_total": sum(counts.values()),
        "equipe": equipe,
        "sites": sites,
        "carte": svg_map(sites, atelier.territoire.perimetre),
        "version": version,
        "contenu": contenu,
        "nb_actions": nb_actions,
        "signatures": signatures,
        "concertations": list(
            Consultation.objects.filter(
                version__feuille__atelier=atelier, statut=Consultation.Statut.CLOSE
            )
            .select_related("version")
            .order_by("close_le")
        ),
        "genere_le": timezone.now(),
        "cles_publiques": signing.public_keys(),
        "SITE_URL": settings.SITE_URL,
        **identite(),
    }


def rapport_html(rapport: Rapport) -> str:
    return render_to_string("feuilles_de_route/rapport/rapport.html", rapport_context(rapport))


def rapport_media_dirs(atelier_id: int) -> tuple[str, ...]:
    """The only media folder a report may embed from: the atelier's own."""
    return (f"ateliers/{atelier_id}",)


def render_rapport_pdf(rapport: Rapport) -> bytes:
    return render_pdf(rapport_html(rapport), media_dirs=rapport_media_dirs(rapport.atelier_id))


def version_pdf(version) -> bytes:
    """The version as a PDF to read offline, with its hash and the signatures made so far."""
    atelier = version.feuille.atelier
    html = render_to_string(
        "feuilles_de_route/version_pdf.html",
        {
            "version": version,
            "atelier": atelier,
            "contenu": version.contenu,
            "signatures": list(
                Signature.objects.filter(version=version).order_by("signee_le", "id")
            ),
            "genere_le": timezone.now(),
            "SITE_URL": settings.SITE_URL,
            **identite(),
        },
    )
    return render_pdf(html)


def carnet_context(carnet) -> dict[str, Any]:
    """The carnet de suivi: the course stage by stage (dates, places, attendance by kind of
    actor), minutes and deliverables, the logbook, the concertation, the proposals."""
    from acteurs.models import Presence
    from ateliers.models import Atelier, EntreeJournal, Etape, Livrable

    from . import canonical
    from .models import FeuilleDeRoute

    atelier = Atelier.objects.select_related("territoire").get(pk=carnet.atelier_id)
    etapes = list(
        Etape.objects.filter(atelier=atelier)
        .prefetch_related(
            Prefetch("livrables", queryset=Livrable.objects.select_related("document")),
            "documents",
        )
        .order_by("ordre", "debut", "id")
    )
    labels = dict(Role.choices)
    presences: dict[int, list[tuple[str, int]]] = {}
    for etape_id, role, n in (
        Presence.objects.filter(etape__atelier=atelier, present=True)
        .values_list("etape_id", "participation__role")
        .annotate(n=Count("id"))
        .order_by("etape_id", "participation__role")
    ):
        presences.setdefault(etape_id, []).append((labels.get(role, role), n))
    for etape in etapes:
        etape.presences_par_role = presences.get(etape.pk, [])
        etape.presents = sum(n for _label, n in etape.presences_par_role)
    journal = list(
        # A removed entry's content is not published in the carnet.
        EntreeJournal.objects.filter(atelier=atelier, retiree_le__isnull=True)
        .select_related("auteur", "etape")
        .order_by("date", "cree_le")
    )
    feuille = FeuilleDeRoute.objects.filter(atelier=atelier).first()
    derniere = feuille.versions.order_by("-numero").first() if feuille else None
    if derniere is not None:
        propositions = derniere.contenu
    elif feuille is not None:
        propositions = canonical.snapshot(feuille)
    else:
        propositions = {"axes": []}
    return {
        "carnet": carnet,
        "atelier": atelier,
        "territoire": atelier.territoire,
        "etapes": etapes,
        "journal": journal,
        "propositions": propositions,
        "propositions_version": derniere,
        "concertations": list(
            Consultation.objects.filter(
                version__feuille__atelier=atelier, statut=Consultation.Statut.CLOSE
            )
            .select_related("version")
            .order_by("close_le")
        ),
        "genere_le": timezone.now(),
        "SITE_URL": settings.SITE_URL,
        **identite(),
    }


def render_carnet_pdf(carnet) -> bytes:
    html = render_to_string("feuilles_de_route/carnet/carnet.html", carnet_context(carnet))
    return render_pdf(html)
