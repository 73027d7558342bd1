"""Backups of the portal's PostgreSQL database, and the drill that proves one restores.

A backup is a dump and a manifest next to it (and, on request, an archive of the attachments):

- `FILE`: `pg_dump --format=custom`, taken in one snapshot;
- `FILE.json`: the manifest. Every table's row count and the audit chain (verified, count, last hash) are
  read in the very snapshot pg_dump dumps (`pg_dump --snapshot`), so they describe exactly what the dump
  holds even while the portal keeps writing. It also keeps the dump's SHA-256 and the versions. It is
  written last: a dump without its manifest is an unfinished backup;
- `FILE.attachments.tar.gz` (`--with-attachments`): ATTACHMENTS_ROOT, archived after the dump, so that
  every file row in the dump has its file in the archive.

The drill restores the dump into a scratch database and compares it with the manifest: each table's row
count, the audit chain verified from start to end in the restored copy, its count and last hash (a chain
cut short at the end still verifies: only the manifest shows it), and each attachment's SHA-256 against
its row. The PostgreSQL client tools run with an argument list, never a shell, and the connection
settings (the password above all) go in their environment, never on a command line.
"""

import glob
import hashlib
import json
import os
import re
import secrets
import shutil
import subprocess  # nosec B404
import tarfile
import time
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from django.apps import apps
from django.conf import settings
from django.db import DEFAULT_DB_ALIAS, DatabaseError, connections, transaction
from django.db.utils import load_backend

from partnerships import audit
from partnerships.models import AuditEvent, AuditSeal, StoredFile

MANIFEST_FORMAT = 1
CHUNK_SIZE = 1024 * 1024
# Names the tools take as a plain database name (not a connection string, not an option).
SAFE_NAME = re.compile(r"[A-Za-z0-9_][A-Za-z0-9_$-]{0,62}")
SQLITE_REFUSAL = "Backups need PostgreSQL; on SQLite copy db.sqlite3 (with the portal stopped)."
# Connection OPTIONS the client tools read from the environment (libpq's names).
LIBPQ_OPTIONS = {"sslmode": "PGSSLMODE", "sslrootcert": "PGSSLROOTCERT", "sslcert": "PGSSLCERT",
                 "sslkey": "PGSSLKEY", "passfile": "PGPASSFILE", "service": "PGSERVICE"}


class BackupError(Exception):
    """A backup, restore or drill that cannot go on; the message says why and what to do."""


# --- the PostgreSQL client tools --------------------------------------------------------------------

def require_postgresql(alias=DEFAULT_DB_ALIAS):
    if connections[alias].vendor != "postgresql":
        raise BackupError(SQLITE_REFUSAL)


def server_major(alias=DEFAULT_DB_ALIAS):
    connection = connections[alias]
    connection.ensure_connection()
    return connection.pg_version // 10000


def tool_version(path):
    """The version a client tool reports ("15.20"), or None when it does not run."""
    try:
        result = subprocess.run([path, "--version"], capture_output=True, text=True, timeout=30,  # noqa: S603  # nosec B603
                                check=False)
    except OSError:
        return None
    found = re.search(r"\(PostgreSQL\)\s+(\d+(?:\.\d+)?)", result.stdout)
    return found.group(1) if found else None


def client_tool(name, major):
    """The path of `name` (pg_dump, pg_restore, createdb, dropdb) whose major version is the server's.

    Looked for under /usr/lib/postgresql/<major>/bin (Debian, Ubuntu), then on PATH, then under the other
    /usr/lib/postgresql/*/bin: a client of another major version may write or read what the server does not.
    """
    candidates = [f"/usr/lib/postgresql/{major}/bin/{name}", shutil.which(name),
                  *sorted(glob.glob(f"/usr/lib/postgresql/*/bin/{name}"), reverse=True)]
    seen = {}
    for path in dict.fromkeys(candidate for candidate in candidates if candidate and os.access(candidate, os.X_OK)):
        version = tool_version(path)
        seen[path] = version
        if version and int(version.split(".")[0]) == major:
            return path
    found = ", ".join(f"{path} ({version or 'does not run'})" for path, version in seen.items()) or "none"
    raise BackupError(
        f"{name} {major} is needed to match the PostgreSQL {major} server; found: {found}. "
        f"Install the PostgreSQL {major} client tools (Debian: apt-get install postgresql-client-{major}) "
        f"or put their bin folder on PATH."
    )


