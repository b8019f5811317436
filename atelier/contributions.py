"""Pages that gather what several apps know ask each app through a registered function.

The personal workspace (``/espace/``, served by ``acteurs``) lists the candidatures of
``appels``, the stages of ``ateliers`` and the roadmaps to sign of ``feuilles_de_route``; the
atelier overview (``ateliers``) shows the roadmap's progress. Imports point downwards only
(see the import contracts in pyproject.toml), so the lower app cannot import the upper ones:
each upper app registers a contribution in its ``AppConfig.ready()`` and the page gathers
them. A contribution takes keyword arguments and returns a dict of template variables.
"""

from collections import defaultdict
from collections.abc import Callable
from typing import Any

ESPACE = "espace"  # (user, today) -> what /espace/ shows for that person
APERCU_ATELIER = "apercu_atelier"  # (atelier, user) -> what the atelier overview shows
# (user) -> {section title: [plain JSON-able dicts]}: what an app holds about a person
DONNEES_PERSONNELLES = "donnees_personnelles"
# (user, pseudonyme, noms) -> {what was done: count}: an app forgets a person closing their
# account (``noms``: every text that named them: names, addresses; run before they change)
CLOTURE_COMPTE = "cloture_compte"
# () -> what the DGALN dashboard (``/gestion/``, served by ``appels``) shows from other apps
GESTION = "gestion"

_CONTRIBUTIONS: dict[str, list[Callable[..., dict[str, Any]]]] = defaultdict(list)


def register(slot: str, contribution: Callable[..., dict[str, Any]]) -> None:
    if contribution not in _CONTRIBUTIONS[slot]:
        _CONTRIBUTIONS[slot].append(contribution)


def gather(slot: str, **kwargs: Any) -> dict[str, Any]:
    """The merged dicts of every contribution to ``slot``, in registration order."""
    merged: dict[str, Any] = {}
    for contribution in _CONTRIBUTIONS[slot]:
        merged.update(contribution(**kwargs))
    return merged
