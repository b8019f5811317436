"""iCalendar (RFC 5545) for stages: the subscription feeds and the e-mail invitations.

Times are written in Europe/Paris local time with a VTIMEZONE that carries the EU summer-time
rule, so a calendar shows 10:00 for a 10:00 workshop on both sides of the DST change.
"""

import datetime as dt
import zoneinfo
from collections.abc import Iterable

from django.conf import settings
from django.utils import timezone
from icalendar import Calendar, Event, Timezone, TimezoneDaylight, TimezoneStandard, vRecur

from ateliers.models import Etape

PARIS = zoneinfo.ZoneInfo("Europe/Paris")
PRODID = "-//DGALN//Atelier des territoires//FR"
DUREE_PAR_DEFAUT = dt.timedelta(hours=3)
EPOQUE = dt.datetime(2024, 1, 1, tzinfo=dt.UTC)


def _vtimezone() -> Timezone:
    tz = Timezone()
    tz.add("tzid", "Europe/Paris")
    ete = TimezoneDaylight()
    ete.add("tzname", "CEST")
    ete.add("tzoffsetfrom", dt.timedelta(hours=1))
    ete.add("tzoffsetto", dt.timedelta(hours=2))
    ete.add("dtstart", dt.datetime(1970, 3, 29, 2, 0, 0))  # noqa: DTZ001 — floating, per RFC
    ete.add("rrule", vRecur(freq="YEARLY", bymonth=3, byday="-1SU"))
    hiver = TimezoneStandard()
    hiver.add("tzname", "CET")
    hiver.add("tzoffsetfrom", dt.timedelta(hours=2))
    hiver.add("tzoffsetto", dt.timedelta(hours=1))
    hiver.add("dtstart", dt.datetime(1970, 10, 25, 3, 0, 0))  # noqa: DTZ001
    hiver.add("rrule", vRecur(freq="YEARLY", bymonth=10, byday="-1SU"))
    tz.add_component(ete)
    tz.add_component(hiver)
    return tz


def _calendar(nom: str, method: str | None = None) -> Calendar:
    cal = Calendar()
    cal.add("prodid", PRODID)
    cal.add("version", "2.0")
    cal.add("calscale", "GREGORIAN")
    if method:
        cal.add("method", method)
    cal.add("x-wr-calname", nom)
    cal.add("x-wr-timezone", "Europe/Paris")
    cal.add_component(_vtimezone())
    return cal


def uid(etape: Etape) -> str:
    return f"etape-{etape.pk}@atelier-des-territoires"


def _event(etape: Etape, *, annulation: bool = False) -> Event:
    atelier = etape.atelier
    debut = etape.debut.astimezone(PARIS)
    fin = (etape.fin or etape.debut + DUREE_PAR_DEFAUT).astimezone(PARIS)
    event = Event()
    event.add("uid", uid(etape))
    event.add("dtstamp", timezone.now().astimezone(dt.UTC))
    event.add("dtstart", debut)
    event.add("dtend", fin)
    event.add("summary", f"{etape} — {atelier.titre}")
    if etape.lieu:
        event.add("location", etape.lieu)
    event.add("url", f"{settings.SITE_URL}{atelier.get_absolute_url()}etapes/{etape.pk}/")
    description = f"Atelier des territoires : {atelier.titre}"
    if etape.statut == Etape.Statut.ANNULEE and etape.motif_annulation:
        description += f"\nAnnulée : {etape.motif_annulation}"
    event.add("description", description)
    if etape.statut == Etape.Statut.ANNULEE or annulation:
        event.add("status", "CANCELLED")
    else:
        event.add("status", "CONFIRMED")
    # SEQUENCE must grow each time the event changes so that clients replace their copy;
    # minutes elapsed since a fixed epoch grow with every later notification.
    event.add("sequence", int((timezone.now() - EPOQUE).total_seconds() // 60))
    return event


def ics_flux(nom: str, etapes: Iterable[Etape]) -> bytes:
    """A subscription feed: every dated stage of ``etapes``, cancelled ones marked so."""
    cal = _calendar(nom)
    for etape in etapes:
        if etape.debut is not None:
            cal.add_component(_event(etape))
    return cal.to_ical()


def ics_invitation(etape: Etape, *, annulation: bool = False) -> bytes:
    """The .ics attached to a stage e-mail (METHOD:PUBLISH, or CANCEL for a cancellation)."""
    cal = _calendar(str(etape.atelier), method="CANCEL" if annulation else "PUBLISH")
    cal.add_component(_event(etape, annulation=annulation))
    return cal.to_ical()