def client_env(settings_dict, *, database=None):
    """The environment the client tools connect with: the portal's own connection settings."""
    env = {key: value for key, value in os.environ.items() if not key.startswith("PG")}
    values = {"PGHOST": settings_dict.get("HOST"), "PGPORT": settings_dict.get("PORT"),
              "PGUSER": settings_dict.get("USER"), "PGPASSWORD": settings_dict.get("PASSWORD"),
              "PGDATABASE": database, "PGAPPNAME": "portal-backup"}
    options = settings_dict.get("OPTIONS") or {}
    values.update({variable: options.get(option) for option, variable in LIBPQ_OPTIONS.items()})
    env.update({key: str(value) for key, value in values.items() if value})
    return env


def run_tool(args, env):
    """Run a client tool; BackupError with what it said when it fails."""
    try:
        # An argument list, no shell; the tool is a PostgreSQL client found by client_tool().
        result = subprocess.run(args, env=env, capture_output=True, text=True, check=False)  # noqa: S603  # nosec B603
    except OSError as error:
        raise BackupError(f"{Path(args[0]).name} could not be started: {error}") from error
    if result.returncode != 0:
        said = (result.stderr or result.stdout).strip()[-2000:] or "no message"
        raise BackupError(f"{Path(args[0]).name} failed (exit status {result.returncode}): {said}")
    return result


@dataclass
class Tools:
    """The client tools matching one server, and how to connect to it."""

    settings_dict: dict
    major: int
    paths: dict = field(default_factory=dict)

    @classmethod
    def for_alias(cls, alias=DEFAULT_DB_ALIAS):
        require_postgresql(alias)
        return cls(settings_dict=dict(connections[alias].settings_dict), major=server_major(alias))

    def path(self, name):
        if name not in self.paths:
            self.paths[name] = client_tool(name, self.major)
        return self.paths[name]

    def version(self, name):
        return tool_version(self.path(name))

    def run(self, name, *args, database=None):
        return run_tool([self.path(name), "--no-password", *args], client_env(self.settings_dict, database=database))


# --- databases --------------------------------------------------------------------------------------

def check_database_name(name):
    if not SAFE_NAME.fullmatch(name or ""):
        raise BackupError(f"{name!r} is not a database name this command accepts: use letters, digits, _ and -.")
    return name


@contextmanager
def database_alias(name):
    """A Django connection alias to database `name` on the portal's server, for as long as the block runs.

    The connection is made here rather than added to settings.DATABASES: settings stay as they are, and
    Django (its test cases included) treats it as the dynamically created connection it is.
    """
    source = connections[DEFAULT_DB_ALIAS].settings_dict
    alias = f"backup_{secrets.token_hex(4)}"
    connections[alias] = load_backend(source["ENGINE"]).DatabaseWrapper({**source, "NAME": name}, alias)
    try:
        yield alias
    finally:
        connections[alias].close()
        del connections[alias]


def database_exists(name):
    with connections[DEFAULT_DB_ALIAS].cursor() as cursor:
        cursor.execute("SELECT 1 FROM pg_database WHERE datname = %s", [name])
        return cursor.fetchone() is not None


def create_database(tools, name):
    """An empty database from template0 (template1 may hold objects the dump brings again)."""
    tools.run("createdb", "--template=template0", check_database_name(name))


def drop_database(tools, name):
    tools.run("dropdb", "--if-exists", "--force", check_database_name(name))


def scratch_name(source):
    return f"{source[:40]}_drill_{secrets.token_hex(4)}"


# --- what a database holds --------------------------------------------------------------------------

def read_state(alias):
    """Every table's row count and the audit chain (verified from the start), as `alias` sees them."""
    connection = connections[alias]
    with connection.cursor() as cursor:
        counts = {}
        for table in sorted(connection.introspection.table_names(cursor)):
            # A table name from the catalog, quoted: not user input.
            cursor.execute(f"SELECT count(*) FROM {connection.ops.quote_name(table)}")  # noqa: S608  # nosec B608
            counts[table] = cursor.fetchone()[0]
    verified, problems = audit.verify(using=alias, unsealed_after=10**9)  # a copy seals nothing: chain only
    last_hash = AuditSeal.objects.using(alias).order_by("-position").values_list("hash", flat=True).first()
    return {
        "tables": counts,
        "audit": {"count": counts.get(AuditEvent._meta.db_table, 0), "verified": verified,
                  "broken_at": problems[0].position if problems else None, "last_hash": last_hash or audit.GENESIS},
    }


