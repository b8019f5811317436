"""One voice in French (issue 18): sizes in Ko/Mo, kinds of files instead of MIME types, one
word for an e-mail address and for the message (allauth included), no field both optional
and « obligatoire », régions in French order, one date format on screen."""

import contextlib
import gettext
import importlib
import io
import re
from html import unescape
from pathlib import Path

import pytest
from django import forms
from django.apps import apps
from django.conf import settings
from django.urls import reverse

from atelier.textes import cle_tri, format_taille, nature_fichier
from tests import factories
from tests.factories import ateliers as fat
from tests.projet.test_typographie import _files, visible_text

BASE_DIR = Path(settings.BASE_DIR)


# --- Sizes and kinds of files ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("octets", "dit"),
    [
        (1, "1\u00a0octet"),
        (850, "850\u00a0octets"),
        (12_345, "12\u00a0Ko"),
        (1_500, "1,5\u00a0Ko"),
        (1_234_567, "1,2\u00a0Mo"),
        (10 * 1024 * 1024, "10\u00a0Mo"),
    ],
)
def test_sizes_are_said_in_octets_ko_and_mo(octets, dit):
    assert format_taille(octets) == dit


def test_kinds_of_files_are_named_not_typed():
    assert nature_fichier("application/pdf") == "PDF"
    assert nature_fichier("image/png") == "Image (PNG)"
    assert (
        nature_fichier("application/vnd.openxmlformats-officedocument.spreadsheetml.sheet")
        == "Tableur (XLSX)"
    )
    assert nature_fichier("application/x-inconnu") == "Fichier"


def test_no_template_shows_a_raw_size_or_a_mime_type():
    faults = []
    for path in _files():
        source = path.read_text(encoding="utf-8")
        for motif in (r"\|filesizeformat", r"\.type_mime\s*\}\}", r"\.content_type\s*\}\}"):
            if re.search(motif, source):
                faults.append(f"{path.relative_to(BASE_DIR)} : {motif}")
        if re.search(r"\b(?:KB|MB|GB|KiB|MiB|Kio|Mio|bytes)\b", visible_text(source)):
            faults.append(f"{path.relative_to(BASE_DIR)} : unité anglaise ou binaire")
    assert faults == []


@pytest.mark.django_db
def test_a_document_page_says_pdf_and_ko(client, atelier, pilote):
    document = fat.document(atelier, by=pilote, titre="Diagnostic")
    client.force_login(pilote)
    html = client.get(reverse("ateliers:document", args=[atelier.pk, document.pk])).content
    text = unescape(html.decode())
    assert "application/pdf" not in text and "Kio" not in text
    assert re.search(r"PDF – \d+(,\d)?\u00a0(octets|Ko)", text)


# --- One word for the address and the message -----------------------------------------------

_EMAIL = re.compile(r"(?i)\be-?mails?\b")


@pytest.mark.django_db
@pytest.mark.parametrize(
    "nom",
    ["account_login", "account_signup", "account_reset_password", "account_reset_password_done"],
)
def test_account_pages_say_adresse_electronique_and_courriel(client, nom):
    text = visible_text(client.get(reverse(nom)).content.decode())
    assert not _EMAIL.search(text), _EMAIL.search(text)


@pytest.mark.django_db
def test_the_address_management_page_says_adresse_electronique(client, pilote):
    client.force_login(pilote)
    text = unescape(visible_text(client.get(reverse("account_email")).content.decode()))
    assert "Adresse électronique" in text
    assert not _EMAIL.search(text), _EMAIL.search(text)


def test_the_allauth_catalogue_is_rewritten_and_compiled():
    """locale/fr is what scripts/vocabulaire_allauth.py makes from the installed allauth
    (run it again after an upgrade), and its .mo is its .po compiled."""
    spec = importlib.util.spec_from_file_location(
        "vocabulaire", BASE_DIR / "scripts" / "vocabulaire_allauth.py"
    )
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    dossier = BASE_DIR / "locale" / "fr" / "LC_MESSAGES"
    entrees = module.construire()
    assert module.lire_po((dossier / "django.po").read_text(encoding="utf-8")) == entrees
    assert (dossier / "django.mo").read_bytes() == module.compiler(entrees)
    catalogue = gettext.GNUTranslations(io.BytesIO(module.compiler(entrees)))
    assert catalogue.gettext("Email address") == "Adresse électronique"
    assert not any(module.dit_email(v) for e in entrees for k, v in e.items() if k != "msgid")


