"""Backup and restore of the whole installation: the database and the uploaded files, in one archive.

The archive is a plain tar: ``manifest.json`` (format, database kind, when, row counts of every table),
the database (SQLite: a consistent copy made with SQLite's online backup API while the site runs;
PostgreSQL: ``pg_dump`` in its custom format) and ``media/`` (photos and library files). The job queue is
not included: it holds only work in flight, and periodic jobs recreate theirs.

A restore checks the archive before touching anything, refuses to overwrite a database or media folder
that already holds data unless told to (``force``), and afterwards compares every table's row count with
the manifest.
"""

from __future__ import annotations

import datetime as dt
import io
import json
import os
import shutil
import sqlite3
import subprocess
import tarfile
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import cast

from django.conf import settings
from django.db import connection

from courtyard.core.errors import ApplicationError

FORMAT = "courtyard-backup/1"
SQLITE_MEMBER = "database.sqlite3"
POSTGRES_MEMBER = "database.pgdump"


@dataclass(frozen=True)
class BackupReport:
    path: Path
    vendor: str
    tables: dict[str, int]
    media_files: int


def _vendor() -> str:
    if connection.vendor not in {"sqlite", "postgresql"}:
        raise ApplicationError(f"Backups support SQLite and PostgreSQL, not {connection.vendor}.")
    return connection.vendor


def table_counts() -> dict[str, int]:
    """Rows in every table of the database (Django's and the search index's alike)."""
    with connection.cursor() as cursor:
        names = sorted(connection.introspection.table_names(cursor))
        counts: dict[str, int] = {}
        for name in names:
            cursor.execute(f"SELECT COUNT(*) FROM {connection.ops.quote_name(name)}")  # noqa: S608 - introspected names
            counts[name] = cursor.fetchone()[0]
    return counts


def _pg_conninfo(settings_dict: dict[str, object]) -> tuple[list[str], dict[str, str]]:
    args = ["--dbname", str(settings_dict["NAME"])]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if settings_dict.get(key):
            args += [flag, str(settings_dict[key])]
    env = dict(os.environ)
    if settings_dict.get("PASSWORD"):
        env["PGPASSWORD"] = str(settings_dict["PASSWORD"])
    return args, env


def _run(argv: list[str], env: dict[str, str]) -> None:
    try:
        result = subprocess.run(argv, env=env, capture_output=True, text=True, check=False)  # noqa: S603
    except FileNotFoundError as exc:
        raise ApplicationError(f"{argv[0]} is not installed (the PostgreSQL client tools are needed).") from exc
    if result.returncode != 0:
        raise ApplicationError(f"{argv[0]} failed: {result.stderr.strip()[-2000:]}")


def backup_create(*, output: Path) -> BackupReport:
    """Write the archive to ``output`` (a folder: a dated file name in it; else the file itself)."""
    vendor = _vendor()
    now = dt.datetime.now(dt.UTC)
    path = output / f"courtyard-backup-{now:%Y%m%d-%H%M%S}.tar" if output.is_dir() else output
    if path.exists():
        raise ApplicationError(f"{path} exists already; choose another name.")
    path.parent.mkdir(parents=True, exist_ok=True)
    media_root = Path(settings.MEDIA_ROOT)
    with tempfile.TemporaryDirectory(dir=path.parent, prefix=".courtyard-backup-") as tmp:
        if vendor == "sqlite":
            database = Path(tmp) / SQLITE_MEMBER
            connection.ensure_connection()
            target = sqlite3.connect(database)
            try:
                # The online backup API copies a consistent state while other connections keep writing.
                connection.connection.backup(target)
            finally:
                target.close()
        else:
            database = Path(tmp) / POSTGRES_MEMBER
            args, env = _pg_conninfo(connection.settings_dict)
            _run(["pg_dump", "--format=custom", "--no-owner", "--no-privileges", "--file", str(database), *args], env)
        tables = table_counts()
        manifest = {
            "format": FORMAT, "vendor": vendor, "created_at": now.isoformat(), "tables": tables,
        }
        partial = path.with_name(path.name + ".partial")
        media_files = 0
        with tarfile.open(partial, "w") as archive:
            data = json.dumps(manifest, indent=2, sort_keys=True).encode()
            info = tarfile.TarInfo("manifest.json")
            info.size, info.mtime = len(data), int(now.timestamp())
            archive.addfile(info, io.BytesIO(data))
            archive.add(database, arcname=database.name)
            if media_root.is_dir():
                for file in sorted(media_root.rglob("*")):
                    if file.is_file() and not file.is_symlink():
                        archive.add(file, arcname=f"media/{file.relative_to(media_root).as_posix()}")
                        media_files += 1
        partial.replace(path)  # a half-written archive never carries the final name
    return BackupReport(path=path, vendor=vendor, tables=tables, media_files=media_files)


