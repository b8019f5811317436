"""Upload checks shared by candidatures and atelier documents, how a checked file is stored,
and protected downloads.

A file's type is decided by its content, never by its name or the browser's claim: PDF,
PNG, JPEG, and the office formats (ODT, ODS, DOCX, XLSX) which are ZIP containers checked
for their own manifest. HTML, SVG, empty files and files that lie about their type are
refused with a message naming the file and the reason.
"""

import hashlib
import mimetypes
import posixpath
import zipfile
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import PurePath

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.files import File
from django.core.files.storage import Storage, default_storage
from django.core.files.uploadedfile import UploadedFile
from django.db import models, transaction
from django.db.models.fields.files import FieldFile
from django.http import FileResponse, Http404
from django.utils import timezone
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from .textes import nature_fichier

PDF = "application/pdf"
PNG = "image/png"
JPEG = "image/jpeg"
ODT = "application/vnd.oasis.opendocument.text"
ODS = "application/vnd.oasis.opendocument.spreadsheet"
DOCX = "application/vnd.openxmlformats-officedocument.wordprocessingml.document"
XLSX = "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"

ACCEPTED = {
    PDF: (".pdf",),
    PNG: (".png",),
    JPEG: (".jpg", ".jpeg"),
    ODT: (".odt",),
    ODS: (".ods",),
    DOCX: (".docx",),
    XLSX: (".xlsx",),
}
LABELS = {PDF: "PDF", PNG: "PNG", JPEG: "JPEG", ODT: "ODT", ODS: "ODS", DOCX: "DOCX", XLSX: "XLSX"}
ACCEPT_ATTRIBUTE = ",".join(ext for exts in ACCEPTED.values() for ext in exts)
FORMATS_ACCEPTES = "PDF, PNG, JPEG, ODT, ODS, DOCX, XLSX"


@dataclass(frozen=True)
class CheckedFile:
    name: str
    mime: str
    size: int
    sha256: str


def max_size() -> int:
    return settings.UPLOAD_MAX_MO * 1024 * 1024


# ZIP containers (the office formats) are read with care: a few kilobytes can declare, or
# inflate to, gigabytes. Only the central directory and at most ZIP_MEMBER_READ bytes of one
# member are ever read; an archive with too many entries, or declaring an uncompressed size
# or a compression ratio no office document has, is refused before anything is inflated.
ZIP_MAX_ENTRIES = 5000
ZIP_MAX_TOTAL = 256 * 1024 * 1024  # declared uncompressed bytes, all members together
ZIP_MAX_RATIO = 100  # for members over ZIP_RATIO_FROM bytes
ZIP_RATIO_FROM = 1024 * 1024
ZIP_MEMBER_READ = 256
_EOCD = b"PK\x05\x06"


class ArchiveRefused(Exception):
    """A ZIP whose size or structure could cost the server; the upload is refused."""


def sniff(head: bytes, fileobj) -> str | None:
    """Return the MIME type the content really has, among the accepted ones, or None.

    Raises ``ArchiveRefused`` for a ZIP container that declares excessive sizes.
    """
    if head.startswith(b"%PDF-"):
        return PDF
    if head.startswith(b"\x89PNG\r\n\x1a\n"):
        return PNG
    if head.startswith(b"\xff\xd8\xff"):
        return JPEG
    if head.startswith(b"PK\x03\x04"):
        return _sniff_zip(fileobj)
    return None


def _declared_entries(fileobj) -> int | None:
    """The entry count of the end-of-central-directory record, read before zipfile parses
    (and allocates) the whole directory; None when there is no such record."""
    fileobj.seek(0, 2)
    size = fileobj.tell()
    tail_size = min(size, 22 + 0xFFFF)
    fileobj.seek(size - tail_size)
    tail = fileobj.read(tail_size)
    at = tail.rfind(_EOCD)
    if at < 0 or len(tail) < at + 22:
        return None
    return int.from_bytes(tail[at + 10 : at + 12], "little")


def _check_archive(archive: zipfile.ZipFile) -> None:
    infos = archive.infolist()
    if len(infos) > ZIP_MAX_ENTRIES:
        raise ArchiveRefused
    if sum(i.file_size for i in infos) > ZIP_MAX_TOTAL:
        raise ArchiveRefused
    for info in infos:
        if info.file_size > ZIP_RATIO_FROM and info.file_size > ZIP_MAX_RATIO * max(
            info.compress_size, 1
        ):
            raise ArchiveRefused


def _sniff_zip(fileobj) -> str | None:
    try:
        entries = _declared_entries(fileobj)
        # 0xFFFF: a ZIP64 directory, which no accepted format needs at these sizes.
        if entries is not None and (entries > ZIP_MAX_ENTRIES or entries == 0xFFFF):
            raise ArchiveRefused
        fileobj.seek(0)
        with zipfile.ZipFile(fileobj) as archive:
            _check_archive(archive)
            names = set(archive.namelist())
            if "mimetype" in names:
                with archive.open("mimetype") as member:
                    declared = member.read(ZIP_MEMBER_READ).decode("ascii", "replace").strip()
                return declared if declared in (ODT, ODS) else None
            if "[Content_Types].xml" in names:
                if any(n.startswith("word/") for n in names):
                    return DOCX
                if any(n.startswith("xl/") for n in names):
                    return XLSX
    except (zipfile.BadZipFile, OSError, KeyError, RuntimeError, NotImplementedError, EOFError):
        return None
    finally:
        fileobj.seek(0)
    return None


def check_upload(upload: UploadedFile) -> CheckedFile:
    """Validate an uploaded file; raise ``ValidationError`` with a message naming it.

    The result is kept on the upload: the form's check and the service's are one reading
    of the file (its type, its hash), not two.
    """
    checked = getattr(upload, "_atelier_checked", None)
    if checked is not None:
        return checked
    checked = _check(upload)
    upload._atelier_checked = checked
    return checked


