"""The README's rights tables ("Droits par rôle") are the specification: each cell is
checked against the ``rules`` predicates, and every registered permission must appear."""

import re
from pathlib import Path

import pytest
import rules
from django.conf import settings
from django.utils import timezone

from acteurs.models import Participation, Role
from tests import factories
from tests.factories.appels import candidature_complete

pytestmark = pytest.mark.django_db

README = Path(settings.BASE_DIR) / "README.md"
COLONNES_ROLES = {
    "pilote": Role.PILOTE,
    "équipe": Role.EQUIPE,
    "élu": Role.ELU,
    "technicien": Role.TECHNICIEN,
    "socio-professionnel": Role.SOCIO_PROFESSIONNEL,
    "habitant": Role.HABITANT,
    "observateur": Role.OBSERVATEUR,
}


def _tables() -> list[tuple[list[str], list[list[str]]]]:
    """Every markdown table of the "Droits par rôle" section, as (header, rows)."""
    texte = README.read_text(encoding="utf-8")
    section = texte.split("### Droits par rôle", 1)[1].split("\n## ", 1)[0]
    tables, courante = [], []
    for ligne in [*section.splitlines(), ""]:
        if ligne.startswith("|"):
            courante.append([c.strip() for c in ligne.strip().strip("|").split("|")])
        elif courante:
            tables.append((courante[0], list(courante[2:])))
            courante = []
    return tables


def _perm(cellule: str) -> str:
    return re.fullmatch(r"`([a-z_]+\.[a-z_]+)`", cellule).group(1)


def _forget(user) -> None:
    for key in ("_roles_par_atelier", "_agent_etat", "_est_dgaln"):
        user.__dict__.pop(key, None)


def _check(user, perm, obj, cellule, *, condition) -> None:
    _forget(user)
    if cellule == "oui":
        assert user.has_perm(perm, obj), perm
    elif cellule == "non":
        assert not user.has_perm(perm, obj), perm
    else:
        assert cellule in ("agent vérifié", "mandat attesté", "porteur"), cellule
        assert not user.has_perm(perm, obj), f"{perm} sans « {cellule} »"
        condition(user, cellule)
        _forget(user)
        assert user.has_perm(perm, obj), f"{perm} avec « {cellule} »"


def _obj(perm, atelier, candidature, action=None):
    if perm == "feuilles_de_route.follow_up_action":
        return action
    if perm.startswith("appels."):
        return candidature
    if perm in ("ateliers.manage_programme", "feuilles_de_route.view_suivi_national"):
        return None
    if perm in (
        "acteurs.manage_agents_etat",
        "journal.view_journal",
        "feuilles_de_route.manage_indicateurs",
        "feuilles_de_route.manage_syntheses",
    ):
        return None
    return atelier


def _remplir_condition(atelier, action=None):
    def condition(user, cellule):
        if cellule == "porteur":
            acteur = user.acteur
            if acteur.organisation_id is None:
                acteur.organisation = factories.OrganisationFactory()
                acteur.save()
            action.porteur_id = acteur.organisation_id
            action.save()
        elif cellule == "agent vérifié":
            factories.vetted_agent(user)
        else:
            Participation.objects.filter(acteur__utilisateur=user, atelier=atelier).update(
                mandat="Maire",
                collectivite="Commune de Quintin",
                atteste_par_nom="Pilote",
                atteste_le=timezone.now(),
            )

    return condition


def test_the_readme_rights_tables_match_the_predicates():
    atelier = factories.AtelierFactory()
    candidature = candidature_complete()
    rapporteur = factories.UtilisateurFactory()
    candidature.rapporteurs.add(rapporteur)
    action = factories.ActionFactory(axe__feuille__atelier=atelier)
    condition = _remplir_condition(atelier, action)
    (roles_header, roles_rows), (cand_header, cand_rows) = _tables()
    assert roles_header[:3] == ["droit", "permission", "DGALN"]
    assert cand_header == ["droit", "permission", "DGALN", "candidat", "rapporteur", "autre compte"]
    vus = set()
    # One fresh person per (row, column): a condition met for one row must not leak.
    for row in roles_rows:
        perm = _perm(row[1])
        vus.add(perm)
        obj = _obj(perm, atelier, candidature, action)
        for colonne, cellule in zip(roles_header[2:], row[2:], strict=True):
            if colonne == "DGALN":
                user = factories.DgalnFactory()
            else:
                user = factories.participant(
                    atelier, COLONNES_ROLES[colonne], agent=False, mandat=False
                )
            _check(user, perm, obj, cellule, condition=condition)
    personnes = {
        "DGALN": factories.DgalnFactory(),
        "candidat": candidature.auteur,
        "rapporteur": rapporteur,
        "autre compte": factories.UtilisateurFactory(),
    }
    for row in cand_rows:
        perm = _perm(row[1])
        vus.add(perm)
        for colonne, cellule in zip(cand_header[2:], row[2:], strict=True):
            _check(personnes[colonne], perm, candidature, cellule, condition=condition)
    # A right the code grants but the README does not state is a failure too.
    assert set(rules.permissions.permissions.keys()) == vus
