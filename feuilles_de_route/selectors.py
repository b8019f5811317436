"""Reads of roadmaps, versions, signatures, reports and follow-up."""

import datetime as dt
from dataclasses import dataclass
from functools import lru_cache
from typing import Any

from django.core.files.storage import default_storage
from django.db import connections, router
from django.db.models import Count, Prefetch, QuerySet
from django.utils import timezone
from django.utils.translation import gettext as _

from acteurs.models import Participation, Role
from atelier import signing
from atelier.dates import format_date
from atelier.requetes import Jointure, colonne, jointure, par_lots, precharger

from . import canonical
from .models import (
    Action,
    Axe,
    CarnetDeSuivi,
    Cible,
    Consultation,
    EmpreinteRemplacee,
    FeuilleDeRoute,
    Financement,
    PointSuivi,
    PriseEnCompte,
    Qualite,
    Rapport,
    RegenerationDue,
    SignataireRequis,
    Signature,
    Soutien,
    StatutFinancement,
    StatutSuivi,
    Synthese,
    Version,
)

Instruction = tuple[str, Jointure]


def _instructions_de_la_feuille(
    alias: str,
    *,
    axes: tuple = (),
    actions: tuple[str, ...],
    champs_actions: tuple = (),
    lignes: tuple = (),
) -> tuple[Instruction, Instruction, Instruction]:
    """The axes of a roadmap, its actions (with the foreign keys ``actions``) and their
    funding lines, as statements written from the models' table and column names, each
    selected by the roadmap (one parameter); ``axes``, ``champs_actions`` and ``lignes``: the
    only fields to read (:func:`atelier.requetes.jointure`), all when empty. For
    :func:`axes_with_actions` and :func:`axes_for_follow_up`, which add their own."""
    q = connections[alias].ops.quote_name
    axe, action, ligne = Axe._meta, Action._meta, Financement._meta
    j_axes = jointure(Axe, (), alias, axes)
    j_actions = jointure(Action, actions, alias, champs_actions)
    j_lignes = jointure(Financement, (), alias, lignes)
    return (
        (
            f"SELECT {j_axes.colonnes} FROM {j_axes.tables}"  # noqa: S608
            f" WHERE t0.{colonne(alias, axe, 'feuille')} = %s"
            f" ORDER BY t0.{colonne(alias, axe, 'ordre')}, t0.{q(axe.pk.column)}",
            j_axes,
        ),
        (
            f"SELECT {j_actions.colonnes} FROM {j_actions.tables}"  # noqa: S608
            f" INNER JOIN {q(axe.db_table)} ax"
            f" ON ax.{q(axe.pk.column)} = t0.{colonne(alias, action, 'axe')}"
            f" WHERE ax.{colonne(alias, axe, 'feuille')} = %s"
            f" ORDER BY t0.{colonne(alias, action, 'ordre')}, t0.{q(action.pk.column)}",
            j_actions,
        ),
        (
            f"SELECT {j_lignes.colonnes} FROM {j_lignes.tables}"  # noqa: S608
            f"{_par_la_feuille(alias, 't0', ligne)}"
            f" ORDER BY t0.{colonne(alias, ligne, 'action')}, t0.{q(ligne.pk.column)}",
            j_lignes,
        ),
    )


def _par_la_feuille(alias: str, table: str, meta) -> str:
    """The joins and ``WHERE`` that keep the rows of ``table`` (a model with an ``action``)
    whose action is in the roadmap given as parameter."""
    q = connections[alias].ops.quote_name
    axe, action = Axe._meta, Action._meta
    return (
        f" INNER JOIN {q(action.db_table)} ac"
        f" ON ac.{q(action.pk.column)} = {table}.{colonne(alias, meta, 'action')}"
        f" INNER JOIN {q(axe.db_table)} ax"
        f" ON ax.{q(axe.pk.column)} = ac.{colonne(alias, action, 'axe')}"
        f" WHERE ax.{colonne(alias, axe, 'feuille')} = %s"
    )


