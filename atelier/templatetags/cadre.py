"""The frame of every page, ``{% entete %}`` and ``{% pied_de_page %}`` (``templates/base.html``).

Every page draws the DSFR header (twice its tool links: the bar and the mobile menu) and the
footer; as included templates they were about a quarter of a light page's server time. The
header is written here (what changes from one request to the next is the current section, the
signed-in user and the CSRF field of « Se déconnecter »); the footer is the same for everyone
and is rendered once per process and language (each time with ``DEBUG`` on, so that a change
to ``templates/includes/footer.html`` shows at once).
"""

import html
from functools import lru_cache

from django import template
from django.conf import settings
from django.template.loader import render_to_string
from django.urls import get_script_prefix, get_urlconf
from django.utils.safestring import SafeString, mark_safe
from django.utils.translation import get_language

from atelier.identite import identite
from atelier.liens import fixe

from .confirmation import champ_csrf

register = template.Library()

# The main menu: label, link, the path prefixes where it is the current section, and who sees
# it (None: everyone; "connecte": signed-in users; "dgaln": DGALN staff).
_MENU = (
    ("Accueil", "home", None, None),
    ("Territoires lauréats", "/laureats/", ("/laureats/", "/territoires/"), None),
    ("Sessions nationales", "/sessions/", ("/sessions/",), None),
    ("Appels à candidatures", "/appels/", ("/appels/",), None),
    ("Mon espace", "/espace/", ("/espace/",), "connecte"),
    ("Gestion", "/gestion/", ("/gestion/",), "dgaln"),
)


def _outils(user, csrf: str) -> str:
    if user is not None and user.is_authenticated:
        nom = html.escape(user.get_full_name() or user.email)
        return (
            '<ul class="fr-btns-group">\n'
            f'  <li><a class="fr-btn fr-icon-account-circle-line" href="/espace/">{nom}</a></li>\n'
            "  <li>\n"
            f'    <form method="post" action="{html.escape(fixe("account_logout"))}">{csrf}\n'
            '      <button class="fr-btn fr-icon-logout-box-r-line" type="submit">'
            "Se déconnecter</button>\n"
            "    </form>\n"
            "  </li>\n"
            "</ul>"
        )
    return (
        '<ul class="fr-btns-group">\n'
        '  <li><a class="fr-btn fr-icon-lock-line" '
        f'href="{html.escape(fixe("account_login"))}">Se connecter</a></li>\n'
        "</ul>"
    )


def _menu(path: str, connecte: bool, dgaln: bool) -> str:
    items = []
    for libelle, lien, prefixes, public in _MENU:
        if (public == "connecte" and not connecte) or (
            public == "dgaln" and not (connecte and dgaln)
        ):
            continue
        href = fixe(lien) if not lien.startswith("/") else lien
        courant = path == href if prefixes is None else path.startswith(prefixes)
        aria = ' aria-current="page"' if courant else ""
        items.append(
            f'          <li class="fr-nav__item"><a class="fr-nav__link" '
            f'href="{html.escape(href)}"{aria}>{libelle}</a></li>'
        )
    return "\n".join(items)


@register.simple_tag(takes_context=True)
def entete(context) -> SafeString:
    request = context.get("request")
    user = context.get("user")
    connecte = bool(user is not None and user.is_authenticated)
    path = getattr(request, "path", "")
    # The same string in the header's tools and in the mobile menu: DSFR's header script
    # copies the first into the second (through innerHTML) whenever they differ, even by
    # whitespace.
    outils = _outils(user, champ_csrf(context) if connecte else "")
    service = html.escape(str(context.get("SERVICE_NAME") or ""))
    accueil = html.escape(fixe("home"))
    return mark_safe(  # noqa: S308 — every value above is escaped or written here
        f"""<header role="banner" class="fr-header">
  <div class="fr-header__body">
    <div class="fr-container">
      <div class="fr-header__body-row">
        <div class="fr-header__brand fr-enlarge-link">
          <div class="fr-header__brand-top">
            <div class="fr-header__logo">
              <p class="fr-logo">République<br>Française</p>
            </div>
            <div class="fr-header__navbar">
              <button class="fr-btn--menu fr-btn" data-fr-opened="false" aria-controls="menu-principal" aria-haspopup="menu" id="bouton-menu" title="Menu">Menu</button>
            </div>
          </div>
          <div class="fr-header__service">
            <a href="{accueil}" title="Accueil — {service}">
              <p class="fr-header__service-title">{service}</p>
            </a>
            <p class="fr-header__service-tagline">Construire ensemble un projet de territoire pour la transition écologique</p>
          </div>
        </div>
        <div class="fr-header__tools">
          <div class="fr-header__tools-links">{outils}</div>
        </div>
      </div>
    </div>
  </div>
  <div class="fr-header__menu fr-modal" id="menu-principal" aria-labelledby="bouton-menu">
    <div class="fr-container">
      <button class="fr-btn--close fr-btn" aria-controls="menu-principal" title="Fermer">Fermer</button>
      <div class="fr-header__menu-links">{outils}</div>
      <nav class="fr-nav" id="navigation" role="navigation" aria-label="Menu principal">
        <ul class="fr-nav__list">
{_menu(path, connecte, bool(context.get("est_dgaln")))}
        </ul>
      </nav>
    </div>
  </div>
</header>"""
    )


