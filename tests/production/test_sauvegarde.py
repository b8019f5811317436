"""Backup drill: back up the running instance, restore into a fresh database and bucket, and
check that every signed version's hash, every seal and every report's SHA-256 still verify.

Runs after test_production (file order), which had the worker render a report, so the drill
covers a report stored on S3 too.
"""

import os
import re
import subprocess
import sys
from pathlib import Path

import boto3
import dj_database_url
import psycopg
import pytest

ROOT = Path(__file__).resolve().parents[2]


def manage(env: dict[str, str], *args: str) -> subprocess.CompletedProcess:
    """``manage.py`` in the instance's environment only (nothing of the test run's)."""
    child = {"PATH": os.environ["PATH"], "HOME": os.environ.get("HOME", "/tmp"), "LANG": "C.UTF-8"}
    return subprocess.run(
        [sys.executable, "manage.py", *args],
        cwd=ROOT,
        env={**child, **env},
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def s3_client(env: dict[str, str]):
    return boto3.client(
        "s3",
        endpoint_url=env["ATELIER_S3_ENDPOINT_URL"],
        region_name=env["ATELIER_S3_REGION"],
        aws_access_key_id=env["AWS_ACCESS_KEY_ID"],
        aws_secret_access_key=env["AWS_SECRET_ACCESS_KEY"],
    )


@pytest.fixture(scope="module")
def restored_env(production_env):
    """The instance's variables, pointed at a new, empty database and bucket."""
    db = dj_database_url.parse(production_env["DATABASE_URL"])
    fresh = f"{db['NAME']}_restaure"
    admin = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname=postgres"
    with psycopg.connect(admin, autocommit=True) as conn:
        conn.execute(f'DROP DATABASE IF EXISTS "{fresh}"')
        conn.execute(f'CREATE DATABASE "{fresh}"')
    bucket = f"{production_env['ATELIER_S3_BUCKET']}-restaure"
    s3 = s3_client(production_env)
    if bucket not in {b["Name"] for b in s3.list_buckets()["Buckets"]}:
        s3.create_bucket(Bucket=bucket)
    for page in s3.get_paginator("list_objects_v2").paginate(Bucket=bucket):
        for item in page.get("Contents", []):
            s3.delete_object(Bucket=bucket, Key=item["Key"])
    url = production_env["DATABASE_URL"].rsplit("/", 1)[0] + f"/{fresh}"
    return {**production_env, "DATABASE_URL": url, "ATELIER_S3_BUCKET": bucket}


def counts(output: str) -> dict[str, int]:
    found = re.search(r"(\d+) versions, (\d+) signatures, (\d+) rapports, (\d+) fichiers", output)
    assert found, output
    return dict(
        zip(
            ["versions", "signatures", "rapports", "fichiers"],
            map(int, found.groups()),
            strict=True,
        )
    )


def test_backup_restore_drill(production_env, restored_env, tmp_path):
    original = manage(production_env, "verifier_integrite")
    assert original.returncode == 0, original.stderr
    expected = counts(original.stdout)
    assert expected["versions"] and expected["signatures"] and expected["rapports"]
    assert expected["fichiers"], "la démonstration dépose des documents : aucun vérifié ?"

    done = manage(production_env, "sauvegarder", str(tmp_path))
    assert done.returncode == 0, done.stderr
    (backup,) = tmp_path.glob("sauvegarde-*")

    restored = manage(restored_env, "restaurer", str(backup))
    assert restored.returncode == 0, restored.stderr
    # The restored database has its planner statistics (a dump has none): the first requests
    # are not planned as if every table were empty.
    db = dj_database_url.parse(restored_env["DATABASE_URL"])
    dsn = f"host={db['HOST']} port={db['PORT']} user={db['USER']} dbname={db['NAME']}"
    with psycopg.connect(dsn) as conn:
        (stats,) = conn.execute(
            "SELECT count(*) FROM pg_stats WHERE tablename = 'ateliers_document'"
        ).fetchone()
    assert stats > 0
    check = manage(restored_env, "verifier_integrite")
    assert check.returncode == 0, check.stderr
    assert counts(check.stdout) == expected

    # The check is real: one altered report PDF in the restored bucket is reported.
    s3 = s3_client(restored_env)
    keys = [
        item["Key"]
        for item in s3.list_objects_v2(
            Bucket=restored_env["ATELIER_S3_BUCKET"], Prefix="rapports/"
        )["Contents"]
    ]
    s3.put_object(Bucket=restored_env["ATELIER_S3_BUCKET"], Key=keys[0], Body=b"%PDF-1.7 faux")
    altered = manage(restored_env, "verifier_integrite")
    assert altered.returncode != 0
    assert "rapport" in altered.stderr and "altéré" in altered.stderr

    # Restoring over existing data is refused, and so is a damaged backup, before any write.
    again = manage(restored_env, "restaurer", str(backup))
    assert again.returncode != 0 and "n'est pas vide" in again.stderr
    media = next(path for path in (backup / "medias").rglob("*") if path.is_file())
    media.write_bytes(media.read_bytes() + b"!")
    damaged = manage(restored_env, "restaurer", str(backup))
    assert damaged.returncode != 0 and "altérée" in damaged.stderr
