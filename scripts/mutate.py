"""Mutation testing of one module with that module's own tests: `./run mutate MODULE` (issue 17).

mutmut changes the module one small edit at a time (a `<` for a `<=`, a constant, a removed call)
and runs the module's tests against each change; a change no test notices is a *survivor*, a place
where a real bug would get through. Some survivors change no behaviour at all (a cache size, the
text of an internal error): those are *equivalent* and are listed, each with its reason, in
`tests/mutation/equivalent.toml`, so that what a run reports as new is news.

How it runs: mutmut reads its settings from `pyproject.toml` in the folder it runs in and writes
its mutated copy beside it, so each module gets its own scratch copy of the repository under
`.mutmut/<module>/` (git-ignored, kept between runs so an unchanged function is not tested again),
with `[tool.mutmut]` narrowed to that one module and its tests from `[tool.ddmt.mutation]`.

    ./run mutate                 lists the modules and their tests
    ./run mutate safe            runs toolkit/safe.py (any unique part of the module's path works)
    ./run mutate safe --report   only reports the last run of that module

Exit status: 0 when every survivor is a listed equivalent, 1 when there are new survivors, 2 on
wrong usage. Not part of CI: a module takes minutes to an hour on two shared cores.
"""

from __future__ import annotations

import argparse
import os
import re
import shutil
import subprocess
import sys
import tomllib
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SCRATCH = ROOT / ".mutmut"
EQUIVALENT = ROOT / "tests" / "mutation" / "equivalent.toml"
COPIED = ("toolkit", "tests", "rubrics", "sample_ministries", "docs", "reports", "app.py", "uv.lock")
PROPERTY_SCALE = "0.1"  # a tenth of each hypothesis property's examples (tests/property_scale.py), unless set
KILLED = {"killed", "timeout", "segfault", "suspicious"}  # a test run that did not pass noticed the change


@dataclass(frozen=True)
class Mutant:
    """One mutant of a run: its mutmut name, its status, and the line it changed (before, after)."""

    name: str
    status: str
    before: str
    after: str

    @property
    def function(self) -> str:
        """The function it lives in, as `module.function` (mutmut's name without the numbering)."""
        module, _, rest = self.name.rpartition(".")
        return f"{module}.{re.sub(r'^x_|^xǁ', '', rest).split('__mutmut_')[0].replace('ǁ', '.')}"


def settings() -> dict[str, list[str]]:
    """Module path -> test files, from `[tool.ddmt.mutation]` in pyproject.toml."""
    data = tomllib.loads((ROOT / "pyproject.toml").read_text(encoding="utf-8"))
    return dict(data["tool"]["ddmt"]["mutation"]["modules"])


def pick(name: str, modules: dict[str, list[str]]) -> str:
    """The one configured module whose path contains `name` (exact path or dotted name first)."""
    dotted = {path.removesuffix(".py").replace("/", "."): path for path in modules}
    if name in modules:
        return name
    if name in dotted:
        return dotted[name]
    found = [path for path in modules if name in path]
    if len(found) != 1:
        known = ", ".join(sorted(modules))
        raise SystemExit(f"mutate: {name!r} names {len(found)} of the configured modules ({known})")
    return found[0]