def _lire_la_feuille(
    feuille: FeuilleDeRoute,
    instructions: tuple[Instruction, ...],
    alias: str,
    listes: tuple[str, ...] = (),
    nuls: tuple[str, ...] = (),
) -> tuple[list[Axe], dict[int, Action], list[list]]:
    """Run ``instructions`` (those of :func:`_instructions_de_la_feuille`, then any that read
    rows with an ``action``) for ``feuille``: the axes in order, each with its actions in
    order in ``axe.actions.all()`` (as ``prefetch_related`` leaves them); the actions by id,
    each with its funding lines in ``liste_financements``, the attributes ``listes`` (each a
    new empty list) and ``nuls`` (None); the further statements' rows as instances.
    One query when the roadmap has no axis; an action added meanwhile is left out."""
    lus = []
    with connections[alias].cursor() as cursor:
        for sql, j in instructions:
            cursor.execute(sql, [feuille.pk] * sql.count("%s"))
            lus.append(j.instances(cursor.fetchall()))
            if not lus[0]:
                return [], {}, []
    axes, actions, lignes, autres = lus[0], lus[1], lus[2], lus[3:]
    par_axe: dict[int, list[Action]] = {axe.pk: [] for axe in axes}
    par_id = {}
    for action in actions:
        if (liste := par_axe.get(action.axe_id)) is not None:
            action.liste_financements = []
            for nom in listes:
                setattr(action, nom, [])
            for nom in nuls:
                setattr(action, nom, None)
            liste.append(action)
            par_id[action.pk] = action
    for axe in axes:
        precharger(axe, "actions", par_axe[axe.pk])
    for ligne in lignes:
        if action := par_id.get(ligne.action_id):
            action.liste_financements.append(ligne)
    return axes, par_id, autres


@lru_cache(maxsize=4)
def _sql_brouillon(alias: str) -> tuple[Instruction, ...]:
    """The statements of :func:`axes_with_actions`, written once per process: the axes, the
    actions with porteur and site, the funding lines and the partners (with the
    organisation)."""
    Partenaire = Action.partenaires.through
    lien = Partenaire._meta
    organisation = lien.get_field("organisation").related_model._meta
    liens = jointure(Partenaire, ("organisation",), alias)
    return (
        *_instructions_de_la_feuille(alias, actions=("porteur", "site")),
        (
            f"SELECT {liens.colonnes} FROM {liens.tables}"  # noqa: S608
            f"{_par_la_feuille(alias, 't0', lien)}"
            f" ORDER BY t1.{colonne(alias, organisation, 'nom')},"
            f" t0.{colonne(alias, lien, 'organisation')}",
            liens,
        ),
    )


def axes_with_actions(feuille: FeuilleDeRoute) -> list[Axe]:
    """Axes in order with their actions and everything an action shows (the editor, the
    draft's canonical document), in 4 queries.

    ``axe.actions.all()`` gives the axis's actions in order, each with its porteur and site;
    an action's partners (by name) and funding lines (in the order entered) come as lists
    (``liste_partenaires``, ``liste_financements``). The statements are written once per
    process (:func:`_sql_brouillon`): on a roadmap of 200 actions, the ORM's compiling,
    prefetch machinery and related managers were most of the editor's loading time. The
    order is explicit (the draft's fingerprint depends on it)."""
    alias = router.db_for_read(Action)
    axes, par_id, autres = _lire_la_feuille(
        feuille, _sql_brouillon(alias), alias, listes=("liste_partenaires",)
    )
    for axe in axes:
        axe.feuille = feuille  # the confirmations of deletions link to the atelier
    if axes:
        (liens,) = autres
        for lien in liens:
            if action := par_id.get(lien.action_id):
                action.liste_partenaires.append(lien.organisation)
    return axes


@lru_cache(maxsize=4)
def _sql_suivi(alias: str) -> tuple[Instruction, ...]:
    """The statements of :func:`axes_for_follow_up`, written once per process: only the
    columns the page reads, and the latest follow-up point of each action."""
    q = connections[alias].ops.quote_name
    point = PointSuivi._meta
    pk = q(point.pk.column)
    points = jointure(PointSuivi, (), alias, (("", ("action", "date", "commentaire")),))
    # The first point of each action in PointSuivi's ordering (the latest).
    rang = (
        f"ROW_NUMBER() OVER (PARTITION BY p.{colonne(alias, point, 'action')}"
        f" ORDER BY p.{colonne(alias, point, 'date')} DESC,"
        f" p.{colonne(alias, point, 'cree_le')} DESC, p.{pk} DESC)"
    )
    return (
        *_instructions_de_la_feuille(
            alias,
            axes=(("", ("titre",)),),
            actions=("porteur",),
            champs_actions=(
                ("", ("axe", "titre", "porteur", "statut_suivi", "avancement", "cout_estime")),
                ("porteur", ("nom",)),
            ),
            lignes=(("", ("action", "statut", "montant")),),
        ),
        (
            f"SELECT {points.colonnes} FROM {points.tables} WHERE t0.{pk} IN"  # noqa: S608
            f" (SELECT r.{pk} FROM (SELECT p.{pk}, {rang} AS rang FROM {q(point.db_table)} p"
            f"{_par_la_feuille(alias, 'p', point)}) r WHERE r.rang = 1)",
            points,
        ),
    )


