"""The `ddmt` command line: argument parsing, one module per command group, rendering, exit codes.

* `main` — the parser and `main()`, the one place that prints and turns errors into exit codes.
* `base` — `CommandResult` and loading assessments with their rubrics, which every command module
  imports; the command modules never import one another, and `commands` (validate, score, compare,
  rubrics, serve) gathers every `run_*` for `main` to dispatch.
* `backup`, `bench`, `imports`, `reports`, `research`, `users` — the other command groups.
* `render` — text tables and CSV for the terminal.

Layer 7, the top (with ui). May import: bench, ui, reports, io, access, store, research, engine,
model, errors, issues, safe, settings, i18n.
"""