def _check(upload: UploadedFile) -> CheckedFile:
    name = PurePath(upload.name or "fichier").name
    size = upload.size or 0
    if size == 0:
        raise ValidationError(_("« %(nom)s » est vide.") % {"nom": name}, code="empty")
    if size > max_size():
        raise ValidationError(
            _("« %(nom)s » dépasse la taille maximale de %(max)s Mo.")
            % {"nom": name, "max": settings.UPLOAD_MAX_MO},
            code="too_large",
        )
    upload.seek(0)
    head = upload.read(16)
    try:
        mime = sniff(head, upload)
    except ArchiveRefused:
        raise ValidationError(
            _(
                "« %(nom)s » est une archive anormale (trop d'éléments, ou un contenu décompressé démesuré) : elle est refusée. Enregistrez à nouveau le document depuis votre logiciel."
            )
            % {"nom": name},
            code="archive",
        ) from None
    if mime is None:
        raise ValidationError(
            _(
                "« %(nom)s » n'est pas d'un format accepté (%(formats)s) : son contenu ne correspond à aucun de ces formats."
            )
            % {"nom": name, "formats": FORMATS_ACCEPTES},
            code="type",
        )
    extension = PurePath(name).suffix.lower()
    if extension not in ACCEPTED[mime]:
        raise ValidationError(
            _(
                "« %(nom)s » se présente comme un fichier %(ext)s mais son contenu est un %(vrai)s : renommez-le ou déposez le bon fichier."
            )
            % {"nom": name, "ext": extension or _("sans extension"), "vrai": LABELS[mime]},
            code="mismatch",
        )
    digest = hashlib.sha256()
    upload.seek(0)
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return CheckedFile(name=name, mime=mime, size=size, sha256=digest.hexdigest())


def checked_file_path(instance: "CheckedFileModel", filename: str) -> str:
    """``<UPLOAD_DIR>/<year>/<month>/<name>`` (the storage makes the name unique)."""
    return posixpath.join(timezone.now().strftime(f"{instance.UPLOAD_DIR}/%Y/%m"), filename)


class CheckedFileModel(models.Model):
    """The fields of a file checked by :func:`check_upload`; stored with :func:`storing_files`.

    Subclasses name the folder of their files in ``UPLOAD_DIR``.
    """

    UPLOAD_DIR = "fichiers"

    fichier = models.FileField(gettext_lazy("fichier"), upload_to=checked_file_path, max_length=255)
    nom_original = models.CharField(gettext_lazy("nom du fichier"), max_length=255)
    type_mime = models.CharField(gettext_lazy("type"), max_length=100)
    taille = models.PositiveBigIntegerField(gettext_lazy("taille (octets)"))
    sha256 = models.CharField(gettext_lazy("empreinte SHA-256"), max_length=64)

    class Meta:
        abstract = True

    @property
    def format(self) -> str:
        """The format's short name (PDF, DOCX…), as decided from the content at upload."""
        return LABELS.get(self.type_mime, self.type_mime)

    @property
    def nature(self) -> str:
        """What a person calls this kind of file: « PDF », « Tableur (XLSX) »…"""
        return nature_fichier(self.type_mime)


@dataclass
class FileStore:
    """Files stored (and files to delete) by one :func:`storing_files` block."""

    stored: list[tuple[Storage, str]] = field(default_factory=list)

    def store(self, instance: CheckedFileModel, upload: UploadedFile, checked: CheckedFile) -> None:
        """Fill ``instance``'s checked-file fields and write the file (the row is not saved)."""
        instance.nom_original = checked.name
        instance.type_mime = checked.mime
        instance.taille = checked.size
        instance.sha256 = checked.sha256
        instance.fichier.save(checked.name, upload, save=False)
        self.stored.append((instance.fichier.storage, instance.fichier.name))

    def save(self, name: str, content: File) -> str:
        """Write a file the platform generated (not an upload) in the default storage."""
        name = default_storage.save(name, content)
        self.stored.append((default_storage, name))
        return name


def delete_file_on_commit(fieldfile: FieldFile) -> None:
    """Delete ``fieldfile``'s file once the current transaction commits; never before, so a
    rolled-back change still finds its file."""
    if not fieldfile:
        return
    storage, name = fieldfile.storage, fieldfile.name
    transaction.on_commit(lambda: storage.delete(name))


@contextmanager
def storing_files() -> Iterator[FileStore]:
    """The one way to store checked files: a transaction whose failure leaves no file behind.

    Files stored through the yielded :class:`FileStore` are deleted again if the block raises
    (no orphan file, whatever failed after the write: the row, the audit, a unique
    constraint); files it deletes go only after the commit (no row without its file)::

        with storing_files() as files:
            files.store(document, upload, checked)
            document.save()
    """
    store = FileStore()
    try:
        with transaction.atomic():
            yield store
    except BaseException:
        for storage, name in store.stored:
            storage.delete(name)
        raise


def protected_download(fieldfile, *, filename: str, inline: bool = False) -> FileResponse:
    """Serve a stored file to a user already allowed to see it.

    Files are never exposed through a public media URL; callers check the permission on the
    object first. ``nosniff`` and an explicit type keep a browser from reinterpreting it.
    """
    if not fieldfile:
        raise Http404
    try:
        handle = fieldfile.open("rb")
    except FileNotFoundError:
        raise Http404 from None
    content_type = mimetypes.guess_type(filename)[0] or "application/octet-stream"
    response = FileResponse(
        handle, as_attachment=not inline, filename=filename, content_type=content_type
    )
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = "default-src 'none'; sandbox"
    response["Cache-Control"] = "private, no-store"
    return response