def prepare(module: str, tests: list[str]) -> Path:
    """The scratch copy for `module`: the repository's current files, mutmut narrowed to one module."""
    folder = SCRATCH / module.removesuffix(".py").replace("/", ".")
    folder.mkdir(parents=True, exist_ok=True)
    for name in COPIED:
        source, target = ROOT / name, folder / name
        if source.is_dir():
            if target.exists():
                shutil.rmtree(target)
            shutil.copytree(source, target, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        elif source.is_file():
            shutil.copy2(source, target)
    text = (ROOT / "pyproject.toml").read_text(encoding="utf-8")
    narrowed = (f"only_mutate = [{module!r}]\n"
                f"pytest_add_cli_args_test_selection = [{', '.join(repr(t) for t in tests)}]\n")
    text = text.replace("[tool.mutmut]\n", "[tool.mutmut]\n" + narrowed.replace("'", '"'), 1)
    (folder / "pyproject.toml").write_text(text, encoding="utf-8")
    return folder


def mutmut(folder: Path, *args: str, capture: bool = True) -> str:
    """Run mutmut in `folder` with this environment's Python; its output."""
    # Fewer examples per hypothesis property (tests/property_scale.py): each survivor reruns them all.
    # The store's tests on SQLite alone (tests/pg.py): PostgreSQL doubles each run and the store's
    # rules are the same on both; DDMT_TEST_BACKENDS=sqlite,postgresql in the environment overrides.
    env = {"DDMT_PROPERTY_SCALE": PROPERTY_SCALE, "DDMT_TEST_BACKENDS": "sqlite", **os.environ}
    run = subprocess.run([sys.executable, "-m", "mutmut", *args], cwd=folder, text=True,
                         capture_output=capture, check=False, env=env)
    if capture and run.returncode not in (0, 1):
        raise SystemExit(f"mutate: mutmut {' '.join(args)} failed:\n{run.stdout}{run.stderr}")
    return run.stdout if capture else ""


def mutants(folder: Path, module: str) -> list[Mutant]:
    """Every mutant of the module with its status and changed line, from mutmut's own records."""
    prefix = module.removesuffix(".py").replace("/", ".") + "."
    found = []
    for line in mutmut(folder, "results", "--all", "true").splitlines():
        name, _, status = line.strip().rpartition(": ")
        if not name.startswith(prefix):
            continue
        before, after = changed_line(mutmut(folder, "show", name)) if status == "survived" else ("", "")
        found.append(Mutant(name, status, before, after))
    return found


def changed_line(diff: str) -> tuple[str, str]:
    """The first removed and added line of a mutant's diff, stripped (empty when none)."""
    removed = [line[1:].strip() for line in diff.splitlines() if line.startswith("-") and not line.startswith("---")]
    added = [line[1:].strip() for line in diff.splitlines() if line.startswith("+") and not line.startswith("+++")]
    return (removed[0] if removed else "", added[0] if added else "")


def equivalents(module: str) -> list[dict[str, str]]:
    """The listed equivalent mutants of `module`: function, before, after, reason."""
    if not EQUIVALENT.exists():
        return []
    data = tomllib.loads(EQUIVALENT.read_text(encoding="utf-8"))
    return list(data.get(module, {}).get("mutant", []))


def is_listed(mutant: Mutant, listed: list[dict[str, str]]) -> bool:
    return any(entry["function"] == mutant.function and entry["before"] == mutant.before
               and entry["after"] == mutant.after for entry in listed)


def report(module: str, found: list[Mutant]) -> int:
    """Print killed/total, the listed equivalents and every new survivor; 1 if there is one."""
    listed = equivalents(module)
    survivors = [m for m in found if m.status == "survived"]
    killed = [m for m in found if m.status in KILLED]
    untested = [m for m in found if m.status == "no tests"]
    equivalent = [m for m in survivors if is_listed(m, listed)]
    new = [m for m in survivors if not is_listed(m, listed)]
    behaviour = len(found) - len(equivalent)
    share = f"{100 * len(killed) / behaviour:.1f} %" if behaviour else "n/a"
    print(f"{module}: {len(killed)} killed of {len(found)} mutants; {len(equivalent)} listed as equivalent; "
          f"{len(killed)}/{behaviour} = {share} of those that change behaviour")
    others = [m for m in found if m.status not in KILLED and m.status != "survived"]
    if others:
        counts: dict[str, int] = {}
        for m in others:
            counts[m.status] = counts.get(m.status, 0) + 1
        print("  not judged: " + ", ".join(f"{n} {status}" for status, n in sorted(counts.items())))
    for m in new:
        print(f"  NEW SURVIVOR {m.name} ({m.function})\n    - {m.before}\n    + {m.after}")
    if untested:
        print(f"  {len(untested)} mutants sit in code no selected test runs")
    return 1 if new or untested else 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="./run mutate", description=__doc__.split("\n\n")[0])
    parser.add_argument("module", nargs="?", help="a configured module, by path, dotted name or a unique part")
    parser.add_argument("--report", action="store_true", help="only report the last run")
    parser.add_argument("--max-children", type=int, default=2, help="mutants tested at once (default 2)")
    args = parser.parse_args(argv)
    modules = settings()
    if args.module is None:
        for path, tests in sorted(modules.items()):
            print(f"{path}: {' '.join(tests)}")
        return 0
    module = pick(args.module, modules)
    folder = SCRATCH / module.removesuffix(".py").replace("/", ".")
    if not args.report:
        folder = prepare(module, modules[module])
        mutmut(folder, "run", "--max-children", str(args.max_children), capture=False)
    elif not folder.exists():
        raise SystemExit(f"mutate: {module} has not been run yet")
    return report(module, mutants(folder, module))


if __name__ == "__main__":
    sys.exit(main())