def stored_file_models():
    return [model for model in apps.get_models() if issubclass(model, StoredFile)]


# --- files ------------------------------------------------------------------------------------------

def sha256_of(path):
    digest = hashlib.sha256()
    with open(path, "rb") as handle:
        while chunk := handle.read(CHUNK_SIZE):
            digest.update(chunk)
    return digest.hexdigest()


def manifest_path(dump):
    return Path(f"{dump}.json")


def attachments_path(dump):
    return Path(f"{dump}.attachments.tar.gz")


def partial_path(path):
    return path.with_name(f"{path.name}.partial")


def create_private(path):
    """Create `path` readable by its owner only (a dump holds every case), failing if it exists."""
    os.close(os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600))


def default_output():
    stamp = datetime.now(UTC).strftime("%Y%m%dT%H%M%SZ")
    return Path(settings.BASE_DIR) / "var" / "backups" / f"portal-{stamp}.dump"


def archive_attachments(root, target):
    """Archive every file under `root` (names relative to it) into `target`; the number of files."""
    root = Path(root)
    files = sorted(path for path in root.rglob("*") if path.is_file()) if root.is_dir() else []
    with open(target, "wb") as raw, tarfile.open(fileobj=raw, mode="w:gz") as archive:
        for path in files:
            archive.add(path, arcname=path.relative_to(root).as_posix(), recursive=False)
    return len(files)


def archived_hashes(archive_path):
    """{name in the archive: sha256} for every file in an attachments archive."""
    hashes = {}
    with tarfile.open(archive_path, mode="r:gz") as archive:
        for member in archive:
            if member.isfile():
                digest = hashlib.sha256()
                with archive.extractfile(member) as handle:
                    while chunk := handle.read(CHUNK_SIZE):
                        digest.update(chunk)
                hashes[member.name.removeprefix("./")] = digest.hexdigest()
    return hashes


# --- backup -----------------------------------------------------------------------------------------

def backup(output=None, *, with_attachments=False):
    """Dump the portal's database to `output` and write its manifest: (the dump's path, the manifest).

    Nothing is left behind on failure: each file is written under a `.partial` name and renamed at the end.
    """
    tools = Tools.for_alias()
    pg_dump = tools.path("pg_dump")
    output = Path(output) if output else default_output()
    targets = [output, manifest_path(output)] + ([attachments_path(output)] if with_attachments else [])
    for target in targets:
        if target.exists():
            raise BackupError(f"{target} already exists: choose another --output.")
    output.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    partials = {target: partial_path(target) for target in targets}
    for partial in partials.values():
        if partial.exists():
            raise BackupError(f"{partial} exists: another backup to this name is running or was interrupted "
                              "(remove it if none is running).")
        create_private(partial)
    name = tools.settings_dict["NAME"]
    audit.seal_all()  # the manifest then names every record by its place in the chain
    try:
        # One snapshot for the dump, the row counts and the chain: the manifest describes the dump exactly.
        with database_alias(name) as alias, transaction.atomic(using=alias):
            with connections[alias].cursor() as cursor:
                cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
                cursor.execute("SELECT pg_export_snapshot(), current_setting('server_version')")
                snapshot, server_version = cursor.fetchone()
            started = time.monotonic()
            tools.run("pg_dump", "--format=custom", f"--snapshot={snapshot}", f"--file={partials[output]}",
                      database=name)
            seconds = time.monotonic() - started
            state = read_state(alias)
        manifest = {
            "format": MANIFEST_FORMAT,
            "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
            "database": name,
            "server_version": server_version,
            "pg_dump": pg_dump,
            "pg_dump_version": tools.version("pg_dump"),
            "dump": {"file": output.name, "size": partials[output].stat().st_size,
                     "sha256": sha256_of(partials[output]), "seconds": round(seconds, 1)},
            **state,
        }
        if with_attachments:
            archive = attachments_path(output)
            root = Path(settings.ATTACHMENTS_ROOT)
            files = archive_attachments(root, partials[archive])
            manifest["attachments"] = {"file": archive.name, "root": str(root), "files": files,
                                       "size": partials[archive].stat().st_size,
                                       "sha256": sha256_of(partials[archive])}
        partials[manifest_path(output)].write_text(json.dumps(manifest, indent=2, sort_keys=True) + "\n")
        for target in targets:  # the manifest last: a dump without it is an unfinished backup
            os.replace(partials[target], target)
    except BaseException:
        for partial in partials.values():
            partial.unlink(missing_ok=True)
        raise
    return output, manifest


