"""Query helpers shared by the apps' selectors."""

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from functools import cache, lru_cache
from typing import Any

from django.db import connections
from django.db.models import IntegerField, Model, QuerySet, signals
from django.db.models.base import ModelState
from django.db.models.expressions import RawSQL
from django.db.models.fields.related_descriptors import ForeignKeyDeferredAttribute
from django.db.models.query_utils import DeferredAttribute

# What a primary key (a 64-bit integer) can hold.
ID_MIN, ID_MAX = -(2**63), 2**63 - 1


@lru_cache(maxsize=64)
def _sql_compte(
    modele: type[Model], champ: str, alias: str, egaux: tuple[str, ...], differents: tuple[str, ...]
) -> str:
    q = connections[alias].ops.quote_name
    meta = modele._meta
    cle = meta.get_field(champ)
    cible = cle.related_model._meta
    conditions = [
        f"x.{q(cle.column)} = {q(cible.db_table)}.{q(cle.target_field.column)}",
        *(f"x.{colonne(alias, meta, nom)} = %s" for nom in egaux),
        *(f"x.{colonne(alias, meta, nom)} <> %s" for nom in differents),
    ]
    # Only table and column names from the models go into the text; values are parameters.
    return f"SELECT COUNT(*) FROM {q(meta.db_table)} x WHERE " + " AND ".join(conditions)  # noqa: S608


def compte(
    modele: type[Model],
    champ: str,
    *,
    alias: str = "default",
    egaux: dict[str, Any] | None = None,
    differents: dict[str, Any] | None = None,
) -> RawSQL:
    """The number of rows of ``modele`` whose foreign key ``champ`` points to the outer row,
    those whose fields equal ``egaux`` and differ from ``differents``, as a correlated
    subquery for ``annotate()`` (0 when none). Counting several relations through joins at
    once multiplies the rows; a subquery per count does not. Its text is written once per
    process: a ``Subquery`` of a queryset was built and compiled again on every request.

    The outer row is named by its table (the base table of a top-level query always is): the
    annotated queryset is not meant to be nested in another query."""
    egaux, differents = egaux or {}, differents or {}
    sql = _sql_compte(modele, champ, alias, tuple(egaux), tuple(differents))
    valeurs = [getattr(v, "value", v) for v in (*egaux.values(), *differents.values())]
    return RawSQL(sql, valeurs, output_field=IntegerField())  # noqa: S611 — see _sql_compte


@dataclass(frozen=True)
class Jointure:
    """A model with some of its foreign keys, as ``select_related`` joins them, written as SQL
    once per process (:func:`jointure`): the ORM builds and compiles such a statement anew on
    each call, which was most of the time of the one-row reads every page makes.

    ``colonnes`` and ``tables`` go after ``SELECT`` and ``FROM``; the root table is ``t0``.
    :meth:`instance` makes the model instance from the first ``len(self)`` values of a row,
    with its related instances attached (None where the foreign key is empty), each value
    converted as the ORM converts it (``from_db_value``, the backend's converters)."""

    colonnes: str
    tables: str
    alias: str
    noeuds: tuple  # (model, field names, pk position, converters, parent index, field)

    def __len__(self) -> int:
        return sum(len(noeud[1]) for noeud in self.noeuds)

    def instance(self, ligne: Sequence[Any]) -> Model:
        return self.instances([ligne])[0]

    def instances(self, lignes: Sequence[Sequence[Any]]) -> list[Model]:
        """:meth:`instance` of each row: one model instance per row with its related ones."""
        connexion = connections[self.alias]
        # Per node, how to make an instance: as ``from_db`` does, or directly (see _directe).
        fabriques = [
            _directe if _se_construit_directement(noeud[0]) else None for noeud in self.noeuds
        ]
        resultat = []
        for ligne in lignes:
            instances: list[Model | None] = []
            debut = 0
            for (model, noms, rang_pk, convertisseurs, parent, champ), fabrique in zip(
                self.noeuds, fabriques, strict=True
            ):
                valeurs = list(ligne[debut : debut + len(noms)])
                debut += len(noms)
                for i, expression, convertir in convertisseurs:
                    valeurs[i] = convertir(valeurs[i], expression, connexion)
                parent_instance = instances[parent] if parent is not None else None
                if parent is not None and parent_instance is None:
                    instances.append(None)  # the parent itself is empty
                    continue
                if valeurs[rang_pk] is None:
                    objet = None
                elif fabrique is None:
                    objet = model.from_db(self.alias, noms, valeurs)
                else:
                    objet = fabrique(model, self.alias, noms, valeurs)
                instances.append(objet)
                if parent_instance is not None:
                    # As select_related leaves it: the related instance in the field's cache
                    # (and, through a one-to-one, the way back).
                    champ.set_cached_value(parent_instance, objet)
                    if champ.unique and objet is not None:
                        champ.remote_field.set_cached_value(objet, parent_instance)
            resultat.append(instances[0])
        return resultat


