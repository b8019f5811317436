"""Authorization matrix entries for the public site (see tests/authz.py).

Everything here is public: every role reads published content (200) and nobody, not even
the DGALN, sees an unpublished territory through the public pages (404).
"""

from tests.authz import Entry, expect  # noqa: F401  (contract of the matrix)
from tests.factories.public import feuille_publiee, laureat

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
        Entry(name="public:laureats", kwargs={}, expected=ok),
        Entry(name="public:carte", kwargs={}, expected=ok),
        Entry(name="public:detail", kwargs={"slug": public.territoire.slug}, expected=ok),
        Entry(
            name="public:detail",
            kwargs={"slug": brouillon.territoire.slug},
            expected=tous(404),
        ),
        Entry(name="public:sessions", kwargs={}, expected=ok),
        Entry(name="public:session", kwargs={"slug": session.slug}, expected=ok),
        Entry(name="public:donnees", kwargs={}, expected=ok),
        Entry(name="public:export_csv", kwargs={}, expected=ok),
        Entry(name="public:export_geojson", kwargs={}, expected=ok),
        Entry(name="public:export_historiques", kwargs={}, expected=ok),
        Entry(name="public:carte_donnees", kwargs={}, expected=ok),
        Entry(name="public:carte_perimetres", query="?bbox=-5,41,10,52", expected=ok),
        Entry(name="public:lieux", query="?q=quintin", expected=ok),
        Entry(name="public:donnees_actions", kwargs={}, expected=ok),
        Entry(name="public:actions_csv", kwargs={}, expected=ok),
        Entry(name="public:actions_json", kwargs={}, expected=ok),
        Entry(name="public:indicateurs_csv", kwargs={}, expected=ok),
        Entry(name="public:indicateurs_json", kwargs={}, expected=ok),
        Entry(name="public:api", kwargs={}, expected=ok),
        Entry(name="public:api_openapi", kwargs={}, expected=ok),
        Entry(name="public:api_laureats", kwargs={}, expected=ok),
        Entry(name="public:api_territoires", kwargs={}, expected=ok),
        Entry(
            name="public:api_territoire",
            kwargs={"slug": public.territoire.slug},
            expected=ok,
        ),
        Entry(
            name="public:api_territoire",
            kwargs={"slug": brouillon.territoire.slug},
            expected=tous(404),
        ),
        Entry(name="public:api_sessions", kwargs={}, expected=ok),
        Entry(name="public:api_session", kwargs={"slug": session.slug}, expected=ok),
        Entry(name="public:api_feuilles", kwargs={}, expected=ok),
        Entry(name="public:api_feuille", kwargs={"pk": feuille.pk}, expected=ok),
        # The catch-all reverses to /api/ itself; an unknown address under it is a JSON 404
        # (tests/territoires/test_donnees_api.py).
        Entry(name="public:api_introuvable", kwargs={}, expected=ok),
        Entry(name="public:sitemap", kwargs={}, expected=ok),
        Entry(name="public:robots", kwargs={}, expected=ok),
    ]


def _session():
    from ateliers.models import SessionNationale

    return SessionNationale.objects.order_by("pk").first()
