"""Persistence: tables, records, answers and their versions, evidence files, the review workflow, backups.

* `tables` — the tables and the engine (SQLite in WAL mode by default, PostgreSQL by URL).
* `records` — what the store hands out and takes in; `rows` — row operations inside a transaction.
* `evidence_files` — what may be stored as evidence and how it reaches the disk.
* `file_holders` — which ministry holds which file: a content hash is never a key.
* `file_contents` — where a file's bytes live: the database on PostgreSQL, the folder on SQLite.
* `round_imports` — what an imported round may not say about itself (status, who added evidence).
* `review` — the one-way workflow and comments; it takes any object with read and write
  transactions, so it needs nothing from `store`, which builds on it.
* `responses` — team rounds: respondents and their own answers, versioned and audited (SPEC 12).
* `store` — `Store`, the one object the app and the commands open.
* `backup`, `backup_archive`, `backup_databases` — checked backups and restores.

Layer 3 (beside research, which it never imports). May import: model, errors, issues, safe, i18n.
"""
