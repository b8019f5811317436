"""Property-based test of the API against its own OpenAPI schema (schemathesis).

Every generated request — valid or deliberately invalid — must get a documented status,
a JSON body matching the schema, and never a 500.
"""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, given, settings
from schemathesis import GenerationMode
from schemathesis.checks import not_a_server_error
from schemathesis.specs.openapi.checks import (
    content_type_conformance,
    negative_data_rejection,
    response_schema_conformance,
    status_code_conformance,
)

from public import api
from tests.factories.public import feuille_publiee, laureat, rapport_publie

CHECKS = [
    not_a_server_error,
    status_code_conformance,
    content_type_conformance,
    response_schema_conformance,
    negative_data_rejection,
]


@pytest.fixture
def api_schema(db):
    # The WSGI handler would close the test's connection between requests, as at the end
    # of a real request; Django's test client disconnects the same receiver.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    atelier = laureat(nom="Territoire de l'API", format="flash", theme="Mobilités")
    rapport_publie(atelier, version=feuille_publiee(atelier).version_adoptee)
    laureat(nom="Autre territoire", region="84", departements=("26",), lat=None, lon=None)
    yield schemathesis.openapi.from_wsgi("/api/openapi.json", get_wsgi_application())
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


OPERATIONS = list(api.schema_openapi()["paths"])


@pytest.mark.parametrize("mode", [GenerationMode.POSITIVE, GenerationMode.NEGATIVE])
@pytest.mark.parametrize("chemin", OPERATIONS)
def test_api_conforms_to_its_schema(api_schema, chemin, mode):
    operation = None
    for result in api_schema.get_all_operations():
        candidate = result.ok()
        if candidate.path == chemin:
            operation = candidate
    assert operation is not None

    @given(case=operation.as_strategy(generation_mode=mode))
    @settings(max_examples=30, deadline=None, suppress_health_check=list(HealthCheck))
    def run(case):
        case.call_and_validate(checks=CHECKS, headers={"Accept-Encoding": "identity"})

    run()