# --- restore and compare ----------------------------------------------------------------------------

def load_manifest(dump):
    """The manifest of `dump`, once the dump is found whole (its SHA-256 is the manifest's)."""
    dump = Path(dump)
    if not dump.is_file():
        raise BackupError(f"No backup at {dump}.")
    path = manifest_path(dump)
    if not path.is_file():
        raise BackupError(f"No manifest at {path}: the backup is unfinished or was not made by `manage.py backup`.")
    try:
        manifest = json.loads(path.read_text())
    except (OSError, UnicodeDecodeError, json.JSONDecodeError) as error:
        raise BackupError(f"The manifest {path} cannot be read: {error}") from error
    if not isinstance(manifest, dict) or manifest.get("format") != MANIFEST_FORMAT:
        raise BackupError(f"The manifest {path} is not a format-{MANIFEST_FORMAT} backup manifest.")
    found = sha256_of(dump)
    if found != manifest["dump"]["sha256"]:
        raise BackupError(
            f"{dump} is not the file that was backed up: its SHA-256 is {found}, the manifest says "
            f"{manifest['dump']['sha256']} ({dump.stat().st_size} bytes, {manifest['dump']['size']} written). "
            "The file is damaged or truncated."
        )
    return manifest


def restore_into(tools, dump, database):
    """pg_restore `dump` into the (empty) `database`, all or nothing."""
    tools.run("pg_restore", "--no-owner", "--exit-on-error", "--single-transaction",
              f"--dbname={check_database_name(database)}", str(dump))


@dataclass
class Comparison:
    lines: list = field(default_factory=list)
    differences: list = field(default_factory=list)

    def differ(self, text):
        self.differences.append(text)
        self.lines.append(f"DIFFERENT: {text}")


def compare(alias, manifest, *, dump=None):
    """Compare the database behind `alias` with the manifest: tables, audit chain, attachments."""
    result = Comparison()
    try:
        state = read_state(alias)
    except DatabaseError as error:
        raise BackupError(f"The restored database cannot be read as the portal's: {error}".strip()) from error
    expected, found = manifest["tables"], state["tables"]
    for table in sorted(set(expected) | set(found)):
        if table not in found:
            result.differ(f"table {table} is missing (the backup has {expected[table]} rows)")
        elif table not in expected:
            result.differ(f"table {table} is not in the backup ({found[table]} rows)")
        elif found[table] != expected[table]:
            result.differ(f"table {table}: {found[table]} rows, the backup has {expected[table]}")
    matching = sum(1 for table, count in expected.items() if found.get(table) == count)
    result.lines.append(f"tables: {len(expected)} in the manifest, {matching} with the same row count "
                        f"({sum(found.values())} rows in all)")

    chain, recorded = state["audit"], manifest["audit"]
    if chain["broken_at"] is not None:
        before = ("; it was already broken there when backed up" if recorded.get("broken_at") == chain["broken_at"]
                  else "")
        result.differ(f"audit chain broken at position {chain['broken_at']} in the restored copy "
                      f"({chain['verified']} records verified{before})")
    else:
        result.lines.append(f"audit chain: {chain['verified']} records verified from start to end in the restored copy")
    if (chain["count"], chain["last_hash"]) == (recorded["count"], recorded["last_hash"]):
        result.lines.append(f"audit chain: count {chain['count']} and last hash {chain['last_hash'][:16]}… "
                            "match the manifest")
    else:
        if chain["count"] != recorded["count"]:
            result.differ(f"audit chain: {chain['count']} records, the backup has {recorded['count']}")
        if chain["last_hash"] != recorded["last_hash"]:
            result.differ(f"audit chain: last hash {chain['last_hash'][:16]}…, the backup's is "
                          f"{recorded['last_hash'][:16]}…")

    if "attachments" in manifest and dump is not None:
        compare_attachments(alias, manifest["attachments"], attachments_path(dump), result)
    return result