@lru_cache(maxsize=16)
def _pied(_urlconf, _prefixe: str, _langue: str, service: str, ident: tuple) -> SafeString:
    return render_to_string("includes/footer.html", {"SERVICE_NAME": service, **dict(ident)})


@register.simple_tag(takes_context=True)
def pied_de_page(context) -> SafeString:
    service = context.get("SERVICE_NAME") or ""
    ident = identite()
    if settings.DEBUG:
        return render_to_string("includes/footer.html", {"SERVICE_NAME": service, **ident})
    cle = tuple((k, tuple(v) if isinstance(v, list) else v) for k, v in sorted(ident.items()))
    return _pied(get_urlconf(), get_script_prefix(), get_language(), service, cle)


_COURANT = ' aria-current="page"'


@register.simple_tag(takes_context=True)
def menu_gestion(context) -> SafeString:
    """The DGALN back-office side menu (``includes/gestion_menu.html``): one entry per area of
    ``gestion_liens``, the one named by ``gestion_actif`` marked current."""
    actif = context.get("gestion_actif")
    items = []
    for cle, libelle, lien in context.get("gestion_liens") or ():
        classe, aria = (" fr-sidemenu__item--active", _COURANT) if cle == actif else ("", "")
        items.append(
            f'        <li class="fr-sidemenu__item{classe}">\n'
            f'          <a class="fr-sidemenu__link" href="{html.escape(lien)}"{aria}>'
            f"{html.escape(str(libelle))}</a>\n"
            "        </li>"
        )
    return mark_safe(  # noqa: S308 — every value escaped above
        '<nav class="fr-sidemenu" role="navigation" aria-labelledby="gestion-menu-titre">\n'
        '  <div class="fr-sidemenu__inner">\n'
        '    <button class="fr-sidemenu__btn" aria-controls="gestion-menu" aria-expanded="false">'
        "Menu de la gestion</button>\n"
        '    <div class="fr-collapse" id="gestion-menu">\n'
        '      <p class="fr-sidemenu__title" id="gestion-menu-titre">Gestion du programme</p>\n'
        '      <ul class="fr-sidemenu__list">\n' + "\n".join(items) + "\n      </ul>\n"
        "    </div>\n  </div>\n</nav>"
    )


@register.simple_tag(takes_context=True)
def fil_ariane(context) -> SafeString:
    """The breadcrumb (``includes/breadcrumb.html``): « Accueil », then each (label, url) of
    ``breadcrumb``; an entry without url is the current page."""
    items = [
        f'      <li><a class="fr-breadcrumb__link" href="{html.escape(fixe("home"))}">Accueil</a></li>'
    ]
    for libelle, url in context.get("breadcrumb") or ():
        texte = html.escape(str(libelle))
        lien = (
            f'<a class="fr-breadcrumb__link" href="{html.escape(str(url))}">{texte}</a>'
            if url
            else f'<a class="fr-breadcrumb__link" aria-current="page">{texte}</a>'
        )
        items.append(f"        <li>{lien}</li>")
    return mark_safe(  # noqa: S308 — every value escaped above
        '<nav role="navigation" class="fr-breadcrumb fr-mt-3w fr-mb-0" aria-label="vous êtes ici :">\n'
        '  <button class="fr-breadcrumb__button" aria-expanded="false" aria-controls="fil-ariane">'
        "Voir le fil d'Ariane</button>\n"
        '  <div class="fr-collapse" id="fil-ariane">\n'
        '    <ol class="fr-breadcrumb__list">\n'
        + "\n".join(items)
        + "\n    </ol>\n  </div>\n</nav>"
    )
