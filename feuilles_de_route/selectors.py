"""Reads of roadmaps, versions, signatures, reports and follow-up."""

from typing import Any

from django.db.models import Count, Prefetch, QuerySet

from acteurs.models import Participation, Role

from .models import (
    Action,
    Axe,
    FeuilleDeRoute,
    PointSuivi,
    Rapport,
    SignataireRequis,
    Signature,
    StatutSuivi,
    Version,
)


def feuille_of(atelier) -> FeuilleDeRoute | None:
    return FeuilleDeRoute.objects.filter(atelier=atelier).select_related("version_adoptee").first()


def axes_with_actions(feuille: FeuilleDeRoute) -> QuerySet[Axe]:
    """Axes in order with their actions and everything an action shows, in 5 queries."""
    actions = (
        Action.objects.select_related("porteur", "site")
        .prefetch_related("partenaires", "financements")
        .order_by("ordre", "id")
    )
    return (
        Axe.objects.filter(feuille=feuille)
        .order_by("ordre", "id")
        .prefetch_related(Prefetch("actions", queryset=actions))
    )


def versions_of(feuille: FeuilleDeRoute) -> QuerySet[Version]:
    return (
        Version.objects.filter(feuille=feuille)
        .select_related("creee_par")
        .annotate(
            nb_signatures=Count("signatures", distinct=True),
            nb_requis=Count("signataires_requis", distinct=True),
        )
        .order_by("-numero")
    )


def version_with_signatures(version_id: int) -> Version:
    return (
        Version.objects.select_related("feuille__atelier__territoire")
        .prefetch_related(
            Prefetch("signatures", queryset=Signature.objects.select_related("signataire")),
            "signataires_requis__utilisateur",
        )
        .get(pk=version_id)
    )


def signatory_candidates(atelier) -> dict[str, QuerySet[Participation]]:
    """Who may be named signatory (the querysets of ``feuilles_de_route.sign_elu`` and
    ``sign_etat``): élus whose mandate the pilote vouched for, and vetted State agents
    (not revoked, service active) taking part as pilote or observateur."""
    base = Participation.objects.filter(
        atelier=atelier, acteur__utilisateur__isnull=False
    ).select_related("acteur__utilisateur", "acteur__organisation")
    return {
        "elu": base.filter(role=Role.ELU).exclude(mandat="").exclude(atteste_par_nom=""),
        "etat": base.filter(
            role__in=[Role.PILOTE, Role.OBSERVATEUR],
            acteur__utilisateur__agent_etat__revoque_le__isnull=True,
            acteur__utilisateur__agent_etat__service__actif=True,
        ),
    }


def pending_signature_for(user, version: Version):
    """The SignataireRequis row of ``user`` on ``version`` if they still have to sign."""
    if not getattr(user, "is_authenticated", False):
        return None
    requis = version.signataires_requis.filter(utilisateur=user).first()
    if requis is None or version.signatures.filter(signataire=user).exists():
        return None
    return requis


def verify_hash(value: str) -> dict[str, Any] | None:
    """What a SHA-256 designates: a version, one signature, or a report PDF; None if unknown."""
    value = (value or "").strip().lower()
    if len(value) != 64 or any(c not in "0123456789abcdef" for c in value):
        return None
    version = (
        Version.objects.filter(empreinte=value)
        .exclude(statut=Version.Statut.FIGEE)
        .select_related("feuille__atelier__territoire")
        .first()
    )
    if version:
        return {"nature": "version", "version": version_with_signatures(version.pk)}
    signature = Signature.objects.filter(sceau=value).select_related("version").first()
    if signature:
        return {
            "nature": "signature",
            "signature": signature,
            "version": version_with_signatures(signature.version_id),
        }
    rapport = (
        Rapport.objects.filter(empreinte=value, statut=Rapport.Statut.PRET)
        .select_related("atelier__territoire", "version")
        .first()
    )
    if rapport:
        version = version_with_signatures(rapport.version_id) if rapport.version_id else None
        return {"nature": "rapport", "rapport": rapport, "version": version}
    return None


def rapports_publics() -> QuerySet[Rapport]:
    """Reports anyone may download: generated, published, and of a published atelier.

    Unpublishing the atelier withdraws its report from the public too, even though the
    report itself stays marked published (participants still get it from the workspace).
    """
    return Rapport.objects.filter(
        publie=True, statut=Rapport.Statut.PRET, atelier__publie=True
    ).select_related("atelier__territoire")


