"""The API answers exactly as the hand-written one did, on the demo data.

``fixtures/api_reponses.json`` holds the answers of the former hand-written API
(``public/api.py`` before django-ninja) to a broad set of requests: every endpoint, every
filter, pagination, bad parameters, unknown slugs, missing slashes, unknown addresses. The
demo data are seeded with the clock frozen and the primary keys restarted, so two runs
produce the same rows.

To record the fixture again (only when an answer is meant to change):
``ATELIER_RECORD_API=1 .venv/bin/pytest tests/public/test_api_parity.py -p no:randomly``.
``ATELIER_API_DIFF=/tmp/reponses.json`` writes the current answers there, to compare by hand.
"""

import datetime as dt
import io
import json
import os
from pathlib import Path

import pytest
import time_machine
from django.core.management import call_command

FIXTURE = Path(__file__).parent / "fixtures" / "api_reponses.json"
HEADERS = ("Content-Type", "Location", "Access-Control-Allow-Origin", "Allow")

# Every request, as a path with its query string. Slugs and ids are the demo's.
REQUESTS = [
    # Lauréats: every filter, sorting, pagination, bad values.
    "/api/laureats/",
    "/api/laureats/?taille=5",
    "/api/laureats/?taille=5&page=2",
    "/api/laureats/?taille=5&page=3&format=flash",
    "/api/laureats/?page=1&taille=100",
    "/api/laureats/?format=flash",
    "/api/laureats/?format=multisite",
    "/api/laureats/?format=local",
    "/api/laureats/?format=inconnu",
    "/api/laureats/?format=",
    "/api/laureats/?region=53",
    "/api/laureats/?region=99",
    "/api/laureats/?region=",
    "/api/laureats/?departement=29",
    "/api/laureats/?departement=2A",
    "/api/laureats/?departement=999",
    "/api/laureats/?annee=2021",
    "/api/laureats/?annee=1999",
    "/api/laureats/?annee=2101",
    "/api/laureats/?annee=deux",
    "/api/laureats/?annee=",
    "/api/laureats/?annee=1e99999",
    "/api/laureats/?statut=clos",
    "/api/laureats/?statut=restitue",
    "/api/laureats/?statut=en_cours",
    "/api/laureats/?statut=bidon",
    "/api/laureats/?theme=littoral",
    "/api/laureats/?theme=Transition%20%C3%A9cologique",
    "/api/laureats/?q=littoral",
    "/api/laureats/?q=montagnes",
    "/api/laureats/?q=" + "x" * 201,
    "/api/laureats/?session=inexistante",
    "/api/laureats/?tri=nom",
    "/api/laureats/?tri=-nom",
    "/api/laureats/?tri=annee",
    "/api/laureats/?tri=-annee",
    "/api/laureats/?tri=region",
    "/api/laureats/?tri=hasard",
    "/api/laureats/?tri=nom&region=53&taille=3",
    "/api/laureats/?region=53&format=flash&inconnu=1",
    "/api/laureats/?page=0",
    "/api/laureats/?page=-1",
    "/api/laureats/?page=abc",
    "/api/laureats/?page=",
    "/api/laureats/?page=999",
    "/api/laureats/?page=100001",
    "/api/laureats/?taille=0",
    "/api/laureats/?taille=101",
    "/api/laureats/?taille=",
    "/api/laureats/?taille=x&page=y",
    "/api/laureats/?q=%00",
    "/api/laureats/?region=%00",
    "/api/laureats/?page=%00",
    "/api/laureats/?format=flash&format=atelier",
    # Territories.
    "/api/territoires/",
    "/api/territoires/?taille=3",
    "/api/territoires/?taille=3&page=2",
    "/api/territoires/?region=53",
    "/api/territoires/?region=99",
    "/api/territoires/?departement=29",
    "/api/territoires/?departement=999",
    "/api/territoires/?nature=epci",
    "/api/territoires/?nature=commune",
    "/api/territoires/?nature=planete",
    "/api/territoires/?nature=",
    "/api/territoires/?page=999",
    "/api/territoires/?taille=1000",
    "/api/territoires/?region=%00",
    "/api/territoires/inexistant/",
    # Sessions.
    "/api/sessions/",
    "/api/sessions/?taille=2",
    "/api/sessions/?taille=2&page=2",
    "/api/sessions/?annee=2021",
    "/api/sessions/?annee=2006",
    "/api/sessions/?annee=1999",
    "/api/sessions/?annee=abc",
    "/api/sessions/?q=littoral",
    "/api/sessions/?q=transition",
    "/api/sessions/?q=" + "y" * 201,
    "/api/sessions/?q=%00",
    "/api/sessions/?page=50",
    "/api/sessions/inexistante/",
    # Roadmaps.
    "/api/feuilles-de-route/",
    "/api/feuilles-de-route/?taille=1",
    "/api/feuilles-de-route/?taille=1&page=2",
    "/api/feuilles-de-route/?region=53",
    "/api/feuilles-de-route/?region=99",
    "/api/feuilles-de-route/?territoire=inexistant",
    "/api/feuilles-de-route/?territoire=%00",
    "/api/feuilles-de-route/?page=999",
    "/api/feuilles-de-route/0/",
    "/api/feuilles-de-route/999999/",
    "/api/feuilles-de-route/99999999999999999999999/",
    # Missing slashes, unknown addresses.
    "/api/laureats",
    "/api/laureats?format=flash&region=53",
    "/api/sessions?annee=2021",
    "/api/territoires/inexistant",
    "/api/feuilles-de-route/12",
    "/api/inconnue",
    "/api/inconnue/",
    "/api/laureats/csv",
    "/api/feuilles-de-route/abc",
    "/api/territoires/a%20b/",
    "/api/%00/",
]


