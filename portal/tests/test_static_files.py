"""With DEBUG off and the static files not collected, every page answered 500 (`Missing staticfiles manifest
entry for 'css/portal.css'`): a web process now refuses to start instead, saying what to run (fault 11)."""

import importlib
import json

import pytest
from django.conf import settings as django_settings
from django.core.exceptions import ImproperlyConfigured

from portal import checks

MANIFEST_STORAGE = {**django_settings.STORAGES,
                    "staticfiles": {"BACKEND": "whitenoise.storage.CompressedManifestStaticFilesStorage"}}


@pytest.fixture
def production(settings, tmp_path):
    settings.DEBUG = False
    settings.STATIC_ROOT = tmp_path
    settings.STORAGES = MANIFEST_STORAGE
    return tmp_path


def own_static_files():
    return sorted(path.relative_to(folder).as_posix() for folder in map(checks._path, django_settings.STATICFILES_DIRS)
                  for path in folder.rglob("*") if path.is_file())


def write_manifest(root, paths):
    (root / "staticfiles.json").write_text(json.dumps({"paths": {path: path for path in paths}, "version": "1.1",
                                                       "hash": "x"}))


def test_without_collected_static_files_the_check_says_what_to_run(production):
    errors = checks.static_files_collected()
    assert [error.id for error in errors] == ["portal.E001"]
    assert "collectstatic --noinput" in errors[0].hint


def test_collected_static_files_pass_the_check(production):
    write_manifest(production, own_static_files())
    assert checks.static_files_collected() == []


def test_static_files_collected_before_the_portals_own_changed_fail_the_check(production):
    write_manifest(production, own_static_files()[1:])
    assert [error.id for error in checks.static_files_collected()] == ["portal.E002"]


def test_with_debug_on_nothing_needs_collecting(settings, tmp_path):
    settings.DEBUG, settings.STATIC_ROOT = True, tmp_path
    assert checks.static_files_collected() == []


def test_the_web_process_refuses_to_start_without_collected_static_files(production):
    with pytest.raises(ImproperlyConfigured, match="Static files are not collected.*collectstatic --noinput"):
        importlib.reload(importlib.import_module("portal.wsgi"))
    write_manifest(production, own_static_files())
    importlib.reload(importlib.import_module("portal.wsgi"))  # starts


def test_commands_run_before_collectstatic_are_not_stopped(production):
    from django.core import checks as django_checks

    assert "portal.E001" not in [error.id for error in django_checks.run_checks(include_deployment_checks=True)]