def axes_for_follow_up(feuille: FeuilleDeRoute) -> list[Axe]:
    """Axes in order with their actions as the follow-up page shows them, in 4 queries: each
    action's title, porteur (its name), state, progress and cost, its funding lines
    (``liste_financements``: ``statut`` and ``montant``, for ``financements.annoter``) and
    its latest follow-up point, or None, as ``dernier_point`` (its date and comment: the
    page shows no other).

    Only the columns the page reads (the others deferred, as ``only()`` leaves them), and no
    partners (the page does not show them), by statements written once per process
    (:func:`_sql_suivi`), as :func:`axes_with_actions` reads the editor's."""
    alias = router.db_for_read(Action)
    axes, par_id, autres = _lire_la_feuille(
        feuille, _sql_suivi(alias), alias, nuls=("dernier_point",)
    )
    if axes:
        (points,) = autres
        for point in points:
            if action := par_id.get(point.action_id):
                action.dernier_point = point
    return axes


def prepare_editor_rows(axes: list[Axe]) -> None:
    """Set on each action of ``axes`` (from :func:`axes_with_actions`) what its row in the
    editor shows that a template would look up field by field: ``libelle_priorite`` (lower
    case), ``libelle_statut`` of each funding line (lower case) and ``a_details`` (whether it
    has a porteur, partners, a deadline, a cost, funding, a site or indicators to list). A template lookup costs microseconds, and the editor shows
    every action of the draft (200 on a large roadmap)."""
    libelles = {code: str(label).lower() for code, label in Action.Priorite.choices}
    statuts = {code: str(label).lower() for code, label in StatutFinancement.choices}
    for axe in axes:
        for action in axe.actions.all():
            action.libelle_priorite = libelles.get(action.priorite, action.priorite)
            for ligne in action.liste_financements:
                ligne.libelle_statut = statuts.get(ligne.statut, ligne.statut)
            action.a_details = bool(
                action.porteur_id
                or action.liste_partenaires
                or action.echeance
                or action.cout_estime is not None
                or action.liste_financements
                or action.site_id
                or action.indicateurs
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
    synthese = (
        Synthese.objects.filter(empreinte=value, statut=Synthese.Statut.PRET)
        .select_related("session")
        .first()
    )
    if synthese:
        return {"nature": "synthese", "synthese": synthese}
    remplacee = EmpreinteRemplacee.objects.filter(empreinte=value).first()
    if remplacee:
        # A document whose file was rendered again (a person it named closed their account).
        model = {"rapport": Rapport, "synthese": Synthese, "carnet": CarnetDeSuivi}[
            remplacee.nature
        ]
        document = model.objects.filter(pk=remplacee.document_id).first()
        return {"nature": "remplacee", "remplacee": remplacee, "document": document}
    return None


# --- Verification: is what a hash designates genuine? --------------------------------------


@dataclass(frozen=True)
class Controle:
    """One check made by /verifier/: what was checked, whether it holds, and why not."""

    libelle: str
    ok: bool
    detail: str = ""


def _platform_signature_check(*, nature: str, empreinte: str, obj, le, libelle: str) -> Controle:
    raison = signing.verify(
        nature=nature, empreinte=empreinte, cle=obj.sceau_cle, signature=obj.sceau_signature, le=le
    )
    details = {
        "": _("clé %(c)s") % {"c": obj.sceau_cle},
        "absente": _("aucune signature de la plateforme : ce sceau n'a pas été produit par elle"),
        "cle_inconnue": _("signée par une clé que la plateforme ne publie pas (%(c)s)")
        % {"c": obj.sceau_cle or "—"},
        "cle_hors_validite": _("la clé %(c)s n'était pas en service à cette date")
        % {"c": obj.sceau_cle},
        "invalide": _("la signature ne correspond pas au sceau"),
    }
    return Controle(libelle, raison == "", details[raison])


def signature_checks(signature: Signature, version: Version) -> list[Controle]:
    """The checks of one signature. A format-2 seal covers a salted commitment to the
    identity: it recomputes whatever the name shown (a closed account's pseudonym
    included), and while the salt is kept the name shown is checked against it. A format-1
    seal covers the clear name: once the name gave way to a pseudonym it cannot be
    recomputed any more, and what is shown is whether the platform recomputed it just
    before (the audit trail)."""
    from .services import identity_commitment, signature_pseudonymisee_verifiee, signature_sceau

    nom = signature.nom_signataire
    controles = [
        Controle(
            _("La signature de %(n)s porte sur cette version") % {"n": nom},
            signature.empreinte == version.empreinte,
        )
    ]
    if signature.engagement_identite or signature.pseudonymisee_le is None:
        controles.append(
            Controle(
                _("Le sceau de la signature de %(n)s, recalculé, est celui enregistré")
                % {"n": nom},
                signature_sceau(signature) == signature.sceau,
            )
        )
    else:
        controles.append(
            Controle(
                _(
                    "Le sceau de la signature de %(n)s (format 1) a été recalculé par la "
                    "plateforme avant l'effacement du nom"
                )
                % {"n": nom},
                signature_pseudonymisee_verifiee(signature),
                _(
                    "ce sceau couvrait le nom en clair, remplacé par un pseudonyme le %(d)s à "
                    "la clôture du compte : il ne peut plus être recalculé"
                )
                % {"d": format_date(signature.pseudonymisee_le)},
            )
        )
    if signature.engagement_identite and signature.sel_identite:
        controles.append(
            Controle(
                _("Le nom de %(n)s est celui que couvre le sceau") % {"n": nom},
                identity_commitment(nom=nom, sel=signature.sel_identite)
                == signature.engagement_identite,
            )
        )
    elif signature.engagement_identite:
        controles.append(
            Controle(
                _("Identité du signataire couverte par le sceau"),
                True,
                _(
                    "compte clos : le nom est remplacé par un pseudonyme ; le sceau couvre un "
                    "engagement salé sur l'identité, dont le sel a été effacé"
                ),
            )
        )
    controles.append(
        _platform_signature_check(
            nature="signature",
            empreinte=signature.sceau,
            obj=signature,
            le=signature.signee_le,
            libelle=_("Le sceau de la signature de %(n)s est signé par la plateforme") % {"n": nom},
        )
    )
    return controles


def version_checks(version: Version) -> list[Controle]:
    """Content hash recomputed, every signature sealed and signed by the platform, and, for an
    adopted version, every required signatory there with an élu and a State representative."""
    from . import canonical

    controles = [
        Controle(
            _("L'empreinte du contenu enregistré, recalculée, est celle de la version"),
            canonical.empreinte(version.contenu) == version.empreinte,
        )
    ]
    signatures = list(version.signatures.all())
    for signature in signatures:
        controles += signature_checks(signature, version)
    if version.adoptee_le is not None:
        signes = {s.signataire_id for s in signatures}
        qualites = {s.qualite for s in signatures}
        controles.append(
            Controle(
                _("Tous les signataires requis ont signé, dont un élu et l'État"),
                {Qualite.ELU, Qualite.ETAT} <= qualites
                and all(r.utilisateur_id in signes for r in version.signataires_requis.all()),
            )
        )
    return controles


def rapport_checks(rapport: Rapport) -> list[Controle]:
    from . import canonical

    try:
        with default_storage.open(rapport.fichier.name, "rb") as handle:
            stored = canonical.sha256_bytes(handle.read())
    except (OSError, ValueError):
        stored = None
    return [
        Controle(
            _("L'empreinte du fichier PDF enregistré, recalculée, est celle du rapport"),
            stored == rapport.empreinte,
            "" if stored is not None else _("fichier introuvable"),
        ),
        _platform_signature_check(
            nature="rapport",
            empreinte=rapport.empreinte,
            obj=rapport,
            le=rapport.genere_le or rapport.demande_le,
            libelle=_("L'empreinte du rapport est signée par la plateforme"),
        ),
    ]


def synthese_checks(synthese) -> list[Controle]:
    from . import canonical

    try:
        with default_storage.open(synthese.fichier.name, "rb") as handle:
            stored = canonical.sha256_bytes(handle.read())
    except (OSError, ValueError):
        stored = None
    return [
        Controle(
            _("L'empreinte du fichier PDF enregistré, recalculée, est celle de la synthèse"),
            stored == synthese.empreinte,
            "" if stored is not None else _("fichier introuvable"),
        ),
        _platform_signature_check(
            nature="synthese",
            empreinte=synthese.empreinte,
            obj=synthese,
            le=synthese.genere_le or synthese.demande_le,
            libelle=_("L'empreinte de la synthèse est signée par la plateforme"),
        ),
    ]


def remplacee_checks(remplacee: EmpreinteRemplacee) -> list[Controle]:
    """A replaced hash: its file is gone (it named a closed account), what still holds is
    that the platform signed that hash when it made the document."""
    if not remplacee.sceau_signature and remplacee.nature == "carnet":
        return []  # a carnet's hash was never signed
    return [
        _platform_signature_check(
            nature=remplacee.nature,
            empreinte=remplacee.empreinte,
            obj=remplacee,
            le=remplacee.genere_le or remplacee.remplacee_le,
            libelle=_("L'ancienne empreinte est signée par la plateforme"),
        )
    ]


def checks_of(found: dict[str, Any]) -> list[Controle]:
    if found["nature"] == "remplacee":
        return remplacee_checks(found["remplacee"])
    if found["nature"] == "synthese":
        return synthese_checks(found["synthese"])
    if found["nature"] == "rapport":
        controles = rapport_checks(found["rapport"])
        if found.get("version") is not None:
            controles += version_checks(found["version"])
        return controles
    return version_checks(found["version"])


def is_public(found: dict[str, Any]) -> bool:
    """Whether the content a hash designates may be shown: a published report, or an adopted
    version of a published roadmap of a published atelier."""
    if found["nature"] == "rapport":
        return rapports_publics().filter(pk=found["rapport"].pk).exists()
    if found["nature"] == "synthese":
        return found["synthese"].publie
    if found["nature"] == "remplacee":
        document = found["document"]
        if document is None:
            return False
        if isinstance(document, Rapport):
            return rapports_publics().filter(pk=document.pk).exists()
        if isinstance(document, CarnetDeSuivi):
            return document.publie and document.atelier.publie
        return document.publie
    version = found["version"]
    feuille = version.feuille
    return bool(feuille.publiee and feuille.atelier.publie and version.adoptee_le is not None)


def proof(found: dict[str, Any]) -> dict[str, Any]:
    """Everything ``scripts/verifier_sceau.py`` needs to check a public hash offline."""
    from .services import signature_document

    def signature_json(s: Signature) -> dict[str, Any]:
        # A format-1 seal whose name was erased has no document left to recompute.
        illisible = not s.engagement_identite and s.pseudonymisee_le is not None
        return {
            "document": None if illisible else signature_document(s),
            "nom": canonical.normalise(s.nom_signataire),
            "sel": s.sel_identite,
            "signee_le": s.signee_le.astimezone(dt.UTC).isoformat(timespec="seconds"),
            "pseudonymisee": s.pseudonymisee_le is not None,
            "sceau": s.sceau,
            "cle": s.sceau_cle,
            "signature": s.sceau_signature,
        }

    data: dict[str, Any] = {"schema": "atelier-des-territoires/preuve/1", "nature": found["nature"]}
    version = found.get("version")
    if version is not None:
        data["version"] = {
            "numero": version.numero,
            "empreinte": version.empreinte,
            "contenu": version.contenu,
            "signatures": [signature_json(s) for s in version.signatures.all()],
        }
    if found["nature"] == "rapport":
        rapport = found["rapport"]
        data["rapport"] = {
            "empreinte": rapport.empreinte,
            "genere_le": rapport.genere_le.isoformat() if rapport.genere_le else None,
            "cle": rapport.sceau_cle,
            "signature": rapport.sceau_signature,
        }
    if found["nature"] == "synthese":
        synthese = found["synthese"]
        data["synthese"] = {
            "empreinte": synthese.empreinte,
            "genere_le": synthese.genere_le.isoformat() if synthese.genere_le else None,
            "cle": synthese.sceau_cle,
            "signature": synthese.sceau_signature,
        }
    if found["nature"] == "remplacee":
        remplacee = found["remplacee"]
        data["remplacee"] = {
            "remplacee_le": remplacee.remplacee_le.isoformat(),
            "par": remplacee.nouvelle_empreinte,
            "motif": remplacee.motif,
        }
        if remplacee.sceau_signature:
            data[remplacee.nature] = {
                "empreinte": remplacee.empreinte,
                "genere_le": remplacee.genere_le.isoformat() if remplacee.genere_le else None,
                "cle": remplacee.sceau_cle,
                "signature": remplacee.sceau_signature,
            }
    if found["nature"] == "signature":
        data["sceau"] = found["signature"].sceau
    return data


def rapports_publics() -> QuerySet[Rapport]:
    """Reports anyone may download: generated, published, and of a published atelier.

    Unpublishing the atelier withdraws its report from the public too, even though the
    report itself stays marked published (participants still get it from the workspace).
    """
    return Rapport.objects.filter(
        publie=True, statut=Rapport.Statut.PRET, atelier__publie=True
    ).select_related("atelier__territoire")


def rapport_of(atelier) -> Rapport | None:
    """The atelier's latest report, without its version (the editor reads ``version_id``
    only; a joined version brought its whole content, decoded from JSON)."""
    return Rapport.objects.filter(atelier=atelier).order_by("-demande_le", "-id").first()


def avancement(atelier, *, feuille: FeuilleDeRoute | None = None) -> dict[str, Any]:
    """How much of the adopted roadmap is done, for the atelier page and the DGALN view.

    ``{"adoptee": bool, "total": n, "par_etat": [(code, label, n)], "realisees": n,
    "pourcentage": 0-100, "ponderee": bool (the roll-up rule of indicateurs.progression)}``.
    ``feuille``: the atelier's roadmap, when the caller has just loaded it.
    """
    if feuille is None:
        feuille = (
            FeuilleDeRoute.objects.filter(atelier=atelier).only("id", "version_adoptee").first()
        )
    if feuille is None or feuille.version_adoptee_id is None:
        return {"adoptee": False, "total": 0, "par_etat": [], "realisees": 0, "pourcentage": 0}
    rows = Action.objects.filter(axe__feuille=feuille).values_list(
        "statut_suivi", "avancement", "cout_estime"
    )
    return _summarise(list(rows))


def _summarise(rows: list[tuple[str, int | None, Any]]) -> dict[str, Any]:
    from .indicateurs import progression

    counts = dict.fromkeys(StatutSuivi.values, 0)
    for statut, _pct, _cout in rows:
        counts[statut] = counts.get(statut, 0) + 1
    rolled = progression(rows)
    return {
        "adoptee": True,
        "total": len(rows),
        "par_etat": [(c, str(label), counts[c]) for c, label in StatutSuivi.choices],
        "realisees": counts[StatutSuivi.REALISEE],
        "pourcentage": rolled.pourcentage,
        "ponderee": rolled.ponderee,
    }


def feuilles_adoptees() -> QuerySet[FeuilleDeRoute]:
    """Every adopted roadmap, for the national follow-up (:func:`avancement_national`)."""
    return (
        FeuilleDeRoute.objects.filter(version_adoptee__isnull=False)
        .select_related("atelier__territoire", "version_adoptee")
        .order_by("atelier__titre")
    )


def avancement_national(feuilles=None) -> list[dict[str, Any]]:
    """Progress of the given adopted roadmaps (all by default), for DGALN: two queries
    whatever the count."""
    feuilles = list(feuilles_adoptees() if feuilles is None else feuilles)
    rows: dict[int, list] = {f.pk: [] for f in feuilles}
    for feuille_id, statut, pct, cout in Action.objects.filter(
        axe__feuille__in=feuilles
    ).values_list("axe__feuille_id", "statut_suivi", "avancement", "cout_estime"):
        rows[feuille_id].append((statut, pct, cout))
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


def rapports_prets_pour(user, *, today) -> list:
    """Reports and carnets ready in the last 30 days, for the pilotes of their atelier."""
    if not getattr(user, "is_authenticated", False):
        return []
    depuis = today - dt.timedelta(days=30)
    ateliers = Participation.objects.filter(acteur__utilisateur=user, role=Role.PILOTE).values(
        "atelier_id"
    )
    prets = []
    for model in (Rapport, CarnetDeSuivi):
        prets += list(
            model.objects.filter(
                atelier_id__in=ateliers, statut=Rapport.Statut.PRET, genere_le__date__gte=depuis
            ).select_related("atelier")
        )
    for document in prets:
        document.est_carnet = isinstance(document, CarnetDeSuivi)
    return sorted(prets, key=lambda d: d.genere_le, reverse=True)


def contribution_espace(*, user, today) -> dict[str, Any]:
    """For « Mon espace »: the versions I am asked to sign, the concertations open to me,
    the documents ready."""
    return {
        "signatures": list(signatures_attendues(user)),
        "consultations": list(consultations_ouvertes_pour(user)),
        "rapports": rapports_prets_pour(user, today=today),
    }


def regenerations_a_surveiller() -> list[dict[str, Any]]:
    """The re-renders owed after an account closure that failed (at least once): while one
    is owed, the stored PDF may still name the person. Failed for good first, then by age.
    Each: ``document`` (its title), ``lien`` (where to see it), ``regeneration``."""
    from django.urls import reverse

    dues = list(RegenerationDue.objects.exclude(erreur="").order_by("statut", "demandee_le")[:50])
    models_ = {"rapport": Rapport, "carnet": CarnetDeSuivi, "synthese": Synthese}
    documents: dict[tuple[str, int], Any] = {}
    for nature, model in models_.items():
        ids = [d.document_id for d in dues if d.nature == nature]
        if ids:
            related = ("atelier",) if nature != "synthese" else ()
            for document in model.objects.filter(pk__in=ids).select_related(*related):
                documents[nature, document.pk] = document
    lignes = []
    for due in dues:
        document = documents.get((due.nature, due.document_id))
        if document is None:
            continue
        if due.nature == "synthese":
            lien = reverse("capitalisation:syntheses")
        else:
            lien = reverse("feuilles_de_route:feuille", kwargs={"pk": document.atelier_id})
        lignes.append({"document": str(document), "lien": lien, "regeneration": due})
    return lignes


def contribution_gestion() -> dict[str, Any]:
    """For the DGALN dashboard: the re-renders after an account closure that failed."""
    return {"regenerations": regenerations_a_surveiller()}


def contribution_apercu_atelier(*, atelier, user) -> dict[str, Any]:
    """For the atelier overview: how far the adopted roadmap has gone."""
    return {"avancement_feuille": avancement(atelier)}


def uses_mfa(user: Any) -> bool:
    """Whether ``user`` signs with a TOTP code rather than their password."""
    from allauth.mfa.models import Authenticator

    return Authenticator.objects.filter(user=user, type=Authenticator.Type.TOTP).exists()


def integrity_check() -> dict[str, Any]:
    """Recompute every hash the platform vouches for (after a restore, or at any time).

    - each roadmap version: the SHA-256 of its canonical content;
    - each signature: its seal, and the version hash it signed;
    - each ready report: the SHA-256 of its stored PDF;
    - each uploaded file that records a SHA-256 (call documents, attachments, documents).

    Returns the counts checked and a list of French descriptions of what does not verify.
    """
    from django.apps import apps
    from django.core.files.storage import default_storage

    from .services import signature_sceau

    failures: list[str] = []
    counts = {"versions": 0, "signatures": 0, "rapports": 0, "fichiers": 0}

    def stored_sha256(name: str) -> str | None:
        try:
            with default_storage.open(name, "rb") as handle:
                return canonical.sha256_bytes(handle.read())
        except OSError:
            return None

    for version in par_lots(Version.objects.only("pk", "contenu", "empreinte")):
        counts["versions"] += 1
        if canonical.empreinte(version.contenu) != version.empreinte:
            failures.append(f"version {version.pk} : contenu altéré")
    for signature in par_lots(Signature.objects.select_related("version")):
        counts["signatures"] += 1
        # A format-1 seal whose name was erased has nothing left to recompute (it was
        # recomputed at the closure of the account, see signature_checks).
        recomputable = signature.engagement_identite or signature.pseudonymisee_le is None
        if recomputable and signature_sceau(signature) != signature.sceau:
            failures.append(f"signature {signature.pk} : sceau invalide")
        if signature.empreinte != signature.version.empreinte:
            failures.append(f"signature {signature.pk} : porte sur une autre empreinte")
    for rapport in par_lots(Rapport.objects.filter(statut=Rapport.Statut.PRET)):
        counts["rapports"] += 1
        if stored_sha256(rapport.fichier.name) != rapport.empreinte:
            failures.append(f"rapport {rapport.pk} : PDF absent ou altéré ({rapport.fichier.name})")
    for model in apps.get_models():
        names = {field.name for field in model._meta.get_fields()}
        if not {"fichier", "sha256"} <= names:
            continue
        for row in par_lots(model.objects.only("pk", "fichier", "sha256")):
            counts["fichiers"] += 1
            if stored_sha256(row.fichier.name) != row.sha256:
                failures.append(
                    f"{model._meta.verbose_name} {row.pk} : fichier absent ou altéré "
                    f"({row.fichier.name})"
                )
    return {"counts": counts, "failures": failures}


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
                # Keep it: with the name, it proves that the sealed commitment is you.
                "sel de l'engagement sur l'identité": s.sel_identite,
                "nom couvert par l'engagement": s.nom_signataire if s.sel_identite else "",
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


def rapport_queue_message(rapport: Rapport) -> str:
    """What became of a report just requested or relaunched, as the person should hear it."""
    from outbox.services import is_waiting

    from .tasks import generate_rapport

    rapport.refresh_from_db()
    if rapport.statut == Rapport.Statut.PRET:
        return _("Le rapport de restitution est prêt.")
    if rapport.statut == Rapport.Statut.ECHEC:
        return _("La génération du rapport a échoué : vous pouvez la relancer.")
    if rapport.statut == Rapport.Statut.EN_COURS:
        return _("Le rapport de restitution est en cours de génération.")
    if is_waiting(generate_rapport, rapport.pk):
        return _(
            "Votre demande est enregistrée, mais le service de génération est momentanément "
            "injoignable : le rapport sera produit dès son retour, sans autre démarche."
        )
    return _("La génération du rapport de restitution est lancée ; cette page se met à jour seule.")


# --- Concertation ----------------------------------------------------------------------------


def version_shown_to_all(version: Version) -> bool:
    """A version every participant reads: put to concertation, to signature, or adopted
    (the others are working drafts, see ``feuilles_de_route.view_brouillon``)."""
    if version.statut in (Version.Statut.EN_SIGNATURE, Version.Statut.ADOPTEE):
        return True
    if version.adoptee_le is not None:
        return True
    return Consultation.objects.filter(version=version).exists()


def version_element(version: Version, *, cible: str, ref: int) -> dict[str, Any]:
    """The axis or action ``ref`` of a version's content: {titre, axe_ref}. A ref the version
    does not hold is refused with a message (a 400, not a 500)."""
    from atelier.workflow import TransitionError

    for axe in version.contenu.get("axes", []):
        if cible == Cible.AXE and axe["ref"] == ref:
            return {"titre": axe["titre"], "axe_ref": axe["ref"]}
        for action in axe.get("actions", []):
            if cible == Cible.ACTION and action["ref"] == ref:
                return {"titre": action["titre"], "axe_ref": axe["ref"]}
    raise TransitionError(_("Cet élément ne fait pas partie de la version en concertation."))


def consultation_of(version: Version) -> Consultation | None:
    return Consultation.objects.filter(version=version).first()


def consultation_summary(consultation: Consultation) -> dict[str, Any]:
    """Counts by axis and by kind of actor, and every answer (kept at closing).

    ``{"axes": [{"ref", "titre", "commentaires", "soutiens"}], "roles": [{"role", "libelle",
    "commentaires", "soutiens"}], "prises_en_compte": {code: n}, "reponses": [{"cible_titre",
    "role", "texte", "prise_en_compte", "reponse"}], "commentaires": n, "soutiens": n}``.
    Hidden comments are counted apart and never quoted.
    """
    commentaires = list(consultation.commentaires.order_by("cree_le", "id"))
    soutiens = list(consultation.soutiens.values_list("axe_ref", "role"))
    visibles = [c for c in commentaires if not c.masque]
    axes = []
    for axe in consultation.version.contenu.get("axes", []):
        axes.append(
            {
                "ref": axe["ref"],
                "titre": axe["titre"],
                "commentaires": sum(1 for c in visibles if c.axe_ref == axe["ref"]),
                "soutiens": sum(1 for a, _r in soutiens if a == axe["ref"]),
            }
        )
    roles = []
    for role in consultation.roles:
        roles.append(
            {
                "role": role,
                "libelle": str(Role(role).label),
                "commentaires": sum(1 for c in visibles if c.role == role),
                "soutiens": sum(1 for _a, r in soutiens if r == role),
            }
        )
    return {
        "axes": axes,
        "roles": roles,
        "commentaires": len(visibles),
        "masques": len(commentaires) - len(visibles),
        "soutiens": len(soutiens),
        "prises_en_compte": {
            code: sum(1 for c in visibles if c.prise_en_compte == code)
            for code in PriseEnCompte.values
        },
        "reponses": [
            {
                "cible_titre": c.cible_titre,
                "role": str(Role(c.role).label) if c.role in Role.values else c.role,
                "texte": c.texte,
                "prise_en_compte": str(PriseEnCompte(c.prise_en_compte).label)
                if c.prise_en_compte
                else "",
                "reponse": c.reponse,
            }
            for c in visibles
        ],
    }


def consultation_page(consultation: Consultation, user) -> list[dict[str, Any]]:
    """The version's axes and actions, each with its comments and supports as ``user`` may
    see them: a hidden comment shows its text only to its author and the pilote (with the
    reason); an inhabitant's name is shown only to those who may see inhabitants."""
    atelier = consultation.version.feuille.atelier
    moderateur = user.has_perm("feuilles_de_route.manage_consultation", atelier)
    voit_habitants = user.has_perm("acteurs.view_habitants", atelier)
    commentaires: dict[tuple[str, int], list] = {}
    for c in consultation.commentaires.select_related("auteur").order_by("cree_le", "id"):
        c.texte_visible = (not c.masque) or moderateur or c.auteur_id == user.pk
        if c.role == Role.HABITANT and not voit_habitants and c.auteur_id != user.pk:
            c.auteur_affiche = _("Un·e habitant·e")
        else:
            c.auteur_affiche = c.auteur.get_full_name() or str(c.auteur)
        c.role_libelle = str(Role(c.role).label) if c.role in Role.values else c.role
        commentaires.setdefault((c.cible, c.ref), []).append(c)
    counts: dict[tuple[str, int], int] = {}
    mine: set[tuple[str, int]] = set()
    for cible, ref, auteur in Soutien.objects.filter(consultation=consultation).values_list(
        "cible", "ref", "auteur_id"
    ):
        counts[(cible, ref)] = counts.get((cible, ref), 0) + 1
        if auteur == user.pk:
            mine.add((cible, ref))

    def element(cible: str, item: dict[str, Any]) -> dict[str, Any]:
        key = (cible, item["ref"])
        return {
            "cible": cible,
            "ref": item["ref"],
            "titre": item["titre"],
            "description": item.get("description", ""),
            "commentaires": commentaires.get(key, []),
            "soutiens": counts.get(key, 0),
            "soutenu": key in mine,
        }

    return [
        {**element(Cible.AXE, axe), "actions": [element(Cible.ACTION, a) for a in axe["actions"]]}
        for axe in consultation.version.contenu.get("axes", [])
    ]


def consultations_ouvertes_pour(user) -> QuerySet[Consultation]:
    """Open consultations whose invited roles include one of the user's roles there."""
    if not getattr(user, "is_authenticated", False):
        return Consultation.objects.none()
    found = []
    rows = Participation.objects.filter(acteur__utilisateur=user).values_list("atelier_id", "role")
    roles_by_atelier: dict[int, set[str]] = {}
    for atelier_id, role in rows:
        roles_by_atelier.setdefault(atelier_id, set()).add(role)
    candidates = Consultation.objects.filter(
        statut=Consultation.Statut.OUVERTE,
        cloture_prevue__gt=timezone.now(),
        version__feuille__atelier_id__in=list(roles_by_atelier),
    ).select_related("version__feuille__atelier")
    for c in candidates:
        if set(c.roles) & roles_by_atelier[c.version.feuille.atelier_id]:
            found.append(c.pk)
    return candidates.filter(pk__in=found).order_by("cloture_prevue")
