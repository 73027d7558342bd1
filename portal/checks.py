"""What must be true before a production web process serves a page."""

from pathlib import Path

from django.conf import settings
from django.contrib.staticfiles.storage import ManifestFilesMixin
from django.core import checks
from django.core.exceptions import ImproperlyConfigured
from django.core.files.storage import storages

COLLECT = "python manage.py collectstatic --noinput"


def static_files_collected(app_configs=None, **kwargs):
    """With DEBUG off, every page names its stylesheet by the hashed name in the static files' manifest: without
    the manifest (collectstatic not run), or with one that lacks the portal's own files (collected before they
    changed), every page answers 500.

    A system check's function, run as a web process starts (portal/wsgi.py) rather than registered: registered,
    it would stop `migrate` and every other command run before `collectstatic`, and `check --deploy` on a
    developer's tree."""
    if settings.DEBUG:
        return []
    try:
        storage = storages.create_storage(settings.STORAGES["staticfiles"])  # a manifest storage reads it now
        collected = set(storage.load_manifest()[0]) if isinstance(storage, ManifestFilesMixin) else None
    except ValueError:  # a manifest that cannot be read
        collected = set()
    if collected is None:
        return []
    if not collected:
        return [checks.Error(
            f"Static files are not collected: no readable staticfiles.json (the manifest) in {settings.STATIC_ROOT}, "
            "and with DEBUG off every page would answer 500.", hint=f"Run `{COLLECT}` before starting the portal.",
            id="portal.E001")]
    own = {path.relative_to(folder).as_posix() for folder in map(_path, settings.STATICFILES_DIRS)
           for path in folder.rglob("*") if path.is_file()}
    missing = sorted(own - collected)
    if missing:
        return [checks.Error(
            f"The collected static files are out of date: {len(missing)} of the portal's own files are missing from "
            f"the manifest (first: {missing[0]}).", hint=f"Run `{COLLECT}` again.", id="portal.E002")]
    return []


def _path(entry):
    return Path(entry[1] if isinstance(entry, (list, tuple)) else entry)


def refuse_to_start_unless_ready():
    """Run by portal/wsgi.py as each web process starts: refuse to serve rather than answer 500 to every page."""
    errors = [error for error in static_files_collected() if error.is_serious()]
    if errors:
        raise ImproperlyConfigured("The portal cannot start: " + " ".join(
            f"{error.msg} {error.hint}" for error in errors))
