"""Reads of the funding lines: totals by status for an action, an axis and a roadmap, the
warning when what is acquired or requested exceeds the cost, totals by funder.

A funder is grouped by its kind from the list (« Région », « ADEME »…); an « autre » funder by
its name. Every function here costs one query whatever the number of lines.
"""

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from decimal import Decimal

from django.db.models import Case, CharField, Count, F, QuerySet, Sum, Value, When

from .models import Financement, Financeur, StatutFinancement

ZERO = Decimal(0)
STATUTS = [(code, str(label)) for code, label in StatutFinancement.choices]

# The name a funder is grouped under: its kind, or its own name when « autre ».
GROUPE = Case(
    When(financeur=Financeur.AUTRE, then=F("libelle")),
    default=Value(""),
    output_field=CharField(),
)


def nom_financeur(financeur: str, libelle_autre: str) -> str:
    if financeur == Financeur.AUTRE:
        return libelle_autre or str(Financeur.AUTRE.label)
    return str(Financeur(financeur).label)


def qualifier(texte: str) -> dict[str, str]:
    """A funder typed as text: a name of the list is that funder, any other an « autre »."""
    for code, label in Financeur.choices:
        if code != Financeur.AUTRE and texte == str(label):
            return {"financeur": code, "libelle": ""}
    return {"financeur": Financeur.AUTRE, "libelle": texte}


@dataclass
class Totaux:
    """Amounts by status (codes of :class:`StatutFinancement`) and the cost they fund."""

    par_statut: dict[str, Decimal] = field(default_factory=lambda: dict.fromkeys(
        StatutFinancement.values, ZERO
    ))  # fmt: skip
    cout: Decimal | None = None

    def ajouter(self, statut: str, montant: Decimal) -> None:
        self.par_statut[statut] = self.par_statut.get(statut, ZERO) + montant

    def __iadd__(self, other: "Totaux") -> "Totaux":
        for statut, montant in other.par_statut.items():
            self.ajouter(statut, montant)
        return self

    @property
    def envisage(self) -> Decimal:
        return self.par_statut[StatutFinancement.ENVISAGE]

    @property
    def demande(self) -> Decimal:
        return self.par_statut[StatutFinancement.DEMANDE]

    @property
    def acquis(self) -> Decimal:
        return self.par_statut[StatutFinancement.ACQUIS]

    @property
    def total(self) -> Decimal:
        return sum(self.par_statut.values(), ZERO)

    @property
    def engage(self) -> Decimal:
        """Acquired plus requested: what is counted on."""
        return self.acquis + self.demande

    @property
    def ecart(self) -> Decimal:
        """How much acquired plus requested exceeds the cost (0 when it does not)."""
        return max(self.engage - self.cout, ZERO) if self.cout is not None else ZERO

    @property
    def depasse_cout(self) -> bool:
        return self.cout is not None and self.engage > self.cout

    @property
    def lignes(self) -> list[tuple[str, Decimal]]:
        """(status label, amount) in the order of the list, for a table."""
        return [(label, self.par_statut[code]) for code, label in STATUTS]

    def __bool__(self) -> bool:
        return self.total > 0


def totaux_action(lignes: Iterable[Financement], cout: Decimal | None) -> Totaux:
    """Totals of lines already loaded (a prefetched ``action.financements.all()``)."""
    totaux = Totaux(cout=cout)
    for ligne in lignes:
        totaux.ajouter(ligne.statut, ligne.montant)
    return totaux


def annoter(axes: Iterable) -> Totaux:
    """Set ``totaux`` on each axis and each of its actions from their prefetched funding
    lines (no query) and return the roadmap's totals."""
    par_axe = []
    for axe in axes:
        membres = []
        for action in axe.actions.all():
            # ``selectors.axes_with_actions`` loads the lines as a list; other loaders prefetch.
            lignes = getattr(action, "liste_financements", None)
            if lignes is None:
                lignes = action.financements.all()
            action.totaux = totaux_action(lignes, action.cout_estime)
            if action.totaux:
                membres.append(action.totaux)
        axe.totaux = _somme(membres)
        par_axe.append(axe.totaux)
    return _somme([t for t in par_axe if t])


@dataclass
class TotauxFeuille:
    actions: dict[int, Totaux]
    axes: dict[int, Totaux]
    feuille: Totaux


