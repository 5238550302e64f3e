"""Backups and restores of the whole database, with a manifest that proves a restore is complete.

- **SQLite**: the online backup API copies one consistent snapshot of the live database (write-ahead log
  included) while the server keeps writing; the copy is a single self-contained file.
- **PostgreSQL**: ``pg_dump --format=custom`` runs in a snapshot exported by the transaction that counts
  the manifest, so the dump and its manifest describe the same instant. ``pg_restore --clean --if-exists
  --no-owner --single-transaction`` restores it: all of it, or nothing.

The manifest holds every table's row count and a SHA-256 checksum of the value ledger. It is saved next to
the backup as ``<backup>.json`` and compared with the restored database after a restore.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import importlib.metadata
import json
import os
import secrets
import shutil
import sqlite3
import subprocess
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from decimal import Decimal
from pathlib import Path
from typing import Any, cast

from django.apps import apps
from django.conf import settings
from django.db import connection as default_connection
from django.db import models
from django.db.backends.base.base import BaseDatabaseWrapper
from django.template.defaultfilters import filesizeformat
from django.utils.translation import gettext as _
from django.utils.translation import ngettext

MANIFEST_FORMAT = 1
SQLITE_HEADER = b"SQLite format 3\x00"
PGDUMP_HEADER = b"PGDMP"
EXTENSIONS = {"sqlite": "sqlite3", "postgresql": "dump"}
ENGINE_NAMES = {"sqlite": "SQLite", "postgresql": "PostgreSQL"}
# The value ledger's fields that the checksum covers: everything but the ``updated_at`` bookkeeping.
LEDGER_MODEL = "value.ValueEntry"
LEDGER_FIELDS = (
    "id",
    "partnership",
    "restricted_department",
    "title",
    "beneficiary_side",
    "category",
    "amount",
    "currency",
    "period_start",
    "period_end",
    "evidence",
    "case",
    "initiative",
    "recorded_by_side",
    "recorded_by",
    "status",
    "awaiting_since",
    "confirmed_at",
    "confirmed_by",
    "disputed_at",
    "disputed_by",
    "dispute_reason",
    "created_at",
    "version",
)
# Connection options of Django's PostgreSQL backend that the client tools read from the environment.
PG_OPTION_ENV = {
    "sslmode": "PGSSLMODE",
    "sslrootcert": "PGSSLROOTCERT",
    "sslcert": "PGSSLCERT",
    "sslkey": "PGSSLKEY",
    "sslcrl": "PGSSLCRL",
    "passfile": "PGPASSFILE",
    "service": "PGSERVICE",
    "connect_timeout": "PGCONNECT_TIMEOUT",
    "target_session_attrs": "PGTARGETSESSIONATTRS",
}
UNION_BATCH = 200  # SQLite allows at most 500 terms in one compound SELECT


class BackupError(Exception):
    """A backup or restore that cannot be done; the message says why, for the operator."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message


class RestoreCancelled(BackupError):
    """The operator did not confirm the restore; nothing was changed."""


@dataclass(frozen=True)
class Manifest:
    """What a database holds: rows per table and the value ledger's checksum."""

    engine: str
    tables: dict[str, int]
    ledger_entries: int
    ledger_sha256: str

    @property
    def rows(self) -> int:
        return sum(self.tables.values())

    def as_json(self) -> dict[str, Any]:
        return {
            "engine": self.engine,
            "tables": dict(sorted(self.tables.items())),
            "value_ledger": {
                "model": LEDGER_MODEL,
                "fields": list(LEDGER_FIELDS),
                "entries": self.ledger_entries,
                "sha256": self.ledger_sha256,
            },
        }

    @classmethod
    def from_json(cls, data: dict[str, Any]) -> Manifest:
        ledger = data["value_ledger"]
        return cls(
            engine=str(data["engine"]),
            tables={str(name): int(count) for name, count in data["tables"].items()},
            ledger_entries=int(ledger["entries"]),
            ledger_sha256=str(ledger["sha256"]),
        )

    def differences(self, actual: Manifest) -> list[str]:
        """How ``actual`` differs from this (expected) manifest, one sentence per difference."""
        found: list[str] = []
        for table in sorted(self.tables.keys() | actual.tables.keys()):
            expected_rows, actual_rows = self.tables.get(table), actual.tables.get(table)
            if expected_rows == actual_rows:
                continue
            if actual_rows is None:
                found.append(_("table %(table)s is missing") % {"table": table})
            elif expected_rows is None:
                found.append(_("table %(table)s is not in the manifest") % {"table": table})
            else:
                found.append(
                    _("table %(table)s: %(expected)s rows expected, %(actual)s found")
                    % {"table": table, "expected": expected_rows, "actual": actual_rows}
                )
        if self.ledger_entries != actual.ledger_entries or self.ledger_sha256 != actual.ledger_sha256:
            found.append(
                _(
                    "value ledger: %(expected)s entries with checksum %(expected_sha)s expected, "
                    "%(actual)s entries with checksum %(actual_sha)s found"
                )
                % {
                    "expected": self.ledger_entries,
                    "expected_sha": self.ledger_sha256[:16],
                    "actual": actual.ledger_entries,
                    "actual_sha": actual.ledger_sha256[:16],
                }
            )
        return found


