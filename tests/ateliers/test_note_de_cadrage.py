"""The 2026 description: a note de cadrage (method and calendar) opens every format."""

import pytest

from ateliers.formats import Format, NatureEtape, NatureLivrable
from ateliers.services import etapes_creer_depuis_modele
from tests import factories

pytestmark = pytest.mark.django_db


@pytest.mark.parametrize("format_code", Format.values)
def test_the_note_de_cadrage_is_due_at_the_launch_seminar(format_code):
    session = factories.SessionFactory() if format_code == Format.MULTISITE else None
    atelier = factories.AtelierFactory(format=format_code, session=session)
    etapes = etapes_creer_depuis_modele(atelier=atelier)
    lancement = etapes[0]
    assert lancement.nature == NatureEtape.LANCEMENT
    natures = list(lancement.livrables.order_by("id").values_list("nature", "obligatoire"))
    assert natures[0] == (NatureLivrable.NOTE_CADRAGE, True)
