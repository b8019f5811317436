"""The national synthesis PDF: requested by DGALN for a session (or a selection of ateliers),
rendered by the worker, hashed, signed by the platform, verifiable on /verifier/, published
on the session page when DGALN chooses. Writes follow services.py's rules."""

import logging
from collections import Counter
from typing import Any

from django.conf import settings
from django.db import transaction
from django.db.models import Max
from django.template.loader import render_to_string
from django.utils import timezone
from django.utils.html import escape
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

from acteurs.permissions import require_perm
from atelier.cache import invalidate_public_cache
from atelier.identite import identite
from atelier.workflow import TransitionError
from ateliers.models import Atelier
from journal.models import Action as AuditAction
from journal.services import audit

from . import documents
from .comparaison import MAX_ATELIERS, comparer
from .models import Action, StatutSuivi, Synthese
from .rendering import svg_map

logger = logging.getLogger(__name__)
PERM = "feuilles_de_route.manage_syntheses"


def synthese_request(
    *, by: Any, session: Any = None, ateliers: list[Atelier] | None = None, lecons: str = ""
) -> Synthese:
    """Queue a new version of the synthesis of ``session`` (its lauréats) or of ``ateliers``
    (any selection, e.g. the ones compared side by side: at most ``MAX_ATELIERS``).

    Versions are numbered per session, and per set of ateliers for a selection: asking again
    for the same selection makes its next version.
    """
    require_perm(by, PERM)
    if session is None and not ateliers:
        raise TransitionError(_("Choisissez une session ou des ateliers."))
    if ateliers and len(ateliers) > MAX_ATELIERS:
        raise TransitionError(
            _("Une synthèse réunit %(n)s ateliers au plus : affinez la sélection.")
            % {"n": MAX_ATELIERS}
        )
    with transaction.atomic():
        if session is not None:
            numero = (
                Synthese.objects.select_for_update()
                .filter(session=session)
                .aggregate(n=Max("numero"))["n"]
                or 0
            ) + 1
            titre = session.titre
        else:
            numero = _selection_next_number(ateliers)
            titre = _selection_title(ateliers)
        synthese = Synthese.objects.create(
            session=session, titre=titre, numero=numero, lecons=lecons, demande_par=by
        )
        if ateliers:
            synthese.ateliers.set(ateliers)
        audit(by=by, obj=synthese, action=AuditAction.SYNTHESE_DEMANDEE, to_state=synthese.statut)
        _queue(synthese.pk)
    return synthese


def _selection_next_number(ateliers: list[Atelier]) -> int:
    wanted = sorted(a.pk for a in ateliers)
    liens = Synthese.ateliers.through.objects.filter(atelier_id__in=wanted)
    earlier = Synthese.objects.filter(
        session=None, pk__in=liens.values("synthese_id")
    ).prefetch_related("ateliers")
    same = [s.numero for s in earlier if sorted(a.pk for a in s.ateliers.all()) == wanted]
    return max(same, default=0) + 1


def _selection_title(ateliers: list[Atelier]) -> str:
    """« Sélection de 3 ateliers — Session … » when they share a session, for the list and
    the cover."""
    sessions = {a.session_id for a in ateliers}
    titre = ngettext("Sélection de %(n)s atelier", "Sélection de %(n)s ateliers", len(ateliers)) % {
        "n": len(ateliers)
    }
    if len(sessions) == 1 and ateliers[0].session_id:
        titre += " — " + str(ateliers[0].session.titre)
    return titre[:250]


def synthese_retry(*, synthese: Synthese, by: Any) -> None:
    require_perm(by, PERM)
    documents.document_retry(
        genre=documents.SYNTHESE, document=synthese, by=by, action=AuditAction.SYNTHESE_RELANCEE
    )


def _queue(synthese_id: int) -> None:
    # Owed through the outbox, like the reports: a broker down at commit loses no request.
    documents.queue(documents.SYNTHESE, synthese_id)


def ateliers_of(synthese: Synthese):
    if synthese.session_id and not synthese.ateliers.exists():
        return Atelier.objects.filter(session_id=synthese.session_id)
    return Atelier.objects.filter(pk__in=synthese.ateliers.values("pk"))


