"""The one writer of the audit trail."""

import contextlib
import json
import logging
import re
from collections.abc import Iterable, Iterator
from typing import Any

from django.apps import apps
from django.contrib.contenttypes.models import ContentType
from django.db import connection, models

from .models import Action, EvenementAudit, RemplacementNom

logger = logging.getLogger("atelier.donnees")


def audit(
    *,
    by: Any,
    obj: models.Model,
    action: Action,
    from_state: str = "",
    to_state: str = "",
    summary: str = "",
    atelier: Any = None,
) -> EvenementAudit:
    """Append one row to the audit trail. Call it inside the transaction of the change.

    ``by`` is a user, or None for the system (a scheduled task, a command).
    ``atelier`` lets the atelier's page list its own history; it is deduced when ``obj``
    is an atelier or belongs to one.
    """
    user = by if getattr(by, "is_authenticated", False) else None
    if atelier is None:
        atelier = _atelier_of(obj)
    return EvenementAudit.objects.create(
        auteur=user,
        auteur_repr=str(user) if user else "Système",
        content_type=ContentType.objects.get_for_model(obj, for_concrete_model=False),
        object_id=str(obj.pk),
        objet_repr=str(obj)[:300],
        action=action,
        etat_avant=from_state or "",
        etat_apres=to_state or "",
        resume=summary,
        atelier=atelier,
    )


def _atelier_of(obj: models.Model) -> Any:
    # By label, not by class: the journal sits below every app and imports none of them.
    if obj._meta.label == "ateliers.Atelier":
        return obj
    atelier_id = getattr(obj, "atelier_id", None)
    if atelier_id:
        return apps.get_model("ateliers", "Atelier")(pk=atelier_id)
    return None


@contextlib.contextmanager
def names_replaced(remplacements: Iterable[tuple[str, str]]) -> Iterator[list[tuple[str, str]]]:
    """Within the block, the database lets the text columns of the append-only tables have
    these names replaced by their pseudonyms, and nothing else (see
    :class:`~journal.models.RemplacementNom`). Yields the pairs, longest name first (so that
    ``Prénom Nom <adresse>`` goes before ``Prénom Nom``), without blanks or duplicates.

    Must run inside the transaction that rewrites: the rows that open the path are deleted
    at the end of the block, so no committed state ever holds them.
    """
    if not connection.in_atomic_block:
        raise RuntimeError("names_replaced() s'utilise dans une transaction.")
    paires = name_pairs(remplacements)
    rows = RemplacementNom.objects.bulk_create(
        [RemplacementNom(nom=nom, pseudonyme=pseudo) for nom, pseudo in paires]
    )
    try:
        yield paires
    finally:
        RemplacementNom.objects.filter(pk__in=[r.pk for r in rows]).delete()


def name_pairs(remplacements: Iterable[tuple[str, str]]) -> list[tuple[str, str]]:
    """The (name, pseudonym) pairs to rewrite, longest name first (so that ``Prénom Nom
    <adresse>`` goes before ``Prénom Nom``), without blanks, duplicates or names too short to
    be one. Tables without a guard (free text of other apps) take them to
    :func:`names_rewrite` directly; the append-only ones through :func:`names_replaced`."""
    return sorted(
        {(nom.strip(), pseudo) for nom, pseudo in remplacements if len(nom.strip()) >= 4},
        key=lambda p: (-len(p[0]), p[0]),
    )


def contains_sql(column: str) -> str:
    """SQL true when ``column`` contains the parameter (no LIKE: names hold ``_`` and ``%``)."""
    function = "strpos" if connection.vendor == "postgresql" else "instr"
    return f"{function}({column}, %s) > 0"


def _as_a_whole(nom: str) -> re.Pattern:
    # "Jean Martin" but not inside "Jean Martinez", "an@x.fr" not inside "jean@x.fr".
    return re.compile(rf"(?<![\w@.+-]){re.escape(nom)}(?![\w@-])")


