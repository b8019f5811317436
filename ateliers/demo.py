"""Builds the demonstration data set behind ``manage.py seed_demo``.

Reference/demo data, written directly through the ORM (not through the workflow services):
every object is looked up by a stable key (slug, e-mail, atelier + order…) and created or
updated, so that running the command twice changes nothing. Every row respects the models'
check constraints (dated publications, adopted versions with a date, stages in order…).
Dates are computed from the first day of the current month, so that the ateliers "en cours"
stay in progress and the open call stays open whenever the command is run.
"""

from __future__ import annotations

import copy
import datetime as dt
import hashlib
import json
import math
import random
from dataclasses import dataclass
from decimal import Decimal
from typing import Any

from allauth.account.models import EmailAddress
from django.contrib.auth.models import Group
from django.core.files.base import ContentFile
from django.db import transaction
from django.db.models import Model, Prefetch, Q
from django.utils import timezone
from django.utils.text import slugify

from acteurs.models import (
    DGALN_GROUP,
    Acteur,
    Invitation,
    Organisation,
    Participation,
    Presence,
    Role,
    Utilisateur,
)
from feuilles_de_route.models import (
    Action,
    Axe,
    FeuilleDeRoute,
    Financement,
    PointSuivi,
    Qualite,
    SignataireRequis,
    Signature,
    StatutSuivi,
    Version,
)
from feuilles_de_route.services import signature_sceau
from territoires.models import EPCI, Commune, Departement, Region, Territoire
from territoires.services import territoire_derive

try:  # the roadmap helper's canonical serialisation, the reference when it is present
    from feuilles_de_route import canonical as _canonical
except ImportError:
    _canonical = None

from . import demo_data as data
from .formats import FORMATS, Format, NatureEtape, NatureLivrable
from .models import (
    AppelACandidatures,
    Atelier,
    Avis,
    Candidature,
    Critere,
    Document,
    EntreeJournal,
    Etape,
    Livrable,
    NoteCritere,
    PieceRequise,
    Question,
    SessionNationale,
    SiteDemonstrateur,
)

DEMO_DOMAIN = "demo.atelier.gouv.fr"
# Shared by the five demo accounts; printed by the command. Demo data only.
DEMO_PASSWORD = "atelier-demo-2026"  # noqa: S105
# Fixed TOTP secret (base32) of the DGALN and pilote demo accounts, so that a demonstrator
# can add it once to an authenticator app. Demo data only, never on a real account.
DEMO_TOTP_SECRET = "ATELIERDESTERRITOIRESDEMO2345672"  # noqa: S105

DGALN = "dgaln"
PILOTE = "pilote"
EQUIPE = "equipe"
ELU = "elu"
HABITANT = "habitant"


@dataclass(frozen=True)
class CompteDemo:
    cle: str
    email: str
    prenom: str
    nom: str
    role: str
    totp: bool = False


COMPTES = [
    CompteDemo(
        DGALN,
        f"dgaln@{DEMO_DOMAIN}",
        "Delphine",
        "Arnaud",
        "DGALN (bureau des stratégies territoriales)",
        totp=True,
    ),
    CompteDemo(
        PILOTE,
        f"pilote@{DEMO_DOMAIN}",
        "Yannick",
        "Le Goff",
        "Pilote — DDTM des Côtes-d'Armor",
        totp=True,
    ),
    CompteDemo(
        EQUIPE,
        f"equipe@{DEMO_DOMAIN}",
        "Camille",
        "Rivière",
        "Équipe pluridisciplinaire — architecte-urbaniste",
    ),
    CompteDemo(ELU, f"elu@{DEMO_DOMAIN}", "Maryvonne", "Le Bras", "Élue — maire de Quintin"),
    CompteDemo(HABITANT, f"habitant@{DEMO_DOMAIN}", "Erwan", "Guillou", "Habitant de Quintin"),
]

# Which demo account takes part in which demo atelier (by territory), standing in for which
# member of the generated cast (see ``DemoSeeder._participants``).
PARTICIPATIONS_DEMO = {
    "Quintin": {"pilote": PILOTE, "equipe-1": EQUIPE, "elu-1": ELU, "habitant-1": HABITANT},
    "Saint-Brieuc Armor Agglomération": {"pilote": PILOTE, "elu-2": ELU},
    "Loudéac Communauté Bretagne Centre": {
        "pilote": PILOTE,
        "equipe-1": EQUIPE,
        "habitant-1": HABITANT,
    },
    "Lannion-Trégor Communauté": {"pilote": PILOTE},
}

ETATS_TERMINES = {
    Atelier.Statut.RESTITUE,
    Atelier.Statut.EN_MISE_EN_OEUVRE,
    Atelier.Statut.CLOS,
}

# Day offsets of each stage from the atelier's start.
DECALAGES = {
    NatureEtape.LANCEMENT: 0,
    NatureEtape.VISITE: 21,
    NatureEtape.ATELIER_1: 45,
    NatureEtape.ATELIER_2: 120,
    NatureEtape.INTER_ATELIER: 165,
    NatureEtape.ATELIER_3: 225,
    NatureEtape.RESTITUTION: 300,
    NatureEtape.PRESENTATION: 330,
}
DECALAGES_FLASH = {
    NatureEtape.LANCEMENT: 0,
    NatureEtape.ATELIER_FLASH: 45,
    NatureEtape.RESTITUTION: 105,
}
LIEUX = ["Salle du conseil", "Médiathèque", "Salle des fêtes", "Maison du territoire"]


@dataclass
class Resultat:
    comptes: list[CompteDemo]
    mot_de_passe: str
    secret_totp: str
    territoires: int
    ateliers: int


_UNKNOWN = object()


def upsert(
    model: type[Model], *, defaults: dict[str, Any], existing: Any = _UNKNOWN, **lookup: Any
) -> tuple[Any, bool]:
    """``update_or_create`` that saves only when a value differs.

    A second run must change nothing, not even the ``modifie_le`` timestamps. ``existing``
    is the row already loaded by the caller (or None when it is known to be missing), which
    spares one query per row when a whole atelier's rows were fetched at once.
    """
    obj = existing
    if obj is _UNKNOWN:
        obj = next(iter(model._default_manager.filter(**lookup).order_by()[:1]), None)
    if obj is None:
        return model._default_manager.create(**lookup, **defaults), True
    changed = [name for name, value in defaults.items() if _current(obj, name) != value]
    if changed:
        for name in changed:
            setattr(obj, name, defaults[name])
        obj.save()
    return obj, False


def _current(obj: Model, name: str) -> Any:
    """The field's value, without loading a related object (a query) for a foreign key."""
    field = obj._meta.get_field(name)
    if field.many_to_one or field.one_to_one:
        cached = obj._state.fields_cache.get(name)
        if cached is not None:
            return cached
        pk = getattr(obj, field.attname)
        return None if pk is None else _PrimaryKeyOnly(pk)
    return getattr(obj, name)


