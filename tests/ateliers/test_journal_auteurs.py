"""The logbook's author filter lists each person once, whatever their number of entries."""

import datetime as dt

import pytest
from django.utils import timezone

from ateliers import services as s
from ateliers.filters import JournalFilter

pytestmark = pytest.mark.django_db


def test_author_filter_lists_each_person_once(atelier, pilote, equipe):
    for i in range(3):
        s.journal_ecrire(
            atelier=atelier,
            by=pilote,
            texte=f"Note {i}",
            date=timezone.localdate() - dt.timedelta(days=i),
        )
    s.journal_ecrire(atelier=atelier, by=equipe, texte="Note équipe", date=timezone.localdate())
    choices = JournalFilter({}, atelier=atelier).filters["auteur"].extra["choices"]
    assert sorted(pk for pk, _label in choices) == sorted([str(pilote.pk), str(equipe.pk)])
