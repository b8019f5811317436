"""Backup helpers on the local disk (the full drill, PostgreSQL and S3, is
tests/production/test_sauvegarde.py, run by .ci/production)."""

import json

import pytest
from django.core.files.base import ContentFile
from django.core.files.storage import default_storage

from atelier import backup


def test_every_media_file_is_listed_recursively():
    for name in ["ateliers/1/plan.pdf", "ateliers/1/photos/vue.jpg", "rapports/2/r.pdf"]:
        default_storage.save(name, ContentFile(b"x"))
    assert sorted(backup.media_names()) == [
        "ateliers/1/photos/vue.jpg",
        "ateliers/1/plan.pdf",
        "rapports/2/r.pdf",
    ]


def test_no_media_folder_yet_is_no_media():
    assert list(backup.media_names()) == []


def _backup_folder(tmp_path, medias: list[dict]) -> None:
    (tmp_path / backup.DUMP).write_bytes(b"dump")
    manifest = {
        "format": backup.FORMAT,
        "cree_le": "2027-03-15T02:00:00+00:00",
        "base": {"fichier": backup.DUMP, "sha256": backup._sha256(tmp_path / backup.DUMP)},
        "medias": medias,
    }
    (tmp_path / backup.MANIFEST).write_text(json.dumps(manifest))


def test_a_manifest_naming_a_file_outside_the_backup_is_refused(tmp_path):
    (tmp_path.parent / "ailleurs.txt").write_bytes(b"secret")
    _backup_folder(tmp_path, [{"nom": "../../ailleurs.txt", "taille": 6, "sha256": "0" * 64}])
    with pytest.raises(backup.BackupError, match="altérée"):
        backup._checked_manifest(tmp_path)


def test_a_folder_that_is_not_a_backup_is_refused(tmp_path):
    with pytest.raises(backup.BackupError, match="illisible"):
        backup._checked_manifest(tmp_path)
    (tmp_path / backup.MANIFEST).write_text(json.dumps({"format": "autre"}))
    with pytest.raises(backup.BackupError, match="n'est pas une sauvegarde"):
        backup._checked_manifest(tmp_path)