def totaux_feuille(feuille_id: int) -> TotauxFeuille:
    """Totals by status per action, per axis and for the roadmap (its live draft).

    An axis (or the roadmap) is compared with the summed costs of its funded actions, and
    only when each of them has a cost."""
    rows = list(
        Financement.objects.filter(action__axe__feuille_id=feuille_id)
        .values("action_id", "action__axe_id", "action__cout_estime", "statut")
        .annotate(montant=Sum("montant"))
        .order_by()
    )
    actions: dict[int, Totaux] = {}
    axe_of: dict[int, int] = {}
    for row in rows:
        totaux = actions.setdefault(row["action_id"], Totaux(cout=row["action__cout_estime"]))
        totaux.ajouter(row["statut"], row["montant"])
        axe_of[row["action_id"]] = row["action__axe_id"]
    membres: dict[int | None, list[Totaux]] = defaultdict(list)
    for action_id, totaux in actions.items():
        membres[axe_of[action_id]].append(totaux)
        membres[None].append(totaux)
    groupes = {key: _somme(items) for key, items in membres.items()}
    feuille = groupes.pop(None, Totaux())
    return TotauxFeuille(actions=actions, axes=groupes, feuille=feuille)


def _somme(items: list[Totaux]) -> Totaux:
    somme = Totaux()
    for totaux in items:
        somme += totaux
    if all(t.cout is not None for t in items):
        somme.cout = sum((t.cout for t in items), ZERO)
    return somme


def par_financeur_et_statut(lignes: QuerySet[Financement]) -> list[dict]:
    """One dict per funder: ``financeur`` (its name), each status's amount (by code),
    ``total`` and ``actions`` (how many actions it funds); largest total first. Two queries."""
    groupes: dict[tuple[str, str], dict] = {}
    lignes = lignes.annotate(groupe=GROUPE).order_by()
    for row in lignes.values("financeur", "groupe", "statut").annotate(montant=Sum("montant")):
        key = (row["financeur"], row["groupe"])
        item = groupes.setdefault(key, _vide(nom_financeur(*key)))
        item[row["statut"]] += row["montant"]
        item["total"] += row["montant"]
    for row in lignes.values("financeur", "groupe").annotate(n=Count("action_id", distinct=True)):
        groupes[(row["financeur"], row["groupe"])]["actions"] = row["n"]
    return sorted(groupes.values(), key=lambda i: (-i["total"], i["financeur"]))


def _vide(nom: str) -> dict:
    return {"financeur": nom, "total": ZERO, "actions": 0} | dict.fromkeys(
        StatutFinancement.values, ZERO
    )


def financements_signes(
    contenus: dict[int, dict],
) -> dict[int, tuple[list[tuple[str, Decimal]], list[tuple[str, Decimal]]]]:
    """For frozen versions' content (by roadmap id): the signed funding lines totalled by
    funder and by status, as ``(par_financeur, par_statut)`` lists of (name, amount). One query.

    A signed line is found again among its action's live lines by its funder and amount:
    the live line gives its kind (« État » for « État — DSIL ») and where it stands now; a
    signed line changed or removed since counts as « statut non suivi »."""
    from . import canonical

    restantes: dict[int, list[dict]] = {}
    feuille_of: dict[int, int] = {}
    for feuille_id, contenu in contenus.items():
        for axe in contenu.get("axes", []):
            for action in axe.get("actions", []):
                restantes[action["ref"]] = list(action.get("financements", []))
                feuille_of[action["ref"]] = feuille_id
    par_financeur: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    par_statut: dict[int, dict[str, Decimal]] = defaultdict(lambda: defaultdict(Decimal))
    lignes = Financement.objects.filter(
        action_id__in=list(restantes), action__axe__feuille_id__in=list(contenus)
    ).order_by("action_id", "pk")
    for ligne in lignes:
        signee = {"source": canonical.normalise(ligne.source), "montant": f"{ligne.montant:.2f}"}
        if signee not in restantes[ligne.action_id]:
            continue  # added or changed after adoption: not what was signed
        restantes[ligne.action_id].remove(signee)
        feuille_id = feuille_of[ligne.action_id]
        groupe = ligne.libelle if ligne.financeur == Financeur.AUTRE else ""
        par_financeur[feuille_id][nom_financeur(ligne.financeur, groupe)] += ligne.montant
        par_statut[feuille_id][ligne.statut] += ligne.montant
    for ref, reste in restantes.items():
        for signee in reste:
            montant = Decimal(signee["montant"])
            par_financeur[feuille_of[ref]][signee["source"]] += montant
            par_statut[feuille_of[ref]][""] += montant
    result = {}
    for feuille_id in contenus:
        totaux = par_financeur.get(feuille_id, {})
        statuts = par_statut.get(feuille_id, {})
        result[feuille_id] = (
            sorted(totaux.items(), key=lambda item: (-item[1], item[0])),
            [
                (label, statuts[code])
                for code, label in [*STATUTS, ("", "Statut non suivi")]
                if statuts.get(code)
            ],
        )
    return result