def rapport_of(atelier) -> Rapport | None:
    return (
        Rapport.objects.filter(atelier=atelier)
        .select_related("version")
        .order_by("-demande_le", "-id")
        .first()
    )


def avancement(atelier) -> dict[str, Any]:
    """How much of the adopted roadmap is done, for the atelier page and the DGALN view.

    ``{"adoptee": bool, "total": n, "par_etat": [(code, label, n)], "realisees": n,
    "pourcentage": 0-100 (mean progress, a réalisée action counting 100)}``.
    """
    feuille = FeuilleDeRoute.objects.filter(atelier=atelier).only("id", "version_adoptee").first()
    if feuille is None or feuille.version_adoptee_id is None:
        return {"adoptee": False, "total": 0, "par_etat": [], "realisees": 0, "pourcentage": 0}
    rows = Action.objects.filter(axe__feuille=feuille).values_list("statut_suivi", "avancement")
    return _summarise(list(rows))


def _summarise(rows: list[tuple[str, int | None]]) -> dict[str, Any]:
    counts = dict.fromkeys(StatutSuivi.values, 0)
    progress = 0
    counted = 0
    for statut, pct in rows:
        counts[statut] = counts.get(statut, 0) + 1
        if statut == StatutSuivi.ABANDONNEE:
            continue
        counted += 1
        progress += 100 if statut == StatutSuivi.REALISEE else (pct or 0)
    return {
        "adoptee": True,
        "total": len(rows),
        "par_etat": [(c, str(label), counts[c]) for c, label in StatutSuivi.choices],
        "realisees": counts[StatutSuivi.REALISEE],
        "pourcentage": round(progress / counted) if counted else 0,
    }


def avancement_national() -> list[dict[str, Any]]:
    """Progress of every adopted roadmap, for DGALN (two queries whatever the count)."""
    feuilles = list(
        FeuilleDeRoute.objects.filter(version_adoptee__isnull=False)
        .select_related("atelier__territoire", "version_adoptee")
        .order_by("atelier__titre")
    )
    rows: dict[int, list] = {f.pk: [] for f in feuilles}
    for feuille_id, statut, pct in Action.objects.filter(axe__feuille__in=feuilles).values_list(
        "axe__feuille_id", "statut_suivi", "avancement"
    ):
        rows[feuille_id].append((statut, pct))
    return [{"feuille": f, **_summarise(rows[f.pk])} for f in feuilles]


def points_of(action: Action) -> QuerySet[PointSuivi]:
    return action.points_suivi.select_related("auteur").order_by("-date", "-cree_le")


def signatures_attendues(user) -> QuerySet:
    """The versions ``user`` is asked to sign and has not signed yet (for « Mon espace »)."""
    if not getattr(user, "is_authenticated", False):
        return SignataireRequis.objects.none()
    return (
        SignataireRequis.objects.filter(
            utilisateur=user, version__statut=Version.Statut.EN_SIGNATURE
        )
        .exclude(version__signatures__signataire=user)
        .select_related("version__feuille__atelier__territoire")
        .order_by("demande_le")
    )


def contribution_espace(*, user, today) -> dict[str, Any]:
    """For « Mon espace »: the versions I am asked to sign."""
    return {"signatures": list(signatures_attendues(user))}


def contribution_apercu_atelier(*, atelier, user) -> dict[str, Any]:
    """For the atelier overview: how far the adopted roadmap has gone."""
    return {"avancement_feuille": avancement(atelier)}


def contribution_donnees_personnelles(*, user) -> dict[str, Any]:
    """For the personal data export: my signatures, and the versions I am asked to sign."""
    from django.utils import timezone

    return {
        "Signatures de feuilles de route": [
            {
                "atelier": s.version.feuille.atelier.titre,
                "version": s.version.numero,
                "qualité": s.get_qualite_display(),
                "en qualité de": s.capacite,
                "attestation": s.attestation,
                "signée le": timezone.localtime(s.signee_le).isoformat(timespec="seconds"),
                "sceau": s.sceau,
            }
            for s in Signature.objects.filter(signataire=user).select_related(
                "version__feuille__atelier"
            )
        ],
        "Signatures demandées": [
            {
                "atelier": r.version.feuille.atelier.titre,
                "version": r.version.numero,
                "qualité": r.get_qualite_display(),
            }
            for r in SignataireRequis.objects.filter(utilisateur=user).select_related(
                "version__feuille__atelier"
            )
        ],
    }
