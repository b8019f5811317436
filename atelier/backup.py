"""Backup and restore: a PostgreSQL dump (pg_dump, custom format) plus every media object.

A backup is a folder::

    sauvegarde-20270315-020000/
        base.dump           pg_dump --format=custom --no-owner --no-acl
        medias/<nom>        each object of the default storage (local disk or S3), by name
        manifeste.json      date, SHA-256 and size of the dump and of each media file

:func:`restore` checks every SHA-256 of the manifest before writing anything, then loads the
dump into an empty database (the one ``DATABASE_URL`` designates) and puts each media object
back under its exact name in the default storage (``ATELIER_S3_BUCKET`` or the local disk).
Used by ``manage.py sauvegarder`` / ``restaurer``; the CI drill restores into a fresh database
and bucket and checks every hash (``manage.py verifier_integrite``).
"""

import hashlib
import json
import os
import subprocess
from collections.abc import Iterator
from pathlib import Path, PurePosixPath

from django.conf import settings
from django.core.files.base import File
from django.core.files.storage import default_storage
from django.db import connection
from django.utils import timezone

MANIFEST = "manifeste.json"
DUMP = "base.dump"
MEDIA = "medias"
FORMAT = "atelier-des-territoires/sauvegarde/1"


class BackupError(Exception):
    """A backup or restore that cannot go on; the message is for the operator (French)."""


def _pg_env() -> dict[str, str]:
    """libpq variables for the configured database (the password never goes on a command line)."""
    db = settings.DATABASES["default"]
    if db["ENGINE"] != "django.db.backends.postgresql":
        raise BackupError("La sauvegarde demande PostgreSQL (DATABASE_URL=postgres://…).")
    env = {**os.environ, "PGDATABASE": str(db["NAME"])}
    for key, variable in [
        ("HOST", "PGHOST"),
        ("PORT", "PGPORT"),
        ("USER", "PGUSER"),
        ("PASSWORD", "PGPASSWORD"),
    ]:
        if db.get(key):
            env[variable] = str(db[key])
    return env


def _run(command: list[str]) -> None:
    result = subprocess.run(  # noqa: S603 (fixed programs, no shell)
        command, env=_pg_env(), capture_output=True, text=True, check=False
    )
    if result.returncode != 0:
        raise BackupError(f"{command[0]} a échoué : {result.stderr.strip()[-2000:]}")


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as handle:
        for chunk in iter(lambda: handle.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest()


def media_names(folder: str = "") -> Iterator[str]:
    """Every object name of the default storage, recursively (disk and S3 alike)."""
    try:
        folders, files = default_storage.listdir(folder)
    except FileNotFoundError:  # no media folder yet on a fresh disk
        return
    for name in files:
        yield f"{folder}/{name}" if folder else name
    for sub in folders:
        yield from media_names(f"{folder}/{sub}" if folder else sub)


def backup(destination: Path) -> dict:
    """Write a backup folder under ``destination``; returns its manifest."""
    created = timezone.now()
    target = destination / f"sauvegarde-{created:%Y%m%d-%H%M%S}"
    if target.exists():
        raise BackupError(f"{target} existe déjà.")
    (target / MEDIA).mkdir(parents=True)
    _run(["pg_dump", "--format=custom", "--no-owner", "--no-acl", f"--file={target / DUMP}"])
    files = []
    for name in sorted(media_names()):
        path = target / MEDIA / name
        path.parent.mkdir(parents=True, exist_ok=True)
        with default_storage.open(name, "rb") as source, path.open("wb") as out:
            for chunk in iter(lambda src=source: src.read(1 << 20), b""):
                out.write(chunk)
        files.append({"nom": name, "taille": path.stat().st_size, "sha256": _sha256(path)})
    manifest = {
        "format": FORMAT,
        "cree_le": created.isoformat(timespec="seconds"),
        "base": {"fichier": DUMP, "sha256": _sha256(target / DUMP)},
        "medias": files,
    }
    (target / MANIFEST).write_text(json.dumps(manifest, ensure_ascii=False, indent=1))
    manifest["dossier"] = str(target)
    return manifest


def _checked_manifest(source: Path) -> dict:
    try:
        manifest = json.loads((source / MANIFEST).read_text())
    except (OSError, ValueError) as exc:
        raise BackupError(f"{source / MANIFEST} illisible ({exc}).") from None
    if manifest.get("format") != FORMAT:
        raise BackupError(f"{source} n'est pas une sauvegarde d'Atelier ({FORMAT}).")
    damaged = []
    if _sha256(source / DUMP) != manifest["base"]["sha256"]:
        damaged.append(DUMP)
    for entry in manifest["medias"]:
        name = PurePosixPath(entry["nom"])
        path = source / MEDIA / name
        unsafe = name.is_absolute() or ".." in name.parts
        if unsafe or not path.is_file() or _sha256(path) != entry["sha256"]:
            damaged.append(entry["nom"])
    if damaged:
        raise BackupError(
            "Sauvegarde altérée ou incomplète (empreinte différente) : " + ", ".join(damaged[:20])
        )
    return manifest


def restore(source: Path) -> dict:
    """Restore ``source`` into the configured (empty) database and the default storage."""
    manifest = _checked_manifest(source)
    if connection.introspection.table_names():
        raise BackupError(
            f"La base {settings.DATABASES['default']['NAME']} n'est pas vide : restaurez dans "
            "une base neuve (createdb), puis pointez DATABASE_URL vers elle."
        )
    existing = [e["nom"] for e in manifest["medias"] if default_storage.exists(e["nom"])]
    if existing:
        raise BackupError(
            "Le stockage des médias contient déjà ces fichiers : " + ", ".join(existing[:20])
        )
    connection.close()  # pg_restore needs no session of ours on the target
    _run(
        [
            "pg_restore",
            "--no-owner",
            "--no-acl",
            "--exit-on-error",
            "--dbname",
            _pg_env()["PGDATABASE"],
            str(source / DUMP),
        ]
    )
    # A dump carries no planner statistics: without them PostgreSQL plans every query as if
    # each table were nearly empty until autovacuum comes round (nested loops over thousands
    # of rows). Gathered here, before the first request.
    with connection.cursor() as cursor:
        cursor.execute("ANALYZE")
    for entry in manifest["medias"]:
        with (source / MEDIA / entry["nom"]).open("rb") as handle:
            stored = default_storage.save(entry["nom"], File(handle))
        if stored != entry["nom"]:
            raise BackupError(f"{entry['nom']} restauré sous un autre nom ({stored}).")
    return manifest
