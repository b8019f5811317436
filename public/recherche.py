"""French full-text search over lauréat ateliers.

PostgreSQL: a ``french_unaccent`` text search configuration (unaccent, then the French
Snowball stemmer; created by migration 0003) so that "ecologique" finds "écologiques".
SQLite (first run, local tests): the same promise kept in Python — accents stripped,
lower-cased, a light French plural stemmer, and each query word matched as a word prefix.
"""

import re
import unicodedata

from django.contrib.postgres.search import SearchQuery, SearchVector
from django.db import connection
from django.db.models import Func, IntegerField, Q, QuerySet

CONFIG = "french_unaccent"
CHAMPS = (
    "titre",
    "theme",
    "resume",
    "territoire__nom",
    "territoire__description",
    "territoire__lieux",
    "session__titre",
    "session__theme",
)
# The historical lauréats (``ateliers.LaureatHistorique``): the source's name, their places
# (communes, EPCI, départements, région), their session.
CHAMPS_HISTORIQUES = ("nom", "lieux", "session__titre", "session__theme")
# Words too common to search for (a subset of PostgreSQL's French stop words, which the
# search ignores the same way there).
MOTS_VIDES = {
    "a", "au", "aux", "avec", "ce", "ces", "d", "dans", "de", "des", "du", "elle", "elles",
    "en", "est", "et", "il", "ils", "je", "l", "la", "le", "les", "leur", "leurs", "ma",
    "mes", "mon", "ne", "nos", "notre", "nous", "on", "ou", "par", "pas", "pour", "qu", "que",
    "qui", "sa", "se", "ses", "son", "sur", "ta", "tes", "ton", "tu", "un", "une", "vos",
    "votre", "vous",
}  # fmt: skip
_MOT = re.compile(r"\w+", re.UNICODE)


def normaliser(texte: str) -> str:
    decompose = unicodedata.normalize("NFKD", texte or "")
    return "".join(c for c in decompose if not unicodedata.combining(c)).lower()


def _racine(mot: str) -> str:
    """A light French stemmer: enough for plurals and common inflections."""
    if mot.endswith("eaux") and len(mot) > 5:
        return mot[:-1]  # réseaux → réseau
    if mot.endswith("aux") and len(mot) > 4:
        return mot[:-2] + "l"  # territoriaux → territorial
    if len(mot) > 3 and mot[-1] in "sx":
        mot = mot[:-1]
    if len(mot) > 4 and mot.endswith("e"):
        mot = mot[:-1]
    return mot


def mots(texte: str) -> list[str]:
    return [_racine(m) for m in _MOT.findall(normaliser(texte)) if m not in MOTS_VIDES]


def correspond(document: str, requete: str) -> bool:
    """True when every word of the query starts a word of the document (both normalised)."""
    termes = mots(requete)
    if not termes:
        return True
    vocabulaire = mots(document)
    return all(any(v.startswith(t) for v in vocabulaire) for t in termes)


def filtrer(queryset: QuerySet, requete: str, champs: tuple[str, ...] = CHAMPS) -> QuerySet:
    """Restrict a queryset (of ateliers, unless ``champs`` says otherwise) to the rows whose
    ``champs`` match ``requete``."""
    requete = (requete or "").strip()
    if not requete or not mots(requete):
        return queryset
    if connection.vendor == "postgresql":
        vecteur = SearchVector(*champs, config=CONFIG)
        tsquery = SearchQuery(requete, config=CONFIG, search_type="websearch")
        # A query made only of stop words ("nous", "les autres") has no lexeme left: it
        # filters nothing, as on SQLite, instead of matching nothing.
        lexemes = Func(tsquery, function="numnode", output_field=IntegerField())
        return queryset.annotate(recherche=vecteur, lexemes_recherche=lexemes).filter(
            Q(recherche=tsquery) | Q(lexemes_recherche=0)
        )
    identifiants = [
        row[0]
        for row in queryset.order_by().values_list("pk", *champs)
        if correspond(" ".join(str(v or "") for v in row[1:]), requete)
    ]
    return queryset.filter(pk__in=identifiants)
