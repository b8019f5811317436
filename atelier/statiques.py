"""The static files storage of production: whitenoise's compressed manifest storage, whose
``url()`` is remembered per name.

Every page asks for the same dozen URLs (the DSFR bundle, its favicons, the project's CSS and
scripts), and each ``{% static %}`` looked the name up in the manifest and quoted it again:
about a tenth of a light page's server time. The manifest does not change while the process
runs (a deployment restarts it), so the answer for a name does not either.
"""

from django.conf import settings
from whitenoise.storage import CompressedManifestStaticFilesStorage


class StockageStatique(CompressedManifestStaticFilesStorage):
    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._urls: dict[tuple, str] = {}

    def url(self, name, force=False):
        cle = (name, force, settings.DEBUG)
        try:
            return self._urls[cle]
        except KeyError:
            url = self._urls[cle] = super().url(name, force)
            return url

    def post_process(self, *args, **kwargs):
        # collectstatic writes a new manifest: what was remembered may name old files.
        self._urls.clear()
        yield from super().post_process(*args, **kwargs)
        self._urls.clear()