def _read_manifest(archive: tarfile.TarFile) -> dict[str, object]:
    try:
        member = archive.getmember("manifest.json")
        raw = archive.extractfile(member)
        manifest = json.loads(raw.read()) if raw else None
    except (KeyError, ValueError) as exc:
        raise ApplicationError("This is not a Courtyard backup: manifest.json is missing or unreadable.") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
        raise ApplicationError(f"Unknown backup format; this version reads {FORMAT}.")
    if not isinstance(manifest.get("tables"), dict):
        raise ApplicationError("The backup's manifest lacks its table counts.")
    return manifest


def _database_is_empty() -> bool:
    with connection.cursor() as cursor:
        return not connection.introspection.table_names(cursor)


def backup_restore(*, archive_path: Path, force: bool = False) -> BackupReport:
    """Restore an archive into the configured database and MEDIA_ROOT (stop servers and workers first)."""
    vendor = _vendor()
    if not archive_path.is_file():
        raise ApplicationError(f"No backup at {archive_path}.")
    try:
        archive = tarfile.open(archive_path, "r")  # noqa: SIM115 - closed by the with-block below
    except tarfile.TarError as exc:
        raise ApplicationError(f"{archive_path} is not a backup archive ({exc}).") from exc
    media_root = Path(settings.MEDIA_ROOT)
    with archive, tempfile.TemporaryDirectory(prefix=".courtyard-restore-") as tmp:
        manifest = _read_manifest(archive)
        if manifest.get("vendor") != vendor:
            raise ApplicationError(
                f"This backup is of a {manifest.get('vendor')} database; DATABASE_URL points to {vendor}."
            )
        member = SQLITE_MEMBER if vendor == "sqlite" else POSTGRES_MEMBER
        names = archive.getnames()
        if member not in names:
            raise ApplicationError(f"The backup lacks its database ({member}).")
        if not force and not _database_is_empty():
            raise ApplicationError("The database already has tables; restore into an empty one, or pass --force.")
        if not force and media_root.is_dir() and any(media_root.iterdir()):
            raise ApplicationError(f"{media_root} is not empty; restore into an empty folder, or pass --force.")
        # The "data" filter refuses absolute paths, links out of the folder and device files.
        archive.extractall(tmp, members=[m for m in archive.getmembers() if m.name == member], filter="data")
        database = Path(tmp) / member
        if vendor == "sqlite":
            _sqlite_restore(database)
        else:
            args, env = _pg_conninfo(connection.settings_dict)
            extra = ["--clean", "--if-exists"] if force else []
            _run(["pg_restore", "--no-owner", "--no-privileges", "--exit-on-error", *extra, *args, str(database)], env)
        media = [m for m in archive.getmembers() if m.name.startswith("media/") and m.isfile()]
        archive.extractall(Path(tmp) / "files", members=media, filter="data")
        if media:
            media_root.mkdir(parents=True, exist_ok=True)
            shutil.copytree(Path(tmp) / "files" / "media", media_root, dirs_exist_ok=True)
    connection.close()
    tables = table_counts()
    expected = cast(dict[str, int], manifest["tables"])
    different = {name: (count, tables.get(name)) for name, count in expected.items() if tables.get(name) != count}
    if different:
        raise ApplicationError(f"Restored, but row counts differ from the backup (table: backup, now): {different}")
    return BackupReport(path=archive_path, vendor=vendor, tables=tables, media_files=len(media))


def _sqlite_restore(database: Path) -> None:
    source = sqlite3.connect(database)
    try:
        if source.execute("PRAGMA integrity_check").fetchone()[0] != "ok":
            raise ApplicationError("The backup's database fails SQLite's integrity check.")
    finally:
        source.close()
    connection.close()
    target = Path(str(connection.settings_dict["NAME"]))
    target.parent.mkdir(parents=True, exist_ok=True)
    staged = target.with_name(target.name + ".restoring")
    shutil.copyfile(database, staged)
    # A write-ahead log of the old database must not be replayed onto the restored one.
    for suffix in ("-wal", "-shm"):
        Path(f"{target}{suffix}").unlink(missing_ok=True)
    staged.replace(target)