@dataclass(frozen=True)
class BackupResult:
    path: Path
    sidecar: Path
    size: int
    sha256: str
    manifest: Manifest


@dataclass(frozen=True)
class BackupFile:
    """A backup checked before a restore: its kind, and the manifest saved next to it, if any."""

    path: Path
    engine: str
    expected: Manifest | None
    created_at: str = ""


@dataclass(frozen=True)
class RestoreResult:
    backup: BackupFile
    manifest: Manifest
    differences: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.differences


# --- manifest ---------------------------------------------------------------------------------------------


def engine_of(connection: BaseDatabaseWrapper) -> str:
    if connection.vendor in EXTENSIONS:
        return str(connection.vendor)
    raise BackupError(
        _("Backups support SQLite and PostgreSQL, not %(vendor)s.") % {"vendor": connection.vendor}
    )


def manifest(connection: BaseDatabaseWrapper | None = None) -> Manifest:
    """The manifest of the live database."""
    connection = connection or default_connection
    engine = engine_of(connection)
    with connection.cursor() as cursor:
        return _manifest(cursor, engine)


def _quote(name: str) -> str:
    return '"' + name.replace('"', '""') + '"'


def _literal(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _tables(cursor: Any, engine: str) -> list[str]:
    if engine == "sqlite":
        cursor.execute(
            "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite!_%' ESCAPE '!'"
        )
    else:
        cursor.execute("SELECT tablename FROM pg_catalog.pg_tables WHERE schemaname = current_schema()")
    return sorted(str(row[0]) for row in cursor.fetchall())


def _batches(items: list[str], size: int) -> Iterator[list[str]]:
    for start in range(0, len(items), size):
        yield items[start : start + size]


def _manifest(cursor: Any, engine: str) -> Manifest:
    """Count every table in one query per batch of tables and checksum the value ledger."""
    tables = _tables(cursor, engine)
    counts: dict[str, int] = {}
    for batch in _batches(tables, UNION_BATCH):
        cursor.execute(
            # Names come from the catalogue and are quoted.
            " UNION ALL ".join(
                f"SELECT {_literal(name)}, COUNT(*) FROM {_quote(name)}"  # noqa: S608
                for name in batch
            )
        )
        counts.update({str(name): int(count) for name, count in cursor.fetchall()})
    entries, checksum = _ledger_checksum(cursor, set(tables))
    return Manifest(engine=engine, tables=counts, ledger_entries=entries, ledger_sha256=checksum)


def _normaliser(model_field: models.Field[Any, Any]) -> Callable[[Any], Any]:
    """Turn a raw column value into the same JSON value whatever the engine and driver returned."""
    if isinstance(model_field, models.DecimalField):
        exponent = Decimal(1).scaleb(-(model_field.decimal_places or 0))
        return lambda v: str(Decimal(str(v)).quantize(exponent))
    if isinstance(model_field, models.DateTimeField):

        def moment(v: Any) -> str:
            value = v if isinstance(v, dt.datetime) else dt.datetime.fromisoformat(str(v))
            if value.tzinfo is None:  # SQLite stores UTC without an offset
                value = value.replace(tzinfo=dt.UTC)
            return value.astimezone(dt.UTC).isoformat()

        return moment
    if isinstance(model_field, models.DateField):
        return lambda v: (v if isinstance(v, dt.date) else dt.date.fromisoformat(str(v))).isoformat()
    if isinstance(model_field, models.IntegerField | models.AutoField | models.ForeignKey):
        return int
    return str


def _ledger_checksum(cursor: Any, tables: set[str]) -> tuple[int, str]:
    """SHA-256 of the value ledger, one JSON line per entry, ordered by id."""
    model = apps.get_model(LEDGER_MODEL)
    digest = hashlib.sha256()
    if model._meta.db_table not in tables:
        return 0, digest.hexdigest()
    fields = [model._meta.get_field(name) for name in LEDGER_FIELDS]
    normalisers = [_normaliser(f) for f in fields]
    columns = ", ".join(_quote(f.column) for f in fields)
    table = _quote(model._meta.db_table)
    cursor.execute(f"SELECT {columns} FROM {table} ORDER BY {_quote('id')}")  # noqa: S608
    entries = 0
    while rows := cursor.fetchmany(1000):
        for row in rows:
            values = [None if v is None else norm(v) for norm, v in zip(normalisers, row, strict=True)]
            digest.update(json.dumps(values, ensure_ascii=False, separators=(",", ":")).encode() + b"\n")
            entries += 1
    return entries, digest.hexdigest()


# --- files ------------------------------------------------------------------------------------------------


def sidecar_of(path: Path) -> Path:
    return path.with_name(path.name + ".json")


def file_sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with path.open("rb") as stream:
        while chunk := stream.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def kind_of(path: Path) -> str | None:
    """``sqlite``, ``postgresql`` (a pg_dump custom-format archive) or None, from the file's header."""
    with path.open("rb") as stream:
        header = stream.read(len(SQLITE_HEADER))
    if header == SQLITE_HEADER:
        return "sqlite"
    if header.startswith(PGDUMP_HEADER):
        return "postgresql"
    return None


def default_path(engine: str, now: dt.datetime | None = None) -> Path:
    stamp = (now or dt.datetime.now(dt.UTC)).strftime("%Y%m%d-%H%M%S")
    return Path(settings.VAR_DIR) / "backups" / f"mitra-{engine}-{stamp}.{EXTENSIONS[engine]}"


def _target(path: str | Path | None, engine: str) -> Path:
    """Where the backup goes; refuses a missing or unwritable folder and never overwrites a file."""
    if path is None:
        target = default_path(engine)
        try:
            target.parent.mkdir(mode=0o700, parents=True, exist_ok=True)
        except OSError as exc:
            raise BackupError(
                _("Cannot create the backup folder %(folder)s: %(error)s")
                % {"folder": target.parent, "error": exc.strerror or exc}
            ) from exc
    else:
        target = Path(path).expanduser().absolute()
        if target.is_dir():
            target = target / default_path(engine).name
    folder = target.parent
    if not folder.is_dir():
        raise BackupError(
            _("The backup folder %(folder)s does not exist or is not a folder.") % {"folder": folder}
        )
    if not os.access(folder, os.W_OK | os.X_OK):
        raise BackupError(_("The backup folder %(folder)s is not writable.") % {"folder": folder})
    if target.exists() or sidecar_of(target).exists():
        raise BackupError(_("%(path)s already exists; a backup never overwrites a file.") % {"path": target})
    return target


def _new_file(path: Path) -> None:
    """Create an empty file only the owner can read: a backup holds every secret in the database."""
    try:
        os.close(os.open(path, os.O_CREAT | os.O_EXCL | os.O_WRONLY, 0o600))
    except OSError as exc:
        raise BackupError(
            _("Cannot write in %(folder)s: %(error)s") % {"folder": path.parent, "error": exc.strerror or exc}
        ) from exc


def _fsync(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


# --- PostgreSQL client tools ------------------------------------------------------------------------------


def pg_tool(name: str) -> str:
    """The path of ``pg_dump`` or ``pg_restore``, or a clear error when the client tools are missing."""
    found = shutil.which(name)
    if not found:
        raise BackupError(
            _(
                "%(tool)s was not found. Install the PostgreSQL client tools (the same major version as "
                "the server, or newer), e.g. apt install postgresql-client, and make sure %(tool)s is "
                "on the PATH."
            )
            % {"tool": name}
        )
    return found


def pg_env(connection: BaseDatabaseWrapper) -> dict[str, str]:
    """The client tools' environment: the connection settings, the password in PGPASSWORD only."""
    config = connection.settings_dict
    env = dict(os.environ)
    for key, variable in (("HOST", "PGHOST"), ("PORT", "PGPORT"), ("USER", "PGUSER"), ("NAME", "PGDATABASE")):
        if config.get(key):
            env[variable] = str(config[key])
    if config.get("PASSWORD"):
        env["PGPASSWORD"] = str(config["PASSWORD"])
    for option, variable in PG_OPTION_ENV.items():
        value = (config.get("OPTIONS") or {}).get(option)
        if value not in (None, ""):
            env[variable] = str(value)
    return env


def _pg_database(connection: BaseDatabaseWrapper) -> list[str]:
    name = connection.settings_dict.get("NAME")
    return [f"--dbname={name}"] if name else []


def _run(argv: list[str], env: dict[str, str]) -> None:
    tool = Path(argv[0]).name
    try:
        # A fixed tool and arguments, never through a shell; the password travels in the environment.
        done = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except OSError as exc:
        raise BackupError(
            _("%(tool)s could not be started: %(error)s") % {"tool": tool, "error": exc.strerror or exc}
        ) from exc
    if done.returncode != 0:
        detail = " ".join(done.stderr.strip().splitlines()[-5:]) or done.stdout.strip()[-500:]
        raise BackupError(
            _("%(tool)s failed (exit code %(code)s): %(error)s")
            % {"tool": tool, "code": done.returncode, "error": detail}
        )


# --- backup -----------------------------------------------------------------------------------------------


def backup(path: str | Path | None = None, *, connection: BaseDatabaseWrapper | None = None) -> BackupResult:
    """Back up the live database into ``path`` (default: a time-stamped file under var/backups).

    The file appears under its final name only once it is complete, together with its manifest sidecar.
    """
    connection = connection or default_connection
    engine = engine_of(connection)
    if engine == "postgresql":
        pg_tool("pg_dump")
    target = _target(path, engine)
    partial = target.with_name(f".{target.name}.partial-{secrets.token_hex(4)}")
    partial_sidecar = sidecar_of(partial)
    try:
        _new_file(partial)
        found = _sqlite_backup(connection, partial) if engine == "sqlite" else _pg_backup(connection, partial)
        _fsync(partial)
        size, checksum = partial.stat().st_size, file_sha256(partial)
        sidecar = sidecar_of(target)
        data = {
            "format": MANIFEST_FORMAT,
            "created_at": dt.datetime.now(dt.UTC).isoformat(timespec="seconds"),
            "mitra_version": _version(),
            "file": {"name": target.name, "size": size, "sha256": checksum},
            **found.as_json(),
        }
        partial_sidecar.write_text(json.dumps(data, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
        os.chmod(partial_sidecar, 0o600)
        _publish(partial, target)
        os.replace(partial_sidecar, sidecar)
        _fsync(target.parent)  # the new names survive a power cut too
    except OSError as exc:
        raise BackupError(
            _("Cannot write the backup %(path)s: %(error)s") % {"path": target, "error": exc.strerror or exc}
        ) from exc
    finally:
        for leftover in (partial, partial_sidecar):
            leftover.unlink(missing_ok=True)
    return BackupResult(path=target, sidecar=sidecar, size=size, sha256=checksum, manifest=found)


def _publish(partial: Path, target: Path) -> None:
    """Give the complete file its final name, refusing to replace one that appeared meanwhile."""
    try:
        os.link(partial, target)
    except FileExistsError as exc:
        raise BackupError(
            _("%(path)s already exists; a backup never overwrites a file.") % {"path": target}
        ) from exc
    except OSError:  # a file system without hard links
        os.replace(partial, target)
    else:
        partial.unlink()


def _version() -> str:
    try:
        return importlib.metadata.version("mitra")
    except importlib.metadata.PackageNotFoundError:
        return ""


def _sqlite_backup(connection: BaseDatabaseWrapper, partial: Path) -> Manifest:
    source: Any = None
    copy: sqlite3.Connection | None = None
    try:
        # Our own connection to the live database: its snapshot holds only committed data, whatever the
        # state of Django's connection. One step (pages=-1) reads one snapshot; in WAL mode the server's
        # writers are not blocked meanwhile.
        source = connection.get_new_connection(connection.get_connection_params())
        copy = sqlite3.connect(partial)
        source.backup(copy)
        # A single self-contained file, readable without a -wal companion.
        copy.execute("PRAGMA journal_mode=DELETE")
        if copy.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(_("The copy failed its integrity check; the live database may be damaged."))
        return _manifest(copy.cursor(), "sqlite")
    except sqlite3.Error as exc:
        raise BackupError(_("Cannot back up the SQLite database: %(error)s") % {"error": exc}) from exc
    finally:
        if copy is not None:
            copy.close()
        if source is not None:
            source.close()


def _pg_backup(connection: BaseDatabaseWrapper, partial: Path) -> Manifest:
    pg_dump = pg_tool("pg_dump")
    database_error: type[Exception] = cast(Any, connection).Database.Error
    raw: Any = None
    try:
        raw = connection.get_new_connection(connection.get_connection_params())
        with raw.cursor() as cursor:
            cursor.execute("SET TRANSACTION ISOLATION LEVEL REPEATABLE READ, READ ONLY")
            cursor.execute("SELECT pg_export_snapshot()")
            snapshot = cursor.fetchone()[0]
            # pg_dump reads the very snapshot this transaction counts: the manifest matches the dump even
            # while the server writes.
            _run(
                [
                    pg_dump,
                    "--format=custom",
                    f"--file={partial}",
                    f"--snapshot={snapshot}",
                    "--no-password",
                    *_pg_database(connection),
                ],
                pg_env(connection),
            )
            found = _manifest(cursor, "postgresql")
        raw.rollback()
        return found
    except database_error as exc:
        raise BackupError(_("Cannot read the PostgreSQL database: %(error)s") % {"error": exc}) from exc
    finally:
        if raw is not None:
            raw.close()


# --- restore ----------------------------------------------------------------------------------------------


def check_backup(path: str | Path, *, connection: BaseDatabaseWrapper | None = None) -> BackupFile:
    """Check that ``path`` can be restored into this database: kind, engine and manifest, touching nothing."""
    connection = connection or default_connection
    engine = engine_of(connection)
    file = Path(path).expanduser().absolute()
    if not file.is_file():
        raise BackupError(_("%(path)s does not exist or is not a file.") % {"path": file})
    try:
        kind = kind_of(file)
    except OSError as exc:
        raise BackupError(
            _("Cannot read %(path)s: %(error)s") % {"path": file, "error": exc.strerror or exc}
        ) from exc
    if kind is None:
        raise BackupError(
            _(
                "%(path)s is not a Mitra backup: it is neither a SQLite database nor a pg_dump "
                "custom-format archive."
            )
            % {"path": file}
        )
    if kind != engine:
        raise BackupError(
            _("%(path)s is a %(kind)s backup, but this Mitra runs on %(engine)s; nothing was restored.")
            % {"path": file, "kind": ENGINE_NAMES[kind], "engine": ENGINE_NAMES[engine]}
        )
    expected, created_at = None, ""
    sidecar = sidecar_of(file)
    if sidecar.exists():
        try:
            data = json.loads(sidecar.read_text(encoding="utf-8"))
            expected = Manifest.from_json(data)
            recorded = data.get("file") or {}
            created_at = str(data.get("created_at", ""))
        except (OSError, ValueError, KeyError, TypeError, AttributeError) as exc:
            raise BackupError(
                _("The manifest %(sidecar)s cannot be read: %(error)s") % {"sidecar": sidecar, "error": exc}
            ) from exc
        if recorded.get("sha256") and recorded["sha256"] != file_sha256(file):
            raise BackupError(
                _(
                    "%(path)s does not match the checksum in %(sidecar)s: the file is damaged or not the "
                    "one the manifest describes; nothing was restored."
                )
                % {"path": file, "sidecar": sidecar}
            )
    return BackupFile(path=file, engine=kind, expected=expected, created_at=created_at)


def restore(
    path: str | Path,
    *,
    connection: BaseDatabaseWrapper | None = None,
    confirm: Callable[[BackupFile], bool] | None = None,
) -> RestoreResult:
    """Replace the live database with the backup at ``path``, then compare it with the backup's manifest.

    ``confirm`` is asked once the file has been checked and before anything changes; False cancels.
    """
    connection = connection or default_connection
    checked = check_backup(path, connection=connection)
    if connection.in_atomic_block:
        raise BackupError(_("A restore cannot run inside a database transaction."))
    if checked.engine == "postgresql":
        pg_tool("pg_restore")
    if confirm is not None and not confirm(checked):
        raise RestoreCancelled(_("Restore cancelled; nothing was changed."))
    if checked.engine == "sqlite":
        _sqlite_restore(connection, checked.path)
    else:
        _pg_restore(connection, checked.path)
    found = manifest(connection)
    differences = checked.expected.differences(found) if checked.expected else []
    return RestoreResult(backup=checked, manifest=found, differences=differences)


def _sqlite_restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    source: sqlite3.Connection | None = None
    try:
        source = sqlite3.connect(f"{path.as_uri()}?mode=ro", uri=True)
        if source.execute("PRAGMA quick_check").fetchone()[0] != "ok":
            raise BackupError(
                _("%(path)s is damaged (integrity check failed); nothing was restored.") % {"path": path}
            )
        if not source.execute(
            "SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'django_migrations'"
        ).fetchone():
            raise BackupError(
                _("%(path)s is a SQLite database but not a Mitra one; nothing was restored.") % {"path": path}
            )
        connection.ensure_connection()
        # Page by page into the live database, under its own lock: other connections see the old database
        # or the restored one, never a mixture.
        source.backup(connection.connection)
    except sqlite3.Error as exc:
        raise BackupError(_("Cannot restore %(path)s: %(error)s") % {"path": path, "error": exc}) from exc
    finally:
        if source is not None:
            source.close()


def _pg_restore(connection: BaseDatabaseWrapper, path: Path) -> None:
    pg_restore = pg_tool("pg_restore")
    env = pg_env(connection)
    try:
        # Reading the table of contents first refuses a damaged archive before anything is dropped.
        _run([pg_restore, "--list", str(path)], env)
    except BackupError as exc:
        raise BackupError(
            _("%(path)s cannot be read as a pg_dump archive; nothing was restored. %(error)s")
            % {"path": path, "error": exc.message}
        ) from exc
    # One transaction: a failure half-way rolls everything back and leaves the database as it was.
    _run(
        [
            pg_restore,
            "--clean",
            "--if-exists",
            "--no-owner",
            "--single-transaction",
            "--exit-on-error",
            "--no-password",
            *_pg_database(connection),
            str(path),
        ],
        env,
    )


# --- description ------------------------------------------------------------------------------------------


def describe(found: Manifest) -> list[str]:
    """The manifest as lines for the command line: each table's rows, then the ledger's checksum."""
    width = max((len(name) for name in found.tables), default=0)
    lines = [
        _("Tables: %(tables)s, rows: %(rows)s") % {"tables": len(found.tables), "rows": found.rows},
        *(f"  {name.ljust(width)}  {count:>10}" for name, count in sorted(found.tables.items())),
        ngettext(
            "Value ledger: %(entries)s entry, SHA-256 %(sha256)s",
            "Value ledger: %(entries)s entries, SHA-256 %(sha256)s",
            found.ledger_entries,
        )
        % {"entries": found.ledger_entries, "sha256": found.ledger_sha256},
    ]
    return lines


def size_text(size: int) -> str:
    return _("%(size)s (%(bytes)s bytes)") % {"size": filesizeformat(size), "bytes": size}