# The answers meant to differ from the hand-written API's, and why: each now gives the former
# answer of another request.
CHANGES = {
    # An empty ``annee`` means "no filter", as for every other filter and as on the list page
    # and the exports (the LaureatFilterSet is the only validator of the lauréat filters);
    # the former API alone refused it.
    "/api/laureats/?annee=": "/api/laureats/",
}


def _demo_requests(client) -> list[str]:
    """Requests naming the demo's own rows: every territory, session and roadmap."""
    territoires = client.get("/api/territoires/?taille=100").json()["resultats"]
    sessions = client.get("/api/sessions/?taille=100").json()["resultats"]
    feuilles = client.get("/api/feuilles-de-route/?taille=100").json()["resultats"]
    atelier_sessions = {
        r["session_slug"]
        for r in client.get("/api/laureats/?taille=100").json()["resultats"]
        if r.get("session_slug")
    }
    demandes = [f"/api/territoires/{t['slug']}/" for t in territoires]
    demandes += [f"/api/sessions/{s['slug']}/" for s in sessions]
    demandes += [f"/api/feuilles-de-route/{f['id']}/" for f in feuilles]
    demandes += [f"/api/laureats/?session={slug}" for slug in sorted(atelier_sessions)]
    if territoires:
        t = territoires[0]
        demandes += [
            f"/api/feuilles-de-route/?territoire={t['slug']}",
            f"/api/territoires/?region={t['region']['code']}&nature={t['nature']}",
        ]
    if sessions:
        demandes.append(f"/api/sessions/{sessions[0]['slug']}")
    return demandes


def _answer(client, adresse: str, method: str = "get") -> dict:
    response = getattr(client, method)(adresse, HTTP_ACCEPT_ENCODING="identity")
    body = response.content.decode()
    if response.get("Content-Type", "").startswith("application/json") and body:
        body = json.loads(body)
    return {
        "status": response.status_code,
        "headers": {h: response[h] for h in HEADERS if response.has_header(h)},
        "body": body,
    }


