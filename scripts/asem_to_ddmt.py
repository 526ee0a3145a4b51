"""Turn COINr's ASEM reference data into a toolkit rubric and one assessment per country.

Researchers use it to get a real, external composite-indicator data set (51 countries x 49
indicators, ASEM Sustainable Connectivity, from the COINr package, MIT licence) into plain JSON
documents that `ddmt validate`, `ddmt score` and `ddmt compare --normalise minmax` read:

    uv run python scripts/asem_to_ddmt.py --out build/asem
    uv run ddmt validate build/asem/rubric.json
    uv run ddmt validate --rubric build/asem/rubric.json build/asem/assessments/*.json
    uv run ddmt compare build/asem/assessments/*.json --rubric build/asem/rubric.json --normalise minmax

Writes `OUT/rubric.json` and `OUT/assessments/<id>.json` (JSON, UTF-8, indent 2). Exit status 0 on
success, 1 when the input cannot be converted, 2 on wrong usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterable, Mapping, Sequence
from pathlib import Path
from typing import Any

from toolkit.errors import ToolkitError
from toolkit.research.coinr import assessments_from_coinr, read_coinr_csv, rubric_from_coinr

DATA = Path(__file__).resolve().parent.parent / "tests" / "data" / "asem"


def write_json(doc: Mapping[str, Any], path: Path) -> Path:
    """Write one document as plain JSON (no NaN) so any JSON reader, the CLI included, can load it."""
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("w", encoding="utf-8", newline="\n") as handle:
        json.dump(doc, handle, indent=2, ensure_ascii=False, allow_nan=False)
        handle.write("\n")
    return path


def write_documents(out: Path, rubric: Mapping[str, Any],
                    assessments: Iterable[Mapping[str, Any]]) -> tuple[Path, list[Path]]:
    """Write the rubric and the assessments into one folder, in the layout the docstring names."""
    rubric_path = write_json(rubric, out / "rubric.json")
    paths = [write_json(doc, out / "assessments" / f"{doc['id']}.json") for doc in assessments]
    return rubric_path, paths


def parse_args(argv: Sequence[str] | None) -> argparse.Namespace:
    """Read the command line; defaults reproduce the ASEM fixture used by the tests."""
    parser = argparse.ArgumentParser(prog="asem_to_ddmt", description=__doc__.splitlines()[0])
    parser.add_argument("--out", required=True, type=Path, help="output folder")
    parser.add_argument("--meta", type=Path, default=DATA / "ASEM_iMeta.csv", help="COINr iMeta CSV")
    parser.add_argument("--data", type=Path, default=DATA / "ASEM_iData.csv", help="COINr iData CSV")
    parser.add_argument("--rubric-id", default="asem-connectivity", help="id of the generated rubric")
    parser.add_argument("--version", default="1.0.0", help="semver of the generated rubric")
    parser.add_argument("--title", default="ASEM Sustainable Connectivity (COINr reference data)")
    parser.add_argument("--period", default="2018", help="round label of the assessments")
    parser.add_argument("--date", default="2018-12-31",
                        help="date written into every assessment (YYYY-MM-DD)")
    parser.add_argument("--languages", nargs="+", default=["en"], help="languages of the rubric texts")
    parser.add_argument("--no-denominate", action="store_true",
                        help="keep raw values instead of dividing by COINr's denominators")
    return parser.parse_args(argv)


def main(argv: Sequence[str] | None = None) -> int:
    """Convert and write; errors become one line on stderr and exit status 1."""
    args = parse_args(argv)
    denominate = not args.no_denominate
    try:
        imeta, idata = read_coinr_csv(args.meta, args.data)
        rubric = rubric_from_coinr(imeta, rubric_id=args.rubric_id, version=args.version,
                                   title=args.title, languages=args.languages, denominate=denominate)
        assessments = assessments_from_coinr(idata, imeta, rubric_id=args.rubric_id,
                                             version=args.version, period=args.period,
                                             denominate=denominate, date=args.date)
        rubric_path, paths = write_documents(args.out, rubric, assessments)
    except (ToolkitError, OSError) as exc:
        print(f"asem_to_ddmt: {exc}", file=sys.stderr)
        return 1
    print(f"wrote {rubric_path} and {len(paths)} assessments in {rubric_path.parent / 'assessments'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
