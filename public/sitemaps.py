from urllib.parse import urlsplit

from django.conf import settings
from django.contrib.sitemaps import Sitemap

from ateliers.models import SessionNationale
from territoires.models import Territoire


class SitemapPublic(Sitemap):
    """Addresses built on ``settings.SITE_URL`` (ATELIER_SITE_URL), the site's public address.

    Django's default is the sites framework's Site record (``example.com`` unless someone
    edits it) and the scheme of the request (``http`` behind a TLS-terminating proxy).
    """

    def get_protocol(self, protocol=None):
        return urlsplit(settings.SITE_URL).scheme or super().get_protocol(protocol)

    def get_domain(self, site=None):
        return urlsplit(settings.SITE_URL).netloc or super().get_domain(site)


class PagesSitemap(SitemapPublic):
    changefreq = "weekly"

    def items(self):
        return [
            "/",
            "/laureats/",
            "/laureats/carte/",
            "/sessions/",
            "/donnees/",
            "/api/",
            "/accessibilite/",
            "/mentions-legales/",
            "/donnees-personnelles/",
        ]

    def location(self, item):
        return item


class TerritoiresSitemap(SitemapPublic):
    changefreq = "weekly"

    def items(self):
        return Territoire.objects.publics().order_by("nom", "pk").only("slug", "modifie_le")

    def lastmod(self, item):
        return item.modifie_le


class SessionsSitemap(SitemapPublic):
    changefreq = "monthly"

    def items(self):
        return SessionNationale.objects.order_by("-annee_debut", "pk").only("slug")


SITEMAPS = {"pages": PagesSitemap, "territoires": TerritoiresSitemap, "sessions": SessionsSitemap}