def _record(client) -> dict[str, dict]:
    answers = {}
    for adresse in [*REQUESTS, *_demo_requests(client)]:
        answers[adresse] = _answer(client, adresse)
    # A second read is served from the cache: the same answer.
    for adresse in ("/api/laureats/?format=flash", "/api/territoires/inexistant/"):
        answers[f"{adresse} (en cache)"] = _answer(client, adresse)
    for adresse in ("/api/laureats/", "/api/sessions/"):
        answers[f"POST {adresse}"] = _answer(client, adresse, "post")
        answers[f"HEAD {adresse}"] = _answer(client, adresse, "head")
    return answers


@pytest.fixture
def demo(transactional_db, django_db_reset_sequences, settings):
    settings.SITE_URL = "https://atelier.exemple.fr"
    with time_machine.travel(dt.datetime(2026, 6, 15, 10, 0, tzinfo=dt.UTC), tick=False):
        call_command("seed_demo", production=True, stdout=io.StringIO())
        yield


def test_api_answers_as_before_on_the_demo_data(demo, client):
    answers = _record(client)
    if os.environ.get("ATELIER_RECORD_API"):
        FIXTURE.parent.mkdir(exist_ok=True)
        FIXTURE.write_text(json.dumps(answers, ensure_ascii=False, indent=1, sort_keys=True))
    expected = json.loads(FIXTURE.read_text())
    assert len(expected) > 150
    assert set(answers) == set(expected)
    if os.environ.get("ATELIER_API_DIFF"):
        Path(os.environ["ATELIER_API_DIFF"]).write_text(json.dumps(answers, ensure_ascii=False))
    for adresse, comme in CHANGES.items():
        expected[adresse] = expected[comme]
    for adresse, reponse in answers.items():
        # Every JSON answer may now be read by a page of any site, errors included (the
        # former API left this header off its 400s and its unknown-address 404s).
        # (A NUL character is refused by a middleware before any view, as before.)
        if reponse["headers"].get("Content-Type") == "application/json" and "%00" not in adresse:
            assert reponse["headers"].pop("Access-Control-Allow-Origin") == "*", adresse
            expected[adresse]["headers"].pop("Access-Control-Allow-Origin", None)
    differences = [a for a in expected if answers[a] != expected[a]]
    assert differences == [], {a: (answers[a], expected[a]) for a in differences[:3]}


SCHEMA_BEFORE = Path(__file__).parent / "fixtures" / "openapi_avant.json"


def _contract(schema: dict) -> dict:
    """What a client relies on: per path, each parameter (where, required, constraints)
    and the documented statuses."""

    def constraints(p: dict) -> dict:
        variantes = p["schema"].get("anyOf", [p["schema"]])
        return {
            "in": p["in"],
            "required": p.get("required", False),
            "type": sorted(v["type"] for v in variantes),
            **{k: v[k] for v in variantes for k in ("minimum", "maximum", "maxLength", "pattern")
               if k in v},
            "enum": sorted(e for v in variantes for e in v.get("enum", [])),
        }  # fmt: skip

    return {
        chemin: {
            "parameters": {p["name"]: constraints(p) for p in op["get"]["parameters"]},
            "responses": sorted(op["get"]["responses"]),
            "operationId": op["get"]["operationId"],
        }
        for chemin, op in schema["paths"].items()
    }


def test_schema_keeps_every_path_parameter_and_status(db, client):
    response = client.get("/api/openapi.json")
    if os.environ.get("ATELIER_RECORD_API"):
        SCHEMA_BEFORE.write_text(json.dumps(response.json(), ensure_ascii=False, indent=1))
    assert response.status_code == 200
    assert response["Access-Control-Allow-Origin"] == "*"
    expected = _contract(json.loads(SCHEMA_BEFORE.read_text()))
    # As for the enumerated filters, an empty ``annee`` now means "no filter" (see CHANGES).
    annee = expected["/api/laureats/"]["parameters"]["annee"]
    annee.update(type=["integer", "string"], enum=[""])
    assert _contract(response.json()) == expected