def _svg_bars(rows: list[tuple[str, int]], *, unit: str = "") -> SafeString:
    """A horizontal bar chart as inline SVG (labels escaped, numbers only otherwise)."""
    width, bar, gap, label_w = 640, 18, 8, 230
    top = max((v for _l, v in rows), default=0) or 1
    height = len(rows) * (bar + gap) + gap
    parts = [
        f'<svg xmlns="http://www.w3.org/2000/svg" width="{width}" height="{height}" '
        f'viewBox="0 0 {width} {height}" role="img">'
    ]
    for i, (label, value) in enumerate(rows):
        y = gap + i * (bar + gap)
        w = (width - label_w - 60) * value / top
        parts.append(
            f'<text x="{label_w - 6}" y="{y + bar - 5}" text-anchor="end" font-size="11">'
            f"{escape(str(label)[:40])}</text>"
            f'<rect x="{label_w}" y="{y}" width="{w:.1f}" height="{bar}" fill="#000091"/>'
            f'<text x="{label_w + w + 4:.1f}" y="{y + bar - 5}" font-size="11">'
            f"{int(value)}{escape(unit)}</text>"
        )
    parts.append("</svg>")
    return mark_safe("".join(parts))  # noqa: S308 — built from escaped labels and numbers


def synthese_html(synthese: Synthese) -> str:
    ateliers = ateliers_of(synthese).order_by("territoire__nom", "pk")
    colonnes = comparer(ateliers)
    for c in colonnes:
        # Only the lessons DGALN validated go into the publication.
        if c.fiche is not None and c.fiche.statut != c.fiche.Statut.VALIDEE:
            c.fiche = None
    points = [
        (
            c.atelier.territoire.nom,
            {
                "type": "Point",
                "coordinates": [c.atelier.territoire.longitude, c.atelier.territoire.latitude],
            },
        )
        for c in colonnes
        if c.atelier.territoire.latitude is not None
    ]
    statuts = Counter(
        Action.objects.filter(axe__feuille__atelier__in=[c.atelier for c in colonnes])
        .values_list("statut_suivi", flat=True)
        .iterator()
    )
    indicateurs: dict[str, dict[str, Any]] = {}
    for c in colonnes:
        for s in c.indicateurs:
            row = indicateurs.setdefault(
                s.indicateur.nom,
                {"indicateur": s.indicateur, "ateliers": set(), "total": 0, "cibles": 0},
            )
            row["ateliers"].add(c.atelier.pk)
            row["total"] += s.derniere_valeur or 0
            row["cibles"] += s.valeur_cible or 0
    return render_to_string(
        "feuilles_de_route/synthese/synthese.html",
        {
            "synthese": synthese,
            "colonnes": colonnes,
            "carte": svg_map(points) if points else "",
            "graphique_statuts": _svg_bars(
                [(label, statuts.get(code, 0)) for code, label in StatutSuivi.choices]
            ),
            "graphique_avancement": _svg_bars(
                [(c.atelier.territoire.nom, c.avancement or 0) for c in colonnes], unit=" %"
            ),
            "indicateurs": sorted(indicateurs.values(), key=lambda r: r["indicateur"].nom),
            "genere_le": timezone.now(),
            "SITE_URL": settings.SITE_URL,
            **identite(),
        },
    )


def synthese_generate(*, synthese_id: int) -> None:
    """Render and store the synthesis PDF (``documents.document_generate``). Idempotent;
    completes a render left by a dead worker, leaves a ready one alone."""
    documents.document_generate(genre=documents.SYNTHESE, document_id=synthese_id)


def synthese_publish(*, synthese: Synthese, by: Any, publier: bool = True) -> None:
    """Show (or withdraw) a ready synthesis on its session's public page."""
    require_perm(by, PERM)
    with transaction.atomic():
        count = Synthese.objects.filter(pk=synthese.pk, statut=Synthese.Statut.PRET).update(
            publie=publier
        )
        if count != 1:
            raise TransitionError(_("Seule une synthèse prête se publie."))
        synthese.publie = publier
        audit(
            by=by,
            obj=synthese,
            action=AuditAction.SYNTHESE_PUBLIEE if publier else AuditAction.SYNTHESE_DEPUBLIEE,
        )
        invalidate_public_cache()