def names_rewrite(*, table: str, columns: tuple[str, ...], paires: list[tuple[str, str]]) -> int:
    """In ``table``, replace each name of ``paires`` by its pseudonym in ``columns``, where
    it stands as a whole word; inside :func:`names_replaced`, whose pairs the database
    checks. A text that also holds the name inside a longer word (another person's) is left
    as it is and logged: the database allows only the plain replacement of every
    occurrence. Returns how many rows were rewritten."""
    count = 0
    with connection.cursor() as cursor:
        for nom, pseudo in paires:
            entier = _as_a_whole(nom)
            condition = " OR ".join(contains_sql(c) for c in columns)
            cursor.execute(
                f"SELECT id, {', '.join(columns)} FROM {table} WHERE {condition}",  # noqa: S608
                [nom] * len(columns),
            )
            for pk, *textes in cursor.fetchall():
                if any(t and entier.sub(pseudo, t) != t.replace(nom, pseudo) for t in textes):
                    logger.warning("%s %s : nom dans un mot plus long, laissé tel quel", table, pk)
                    continue
                assignments = ", ".join(f"{c} = replace({c}, %s, %s)" for c in columns)
                cursor.execute(
                    f"UPDATE {table} SET {assignments} WHERE id = %s",  # noqa: S608
                    [nom, pseudo] * len(columns) + [pk],
                )
                count += cursor.rowcount
    return count


def texts_names_rewrite(
    *, textes: Iterable[tuple[type[models.Model], tuple[str, ...], str]], paires
) -> set[Any]:
    """For free text no guard protects (an app's own tables): for each ``(model, columns,
    path)``, replace each name of ``paires`` (:func:`name_pairs`) by its pseudonym in
    ``columns`` (:func:`names_rewrite`). Returns the values at ``path`` (e.g. the atelier)
    of the rows that held a name."""
    touched: set[Any] = set()
    if not paires:
        return touched
    for model, columns, path in textes:
        condition = models.Q()
        for nom, _pseudo in paires:
            for column in columns:
                condition |= models.Q(**{f"{column}__contains": nom})
        found = set(model._default_manager.filter(condition).values_list(path, flat=True))
        if found and names_rewrite(table=model._meta.db_table, columns=columns, paires=paires):
            touched |= found
    return touched


def json_names_rewrite(
    *, model: type[models.Model], column: str, path: str, paires: list[tuple[str, str]]
) -> set[Any]:
    """Like :func:`texts_names_rewrite`, for a JSON column (a summary kept as JSON): in every
    string it holds, each name of ``paires`` gives way to its pseudonym where it stands as a
    whole word; a string that also holds it inside a longer word is left as it is and
    logged, as :func:`names_rewrite` does. Returns the values at ``path`` of the rows
    rewritten."""
    from django.db.models.functions import Cast

    touched: set[Any] = set()
    if not paires:
        return touched
    # The stored text escapes what JSON escapes (and, on SQLite, every non-ASCII letter).
    condition = models.Q()
    for nom, _pseudo in paires:
        for forme in {nom, json.dumps(nom)[1:-1], json.dumps(nom, ensure_ascii=False)[1:-1]}:
            condition |= models.Q(texte_json__contains=forme)
    rows = (
        model._default_manager.annotate(texte_json=Cast(column, models.TextField()))
        .filter(condition)
        .values_list("pk", column, path)
    )
    for pk, value, where in rows:
        rewritten = _json_rewrite(value, paires, f"{model._meta.db_table} {pk}")
        if rewritten != value:
            model._default_manager.filter(pk=pk).update(**{column: rewritten})
            touched.add(where)
    return touched


def _json_rewrite(value: Any, paires: list[tuple[str, str]], where: str) -> Any:
    if isinstance(value, dict):
        return {k: _json_rewrite(v, paires, where) for k, v in value.items()}
    if isinstance(value, list):
        return [_json_rewrite(v, paires, where) for v in value]
    if not isinstance(value, str):
        return value
    for nom, pseudo in paires:
        if nom not in value:
            continue
        remplace = value.replace(nom, pseudo)
        if _as_a_whole(nom).sub(pseudo, value) != remplace:
            logger.warning("%s : nom dans un mot plus long, laissé tel quel", where)
            continue
        value = remplace
    return value


def audit_names_replace(*, remplacements: Iterable[tuple[str, str]]) -> int:
    """Replace names by pseudonyms in the text of the audit trail (author, object, summary):
    the one rewrite the append-only trail allows, for a closed account. Returns how many
    rewrites were made. Call it inside the transaction of the closure."""
    with names_replaced(remplacements) as paires:
        return names_rewrite(
            table=EvenementAudit._meta.db_table,
            columns=("auteur_repr", "objet_repr", "resume"),
            paires=paires,
        )