def _se_construit_directement(model: type[Model]) -> bool:
    """Whether an instance of ``model`` read from the database can be made without
    ``Model.__init__`` (:func:`_directe`) and be the same: the model's ``__init__`` and
    ``from_db`` are Django's, nothing listens to its ``pre_init`` or ``post_init`` (asked at
    each read: a receiver may be connected at any time), and each concrete field's attribute
    is Django's plain one (no descriptor that converts what is set, as a file's does)."""
    if model.__init__ is not Model.__init__ or model.from_db.__func__ is not Model.from_db.__func__:
        return False
    if signals.pre_init.has_listeners(model) or signals.post_init.has_listeners(model):
        return False
    return _attributs_simples(model)


@cache
def _attributs_simples(model: type[Model]) -> bool:
    return all(
        type(getattr(model, f.attname, None)) in (DeferredAttribute, ForeignKeyDeferredAttribute)
        for f in model._meta.concrete_fields
    )


def _directe(model: type[Model], alias: str, noms: list[str], valeurs: list[Any]) -> Model:
    """The instance ``model.from_db(alias, noms, valeurs)`` makes, without going through
    ``Model.__init__`` (a quarter of the time it took, on the two hundred actions of a roadmap):
    its values in its ``__dict__`` (a field not read stays deferred), its state read from
    ``alias``. Only for a model :func:`_se_construit_directement` accepts."""
    objet = model.__new__(model)
    etat = ModelState()
    etat.adding, etat.db = False, alias
    objet._state = etat
    objet.__dict__.update(zip(noms, valeurs, strict=True))
    return objet


def colonne(alias: str, meta: Any, nom: str) -> str:
    """The quoted column of the field ``nom`` of a model (its ``_meta``), for a statement
    written from the models' table and column names."""
    return connections[alias].ops.quote_name(meta.get_field(nom).column)


@lru_cache(maxsize=32)
def jointure(
    model: type[Model],
    chemins: tuple[str, ...],
    alias: str,
    seulement: tuple[tuple[str, tuple[str, ...]], ...] = (),
) -> Jointure:
    """The :class:`Jointure` of ``model`` and the foreign keys ``chemins`` (``select_related``
    paths: ``"territoire"``, ``"territoire__region"``; a path's prefix comes before it).

    ``seulement``: for some paths (``""`` is the model itself), the only fields to read, as
    ``only()`` reads them (the primary key always; the others deferred)."""
    lus = dict(seulement)
    connexion = connections[alias]
    q = connexion.ops.quote_name
    noeuds = []
    par_chemin: dict[str, int] = {}
    colonnes, tables = [], [f"{q(model._meta.db_table)} t0"]
    for chemin in ("", *chemins):
        if chemin:
            tete, _, nom = chemin.rpartition("__")
            parent = par_chemin[tete]
            champ = noeuds[parent][0]._meta.get_field(nom)
            courant = champ.related_model
            table = f"t{len(noeuds)}"
            cible = courant._meta.get_field(champ.target_field.name)
            # Only the models' table and column names go into the text.
            tables.append(
                f"LEFT OUTER JOIN {q(courant._meta.db_table)} {table}"
                f" ON {table}.{q(cible.column)} = t{parent}.{q(champ.column)}"
            )
        else:
            parent, champ, courant, table = None, None, model, "t0"
        par_chemin[chemin] = len(noeuds)
        champs = courant._meta.concrete_fields
        if chemin in lus:
            noms_lus = {courant._meta.get_field(nom).attname for nom in lus[chemin]}
            champs = [f for f in champs if f.primary_key or f.attname in noms_lus]
        colonnes.extend(f"{table}.{q(f.column)}" for f in champs)
        convertisseurs = tuple(
            (i, f.get_col(table), convertir)
            for i, f in enumerate(champs)
            for convertir in connexion.ops.get_db_converters(f.get_col(table))
            + f.get_db_converters(connexion)
        )
        noms = [f.attname for f in champs]
        rang_pk = noms.index(courant._meta.pk.attname)
        noeuds.append((courant, noms, rang_pk, convertisseurs, parent, champ))
    return Jointure(", ".join(colonnes), " ".join(tables), alias, tuple(noeuds))


def precharger(instance: Model, relation: str, objets: list[Model]) -> None:
    """Make ``instance.<relation>.all()`` (a reverse foreign key) return ``objets`` with no
    query, as ``prefetch_related`` leaves it, each of them pointing back to ``instance``: for
    rows read by a statement of :func:`jointure`."""
    gestionnaire = getattr(instance, relation)
    champ = gestionnaire.field
    for objet in objets:
        champ.set_cached_value(objet, instance)
    qs = gestionnaire.get_queryset()
    qs._result_cache, qs._prefetch_done = objets, True
    cache = instance.__dict__.setdefault("_prefetched_objects_cache", {})
    cache[champ.remote_field.cache_name] = qs


def par_lots(queryset: QuerySet, taille: int = 200) -> Iterator[Any]:
    """Every row of ``queryset``, read ``taille`` at a time in primary-key order (one query per
    batch): a whole table is never held in memory, without a server-side cursor (the settings
    disable them)."""
    dernier = None
    while True:
        lot = queryset.order_by("pk")
        if dernier is not None:
            lot = lot.filter(pk__gt=dernier)
        lignes = list(lot[:taille])
        yield from lignes
        if len(lignes) < taille:
            return
        dernier = lignes[-1].pk
