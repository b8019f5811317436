"""Authorization matrix entries for the public site (see tests/authz.py).

Everything here is public: every role reads published content (200) and nobody, not even
the DGALN, sees an unpublished territory through the public pages (404).
"""

from tests.authz import Entry, expect  # noqa: F401  (contract of the matrix)
from tests.factories_public import feuille_publiee, laureat

ROLES = ["anonymous", "applicant", "habitant", "elu", "equipe", "pilote", "autre_pilote", "dgaln"]


def tous(status: int) -> dict[str, int]:
    return dict.fromkeys(ROLES, status)


def entries(world) -> list:
    public = laureat(nom="Territoire public de la matrice")
    feuille = feuille_publiee(public)
    brouillon = laureat(nom="Territoire brouillon de la matrice", publie=False)
    session = public.session or _session()
    ok = tous(200)
    return [
        Entry(name="territoires:laureats", kwargs={}, expected=ok),
        Entry(name="territoires:carte", kwargs={}, expected=ok),
        Entry(name="territoires:detail", kwargs={"slug": public.territoire.slug}, expected=ok),
        Entry(
            name="territoires:detail",
            kwargs={"slug": brouillon.territoire.slug},
            expected=tous(404),
        ),
        Entry(name="territoires:sessions", kwargs={}, expected=ok),
        Entry(name="territoires:session", kwargs={"slug": session.slug}, expected=ok),
        Entry(name="territoires:donnees", kwargs={}, expected=ok),
        Entry(name="territoires:export_csv", kwargs={}, expected=ok),
        Entry(name="territoires:export_geojson", kwargs={}, expected=ok),
        Entry(name="territoires:carte_donnees", kwargs={}, expected=ok),
        Entry(name="territoires:carte_perimetres", query="?bbox=-5,41,10,52", expected=ok),
        Entry(name="territoires:lieux", query="?q=quintin", expected=ok),
        Entry(name="territoires:api", kwargs={}, expected=ok),
        Entry(name="territoires:api_openapi", kwargs={}, expected=ok),
        Entry(name="territoires:api_laureats", kwargs={}, expected=ok),
        Entry(name="territoires:api_territoires", kwargs={}, expected=ok),
        Entry(
            name="territoires:api_territoire",
            kwargs={"slug": public.territoire.slug},
            expected=ok,
        ),
        Entry(
            name="territoires:api_territoire",
            kwargs={"slug": brouillon.territoire.slug},
            expected=tous(404),
        ),
        Entry(name="territoires:api_sessions", kwargs={}, expected=ok),
        Entry(name="territoires:api_session", kwargs={"slug": session.slug}, expected=ok),
        Entry(name="territoires:api_feuilles", kwargs={}, expected=ok),
        Entry(name="territoires:api_feuille", kwargs={"pk": feuille.pk}, expected=ok),
        # The catch-all reverses to /api/ itself; an unknown address under it is a JSON 404
        # (tests/territoires/test_donnees_api.py).
        Entry(name="territoires:api_introuvable", kwargs={}, expected=ok),
        Entry(name="territoires:sitemap", kwargs={}, expected=ok),
        Entry(name="territoires:robots", kwargs={}, expected=ok),
    ]


def _session():
    from ateliers.models import SessionNationale

    return SessionNationale.objects.order_by("pk").first()
