"""Dates read as French documents write them: « 1er mars », « 14h00 »; months added with
dateutil (31 January + 1 month is the end of February)."""

import datetime as dt

import pytest
from django.template import Context, Template
from django.urls import reverse

from atelier.dates import format_date
from ateliers.selectors import ajouter_mois
from tests.factories.appels import appel_complet

PARIS = dt.timezone(dt.timedelta(hours=1))


@pytest.mark.parametrize(
    ("valeur", "format_name", "attendu"),
    [
        (dt.date(2027, 3, 1), "DATE_FORMAT", "1er mars 2027"),
        (dt.date(2027, 3, 2), "DATE_FORMAT", "2 mars 2027"),
        (dt.date(2027, 3, 11), "DATE_FORMAT", "11 mars 2027"),
        (
            dt.datetime(2027, 3, 1, 14, 0, tzinfo=PARIS),
            "DATETIME_FORMAT",
            "1er mars 2027 à 14h00 (heure de Paris)",
        ),
        (
            dt.datetime(2027, 3, 1, 14, 0, tzinfo=PARIS),
            r"l j F Y à H\hi",
            "lundi 1er mars 2027 à 14h00 (heure de Paris)",
        ),
        (
            dt.datetime(2027, 3, 1, 14, 0, tzinfo=PARIS),
            "SHORT_DATETIME_FORMAT",
            "01/03/2027 à 14h00 (heure de Paris)",
        ),
        # An hour alone (the end of a range) is converted; the page labels the range once.
        (dt.datetime(2027, 3, 1, 14, 0, tzinfo=PARIS), "TIME_FORMAT", "14h00"),
        # A date alone says nothing of the time zone.
        (dt.datetime(2027, 3, 1, 14, 0, tzinfo=PARIS), "DATE_FORMAT", "1er mars 2027"),
    ],
)
def test_format_date(valeur, format_name, attendu):
    assert format_date(valeur, format_name) == attendu


@pytest.mark.parametrize(
    ("utc", "attendu"),
    [
        # Winter: Paris is UTC+1; summer: UTC+2.
        (
            dt.datetime(2031, 1, 15, 12, 0, tzinfo=dt.UTC),
            "15 janvier 2031 à 13h00 (heure de Paris)",
        ),
        (
            dt.datetime(2031, 7, 15, 12, 0, tzinfo=dt.UTC),
            "15 juillet 2031 à 14h00 (heure de Paris)",
        ),
    ],
)
def test_a_moment_is_in_paris_time_whatever_the_active_time_zone(utc, attendu):
    from django.utils import timezone

    with timezone.override("UTC"):
        assert format_date(utc, "DATETIME_FORMAT") == attendu


@pytest.mark.django_db
@pytest.mark.parametrize(
    ("cloture", "attendu", "pas_attendu"),
    [
        (dt.datetime(2031, 2, 10, 22, 59, tzinfo=dt.UTC), "10 février 2031 à 23h59", "22h59"),
        (dt.datetime(2031, 7, 10, 21, 59, tzinfo=dt.UTC), "10 juillet 2031 à 23h59", "21h59"),
    ],
)
def test_a_page_shows_the_paris_hour_and_says_so(client, cloture, attendu, pas_attendu):
    appel = appel_complet(
        titre="AMI 2031 — Heure",
        ouverture=dt.datetime(2031, 1, 5, 9, 0, tzinfo=PARIS),
        cloture=cloture,
    )
    html = client.get(reverse("appels:appel", args=[appel.slug])).content.decode()
    assert f"{attendu} (heure de Paris)" in html
    assert pas_attendu not in html
    assert "(heure de Paris) (heure de Paris)" not in html


def test_the_filter_is_available_in_every_template():
    html = Template("{{ d|date_fr }} — {{ iso|date_fr }} — {{ rien|date_fr }}").render(
        Context({"d": dt.date(2027, 5, 1), "iso": "2029-03-01", "rien": None})
    )
    assert html == "1er mai 2027 — 1er mars 2029 — "


@pytest.mark.django_db
def test_a_call_closing_on_the_first_reads_1er(client):
    appel = appel_complet(
        titre="AMI 2031 — Eau",
        ouverture=dt.datetime(2031, 1, 5, 9, 0, tzinfo=PARIS),
        cloture=dt.datetime(2031, 3, 1, 23, 59, tzinfo=PARIS),
    )
    html = client.get(reverse("appels:appel", args=[appel.slug])).content.decode()
    assert "1er mars 2031" in html
    assert "1 mars 2031" not in html


