"""PDF rendering with WeasyPrint, behind a URL fetcher that only serves our own files.

Every PDF of the project (candidature dossier, restitution report) is rendered by
:func:`render_pdf`. The HTML comes from autoescaped templates; the fetcher answers only:

- ``/static/…``: files found by Django's staticfiles finders (or STATIC_ROOT);
- ``/media/…``: files of the default storage (disk or S3) under one of the media folders the
  caller allows (an atelier's own);
- ``data:`` URIs (inline images, inline SVG maps).

Everything else — ``http(s)://`` to anywhere (cloud metadata included), ``file://``, paths
escaping the allowed folders — is refused without any network or disk access, and the
resource is simply left out of the PDF.
"""

import logging
import mimetypes
from pathlib import Path, PurePosixPath
from urllib.parse import unquote, urlsplit

from django.conf import settings
from django.contrib.staticfiles import finders
from django.core.files.storage import default_storage
from weasyprint import HTML
from weasyprint.urls import URLFetcher, URLFetcherResponse

logger = logging.getLogger(__name__)

# A base URL no real host answers to: relative and root-relative links resolve under it, and
# the fetcher maps it back to local files. Nothing is ever requested over the network.
BASE_URL = "https://atelier.invalid/"
_HOST = urlsplit(BASE_URL).netloc
PDF_VARIANT = "pdf/ua-1"


class RefusedResource(ValueError):
    """A resource the fetcher will not serve (WeasyPrint logs it and leaves it out)."""


class SafeURLFetcher(URLFetcher):
    """Serves static files and allow-listed media only; no network, no arbitrary paths."""

    def __init__(self, *, media_dirs: tuple[Path, ...] = (), timeout: int = 3) -> None:
        super().__init__(timeout=timeout, allow_redirects=False, allowed_protocols=("data",))
        # Media are names in the default storage (local disk or S3), not paths: a folder is
        # a name prefix, and a name with "..", a leading "/" or a backslash is refused.
        self.media_dirs = tuple(PurePosixPath(str(d).replace("\\", "/")) for d in media_dirs)
        for folder in self.media_dirs:
            if not _safe_name(folder):
                raise ValueError(f"Dossier média invalide : {folder}")
        self.refused: list[str] = []

    def fetch(self, url: str, headers=None) -> URLFetcherResponse:
        scheme = url.split(":", 1)[0].lower()
        if scheme == "data":
            return super().fetch(url, headers)
        parts = urlsplit(url)
        if scheme != "https" or parts.netloc != _HOST:
            return self._refuse(url)
        path = unquote(parts.path)
        if path.startswith(settings.STATIC_URL):
            return self._serve(url, self._static_file(path.removeprefix(settings.STATIC_URL)))
        if path.startswith("/media/"):
            return self._serve_media(url, path.removeprefix("/media/"))
        return self._refuse(url)

    def _static_file(self, relative: str) -> Path | None:
        if ".." in Path(relative).parts:
            return None
        found = finders.find(relative)
        if found:
            return Path(found)
        candidate = (Path(settings.STATIC_ROOT) / relative).resolve()
        return candidate if candidate.is_relative_to(Path(settings.STATIC_ROOT).resolve()) else None

    def _serve_media(self, url: str, relative: str) -> URLFetcherResponse:
        name = PurePosixPath(relative)
        if "\\" in relative or not _safe_name(name):
            return self._refuse(url)
        if not any(name.is_relative_to(folder) and name != folder for folder in self.media_dirs):
            return self._refuse(url)
        try:
            with default_storage.open(str(name), "rb") as handle:
                body = handle.read()
        except (OSError, ValueError):  # missing object, storage unreachable, bad name
            return self._refuse(url)
        mime = mimetypes.guess_type(name.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=body, headers={"Content-Type": mime})

    def _serve(self, url: str, path: Path | None) -> URLFetcherResponse:
        if path is None or not path.is_file():
            return self._refuse(url)
        mime = mimetypes.guess_type(path.name)[0] or "application/octet-stream"
        return URLFetcherResponse(url, body=path.read_bytes(), headers={"Content-Type": mime})

    def _refuse(self, url: str):
        self.refused.append(url)
        logger.warning("PDF : ressource refusée %s", url[:200])
        raise RefusedResource(f"Ressource refusée : {url[:200]}")


def _safe_name(name: PurePosixPath) -> bool:
    return bool(name.parts) and not name.is_absolute() and ".." not in name.parts


def render_pdf(html: str, *, media_dirs: tuple[Path | str, ...] = ()) -> bytes:
    """Render trusted template output to a tagged PDF, fetching only allow-listed resources.

    The template must give ``<html lang="fr">`` and a ``<title>`` (the document's title).

    ``media_dirs`` are folders of the default storage the document may embed images from.
    Attachments (``<link rel="attachment">``, ``<a rel="attachment">``) are never embedded.
    """
    fetcher = SafeURLFetcher(media_dirs=tuple(Path(d) for d in media_dirs))
    document = HTML(string=html, base_url=BASE_URL, url_fetcher=fetcher).render()
    # Attachments declared in the HTML would embed fetched files into the PDF: drop them,
    # both document-level (<link rel="attachment">) and per-page (<a rel="attachment">).
    document.metadata.attachments = []
    for page in document.pages:
        page.links = [link for link in page.links if link[0] != "attachment"]
    # A tagged PDF (PDF/UA-1): structure tree in reading order, language and title from the
    # template's <html lang> and <title>, so that screen readers can read every document.
    return document.write_pdf(pdf_variant=PDF_VARIANT)