# --- Optional or required, never both -------------------------------------------------------


def _forms():
    for app in apps.get_app_configs():
        if app.path.startswith(str(BASE_DIR)):
            with contextlib.suppress(ModuleNotFoundError):
                importlib.import_module(f"{app.name}.forms")

    def sous_classes(cls):
        for sous in cls.__subclasses__():
            yield sous
            yield from sous_classes(sous)

    return {c for c in sous_classes(forms.BaseForm) if c.__module__.split(".")[0] in _APPS}


_APPS = {"acteurs", "appels", "ateliers", "feuilles_de_route", "capitalisation", "public"}


def test_no_optional_field_says_it_is_required():
    """django-dsfr writes « (Optionnel) » after every field that is not required: its label
    and its hint must not say « obligatoire » too (« À donner si… » says when it is needed)."""
    found = _forms()
    assert len(found) > 20
    faults = [
        f"{form.__module__}.{form.__name__}.{nom}"
        for form in found
        for nom, field in form.base_fields.items()
        if not field.required
        and (
            "obligatoire" in str(field.label or "").lower()
            or str(field.help_text or "").lower().startswith("obligatoire")
        )
    ]
    assert faults == []


# --- Régions in French order ----------------------------------------------------------------


def test_the_sort_key_ignores_accents_and_capitals():
    noms = ["Normandie", "Île-de-France", "Hauts-de-France", "Grand Est", "Occitanie"]
    assert sorted(noms, key=cle_tri) == [
        "Grand Est",
        "Hauts-de-France",
        "Île-de-France",
        "Normandie",
        "Occitanie",
    ]


def _options(html: str, name: str) -> list[str]:
    select = re.search(rf'<select[^>]*name="{name}"[^>]*>(.*?)</select>', html, re.S)[1]
    return [unescape(o).strip() for o in re.findall(r"<option[^>]*>([^<]*)</option>", select)]


def _in_french_order(options: list[str]) -> None:
    regions = [o for o in options if not o.startswith(("Toutes", "Sélectionner", "—", "-"))]
    assert len(regions) >= 13, regions
    assert regions == sorted(regions, key=cle_tri)
    assert regions.index("Île-de-France") == regions.index("Hauts-de-France") + 1


@pytest.mark.django_db
def test_region_selects_are_in_french_order(client, dgaln, applicant):
    _in_french_order(_options(client.get(reverse("public:laureats")).content.decode(), "region"))
    client.force_login(dgaln)
    html = client.get(reverse("appels:gestion_candidatures")).content.decode()
    _in_french_order(_options(html, "region"))
    html = client.get(reverse("ateliers:gestion_ateliers")).content.decode()
    _in_french_order(_options(html, "region"))
    appel = factories.AppelFactory()
    client.force_login(applicant)
    html = client.get(reverse("appels:candidater", args=[appel.slug])).content.decode()
    _in_french_order(_options(html, "region"))


# --- One date format on screen --------------------------------------------------------------


def test_templates_write_dates_with_date_fr_only():
    """Every date on screen, in e-mails and PDFs goes through |date_fr (« 1er mars 2027 »);
    |date stays only for machine formats (the ``datetime`` attribute, ISO)."""
    faults = []
    for path in _files():
        for match in re.finditer(r"\|date(?![_\w])(?::(['\"])(.*?)\1)?", path.read_text()):
            if match[2] not in ("c", "Y-m-d", "U"):
                faults.append(f"{path.relative_to(BASE_DIR)} : {match[0]}")
    assert faults == []


def test_python_writes_no_numeric_date_for_people():
    faults = []
    for app in _APPS | {"atelier"}:
        for path in (BASE_DIR / app).rglob("*.py"):
            if "migrations" in path.parts:
                continue
            for numero, ligne in enumerate(path.read_text().splitlines(), 1):
                if re.search(r"strftime\(\"%d/%m/%Y\"\)|:%d/%m/%Y\}", ligne):
                    faults.append(f"{path.relative_to(BASE_DIR)}:{numero}")
    # CSV exports keep a sortable numeric column: they are files, not screens.
    assert [f for f in faults if not f.startswith("appels/gestion.py")] == []
