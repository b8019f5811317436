"""Demonstrator sites cannot be piled up until every map of the atelier is too heavy: a
capped number per atelier, a capped total of vertices, a French message; maps get a
simplified outline."""

import json
import math

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse

from ateliers import services as s
from ateliers.models import SiteDemonstrateur
from territoires.geo import geometry_vertex_count, simplify_for_display

pytestmark = pytest.mark.django_db

POINT = {"type": "Point", "coordinates": [-2.9, 48.4]}


def _cercle(n: int) -> dict:
    """A polygon of ``n`` vertices around Quintin (a detailed, smooth outline)."""
    ring = [
        [-2.9 + 0.05 * math.cos(2 * math.pi * i / n), 48.4 + 0.05 * math.sin(2 * math.pi * i / n)]
        for i in range(n)
    ]
    return {"type": "Polygon", "coordinates": [[*ring, ring[0]]]}


def test_number_of_sites_is_capped(atelier, pilote, settings):
    settings.ATELIER_SITES_MAX = 3
    for i in range(3):
        s.site_creer(atelier=atelier, by=pilote, nom=f"S{i}", description="", geometrie=POINT)
    with pytest.raises(ValidationError, match="déjà 3 sites démonstrateurs, le maximum"):
        s.site_creer(atelier=atelier, by=pilote, nom="S4", description="", geometrie=POINT)
    assert SiteDemonstrateur.objects.filter(atelier=atelier).count() == 3


def test_total_vertices_capped_with_a_message_on_the_form(client, atelier, pilote, settings):
    settings.ATELIER_SITES_MAX_SOMMETS = 1500
    s.site_creer(atelier=atelier, by=pilote, nom="Bourg", description="", geometrie=_cercle(1000))
    client.force_login(pilote)
    response = client.post(
        reverse("ateliers:sites", args=[atelier.pk]),
        {"nom": "Vallée", "description": "", "geometrie": json.dumps(_cercle(600))},
    )
    html = response.content.decode()
    assert response.status_code == 400
    assert "Ce tracé compte 601 sommets et les sites de l&#x27;atelier en ont déjà 1001" in html
    assert SiteDemonstrateur.objects.filter(atelier=atelier).count() == 1


def test_maps_get_a_simplified_outline(client, atelier, pilote):
    detaille = _cercle(20_000)
    simple = simplify_for_display(detaille)
    assert 8 <= geometry_vertex_count(simple) < 2_000
    ring = simple["coordinates"][0]
    assert ring[0] == ring[-1]
    s.site_creer(atelier=atelier, by=pilote, nom="Bourg", description="", geometrie=detaille)
    client.force_login(pilote)
    carte = client.get(reverse("ateliers:sites", args=[atelier.pk])).context["carte"]
    assert geometry_vertex_count(carte["sites"][0]["geometrie"]) < 2_000
    assert SiteDemonstrateur.objects.get().geometrie == detaille  # stored as drawn