@pytest.mark.parametrize(
    ("jour", "mois", "attendu"),
    [
        (dt.date(2027, 1, 31), 1, dt.date(2027, 2, 28)),
        (dt.date(2028, 1, 31), 1, dt.date(2028, 2, 29)),
        (dt.date(2027, 11, 15), 12, dt.date(2028, 11, 15)),
        (dt.date(2027, 3, 31), -1, dt.date(2027, 2, 28)),
    ],
)
def test_ajouter_mois(jour, mois, attendu):
    assert ajouter_mois(jour, mois) == attendu


def test_in_a_table_column_the_moment_is_paris_time_without_the_mention():
    html = Template('{{ m|date_fr_colonne:"DATETIME_FORMAT" }} — {{ d|date_fr_colonne }}').render(
        Context({"m": dt.datetime(2027, 3, 1, 13, 0, tzinfo=dt.UTC), "d": dt.date(2027, 5, 1)})
    )
    assert html == "1er mars 2027 à 14h00 — 1er mai 2027"


@pytest.mark.django_db
def test_back_office_tables_say_paris_time_in_the_header_not_on_every_row(
    client, dgaln, atelier, pilote, elu
):
    """The calls of /gestion/appels/ and the versions of a roadmap: « (heure de Paris) » once,
    in the column header."""
    import re

    from tests.factories import feuilles_de_route as f

    for i in range(3):
        appel_complet(
            titre=f"AMI 2031 — n° {i}",
            ouverture=dt.datetime(2031, 1, 5, 9, 0, tzinfo=PARIS),
            cloture=dt.datetime(2031, 3, 1, 22, 59, tzinfo=dt.UTC),
        )
    feuille = f.feuille_with_actions(atelier)
    f.send(feuille, pilote, elu, f.etat_signataire(atelier))
    pages = [
        (
            dgaln,
            reverse("appels:gestion_appels"),
            ["Ouverture", "Clôture"],
            "1er mars 2031 à 23h59",
        ),
        (pilote, reverse("feuilles_de_route:versions", args=[atelier.pk]), ["Figée le"], " à "),
    ]
    for qui, url, colonnes, date in pages:
        client.force_login(qui)
        html = client.get(url).content.decode()
        entete, corps = re.search(r"<thead>(.*?)</thead>(.*?)</tbody>", html, re.S).groups()
        for colonne in colonnes:
            assert f"{colonne} (heure de Paris)" in entete, url
        assert date in corps and "heure de Paris" not in corps, url


@pytest.mark.parametrize(
    "format_name",
    [
        "DATE_FORMAT",
        "DATETIME_FORMAT",
        "TIME_FORMAT",
        "MONTH_DAY_FORMAT",
        "SHORT_DATE_FORMAT",
        "SHORT_DATETIME_FORMAT",
        r"l j F Y, H\hi",
        "l j F Y à H:i:s",
        "D d/m/y G:i",
        r"\j\o\u\r j",
        # Characters the quick writer leaves to Django's own formatter.
        "N j E, P",
        "c",
    ],
)
def test_dates_read_as_django_writes_them_with_1er(format_name):
    """Formats are parsed once and written by the project's own code: every day of a year
    (each month and day name, the first of each month, midnight, a leap day) reads as
    Django's formatter writes it, « 1er » for the first."""
    from django.utils import dateformat
    from django.utils.formats import get_format

    from atelier.dates import PARIS as HEURE_DE_PARIS
    from atelier.dates import _premier

    fmt = get_format(format_name)
    jour = dt.datetime(2028, 1, 1, 0, 5, 9, tzinfo=dt.UTC)
    for n in range(366):
        moment = (jour + dt.timedelta(days=n, hours=n % 24)).astimezone(HEURE_DE_PARIS)
        attendu = dateformat.format(moment, _premier(fmt) if moment.day == 1 else fmt)
        assert format_date(moment, format_name).removesuffix(" (heure de Paris)") == attendu


def test_a_time_format_for_a_date_is_still_refused():
    with pytest.raises(TypeError):
        format_date(dt.date(2027, 3, 1), "TIME_FORMAT")
