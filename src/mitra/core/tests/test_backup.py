"""The restore drill: back up, wipe, restore, and prove that every row and the value ledger came back.

Runs on the suite's database engine: SQLite (the online backup API) or PostgreSQL (pg_dump / pg_restore,
when MITRA_DATABASE_URL is postgres). The SQLite test database lives in memory, so the drill is also run
against a real WAL-mode database file that another connection writes to during the backup.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import re
import sqlite3
import stat
import sys
from decimal import Decimal
from pathlib import Path
from typing import Any

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection, connections
from django.db.backends.base.base import BaseDatabaseWrapper
from django.db.utils import load_backend
from tests import factories as f

from mitra.core.backup import (
    SQLITE_HEADER,
    BackupError,
    Manifest,
    backup,
    manifest,
    restore,
    sidecar_of,
)
from mitra.value import services
from mitra.value.models import EntryStatus, ValueEntry

drill = pytest.mark.django_db(transaction=True)

ENGINE = connection.vendor  # "sqlite" or "postgresql"


def seed(world: Any) -> list[int]:
    """Value entries in every state, recorded through the services (history and audit rows included)."""
    supplier, customer = f.actor(world.supplier_admin), f.actor(world.customer_admin)
    ids = [
        services.value_entry_create(
            supplier if i % 2 else customer,
            partnership_id=world.partnership.pk,
            title=f"Gain {i}: fewer damaged cartons",
            beneficiary_side="supplier" if i % 3 else "customer",
            category="cost_saved",
            amount=Decimal("1234567.89") + i,
            period_start=dt.date(2026, 1, 1),
            period_end=dt.date(2026, 3, 31),
            evidence="Claims report Q1 — ✓",
        ).pk
        for i in range(1, 6)
    ]
    services.value_entry_confirm(customer, partnership_id=world.partnership.pk, entry_id=ids[0])
    services.value_entry_dispute(
        supplier, partnership_id=world.partnership.pk, entry_id=ids[1], reason="Counted twice"
    )
    return ids


def ledger() -> list[tuple[Any, ...]]:
    return list(ValueEntry.objects.order_by("id").values_list("id", "title", "amount", "status"))


def leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir())


@drill
def test_the_restore_drill(world, tmp_path):
    ids = seed(world)
    before, entries = manifest(), ledger()
    assert before.ledger_entries == len(ids) and before.tables["value_valueentry"] == len(ids)

    out = io.StringIO()
    call_command("backup", output=str(tmp_path), stdout=out)
    text = out.getvalue()
    path = Path(re.search(r"Backup written: (\S+)", text).group(1))  # type: ignore[union-attr]
    assert path.parent == tmp_path
    assert re.fullmatch(rf"mitra-{ENGINE}-\d{{8}}-\d{{6}}\.(sqlite3|dump)", path.name)
    assert f"Value ledger: {len(ids)} entries, SHA-256 {before.ledger_sha256}" in text
    assert re.search(rf"value_valueentry\s+{len(ids)}\n", text)
    saved = json.loads(sidecar_of(path).read_text())
    assert Manifest.from_json(saved) == before
    assert saved["file"]["size"] == path.stat().st_size
    assert path.read_bytes().startswith(SQLITE_HEADER if ENGINE == "sqlite" else b"PGDMP")

    call_command("flush", interactive=False)  # the wipe
    assert ledger() == [] and manifest().differences(before)

    out = io.StringIO()
    call_command("restore", str(path), yes=True, stdout=out)
    assert "The restored database matches the manifest" in out.getvalue()
    after = manifest()
    assert after == before
    assert after.differences(before) == []
    assert ledger() == entries
    assert ValueEntry.objects.get(pk=ids[0]).status == EntryStatus.CONFIRMED
    assert ValueEntry.objects.get(pk=ids[1]).dispute_reason == "Counted twice"


@drill
def test_the_ledger_checksum_covers_each_entry(world):
    ids = seed(world)
    before = manifest()
    ValueEntry.objects.filter(pk=ids[2]).update(amount=Decimal("1234570.90"))  # one cent more
    after = manifest()
    assert after.tables == before.tables
    assert after.ledger_sha256 != before.ledger_sha256
    assert [d for d in before.differences(after) if d.startswith("value ledger")]
    ValueEntry.objects.filter(pk=ids[2]).update(amount=Decimal("1234570.89"))
    assert manifest() == before


def _file_database(tmp_path: Path) -> tuple[Path, BaseDatabaseWrapper]:
    """A WAL-mode SQLite file holding a copy of the test database, with a Django connection to it."""
    path = tmp_path / "live" / "mitra.sqlite3"
    path.parent.mkdir()
    backup(path)
    sidecar_of(path).unlink()
    live = connections["default"].__class__({**connection.settings_dict, "NAME": str(path)}, alias="drill")
    live.ensure_connection()
    with live.cursor() as cursor:
        cursor.execute("PRAGMA journal_mode")
        assert cursor.fetchone()[0] == "wal"
    return path, live


@drill
def test_a_backup_is_one_consistent_snapshot_while_another_connection_writes(world, tmp_path):
    ids = seed(world)
    out = tmp_path / "backups"
    out.mkdir()
    if ENGINE == "sqlite":
        path, live = _file_database(tmp_path)
        server = sqlite3.connect(path, isolation_level=None)
        server.execute("PRAGMA wal_autocheckpoint=0")
        # Committed, but only in the write-ahead log: a plain copy of the file would miss it.
        server.execute("UPDATE value_valueentry SET amount = 7 WHERE id = ?", (ids[0],))
        assert path.with_name("mitra.sqlite3-wal").stat().st_size > 0
        committed = manifest(live)
        # The server is in the middle of a write transaction while the backup runs.
        server.execute("BEGIN IMMEDIATE")
        server.execute("DELETE FROM value_historicalvalueentry")
        server.execute("UPDATE value_valueentry SET title = 'uncommitted'")
        result = backup(out, connection=live)
        server.execute("COMMIT")
        assert result.manifest == committed
        assert manifest(live) != committed

        # The drill on the file: wipe the ledger, restore, compare.
        with live.cursor() as cursor:
            cursor.execute("DELETE FROM value_valueentry")
        restored = restore(result.path, connection=live)
        assert restored.ok and restored.manifest == committed
        # Another connection (the running server) sees the restored ledger; the file is still in WAL mode.
        assert server.execute("SELECT COUNT(*) FROM value_valueentry").fetchone()[0] == len(ids)
        assert (
            server.execute("SELECT amount FROM value_valueentry WHERE id = ?", (ids[0],)).fetchone()[0] == 7
        )
        assert server.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        server.close()
        live.close()
    else:
        committed = manifest()
        server = connection.get_new_connection(connection.get_connection_params())
        with server.cursor() as cursor:  # an open transaction, not committed during the dump
            cursor.execute("DELETE FROM value_historicalvalueentry")
            cursor.execute("UPDATE value_valueentry SET title = 'uncommitted'")
            result = backup(out, connection=connection)
        server.commit()
        server.close()
        assert result.manifest == committed
        assert manifest() != committed
    assert json.loads(result.sidecar.read_text())["value_ledger"]["sha256"] == committed.ledger_sha256


@drill
def test_the_default_backup_goes_under_the_var_folder_readable_by_the_owner_only(world, settings, tmp_path):
    seed(world)
    settings.VAR_DIR = tmp_path / "var"
    result = backup()
    assert result.path.parent == tmp_path / "var" / "backups"
    assert re.fullmatch(rf"mitra-{ENGINE}-\d{{8}}-\d{{6}}\.(sqlite3|dump)", result.path.name)
    assert stat.S_IMODE(result.path.stat().st_mode) == 0o600
    assert stat.S_IMODE(result.sidecar.stat().st_mode) == 0o600
    saved = json.loads(result.sidecar.read_text())
    assert saved["engine"] == ENGINE and saved["file"]["name"] == result.path.name
    assert leftovers(result.path.parent) == sorted([result.path.name, result.sidecar.name])


def _other_engine_file(path: Path) -> None:
    if ENGINE == "sqlite":
        path.write_bytes(b"PGDMP\x01\x0e\x00" + bytes(200))
    else:
        with sqlite3.connect(path) as db:
            db.execute("CREATE TABLE django_migrations (id INTEGER)")
        db.close()


def _foreign_sqlite(path: Path) -> None:
    with sqlite3.connect(path) as db:
        db.execute("CREATE TABLE customers (id INTEGER, name TEXT)")
    db.close()


def _damaged(path: Path) -> None:
    made = backup(path)
    data = made.path.read_bytes()
    made.path.write_bytes(data[: len(data) // 2])
    made.sidecar.unlink()


def _tampered(path: Path) -> None:
    made = backup(path)
    saved = json.loads(made.sidecar.read_text())
    saved["file"]["sha256"] = "0" * 64
    made.sidecar.write_text(json.dumps(saved))


WRONG = {
    "other_engine": (_other_engine_file, "backup, but this Mitra runs on"),
    "text": (lambda p: p.write_text("id,title\n1,Gain\n"), "is not a Mitra backup"),
    "empty": (lambda p: p.write_bytes(b""), "is not a Mitra backup"),
    "foreign_sqlite": (_foreign_sqlite, "not a Mitra one" if ENGINE == "sqlite" else "this Mitra runs on"),
    "damaged": (_damaged, "is damaged|malformed" if ENGINE == "sqlite" else "pg_restore"),
    "tampered": (_tampered, "does not match the checksum"),
    "missing": (lambda p: None, "does not exist"),
}


@drill
@pytest.mark.parametrize("kind", WRONG)
def test_restoring_a_wrong_file_fails_cleanly_and_changes_nothing(world, tmp_path, kind):
    seed(world)
    make, message = WRONG[kind]
    path = tmp_path / "backup.bin"
    make(path)
    before, entries = manifest(), ledger()
    with pytest.raises(CommandError) as refused:
        call_command("restore", str(path), yes=True, stdout=io.StringIO())
    assert re.search(message, str(refused.value))
    assert str(path) in str(refused.value) or (kind == "damaged" and ENGINE == "postgresql")
    assert manifest() == before
    assert ledger() == entries


@drill
def test_a_restore_that_does_not_match_its_manifest_exits_non_zero(world, tmp_path):
    seed(world)
    made = backup(tmp_path)
    saved = json.loads(made.sidecar.read_text())
    saved["tables"]["value_valueentry"] += 1  # the manifest says one more entry than the file holds
    made.sidecar.write_text(json.dumps(saved))
    err = io.StringIO()
    with pytest.raises(CommandError, match="does not match the backup's manifest"):
        call_command("restore", str(made.path), yes=True, stdout=io.StringIO(), stderr=err)
    assert "table value_valueentry: 6 rows expected, 5 found" in err.getvalue()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


@drill
def test_a_restore_needs_confirmation(world, tmp_path, monkeypatch):
    ids = seed(world)
    made = backup(tmp_path)
    ValueEntry.objects.filter(pk=ids[0]).update(title="Written after the backup")

    monkeypatch.setattr(sys, "stdin", io.StringIO(""))  # not a terminal: --yes is required
    with pytest.raises(CommandError, match="--yes"):
        call_command("restore", str(made.path), stdout=io.StringIO())
    monkeypatch.setattr(sys, "stdin", _Terminal("no\n"))
    with pytest.raises(CommandError, match="Restore cancelled"):
        call_command("restore", str(made.path), stdout=io.StringIO())
    assert ValueEntry.objects.get(pk=ids[0]).title == "Written after the backup"

    monkeypatch.setattr(sys, "stdin", _Terminal("yes\n"))
    out = io.StringIO()
    call_command("restore", str(made.path), stdout=out)
    assert "matches the manifest" in out.getvalue()
    assert ValueEntry.objects.get(pk=ids[0]).title == "Gain 1: fewer damaged cartons"


@drill
@pytest.mark.parametrize("where", ["missing_folder", "folder_is_a_file", "existing_file"])
def test_a_backup_is_refused_cleanly_on_a_bad_output(world, tmp_path, where):
    seed(world)
    existing = tmp_path / "taken.bin"
    existing.write_text("an older backup")
    (tmp_path / "plain").write_text("not a folder")
    output = {
        "missing_folder": tmp_path / "nowhere" / "mitra.bak",
        "folder_is_a_file": tmp_path / "plain" / "mitra.bak",
        "existing_file": existing,
    }[where]
    with pytest.raises(CommandError) as refused:
        call_command("backup", output=str(output), stdout=io.StringIO())
    assert str(output.parent if where != "existing_file" else output) in str(refused.value)
    assert leftovers(tmp_path) == ["plain", "taken.bin"]
    assert existing.read_text() == "an older backup"


def _postgres(name: str = "mitra_backup_nowhere") -> BaseDatabaseWrapper:
    wrapper: BaseDatabaseWrapper = load_backend("django.db.backends.postgresql").DatabaseWrapper(
        {
            **connection.settings_dict,
            "ENGINE": "django.db.backends.postgresql",
            "NAME": name,
            "HOST": "127.0.0.1",
            "PORT": "5432",
            "USER": "postgres",
            "OPTIONS": {},
        },
        alias="pg_drill",
    )
    return wrapper


def test_missing_postgresql_client_tools_are_named(tmp_path, monkeypatch):
    monkeypatch.setenv("PATH", str(tmp_path / "bin"))
    out = tmp_path / "out"
    out.mkdir()
    with pytest.raises(BackupError, match="pg_dump was not found"):
        backup(out, connection=_postgres())
    dump = tmp_path / "mitra.dump"
    dump.write_bytes(b"PGDMP" + bytes(100))
    with pytest.raises(BackupError, match="pg_restore was not found"):
        restore(dump, connection=_postgres())
    assert leftovers(out) == []


@drill
def test_a_failed_backup_leaves_no_file(world, tmp_path, monkeypatch):
    seed(world)
    out = tmp_path / "out"
    out.mkdir()
    if ENGINE == "postgresql":
        # pg_dump starts writing, then loses the server.
        bin_dir = tmp_path / "bin"
        bin_dir.mkdir()
        fake = bin_dir / "pg_dump"
        fake.write_text(
            "#!/bin/sh\n"
            'for a; do case "$a" in --file=*) printf PGDMP-half > "${a#--file=}";; esac; done\n'
            "echo 'pg_dump: error: connection to server lost' >&2\n"
            "exit 1\n"
        )
        fake.chmod(0o755)
        monkeypatch.setenv("PATH", f"{bin_dir}{os.pathsep}{os.environ['PATH']}")
        with pytest.raises(BackupError, match=r"pg_dump failed \(exit code 1\): .*connection to server lost"):
            backup(out)
    else:
        broken = tmp_path / "broken.sqlite3"
        broken.write_bytes(b"this is not a database" * 100)
        live = connections["default"].__class__(
            {**connection.settings_dict, "NAME": str(broken)}, alias="broken"
        )
        with pytest.raises(BackupError, match="Cannot back up the SQLite database"):
            backup(out, connection=live)
    assert leftovers(out) == []