def compare_attachments(alias, recorded, archive, result):
    """Every file row (case documents, background papers) has its file in the archive, with its SHA-256."""
    if not archive.is_file():
        result.differ(f"attachments: the archive {archive} is missing")
        return
    if sha256_of(archive) != recorded["sha256"]:
        result.differ(f"attachments: {archive} is not the archive that was written (its SHA-256 differs)")
        return
    try:
        hashes = archived_hashes(archive)
    except (tarfile.TarError, EOFError, OSError) as error:
        result.differ(f"attachments: the archive {archive} cannot be read: {error}")
        return
    if len(hashes) != recorded["files"]:
        result.differ(f"attachments: {len(hashes)} files in the archive, the manifest says {recorded['files']}")
    rows = 0
    for model in stored_file_models():
        label = model._meta.verbose_name
        for pk, stored_name, sha256 in model.objects.using(alias).values_list("pk", "stored_name", "sha256"):
            rows += 1
            if stored_name not in hashes:
                result.differ(f"attachments: {label} #{pk} has no file in the archive ({stored_name})")
            elif hashes[stored_name] != sha256:
                result.differ(f"attachments: {label} #{pk}: the file's SHA-256 is not the one recorded at upload "
                              f"({stored_name})")
    unclaimed = len(set(hashes) - {name for model in stored_file_models()
                                   for name in model.objects.using(alias).values_list("stored_name", flat=True)})
    result.lines.append(f"attachments: {len(hashes)} files archived for {rows} rows; each row's file checked "
                        f"against its SHA-256" + (f" ({unclaimed} files belong to no row)" if unclaimed else ""))


def drill(dump, *, keep=False, say=print):
    """Restore `dump` into a scratch database, compare it with the manifest, drop it; the Comparison."""
    tools = Tools.for_alias()
    manifest = load_manifest(dump)
    say(f"Backup {dump}: taken {manifest['created_at']} from {manifest['database']} "
        f"(PostgreSQL {manifest['server_version']}, pg_dump {manifest['pg_dump_version']})")
    say(f"  dump: SHA-256 matches the manifest ({manifest['dump']['size']} bytes)")
    for name in ("pg_restore", "createdb", "dropdb"):  # a missing tool is said before anything is created
        tools.path(name)
    scratch = scratch_name(manifest["database"])
    create_database(tools, scratch)
    try:
        started = time.monotonic()
        restore_into(tools, dump, scratch)
        say(f"  restored into the scratch database {scratch} in {time.monotonic() - started:.1f} s "
            f"(pg_restore {tools.version('pg_restore')})")
        with database_alias(scratch) as alias:
            result = compare(alias, manifest, dump=Path(dump))
        for line in result.lines:
            say(f"  {line}")
        return result
    finally:
        if keep:
            say(f"  the scratch database {scratch} is kept (--keep): drop it with `dropdb {scratch}`")
        else:
            drop_database(tools, scratch)
            say(f"  the scratch database {scratch} is dropped")


def restore(dump, *, into, attachments_into=None, say=print):
    """Restore `dump` into the existing, empty database `into` and compare it with the manifest.

    With `attachments_into`, the attachments archive is unpacked into that (empty) folder too.
    """
    tools = Tools.for_alias()
    check_database_name(into)
    manifest = load_manifest(dump)
    archive = attachments_path(dump)
    if attachments_into is not None:
        if "attachments" not in manifest:
            raise BackupError(f"{dump} was backed up without --with-attachments: there is no archive to unpack.")
        if not archive.is_file() or sha256_of(archive) != manifest["attachments"]["sha256"]:
            raise BackupError(f"The attachments archive {archive} is missing or is not the one written.")
        folder = Path(attachments_into)
        if folder.exists() and any(folder.iterdir()):
            raise BackupError(f"{folder} is not empty: unpack the attachments into an empty folder.")
    if not database_exists(into):
        raise BackupError(f"The database {into} does not exist: create it empty first "
                          f"(createdb --template=template0 --owner=<portal user> {into}).")
    with database_alias(into) as alias:
        connection = connections[alias]
        with connection.cursor() as cursor:
            tables = connection.introspection.table_names(cursor)
        if tables:
            raise BackupError(f"The database {into} is not empty ({len(tables)} tables): a restore goes into an "
                              "empty database only.")
        started = time.monotonic()
        restore_into(tools, dump, into)
        say(f"Restored {dump} into {into} in {time.monotonic() - started:.1f} s")
        if attachments_into is not None:
            folder.mkdir(parents=True, exist_ok=True, mode=0o750)
            with tarfile.open(archive, mode="r:gz") as unpacked:
                unpacked.extractall(folder, filter="data")
            say(f"Unpacked {manifest['attachments']['files']} attachments into {folder}")
        result = compare(alias, manifest, dump=Path(dump) if attachments_into is not None else None)
    for line in result.lines:
        say(f"  {line}")
    return result