class _PrimaryKeyOnly:
    """Equal to any model instance with the same primary key."""

    def __init__(self, pk: Any) -> None:
        self.pk = pk

    def __eq__(self, other: object) -> bool:
        return getattr(other, "pk", None) == self.pk

    def __hash__(self) -> int:
        return hash(self.pk)


def theme_for(nom: str, index: int) -> str:
    """A theme that fits the territory: the coast for coastal ones, valleys for mountains."""
    for shift in range(len(data.THEMES)):
        theme = data.THEMES[(index + shift) % len(data.THEMES)]
        if theme == data.THEME_LITTORAL and nom not in data.LITTORAUX:
            continue
        if theme == data.THEME_MONTAGNE and nom not in data.MONTAGNES:
            continue
        return theme
    raise AssertionError("unreachable: some themes have no condition")


def add_months(day: dt.date, months: int) -> dt.date:
    index = day.year * 12 + day.month - 1 + months
    return dt.date(index // 12, index % 12 + 1, min(day.day, 28))


def aware(day: dt.date, hour: int, minute: int = 0) -> dt.datetime:
    """Paris wall-clock time, as UTC: later ``+ timedelta`` arithmetic then gives the same
    instant whether the value comes from this run or back from the database (DST-safe)."""
    local = timezone.make_aware(dt.datetime.combine(day, dt.time(hour, minute)))
    return local.astimezone(dt.UTC)


SCHEMA_FEUILLE = "atelier-des-territoires/feuille-de-route/1"


def canonical_json(contenu: dict) -> str:
    """Canonical text of a roadmap document: sorted keys, no whitespace, UTF-8 as is.

    The roadmap helper's ``feuilles_de_route.canonical`` module replaces this one whenever
    it is present (see :func:`roadmap_hash`); both give the same text for demo content.
    """
    return json.dumps(contenu, sort_keys=True, ensure_ascii=False, separators=(",", ":"))


def sha256_text(text: str) -> str:
    return hashlib.sha256(text.encode("utf-8")).hexdigest()


def roadmap_hash(contenu: dict) -> str:
    """SHA-256 of a version's canonical content, as the signatures record it."""
    if _canonical is not None:
        return _canonical.empreinte(contenu)
    return sha256_text(canonical_json(contenu))


def roadmap_snapshot(feuille: FeuilleDeRoute) -> dict[str, Any]:
    """The document a version freezes (the follow-up fields are not part of it)."""
    if _canonical is not None:
        return _canonical.snapshot(feuille)
    atelier = feuille.atelier
    actions = Prefetch(
        "actions",
        queryset=Action.objects.select_related("porteur", "site")
        .prefetch_related("partenaires", "financements")
        .order_by("ordre", "id"),
    )
    axes = []
    for axe in feuille.axes.order_by("ordre", "id").prefetch_related(actions):
        axes.append(
            {
                "ref": axe.pk,
                "titre": axe.titre,
                "description": axe.description,
                "actions": [
                    {
                        "ref": action.pk,
                        "titre": action.titre,
                        "description": action.description,
                        "porteur": action.porteur.nom if action.porteur else None,
                        "partenaires": sorted(o.nom for o in action.partenaires.all()),
                        "echeance": action.echeance.isoformat() if action.echeance else None,
                        "cout_estime": _amount(action.cout_estime),
                        "financements": [
                            {"source": f.source, "montant": _amount(f.montant)}
                            for f in sorted(action.financements.all(), key=lambda f: f.pk)
                        ],
                        "indicateurs": action.indicateurs,
                        "site": action.site.nom if action.site else None,
                        "priorite": action.priorite,
                    }
                    for action in axe.actions.all()
                ],
            }
        )
    return {
        "schema": SCHEMA_FEUILLE,
        "atelier": {
            "id": atelier.pk,
            "titre": atelier.titre,
            "territoire": atelier.territoire.nom,
            "format": atelier.format,
        },
        "feuille": {"titre": feuille.titre, "preambule": feuille.preambule},
        "axes": axes,
    }


def _amount(value: Decimal | None) -> str | None:
    return None if value is None else f"{Decimal(value):.2f}"


def tiny_pdf(title: str) -> bytes:
    """A one-page PDF showing ``title``: demo documents are real, openable files."""
    safe = title.encode("cp1252", "replace").replace(b"\\", b"\\\\")
    safe = safe.replace(b"(", b"\\(").replace(b")", b"\\)")
    stream = (
        b"BT /F1 16 Tf 56 780 Td (" + safe + b") Tj 0 -28 Td /F1 11 Tf "
        b"(Document de demonstration - Atelier des territoires) Tj ET"
    )
    objects = [
        b"<< /Type /Catalog /Pages 2 0 R >>",
        b"<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
        b"<< /Type /Page /Parent 2 0 R /MediaBox [0 0 595 842] "
        b"/Resources << /Font << /F1 4 0 R >> >> /Contents 5 0 R >>",
        b"<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica /Encoding /WinAnsiEncoding >>",
        b"<< /Length " + str(len(stream)).encode() + b" >>\nstream\n" + stream + b"\nendstream",
    ]
    out = bytearray(b"%PDF-1.4\n")
    offsets = []
    for number, body in enumerate(objects, start=1):
        offsets.append(len(out))
        out += f"{number} 0 obj\n".encode() + body + b"\nendobj\n"
    xref = len(out)
    out += f"xref\n0 {len(objects) + 1}\n0000000000 65535 f \n".encode()
    for offset in offsets:
        out += f"{offset:010d} 00000 n \n".encode()
    out += (
        f"trailer\n<< /Size {len(objects) + 1} /Root 1 0 R >>\nstartxref\n{xref}\n%%EOF\n".encode()
    )
    return bytes(out)


def perimetre_autour(lat: float, lon: float, rayon: float = 0.08) -> dict:
    """A simple octagon around the point (GeoJSON Polygon, closed ring, lon/lat order)."""
    ring = []
    for i in range(8):
        angle = i * 45
        dx = rayon * 1.4 * _cos(angle)
        dy = rayon * _sin(angle)
        ring.append([round(lon + dx, 5), round(lat + dy, 5)])
    ring.append(ring[0])
    return {"type": "Polygon", "coordinates": [ring]}


def _cos(degrees: int) -> float:
    return math.cos(math.radians(degrees))


def _sin(degrees: int) -> float:
    return math.sin(math.radians(degrees))


class DemoSeeder:
    """Creates or updates the whole demo data set; see the module docstring."""

    def __init__(self) -> None:
        self.now = timezone.now()
        self.today = timezone.localdate()
        self.ref = self.today.replace(day=1)
        self.regions = {r.code: r for r in Region.objects.all()}
        self.departements = {d.code: d for d in Departement.objects.all()}
        self.sessions = {s.slug: s for s in SessionNationale.objects.all()}
        self.users: dict[str, Utilisateur] = {}
        self.acteurs_demo: dict[str, Acteur] = {}
        self.organisations: dict[str, Organisation] = {}
        # Rows of a previous run, fetched once rather than one query each.
        self.users_by_email = {
            u.email: u for u in Utilisateur.objects.filter(email__endswith=f"@{DEMO_DOMAIN}")
        }
        self.acteurs_libres = {
            a.email: a for a in Acteur.objects.filter(est_demo=True, utilisateur__isnull=True)
        }
        self.acteurs_comptes = {
            a.utilisateur_id: a
            for a in Acteur.objects.filter(utilisateur__email__endswith=f"@{DEMO_DOMAIN}")
        }
        self.organisations = {o.slug: o for o in Organisation.objects.filter(est_demo=True)}
        self.organisations_a_jour: set[str] = set()
        self.password_hash = ""

    # --- entry point --------------------------------------------------------------------

    @transaction.atomic
    def run(self) -> Resultat:
        self._check_reference()
        self._organisations_nationales()
        self._comptes_demo()
        for index, spec in enumerate(data.ATELIERS):
            self._atelier(index, spec)
        self._appels()
        return Resultat(
            comptes=COMPTES,
            mot_de_passe=DEMO_PASSWORD,
            secret_totp=DEMO_TOTP_SECRET,
            territoires=Territoire.objects.filter(est_demo=True).count(),
            ateliers=Atelier.objects.filter(est_demo=True).count(),
        )

    def _check_reference(self) -> None:
        missing = [slug for slug, _ in (data.SESSION_SOLS, data.SESSION_PRODUCTIFS)]
        missing = [slug for slug in missing if slug not in self.sessions]
        if len(self.regions) < 18 or len(self.departements) < 101 or missing:
            raise RuntimeError(
                "Données de référence absentes : lancez d'abord « python manage.py migrate » "
                "puis « python manage.py load_reference »."
            )

    # --- people -------------------------------------------------------------------------

    def _user(
        self, email: str, prenom: str, nom: str, *, password: str | None = None
    ) -> Utilisateur:
        user = self.users_by_email.get(email)
        created = user is None
        if created:
            user = Utilisateur(email=email, first_name=prenom, last_name=nom)
            self.users_by_email[email] = user
        changed = created
        if (user.first_name, user.last_name) != (prenom, nom):
            user.first_name, user.last_name = prenom, nom
            changed = True
        if password is not None:
            # The demo accounts share one hash (hashing is deliberately slow): checked once
            # per run, then compared as text.
            if not self.password_hash:
                if created or not user.check_password(password):
                    user.set_password(password)
                    changed = True
                self.password_hash = user.password
            elif user.password != self.password_hash:
                user.password = self.password_hash
                changed = True
            if not user.is_active:
                user.is_active = True
                changed = True
        elif created:
            user.set_unusable_password()
        if changed:
            user.save()
        if password is not None:
            upsert(
                EmailAddress, user=user, email=email, defaults={"verified": True, "primary": True}
            )
        return user

    def _org(self, slug: str, nom: str, nature: str, departement=None) -> Organisation:
        if slug in self.organisations_a_jour:
            return self.organisations[slug]
        self.organisations_a_jour.add(slug)
        org, _ = upsert(
            Organisation,
            existing=self.organisations.get(slug),
            slug=slug,
            defaults={"nom": nom, "nature": nature, "departement": departement, "est_demo": True},
        )
        self.organisations[slug] = org
        return org

    def _acteur(
        self,
        email: str,
        prenom: str,
        nom: str,
        *,
        organisation: Organisation | None,
        fonction: str = "",
        specialite: str = "",
        utilisateur: Utilisateur | None = None,
    ) -> Acteur:
        defaults = {
            "prenom": prenom,
            "nom": nom,
            "organisation": organisation,
            "fonction": fonction,
            "specialite": specialite,
        }
        if utilisateur is not None:
            acteur, _ = upsert(
                Acteur,
                existing=self.acteurs_comptes.get(utilisateur.pk) if utilisateur.pk else None,
                utilisateur=utilisateur,
                defaults={**defaults, "email": email, "est_demo": True},
            )
            return acteur
        acteur, _ = upsert(
            Acteur,
            existing=self.acteurs_libres.get(email),
            email=email,
            est_demo=True,
            utilisateur=None,
            defaults=defaults,
        )
        return acteur

    def _organisations_nationales(self) -> None:
        self.dgaln = self._org(
            "dgaln-demo",
            "DGALN — Bureau des stratégies territoriales (démo)",
            Organisation.Nature.DGALN,
        )
        self.cerema = self._org("cerema-demo", "Cerema (démo)", Organisation.Nature.OPERATEUR)
        self.ademe = self._org("ademe-demo", "ADEME (démo)", Organisation.Nature.OPERATEUR)

    def _comptes_demo(self) -> None:
        ddt22 = self._ddt(self.departements["22"])
        quintin = self._org(
            f"{slugify('Quintin')}-demo-collectivite",
            "Commune de Quintin (démo)",
            Organisation.Nature.COLLECTIVITE,
            self.departements["22"],
        )
        habitants = self._org(
            "quintin-demo-habitants",
            "Collectif d'habitants — Quintin (démo)",
            Organisation.Nature.COLLECTIF_CITOYEN,
        )
        agence = self._org(
            slugify(data.AGENCES[0]), data.AGENCES[0], Organisation.Nature.BUREAU_ETUDES
        )
        organisations = {
            DGALN: (self.dgaln, "Cheffe de projet Atelier des territoires", ""),
            PILOTE: (ddt22, "Chef de projet aménagement, service urbanisme", ""),
            EQUIPE: (agence, "Architecte-urbaniste, mandataire", Acteur.Specialite.URBANISTE),
            ELU: (quintin, "Maire de Quintin", ""),
            HABITANT: (habitants, "Habitant", ""),
        }
        group = Group.objects.get(name=DGALN_GROUP)
        for compte in COMPTES:
            user = self._user(compte.email, compte.prenom, compte.nom, password=DEMO_PASSWORD)
            org, fonction, specialite = organisations[compte.cle]
            self.users[compte.cle] = user
            self.acteurs_demo[compte.cle] = self._acteur(
                compte.email,
                compte.prenom,
                compte.nom,
                organisation=org,
                fonction=fonction,
                specialite=specialite,
                utilisateur=user,
            )
            if compte.totp:
                self._totp(user)
        self.users[DGALN].groups.add(group)

    def _totp(self, user: Utilisateur) -> None:
        from allauth.mfa.models import Authenticator
        from allauth.mfa.utils import decrypt, encrypt

        authenticator = Authenticator.objects.filter(
            user=user, type=Authenticator.Type.TOTP
        ).first()
        if authenticator is None:
            Authenticator.objects.create(
                user=user,
                type=Authenticator.Type.TOTP,
                data={"secret": encrypt(DEMO_TOTP_SECRET)},
            )
        elif decrypt(authenticator.data.get("secret", "")) != DEMO_TOTP_SECRET:
            authenticator.data = {"secret": encrypt(DEMO_TOTP_SECRET)}
            authenticator.save(update_fields=["data"])

    def _ddt(self, departement: Departement) -> Organisation:
        return self._org(
            f"ddt-{departement.code.lower()}-demo",
            f"DDT(M) — {departement.nom} (démo)",
            Organisation.Nature.DDT,
            departement,
        )

    def _dreal(self, region: Region) -> Organisation:
        return self._org(
            f"dreal-{region.slug}-demo",
            f"DREAL — {region.nom} (démo)",
            Organisation.Nature.DREAL,
        )

    # --- territories and ateliers -------------------------------------------------------

    def _territoire(self, nom: str) -> Territoire:
        spec = next(t for t in data.TERRITOIRES if t[0] == nom)
        _, nature, region, deps, lat, lon, population, avec_perimetre = spec
        territoire, _ = upsert(
            Territoire,
            slug=f"{slugify(nom)}-demo",
            defaults={
                "nom": nom,
                "nature": nature,
                "region": self.regions[region],
                "latitude": lat,
                "longitude": lon,
                "population": population,
                "perimetre": perimetre_autour(lat, lon) if avec_perimetre else None,
                "description": (
                    f"Territoire de démonstration (démo) : {nom}. Les ateliers, participants "
                    "et feuilles de route affichés ici sont fictifs."
                ),
                "est_demo": True,
            },
        )
        territoire.departements.set([self.departements[code] for code in deps])
        membres = data.MEMBRES.get(nom, ())
        communes = Commune.objects.filter(code__in=membres)
        epci = EPCI.objects.filter(siren__in=membres)
        if len(communes) + len(epci) == len(membres) > 0:  # the COG is loaded
            territoire.communes.set(communes)
            territoire.epci.set(epci)
        return territoire_derive(territoire=territoire)

    def _atelier(self, index: int, spec: tuple) -> None:
        nom, fmt, session_slug, statut, annee, debut, publie = spec
        territoire = self._territoire(nom)
        departement = self.departements[next(t for t in data.TERRITOIRES if t[0] == nom)[3][0]]
        rng = random.Random(territoire.slug)  # noqa: S311 — deterministic demo content

        if isinstance(debut, int):
            date_debut = add_months(self.ref, debut).replace(day=10)
        else:
            date_debut = dt.date(debut[0], debut[1], 10)
        session = self.sessions[session_slug] if session_slug else None
        duree = FORMATS[fmt].duree_max_mois - (1 if fmt != Format.FLASH else 0)
        theme = session.titre if session else theme_for(nom, index)
        dates = self._dates_etapes(fmt, date_debut, index, statut)
        date_fin = dates[NatureEtape.RESTITUTION] if statut in ETATS_TERMINES else None
        # Announced a fortnight before the month of a coming start, never in the future.
        publie_le = (
            min(aware(date_debut, 10), aware(self.ref, 10) - dt.timedelta(days=14))
            if publie
            else None
        )

        ddt = self._ddt(departement)
        collectivite = self._org(
            f"{territoire.slug}-collectivite",
            f"{nom} (démo)" if territoire.nature != "commune" else f"Commune de {nom} (démo)",
            Organisation.Nature.COLLECTIVITE,
            departement,
        )
        agence_nom = data.AGENCES[index % len(data.AGENCES)]
        agence = self._org(slugify(agence_nom), agence_nom, Organisation.Nature.BUREAU_ETUDES)

        atelier, _ = upsert(
            Atelier,
            territoire=territoire,
            est_demo=True,
            defaults={
                "titre": f"{nom} — {theme} (démo)",
                "format": fmt,
                "session": session,
                "service_pilote": ddt,
                "theme": theme,
                "resume": (
                    f"Atelier {Format(fmt).label} de démonstration (démo). Les élus de {nom}, "
                    "les services de l'État et une équipe pluridisciplinaire construisent "
                    f"ensemble une vision d'avenir du territoire autour de l'enjeu « {theme} »."
                ),
                # The year of selection: a lauréat starting next year was selected this year.
                "annee": annee or min(date_debut.year, self.today.year),
                "statut": statut,
                "date_debut": date_debut,
                "date_fin_prevue": add_months(date_debut, duree),
                "date_fin": date_fin,
                "equipe_nom": agence_nom,
                "contrat_debut": date_debut - dt.timedelta(days=30),
                "contrat_fin": add_months(date_debut, duree + 1),
                "publie": publie,
                "publie_le": publie_le,
            },
        )
        participations = self._participants(
            atelier, nom, rng, ddt=ddt, collectivite=collectivite, agence=agence, index=index
        )
        etapes = self._etapes(atelier, fmt, dates, statut, index, participations, rng)
        sites = self._sites(atelier, territoire, etapes, statut, rng)
        self._journal(atelier, etapes, participations)
        if nom == "Lannion-Trégor Communauté":
            self._invitations(atelier)
        self._feuille(atelier, statut, index, etapes, participations, sites, collectivite, ddt)

    def _dates_etapes(
        self, fmt: str, date_debut: dt.date, index: int, statut: str
    ) -> dict[str, dt.date]:
        if fmt == Format.FLASH:
            return {
                nature: date_debut + dt.timedelta(days=d) for nature, d in DECALAGES_FLASH.items()
            }
        natures = [
            NatureEtape.LANCEMENT,
            NatureEtape.ATELIER_1,
            NatureEtape.ATELIER_2,
            NatureEtape.INTER_ATELIER,
            NatureEtape.ATELIER_3,
            NatureEtape.RESTITUTION,
        ]
        if index % 2 == 0:
            natures.append(NatureEtape.VISITE)
        if statut in (Atelier.Statut.EN_MISE_EN_OEUVRE, Atelier.Statut.CLOS):
            natures.append(NatureEtape.PRESENTATION)
        return {n: date_debut + dt.timedelta(days=DECALAGES[n]) for n in natures}

    def _participants(
        self,
        atelier: Atelier,
        nom: str,
        rng: random.Random,
        *,
        ddt: Organisation,
        collectivite: Organisation,
        agence: Organisation,
        index: int,
    ) -> dict[str, list[Participation]]:
        slug = atelier.territoire.slug
        dreal = self._dreal(atelier.territoire.region)
        socio = self._org(
            f"{slug}-socio",
            f"Chambre d'agriculture et coopératives — {nom} (démo)",
            Organisation.Nature.ENTREPRISE,
        )
        collectif = self._org(
            f"{slug}-habitants",
            f"Collectif d'habitants — {nom} (démo)",
            Organisation.Nature.COLLECTIF_CITOYEN,
        )
        demo_roles = PARTICIPATIONS_DEMO.get(nom, {})

        def person() -> tuple[str, str]:
            return rng.choice(data.PRENOMS), rng.choice(data.NOMS)

        # (key, role, organisation, fonction, spécialité, with an account?)
        cast: list[tuple[str, str, Organisation, str, str, bool]] = [
            ("pilote", Role.PILOTE, ddt, "Chef·fe de projet, service aménagement", "", True),
            ("equipe-1", Role.EQUIPE, agence, "Mandataire", Acteur.Specialite.ARCHITECTE, False),
            ("equipe-2", Role.EQUIPE, agence, "Paysagiste", Acteur.Specialite.PAYSAGISTE, False),
            (
                "equipe-3",
                Role.EQUIPE,
                agence,
                "Experte associée",
                [
                    Acteur.Specialite.ECONOMISTE,
                    Acteur.Specialite.EXPERT_MOBILITE,
                    Acteur.Specialite.EXPERT_EAU,
                    Acteur.Specialite.SOCIOLOGUE,
                ][index % 4],
                False,
            ),
            ("elu-1", Role.ELU, collectivite, self._fonction_elu(atelier), "", True),
            ("elu-2", Role.ELU, collectivite, "Adjoint·e à l'urbanisme", "", False),
            (
                "technicien",
                Role.TECHNICIEN,
                collectivite,
                "Directeur·rice de l'aménagement",
                "",
                False,
            ),
            (
                "dreal",
                Role.OBSERVATEUR,
                dreal,
                "Chargé·e de mission aménagement durable",
                "",
                False,
            ),
            ("socio", Role.SOCIO_PROFESSIONNEL, socio, "Conseiller·ère territorial·e", "", False),
            ("habitant-1", Role.HABITANT, collectif, "Habitant·e", "", False),
            ("habitant-2", Role.HABITANT, collectif, "Habitant·e", "", False),
        ]
        result: dict[str, list[Participation]] = {}
        existing = {p.acteur_id: p for p in atelier.participations.all()}
        for key, role, org, fonction, specialite, with_account in cast:
            prenom, nom_famille = person()
            if key in demo_roles:
                acteur = self.acteurs_demo[demo_roles[key]]
            else:
                email = f"{key}.{slug}@{DEMO_DOMAIN}"
                user = self._user(email, prenom, nom_famille) if with_account else None
                acteur = self._acteur(
                    email,
                    prenom,
                    nom_famille,
                    organisation=org,
                    fonction=fonction,
                    specialite=specialite,
                    utilisateur=user,
                )
            participation, _ = upsert(
                Participation,
                existing=existing.get(acteur.pk),
                acteur=acteur,
                atelier=atelier,
                defaults={"role": role},
            )
            participation.acteur = acteur
            result.setdefault(role, []).append(participation)
        return result

    @staticmethod
    def _fonction_elu(atelier: Atelier) -> str:
        nature = atelier.territoire.nature
        if nature == Territoire.Nature.COMMUNE:
            return f"Maire de {atelier.territoire.nom}"
        if nature == Territoire.Nature.PNR:
            return "Président·e du syndicat mixte du Parc"
        if nature == Territoire.Nature.PETR:
            return "Président·e du PETR"
        return "Président·e de l'intercommunalité"

    def _etapes(
        self,
        atelier: Atelier,
        fmt: str,
        dates: dict[str, dt.date],
        statut: str,
        index: int,
        participations: dict[str, list[Participation]],
        rng: random.Random,
    ) -> list[Etape]:
        modeles = {m.nature: m for m in FORMATS[fmt].etapes}
        ordered = sorted(dates.items(), key=lambda item: item[1])
        pilote_user = participations[Role.PILOTE][0].acteur.utilisateur
        everyone = [p for group in participations.values() for p in group]
        etapes = []
        presences = []
        existing = {e.ordre: e for e in atelier.etapes.all()}
        livrables = {
            (x.etape_id, x.nature): x for x in Livrable.objects.filter(etape__atelier=atelier)
        }
        for position, (nature, day) in enumerate(ordered, start=1):
            debut, fin = aware(day, 9, 30), aware(day, 17, 0)
            if statut == Atelier.Statut.EN_PREPARATION:
                etat = Etape.Statut.PREVUE
            elif statut in ETATS_TERMINES and nature != NatureEtape.PRESENTATION:
                etat = Etape.Statut.REALISEE
            else:
                # Decided against the first day of the month, like every relative date here:
                # a rerun later in the month must not turn a done stage back into a planned
                # one (its attendance and deliverables would be left behind).
                etat = Etape.Statut.REALISEE if day < self.ref else Etape.Statut.PREVUE
            motif = ""
            if (
                nature == NatureEtape.INTER_ATELIER
                and statut == Atelier.Statut.EN_COURS
                and etat == Etape.Statut.REALISEE
                and index % 3 == 0
            ):
                etat = Etape.Statut.ANNULEE
                motif = "Report demandé par les élus en raison d'un conseil exceptionnel (démo)."
            label = NatureEtape(nature).label
            etape, _ = upsert(
                Etape,
                existing=existing.get(position * 10),
                atelier=atelier,
                ordre=position * 10,
                defaults={
                    "nature": nature,
                    "titre": str(label),
                    "debut": debut,
                    "fin": fin,
                    "lieu": f"{LIEUX[position % len(LIEUX)]} — {atelier.territoire.nom}",
                    "resume": (
                        f"{label} (démo) : échanges entre élus, techniciens, habitants et "
                        "équipe pluridisciplinaire ; les points clés figurent au compte rendu."
                        if etat == Etape.Statut.REALISEE
                        else ""
                    ),
                    "statut": etat,
                    "motif_annulation": motif,
                },
            )
            etapes.append(etape)
            modele = modeles.get(nature)
            for livrable_nature in modele.livrables if modele else ():
                livrable = livrables.get((etape.pk, livrable_nature))
                if livrable is None:
                    livrable = Livrable.objects.create(
                        etape=etape, nature=livrable_nature, obligatoire=True
                    )
                if etat == Etape.Statut.REALISEE and livrable.document_id is None:
                    livrable.document = self._document(atelier, etape, livrable_nature, pilote_user)
                    livrable.save(update_fields=["document"])
            if etat == Etape.Statut.REALISEE:
                for participation in everyone:
                    always = participation.role in (Role.PILOTE, Role.EQUIPE)
                    presences.append(
                        Presence(
                            etape=etape,
                            participation=participation,
                            present=always or rng.random() < 0.8,
                        )
                    )
        Presence.objects.bulk_create(presences, ignore_conflicts=True)
        return etapes

    def _document(
        self, atelier: Atelier, etape: Etape, nature: str, auteur: Utilisateur | None
    ) -> Document:
        titre = f"{NatureLivrable(nature).label} — {etape.titre} (démo)"
        existing = Document.objects.filter(
            atelier=atelier, etape=etape, titre=titre, version=1
        ).first()
        if existing:
            return existing
        categorie = {
            NatureLivrable.COMPTE_RENDU: Document.Categorie.COMPTE_RENDU,
            NatureLivrable.SITES_DEMONSTRATEURS: Document.Categorie.CARTE,
        }.get(nature, Document.Categorie.RAPPORT)
        content = tiny_pdf(titre)
        filename = f"{slugify(titre)[:80]}.pdf"
        document = Document(
            atelier=atelier,
            etape=etape,
            categorie=categorie,
            titre=titre,
            nom_original=filename,
            type_mime="application/pdf",
            taille=len(content),
            sha256=hashlib.sha256(content).hexdigest(),
            depose_par=auteur,
            publie=atelier.publie and nature != NatureLivrable.COMPTE_RENDU,
        )
        document.fichier.save(filename, ContentFile(content), save=False)
        document.save()
        return document

    def _sites(
        self,
        atelier: Atelier,
        territoire: Territoire,
        etapes: list[Etape],
        statut: str,
        rng: random.Random,
    ) -> list[SiteDemonstrateur]:
        consolidated = any(
            e.nature in (NatureEtape.ATELIER_2, NatureEtape.ATELIER_FLASH)
            and e.statut == Etape.Statut.REALISEE
            for e in etapes
        )
        if not consolidated:
            return []
        sites = []
        existing = {site.nom: site for site in atelier.sites_demonstrateurs.all()}
        count = 3 if atelier.format != Format.FLASH else 1
        for position, (nom, description) in enumerate(data.SITES[:count]):
            dx, dy = rng.uniform(-0.04, 0.04), rng.uniform(-0.03, 0.03)
            lon, lat = round(territoire.longitude + dx, 5), round(territoire.latitude + dy, 5)
            if position == 2:
                geometrie = perimetre_autour(lat, lon, rayon=0.006)
            else:
                geometrie = {"type": "Point", "coordinates": [lon, lat]}
            site, _ = upsert(
                SiteDemonstrateur,
                existing=existing.get(f"{nom} (démo)"),
                atelier=atelier,
                nom=f"{nom} (démo)",
                defaults={"description": description, "geometrie": geometrie},
            )
            sites.append(site)
        return sites

    def _journal(
        self,
        atelier: Atelier,
        etapes: list[Etape],
        participations: dict[str, list[Participation]],
    ) -> None:
        auteur = participations[Role.PILOTE][0].acteur.utilisateur
        done = [e for e in etapes if e.statut == Etape.Statut.REALISEE]
        if not done:
            entries = [(data.JOURNAL[0], min(self.today, self.ref), None)]
        else:
            entries = [
                (texte, min(self.today, etape.debut.date() + dt.timedelta(days=2)), etape)
                for texte, etape in zip(data.JOURNAL, done, strict=False)
            ]
        existing = {entree.texte: entree for entree in atelier.journal.all()}
        for texte, day, etape in entries:
            upsert(
                EntreeJournal,
                existing=existing.get(texte),
                atelier=atelier,
                texte=texte,
                defaults={"date": day, "etape": etape, "auteur": auteur},
            )

    def _invitations(self, atelier: Atelier) -> None:
        for position, role in enumerate((Role.ELU, Role.HABITANT, Role.TECHNICIEN), start=1):
            Invitation.objects.get_or_create(
                atelier=atelier,
                email=f"invite{position}.{atelier.territoire.slug}@{DEMO_DOMAIN}",
                defaults={
                    "role": role,
                    "invitee_par": self.users[PILOTE],
                    "expire_le": self.now + dt.timedelta(days=14),
                },
            )

    # --- roadmaps -----------------------------------------------------------------------

    def _feuille(
        self,
        atelier: Atelier,
        statut: str,
        index: int,
        etapes: list[Etape],
        participations: dict[str, list[Participation]],
        sites: list[SiteDemonstrateur],
        collectivite: Organisation,
        ddt: Organisation,
    ) -> None:
        if statut == Atelier.Statut.EN_PREPARATION or not sites:
            return
        feuille, _ = upsert(
            FeuilleDeRoute,
            atelier=atelier,
            defaults={
                "titre": f"Feuille de route — {atelier.territoire.nom} (démo)",
                "preambule": (
                    f"Issue de l'Atelier des territoires de {atelier.territoire.nom}, cette "
                    "feuille de route (démo) traduit l'engagement conjoint des élus et de "
                    "l'État pour la mise en œuvre d'un plan d'actions."
                ),
            },
        )
        axes = {axe.ordre: axe for axe in feuille.axes.all()}
        actions_existantes = {
            (a.axe_id, a.ordre): a for a in Action.objects.filter(axe__feuille=feuille)
        }
        financements_existants = {
            (f.action_id, f.source): f
            for f in Financement.objects.filter(action__axe__feuille=feuille)
        }
        partenaires_existants: dict[int, set[int]] = {}
        for action_id, organisation_id in Action.partenaires.through.objects.filter(
            action__axe__feuille=feuille
        ).values_list("action_id", "organisation_id"):
            partenaires_existants.setdefault(action_id, set()).add(organisation_id)
        porteurs = {"collectivite": collectivite, "etat": ddt, "operateur": self.cerema}
        echeance_base = atelier.date_fin or atelier.date_fin_prevue
        actions = []
        for axe_ordre, (axe_titre, axe_desc, actions_spec) in enumerate(data.AXES, start=1):
            axe, _ = upsert(
                Axe,
                existing=axes.get(axe_ordre),
                feuille=feuille,
                ordre=axe_ordre,
                defaults={"titre": axe_titre, "description": axe_desc},
            )
            for ordre, (titre, desc, porteur, cout, financements) in enumerate(
                actions_spec, start=1
            ):
                action, _ = upsert(
                    Action,
                    existing=actions_existantes.get((axe.pk, ordre)),
                    axe=axe,
                    ordre=ordre,
                    defaults={
                        "titre": titre,
                        "description": desc,
                        "porteur": porteurs[porteur],
                        "echeance": add_months(echeance_base, 6 * ordre + 6 * axe_ordre),
                        "cout_estime": Decimal(cout),
                        "indicateurs": "Avancement des études ; surfaces désimperméabilisées.",
                        "site": sites[(axe_ordre + ordre) % len(sites)],
                        "priorite": Action.Priorite.HAUTE
                        if ordre == 1
                        else Action.Priorite.MOYENNE,
                    },
                )
                partenaires = [ddt, self.ademe] if porteur != "etat" else [collectivite]
                if partenaires_existants.get(action.pk) != {o.pk for o in partenaires}:
                    action.partenaires.set(partenaires)
                for source, montant in financements:
                    upsert(
                        Financement,
                        existing=financements_existants.get((action.pk, source)),
                        action=action,
                        source=source,
                        defaults={"montant": Decimal(montant)},
                    )
                actions.append(action)

        if statut not in ETATS_TERMINES:
            return  # a draft roadmap, still being written

        elu = participations[Role.ELU][0].acteur
        pilote = participations[Role.PILOTE][0].acteur
        restitution = next(e for e in etapes if e.nature == NatureEtape.RESTITUTION)
        signing_day = restitution.debut + dt.timedelta(days=20)
        snapshot = roadmap_snapshot(feuille)
        numero = 1
        if statut == Atelier.Statut.CLOS and index % 2 == 0:
            # A first version replaced by a second one, to show the versioning.
            draft = copy.deepcopy(snapshot)
            draft["feuille"]["preambule"] += " Version de travail."
            self._version(feuille, 1, draft, Version.Statut.REMPLACEE, pilote, None)
            numero = 2

        awaits_all = atelier.territoire.nom == "Quintin"
        if statut == Atelier.Statut.RESTITUE and (awaits_all or index % 3 != 1):
            # In signature: Quintin (the demo accounts) awaits both signatures, the others
            # the State's only.
            version = self._version(
                feuille, numero, snapshot, Version.Statut.EN_SIGNATURE, pilote, None
            )
            self._requis(version, elu, pilote)
            if not awaits_all:
                self._signe(version, elu, Qualite.ELU, signing_day)
            FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
                version_adoptee=None, publiee=False, publiee_le=None
            )
            return

        adoption = signing_day + dt.timedelta(days=7)
        version = self._version(feuille, numero, snapshot, Version.Statut.ADOPTEE, pilote, adoption)
        self._requis(version, elu, pilote)
        self._signe(version, elu, Qualite.ELU, signing_day)
        self._signe(version, pilote, Qualite.ETAT, signing_day + dt.timedelta(days=5))
        publiee = statut != Atelier.Statut.RESTITUE and atelier.publie
        FeuilleDeRoute.objects.filter(pk=feuille.pk).update(
            version_adoptee=version,
            publiee=publiee,
            publiee_le=adoption + dt.timedelta(days=3) if publiee else None,
        )
        if statut in (Atelier.Statut.EN_MISE_EN_OEUVRE, Atelier.Statut.CLOS):
            self._suivi(actions, adoption.date(), pilote.utilisateur, statut)

    def _version(
        self,
        feuille: FeuilleDeRoute,
        numero: int,
        contenu: dict,
        statut: str,
        auteur: Acteur,
        adoptee_le: dt.datetime | None,
    ) -> Version:
        defaults = {
            "contenu": contenu,
            "empreinte": roadmap_hash(contenu),
            "statut": statut,
            "creee_par": auteur.utilisateur,
            "adoptee_le": adoptee_le,
            "deliberation_reference": (
                f"Délibération n° {adoptee_le:%Y}-{feuille.pk:03d} (démo)" if adoptee_le else ""
            ),
            "deliberation_date": adoptee_le.date() if adoptee_le else None,
        }
        version, _ = upsert(Version, feuille=feuille, numero=numero, defaults=defaults)
        return version

    def _requis(self, version: Version, elu: Acteur, pilote: Acteur) -> None:
        for acteur, qualite in ((elu, Qualite.ELU), (pilote, Qualite.ETAT)):
            SignataireRequis.objects.get_or_create(
                version=version, utilisateur=acteur.utilisateur, defaults={"qualite": qualite}
            )

    def _signe(self, version: Version, acteur: Acteur, qualite: str, when: dt.datetime) -> None:
        # A signature is sealed once written (database triggers): create it whole, with its
        # demo date and its seal, and never touch it again.
        if Signature.objects.filter(version=version, signataire=acteur.utilisateur).exists():
            return
        capacite = acteur.fonction
        if qualite == Qualite.ETAT:
            capacite = f"Pour le préfet, {acteur.organisation.nom}"
        signature = Signature(
            version=version,
            signataire=acteur.utilisateur,
            nom_signataire=str(acteur),
            qualite=qualite,
            capacite=capacite,
            empreinte=version.empreinte,
            signee_le=when,
        )
        signature.sceau = signature_sceau(signature)
        signature.save()

    def _suivi(
        self, actions: list[Action], adoption: dt.date, auteur: Utilisateur | None, statut: str
    ) -> None:
        etats = [
            (StatutSuivi.REALISEE, 100),
            (StatutSuivi.EN_COURS, 60),
            (StatutSuivi.EN_COURS, 30),
            (StatutSuivi.BLOQUEE, 10),
            (StatutSuivi.A_VENIR, None),
        ]
        for position, action in enumerate(actions):
            etat, pourcentage = etats[position % len(etats)]
            if statut == Atelier.Statut.CLOS and etat != StatutSuivi.A_VENIR:
                etat, pourcentage = StatutSuivi.REALISEE, 100
            if (action.statut_suivi, action.avancement) != (etat, pourcentage):
                Action.objects.filter(pk=action.pk).update(
                    statut_suivi=etat, avancement=pourcentage
                )
            if etat == StatutSuivi.A_VENIR:
                continue
            # Keyed on the comment, not the date: a date capped at today moves from day to
            # day, the row must not be duplicated.
            upsert(
                PointSuivi,
                action=action,
                commentaire="Point d'étape du comité de suivi (démo).",
                defaults={
                    "date": min(add_months(adoption, 6), self.today),
                    "etat": etat,
                    "pourcentage": pourcentage,
                    "auteur": auteur,
                },
            )

    # --- calls and candidatures ---------------------------------------------------------

    def _appels(self) -> None:
        session, _ = upsert(
            SessionNationale,
            slug="session-nationale-demo",
            defaults={
                "titre": "Territoires en adaptation : sobriété foncière et résilience (démo)",
                "theme": "Adaptation au changement climatique",
                "annee_debut": self.today.year,
                "annee_fin": self.today.year + 1,
                "description": (
                    "Session nationale de démonstration (démo) : accompagner les territoires "
                    "dans l'adaptation au changement climatique et la sobriété foncière."
                ),
                "est_historique": False,
            },
        )
        ami, _ = upsert(
            AppelACandidatures,
            slug="ami-session-nationale-demo",
            defaults={
                "titre": f"AMI Atelier des territoires {self.today.year} — {session.titre}",
                "nature": AppelACandidatures.Nature.SESSION,
                "session": session,
                "description": (
                    "Appel à manifestation d'intérêt de démonstration (démo) pour la session "
                    "nationale Multisite : dix territoires seront accompagnés pendant dix à "
                    "douze mois par une équipe pluridisciplinaire."
                ),
                "eligibilite": (
                    "Intercommunalités, groupements de communes, PETR et parcs naturels "
                    "régionaux, avec le soutien de leur DDT(M) et de la DREAL."
                ),
                "ouverture": aware(add_months(self.ref, -1), 9),
                "cloture": aware(add_months(self.ref, 3), 12),
                "statut": AppelACandidatures.Statut.PUBLIE,
                "est_demo": True,
            },
        )
        carte, _ = upsert(
            AppelACandidatures,
            slug="appel-a-la-carte",
            defaults={
                "titre": "Atelier des territoires « à la carte » — ateliers Local et Flash",
                "nature": AppelACandidatures.Nature.A_LA_CARTE,
                "session": None,
                "description": (
                    "Depuis 2020, les territoires peuvent demander au fil de l'eau un atelier "
                    "Local (10 à 12 mois, trois ateliers) ou Flash (3 à 6 mois, un atelier), "
                    "sur une thématique spécifique locale."
                ),
                "eligibilite": (
                    "Collectivités et groupements, avec l'appui de la DDT(M) ou de la DREAL."
                ),
                "ouverture": aware(dt.date(2020, 9, 1), 9),
                "cloture": None,
                "statut": AppelACandidatures.Statut.PUBLIE,
                "est_demo": True,
            },
        )
        upsert(
            AppelACandidatures,
            slug="ami-territoires-productifs-2023-demo",
            defaults={
                "titre": (
                    "AMI « Aménagement, territoires productifs et création de valeurs » (démo)"
                ),
                "nature": AppelACandidatures.Nature.SESSION,
                "session": self.sessions[data.SESSION_PRODUCTIFS[0]],
                "description": "Appel clos de la session 2023, conservé pour l'historique (démo).",
                "ouverture": aware(dt.date(2023, 3, 1), 9),
                "cloture": aware(dt.date(2023, 5, 31), 12),
                "statut": AppelACandidatures.Statut.DECIDE,
                "est_demo": True,
            },
        )
        for appel in (ami, carte):
            self._contenu_appel(appel)
        self._candidatures({"ami": ami, "carte": carte})

    def _contenu_appel(self, appel: AppelACandidatures) -> None:
        for ordre, (libelle, type_, choix, obligatoire) in enumerate(data.QUESTIONS, start=1):
            upsert(
                Question,
                appel=appel,
                ordre=ordre,
                defaults={
                    "libelle": libelle,
                    "type": type_,
                    "choix": choix,
                    "obligatoire": obligatoire,
                },
            )
        for ordre, (libelle, description, obligatoire) in enumerate(data.PIECES, start=1):
            upsert(
                PieceRequise,
                appel=appel,
                ordre=ordre,
                defaults={
                    "libelle": libelle,
                    "description": description,
                    "obligatoire": obligatoire,
                },
            )
        for ordre, libelle in enumerate(data.CRITERES, start=1):
            upsert(Critere, appel=appel, ordre=ordre, defaults={"libelle": libelle})

    def _candidatures(self, appels: dict[str, AppelACandidatures]) -> None:
        dgaln = self.users[DGALN]
        S = Candidature.Statut
        for position, spec in enumerate(data.CANDIDATURES, start=1):
            nom, nature, region, dep, lat, lon, fmt, statut, appel_cle = spec
            appel = appels[appel_cle]
            auteur = self._user(
                f"candidat{position}@{DEMO_DOMAIN}", "Service", f"urbanisme n°{position}"
            )
            questions = list(appel.questions.order_by("ordre"))
            reponses = {
                str(q.pk): (
                    q.choix[1]
                    if q.type == Question.Type.CHOIX
                    else "12"
                    if q.type == Question.Type.NOMBRE
                    else f"Réponse de démonstration (démo) de {nom}."
                )
                for q in questions
            }
            depose = statut != S.BROUILLON
            base = max(appel.ouverture, aware(add_months(self.ref, -3), 9))
            deposee_le = base + dt.timedelta(days=3 + position) if depose else None
            decidee = statut in (S.RETENUE, S.NON_RETENUE, S.IRRECEVABLE)
            departement = self.departements[dep]
            candidature, _ = upsert(
                Candidature,
                appel=appel,
                territoire_nom=nom,
                est_demo=True,
                defaults={
                    "auteur": auteur,
                    "statut": statut,
                    "format_demande": fmt,
                    "territoire_nature": nature,
                    "region": self.regions[region],
                    "departement": departement,
                    "latitude": lat,
                    "longitude": lon,
                    "porteur": nom,
                    "contact_etat_nom": "Service aménagement (démo)",
                    "contact_etat_email": f"ddt{dep.lower()}@{DEMO_DOMAIN}",
                    "contact_etat_service": f"DDT(M) — {departement.nom}",
                    "resume": (
                        f"Candidature de démonstration (démo) : {nom} souhaite construire une "
                        "stratégie d'aménagement partagée avec l'appui de l'État."
                    ),
                    "reponses": reponses,
                    "motif_irrecevabilite": (
                        "Dossier incomplet : délibération de la collectivité manquante (démo)."
                        if statut == S.IRRECEVABLE
                        else ""
                    ),
                    "motivation_decision": (
                        "Projet retenu : portage politique fort et enjeux partagés (démo)."
                        if statut == S.RETENUE
                        else "Projet à mûrir avec la DDT avant une nouvelle candidature (démo)."
                        if statut == S.NON_RETENUE
                        else ""
                    ),
                    "deposee_le": deposee_le,
                    "decidee_le": (
                        min(deposee_le + dt.timedelta(days=20), self.now) if decidee else None
                    ),
                },
            )
            if statut in (S.EN_INSTRUCTION, S.RETENUE, S.NON_RETENUE):
                candidature.rapporteurs.set([dgaln])
                self._avis(candidature, dgaln, position)
            if statut == S.RETENUE:
                territoire = Territoire.objects.filter(slug=f"{slugify(nom)}-demo").first()
                if territoire:
                    Candidature.objects.filter(pk=candidature.pk).update(territoire=territoire)
                    Atelier.objects.filter(territoire=territoire, est_demo=True).filter(
                        Q(candidature__isnull=True) | Q(candidature=candidature)
                    ).update(candidature=candidature)

    def _avis(self, candidature: Candidature, rapporteur: Utilisateur, position: int) -> None:
        avis, _ = upsert(
            Avis,
            candidature=candidature,
            rapporteur=rapporteur,
            defaults={
                "commentaire": (
                    "Territoire mobilisé, enjeux bien identifiés ; le périmètre "
                    "inter-communal reste à préciser (démo)."
                )
            },
        )
        for critere in candidature.appel.criteres.all():
            upsert(
                NoteCritere,
                avis=avis,
                critere=critere,
                defaults={"note": 2 + (critere.ordre + position) % 4},
            )


def seed_demo() -> Resultat:
    """Create or update the demo data set (idempotent)."""
    return DemoSeeder().run()
