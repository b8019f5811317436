from django.contrib.sitemaps import Sitemap

from ateliers.models import SessionNationale

from .models import Territoire


class PagesSitemap(Sitemap):
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


class TerritoiresSitemap(Sitemap):
    changefreq = "weekly"

    def items(self):
        return Territoire.objects.publics().order_by("nom", "pk").only("slug", "modifie_le")

    def lastmod(self, item):
        return item.modifie_le


class SessionsSitemap(Sitemap):
    changefreq = "monthly"

    def items(self):
        return SessionNationale.objects.order_by("-annee_debut", "pk").only("slug")


SITEMAPS = {"pages": PagesSitemap, "territoires": TerritoiresSitemap, "sessions": SessionsSitemap}
