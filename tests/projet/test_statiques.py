"""The production static storage remembers each URL (atelier/statiques.py): a page asks for
the same dozen files every time. What it remembers must never name a file that is gone."""

import pytest
from django.contrib.staticfiles.storage import staticfiles_storage
from django.core.management import call_command


@pytest.fixture
def stockage(settings, tmp_path):
    source = tmp_path / "source"
    (source / "css").mkdir(parents=True)
    settings.STATICFILES_DIRS = [source]
    # Only this folder: the apps' static files (the DSFR bundle) would take minutes to compress.
    settings.STATICFILES_FINDERS = ["django.contrib.staticfiles.finders.FileSystemFinder"]
    settings.STATIC_ROOT = tmp_path / "static"
    settings.STORAGES = {
        **settings.STORAGES,
        "staticfiles": {"BACKEND": "atelier.statiques.StockageStatique"},
    }
    return source


def test_production_settings_use_the_remembering_manifest_storage():
    from atelier import settings as product

    assert product.STORAGES["staticfiles"]["BACKEND"] in (
        "atelier.statiques.StockageStatique",
        "django.contrib.staticfiles.storage.StaticFilesStorage",  # DEBUG on
    )


def test_a_new_collectstatic_gives_the_new_hashed_name(stockage, settings):
    fichier = stockage / "css" / "page.css"
    fichier.write_text("body { color: black; }")
    call_command("collectstatic", interactive=False, verbosity=0)
    premier = staticfiles_storage.url("css/page.css")
    assert premier == staticfiles_storage.url("css/page.css")  # remembered, the same
    assert (settings.STATIC_ROOT / premier.removeprefix(settings.STATIC_URL)).exists()

    fichier.write_text("body { color: navy; }")
    call_command("collectstatic", interactive=False, verbosity=0)
    second = staticfiles_storage.url("css/page.css")
    assert second != premier
    assert (settings.STATIC_ROOT / second.removeprefix(settings.STATIC_URL)).exists()


def test_an_unknown_file_is_still_refused(stockage):
    (stockage / "css" / "page.css").write_text("body {}")
    call_command("collectstatic", interactive=False, verbosity=0)
    with pytest.raises(ValueError):
        staticfiles_storage.url("css/absent.css")
    with pytest.raises(ValueError):  # not remembered as an answer
        staticfiles_storage.url("css/absent.css")
