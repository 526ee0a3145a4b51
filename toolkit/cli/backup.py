"""The `ddmt backup` and `ddmt restore` commands: one checked archive of the database and evidence files.

Both name the store the way the app does: `--database URL` (else `DDMT_DATABASE_URL`) and
`--data-dir DIR` (else `DDMT_DATA_DIR`, else `./data`), which holds the SQLite database and, for
any database, the evidence files. A URL with a password is better given in `DDMT_DATABASE_URL`
than on a command line other users can see. Each `run_*` returns a `CommandResult` (see
`toolkit.cli.commands`); library errors propagate as `ToolkitError` for `cli` to print in one line.
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from toolkit.cli.base import CommandResult

_DATABASE_HELP = ("database URL, e.g. postgresql+psycopg://user@host/db (default: DDMT_DATABASE_URL, else SQLite "
                  "in the data folder)")
_DATA_DIR_HELP = "data folder: the SQLite database and the evidence files (default: DDMT_DATA_DIR, else ./data)"


def add_parsers(commands: argparse._SubParsersAction) -> None:  # type: ignore[type-arg]
    """The argparse lines of these commands, for `toolkit.cli.build_parser`."""
    backup = commands.add_parser("backup", help="write one checked archive of the database and the evidence files")
    backup.add_argument("out", type=Path, metavar="OUT",
                        help="the archive to write (.tar.gz); an existing one is replaced only by a checked one")
    backup.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    backup.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR_HELP)

    restore = commands.add_parser("restore", help="check a backup archive, then put it in place of the store")
    restore.add_argument("archive", type=Path, metavar="ARCHIVE")
    restore.add_argument("--database", metavar="URL", help=_DATABASE_HELP)
    restore.add_argument("--data-dir", type=Path, metavar="DIR", help=_DATA_DIR_HELP)
    restore.add_argument("--force", action="store_true", help="replace a store that already holds data")


def run_backup(args: argparse.Namespace) -> CommandResult:
    """Back up the store into OUT and check the archive; exit 1 if evidence files were missing."""
    from toolkit.cli.base import CommandResult
    from toolkit.store.backup import backup

    info = backup(args.database, args.out, data_dir=args.data_dir)
    errors = [f"ddmt backup: evidence file {sha256} is listed in the database but missing from the data folder; "
              "the backup does not hold it" for sha256 in info.missing_files]
    return CommandResult(f"{args.out}: backup of the {info.summary()}; checked", errors, 1 if errors else 0)


def run_restore(args: argparse.Namespace) -> CommandResult:
    """Check ARCHIVE, then restore it into the store (refusing one that holds data, unless --force)."""
    from toolkit.cli.base import CommandResult
    from toolkit.store.backup import restore

    info = restore(args.archive, args.database, data_dir=args.data_dir, force=args.force)
    return CommandResult(f"{args.archive}: restored the {info.summary()}")
